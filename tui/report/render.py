"""One report, four formats. Text is written as it was typed: Markdown
escapes its table characters, CSV and Excel cells never turn into formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from typing import Any

import orjson

from tui.domain.calendar import is_day
from tui.domain.text import display_width
from tui.report.tables import Cell, Report

FORMATS = ("md", "csv", "xlsx", "json")
SHEET_NAME_MAX = 31  # Excel's limit
# OWASP's CSV-injection rule: a cell starting with any of these may be taken
# for a formula by Excel, WPS or LibreOffice; a leading ' keeps it text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def to_markdown(report: Report) -> bytes:
    lines = [f"# {_md(report.title)}", ""]
    for table in report.tables:
        lines += [f"## {_md(table.title)}", ""]
        if not table.rows:
            lines += ["—", ""]
            continue
        lines.append("| " + " | ".join(_md(h) for h in table.headers) + " |")
        lines.append("|" + "|".join(" --- " for _ in table.headers) + "|")
        lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in table.rows]
        lines.append("")
    return "\n".join(lines).encode()


def _md(cell: Cell) -> str:
    text = str(cell)
    for char in "\\|*_`[]<>#":
        text = text.replace(char, "\\" + char)
    return text.replace("\r", " ").replace("\n", "<br>") if text else " "


def _csv_cell(cell: Cell) -> Cell:
    if isinstance(cell, str) and cell.startswith(_FORMULA_START):
        return "'" + cell
    return cell


def to_csv(report: Report) -> bytes:
    """Tables one under another: a title row, a header row, the rows, a blank
    row. UTF-8 with a BOM, so Excel and WPS read the Chinese text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([report.title])
    writer.writerow([])
    for table in report.tables:
        writer.writerow([table.title])
        writer.writerow(table.headers)
        writer.writerows([_csv_cell(c) for c in row] for row in table.rows)
        writer.writerow([])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(report: Report) -> bytes:
    """One sheet per table (in a day report, one per owner)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=False)
    book.remove(book.active)  # type: ignore[arg-type]
    used: set[str] = set()
    bold = Font(bold=True)
    for table in report.tables:
        sheet = book.create_sheet(_sheet_name(_xlsx_text(table.sheet or table.title), used))
        sheet.append([_xlsx_text(h) for h in table.headers])
        for cell in sheet[1]:
            cell.font = bold
        for row in table.rows:
            sheet.append([_xlsx_value(c) for c in row])
        # Text stays text: a cell starting with "=" is not a formula here.
        for row_cells in sheet.iter_rows(min_row=2):
            for cell in row_cells:
                if isinstance(cell.value, str) and cell.value.startswith(_FORMULA_START):
                    cell.data_type = "s"
                elif isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
        for index, header in enumerate(table.headers, 1):
            cells = [str(header)] + [str(r[index - 1]) for r in table.rows[:200]]
            # Display width: a Chinese character takes two columns, a digit one.
            width = max(display_width(c) for c in cells) + 2
            sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 8), 60)
        sheet.freeze_panes = "A2"
        if table.rows:
            sheet.auto_filter.ref = sheet.dimensions
        # Printed for the hand-over: landscape, one page wide, header on every page.
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_title_rows = "1:1"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_value(value: Any) -> Any:
    """A day (YYYY-MM-DD) is stored as a date, so Excel sorts and filters it."""
    if isinstance(value, str) and is_day(value):
        return date.fromisoformat(value)
    return _xlsx_text(value)


def _xlsx_text(value: Any) -> Any:
    """Excel's XML cannot hold control characters (openpyxl refuses the whole
    book); data from older folders may still carry one. Dropped, not refused."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _sheet_name(title: str, used: set[str]) -> str:
    clean = "".join(" " if c in "[]:*?/\\" else c for c in title).strip("' ") or "sheet"
    name = clean[:SHEET_NAME_MAX]
    number = 2
    while name.lower() in used:
        suffix = f" ({number})"
        name = clean[: SHEET_NAME_MAX - len(suffix)] + suffix
        number += 1
    used.add(name.lower())
    return name


def to_json(report: Report) -> bytes:
    return orjson.dumps(
        {
            "report": report.kind,
            "period": report.period,
            "title": report.title,
            "tables": [
                {
                    "id": table.id,
                    "title": table.title,
                    "columns": table.columns,
                    "headers": table.headers,
                    "rows": [dict(zip(table.columns, row, strict=True)) for row in table.rows],
                }
                for table in report.tables
            ],
        },
        option=orjson.OPT_INDENT_2,
    )


RENDERERS: dict[str, Callable[[Report], bytes]] = {
    "md": to_markdown,
    "csv": to_csv,
    "xlsx": to_xlsx,
    "json": to_json,
}

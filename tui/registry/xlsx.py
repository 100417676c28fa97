"""The sheets of an xlsx as rows of cell values, read in bounded memory (and of
an .xls or .ods, through python-calamine).

The file's <dimension> is not trusted: it may claim fewer rows than the sheet
holds (rows were dropped) or the whole grid (every row padded to 16,384
cells). Merged ranges, which read-only mode does not give, come from the
sheet's XML and are clipped to the rows and columns that hold data.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from tui.registry.errors import SheetError

MAX_ROWS = 200_000  # an office's whole registry is ~11,000 rows
MAX_COLUMNS = 256  # IV, Excel 2003's last column; a registry has 10-30
MAX_MERGED = 1_000_000  # cells merged ranges may fill, after clipping
_MERGED = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')
_CHUNK = 1 << 20
_OVERLAP = 256  # longer than any mergeCell tag, for one cut between chunks

Span = tuple[str, int, int, int, int]  # ref, first row and column, last row and column (0-based)


def read_xlsx(path: Path) -> list[list[object]]:
    """The first sheet."""
    return read_xlsx_sheets(path, first_only=True)[0][1]


Sheet = tuple[str, list[list[object]]]  # name, rows


def read_xlsx_sheets(path: Path, *, first_only: bool = False) -> list[Sheet]:
    """Every sheet (name, rows), in the workbook's order."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    sheets: list[tuple[str, list[list[object]], str]] = []
    try:
        book = load_workbook(path, read_only=True, data_only=True)
        try:
            for sheet in book.worksheets[:1] if first_only else book.worksheets:
                sheet.reset_dimensions()
                rows = _rows(sheet.iter_rows(values_only=True), path.name)
                sheets.append((sheet.title, rows, getattr(sheet, "_worksheet_path", "")))
        finally:
            book.close()
        found: list[Sheet] = []
        for title, rows, xml_path in sheets:
            refs: list[str] = []
            if xml_path:
                with zipfile.ZipFile(path) as archive, archive.open(xml_path) as xml:
                    refs = _merged_refs(xml)
            _fill(rows, _spans(rows, refs, path.name), path.name)
            found.append((title, rows))
    except SheetError:
        raise
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
        raise SheetError("residents.unreadable", file=path.name, reason=str(err)) from None
    if not found:
        raise SheetError("residents.unreadable", file=path.name, reason="no sheet")
    return found


def read_calamine_sheets(path: Path) -> list[Sheet]:
    """Every sheet of an .xls (Excel 97-2003) or .ods (LibreOffice, WPS) file,
    read by python-calamine (Rust's calamine); merged ranges as it reports them."""
    from openpyxl.utils.cell import get_column_letter
    from python_calamine import CalamineWorkbook

    found: list[Sheet] = []
    try:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            top, left = sheet.start or (0, 0)  # the first cell holding data
            values = (
                tuple([None] * left + [None if v == "" else v for v in row])
                for row in sheet.iter_rows()
            )
            rows = _rows(_after(top, values), path.name)
            refs = [
                f"{get_column_letter(c0 + 1)}{r0 + 1}:{get_column_letter(c1 + 1)}{r1 + 1}"
                for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])
            ]
            _fill(rows, _spans(rows, refs, path.name), path.name)
            found.append((name, rows))
    except SheetError:
        raise
    except Exception as err:  # calamine's own errors: a broken, encrypted or other file
        raise SheetError("residents.unreadable", file=path.name, reason=str(err)) from None
    if not found:
        raise SheetError("residents.unreadable", file=path.name, reason="no sheet")
    return found


def _after(blank: int, rows: Iterable[tuple[object, ...]]) -> Iterable[tuple[object, ...]]:
    """`blank` empty rows, then the rows: row numbers as the spreadsheet shows them."""
    for _ in range(blank):
        yield ()
    yield from rows


def _rows(values: Iterable[tuple[object, ...]], name: str) -> list[list[object]]:
    """Rows up to the last holding a value, without trailing empty cells."""
    rows: list[list[object]] = []
    used = 0
    for number, cells in enumerate(values, 1):
        row = list(cells)
        while row and row[-1] is None:
            row.pop()
        if not row:
            if number <= MAX_ROWS:
                rows.append(row)
            continue
        if number > MAX_ROWS:
            raise SheetError("residents.too_many_rows", file=name, limit=f"{MAX_ROWS:,}")
        if len(row) > MAX_COLUMNS:
            raise SheetError(
                "residents.too_many_columns",
                file=name,
                cell=_cell(number - 1, len(row) - 1),
                limit=f"{MAX_COLUMNS:,}",
            )
        rows.append(row)
        used = number
    del rows[used:]
    return rows


def _merged_refs(xml: IO[bytes]) -> list[str]:
    """The mergeCell refs, read in chunks: they follow the cells, and the XML
    of a small file can unpack to hundreds of megabytes."""
    refs: list[str] = []
    tail = b""
    while chunk := xml.read(_CHUNK):
        data = tail + chunk
        end = 0
        for match in _MERGED.finditer(data):
            refs.append(match[1].decode("ascii"))
            end = match.end()
        tail = data[max(end, len(data) - _OVERLAP) :]
    return refs


def _spans(rows: list[list[object]], refs: list[str], name: str) -> list[Span]:
    """Each range clipped to the rows read and the widest row; refused when
    the ranges would fill more than MAX_MERGED cells."""
    from openpyxl.utils.cell import range_boundaries

    width = max(map(len, rows), default=0)
    spans: list[Span] = []
    total = 0
    for ref in refs:
        try:
            min_col, min_row, max_col, max_row = (int(b or 0) for b in range_boundaries(ref))
        except ValueError:
            continue
        last_row, last_col = min(max_row, len(rows)), min(max_col, width)
        if not (1 <= min_row <= last_row and 1 <= min_col <= last_col):  # A0, or past the data
            continue
        total += (last_row - min_row + 1) * (last_col - min_col + 1)
        if total > MAX_MERGED:
            raise SheetError("residents.merged_too_large", file=name, limit=f"{MAX_MERGED:,}")
        spans.append((ref, min_row - 1, min_col - 1, last_row - 1, last_col - 1))
    return spans


def _fill(rows: list[list[object]], spans: list[Span], name: str) -> None:
    """A merged cell's value sits in its top-left cell and fills the range.
    Excel empties the other cells when it merges; a range over cells that
    still hold values hides them, and which the sheet means is not known."""
    for ref, top, left, bottom, right in spans:
        for r in range(top, bottom + 1):
            start = left + 1 if r == top else left
            for c, value in enumerate(rows[r][start : right + 1], start):
                if value is not None and str(value).strip():
                    raise SheetError(
                        "residents.merged_hides_data", file=name, range=ref, cell=_cell(r, c)
                    )
    for _ref, top, left, bottom, right in spans:
        first = rows[top]
        value = first[left] if left < len(first) else None
        for r in range(top, bottom + 1):
            row = rows[r]
            row.extend([None] * (right + 1 - len(row)))
            row[left : right + 1] = [value] * (right + 1 - left)


def _cell(row: int, column: int) -> str:
    from openpyxl.utils.cell import get_column_letter

    return f"{get_column_letter(column + 1)}{row + 1}"

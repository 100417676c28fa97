"""The office's community workbook and a data folder: plan an import of it,
write the plan in one commit, say what it would do in sentences (the CLI and
F7 show the same lines), and write the template and exports."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson

from tui.domain.catalogue import default_categories
from tui.domain.community_sheets import (
    KINDS,
    LAYOUT,
    CommunityPlan,
    Registry,
    Rejected,
    RowError,
    SheetPlan,
    Table,
    export_document,
    export_tables,
    plan_community,
    template_tables,
)
from tui.domain.errors import FieldError
from tui.domain.phone import display_phone
from tui.domain.records import Record
from tui.domain.text import display_width
from tui.i18n import t
from tui.registry.errors import SheetError
from tui.repository.interface import Repository

__all__ = [
    "CommunityPlan",
    "describe_community_plan",
    "export_bytes",
    "plan_community_file",
    "registry_of",
    "template_bytes",
    "write_community",
    "write_template",
]

NAMES_SHOWN = 5  # names listed per "to add" line
UPDATES_SHOWN = 10  # updated items listed per sheet
WIDTH_MIN, WIDTH_MAX = 8, 50
_FORMULA_START = ("=",)
_NOT_FIELDS = {"id", "rev", "created_at", "updated_at", "device", "by", "kind", "order"}


def registry_of(store: Repository) -> Registry:
    return Registry(
        community=store.community(),
        compounds=store.compounds(),
        staff=store.staff(),
        parties=store.parties(),
        categories=store.categories(),
    )


def plan_community_file(store: Repository, path: Path) -> CommunityPlan:
    """What importing the workbook at `path` would do. Raises SheetError for a
    file that cannot be read or holds none of the sheets."""
    from tui.registry.read import read_sheets

    sheets = read_sheets(path)
    try:
        return plan_community(sheets, registry_of(store))
    except RowError as err:
        raise SheetError(err.code, file=path.name, **err.params) from None


def write_community(store: Repository, plan: CommunityPlan, *, skip_bad: bool) -> bool:
    """Write the plan's changes (the community profile among them) in one
    commit. False, and nothing written, when rows were rejected and skip_bad
    was not asked for."""
    if plan.rejected and not skip_bad:
        return False
    if plan.writes:
        store.save_many(list(plan.writes))
    return True


# -- the plan in sentences -----------------------------------------------------


def _label(name: str) -> str:
    return t(f"community_sheet.field.{name}")


def rejection(item: Rejected) -> str:
    params = dict(item.params)
    if item.code == "community_sheet.bad_field":
        name = str(params.get("field"))
        label = _label(name)
        error = FieldError(name, str(params.get("reason")), dict(params.get("detail") or {}))
        reason = t(error.code, field=label, **error.params)
        message = reason if label in reason else f"{label}: {reason}"
    else:
        if "field" in params:
            params["field"] = _label(str(params["field"]))
        message = t(item.code, **params)
    if item.row:
        return t("community_sheet.row", sheet=item.sheet, row=item.row, message=message)
    return t("community_sheet.whole_sheet", sheet=item.sheet, message=message)


def _name(record: Record) -> str:
    for attr in ("name", "name_zh"):
        value = getattr(record, attr, "")
        if value:
            return str(value)
    return str(getattr(record, "code", ""))


def _changed(before: Record, after: Record) -> list[str]:
    old, new = before.to_dict(), after.to_dict()
    names = [k for k in new if k not in _NOT_FIELDS and old.get(k) != new.get(k)]
    return [_label(k) for k in names]


def _sheet_lines(plan: SheetPlan) -> list[str]:
    kind = t(f"community_sheet.kind.{plan.kind}")
    lines: list[str] = []
    if plan.sheet:
        if plan.header_row and plan.kind != "community":
            lines.append(
                t("community_sheet.sheet", sheet=plan.sheet, kind=kind, row=plan.header_row)
            )
        else:
            lines.append(t("community_sheet.sheet_plain", sheet=plan.sheet, kind=kind))
        if plan.labels:
            mapped = ", ".join(f"{label} -> {_label(f)}" for f, label in plan.labels.items())
            lines.append(t("community_sheet.columns", columns=mapped))
        if plan.ignored:
            lines.append(t("community_sheet.ignored", headers="、".join(plan.ignored)))
    elif plan.writes:
        lines.append(t("community_sheet.no_sheet_but", kind=kind))
    else:
        lines.append(t("community_sheet.no_sheet", kind=kind))
        return lines
    if plan.added:
        names = "、".join(_name(r) for r in plan.added[:NAMES_SHOWN])
        more = len(plan.added) - NAMES_SHOWN
        if more > 0:
            names = t("community_sheet.and_more", names=names, count=more)
        lines.append(t("community_sheet.to_add", count=len(plan.added), names=names))
    if plan.updated:
        lines.append(t("community_sheet.to_update", count=len(plan.updated)))
        for before, after in plan.updated[:UPDATES_SHOWN]:
            fields = "、".join(_changed(before, after))
            lines.append(t("community_sheet.update_line", name=_name(after), fields=fields))
        if len(plan.updated) > UPDATES_SHOWN:
            lines.append(t("community_sheet.more", count=len(plan.updated) - UPDATES_SHOWN))
    if plan.unchanged:
        lines.append(t("community_sheet.unchanged", count=len(plan.unchanged)))
    if plan.rejected:
        lines.append(t("community_sheet.rejected_heading", count=len(plan.rejected)))
        lines += [f"    {rejection(item)}" for item in plan.rejected]
    return lines


def describe_community_plan(plan: CommunityPlan) -> list[str]:
    """The plan as plain lines in the user's language: per sheet, the columns
    read, what would be added, updated (and which fields), left alone and
    rejected (by sheet and row number), then the sheets not used and a summary."""
    lines: list[str] = []
    for kind in KINDS:
        lines += _sheet_lines(plan.sheets[kind])
    if plan.unused:
        lines.append(t("community_sheet.unused", sheets="、".join(plan.unused)))
    lines.append(summary_line(plan))
    return lines


def summary_line(plan: CommunityPlan) -> str:
    sheets = plan.sheets.values()
    return t(
        "community_sheet.summary",
        added=sum(len(p.added) for p in sheets),
        updated=sum(len(p.updated) for p in sheets),
        unchanged=sum(len(p.unchanged) for p in sheets),
        rejected=plan.rejected_rows,
    )


# -- the workbook written: template and export --------------------------------


def _cell(value: Any) -> Any:
    """Excel's XML cannot hold control characters (stored text has none, but
    a folder from an older version might)."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def workbook_bytes(tables: Sequence[Table]) -> bytes:
    """One sheet a table: bold headers on row 1 (frozen), the rows below,
    columns as wide as their text; text stays text (a leading = is no formula)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    bold = Font(bold=True)
    for name, headers, rows in tables:
        sheet = book.create_sheet(name)
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = bold
        for row in rows:
            sheet.append([_cell(v) for v in row])
        for row_cells in sheet.iter_rows(min_row=2):
            for cell in row_cells:
                if isinstance(cell.value, str) and cell.value.startswith(_FORMULA_START):
                    cell.data_type = "s"
        for index, header in enumerate(headers, 1):
            texts = [header, *(str(r[index - 1]) for r in rows[:200] if index - 1 < len(r))]
            width = max(display_width(text) for text in texts) + 2
            sheet.column_dimensions[get_column_letter(index)].width = min(
                max(width, WIDTH_MIN), WIDTH_MAX
            )
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_bytes() -> bytes:
    """The template workbook: every sheet, headers on row 1, example rows, and
    the default catalogue of request categories."""
    return workbook_bytes(template_tables(default_categories()))


def write_template(path: Path) -> None:
    """Write the template to `path` whole (temp file, fsync, replace).
    Raises tui.output.OutRefused when the path cannot be written."""
    from tui.output import write_out

    write_out(path, template_bytes())


def export_bytes(store: Repository, fmt: str) -> bytes:
    """The registry as the workbook (xlsx, same layout as the template, so it
    imports back unchanged) or as JSON (references by name)."""
    registry = registry_of(store)
    if fmt == "json":
        return orjson.dumps(export_document(registry), option=orjson.OPT_INDENT_2)
    return workbook_bytes(export_tables(registry, phone=display_phone))


def sheet_names() -> list[str]:
    return [LAYOUT[kind][0] for kind in KINDS]

"""An import plan in sentences: the column mapping, a preview of the first
rows, every rejected row with its number and reason, and the counts."""

from __future__ import annotations

from collections.abc import Sequence

from tui.domain.address import format_address
from tui.domain.errors import FieldError
from tui.domain.phone import display_phone
from tui.domain.records import Compound
from tui.domain.registry_import import ImportPlan, Rejected
from tui.i18n import t
from tui.messages import describe_field_error

PREVIEW_ROWS = 5


def rejection(item: Rejected) -> str:
    params = dict(item.params)
    if item.code == "residents.unknown_compound_rows":
        return t(item.code, **params)  # one line for all its rows
    if item.code == "residents.bad_field":
        field = str(params.get("field"))
        error = FieldError(field, str(params.get("reason")), dict(params.get("detail") or {}))
        reason, label = describe_field_error(error), t(f"field.name.{field}")
        message = reason if label in reason else f"{label}: {reason}"
        return t("residents.row", row=item.row, message=message)
    return t("residents.row", row=item.row, message=t(item.code, **params))


def mapping_lines(plan: ImportPlan, compounds: Sequence[Compound]) -> list[str]:
    header = plan.header
    lines = [t("residents.header", row=header.row)]
    lines += [
        t("residents.mapped", header=label, field=t(f"residents.field.{name}"))
        for name, label in header.labels.items()
    ]
    if header.ignored:
        lines.append(t("residents.ignored", headers="、".join(header.ignored)))
    if plan.compound_from_title:
        known = [*compounds, *plan.new_compounds]
        name = next((c.name for c in known if c.id == plan.compound_from_title), "")
        lines.append(t("residents.title_compound", compound=name))
    return lines


def new_compound_lines(plan: ImportPlan) -> list[str]:
    if not plan.new_compounds:
        return []
    lines = [t("residents.new_compounds_heading", count=len(plan.new_compounds))]
    lines += [
        t("residents.new_compound", compound=c.name, rows=plan.rows_of_new.get(c.id, 0))
        for c in plan.new_compounds
    ]
    return lines


def preview_lines(plan: ImportPlan, compounds: Sequence[Compound]) -> list[str]:
    names = {c.id: c.name for c in [*compounds, *plan.new_compounds]}
    lines = [t("residents.preview", count=min(PREVIEW_ROWS, len(plan.parsed)))]
    for parsed in plan.parsed[:PREVIEW_ROWS]:
        person = parsed.resident
        address = format_address(person.building, person.unit, person.room)
        where = f"{names.get(person.compound, '')} {address}"
        born = person.birth_date or (str(person.birth_year) if person.birth_year else "")
        parts = [person.name, where.strip(), born, display_phone(person.phone)]
        lines.append(t("residents.row", row=parsed.row, message=" | ".join(p for p in parts if p)))
    return lines


def describe_plan(plan: ImportPlan, compounds: Sequence[Compound]) -> list[str]:
    lines = mapping_lines(plan, compounds)
    lines += new_compound_lines(plan)
    if plan.parsed:
        lines += preview_lines(plan, compounds)
    if plan.rejected:
        lines.append(t("residents.rejected_heading", count=plan.rejected_rows))
        lines += [rejection(item) for item in plan.rejected]
    if plan.duplicates:
        lines.append(t("residents.duplicates_heading", count=len(plan.duplicates)))
        lines += [
            t("residents.row", row=row, message=t("residents.duplicate", other=other))
            for row, other in plan.duplicates
        ]
    lines.append(summary_line(plan))
    return lines


def summary_line(plan: ImportPlan) -> str:
    return t(
        "residents.summary",
        added=len(plan.added),
        updated=len(plan.updated),
        unchanged=plan.unchanged,
        rejected=plan.rejected_rows,
        duplicates=len(plan.duplicates),
        empty=plan.empty,
    )

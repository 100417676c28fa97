"""An import of residents into a data folder: read, plan, and (unless told
not to, or rows were rejected) write every change in one save."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tui.domain.registry_import import (
    ImportPlan,
    compound_index,
    compound_key,
    plan_import,
)
from tui.registry.read import SheetError, read_rows
from tui.repository.interface import Repository


def plan_file(
    store: Repository, path: Path, compound_name: str = "", *, new_compounds: bool = False
) -> ImportPlan:
    """Raises SheetError for an unreadable file or a compound that is not known,
    RowError("residents.no_header") when no header names a name column."""
    compounds = store.compounds()
    default = ""
    if compound_name:
        found = compound_index(compounds).get(compound_key(compound_name))
        if found is None:
            raise SheetError("residents.unknown_compound_option", value=compound_name)
        default = found.id
    rows = read_rows(path)
    today = date.fromisoformat(store.today())
    return plan_import(
        rows, compounds, store.residents(), today, default, new_compounds=new_compounds
    )


def write(store: Repository, plan: ImportPlan, *, skip_bad: bool) -> bool:
    """Write the plan's changes in one save. False, and nothing written, when
    rows were rejected and skip_bad was not asked for."""
    if plan.rejected and not skip_bad:
        return False
    if plan.writes:
        store.save_many(list(plan.writes))
    return True

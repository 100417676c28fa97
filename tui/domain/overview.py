"""Figures for the home screen: where the open cases stand, what a day held."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tui.domain.records import Case, ServiceSession, Visit
from tui.domain.states import CaseStatus, VisitStatus


@dataclass(frozen=True)
class CaseCounts:
    open: int
    due_today: int
    overdue: int


def count_cases(cases: Iterable[Case], today: str) -> CaseCounts:
    """Open means not yet closed; due dates compare as ISO strings."""
    still_open = [c for c in cases if c.status != CaseStatus.CLOSED]
    return CaseCounts(
        open=len(still_open),
        due_today=sum(1 for c in still_open if c.due == today),
        overdue=sum(1 for c in still_open if c.due and c.due < today),
    )


@dataclass(frozen=True)
class DaySummary:
    day: str
    compounds: tuple[str, ...]  # Compound ids of the sessions held
    visits: int
    handled: int
    logged: int
    undecided: int


def summarise_day(
    day: str, sessions: Iterable[ServiceSession], visits: Iterable[Visit]
) -> DaySummary:
    visit_list = list(visits)
    return DaySummary(
        day=day,
        compounds=tuple(dict.fromkeys(s.compound for s in sessions)),
        visits=len(visit_list),
        handled=sum(1 for v in visit_list if v.status == VisitStatus.HANDLED),
        logged=sum(1 for v in visit_list if v.status == VisitStatus.LOGGED),
        undecided=sum(1 for v in visit_list if v.status == VisitStatus.OPEN),
    )

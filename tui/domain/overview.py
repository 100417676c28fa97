"""Figures for the home screen: where the open cases stand, what a day held
(at this desk's compound, and apart from it what other sessions that day,
another team's after laptops' folders were merged, held)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tui.domain.records import Case, ServiceSession, Ticket, Visit
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


def desk_day(
    day: str,
    sessions: Iterable[ServiceSession],
    visits: Iterable[Visit],
    tickets: Iterable[Ticket] = (),
    *,
    device: str = "",
) -> tuple[DaySummary, ...]:
    """A day as a desk tells it: first this desk's session's compound
    (queue.desk_session: the one laptop `device` opened or worked in, else
    the open one, else the latest opened), its sessions and its visits, with
    those whose session is not known (queue.visits_at); then each other
    compound's sessions that day, with their own visits only. Never one
    compound's visits counted under another. A day without sessions: one
    summary of every visit."""
    sessions, visits = list(sessions), list(visits)
    if len({s.compound for s in sessions}) < 2:  # the usual day: read as it is, quickly
        return (summarise_day(day, sessions, visits),)
    # The queue's rules are not loaded before the first frame (docs/BENCHMARKS.md).
    from tui.domain.queue import desk_session, visit_compounds, visits_at

    desk = desk_session(sessions, device=device, visits=visits, tickets=tickets)
    assert desk is not None
    places = visit_compounds(visits, sessions)
    others = dict.fromkeys(s.compound for s in sessions if s.compound != desk.compound)
    return (
        summarise_day(
            day,
            [s for s in sessions if s.compound == desk.compound],
            visits_at(visits, sessions, desk.compound),
        ),
        *(
            summarise_day(
                day,
                [s for s in sessions if s.compound == compound],
                [v for v in visits if places[v.id] == compound],
            )
            for compound in others
        ),
    )

"""What the hand-over reports hold, computed from records: a day (summary,
every visit, open cases grouped by owner) and a month (sessions per compound
against the rotation target, share handled on the spot, days to close,
overdue cases). Rendering to md/csv/xlsx/json is tui.report's job."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from tui.domain.cases import is_overdue
from tui.domain.records import Case, Compound, ServiceSession, Ticket, Visit
from tui.domain.review import CheckItem, DayGlance, checklist, glance

SESSIONS_TARGET = 3  # the office aims at three sessions a month at each compound


class ReportError(ValueError):
    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(code)


@dataclass(frozen=True)
class OwnerGroup:
    owner_kind: str  # staff | party
    owner: str  # id ("" when nobody owns the cases yet)
    cases: tuple[Case, ...]


@dataclass(frozen=True)
class DayReport:
    day: str
    today: str  # when the report was made: overdue is judged against it
    sessions: tuple[ServiceSession, ...]
    glance: DayGlance
    visits: tuple[Visit, ...]
    tickets: dict[str, Ticket]  # by id
    cases: dict[str, Case]  # the day's cases, open or closed, by id
    groups: tuple[OwnerGroup, ...]  # open cases by owner
    checks: tuple[CheckItem, ...]


def month_days(month: str) -> tuple[str, str]:
    """First and last day of YYYY-MM, or ReportError."""
    try:
        if len(month) != 7:
            raise ValueError(month)
        first = date.fromisoformat(f"{month}-01")
    except ValueError:
        raise ReportError("report.bad_month", value=month) from None
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first.isoformat(), date.fromordinal(following.toordinal() - 1).isoformat()


def day_report(
    day: str,
    today: str,
    sessions: Sequence[ServiceSession],
    visits: Sequence[Visit],
    tickets: Sequence[Ticket],
    cases: Iterable[Case],
    earlier: Iterable[Visit] = (),
) -> DayReport:
    """`cases` may hold any cases; those of the day's visits are kept."""
    if not sessions and not visits:
        raise ReportError("report.empty_day", day=day)
    visit_ids = {v.id for v in visits}
    mine = {c.id: c for c in cases if c.visit in visit_ids}
    still_open = {i: c for i, c in mine.items() if c.status != "closed"}
    groups: dict[tuple[str, str], list[Case]] = {}
    for case in still_open.values():
        groups.setdefault((case.owner_kind, case.owner), []).append(case)
    ordered = tuple(
        OwnerGroup(kind, owner, tuple(sorted(group, key=lambda c: (c.due, c.name))))
        for (kind, owner), group in sorted(
            groups.items(), key=lambda kv: (kv[0][0] != "party", kv[0])
        )
    )
    ordered_visits = tuple(sorted(visits, key=lambda v: v.created_at))
    return DayReport(
        day=day,
        today=today,
        sessions=tuple(sessions),
        glance=glance(day, ordered_visits, tickets, earlier),
        visits=ordered_visits,
        tickets={t.id: t for t in tickets},
        cases=mine,
        groups=ordered,
        checks=tuple(checklist(ordered_visits, tickets, still_open)),
    )


@dataclass(frozen=True)
class CompoundSessions:
    compound: str
    days: tuple[str, ...]  # session days held there in the month

    @property
    def sessions(self) -> int:
        return len(self.days)


@dataclass(frozen=True)
class MonthReport:
    month: str
    today: str
    compounds: tuple[CompoundSessions, ...]  # every compound, fewest sessions first
    sessions: int
    visits: int
    handled: int
    logged: int
    undecided: int
    closed: int  # of the month's cases
    median_days_to_close: float | None
    overdue: tuple[Case, ...]
    by_category: tuple[tuple[str, int, int], ...]  # code, visits, handled

    @property
    def handled_share(self) -> float | None:
        decided = self.handled + self.logged
        return self.handled / decided if decided else None

    @property
    def below_target(self) -> tuple[CompoundSessions, ...]:
        return tuple(c for c in self.compounds if c.sessions < SESSIONS_TARGET)


def month_report(
    month: str,
    today: str,
    compounds: Sequence[Compound],
    sessions: Sequence[ServiceSession],
    visits: Sequence[Visit],
    cases: Iterable[Case],
) -> MonthReport:
    first, last = month_days(month)
    sessions = [s for s in sessions if first <= s.day <= last]
    visits = [v for v in visits if first <= v.day <= last]
    if not sessions and not visits:
        raise ReportError("report.empty_month", month=month)
    held: dict[str, list[str]] = {c.id: [] for c in compounds}
    for session in sessions:
        held.setdefault(session.compound, []).append(session.day)
    visit_ids = {v.id for v in visits}
    mine = [c for c in cases if c.visit in visit_ids]
    closed = [c for c in mine if c.status == "closed" and c.closed_at]
    days_to_close = [
        (date.fromisoformat(c.closed_at[:10]) - date.fromisoformat(c.day)).days for c in closed
    ]
    by_code: dict[str, list[Visit]] = {}
    for visit in visits:
        by_code.setdefault(visit.category, []).append(visit)
    return MonthReport(
        month=month,
        today=today,
        compounds=tuple(
            sorted(
                (CompoundSessions(cid, tuple(sorted(days))) for cid, days in held.items()),
                key=lambda c: (c.sessions, c.compound),
            )
        ),
        sessions=len(sessions),
        visits=len(visits),
        handled=sum(v.status == "handled" for v in visits),
        logged=sum(v.status == "logged" for v in visits),
        undecided=sum(v.status == "open" for v in visits),
        closed=len(closed),
        median_days_to_close=statistics.median(days_to_close) if days_to_close else None,
        overdue=tuple(sorted((c for c in mine if is_overdue(c, today)), key=lambda c: c.due)),
        by_category=tuple(
            (code, len(group), sum(v.status == "handled" for v in group))
            for code, group in sorted(by_code.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        ),
    )

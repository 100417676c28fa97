"""What the hand-over reports hold, computed from records: a day (summary,
every visit, open cases grouped by owner) and a month (outings against the
community's monthly target, days since each compound's last outing, share
handled on the spot, days to close, overdue cases). Rendering to
md/csv/xlsx/json is tui.report's job."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from tui.domain.cases import is_overdue
from tui.domain.errors import CodedError
from tui.domain.records import Case, Compound, ServiceSession, Ticket, Visit
from tui.domain.review import CheckItem, DayGlance, checklist, glance
from tui.domain.states import CaseStatus, OwnerKind, VisitStatus

# The office takes the desk out at least three times a month for the whole
# community, rotating among its compounds: 3 outings a month, not 3 at each
# compound (17 x 3 would be 51).
SESSIONS_TARGET = 3
# A compound is flagged when its last outing is more than this many days back.
# At 3 outings a month, 17 compounds come round once in about 170 days
# (17 / 3 months): a compound past half a year has been passed over.
NOT_VISITED_DAYS = 180
# How far back the month report looks for a compound's last outing.
LOOKBACK_DAYS = 365


class ReportError(CodedError, ValueError):
    """A refusal with a message id (CodedError)."""


@dataclass(frozen=True)
class OwnerGroup:
    owner_kind: OwnerKind
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
    still_open = {i: c for i, c in mine.items() if c.status != CaseStatus.CLOSED}
    groups: dict[tuple[OwnerKind, str], list[Case]] = {}
    for case in still_open.values():
        groups.setdefault((case.owner_kind, case.owner), []).append(case)
    ordered = tuple(
        OwnerGroup(kind, owner, tuple(sorted(group, key=lambda c: (c.due, c.name))))
        for (kind, owner), group in sorted(
            groups.items(), key=lambda kv: (kv[0][0] != OwnerKind.PARTY, kv[0])
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
    last: str = ""  # the last outing there by the month's end (or today), "" if none
    since: int | None = None  # days from `last` to that day; None: none within LOOKBACK_DAYS

    @property
    def sessions(self) -> int:
        return len(self.days)

    @property
    def long_unvisited(self) -> bool:
        return self.since is None or self.since > NOT_VISITED_DAYS


@dataclass(frozen=True)
class MonthReport:
    month: str
    today: str
    compounds: tuple[CompoundSessions, ...]  # longest since the last outing first
    sessions: int  # outings in the month, for the whole community
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
    def on_target(self) -> bool:
        return self.sessions >= SESSIONS_TARGET

    @property
    def long_unvisited(self) -> tuple[CompoundSessions, ...]:
        return tuple(c for c in self.compounds if c.long_unvisited)


def month_report(
    month: str,
    today: str,
    compounds: Sequence[Compound],
    sessions: Sequence[ServiceSession],
    visits: Sequence[Visit],
    cases: Iterable[Case],
    earlier: Mapping[str, str] | None = None,
) -> MonthReport:
    """`earlier`: compound id to the day of its last outing before the month
    (within LOOKBACK_DAYS). Retired compounds are listed only when visited."""
    first, last = month_days(month)
    sessions = [s for s in sessions if first <= s.day <= last]
    visits = [v for v in visits if first <= v.day <= last]
    if not sessions and not visits:
        raise ReportError("report.empty_month", month=month)
    held: dict[str, list[str]] = {c.id: [] for c in compounds if c.active}
    names = {c.id: c.name for c in compounds}
    for session in sessions:
        held.setdefault(session.compound, []).append(session.day)
    until = min(last, today)  # days since the last outing, at the month's end or today
    lasts = dict(earlier or {})
    for session in sessions:
        if session.day <= until and session.day > lasts.get(session.compound, ""):
            lasts[session.compound] = session.day
    visit_ids = {v.id for v in visits}
    mine = [c for c in cases if c.visit in visit_ids]
    closed = [c for c in mine if c.status == CaseStatus.CLOSED and c.closed_at]
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
                (
                    CompoundSessions(
                        cid, tuple(sorted(days)), lasts.get(cid, ""), _since(lasts.get(cid), until)
                    )
                    for cid, days in held.items()
                ),
                key=lambda c: (
                    -(LOOKBACK_DAYS + 1 if c.since is None else c.since),
                    names.get(c.compound, c.compound),
                ),
            )
        ),
        sessions=len(sessions),
        visits=len(visits),
        handled=sum(v.status == VisitStatus.HANDLED for v in visits),
        logged=sum(v.status == VisitStatus.LOGGED for v in visits),
        undecided=sum(v.status == VisitStatus.OPEN for v in visits),
        closed=len(closed),
        median_days_to_close=statistics.median(days_to_close) if days_to_close else None,
        overdue=tuple(sorted((c for c in mine if is_overdue(c, today)), key=lambda c: c.due)),
        by_category=tuple(
            (code, len(group), sum(v.status == VisitStatus.HANDLED for v in group))
            for code, group in sorted(by_code.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        ),
    )


def _since(day: str | None, until: str) -> int | None:
    if not day:
        return None
    days = (date.fromisoformat(until) - date.fromisoformat(day)).days
    return days if days <= LOOKBACK_DAYS else None

"""The month's rotation plan: which compounds the desk goes to, on which days,
with whom.

The office takes the desk out at least SESSIONS_TARGET times a month for the
whole community, rotating among its compounds. Each active compound gets a
score; the highest-scoring ones are proposed, one outing each:

    score = days since the last outing there (counted up to 365; never, or
              not within 365 days, counts 365)
          + 3 for each open case there (Case.compound, status not closed)
          + 10 more for each of those that is overdue (due before today)
          + 15 for each next-session request waiting there (status open)
          + 0.5 for each eligible elderly resident there not yet certified
              this quarter (tui/domain/certification.py)

A day without the desk weighs one point, so a compound not visited for two
months outranks one visited last week unless it has far more waiting there;
an overdue case is worth ten days, a waiting request fifteen, two residents
still to certify one. Ties go by compound name.

Outings are proposed on working days (Monday to Friday, calendar.py) spread
evenly over the month, never before today. Outings stored for the month
(accepted, or moved or swapped by staff) stay as they are and count towards
the number wanted; so do sessions already held this month at a compound with
no stored outing that day. Each outing brings the compound's grid worker and
the staff who own its open cases.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from tui.domain.cases import is_overdue
from tui.domain.errors import CodedError
from tui.domain.records import Case, Compound, Outing, ServiceSession, SessionRequest
from tui.domain.report import SESSIONS_TARGET, ReportError, month_days
from tui.domain.states import STORED_OUTING, CaseStatus, OutingStatus, OwnerKind, RequestStatus

DAYS_CAP = 365  # days since the last outing count up to this
WEIGHT_DAY = 1.0
WEIGHT_OPEN_CASE = 3.0
WEIGHT_OVERDUE = 10.0  # on top of WEIGHT_OPEN_CASE
WEIGHT_REQUEST = 15.0
WEIGHT_UNCERTIFIED = 0.5
STATUSES = STORED_OUTING  # what an outing is stored with


class PlanError(CodedError, ValueError):
    """A plan that cannot be made or changed; `code` is the message id."""


@dataclass(frozen=True)
class CompoundScore:
    compound: str  # Compound id
    score: float
    last: str  # the day of the last outing there, "" when none within DAYS_CAP
    days_since: int  # up to DAYS_CAP
    open_cases: int
    overdue: int
    requests: int
    uncertified: int


@dataclass(frozen=True)
class PlannedOuting:
    day: str
    compound: str
    staff: tuple[str, ...]
    status: OutingStatus  # PROPOSED when not stored
    outing: Outing | None = None  # the stored record

    @property
    def stored(self) -> bool:
        return self.outing is not None


@dataclass(frozen=True)
class MonthPlan:
    month: str
    today: str
    wanted: int  # outings wanted this month
    held: int  # sessions already held this month without a stored outing
    outings: tuple[PlannedOuting, ...]  # accepted first, then by day
    ranking: tuple[CompoundScore, ...]  # every active compound, highest score first

    @property
    def proposed(self) -> tuple[PlannedOuting, ...]:
        return tuple(o for o in self.outings if o.status != OutingStatus.ACCEPTED)


def check_month(month: str) -> tuple[str, str]:
    """First and last day of YYYY-MM, or PlanError plan.bad_month."""
    try:
        return month_days(month)
    except ReportError:
        raise PlanError("plan.bad_month", value=month) from None


def working_days(month: str, today: str) -> list[str]:
    """The month's working days from today on."""
    first, last = check_month(month)
    current, end = date.fromisoformat(max(first, today)), date.fromisoformat(last)
    days = []
    while current <= end:
        if current.weekday() < 5:
            days.append(current.isoformat())
        current += timedelta(days=1)
    return days


def score(
    compound: str,
    last: str,
    today: str,
    cases: Sequence[Case],
    requests: int,
    uncertified: int,
) -> CompoundScore:
    """One compound's score (see the module's docstring); `cases` are its open cases."""
    days = DAYS_CAP
    if last:
        days = min(DAYS_CAP, max(0, (date.fromisoformat(today) - date.fromisoformat(last)).days))
    overdue = sum(is_overdue(c, today) for c in cases)
    total = (
        WEIGHT_DAY * days
        + WEIGHT_OPEN_CASE * len(cases)
        + WEIGHT_OVERDUE * overdue
        + WEIGHT_REQUEST * requests
        + WEIGHT_UNCERTIFIED * uncertified
    )
    return CompoundScore(
        compound=compound,
        score=total,
        last=last,
        days_since=days,
        open_cases=len(cases),
        overdue=overdue,
        requests=requests,
        uncertified=uncertified,
    )


def rank(
    compounds: Sequence[Compound],
    today: str,
    last_outings: Mapping[str, str],
    cases: Iterable[Case],
    requests: Iterable[SessionRequest],
    uncertified: Mapping[str, int],
) -> list[CompoundScore]:
    """Every active compound, highest score first (ties by name). `last_outings`:
    compound id to the day of its last outing on or before today."""
    open_cases: dict[str, list[Case]] = {}
    for case in cases:
        if case.status != CaseStatus.CLOSED:
            open_cases.setdefault(case.compound, []).append(case)
    waiting: dict[str, int] = {}
    for request in requests:
        if request.status == RequestStatus.OPEN:
            waiting[request.compound] = waiting.get(request.compound, 0) + 1
    names = {c.id: c.name for c in compounds}
    scores = [
        score(
            c.id,
            last_outings.get(c.id, ""),
            today,
            open_cases.get(c.id, []),
            waiting.get(c.id, 0),
            uncertified.get(c.id, 0),
        )
        for c in compounds
        if c.active
    ]
    return sorted(scores, key=lambda s: (-s.score, names[s.compound], s.compound))


def staff_for(compound: Compound | None, cases: Iterable[Case], active: Iterable[str]) -> list[str]:
    """The compound's grid worker, then the staff who own its open cases
    (active staff only, each once)."""
    if compound is None:
        return []
    allowed = set(active)
    owners = sorted(
        c.owner
        for c in cases
        if c.compound == compound.id
        and c.status != CaseStatus.CLOSED
        and c.owner_kind == OwnerKind.STAFF
    )
    found = [s for s in dict.fromkeys([compound.grid_worker, *owners]) if s in allowed]
    return found


def spread(days: Sequence[str], count: int) -> list[str]:
    """`count` days spread evenly over `days` (the middle of each equal share);
    the same day again only when there are fewer days than outings."""
    if count <= 0 or not days:
        return []
    if count >= len(days):
        return [days[i % len(days)] for i in range(count)]
    return [days[int((i + 0.5) * len(days) / count)] for i in range(count)]


def propose(
    month: str,
    today: str,
    compounds: Sequence[Compound],
    ranking: Sequence[CompoundScore],
    stored: Sequence[Outing],
    cases: Sequence[Case],
    active_staff: Iterable[str],
    held: Sequence[ServiceSession] = (),
    wanted: int = SESSIONS_TARGET,
) -> MonthPlan:
    """The month's plan: the stored outings as they are, then new ones at the
    best-ranked compounds not yet in it, until `wanted` outings (held sessions
    count) are reached. PlanError when the month has no working day left."""
    check_month(month)
    if wanted < 0:
        raise PlanError("plan.bad_count", value=wanted)
    days_left = working_days(month, today)
    first, last = month_days(month)
    mine = [o for o in stored if o.month == month]
    booked = {(o.day, o.compound) for o in mine}
    held_now = [s for s in held if first <= s.day <= last and (s.day, s.compound) not in booked]
    need = max(0, wanted - len(mine) - len(held_now))
    if need and not days_left:
        raise PlanError("plan.no_days_left", month=month)
    taken = {o.compound for o in mine} | {s.compound for s in held_now}
    by_id = {c.id: c for c in compounds}
    # One outing a day (one desk goes out): late in a month fewer may fit, and
    # the plan then says the month falls short rather than doubling up a day.
    free = [d for d in days_left if d not in {o.day for o in mine}]
    chosen = [s for s in ranking if s.compound not in taken and s.compound in by_id]
    chosen = chosen[: min(need, len(free))]
    staff = list(active_staff)
    new = [
        PlannedOuting(
            day,
            s.compound,
            tuple(staff_for(by_id[s.compound], cases, staff)),
            OutingStatus.PROPOSED,
        )
        for day, s in zip(spread(free, len(chosen)), chosen, strict=True)
    ]
    kept = [PlannedOuting(o.day, o.compound, tuple(o.staff), o.status, o) for o in mine]
    ordered = sorted(
        [*kept, *new], key=lambda o: (o.status != OutingStatus.ACCEPTED, o.day, o.compound)
    )
    return MonthPlan(
        month=month,
        today=today,
        wanted=wanted,
        held=len(held_now),
        outings=tuple(ordered),
        ranking=tuple(ranking),
    )


def as_record(planned: PlannedOuting, month: str, status: OutingStatus) -> Outing:
    """The outing to store with `status`: the stored record changed, or a new one."""
    if status not in STATUSES:
        raise PlanError("plan.bad_status", value=status)
    if planned.outing is not None:
        return dataclasses.replace(
            planned.outing,
            day=planned.day,
            compound=planned.compound,
            staff=list(planned.staff),
            status=status,
        )
    return Outing(
        month=month,
        day=planned.day,
        compound=planned.compound,
        staff=list(planned.staff),
        status=status,
    )


def accept(plan: MonthPlan, which: Sequence[PlannedOuting] | None = None) -> list[Outing]:
    """The records that accept `which` outings (default: the whole plan);
    those already accepted are left out, so accepting twice stores nothing."""
    chosen = plan.outings if which is None else which
    return [
        as_record(o, plan.month, OutingStatus.ACCEPTED)
        for o in chosen
        if o.status != OutingStatus.ACCEPTED
    ]


def _changed(status: OutingStatus) -> OutingStatus:
    """The status a moved or swapped outing is stored with: an accepted one
    stays accepted, a proposed or planned one is planned."""
    return OutingStatus.ACCEPTED if status == OutingStatus.ACCEPTED else OutingStatus.PLANNED


def move(plan: MonthPlan, planned: PlannedOuting, day: str) -> Outing:
    """The outing moved to `day`: a working day of the plan's month, not in
    the past. A proposed outing is stored as planned; an accepted one stays so."""
    first, last = check_month(plan.month)
    if not first <= day <= last:
        raise PlanError("plan.not_in_month", day=day, month=plan.month)
    if date.fromisoformat(day).weekday() >= 5:
        raise PlanError("plan.not_working_day", day=day)
    if day < plan.today:
        raise PlanError("plan.in_the_past", day=day)
    return as_record(dataclasses.replace(planned, day=day), plan.month, _changed(planned.status))


def swap(
    plan: MonthPlan,
    planned: PlannedOuting,
    compound: Compound,
    cases: Sequence[Case],
    active_staff: Iterable[str],
) -> list[Outing]:
    """The highlighted outing goes to `compound` instead: if another outing of
    the plan goes there, that one takes this one's compound (each with its
    staff). Proposed outings are stored as planned."""
    if not compound.active:
        raise PlanError("plan.retired", compound=compound.name)
    if compound.id == planned.compound:
        raise PlanError("plan.same_compound", compound=compound.name)
    staff = list(active_staff)
    other = next((o for o in plan.outings if o.compound == compound.id and o != planned), None)
    here = dataclasses.replace(
        planned, compound=compound.id, staff=tuple(staff_for(compound, cases, staff))
    )
    changed = [here]
    if other is not None:
        changed.append(dataclasses.replace(other, compound=planned.compound, staff=planned.staff))
    return [as_record(o, plan.month, _changed(o.status)) for o in changed]


def planned_today(outings: Iterable[Outing], today: str) -> Outing | None:
    """Today's accepted outing, if any (the session dialog suggests it)."""
    found = [o for o in outings if o.day == today and o.status == OutingStatus.ACCEPTED]
    return min(found, key=lambda o: o.created_at) if found else None

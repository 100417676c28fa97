"""Synthetic session days: sessions, visits, queue tickets and follow-up cases,
with believable times and every state in realistic proportions."""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from tui.domain.calendar import CST
from tui.domain.cases import (
    REPLY_CHANNELS,
    Owner,
    advance,
    default_due,
    default_owner,
    handle_now,
    log_for_later,
)
from tui.domain.queue import FINAL
from tui.domain.records import (
    Case,
    Certification,
    Compound,
    Record,
    ServiceSession,
    SessionRequest,
    Ticket,
    Visit,
    iso,
)
from tui.domain.states import (
    CaseStatus,
    CaseStep,
    QueueAction,
    RequestStatus,
    SessionStatus,
    TicketStatus,
    Triage,
    VisitMode,
)
from tui.domain.synth.community import Community, seeded_id
from tui.domain.synth.names import mobile, person_name
from tui.domain.synth.stories import (
    NEXT_SESSION_REQUESTS,
    OVERRIDE_REASONS,
    REPLIES,
    outcome_text,
    pick_category,
    request_text,
)

DEVICE = "gen"
LIVE_TAIL = 8  # on a day under way: 6 waiting, 1 called, 1 being served
CASE_STEPS = tuple(CaseStatus)  # in the lifecycle's order


@dataclass
class DayData:
    session: ServiceSession
    visits: list[Visit] = field(default_factory=list)
    tickets: list[Ticket] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    requests: list[SessionRequest] = field(default_factory=list)
    certifications: list[Certification] = field(default_factory=list)

    def records(self) -> list[Record]:
        return [
            self.session,
            *self.visits,
            *self.tickets,
            *self.cases,
            *self.requests,
            *self.certifications,
        ]


def session_days(rng: random.Random, start: date, end: date, per_month: int) -> list[date]:
    """`per_month` working days in each month between start and end (inclusive)."""
    days: list[date] = []
    month = date(start.year, start.month, 1)
    while month <= end:
        following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        candidates = [
            month + timedelta(days=i)
            for i in range((following - month).days)
            if (month + timedelta(days=i)).weekday() < 5
            and start <= month + timedelta(days=i) <= end
        ]
        days += sorted(rng.sample(candidates, min(per_month, len(candidates))))
        month = following
    return days


REQUEST_SHARE = 0.3  # of finished sessions, one request for the next session there
REQUEST_MET = 0.8  # share of those met at the next session


def next_session_request(session: ServiceSession) -> SessionRequest | None:
    """Sometimes residents ask the next session at their compound to bring
    something. Drawn from the session's own id, so adding requests leaves the
    rest of a generated history as it was."""
    rng = random.Random(session.id)
    if session.status != SessionStatus.CLOSED or rng.random() >= REQUEST_SHARE:
        return None
    return noted_request(session, rng.choice(NEXT_SESSION_REQUESTS), rng)


def noted_request(session: ServiceSession, text: str, rng: random.Random) -> SessionRequest:
    request = SessionRequest(
        id=seeded_id(rng),
        compound=session.compound,
        day=session.day,
        session=session.id,
        text=text,
    )
    moment = datetime.fromisoformat(session.closed_at or session.opened_at) + timedelta(hours=3)
    _stamp(request, moment, moment, 1, session.by)
    return request


def meet_requests(requests: list[SessionRequest], session: ServiceSession) -> list[SessionRequest]:
    """The requests a session at their compound met (most of them); the rest stay open."""
    rng = random.Random(f"{session.id}-met")
    still_open = []
    for request in requests:
        if session.status == SessionStatus.CLOSED and rng.random() < REQUEST_MET:
            request.status = RequestStatus.DONE
            request.done_day, request.done_session = session.day, session.id
            moment = datetime.fromisoformat(session.closed_at)
            _stamp(request, datetime.fromisoformat(request.created_at), moment, 2, session.by)
        else:
            still_open.append(request)
    return still_open


def _stamp(record: Record, created: datetime, updated: datetime, rev: int, by: str) -> None:
    record.rev = rev
    record.created_at = iso(created)
    record.updated_at = iso(updated)
    record.device = DEVICE
    record.by = by


def _case_status(rng: random.Random, age_days: int) -> CaseStatus:
    if age_days > 45:
        weights = (0, 0.3, 0.3, 0.3, 1, 98)
    elif age_days > 10:
        weights = (2, 8, 15, 10, 15, 50)
    else:
        weights = (25, 25, 20, 10, 10, 10)
    return rng.choices(CASE_STEPS, weights=weights)[0]


def _final_status(rng: random.Random) -> TicketStatus:
    """A finished ticket's outcome: mostly served, some no-shows and cancellations."""
    return rng.choices(FINAL, weights=(92, 6, 2))[0]


def generate_day(
    rng: random.Random,
    community: Community,
    day: date,
    compound: Compound,
    today: date,
    visits: int = 50,
    finished: bool | None = None,
) -> DayData:
    """One session day at one compound; `today` decides how far cases have got.

    A finished day has its session closed and every ticket in a final state;
    by default days more than one day before `today` are finished.
    """
    start = datetime.combine(day, time(14, 0), CST)
    grid_worker = community.grid_worker_of(compound.id)
    on_duty = [grid_worker, *rng.sample(community.staff, 5)]
    on_duty = list({s.id: s for s in on_duty}.values())
    if finished is None:
        finished = (today - day).days > 1
    session = ServiceSession(
        id=seeded_id(rng),
        day=day.isoformat(),
        compound=compound.id,
        staff=[s.id for s in on_duty],
        desks=2,
        status=SessionStatus.CLOSED if finished else SessionStatus.OPEN,
        opened_at=iso(start),
        closed_at=iso(start + timedelta(hours=3, minutes=40)) if finished else "",
    )
    _stamp(
        session,
        start,
        start + timedelta(hours=3, minutes=40),
        2 if finished else 1,
        on_duty[0].name,
    )
    data = DayData(session=session)
    residents = community.residents_of(compound.id)
    categories = {c.code: c for c in community.categories}
    seq: dict[str, int] = {}
    for n in range(visits):
        arrived = start + timedelta(minutes=n * 200 // max(visits, 1) + rng.randint(0, 3))
        staff = rng.choice(on_duty)
        code = pick_category(rng)
        category = categories[code]
        resident = rng.choice(residents) if residents and rng.random() < 0.85 else None
        visit = Visit(
            id=seeded_id(rng),
            day=day.isoformat(),
            session=session.id,
            resident=resident.id if resident else "",
            name=resident.name if resident else person_name(rng),
            phone=resident.phone if resident else (mobile(rng) if rng.random() < 0.6 else ""),
            compound=compound.id,
            building=resident.building if resident else rng.choice(compound.buildings),
            unit=resident.unit if resident else "",
            room=resident.room if resident else "",
            category=code,
            flags=list(resident.flags) if resident else [],
            mode=VisitMode.QUEUE if rng.random() < 0.85 else VisitMode.NOW,
        )
        # A day under way: the latest arrivals still wait, the two before them are
        # at the desks (one called, one being served); earlier ones are finished.
        tail = visits - n
        live = (
            None
            if finished or tail > LIVE_TAIL
            else (
                TicketStatus.WAITING
                if tail <= LIVE_TAIL - 2
                else (TicketStatus.CALLED if tail == LIVE_TAIL - 1 else TicketStatus.SERVING)
            )
        )
        if live:
            visit.mode = VisitMode.QUEUE
        visit.description = request_text(rng, code, visit.building, visit.unit)
        if "aged80" in visit.flags or "mobility" in visit.flags:
            visit.flags.append("priority")
        served = arrived + timedelta(minutes=rng.randint(2, 25))
        done = served + timedelta(minutes=rng.randint(3, 15))
        status = TicketStatus.DONE
        if visit.mode == VisitMode.QUEUE:
            letter = category.letter
            seq[letter] = seq.get(letter, 0) + 1
            status = live or _final_status(rng)
            ticket = _ticket(
                rng, visit, letter, seq[letter], status, arrived, served, done, staff.name
            )
            visit.ticket = ticket.id
            data.tickets.append(ticket)
        if status == TicketStatus.DONE:
            visit = _triage(
                rng,
                data,
                visit,
                category.triage,
                community,
                compound,
                staff.name,
                done,
                today,
            )
        else:
            _stamp(visit, arrived, arrived, 1, staff.name)
        data.visits.append(visit)
    return data


def _ticket(
    rng: random.Random,
    visit: Visit,
    letter: str,
    seq: int,
    status: TicketStatus,
    issued: datetime,
    served: datetime,
    done: datetime,
    by: str,
) -> Ticket:
    ticket = Ticket(
        id=seeded_id(rng),
        day=visit.day,
        number=f"{letter}{seq:03d}",
        letter=letter,
        seq=seq,
        visit=visit.id,
        priority="priority" in visit.flags,
        issued_at=iso(issued),
    )
    steps: list[tuple[TicketStatus, datetime]] = [(TicketStatus.WAITING, issued)]
    called = served - timedelta(minutes=1)
    if status in (
        TicketStatus.CALLED,
        TicketStatus.SERVING,
        TicketStatus.DONE,
        TicketStatus.NO_SHOW,
    ):
        ticket.desk = rng.randint(1, 2)
        ticket.called_at = iso(called)
        steps.append((TicketStatus.CALLED, called))
    if status == TicketStatus.NO_SHOW:
        ticket.recalls = 2
        steps.append((TicketStatus.NO_SHOW, called + timedelta(minutes=4)))
    if status in (TicketStatus.SERVING, TicketStatus.DONE):
        ticket.serving_at = iso(served)
        steps.append((TicketStatus.SERVING, served))
    if status == TicketStatus.DONE:
        ticket.done_at = iso(done)
        steps.append((TicketStatus.DONE, done))
    if status == TicketStatus.CANCELLED:
        steps.append((TicketStatus.CANCELLED, issued + timedelta(minutes=10)))
    ticket.status = status
    actions = {
        TicketStatus.WAITING: QueueAction.ISSUE,
        TicketStatus.CALLED: QueueAction.CALL,
        TicketStatus.SERVING: QueueAction.SERVE,
        TicketStatus.DONE: QueueAction.DONE,
        TicketStatus.NO_SHOW: QueueAction.NO_SHOW,
        TicketStatus.CANCELLED: QueueAction.CANCEL,
    }
    ticket.history = [
        {
            "at": iso(at),
            "status": step,
            "desk": ticket.desk if step != TicketStatus.WAITING else 0,
            "by": by,
            "action": actions[step],
        }
        for step, at in steps
    ]

    _stamp(ticket, issued, steps[-1][1], len(steps), by)
    return ticket


def _triage(
    rng: random.Random,
    data: DayData,
    visit: Visit,
    suggested: Triage,
    community: Community,
    compound: Compound,
    by: str,
    at: datetime,
    today: date,
) -> Visit:
    """Decide the visit as staff would, through the same domain rules the app uses."""
    decision, reason = suggested, ""
    if rng.random() < 0.08:
        decision = Triage.LATER if suggested == Triage.NOW else Triage.NOW
        reason = rng.choice(OVERRIDE_REASONS)
    if decision == Triage.NOW:
        visit = handle_now(
            visit, outcome_text(rng, visit.category), suggested=suggested, override_reason=reason
        )
        _stamp(visit, at, at, 2, by)
        return visit
    category = next(c for c in community.categories if c.code == visit.category)
    desk = next(s.id for s in community.staff if s.name == by)
    owner = default_owner(category, compound, community.staff, community.parties, desk)
    assert owner is not None  # the synthetic community staffs every rule
    visit, case = log_for_later(
        visit,
        owner,
        default_due(visit.day, category),
        rng.choice(REPLY_CHANNELS),
        "",
        suggested=suggested,
        now=at,
        by=by,
        override_reason=reason,
    )
    case = dataclasses.replace(case, id=seeded_id(rng))  # seeded: same data every run
    visit = dataclasses.replace(visit, case=case.id)
    _stamp(visit, at, at, 2, by)
    age = (today - date.fromisoformat(visit.day)).days
    data.cases.append(_follow(rng, case, _case_status(rng, age), owner, at, today, by))
    return visit


def _follow(
    rng: random.Random,
    case: Case,
    status: CaseStatus,
    owner: Owner,
    logged_at: datetime,
    today: date,
    by: str,
) -> Case:
    """Take the case as far as `status` through domain.cases.advance, so the
    timeline, replies and reopenings obey the same rules as in the app."""
    reach = CASE_STEPS.index(status)
    limit = datetime.combine(today, time(18, 0), CST)
    moment = logged_at

    def step(action: CaseStep, **kwargs: Any) -> None:
        nonlocal case, moment
        moment = min(moment + timedelta(hours=rng.randint(2, 72)), limit)
        case = advance(case, action, now=moment, by=by, **kwargs)

    if reach >= 1:
        step(CaseStep.ASSIGN, owner=owner)
    if reach >= 2:
        step(CaseStep.START)
    if reach >= 3:
        step(CaseStep.RESOLVE, note=outcome_text(rng, case.category))
    if reach >= 4:
        # A resident is sometimes not satisfied: that reopens the case, which is
        # resolved again and the resident told again.
        while True:
            satisfied = rng.random() < 0.93 or case.reopen_count >= 2
            step(
                CaseStep.REPLY,
                reply={"channel": case.reply_via, "satisfied": satisfied},
                note=rng.choice(REPLIES),
            )
            if satisfied:
                break
            step(CaseStep.RESOLVE, note=outcome_text(rng, case.category))
    if reach >= 5:
        step(CaseStep.CLOSE)
    _stamp(case, logged_at, datetime.fromisoformat(case.timeline[-1]["at"]), len(case.timeline), by)
    return case

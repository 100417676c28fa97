"""Whole data sets: the demo's sample community, and years of history for
benchmarks. Same arguments, same records."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from tui.domain.calendar import CST
from tui.domain.records import Record, SessionRequest, iso
from tui.domain.states import TicketStatus, VisitStatus
from tui.domain.synth.certifications import certifications
from tui.domain.synth.community import Community, build_community
from tui.domain.synth.history import (
    CASE_STEPS,
    DayData,
    generate_day,
    meet_requests,
    next_session_request,
    noted_request,
    session_days,
)
from tui.domain.synth.stories import NEXT_SESSION_REQUESTS

SAMPLE_SEED = 2026
SAMPLE_RESIDENTS = 320
SAMPLE_DAY = date(2026, 11, 20)
SAMPLE_TODAY = date(2026, 11, 27)
SESSIONS_PER_MONTH = 4
VISIT_STATES = tuple(VisitStatus)
TICKET_STATES = tuple(TicketStatus)


def sample() -> tuple[Community, DayData]:
    """The community `fielddesk demo` opens on, with one past session day that
    was never closed, so it holds visits, tickets and cases in every state.

    Seeds are tried from SAMPLE_SEED upward until one covers every state.
    """
    for seed in range(SAMPLE_SEED, SAMPLE_SEED + 100):
        rng = random.Random(seed)
        community = build_community(rng, SAMPLE_RESIDENTS, birth_base=SAMPLE_TODAY.year)
        compound = next(c for c in community.compounds if c.name == "新宁路11号院")
        day = generate_day(
            rng, community, SAMPLE_DAY, compound, SAMPLE_TODAY, visits=52, finished=False
        )
        if covers_every_state(day):
            registered(community.records(), SAMPLE_DAY - timedelta(days=30))
            # Asked at that session for the next one there: the demo shows it
            # when a session at 新宁路11号院 opens.
            day.requests.append(
                noted_request(day.session, NEXT_SESSION_REQUESTS[0], random.Random(seed))
            )
            # Last quarter's certification round done; this one under way.
            cert_rng = random.Random(f"{seed}-certifications")
            for batch in certifications(cert_rng, community, date(2026, 7, 1), SAMPLE_TODAY):
                day.certifications += batch
            return community, day
    raise RuntimeError("no seed covers every state")  # pragma: no cover


def covers_every_state(day: DayData) -> bool:
    return (
        {v.status for v in day.visits} >= set(VISIT_STATES)
        and {t.status for t in day.tickets} >= set(TICKET_STATES)
        and {c.status for c in day.cases} >= set(CASE_STEPS)
    )


def history(seed: int, residents: int, years: int, until: date) -> Iterator[list[Record]]:
    """The community first, then one batch of records per session day.

    Sessions rotate through the compounds, SESSIONS_PER_MONTH a month, for
    `years` years up to `until`.
    """
    rng = random.Random(seed)
    community = build_community(rng, residents, birth_base=until.year)
    start = until - timedelta(days=round(365.25 * years))
    yield registered(community.records(), start - timedelta(days=1))
    days = [d for d in session_days(rng, start, until, SESSIONS_PER_MONTH) if d != until]
    pending: dict[str, list[SessionRequest]] = {}  # compound id -> requests not yet met
    requests: list[SessionRequest] = []
    for index, day in enumerate(days):
        compound = community.compounds[index % len(community.compounds)]
        data = generate_day(rng, community, day, compound, until, visits=rng.randint(35, 60))
        pending[compound.id] = meet_requests(pending.get(compound.id, []), data.session)
        request = next_session_request(data.session)
        if request is not None:
            pending[compound.id].append(request)
            requests.append(request)
        yield data.records()
    # And `until` itself: a session under way, its queue in every state.
    compound = community.compounds[len(days) % len(community.compounds)]
    yield generate_day(rng, community, until, compound, until, visits=50, finished=False).records()
    yield list(requests)  # next-session requests, met or still open
    cert_rng = random.Random(f"{seed}-certifications")  # the rest of the history stays as it was
    for batch in certifications(cert_rng, community, start, until):
        yield list[Record](batch)


def registered(records: list[Record], day: date) -> list[Record]:
    """Stamp registry records as entered once, on `day`, by the generator."""
    moment = iso(datetime.combine(day, time(9, 0), CST))
    for record in records:
        record.rev, record.created_at, record.updated_at = 1, moment, moment
        record.device, record.by = "gen", "gen"
    return records

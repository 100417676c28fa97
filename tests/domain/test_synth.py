"""The generator: deterministic, realistic, and free of real people."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from datetime import date
from pathlib import Path

from tests.conftest import ROOT
from tui.domain.certification import is_eligible, quarter_of
from tui.domain.records import (
    Case,
    Certification,
    Resident,
    ServiceSession,
    SessionRequest,
    StaffMember,
    Ticket,
    Visit,
)
from tui.domain.synth.generate import (
    TICKET_STATES,
    VISIT_STATES,
    history,
    sample,
)
from tui.domain.synth.history import CASE_STEPS

# Hashes of the seed report's Chinese text runs (its people are real, so their
# names are not written into the tests): a clone checks without ../shared.
FRAGMENTS = ROOT / "tests" / "data" / "seed_report_fragments.txt"


def test_sample_community_shape() -> None:
    community, day = sample()
    assert len(community.compounds) == 17
    assert len(community.staff) == 14
    roles = Counter(s.role for s in community.staff)
    assert roles["secretary"] == 1 and roles["grid_worker"] == 6 and roles["governance"] == 1
    assert {p.type for p in community.parties} >= {"police", "property", "legal", "insurer"}
    assert 200 <= len(community.residents) <= 500
    assert 45 <= len(day.visits) <= 60
    names = {c.name for c in community.compounds}
    assert {"五四大街76号院", "新宁路11号院", "新宁花苑"} <= names


def test_sample_day_holds_every_state() -> None:
    _, day = sample()
    assert {v.status for v in day.visits} == set(VISIT_STATES)
    assert {t.status for t in day.tickets} == set(TICKET_STATES)
    assert {c.status for c in day.cases} == set(CASE_STEPS)


def test_generation_is_deterministic() -> None:
    first = [r.to_dict() for batch in history(7, 300, 1, date(2026, 6, 30)) for r in batch]
    second = [r.to_dict() for batch in history(7, 300, 1, date(2026, 6, 30)) for r in batch]
    other = [r.to_dict() for batch in history(8, 300, 1, date(2026, 6, 30)) for r in batch]
    assert first == second
    assert first != other


def test_history_is_realistic() -> None:
    records = [r for batch in history(3, 1000, 1, date(2026, 11, 27)) for r in batch]
    visits = [r for r in records if isinstance(r, Visit)]
    cases = [r for r in records if isinstance(r, Case)]
    tickets = [r for r in records if isinstance(r, Ticket)]
    assert 40 <= len({v.day for v in visits}) <= 53  # ~4 sessions a month, and today
    assert {c.status for c in cases} == set(CASE_STEPS)  # every state of the lifecycle
    assert {v.status for v in visits} == {"open", "handled", "logged"}
    assert all(v.triage_suggested for v in visits if v.status != "open")
    # Old cases are closed, with the reply recorded.
    old = [c for c in cases if c.day < "2026-06-01"]
    assert sum(c.status == "closed" for c in old) / len(old) > 0.9
    assert all(c.reply for c in cases if c.status in ("replied", "closed"))
    # Generated cases obey the app's lifecycle: its action names, no replied or
    # closed case with a dissatisfied resident, and some reopened by one.
    actions = {"logged", "assign", "start", "resolve", "reply", "close", "reopen", "note"}
    assert {e["action"] for c in cases for e in c.timeline} <= actions
    assert all(c.reply and c.reply["satisfied"] for c in cases if c.status in ("replied", "closed"))
    assert any(c.reopen_count for c in cases)
    assert all(c.rev == len(c.timeline) for c in cases)
    assert all(c.due >= c.day for c in cases)
    assert all(t.number == f"{t.letter}{t.seq:03d}" for t in tickets)
    # Tickets in every state: past days end done, no-show or cancelled; today's
    # session is under way.
    assert {t.status for t in tickets} == {
        "waiting",
        "called",
        "serving",
        "done",
        "no_show",
        "cancelled",
    }
    assert {t.status for t in tickets if t.day < "2026-11-27"} == {"done", "no_show", "cancelled"}
    final = [t.status for t in tickets if t.day < "2026-11-27"]
    assert final.count("done") / len(final) > 0.85
    # Each record's timeline and history are in time order.
    assert all([e["at"] for e in c.timeline] == sorted(e["at"] for e in c.timeline) for c in cases)
    # Certifications: each quarter most eligible residents, once each, by both
    # methods; the quarter under way only partly done.
    certs = [r for r in records if isinstance(r, Certification)]
    people = {r.id: r for r in records if isinstance(r, Resident)}
    assert all(is_eligible(people[c.resident], c.quarter) for c in certs)
    assert all(quarter_of(c.day) == c.quarter and c.day <= "2026-11-27" for c in certs)
    assert len({(c.resident, c.quarter) for c in certs}) == len(certs)
    assert {c.method for c in certs} == {"desk", "home_visit"}
    share = {}
    for quarter in ("2026Q3", "2026Q4"):
        due = [p for p in people.values() if is_eligible(p, quarter)]
        share[quarter] = sum(c.quarter == quarter for c in certs) / len(due)
    assert share["2026Q3"] > 0.9 and 0.4 < share["2026Q4"] < share["2026Q3"]
    # Sessions: past ones closed, today's open; next-session requests, most met
    # by a later session at the same compound, some still waiting.
    sessions = {s.id: s for s in records if isinstance(s, ServiceSession)}
    assert {s.status for s in sessions.values() if s.day < "2026-11-27"} == {"closed"}
    assert [s.status for s in sessions.values() if s.day == "2026-11-27"] == ["open"]
    requests = [r for r in records if isinstance(r, SessionRequest)]
    assert {r.status for r in requests} == {"open", "done"}
    for request in requests:
        asked = sessions[request.session]
        assert (asked.compound, asked.day) == (request.compound, request.day)
        if request.status == "done":
            met = sessions[request.done_session]
            assert met.compound == request.compound and met.day == request.done_day > request.day


def test_no_real_person_from_the_report_appears(tmp_path: Path) -> None:
    """Names in the news report are real people; the generator must not reuse them."""
    lines = FRAGMENTS.read_text(encoding="utf-8").splitlines()
    fragments = {line for line in lines if not line.startswith("#")}
    community, day = sample()
    people = [r.name for r in community.residents] + [s.name for s in community.staff]
    people += [v.name for v in day.visits] + [p.contact_person for p in community.parties]
    assert people
    found = sorted(
        {
            name
            for name in people
            if 2 <= len(name) <= 4 and hashlib.sha256(name.encode()).hexdigest()[:16] in fragments
        }
    )
    assert found == []
    # Made-up phone numbers only: every one in the 0000 block.
    phones = [r.phone for r in community.residents if r.phone]
    assert all(re.fullmatch(r"\+86(1\d{2}0000\d{4}|971\d00\d{4})", p) for p in phones)


def test_residents_and_staff_are_valid_records() -> None:
    from tui.domain.validate import validate

    community, _ = sample()
    for record in [*community.residents, *community.staff]:
        assert isinstance(record, (Resident, StaffMember))
        assert validate(record) == record

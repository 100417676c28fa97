"""The end-of-day review, sessions and next-session requests, without the UI."""

from __future__ import annotations

import dataclasses
import json
import statistics
from datetime import datetime, timedelta, timezone

import pytest

from tests.conftest import SAMPLE
from tui.domain.cases import CaseError, amend
from tui.domain.records import Case, ServiceSession, SessionRequest, Ticket, Visit
from tui.domain.review import (
    AT_DESK,
    NO_CATEGORY,
    NO_CONTACT,
    NO_DUE,
    NO_OWNER,
    UNDECIDED,
    checklist,
    glance,
    reachable,
    recurring_today,
    session_visits,
)
from tui.domain.sessions import (
    SessionError,
    close_session,
    mark_done,
    note_request,
    open_session,
    pending_requests,
    reopen_session,
    session_to_review,
)

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 20, 18, 0, tzinfo=CST)
DAY = "2026-11-20"


def visit(name: str = "王芳", **fields: object) -> Visit:
    defaults: dict[str, object] = {"day": DAY, "category": "repair", "compound": "c1"}
    defaults.update(fields)
    return Visit(name=name, **defaults)  # type: ignore[arg-type]


def logged(name: str, **case_fields: object) -> tuple[Visit, Case]:
    v = visit(name, status="logged", building="3", unit="2", room="501")
    fields: dict[str, object] = {
        "owner": "s1",
        "due": "2026-11-27",
        "phone": "+8613800138000",
        "compound": "c1",
    }
    fields.update(case_fields)
    case = Case(visit=v.id, day=DAY, name=name, **fields)  # type: ignore[arg-type]
    return dataclasses.replace(v, case=case.id), case


# -- the checklist -------------------------------------------------------------


def test_a_tidy_day_passes() -> None:
    handled = visit("甲", status="handled")
    v, case = logged("乙")
    done = Ticket(day=DAY, number="A001", letter="A", seq=1, status="done")
    assert checklist([handled, v], [done], {case.id: case}) == []


def test_each_gap_is_listed_once_with_where_to_fix_it() -> None:
    no_category = visit("无类别", category="", status="handled")
    undecided = visit("未分流")
    owner_v, no_owner = logged("无人", owner="")
    due_v, no_due = logged("无期限", due="")
    phone_v, no_phone = logged("无电话", phone="")
    called = Ticket(day=DAY, number="B002", letter="B", seq=2, status="called", desk=2)
    serving = Ticket(day=DAY, number="A001", letter="A", seq=1, status="serving", desk=1)
    waiting = Ticket(day=DAY, number="A003", letter="A", seq=3, status="waiting")
    undecided = dataclasses.replace(undecided, ticket=serving.id)
    items = checklist(
        [no_category, undecided, owner_v, due_v, phone_v],
        [called, serving, waiting],
        {c.id: c for c in (no_owner, no_due, no_phone)},
    )
    assert [(i.code, i.kind, i.target, i.label) for i in items] == [
        (NO_CATEGORY, "visit", no_category.id, "无类别"),
        (UNDECIDED, "visit", undecided.id, "未分流"),
        (NO_OWNER, "case", no_owner.id, "无人"),
        (NO_DUE, "case", no_due.id, "无期限"),
        (NO_CONTACT, "case", no_phone.id, "无电话"),
        (AT_DESK, "ticket", serving.id, "A001 未分流"),
        (AT_DESK, "ticket", called.id, "B002"),
    ]


def test_a_case_closed_since_is_not_checked() -> None:
    v, case = logged("乙", owner="", due="")
    assert checklist([v], [], {}) == []
    assert [i.code for i in checklist([v], [], {case.id: case})] == [NO_OWNER, NO_DUE]


@pytest.mark.parametrize(
    ("reply_via", "phone", "address", "ok"),
    [
        ("phone", "+8613800138000", False, True),
        ("phone", "", True, False),
        ("home_visit", "", True, True),
        ("home_visit", "", False, False),
        ("home_visit", "+8613800138000", False, True),
        ("next_session", "", False, True),
    ],
)
def test_a_way_to_reach_the_resident(reply_via: str, phone: str, address: bool, ok: bool) -> None:
    v, case = logged("乙", reply_via=reply_via, phone=phone)
    if not address:
        v = dataclasses.replace(v, building="", room="")
    assert reachable(case, v) is ok


def test_session_visits_include_those_saved_before_the_session_opened() -> None:
    session = ServiceSession(day=DAY, compound="c1")
    mine, before, other, yesterday = (
        visit("甲", session=session.id),
        visit("乙", session=""),
        visit("丙", session="another"),
        visit("丁", session=session.id, day="2026-11-19"),
    )
    assert session_visits([mine, before, other, yesterday], session) == [mine, before]


# -- the day at a glance --------------------------------------------------------


def test_recurring_means_raised_at_that_compound_in_the_90_days_before() -> None:
    today = [visit("甲"), visit("乙"), visit("丙", category="noise"), visit("丁", compound="c2")]
    earlier = [
        visit("x", day="2026-10-01"),
        visit("y", day="2026-08-22"),  # 90 days before: counts
        visit("z", day="2026-08-21", category="noise"),  # 91 days: too old
        visit("w", day="2026-11-01", compound="c3"),  # another compound
    ]
    found = recurring_today(today, earlier, DAY)
    assert [(r.compound, r.category, r.today, r.before) for r in found] == [("c1", "repair", 2, 2)]


def test_glance_on_the_sample_day_matches_the_day_file() -> None:
    """Figures against counts taken straight from the committed day file."""
    raw = json.loads((SAMPLE / "days" / f"{DAY}.json").read_text("utf-8"))
    visits = [Visit.from_dict(d) for d in raw["visit"].values()]
    tickets = [Ticket.from_dict(d) for d in raw["ticket"].values()]
    day = glance(DAY, visits, tickets, [])
    statuses = [d["status"] for d in raw["visit"].values()]
    assert (day.visits, day.handled, day.logged, day.undecided) == (
        len(statuses),
        statuses.count("handled"),
        statuses.count("logged"),
        statuses.count("open"),
    )
    ticket_states = [d["status"] for d in raw["ticket"].values()]
    assert (day.queue.issued, day.queue.served, day.queue.no_shows) == (
        len(ticket_states),
        ticket_states.count("done"),
        ticket_states.count("no_show"),
    )
    waits = [
        (
            datetime.fromisoformat(d["called_at"]) - datetime.fromisoformat(d["issued_at"])
        ).total_seconds()
        / 60
        for d in raw["ticket"].values()
        if d["called_at"]
    ]
    assert day.queue.median_wait == pytest.approx(statistics.median(waits))
    assert day.queue.longest_wait == pytest.approx(max(waits))
    assert sum(c.visits for c in day.by_category) == len(statuses)
    assert [c.visits for c in day.by_category] == sorted(
        (c.visits for c in day.by_category), reverse=True
    )
    assert sum(f.issued for f in day.letters) == len(ticket_states)


# -- sessions -------------------------------------------------------------------


def test_open_session_needs_a_compound_and_a_sensible_number_of_desks() -> None:
    with pytest.raises(SessionError) as err:
        open_session(DAY, "", ["s1"], 2, now=NOW)
    assert err.value.code == "session.compound_required"
    for desks in (0, 10):
        with pytest.raises(SessionError) as err:
            open_session(DAY, "c1", [], desks, now=NOW)
        assert err.value.code == "session.desks_range"
    session = open_session(DAY, "c1", ["s1", "s2", "s1"], 2, now=NOW)
    assert (session.status, session.staff, session.desks) == ("open", ["s1", "s2"], 2)


def test_closing_is_refused_while_checks_fail_unless_a_reason_is_given() -> None:
    session = open_session(DAY, "c1", [], 1, now=NOW)
    for reason in ("", "   "):
        with pytest.raises(SessionError) as err:
            close_session(session, 3, now=NOW, override=reason)
        assert (err.value.code, err.value.params) == ("session.close_blocked", {"count": 3})
    closed = close_session(session, 3, now=NOW, override=" 下雨提前收摊 ")
    assert (closed.status, closed.close_override) == ("closed", "下雨提前收摊")
    assert closed.closed_at == NOW.isoformat(timespec="seconds")
    clean = close_session(session, 0, now=NOW, override="用不着")
    assert (clean.status, clean.close_override) == ("closed", "")
    with pytest.raises(SessionError):
        close_session(closed, 0, now=NOW)


def test_reopening_needs_a_reason_and_keeps_every_one() -> None:
    closed = close_session(open_session(DAY, "c1", [], 1, now=NOW), 0, now=NOW)
    with pytest.raises(SessionError) as err:
        reopen_session(closed, " ", now=NOW)
    assert err.value.code == "session.reopen_reason"
    again = reopen_session(closed, "漏登一位居民", now=NOW)
    assert (again.status, again.closed_at) == ("open", "")
    twice = reopen_session(close_session(again, 0, now=NOW), "再补一条", now=NOW)
    assert [r.split(" ", 1)[1] for r in twice.reopen_reasons] == ["漏登一位居民", "再补一条"]
    with pytest.raises(SessionError):
        reopen_session(twice, "x", now=NOW)


def test_which_session_the_review_shows() -> None:
    old_open = ServiceSession(day="2026-11-20", compound="c1", opened_at="1")
    old_closed = ServiceSession(day="2026-11-24", compound="c2", status="closed", opened_at="1")
    today_open = ServiceSession(day="2026-11-27", compound="c3", opened_at="1")
    today = "2026-11-27"
    assert session_to_review([old_open, old_closed, today_open], today) == today_open
    assert session_to_review([old_open, old_closed], today) == old_open
    assert session_to_review([old_closed], today) == old_closed
    assert session_to_review([], today) is None


def test_next_session_requests() -> None:
    earlier = open_session("2026-10-23", "c1", [], 1, now=NOW)
    with pytest.raises(SessionError):
        note_request(earlier, "  ")
    asked = note_request(earlier, "请律师下次来")
    other = SessionRequest(compound="c2", day="2026-10-23", text="别处的")
    today_asked = SessionRequest(compound="c1", day=DAY, text="今天记的，留给下次")
    pending = pending_requests([asked, other, today_asked], "c1", DAY)
    assert pending == [asked]
    today = open_session(DAY, "c1", [], 1, now=NOW)
    met = mark_done(asked, today)
    assert (met.status, met.done_day, met.done_session) == ("done", DAY, today.id)
    assert pending_requests([met], "c1", DAY) == []


# -- amending a case --------------------------------------------------------------


def test_amend_records_what_changed() -> None:
    _, case = logged("乙", due="", phone="")
    changed = amend(
        case, due="2026-11-30", phone="13800138000", reply_via="phone", now=NOW, by="李娜"
    )
    # Kept as it is stored (E.164), so it compares with what is stored.
    assert (changed.due, changed.phone, changed.status) == (
        "2026-11-30",
        "+8613800138000",
        "logged",
    )
    assert changed.timeline[-1]["action"] == "amend"
    assert (
        amend(changed, due="2026-11-30", phone="13800138000", reply_via="phone", now=NOW, by="x")
        is changed
    )
    # The number as the dialog shows it is the stored one: not a change.
    stored = changed
    assert (
        amend(stored, due="2026-11-30", phone="138 0013 8000", reply_via="phone", now=NOW, by="x")
        is stored
    )
    told = amend(
        stored,
        due="2026-11-30",
        phone="138 0013 8000",
        reply_via="next_session",
        now=NOW,
        by="x",
        describe=lambda changes: repr(sorted(changes.items())),
    )
    assert told.timeline[-1]["note"] == "[('reply_via', 'next_session')]"
    for bad, code in (
        ("2026-11-19", "case.bad_due"),
        ("", "case.bad_due"),
        ("2026-13-01", "date.no_such_day"),
        ("明天", "date.bad"),
    ):
        with pytest.raises(CaseError) as err:
            amend(case, due=bad, phone="", reply_via="phone", now=NOW, by="x")
        assert err.value.code == code

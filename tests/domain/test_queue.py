"""The queue's state machine, fair call order, waits and figures."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.domain.queue import (
    MAX_PRIORITY_RUN,
    NEXT_STEP,
    RECALL_LIMIT,
    TRANSITIONS,
    QueueError,
    apply,
    board,
    call_next,
    call_order,
    check_issue,
    day_figures,
    estimated_waits,
    mask_name,
    median_service,
    pick_next,
    send_to_desk,
    toggle_priority,
    transfer_letter,
)
from tui.domain.records import ServiceSession, Ticket, iso
from tui.domain.sessions import close_session, open_session

CST = timezone(timedelta(hours=8))
T0 = datetime(2026, 11, 27, 14, 0, tzinfo=CST)
STATES = ("waiting", "called", "serving", "done", "no_show", "cancelled")


def ticket(
    seq: int,
    *,
    letter: str = "A",
    status: str = "waiting",
    minute: int = 0,
    priority: bool = False,
    **extra: object,
) -> Ticket:
    return Ticket(
        day="2026-11-27",
        number=f"{letter}{seq:03d}",
        letter=letter,
        seq=seq,
        status=status,
        priority=priority,
        issued_at=iso(T0 + timedelta(minutes=minute)),
        **extra,
    )  # type: ignore[arg-type]


def test_the_happy_path() -> None:
    t = ticket(1)
    t = apply(t, "call", now=T0, by="李娜", desk=2)
    assert (t.status, t.desk, t.called_at) == ("called", 2, iso(T0))
    t = apply(t, "serve", now=T0 + timedelta(minutes=1), by="李娜")
    t = apply(t, "done", now=T0 + timedelta(minutes=6), by="李娜")
    assert t.status == "done" and t.done_at == iso(T0 + timedelta(minutes=6))
    assert [h["action"] for h in t.history] == ["call", "serve", "done"]


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
@pytest.mark.parametrize("state", STATES)
def test_every_transition_is_allowed_or_refused_with_a_reason(action: str, state: str) -> None:
    sources, target = TRANSITIONS[action]
    t = ticket(
        1,
        status=state,
        desk=1 if state in ("called", "serving") else 0,
        recalls=RECALL_LIMIT if action == "no_show" else 0,
    )
    if state in sources:
        moved = apply(t, action, now=T0, by="x", desk=3)
        assert moved.status == target
        assert moved.history[-1]["action"] == action
    else:
        with pytest.raises(QueueError) as caught:
            apply(t, action, now=T0, by="x", desk=3)
        assert caught.value.code == "queue.illegal"
        # The refusal names the state and the step, and what the state waits for instead.
        assert caught.value.params == {
            "number": "A001",
            "action": action,
            "status": state,
            "desk": t.desk,
            "next": NEXT_STEP[state],
        }
        assert NEXT_STEP[state] in ("", *TRANSITIONS)
        if NEXT_STEP[state]:
            assert state in TRANSITIONS[NEXT_STEP[state]][0]


def called(seq: int, desk: int, minute: int = 0, **extra: object) -> Ticket:
    return apply(
        ticket(seq, minute=minute, **extra),
        "call",
        now=T0 + timedelta(minutes=minute),
        by="x",
        desk=desk,
    )


def test_a_desk_with_a_ticket_is_not_given_a_second_one() -> None:
    """n n called two residents to one desk: the second call is refused unless
    told what becomes of the ticket there."""
    here = called(1, desk=1)
    day = [here, ticket(2, minute=1), ticket(3, minute=2)]
    with pytest.raises(QueueError) as caught:
        call_next(day, 1, now=T0, by="x")
    assert caught.value.code == "queue.desk_busy"
    assert caught.value.params == {"desk": 1, "number": "A001", "status": "called"}
    # Told about another ticket than the one at the desk: still refused.
    with pytest.raises(QueueError):
        call_next(day, 1, now=T0, by="x", settle=(day[1].id, "done"))
    with pytest.raises(QueueError):
        call_next(day, 1, now=T0, by="x", settle=(here.id, "cancel"))
    # Another desk is free to call.
    (other,) = call_next(day, 2, now=T0, by="x")
    assert (other.number, other.desk, other.status) == ("A002", 2, "called")
    # Finished first, then the next called: both in what is returned.
    finished, following = call_next(day, 1, now=T0, by="x", settle=(here.id, "done"))
    assert (finished.number, finished.status) == ("A001", "done")
    assert (following.number, following.status, following.desk) == ("A002", "called", 1)
    # Sent back: it keeps its place, yet is not the one called next.
    back, following = call_next(day, 1, now=T0, by="x", settle=(here.id, "requeue"))
    assert (back.number, back.status, back.desk) == ("A001", "waiting", 0)
    assert following.number == "A002"
    assert [t.number for t in call_order([back, following, day[2]])][0] == "A001"
    # Sent back with no one else waiting: nobody is called.
    (alone,) = call_next([here], 1, now=T0, by="x", settle=(here.id, "requeue"))
    assert alone.status == "waiting"
    # Serving counts as busy too.
    serving = apply(here, "serve", now=T0, by="x")
    with pytest.raises(QueueError) as caught:
        call_next([serving, ticket(2)], 1, now=T0, by="x")
    assert caught.value.params["status"] == "serving"


def test_a_transfer_to_a_busy_desk_is_refused_naming_it() -> None:
    mine = called(1, desk=1)
    theirs = apply(called(2, desk=2, minute=1), "serve", now=T0, by="x")
    with pytest.raises(QueueError) as caught:
        send_to_desk([mine, theirs], mine, 2, now=T0, by="x")
    assert caught.value.code == "queue.desk_taken"
    assert caught.value.params == {"desk": 2, "number": "A002", "status": "serving"}
    moved = send_to_desk([mine, theirs], mine, 3, now=T0, by="x")
    assert (moved.desk, moved.status) == (3, "called")
    # A finished ticket at desk 2 does not make it busy.
    gone = apply(theirs, "done", now=T0, by="x")
    assert send_to_desk([mine, gone], mine, 2, now=T0, by="x").desk == 2


def test_done_straight_from_called() -> None:
    """The resident is already sitting at the desk: no s needed before d."""
    here = called(1, desk=1)
    done = apply(here, "done", now=T0 + timedelta(minutes=4), by="x")
    assert done.status == "done" and done.done_at == iso(T0 + timedelta(minutes=4))
    assert [h["action"] for h in done.history] == ["call", "done"]
    # Served from the call on: its time counts in the median service time.
    assert done.serving_at == here.called_at
    assert median_service([done], "A") == 4.0


def test_a_cancelled_ticket_goes_back_to_its_place_today() -> None:
    day = [ticket(1), ticket(2, minute=1), ticket(3, minute=2)]
    gone = apply(day[1], "cancel", now=T0, by="x")
    assert [t.number for t in call_order([day[0], gone, day[2]])] == ["A001", "A003"]
    back = apply(gone, "restore", now=T0 + timedelta(hours=2), by="x")
    assert (back.status, back.desk) == ("waiting", 0)
    assert back.history[-1]["action"] == "restore"
    assert [t.number for t in call_order([day[0], back, day[2]])] == ["A001", "A002", "A003"]
    # Only on its own day.
    with pytest.raises(QueueError) as late:
        apply(gone, "restore", now=T0 + timedelta(days=1), by="x")
    assert late.value.code == "queue.restore_day_over"
    assert late.value.params == {"number": "A002", "day": "2026-11-27"}
    # Only a cancelled ticket: a waiting one is refused, pointing at n.
    with pytest.raises(QueueError) as waiting:
        apply(day[0], "restore", now=T0, by="x")
    assert waiting.value.params["next"] == "call"


def test_no_ticket_without_an_open_session() -> None:
    day = "2026-11-27"
    with pytest.raises(QueueError) as none:
        check_issue(None, day)
    assert none.value.code == "queue.no_session"
    session = open_session(day, "c1", [], 1, now=T0)
    check_issue(session, day)
    with pytest.raises(QueueError):
        check_issue(close_session(session, 0, now=T0), day)
    with pytest.raises(QueueError):
        check_issue(session, "2026-11-28")  # a session left open on an earlier day
    assert isinstance(session, ServiceSession)


def test_recall_limit_then_no_show() -> None:
    t = apply(ticket(1), "call", now=T0, by="x", desk=1)
    with pytest.raises(QueueError) as early:
        apply(t, "no_show", now=T0, by="x")
    assert early.value.code == "queue.recall_first"
    for _ in range(RECALL_LIMIT):
        t = apply(t, "recall", now=T0, by="x")
    with pytest.raises(QueueError) as limit:
        apply(t, "recall", now=T0, by="x")
    assert limit.value.code == "queue.recall_limit"
    t = apply(t, "no_show", now=T0, by="x")
    assert t.status == "no_show"
    back = apply(t, "requeue", now=T0, by="x")
    assert (back.status, back.desk, back.recalls) == ("waiting", 0, 0)


def test_transfers_and_priority() -> None:
    moved = transfer_letter(ticket(4), "B", 12, now=T0, by="x")
    assert (moved.number, moved.letter, moved.status) == ("B012", "B", "waiting")
    assert moved.history[-1]["from"] == "A004"
    with pytest.raises(QueueError):
        transfer_letter(ticket(4, status="done"), "B", 1, now=T0, by="x")
    desk = apply(
        apply(ticket(1), "call", now=T0, by="x", desk=1), "to_desk", now=T0, by="x", desk=3
    )
    assert desk.desk == 3 and desk.status == "called"
    assert toggle_priority(ticket(1), now=T0, by="x").priority is True


def test_priority_first_but_never_more_than_two_in_a_row() -> None:
    waiting = [
        ticket(1, minute=0),
        ticket(2, minute=1),
        ticket(3, minute=2, priority=True),
        ticket(4, minute=3, priority=True),
        ticket(5, minute=4, priority=True),
    ]
    assert [t.number for t in call_order(waiting)] == ["A003", "A004", "A001", "A005", "A002"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=60))
def test_fairness_rule_holds_for_any_day(events: list[tuple[bool, bool]]) -> None:
    """Arrivals (priority or not) and calls in any order: at each call, a priority
    ticket is taken first unless MAX_PRIORITY_RUN priority calls in a row already
    happened while others waited; each class is first come, first served."""
    tickets: list[Ticket] = []
    now = T0
    run = 0
    calls: list[Ticket] = []
    for seq, (arrive, priority) in enumerate(events, 1):
        now += timedelta(minutes=1)
        if arrive:
            tickets.append(ticket(seq, minute=seq, priority=priority))
            continue
        waiting = [t for t in tickets if t.status == "waiting"]
        chosen = pick_next(tickets)
        if not waiting:
            assert chosen is None
            continue
        assert chosen is not None
        others_wait = any(not t.priority for t in waiting)
        priority_waits = any(t.priority for t in waiting)
        if priority_waits and (run < MAX_PRIORITY_RUN or not others_wait):
            assert chosen.priority
        elif others_wait:
            assert not chosen.priority
        same_class = [t for t in waiting if t.priority == chosen.priority]
        assert chosen.issued_at == min(t.issued_at for t in same_class)
        run = run + 1 if chosen.priority else 0
        called = apply(chosen, "call", now=now, by="x", desk=1)
        tickets = [called if t.id == chosen.id else t for t in tickets]
        calls.append(called)
    # Never three priority calls in a row while someone else was waiting.
    for a, b, c in zip(calls, calls[1:], calls[2:], strict=False):
        if a.priority and b.priority and c.priority:
            waiting_then = [
                t
                for t in tickets
                if not t.priority
                and t.issued_at < c.called_at
                and (not t.called_at or t.called_at > c.called_at)
            ]
            assert waiting_then == []


def test_estimated_waits_from_median_service_time() -> None:
    done = [
        ticket(
            n,
            status="done",
            serving_at=iso(T0),
            done_at=iso(T0 + timedelta(minutes=m)),
            called_at=iso(T0),
        )
        for n, m in ((1, 4), (2, 6), (3, 10))
    ]
    waiting = [ticket(4, minute=5), ticket(5, minute=6), ticket(1, letter="B", minute=7)]
    waits = estimated_waits(done + waiting, desks=2)
    assert waits[waiting[0].id] == 0 and waits[waiting[1].id] == 3.0  # 1 ahead × 6 min / 2
    assert waits[waiting[2].id] is None  # no B served yet today


def test_day_figures() -> None:
    tickets = [
        ticket(1, status="done", called_at=iso(T0 + timedelta(minutes=10))),
        ticket(2, minute=5, status="no_show", called_at=iso(T0 + timedelta(minutes=35))),
        ticket(3, minute=6),
        ticket(1, letter="D", status="cancelled"),
    ]
    a, d = day_figures(tickets)
    assert (a.letter, a.issued, a.served, a.no_shows) == ("A", 3, 1, 1)
    assert (a.median_wait, a.longest_wait) == (20.0, 30.0)
    assert (d.issued, d.median_wait) == (1, None)


def test_board_shows_numbers_and_at_most_masked_names() -> None:
    tickets = [
        apply(ticket(1, visit="v1"), "call", now=T0, by="x", desk=2),
        ticket(2, minute=1, visit="v2"),
        ticket(3, minute=2, priority=True, visit="v3"),
    ]
    plain = board(tickets)
    assert [(e.number, e.desk, e.name) for e in plain.now_serving] == [("A001", 2, "")]
    assert [e.number for e in plain.next_up] == ["A003", "A002"]
    assert [e.number for e in plain.recent] == ["A001"]
    named = board(tickets, names={"v1": "吴子明", "v2": "Zed", "v3": "李"})
    assert [e.name for e in named.next_up] == ["李**", "Z**"]
    assert mask_name("欧阳小明") == "欧**" and mask_name("") == ""


def test_board_shows_one_number_per_desk_the_latest() -> None:
    first = apply(ticket(1, visit="v1"), "call", now=T0, by="x", desk=1)
    second = apply(ticket(2, visit="v2"), "call", now=T0 + timedelta(minutes=3), by="x", desk=1)
    other = apply(ticket(3, visit="v3"), "call", now=T0 + timedelta(minutes=1), by="x", desk=2)
    shown = board([first, second, other])
    assert [(e.number, e.desk) for e in shown.now_serving] == [("A002", 1), ("A003", 2)]

"""Refusals read as sentences in the user's language: the state and the step by
their translated names, never the ids kept on disk, and what to do instead."""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime, timedelta, timezone

import pytest

from tui.domain.cases import LIFECYCLE, CaseError, advance
from tui.domain.queue import TRANSITIONS, QueueError, apply
from tui.domain.records import Case, Ticket, iso
from tui.i18n import set_language, t
from tui.messages import describe_error

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 27, 14, 0, tzinfo=CST)
TICKET_STATES = ("waiting", "called", "serving", "done", "no_show", "cancelled")
CASE_STATES = ("logged", "assigned", "in_progress", "resolved", "replied", "closed")
# An id as it is kept on disk: what a resident-facing or staff sentence never shows.
RAW = re.compile(r"\b(no_show|in_progress|requeue|to_desk|None)\b")


def ticket_refusals() -> list[tuple[str, str]]:
    return [(s, a) for s in TICKET_STATES for a in TRANSITIONS if s not in TRANSITIONS[a][0]]


def refusal(state: str, action: str, *, desk: int = 1) -> QueueError:
    ticket = Ticket(
        day="2026-11-27",
        number="A012",
        letter="A",
        seq=12,
        status=state,
        desk=desk if state in ("called", "serving") else 0,
        issued_at=iso(NOW),
    )
    with pytest.raises(QueueError) as caught:
        apply(ticket, action, now=NOW, by="x", desk=2)
    return caught.value


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("state", "action"), ticket_refusals())
def test_every_queue_refusal_names_state_step_and_what_to_do(
    lang: str, state: str, action: str
) -> None:
    set_language(lang)
    message = describe_error(refusal(state, action), desk=1)
    assert t(f"ticket.status.{state}") in message
    assert t(f"queue.action.{action}") in message
    nxt = {"done": "finished"}.get(state, "")
    assert t(f"queue.next.{nxt or refusal(state, action).params['next']}") in message
    assert not RAW.search(message), message
    if lang == "zh":
        assert not re.search(r"[a-z]{4,}", message), message  # no English word left in it


def test_queue_refusals_read_as_sentences() -> None:
    set_language("en")
    assert describe_error(refusal("serving", "no_show"), desk=1) == (
        "A012 is being served: it cannot be marked no-show. "
        "Press d when done, or b to send it back to the queue."
    )
    assert describe_error(refusal("waiting", "serve")) == (
        "A012 is waiting: it cannot be served. Press n to call the next ticket to this desk."
    )
    # At another desk now: that desk takes the next step, not this one.
    assert describe_error(refusal("serving", "recall", desk=3), desk=1) == (
        "A012 is being served: it cannot be recalled. It is at desk 3 now: "
        "that desk takes the next step."
    )
    busy = QueueError("queue.desk_taken", desk=2, number="A007", status="serving")
    assert describe_error(busy) == (
        "Desk 2 has A007 (being served) and takes no second ticket: wait until A007 is "
        "done there, or send this one to another desk."
    )
    set_language("zh")
    assert describe_error(refusal("serving", "no_show"), desk=1) == (
        "A012 当前办理中，不能标记过号。办完按 d，或按 b 回到队列。"
    )
    assert describe_error(refusal("cancelled", "call")) == (
        "A012 当前已取消，不能叫号。按 u 恢复到队列中原来的位置。"
    )
    assert describe_error(busy) == (
        "2号台正在处理 A007（办理中），不能再转入号码：请等该台办完 A007，或转到其他服务台。"
    )
    assert "F5" in describe_error(QueueError("queue.no_session"))


def a_case(state: str) -> Case:
    return Case(visit="v1", day="2026-11-27", status=state)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    ("state", "action"),
    [(s, a) for s in CASE_STATES for a in LIFECYCLE if s not in LIFECYCLE[a][0]],
)
def test_every_case_refusal_names_state_step_and_what_to_do(
    lang: str, state: str, action: str
) -> None:
    set_language(lang)
    case = dataclasses.replace(a_case(state), reply=None)
    with pytest.raises(CaseError) as caught:
        advance(case, action, now=NOW, by="x", note="n")
    message = describe_error(caught.value)
    assert t(f"case.status.{state}") in message
    assert t(f"case.step.{action}") in message
    assert t(f"case.next.{caught.value.params['next']}") in message
    assert not RAW.search(message), message


def test_case_refusals_read_as_sentences() -> None:
    set_language("en")
    with pytest.raises(CaseError) as caught:
        advance(a_case("resolved"), "close", now=NOW, by="x")
    assert describe_error(caught.value) == (
        "This case is resolved: it cannot be closed now. Reply to the resident first (y)."
    )
    set_language("zh")
    assert describe_error(caught.value) == "该事项已办结，现在不能关闭。请先答复居民（y）。"

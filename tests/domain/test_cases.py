"""Triage and the case lifecycle, without the UI."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

import pytest

from tui.domain.cases import (
    ESCALATE_AFTER,
    LIFECYCLE,
    NEXT_STEP,
    CaseError,
    Owner,
    advance,
    default_due,
    default_owner,
    handle_now,
    is_overdue,
    log_for_later,
)
from tui.domain.records import Case, Visit
from tui.domain.synth.generate import sample

CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=CST)
STATES = ("logged", "assigned", "in_progress", "resolved", "replied", "closed")
COMMUNITY, _ = sample()
BY_CODE = {c.code: c for c in COMMUNITY.categories}
COMPOUND = next(c for c in COMMUNITY.compounds if c.name == "新宁路11号院")
DESK = COMMUNITY.staff[-1].id


@pytest.mark.parametrize("code", sorted(BY_CODE))
def test_triage_defaults_for_every_sample_category(code: str) -> None:
    category = BY_CODE[code]
    owner = default_owner(category, COMPOUND, COMMUNITY.staff, COMMUNITY.parties, DESK)
    assert owner is not None and owner.id and owner.chaser
    rule = category.owner_rule
    staff = {s.id: s for s in COMMUNITY.staff}
    parties = {p.id: p for p in COMMUNITY.parties}
    if rule == "grid_worker":
        assert owner == Owner("staff", COMPOUND.grid_worker, COMPOUND.grid_worker)
    elif rule == "desk":
        assert owner == Owner("staff", DESK, DESK)
    elif rule.startswith("role:"):
        assert owner.kind == "staff" and staff[owner.id].role == rule[5:]
    else:
        party = parties[owner.id]
        assert owner.kind == "party" and party.type == rule[6:]
        assert owner.chaser == COMPOUND.grid_worker  # someone here chases the outside body
        if party.compounds:
            assert COMPOUND.id in party.compounds
    # Due: the category's working days after the visit, never a weekend.
    due = datetime.fromisoformat(default_due("2026-11-20", category))
    assert due.weekday() < 5 and due.date().isoformat() > "2026-11-20"


def test_due_counts_working_days() -> None:
    assert default_due("2026-11-20", BY_CODE["repair"]) == "2026-11-25"  # Fri + 3 working days


def visit(**extra: object) -> Visit:
    return Visit(
        day="2026-11-20",
        name="王建国",
        phone="+8613800001234",
        category="repair",
        description="下水道堵塞",
        compound=COMPOUND.id,
        **extra,
    )  # type: ignore[arg-type]


def test_handle_now_and_override_needs_a_reason() -> None:
    done = handle_now(visit(), "已疏通", suggested="now")
    assert (done.status, done.triage, done.outcome) == ("handled", "now", "已疏通")
    with pytest.raises(CaseError) as caught:
        handle_now(visit(), "已疏通", suggested="later")
    assert caught.value.code == "triage.override_reason"
    overridden = handle_now(visit(), "已疏通", suggested="later", override_reason="现场可办")
    assert (overridden.triage_suggested, overridden.triage_override_reason) == ("later", "现场可办")
    with pytest.raises(CaseError):
        handle_now(visit(), "  ", suggested="now")


def logged() -> tuple[Visit, Case]:
    owner = Owner("party", COMMUNITY.parties[1].id, COMPOUND.grid_worker)
    return log_for_later(
        visit(), owner, "2026-11-25", "phone", "物业明天来", suggested="later", now=NOW, by="李娜"
    )


def test_log_for_later_makes_a_case() -> None:
    v, case = logged()
    assert (v.status, v.triage, v.case) == ("logged", "later", case.id)
    assert (case.owner_kind, case.chaser, case.due, case.reply_via) == (
        "party",
        COMPOUND.grid_worker,
        "2026-11-25",
        "phone",
    )
    assert (case.name, case.summary, case.status) == ("王建国", "下水道堵塞", "logged")
    assert case.timeline == [
        {
            "at": "2026-11-20T15:00:00+08:00",
            "by": "李娜",
            "action": "logged",
            "from": "",
            "to": "logged",
            "note": "物业明天来",
        }
    ]
    for bad, code in (
        (dict(owner=Owner("staff", "", "")), "triage.owner_required"),
        (dict(owner=Owner("party", "p", "")), "triage.chaser_required"),
        (dict(due=""), "triage.due_required"),
        (dict(due="2026-11-19"), "triage.due_in_past"),
        (dict(reply_via="pigeon"), "triage.reply_via_required"),
    ):
        args = {"owner": Owner("staff", "s", "s"), "due": "2026-11-25", "reply_via": "phone"}
        args.update(bad)  # type: ignore[arg-type]
        with pytest.raises(CaseError) as caught:
            log_for_later(
                visit(),
                args["owner"],
                args["due"],
                args["reply_via"],
                "",  # type: ignore[arg-type]
                suggested="later",
                now=NOW,
                by="x",
            )
        assert caught.value.code == code


def step(case: Case, action: str, **kwargs: object) -> Case:
    return advance(case, action, now=NOW + timedelta(days=1), by="李娜", **kwargs)  # type: ignore[arg-type]


def test_the_whole_lifecycle() -> None:
    _, case = logged()
    case = step(case, "assign", owner=Owner("staff", COMPOUND.grid_worker, COMPOUND.grid_worker))
    case = step(case, "start")
    case = step(case, "resolve", note="已更换管道")
    case = step(case, "reply", reply={"channel": "phone", "satisfied": True}, note="电话告知")
    assert case.reply == {
        "channel": "phone",
        "on": "2026-11-21",
        "satisfied": True,
        "note": "电话告知",
    }
    case = step(case, "close")
    assert case.status == "closed" and case.closed_at
    assert [e["action"] for e in case.timeline] == [
        "logged",
        "assign",
        "start",
        "resolve",
        "reply",
        "close",
    ]


@pytest.mark.parametrize("action", sorted(LIFECYCLE))
@pytest.mark.parametrize("state", STATES)
def test_every_step_from_every_state(action: str, state: str) -> None:
    _, case = logged()
    case = dataclasses.replace(
        case, status=state, reply={"channel": "phone", "on": "d", "satisfied": True, "note": ""}
    )
    kwargs: dict[str, object] = {"note": "理由"}
    if action == "assign":
        kwargs["owner"] = Owner("staff", "s1", "s1")
    if action == "reply":
        kwargs["reply"] = {"channel": "phone", "satisfied": True}
    sources, target = LIFECYCLE[action]
    if state in sources:
        moved = step(case, action, **kwargs)
        expected = state if action == "assign" and state != "logged" else target
        assert moved.status == expected
        assert moved.timeline[-1]["action"] == action
    else:
        with pytest.raises(CaseError) as caught:
            step(case, action, **kwargs)
        assert caught.value.code == "case.illegal"
        # The refusal names the step the case waits for instead, one it can take now.
        assert caught.value.params == {"action": action, "status": state, "next": NEXT_STEP[state]}
        assert state in LIFECYCLE[NEXT_STEP[state]][0]


def test_no_close_without_a_reply() -> None:
    _, case = logged()
    case = dataclasses.replace(case, status="replied", reply=None)
    with pytest.raises(CaseError) as caught:
        step(case, "close")
    assert caught.value.code == "case.no_reply"


def test_dissatisfied_resident_reopens_and_third_reopen_escalates() -> None:
    _, case = logged()
    case = dataclasses.replace(case, status="resolved")
    for round_ in range(1, ESCALATE_AFTER + 1):
        case = step(
            case, "reply", reply={"channel": "home_visit", "satisfied": False}, note="还是堵"
        )
        assert (case.status, case.reopen_count) == ("in_progress", round_)
        assert case.escalate is (round_ >= ESCALATE_AFTER)
        assert [e["action"] for e in case.timeline][-2:] == ["reply", "reopen"]
        case = step(case, "resolve", note="已处理")
    with pytest.raises(CaseError) as caught:
        step(dataclasses.replace(case, status="closed"), "reopen", note="  ")
    assert caught.value.code == "case.reopen_reason"


def test_notes_and_overdue() -> None:
    _, case = logged()
    noted = step(case, "note", note="已催物业")
    assert noted.status == "logged" and noted.timeline[-1]["note"] == "已催物业"
    assert is_overdue(case, "2026-11-26") and not is_overdue(case, "2026-11-25")
    assert not is_overdue(dataclasses.replace(case, status="replied"), "2026-12-30")


@pytest.mark.parametrize("outcome", ["", "  \n"])
def test_resolved_needs_what_was_done(outcome: str) -> None:
    _, case = logged()
    case = step(case, "assign", owner=Owner("staff", COMPOUND.grid_worker, COMPOUND.grid_worker))
    with pytest.raises(CaseError) as caught:
        step(case, "resolve", note=outcome)
    assert caught.value.code == "case.outcome_required"


def test_f4_search_finds_by_name_pinyin_phone_and_words() -> None:
    from tui.domain.cases import text_matches

    _, case = logged()
    case = dataclasses.replace(
        case,
        name="徐桂英",
        phone="+8613912345678",
        summary="院内危墙需要拆除",
        timeline=[*case.timeline, {"note": "物业已到现场"}],
    )
    for query in ("徐桂", "xgy", "xugui", "5678", "139 1234", "危墙", "物业已到", "", "  "):
        assert text_matches(case, query), query
    for query in ("王", "wzh", "0000", "下水道"):
        assert not text_matches(case, query), query

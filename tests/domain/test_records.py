from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from tui.domain.calendar import add_working_days
from tui.domain.catalogue import QUEUE_LETTERS, default_categories
from tui.domain.overview import count_cases, summarise_day
from tui.domain.records import (
    RECORD_TYPES,
    Case,
    Resident,
    ServiceSession,
    Visit,
    record_from_dict,
)

CST = timezone(timedelta(hours=8))


def test_every_record_carries_the_merge_fields() -> None:
    for cls in RECORD_TYPES.values():
        names = {f for f in cls.__dataclass_fields__}
        assert {"id", "rev", "created_at", "updated_at", "device", "by"} <= names
    data = Resident(name="王小明").to_dict()
    assert data["kind"] == "resident"
    assert uuid.UUID(data["id"]).version == 4


def test_stamped_increments_rev_and_keeps_created() -> None:
    first = Resident(name="王小明").stamped(
        now=datetime(2026, 11, 27, 9, 0, tzinfo=CST), device="laptop-1", by="李娜"
    )
    assert (first.rev, first.created_at, first.device, first.by) == (
        1,
        "2026-11-27T09:00:00+08:00",
        "laptop-1",
        "李娜",
    )
    second = first.stamped(now=datetime(2026, 11, 28, 9, 0, tzinfo=CST), device="l2", by="x")
    assert second.rev == 2
    assert second.created_at == first.created_at
    assert second.updated_at == "2026-11-28T09:00:00+08:00"


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError):
        Resident(name="x").stamped(now=datetime(2026, 1, 1), device="d", by="b")


def test_round_trip_through_dict_is_exact_and_unshared() -> None:
    case = Case(visit="v1", day="2026-11-20", timeline=[{"at": "t", "action": "logged"}])
    copy = record_from_dict(case.to_dict())
    assert copy == case
    assert isinstance(copy, Case)
    copy.timeline[0]["action"] = "changed"
    assert case.timeline[0]["action"] == "logged"


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError):
        record_from_dict({"kind": "spaceship", "id": "x"})


def test_category_catalogue() -> None:
    categories = default_categories()
    codes = [c.code for c in categories]
    assert len(codes) == len(set(codes)) == 14
    assert {c.letter for c in categories} <= set(QUEUE_LETTERS)
    assert {c.triage for c in categories} == {"now", "later"}
    assert {"elderly_subsidy", "repair", "legal", "dispute", "pets", "micro_wish"} <= set(codes)


def test_working_days_skip_weekends() -> None:
    friday = datetime(2026, 11, 27).date()
    assert add_working_days(friday, 1).isoformat() == "2026-11-30"
    assert add_working_days(friday, 5).isoformat() == "2026-12-04"


def test_case_counts() -> None:
    cases = [
        Case(visit="a", day="2026-11-20", due="2026-11-27"),
        Case(visit="b", day="2026-11-20", due="2026-11-26"),
        Case(visit="c", day="2026-11-20", due="2026-11-30"),
        Case(visit="d", day="2026-11-20", due="2026-11-01", status="closed"),
    ]
    counts = count_cases(cases, "2026-11-27")
    assert (counts.open, counts.due_today, counts.overdue) == (3, 1, 1)


def test_day_summary() -> None:
    visits = [Visit(day="d", name="a", status=s) for s in ("handled", "logged", "logged", "open")]
    summary = summarise_day("d", [ServiceSession(day="d", compound="c1")], visits)
    assert (summary.visits, summary.handled, summary.logged, summary.undecided) == (4, 1, 2, 1)
    assert summary.compounds == ("c1",)

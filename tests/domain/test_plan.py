"""The month's plan on made-up histories: which compounds come first, on
which days, with whom; stored outings stay."""

from __future__ import annotations

from datetime import date

import pytest

from tui.domain.plan import (
    DAYS_CAP,
    PlanError,
    accept,
    move,
    propose,
    rank,
    spread,
    swap,
    working_days,
)
from tui.domain.records import Case, Compound, Outing, ServiceSession, SessionRequest

TODAY = "2026-11-27"  # a Friday
MONTH = "2026-12"


def compounds(*names: str, retired: tuple[str, ...] = ()) -> list[Compound]:
    return [
        Compound(id=name, name=name, grid_worker=f"gw-{name}", active=name not in retired)
        for name in names
    ]


def case(compound: str, *, due: str = "2026-12-20", owner: str = "s1", kind: str = "staff") -> Case:
    return Case(
        visit="v",
        day="2026-11-01",
        compound=compound,
        due=due,
        owner=owner,
        owner_kind=kind,
        status="assigned",
    )


def order(ranking: list) -> list[str]:  # type: ignore[type-arg]
    return [s.compound for s in ranking]


def test_a_compound_not_visited_for_60_days_outranks_one_visited_last_week() -> None:
    places = compounds("A", "B")
    lasts = {"A": "2026-11-20", "B": "2026-09-28"}  # 7 and 60 days before today
    ranking = rank(places, TODAY, lasts, [], [], {})
    assert order(ranking) == ["B", "A"]
    assert [s.days_since for s in ranking] == [60, 7]
    # Never visited counts as the longest time.
    never = rank(compounds("A", "B", "C"), TODAY, lasts, [], [], {})
    assert order(never)[0] == "C" and never[0].days_since == DAYS_CAP


@pytest.mark.parametrize("what", ["overdue", "open", "requests", "uncertified"])
def test_waiting_work_raises_a_compound(what: str) -> None:
    places = compounds("A", "B")
    lasts = {"A": "2026-11-01", "B": "2026-11-01"}
    cases: list[Case] = []
    requests: list[SessionRequest] = []
    uncertified: dict[str, int] = {}
    if what == "overdue":
        cases = [case("A", due="2026-11-20"), case("B", due="2026-12-20")]
    elif what == "open":
        cases = [case("A")]
    elif what == "requests":
        requests = [SessionRequest(compound="A", day="2026-11-01", text="a lawyer")]
        requests.append(SessionRequest(compound="B", day="2026-11-01", text="x", status="done"))
    else:
        uncertified = {"A": 12, "B": 0}
    base = rank(places, TODAY, lasts, [], [], {})
    ranking = rank(places, TODAY, lasts, cases, requests, uncertified)
    assert order(ranking) == ["A", "B"]
    assert ranking[0].score > base[0].score
    # ... and it is enough to beat a compound left alone a few days longer.
    later = rank(
        places, TODAY, {"A": "2026-11-04", "B": "2026-11-01"}, cases, requests, uncertified
    )
    assert order(later) == ["A", "B"]


def test_closed_cases_and_met_requests_count_for_nothing() -> None:
    places = compounds("A")
    done = case("A")
    done.status = "closed"
    met = SessionRequest(compound="A", day="2026-11-01", text="x", status="done")
    (alone,) = rank(places, TODAY, {"A": "2026-11-01"}, [], [], {})
    (same,) = rank(places, TODAY, {"A": "2026-11-01"}, [done], [met], {})
    assert same.score == alone.score and same.open_cases == same.requests == 0


def test_retired_compounds_are_never_proposed() -> None:
    places = compounds("A", "B", "C", "D", retired=("A", "B"))
    ranking = rank(places, TODAY, {}, [case("A", due="2026-01-01")] * 5, [], {"A": 99})
    assert set(order(ranking)) == {"C", "D"}
    plan = propose(MONTH, TODAY, places, ranking, [], [], [], wanted=3)
    assert {o.compound for o in plan.outings} == {"C", "D"}


def test_dates_are_working_days_of_the_month_spread_out() -> None:
    places = compounds(*"ABCDEFG")
    ranking = rank(places, TODAY, {}, [], [], {})
    plan = propose(MONTH, TODAY, places, ranking, [], [], [], wanted=3)
    days = [o.day for o in plan.outings]
    assert [d[:7] for d in days] == [MONTH] * 3
    assert all(date.fromisoformat(d).weekday() < 5 for d in days)
    assert days == sorted(days) and len(set(days)) == 3
    assert days[0] <= "2026-12-10" and days[-1] >= "2026-12-20"  # early, middle, late
    # The best-ranked compounds, one outing each (rotation).
    assert [o.compound for o in plan.outings] == order(ranking)[:3]


def test_one_outing_a_day_even_when_the_month_is_nearly_over() -> None:
    places = compounds(*"ABCDEF")
    ranking = rank(places, "2026-12-30", {}, [], [], {})
    plan = propose(MONTH, "2026-12-30", places, ranking, [], [], [], wanted=3)
    assert [o.day for o in plan.outings] == ["2026-12-30", "2026-12-31"]  # two days left


def test_none_in_the_past_when_planning_the_current_month() -> None:
    places = compounds(*"ABCDEF")
    ranking = rank(places, "2026-12-22", {}, [], [], {})
    plan = propose(MONTH, "2026-12-22", places, ranking, [], [], [], wanted=3)
    assert all("2026-12-22" <= o.day <= "2026-12-31" for o in plan.outings)
    assert working_days(MONTH, "2026-12-22")[0] == "2026-12-22"
    with pytest.raises(PlanError) as refused:
        propose("2026-10", TODAY, places, ranking, [], [], [], wanted=3)
    assert refused.value.code == "plan.no_days_left"


def test_accepted_outings_stay_and_count() -> None:
    places = compounds(*"ABCDE")
    ranking = rank(places, TODAY, {}, [], [], {})
    kept = Outing(month=MONTH, day="2026-12-09", compound="E", status="accepted", staff=["x"])
    plan = propose(MONTH, TODAY, places, ranking, [kept], [], [], wanted=3)
    assert len(plan.outings) == 3
    assert plan.outings[0].outing is kept and plan.outings[0].day == "2026-12-09"
    assert [o.compound for o in plan.outings].count("E") == 1
    assert "2026-12-09" not in [o.day for o in plan.outings[1:]]
    # Accepting stores the two others; accepting the accepted plan stores nothing.
    records = accept(plan)
    assert [r.compound for r in records] == [o.compound for o in plan.outings[1:]]
    again = propose(MONTH, TODAY, places, ranking, [kept, *records], [], [], wanted=3)
    assert accept(again) == []


def test_sessions_held_this_month_count() -> None:
    places = compounds(*"ABCDE")
    held = [ServiceSession(day="2026-12-01", compound="A", status="closed")]
    ranking = rank(places, "2026-12-02", {"A": "2026-12-01"}, [], [], {})
    plan = propose(MONTH, "2026-12-02", places, ranking, [], [], [], held=held, wanted=3)
    assert plan.held == 1 and len(plan.outings) == 2
    assert "A" not in {o.compound for o in plan.outings}


def test_staff_are_the_grid_worker_and_the_owners_of_open_cases() -> None:
    places = compounds("A", "B")
    cases = [
        case("A", owner="s2"),
        case("A", owner="s1"),
        case("A", owner="s1"),
        case("A", owner="police", kind="party"),
        case("A", owner="gone"),
        case("B", owner="s3"),
    ]
    active = ["gw-A", "s1", "s2", "s3", "police"]
    ranking = rank(places, TODAY, {"B": "2026-11-26"}, cases, [], {})
    plan = propose(MONTH, TODAY, places, ranking, [], cases, active, wanted=1)
    (outing,) = plan.outings
    assert outing.compound == "A"
    assert outing.staff == ("gw-A", "s1", "s2")  # grid worker first; parties and the retired not


def test_move_and_swap() -> None:
    places = compounds(*"ABCD")
    ranking = rank(places, TODAY, {}, [], [], {})
    plan = propose(MONTH, TODAY, places, ranking, [], [], [], wanted=2)
    first, second = plan.outings
    moved = move(plan, first, "2026-12-14")
    assert (moved.day, moved.compound, moved.status) == ("2026-12-14", first.compound, "planned")
    for day, code in [
        ("2026-12-12", "plan.not_working_day"),
        ("2027-01-04", "plan.not_in_month"),
    ]:
        with pytest.raises(PlanError) as refused:
            move(plan, first, day)
        assert refused.value.code == code
    current = propose(MONTH, "2026-12-10", places, ranking, [], [], [], wanted=2)
    with pytest.raises(PlanError) as refused:
        move(current, current.outings[0], "2026-12-09")
    assert refused.value.code == "plan.in_the_past"
    # Swapping with another outing's compound trades the two.
    by_id = {c.id: c for c in places}
    one, two = swap(plan, first, by_id[second.compound], [], [])
    assert (one.day, one.compound) == (first.day, second.compound)
    assert (two.day, two.compound) == (second.day, first.compound)
    # With a compound outside the plan, only this outing changes.
    outside = next(c for c in places if c.id not in {first.compound, second.compound})
    (only,) = swap(plan, first, outside, [], [f"gw-{outside.id}"])
    assert only.compound == outside.id and only.staff == [f"gw-{outside.id}"]
    with pytest.raises(PlanError):
        swap(plan, first, compounds("Z", retired=("Z",))[0], [], [])


def test_spread() -> None:
    days = [f"d{i:02d}" for i in range(20)]
    assert spread(days, 3) == ["d03", "d10", "d16"]
    assert spread(days[:2], 3) == ["d00", "d01", "d00"]
    assert spread(days, 0) == []

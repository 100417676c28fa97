"""changes(): each commit as a typed Change, this process's (origin HERE, with
the kinds, session days and compounds it touched) and another process's
(origin ELSEWHERE, within seconds, whether the system tells of changed data
or it has to look), until `stop` is set. The feed is read in a thread and
waited on through a queue with a timeout (support.Feed)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.repository.conftest import Place
from tests.repository.support import (
    DAY,
    EARLIER,
    WAIT,
    Feed,
    case,
    category,
    certification,
    changed,
    closed,
    community,
    compound,
    outing,
    party,
    request,
    resident,
    save_elsewhere,
    session,
    staff,
    ticket,
    visit,
)
from tui.domain.records import Record
from tui.repository.events import Change, Kind, Origin
from tui.repository.interface import Repository

Follow = Callable[..., Feed]
NOTIFIED = pytest.mark.parametrize("notifications", [True, False], ids=["notified", "looking"])


def mine(change: Change) -> bool:
    return change.origin is Origin.HERE


def elsewhere(change: Change) -> bool:
    return change.origin is Origin.ELSEWHERE


# -- this process's commits -----------------------------------------------------------


@NOTIFIED
def test_a_commit_here_arrives_with_its_kinds_days_and_compounds(
    repo: Repository, follow: Follow, notifications: bool
) -> None:
    feed = follow(repo, notifications=notifications)
    with repo.transaction() as tx:  # what an intake writes
        tx.put(resident("李娜", "c1"))
        tx.put(visit(DAY, compound="c1"))
        tx.put(ticket(DAY))
    change = feed.wait_for(mine)
    assert change.kinds == {Kind.RESIDENT, Kind.VISIT, Kind.TICKET}
    assert change.days == {DAY}
    assert change.compounds == {"c1"}
    assert change.device == repo.device
    assert change.mine and change.touches_day(DAY) and not change.touches_day(EARLIER)


ONE_OF_EACH: dict[Kind, Callable[[], Record]] = {
    Kind.COMMUNITY: community,
    Kind.COMPOUND: compound,
    Kind.STAFF: staff,
    Kind.PARTY: party,
    Kind.CATEGORY: category,
    Kind.RESIDENT: lambda: resident("王小明", "c7"),
    Kind.REQUEST: lambda: request("c1"),
    Kind.SESSION: lambda: session(EARLIER),
    Kind.VISIT: lambda: visit(EARLIER),
    Kind.TICKET: lambda: ticket(EARLIER),
    Kind.CASE: case,
    Kind.CERTIFICATION: lambda: certification("r1"),
    Kind.OUTING: lambda: outing("2026-12-01"),
}


@pytest.mark.parametrize("kind", ONE_OF_EACH, ids=[k.value for k in ONE_OF_EACH])
def test_each_kind_of_record_saved_here_is_its_change(
    repo: Repository, follow: Follow, kind: Kind
) -> None:
    feed = follow(repo)
    record = repo.save(ONE_OF_EACH[kind]())
    change = feed.wait_for(mine)
    assert change.kinds == {kind}
    if kind in (Kind.SESSION, Kind.VISIT, Kind.TICKET):
        assert change.days == {EARLIER}
    if kind is Kind.RESIDENT:
        assert change.compounds == {"c7"}
    assert record.KIND == kind.value


def test_commits_here_arrive_one_change_each_in_order(repo: Repository, follow: Follow) -> None:
    feed = follow(repo)
    someone = repo.save(resident())
    repo.save(visit(DAY))
    logged = repo.save(case(EARLIER))
    repo.save(closed(logged))
    repo.save(changed(someone, note="改"))
    got = feed.wait_until(lambda taken: len([c for c in taken if mine(c)]) == 5)
    assert [set(c.kinds) for c in got if mine(c)] == [
        {Kind.RESIDENT},
        {Kind.VISIT},
        {Kind.CASE},
        {Kind.CASE},
        {Kind.RESIDENT},
    ]


def test_nested_transactions_are_one_change(repo: Repository, follow: Follow) -> None:
    feed = follow(repo)
    with repo.transaction() as outer:
        outer.put(session(DAY))
        with repo.transaction() as inner:
            inner.put(certification("r1"))
        repo.save(resident("王小明", "c2"))
    repo.save(request("c1"))  # the next commit: a change of its own
    got = feed.wait_until(lambda taken: mine(taken[-1]) and Kind.REQUEST in taken[-1].kinds)
    assert [set(c.kinds) for c in got if mine(c)] == [
        {Kind.SESSION, Kind.CERTIFICATION, Kind.RESIDENT},
        {Kind.REQUEST},
    ]
    nested = next(c for c in got if mine(c))
    assert nested.days == {DAY} and nested.compounds == {"c2"}


def test_what_was_not_written_is_not_announced(repo: Repository, follow: Follow) -> None:
    stored = repo.save(resident())
    feed = follow(repo)
    with pytest.raises(RuntimeError):
        with repo.transaction() as tx:
            tx.put(visit(DAY))
            raise RuntimeError("abandoned")
    with pytest.raises(Exception):  # noqa: B017 (refused: a stale copy, or invalid)
        repo.save_many([ticket(DAY), changed(stored, rev=0)])
    with pytest.raises(Exception):  # noqa: B017
        repo.save(resident(""))
    with repo.transaction():
        pass
    repo.save(request("c1"))  # the next commit
    got = feed.wait_for(mine)
    assert got.kinds == {Kind.REQUEST}
    assert [c for c in feed.seen if mine(c)] == [got]


@NOTIFIED
def test_commits_here_are_not_announced_again_as_another_processs(
    repo: Repository, place: Place, follow: Follow, notifications: bool
) -> None:
    """Whoever saved knows: a screen reloads once, a sync does not send back
    as someone else's what this desk wrote."""
    feed = follow(repo, notifications=notifications)
    for n in range(100):
        with repo.transaction() as tx:  # two places written at once, as an intake does
            tx.put(resident(f"居民{n}"))
            tx.put(visit(DAY))
    save_elsewhere(place, [request("c1")])  # another process commits after all of ours
    got = feed.wait_until(lambda taken: elsewhere(taken[-1]) and taken[-1].touches(Kind.REQUEST))
    assert len([c for c in got if mine(c)]) == 100
    echoes = [c for c in got if elsewhere(c) and c.touches(Kind.RESIDENT, Kind.VISIT)]
    assert echoes == [], f"{len(echoes)} of this process's 100 commits came back as another's"


# -- another process's commits --------------------------------------------------------


@NOTIFIED
def test_a_commit_by_another_process_arrives_as_elsewhere(
    repo: Repository, place: Place, follow: Follow, notifications: bool
) -> None:
    repo.save(resident("先来的"))  # the place exists and holds something
    feed = follow(repo, notifications=notifications)
    save_elsewhere(place, [resident("李娜", "c3"), visit(DAY)])

    def both(taken: list[Change]) -> bool:
        theirs = [c for c in taken if elsewhere(c)]
        return any(c.touches(Kind.RESIDENT) for c in theirs) and any(
            c.touches_day(DAY) for c in theirs
        )

    got = feed.wait_until(both, timeout=WAIT)
    for change in got:
        assert elsewhere(change) and not change.mine
        assert not change.compounds or "c3" in change.compounds


@NOTIFIED
def test_another_processs_commit_to_an_earlier_day_arrives(
    repo: Repository, place: Place, follow: Follow, notifications: bool
) -> None:
    """A second desk finishing the review of an earlier session day."""
    repo.save(session(EARLIER))
    feed = follow(repo, notifications=notifications)
    save_elsewhere(place, [visit(EARLIER, outcome="补录")])
    change = feed.wait_for(lambda c: elsewhere(c) and c.touches_day(EARLIER))
    assert Kind.VISIT in change.kinds
    assert [v.outcome for v in repo.visits(EARLIER)] == ["补录"]


@NOTIFIED
def test_a_case_closed_by_another_process_arrives(
    repo: Repository, place: Place, follow: Follow, notifications: bool
) -> None:
    logged = repo.save(case(EARLIER))
    feed = follow(repo, notifications=notifications)
    save_elsewhere(place, [closed(logged)])
    feed.wait_for(lambda c: elsewhere(c) and c.touches(Kind.CASE))
    assert repo.open_cases() == []


# -- stop ---------------------------------------------------------------------------


@NOTIFIED
def test_the_feed_ends_when_stop_is_set(
    repo: Repository, place: Place, follow: Follow, notifications: bool
) -> None:
    idle = follow(repo, notifications=notifications)
    busy = follow(repo, notifications=notifications)
    repo.save(resident())
    busy.wait_for(mine)
    assert idle.close() and busy.close()
    repo.save(resident("之后"))  # nobody is listening: nothing breaks
    assert idle.error is None and busy.error is None

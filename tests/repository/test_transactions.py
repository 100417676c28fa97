"""The unit of work: what is put in one transaction lands together or not at
all; nested transactions join; a stale copy is refused; a closing case moves
from the open cases to its month's closed ones in the same commit."""

from __future__ import annotations

import pytest

from tests.repository.conftest import Place
from tests.repository.support import (
    DAY,
    EARLIER,
    by_id,
    case,
    certification,
    changed,
    closed,
    compound,
    resident,
    session,
    ticket,
    visit,
)
from tui.domain.cases import advance
from tui.repository.errors import StoreConflict
from tui.repository.interface import Repository


class Abandon(Exception):
    """Raised inside a transaction by the tests, as any error would be."""


def snapshot(repo: Repository) -> dict[str, object]:
    """What the tests below may write, read through the interface."""
    return {
        "compounds": by_id(repo.compounds()),
        "residents": by_id(repo.residents()),
        "sessions": by_id(repo.sessions(DAY)),
        "visits": by_id(repo.visits(DAY)),
        "tickets": by_id(repo.tickets(DAY)),
        "open": by_id(repo.open_cases()),
        "closed": by_id(repo.closed_cases(EARLIER[:7])),
        "certifications": by_id(repo.certifications("2026Q4")),
        "days": repo.days(),
        "months": repo.archive_months(),
    }


@pytest.fixture
def before(repo: Repository) -> dict[str, object]:
    """Some records committed before each test, and what reads showed then."""
    home = repo.save(compound())
    repo.save(resident("王小明", home.id))
    repo.save(case(EARLIER))
    return snapshot(repo)


def test_several_records_land_together(repo: Repository, place: Place) -> None:
    with repo.transaction() as tx:
        person = tx.put(resident("李娜"))
        desk = tx.put(session(DAY))
        came = tx.put(visit(DAY, resident=person.id, session=desk.id))
        number = tx.put(ticket(DAY))
        logged = tx.put(case(DAY, visit=came.id, resident=person.id))
        done = tx.put(certification(person.id, DAY))
    for reader in (repo, place.open()):
        assert reader.resident(person.id) == person
        assert reader.sessions(DAY) == [desk]
        assert reader.visits(DAY) == [came]
        assert reader.tickets(DAY) == [number]
        assert reader.open_cases() == [logged]
        assert reader.certifications("2026Q4") == [done]


def test_an_error_inside_the_block_writes_nothing(
    repo: Repository, place: Place, before: dict[str, object]
) -> None:
    (someone,) = repo.residents()
    with pytest.raises(Abandon):
        with repo.transaction() as tx:
            tx.put(changed(someone, note="改了"))
            tx.put(resident("新来的"))
            tx.put(visit(DAY))
            tx.put(ticket(DAY))
            tx.put(closed(repo.open_cases()[0]))
            raise Abandon
    assert snapshot(repo) == snapshot(place.open()) == before
    # And the next unit of work starts clean.
    again = repo.save(changed(someone, note="再改"))
    assert again.rev == someone.rev + 1
    assert by_id(place.open().residents()) == {someone.id: again}


def test_nested_transactions_join_the_outer_one(
    repo: Repository, place: Place, before: dict[str, object]
) -> None:
    with pytest.raises(Abandon):
        with repo.transaction() as outer:
            outer.put(resident("外层"))
            with repo.transaction() as inner:
                inner.put(visit(DAY))
            repo.save(ticket(DAY))  # a save inside a transaction joins it too
            repo.save_many([resident("多条")])
            raise Abandon
    assert snapshot(repo) == snapshot(place.open()) == before
    with repo.transaction() as outer:
        first = outer.put(resident("外层"))
        with repo.transaction() as inner:
            second = inner.put(visit(DAY))
        third = repo.save(ticket(DAY))
    fresh = place.open()
    assert fresh.resident(first.id) == first
    assert fresh.visits(DAY) == [second]
    assert fresh.tickets(DAY) == [third]


def test_a_record_put_twice_in_one_transaction_is_one_revision(
    repo: Repository, place: Place
) -> None:
    stored = repo.save(resident(note="一"))
    with repo.transaction() as tx:
        once = tx.put(changed(stored, note="二"))
        twice = tx.put(changed(once, note="三", phone="13800138000"))
    assert once.rev == twice.rev == 2
    assert place.open().resident(stored.id) == twice
    assert repo.save(changed(twice, note="四")).rev == 3
    with repo.transaction() as tx:  # a new record, too
        new = tx.put(visit(DAY, description="一"))
        new = tx.put(changed(new, description="二"))
    assert new.rev == 1
    assert place.open().visits(DAY) == [new]


def test_reads_inside_a_transaction_see_what_was_committed_before_it(
    repo: Repository,
) -> None:
    stored = repo.save(resident(note="一"))
    with repo.transaction() as tx:
        tx.put(changed(stored, note="二"))
        staged = tx.put(resident("新来的"))
        assert repo.resident(stored.id) == stored
        assert repo.resident(staged.id) is None
    assert repo.resident(staged.id) == staged


def test_a_stale_copy_raises_conflict_and_nothing_is_written(
    repo: Repository, place: Place, before: dict[str, object]
) -> None:
    (mine,) = repo.residents()
    desk2 = place.open(device="desk-2", by="李四")
    theirs = desk2.resident(mine.id)
    assert theirs is not None
    theirs = desk2.save(changed(theirs, note="二号台改的"))
    expected = {**before, "residents": {mine.id: theirs}}
    with pytest.raises(StoreConflict):
        with repo.transaction() as tx:
            tx.put(visit(DAY))
            tx.put(ticket(DAY))
            tx.put(changed(mine, note="过期的修改"))  # read before desk 2 saved
            tx.put(resident("新来的"))
    assert snapshot(repo) == snapshot(place.open()) == expected
    with pytest.raises(StoreConflict):
        repo.save_many([visit(DAY), changed(mine, note="过期的修改")])
    with pytest.raises(StoreConflict):
        repo.save(changed(mine, note="过期的修改"))
    assert snapshot(repo) == snapshot(place.open()) == expected


def test_a_record_saved_in_two_handles_from_one_copy_conflicts(
    repo: Repository, place: Place
) -> None:
    stored = repo.save(visit(DAY))
    desk2 = place.open(device="desk-2", by="李四")
    desk2.save(changed(stored, outcome="二号台办结"))
    with pytest.raises(StoreConflict):
        repo.save(changed(stored, outcome="一号台办结"))
    assert [v.outcome for v in place.open().visits(DAY)] == ["二号台办结"]


def test_a_closing_case_moves_to_its_months_closed_cases(
    repo: Repository, place: Place, before: dict[str, object]
) -> None:
    (logged,) = repo.open_cases()
    month = logged.day[:7]
    with repo.transaction() as tx:
        done = tx.put(closed(logged))
        tx.put(visit(DAY))
    for reader in (repo, place.open()):
        assert reader.open_cases() == []
        assert reader.closed_cases(month) == [done]
        assert reader.archive_months() == [month]
    assert done.rev == logged.rev + 1
    now = repo.now()
    reopened = repo.save(advance(done, "reopen", now=now, by="t", note="又坏了"))
    for reader in (repo, place.open()):
        assert reader.open_cases() == [reopened]
        assert reader.closed_cases(month) == []


@pytest.mark.parametrize("stored", [True, False], ids=["stored-case", "new-case"])
def test_a_case_put_then_closed_in_one_transaction_is_only_closed(
    repo: Repository, place: Place, stored: bool
) -> None:
    """One unit of work that changes a case and then closes it (a reply and
    the close saved together), or logs one and closes it at once."""
    logged = repo.save(case(EARLIER)) if stored else case(EARLIER)
    with repo.transaction() as tx:
        noted = tx.put(changed(logged, note="回访前的记录"))
        done = tx.put(closed(noted))
    assert done.rev == logged.rev + 1
    for reader in (repo, place.open()):
        assert reader.open_cases() == []
        assert reader.closed_cases(EARLIER[:7]) == [done]


def test_a_failed_close_leaves_the_case_open(
    repo: Repository, place: Place, before: dict[str, object]
) -> None:
    (logged,) = repo.open_cases()
    with pytest.raises(Abandon):
        with repo.transaction() as tx:
            tx.put(closed(logged))
            raise Abandon
    assert snapshot(repo) == snapshot(place.open()) == before


def test_an_empty_transaction_writes_nothing(
    repo: Repository, place: Place, before: dict[str, object]
) -> None:
    with repo.transaction():
        pass
    assert repo.save_many([]) == []
    assert snapshot(repo) == snapshot(place.open()) == before

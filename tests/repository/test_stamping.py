"""Every commit stamps what it stores: rev one more than before, created_at
kept from the first save, updated_at, device and by those of the handle that
saved it."""

from __future__ import annotations

from datetime import date, time

from tests.repository.conftest import BY, DEVICE, Place
from tests.repository.support import MOMENT, by_id, changed, resident, visit
from tui.domain.calendar import fixed_clock
from tui.domain.records import Resident
from tui.repository.interface import Repository

NEXT_MORNING = fixed_clock(date(2026, 11, 28), time(9, 30))


def test_a_new_record_gets_rev_1_and_this_handles_stamps(repo: Repository, place: Place) -> None:
    forged = resident(device="someone-else", by="冒名", updated_at="2020-01-01T00:00:00+08:00")
    saved = repo.save(forged)
    assert saved.rev == 1
    assert saved.created_at == saved.updated_at == MOMENT
    assert (saved.device, saved.by) == (repo.device, repo.by) == (DEVICE, BY)
    assert place.open().resident(saved.id) == saved


def test_each_commit_adds_one_and_keeps_created_at(repo: Repository, place: Place) -> None:
    first = repo.save(resident(note="一"))
    desk2 = place.open(device="desk-2", by="李四", clock=NEXT_MORNING)
    mine = desk2.resident(first.id)
    assert mine is not None
    second = desk2.save(changed(mine, note="二"))
    assert second.rev == 2
    assert second.created_at == first.created_at == MOMENT
    assert second.updated_at == "2026-11-28T09:30:00+08:00"
    assert (second.device, second.by) == ("desk-2", "李四")
    assert repo.resident(first.id) == second
    third = repo.save(changed(second, note="三"))
    assert (third.rev, third.created_at, third.updated_at) == (3, MOMENT, MOMENT)
    assert (third.device, third.by) == (DEVICE, BY)
    assert desk2.resident(first.id) == third


def test_who_saves_can_change_while_the_handle_is_open(repo: Repository) -> None:
    repo.by = "新来的"  # the app does this when staff change at the desk
    assert repo.save(resident()).by == "新来的"


def test_a_transaction_is_one_revision_of_each_record(repo: Repository) -> None:
    first, second = repo.save_many([resident("甲"), resident("乙")])
    assert (first.rev, second.rev) == (1, 1)
    with repo.transaction() as tx:
        first = tx.put(changed(first, note="x"))
        second = tx.put(changed(second, note="y"))
        new = tx.put(visit())
    assert (first.rev, second.rev, new.rev) == (2, 2, 1)
    assert by_id(repo.residents()) == by_id([first, second])
    assert repo.visits(new.day) == [new]


def test_put_returns_the_record_as_it_is_stored(repo: Repository, place: Place) -> None:
    with repo.transaction() as tx:
        staged = tx.put(resident("  王小明 ", phone="138 0013 8000"))
        assert staged.rev == 1 and staged.updated_at == MOMENT
    assert (staged.name, staged.phone) == ("王小明", "+8613800138000")  # validated
    assert place.open().resident(staged.id) == staged


def test_bulk_loading_stamps_or_keeps_the_stamps_given(repo: Repository, place: Place) -> None:
    stamped = repo.save_all([resident("甲"), resident("乙")])
    assert all((r.rev, r.updated_at, r.device) == (1, MOMENT, DEVICE) for r in stamped)
    kept = Resident(
        name="丙",
        rev=7,
        created_at="2025-01-02T03:04:05+08:00",
        updated_at="2026-01-02T03:04:05+08:00",
        device="old-laptop",
        by="老王",
    )
    (loaded,) = repo.save_all([kept], stamp=False)
    assert loaded == kept
    assert by_id(place.open().residents()) == by_id([*stamped, kept])

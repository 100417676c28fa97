"""Saving and loading through the repository the screens use."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import HOSTILE
from tui.domain.errors import ValidationFailed
from tui.domain.records import Case, Resident, Visit
from tui.domain.text import clean_text
from tui.domain.validate import DESCRIPTION_MAX
from tui.repository.errors import SchemaTooNew, StoreConflict
from tui.store import schema
from tui.store.journal import Changes
from tui.store.layout import CASES_OPEN, archive_path, day_path, path_for
from tui.store.repository import Store


def test_save_stamps_and_returns_what_is_stored(store: Store) -> None:
    saved = store.save(Resident(name="  王小明 ", phone="138-0013-8000"))
    assert (saved.rev, saved.device, saved.by) == (1, "test-laptop", "测试员")
    assert saved.created_at == saved.updated_at == "2026-11-27T18:00:00+08:00"
    assert store.residents() == [saved]
    assert saved.name == "王小明" and saved.phone == "+8613800138000"


@pytest.mark.parametrize("raw", HOSTILE["strings"])
def test_hostile_strings_are_stored_and_read_back_exactly(
    tmp_path: Path, clock: Callable[[], datetime], raw: str
) -> None:
    store = Store(tmp_path / "d", device="d", by="b", clock=clock)
    visit = Visit(day="2026-11-27", name="王小明", description=raw, outcome=raw[:1000])
    expected = clean_text(raw, multiline=True)
    if len(expected) > DESCRIPTION_MAX:
        with pytest.raises(ValidationFailed):
            store.save(visit)
        assert store.visits("2026-11-27") == []
        return
    store.save(visit)
    fresh = Store(tmp_path / "d", device="d", by="b", clock=clock)  # read from disk, not cache
    (back,) = fresh.visits("2026-11-27")
    assert back.description == expected


def test_invalid_record_is_not_saved(store: Store) -> None:
    with pytest.raises(ValidationFailed):
        store.save(Resident(name="", phone="12345"))
    assert store.residents() == []


def test_stale_copy_is_refused_not_silently_overwritten(store: Store) -> None:
    first = store.save(Resident(name="王小明"))
    store.save(dataclasses.replace(first, note="第二次"))
    with pytest.raises(StoreConflict):
        store.save(dataclasses.replace(first, note="过期的修改"))
    (current,) = store.residents()
    assert (current.note, current.rev) == ("第二次", 2)


def test_cases_move_between_open_file_and_monthly_archive(store: Store, data_dir: Path) -> None:
    case = store.save(Case(visit="v1", day="2026-03-15", summary="下水道堵塞"))
    assert [c.id for c in store.open_cases()] == [case.id]
    closed = store.save(dataclasses.replace(case, status="closed"))
    assert store.open_cases() == []
    assert [c.id for c in store.closed_cases("2026-03")] == [case.id]
    reopened = store.save(dataclasses.replace(closed, status="in_progress", reopen_count=1))
    assert [c.rev for c in store.open_cases()] == [reopened.rev] == [3]
    assert store.closed_cases("2026-03") == []
    assert (data_dir / CASES_OPEN).exists() and (data_dir / archive_path("2026-03")).exists()


def test_day_files_hold_one_session_day(store: Store, data_dir: Path) -> None:
    store.save(Visit(day="2026-11-20", name="甲"))
    store.save(Visit(day="2026-11-27", name="乙"))
    assert store.days() == ["2026-11-20", "2026-11-27"]
    assert (data_dir / day_path("2026-11-20")).exists()
    assert [v.name for v in store.visits("2026-11-20")] == ["甲"]


def test_watcher_reports_other_writers_changes_only(store: Store, data_dir: Path) -> None:
    watcher = store.watcher()
    assert watcher.poll() == set()
    store.save(Resident(name="王小明"))
    assert watcher.poll() == set()  # our own save: we know
    other = Store(data_dir, device="desk-2", by="另一台")
    other.save(Resident(name="李娜"))
    assert watcher.poll() == {"residents/_none.json"}
    assert watcher.poll() == set()
    other.save(Visit(day=store.today(), name="张三"))
    assert watcher.poll() == {f"days/{store.today()}.json"}


def test_schema_too_new_is_refused(store: Store, data_dir: Path) -> None:
    schema.write_version(store, schema.CURRENT + 1)
    with pytest.raises(SchemaTooNew):
        Store(data_dir, device="d", by="b")


def test_migrations_run_in_order_with_a_backup_first(
    store: Store, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = store.save(Resident(name="王小明"))
    ran: list[int] = []
    version = schema.CURRENT

    def add_note(s: Store, changes: Changes) -> None:
        ran.append(version)
        (resident,) = s.residents()
        noted = dataclasses.replace(resident, note="migrated").to_dict()
        changes.put(path_for(noted), "resident", noted)

    monkeypatch.setattr(schema, "CURRENT", version + 1)
    monkeypatch.setattr(schema, "MIGRATIONS", {version: add_note})
    migrated = Store(data_dir, device="d", by="b", clock=store.now)
    assert ran == [version]
    assert schema.read_version(migrated) == version + 1
    assert migrated.residents()[0].note == "migrated"
    backup = data_dir / "backups" / f"2026-11-27-pre-schema-{version}"
    assert (backup / path_for(saved.to_dict())).exists()

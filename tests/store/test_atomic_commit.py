"""Every action that writes several files lands whole or not at all: a real
process killed with SIGKILL at random instants (and at chosen ones) over
intake, triage and case close, then the folder opened and checked."""

from __future__ import annotations

import shutil
import signal
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import orjson
import pytest

from tests.conftest import SAMPLE, open_today, resident_docs
from tests.store.test_crash_and_concurrency import finish, kill_at_random, start, wait_ready
from tui.domain.records import Resident, Visit
from tui.repository.errors import StoreWriteError
from tui.store.check import check_folder
from tui.store.journal import JOURNAL
from tui.store.layout import CASES_OPEN, archive_path, day_path, residents_path
from tui.store.repository import Store

ROUNDS = 300


def acked_actions(out: str) -> list[list[str]]:
    """The 'ack ...' lines printed whole (a killed child may cut the last)."""
    return [
        line.split()[1:]
        for line in out.splitlines(keepends=True)
        if line.startswith("ack ") and line.endswith("\n")
    ]


def docs(path: Path, table: str) -> dict[str, dict[str, object]]:
    if not path.exists():
        return {}
    rows = orjson.loads(path.read_bytes()).get(table, {})
    return {d["id"]: d for d in rows.values()}


def assert_whole(data: Path, acks: list[list[str]]) -> None:
    """Open the folder as the next desk would, then: check is clean (no visit
    pointing at a missing ticket or case, no case in two files) and every
    acknowledged action is there in full."""
    store = Store(data, device="checker", by="checker")
    assert store.problems == []
    assert not (data / JOURNAL).exists()
    report = check_folder(data)
    assert [(f.file, f.code, f.detail) for f in report.problems] == []
    day = store.today()
    visits = docs(data / day_path(day), "visit")
    tickets = docs(data / day_path(day), "ticket")
    residents = resident_docs(data)
    open_cases = docs(data / CASES_OPEN, "case")
    closed = docs(data / archive_path(day[:7]), "case")
    for kind, *ids in acks:
        if kind == "intake":
            visit, ticket, resident = ids
            assert visit in visits and ticket in tickets and resident in residents
            assert visits[visit]["ticket"] == ticket and visits[visit]["resident"] == resident
        elif kind == "triage":
            visit, case = ids
            assert visits[visit]["status"] == "logged" and visits[visit]["case"] == case
            assert case in open_cases or case in closed
        elif kind == "close":
            (case,) = ids
            assert case in closed and case not in open_cases
            assert closed[case]["status"] == "closed"


def kill_round(data: Path, seed: int) -> int:
    acks = acked_actions(kill_at_random("actions", data, seed, 0.15))
    assert_whole(data, acks)
    return len(acks)


@pytest.mark.slow
def test_sigkill_at_random_instants_never_leaves_half_an_action(tmp_path: Path) -> None:
    """300 rounds over 2 folders at a time, `check` clean after each."""
    folders = [tmp_path / f"d{n}" for n in range(2)]
    for folder in folders:
        shutil.copytree(SAMPLE, folder)
        open_today(Store(folder, device="setup", by="setup"))  # tickets need an open session

    def run(lane: int) -> int:
        return sum(kill_round(folders[lane], seed) for seed in range(lane, ROUNDS, 2))

    with ThreadPoolExecutor(max_workers=2) as pool:
        total = sum(pool.map(run, range(2)))
    assert total > ROUNDS  # the children got real work done between kills


@pytest.mark.parametrize("write", [1, 2, 3, 4])
def test_killed_before_any_file_of_an_intake_is_in_place(tmp_path: Path, write: int) -> None:
    """An intake replaces journal.json (1), then the resident's compound file
    and the day file (2, 3); the triage's journal is next (4). Killed just before each
    replace: the intake is absent (1) or whole (2-4), never half."""
    data = tmp_path / "d"
    shutil.copytree(SAMPLE, data)
    # Tickets need an open session: opened here, so the child's writes are the intake's.
    open_today(Store(data, device="setup", by="setup"))
    before = set(resident_docs(data))
    proc = start("actions", str(data), "1", "kill", str(write))
    wait_ready(proc)
    out = finish(proc, timeout=30)
    assert proc.returncode == -signal.SIGKILL
    # Before anyone opens the folder, `check` says an action awaits completion.
    pending = [f.file for f in check_folder(data).notes if f.code == "check.pending_commit"]
    assert pending == ([JOURNAL] if write in (2, 3) else [])
    assert_whole(data, acked_actions(out))
    store = Store(data, device="checker", by="checker")
    added = set(resident_docs(data)) - before
    visits = [v for v in store.visits(store.today()) if v.name == "kill-0"]
    # Killed while writing the journal: nothing; after it: all of it.
    assert len(added) == len(visits) == (0 if write == 1 else 1)


def test_a_failed_write_puts_back_the_files_already_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Disk full on the second file of an intake: the error means nothing
    changed, so the first file is put back and no journal is left."""
    data = tmp_path / "d"
    shutil.copytree(SAMPLE, data)
    store = Store(data, device="t", by="t")
    residents = data / residents_path(store.compounds()[0].id)
    residents_before = residents.read_bytes()
    from tui.store import storage

    real_write = storage.AtomicJSONStorage.write

    def full_on_day_file(self: storage.AtomicJSONStorage, tables: dict) -> None:  # type: ignore[type-arg]
        if self.path.parent.name == "days":
            raise StoreWriteError(self.path, "disk_full")
        real_write(self, tables)

    monkeypatch.setattr(storage.AtomicJSONStorage, "write", full_on_day_file)
    resident = Resident(name="写一半", compound=store.compounds()[0].id)
    visit = Visit(day=store.today(), name="写一半", resident=resident.id)
    with pytest.raises(StoreWriteError):
        store.save_many([resident, visit])
    monkeypatch.undo()
    assert residents.read_bytes() == residents_before
    assert not (data / JOURNAL).exists()
    assert "写一半" not in {r.name for r in Store(data, device="t2", by="t").residents()}


def test_a_journal_naming_a_file_outside_the_folder_is_not_obeyed(tmp_path: Path) -> None:
    """journal.json is only ever applied to the folder's own data files."""
    data = tmp_path / "d"
    shutil.copytree(SAMPLE, data)
    intent = {"changes": [{"file": "../escaped.json", "put": {"x": [{"id": "1"}]}, "remove": {}}]}
    (data / JOURNAL).write_bytes(orjson.dumps(intent))
    store = Store(data, device="t", by="t")
    assert not (tmp_path / "escaped.json").exists()
    assert [p.path.name for p in store.problems] == [JOURNAL]
    assert not (data / JOURNAL).exists() and list(data.glob("journal.json.corrupt-*"))

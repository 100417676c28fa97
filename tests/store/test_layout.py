"""Residents live in one file per compound (residents/<compound>.json): a
save writes one compound's residents, never the whole registry, and finds
a resident's stored copy through an id -> file index, not by reading every
compound's file."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.conftest import issue_forms, open_today, resident_docs
from tui.domain.calendar import CST
from tui.domain.intake import IntakeForm
from tui.domain.records import Resident
from tui.domain.validate import MERGE_KEYS
from tui.repository.errors import StoreConflict
from tui.store import storage
from tui.store.check import check_folder
from tui.store.feed import change_of_files
from tui.store.journal import JOURNAL
from tui.store.layout import (
    RESIDENTS_DIR,
    RESIDENTS_V1,
    compound_of_file,
    day_path,
    is_residents_file,
    residents_path,
)
from tui.store.repository import Store

UUID = "3f724926-32e4-434c-8b34-8cea9c31b930"


class Spy:
    """The data files this process writes (with their size) and reads from disk."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
        self.root = root
        self.writes: list[tuple[str, int]] = []
        self.reads: list[str] = []
        real_write = storage.atomic_write
        real_read = storage.AtomicJSONStorage.read

        def write(path: Path, payload: bytes) -> None:
            self.writes.append((self._rel(path), len(payload)))
            real_write(path, payload)

        def read(reader: storage.AtomicJSONStorage) -> storage.Tables | None:
            before = reader._data
            data = real_read(reader)
            if data is not None and data is not before:  # parsed from disk, not a cached copy
                self.reads.append(self._rel(reader.path))
            return data

        from tui.store import journal

        monkeypatch.setattr(storage, "atomic_write", write)
        monkeypatch.setattr(journal, "atomic_write", write)
        monkeypatch.setattr(storage.AtomicJSONStorage, "read", read)

    def _rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def clear(self) -> None:
        self.writes.clear()
        self.reads.clear()


def residents_of(folder: Path, rel: str) -> dict[str, dict[str, Any]]:
    path = folder / rel
    if not path.exists():
        return {}
    return {d["id"]: d for d in orjson.loads(path.read_bytes())["resident"].values()}


@pytest.mark.parametrize(
    "compound",
    ["", "../registry", "a/b", "a.b", "A1", "CON", "con", "nul", "lpt1", "中文", "_none"],
)
def test_a_compound_id_unfit_to_name_a_file_shares_the_file_of_none(compound: str) -> None:
    assert residents_path(compound) == "residents/_none.json"


@pytest.mark.parametrize("compound", [UUID, "c1", "test-compound", "0" * 64])
def test_a_compound_id_names_its_residents_file(compound: str) -> None:
    rel = residents_path(compound)
    assert rel == f"residents/{compound}.json"
    assert is_residents_file(rel) and compound_of_file(rel) == compound
    assert residents_path("x" * 65) == "residents/_none.json"


def test_which_files_hold_residents() -> None:
    assert is_residents_file(RESIDENTS_V1) and is_residents_file("residents/_none.json")
    assert compound_of_file("residents/_none.json") is None
    assert compound_of_file(RESIDENTS_V1) is None
    for other in ("registry.json", "residents/../registry.json", "residents/a/b.json", "x.json"):
        assert not is_residents_file(other)


def test_a_new_resident_writes_its_compound_file_and_the_day_file_only(
    sample_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The intake path: journal, one compound's residents, one day. No file
    that grows with the community or with the years."""
    store = Store(sample_dir, device="t", by="t")
    open_today(store)
    compound = store.compounds()[0].id
    spy = Spy(monkeypatch, sample_dir)
    issue_forms(store, [IntakeForm(name="新来的", compound=compound, category="repair")])
    mine = residents_path(compound)
    day = day_path(store.today())
    assert [rel for rel, _ in spy.writes] == [JOURNAL, mine, day]
    assert dict(spy.writes)[mine] == (sample_dir / mine).stat().st_size
    assert {d["compound"] for d in residents_of(sample_dir, mine).values()} == {compound}
    # The first new resident built the index (every compound's file read once) ...
    assert set(spy.reads) >= {
        f"{RESIDENTS_DIR}/{p.name}" for p in (sample_dir / RESIDENTS_DIR).glob("*.json")
    }
    spy.clear()
    # ... after which a save reads none of them again: only its own files are looked at.
    issue_forms(store, [IntakeForm(name="又来的", compound=compound, category="repair")])
    assert [rel for rel, _ in spy.writes] == [JOURNAL, mine, day]
    assert [rel for rel in spy.reads if is_residents_file(rel)] == []


def test_the_journal_of_an_intake_holds_that_intake_only(
    sample_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(sample_dir, device="t", by="t")
    open_today(store)
    compound = store.compounds()[0].id
    journals: list[bytes] = []
    from tui.store import journal

    real = journal.atomic_write
    monkeypatch.setattr(
        journal,
        "atomic_write",
        lambda path, payload: (journals.append(payload), real(path, payload)),
    )
    issue_forms(store, [IntakeForm(name="新来的", compound=compound, category="repair")])
    (payload,) = journals
    changes = orjson.loads(payload)["changes"]
    kinds = sorted(k for c in changes for k, docs in c["put"].items() for _ in docs)
    assert kinds == ["resident", "ticket", "visit"]


def test_residents_of_one_compound_are_read_from_its_file_alone(
    sample_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = resident_docs(sample_dir)
    compound = next(iter(expected.values()))["compound"]
    mine = residents_path(compound)
    for path in (sample_dir / RESIDENTS_DIR).glob("*.json"):
        if path.name != Path(mine).name:
            path.write_bytes(b"{not read")  # would be moved aside if it were read
    store = Store(sample_dir, device="t", by="t")
    spy = Spy(monkeypatch, sample_dir)
    found = store.residents(compound=compound)
    assert {r.id: r.to_dict() for r in found} == {
        i: {k: v for k, v in d.items() if k not in MERGE_KEYS}
        for i, d in expected.items()
        if d["compound"] == compound
    }
    assert spy.reads == [mine]
    assert not list((sample_dir / RESIDENTS_DIR).glob("*.corrupt-*"))


def test_residents_without_a_compound_have_a_file_of_their_own(
    store: Store, data_dir: Path
) -> None:
    nobody = store.save(Resident(name="无小区"))
    somewhere = store.save(Resident(name="有小区", compound="c1"))
    assert residents_of(data_dir, "residents/_none.json").keys() == {nobody.id}
    assert residents_of(data_dir, "residents/c1.json").keys() == {somewhere.id}
    assert store.residents(compound="") == [nobody]
    assert store.residents(compound="c1") == [somewhere]
    assert {r.id for r in store.residents()} == {nobody.id, somewhere.id}


def test_a_resident_whose_compound_changes_moves_file_in_one_commit(
    store: Store, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = store.save(Resident(name="搬家的", compound="c-a"))
    spy = Spy(monkeypatch, data_dir)
    moved = store.save(dataclasses.replace(first, compound="c-b"))
    # Both files in one journalled commit: removed from one, put in the other.
    assert [rel for rel, _ in spy.writes] == [JOURNAL, "residents/c-b.json", "residents/c-a.json"]
    assert residents_of(data_dir, "residents/c-a.json") == {}
    assert residents_of(data_dir, "residents/c-b.json")[first.id]["rev"] == moved.rev == 2
    assert store.resident(first.id) == moved
    assert store.residents(compound="c-a") == [] and store.residents(compound="c-b") == [moved]
    # The change a move announces names both compounds.
    with store.transaction() as tx:
        again = tx.put(dataclasses.replace(moved, compound="c-c"))
        assert tx.compounds == {"c-b", "c-c"}
    assert store.resident(first.id) == again and residents_of(data_dir, "residents/c-b.json") == {}
    # The copy read before the move is stale, wherever it would go.
    for compound in ("c-a", "c-b", "c-c"):
        with pytest.raises(StoreConflict):
            store.save(dataclasses.replace(first, compound=compound, note="过期"))
    # In one file only (the made-up compounds are not in the registry: said too).
    assert {f.code for f in check_folder(data_dir).problems} == {"check.dangling"}


def test_the_index_follows_another_process_moving_a_resident(store: Store, data_dir: Path) -> None:
    first = store.save(Resident(name="王小明", compound="c-a"))
    assert store.resident(first.id) == first  # the index is built
    other = Store(data_dir, device="desk-2", by="另一台")
    moved = other.save(dataclasses.replace(first, compound="c-b", note="搬到别处"))
    # This process sees where it went, from the files' stamps alone.
    assert store.resident_file(first.id) == "residents/c-b.json"
    assert store.resident(first.id) == moved
    with pytest.raises(StoreConflict):
        store.save(dataclasses.replace(first, note="过期的修改"))
    back = store.save(dataclasses.replace(moved, compound="c-a"))
    assert (
        other.resident(first.id) == back and other.resident_file(first.id) == "residents/c-a.json"
    )
    assert residents_of(data_dir, "residents/c-b.json") == {}


def test_check_finds_a_resident_misplaced_twice_kept_or_left_in_residents_json(
    sample_dir: Path,
) -> None:
    assert check_folder(sample_dir).problems == []
    first, second = sorted((sample_dir / RESIDENTS_DIR).glob("*.json"))[:2]
    tables = orjson.loads(first.read_bytes())
    key, stray = next(iter(tables["resident"].items()))
    # In another compound's file (and still in its own): both are said.
    other = orjson.loads(second.read_bytes())
    other["resident"]["999"] = stray
    second.write_bytes(orjson.dumps(other))
    found = {(f.file, f.code, f.detail) for f in check_folder(sample_dir).problems}
    here = f"{RESIDENTS_DIR}/{second.name}"
    assert found == {
        (here, "check.wrong_file", f"{stray['id']} belongs in {RESIDENTS_DIR}/{first.name}"),
        (here, "check.duplicate_id", f"{stray['id']} also in {RESIDENTS_DIR}/{first.name}"),
    }
    second.write_bytes(
        orjson.dumps({"resident": {k: v for k, v in other["resident"].items() if k != "999"}})
    )
    # A residents.json of schema 1 left beside residents/.
    (sample_dir / RESIDENTS_V1).write_bytes(orjson.dumps({"resident": {key: stray}}))
    codes = {(f.file, f.code) for f in check_folder(sample_dir).problems}
    assert codes == {
        (RESIDENTS_V1, "check.residents_v1_left"),
        (RESIDENTS_V1, "check.wrong_file"),
        (f"{RESIDENTS_DIR}/{first.name}", "check.duplicate_id"),
    }
    # The store reads residents/ only, and an export holds each resident once.
    from tui.store.exchange import collect

    store = Store(sample_dir, device="t", by="t")
    ids = [d["id"] for d in collect(store)["resident"]]
    assert len(ids) == len(set(ids)) == len(resident_docs(sample_dir))


def test_a_change_to_a_compounds_file_names_that_compound() -> None:
    change = change_of_files([f"residents/{UUID}.json", "residents/c1.json"])
    assert change.kinds == {"resident"} and change.compounds == {UUID, "c1"}
    unknown = change_of_files([f"residents/{UUID}.json", "residents/_none.json"])
    assert unknown.kinds == {"resident"} and unknown.compounds == frozenset()


def test_a_pending_journal_deleting_a_file_is_completed(tmp_path: Path) -> None:
    """The migration's commit deletes residents.json: applied again after a
    crash, the deletion is idempotent like puts and removes."""
    data = tmp_path / "d"
    Store(data, device="t", by="t")
    doc = Resident(name="王小明", compound="c1").stamped(now=_now(), device="t", by="t").to_dict()
    (data / RESIDENTS_V1).write_bytes(orjson.dumps({"resident": {"1": doc}}))
    intent = {
        "changes": [
            {"file": "residents/c1.json", "put": {"resident": [doc]}, "remove": {}},
            {"file": RESIDENTS_V1, "put": {}, "remove": {}, "delete": True},
        ]
    }
    (data / JOURNAL).write_bytes(orjson.dumps(intent))
    store = Store(data, device="t", by="t")
    assert store.problems == [] and not (data / JOURNAL).exists()
    assert not (data / RESIDENTS_V1).exists()
    assert [r.id for r in store.residents()] == [doc["id"]]
    # Deleting a file outside the residents' and data files is never obeyed.
    bad = {
        "changes": [{"file": "residents/../registry.json", "put": {}, "remove": {}, "delete": True}]
    }
    (data / JOURNAL).write_bytes(orjson.dumps(bad))
    (data / "registry.json").write_bytes(b'{"compound": {}}')
    store = Store(data, device="t", by="t")
    assert [p.path.name for p in store.problems] == [JOURNAL]
    assert (data / "registry.json").exists()


def _now() -> datetime:
    return datetime(2026, 11, 27, 9, 0, tzinfo=CST)

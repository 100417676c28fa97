"""Export/import round trips, daily backups, and the integrity check."""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import orjson
import pytest

from tests.conftest import resident_docs, residents_file
from tui.domain.merge import open_conflicts
from tui.domain.records import Resident
from tui.store.backup import backup_days, newest_backup_of, take_daily_backup
from tui.store.check import check_folder
from tui.store.exchange import (
    ImportRefused,
    collect,
    export_bytes,
    import_docs,
    read_payload,
)
from tui.store.layout import RESIDENTS_DIR, residents_path
from tui.store.repository import Store


def open_store(path: Path, clock: Callable[[], datetime]) -> Store:
    return Store(path, device="d", by="b", clock=clock)


def test_export_import_round_trip_is_exact(
    sample_dir: Path, tmp_path: Path, clock: Callable[[], datetime]
) -> None:
    source = open_store(sample_dir, clock)
    out = tmp_path / "all.json"
    out.write_bytes(export_bytes(source))
    payload = json.loads(out.read_text(encoding="utf-8"))
    assert payload["format"] == "fielddesk-export"
    assert {
        "compound",
        "staff",
        "party",
        "category",
        "resident",
        "session",
        "visit",
        "ticket",
        "case",
    } <= {k for k, v in payload["records"].items() if v}
    target = open_store(tmp_path / "copy", clock)
    first = import_docs(target, read_payload(out))
    total = sum(len(v) for v in payload["records"].values())
    assert (first.added, first.updated, first.unchanged, first.conflicts) == (total, 0, 0, [])
    assert collect(target) == collect(source)
    second = import_docs(target, read_payload(out))
    assert (second.added, second.updated, second.unchanged) == (0, 0, total)
    assert collect(target) == collect(source)
    assert check_folder(tmp_path / "copy").problems == []


def test_import_keeps_both_laptops_edits_and_lists_the_conflict(
    tmp_path: Path, clock: Callable[[], datetime]
) -> None:
    laptop_a = open_store(tmp_path / "a", clock)
    resident = laptop_a.save(Resident(name="王小明"))
    laptop_b = open_store(tmp_path / "b", clock)
    import_docs(laptop_b, collect(laptop_a)["resident"])
    newer = laptop_b.save(dataclasses.replace(resident, note="B 改过"))
    summary = import_docs(laptop_a, collect(laptop_b)["resident"])
    assert summary.updated == 1 and laptop_a.residents()[0].note == "B 改过"
    # Both laptops now edit rev 2 unseen by the other: A the note, B the note
    # and the phone. The write with the later clock wins the note (the test
    # clock stands still, so either may); the other is kept as a conflict
    # and the import names the record. B's phone lands either way.
    mine = laptop_a.save(dataclasses.replace(laptop_a.residents()[0], note="A 的版本"))
    theirs = laptop_b.save(dataclasses.replace(newer, note="B 的版本", phone="13800138000"))
    assert mine.rev == theirs.rev == 3
    summary = import_docs(laptop_a, collect(laptop_b)["resident"])
    assert summary.conflicts == [("resident", resident.id)]
    (doc,) = collect(laptop_a)["resident"]
    (conflict,) = open_conflicts(doc)
    assert doc["phone"] == "+8613800138000"
    assert {doc["note"], conflict["value"]} == {"A 的版本", "B 的版本"}
    loser = laptop_a if conflict["value"] == "A 的版本" else laptop_b
    assert (conflict["field"], conflict["device"]) == ("note", loser.device)
    # The other way round gives the same record: the merge does not depend on order.
    import_docs(laptop_b, collect(laptop_a)["resident"])
    assert collect(laptop_b)["resident"] == collect(laptop_a)["resident"]


def test_bad_import_file_is_refused_whole(tmp_path: Path, clock: Callable[[], datetime]) -> None:
    store = open_store(tmp_path / "d", clock)
    good = Resident(name="王小明").stamped(now=clock(), device="x", by="y").to_dict()
    bad = {"kind": "visit", "id": "v", "rev": 1, "day": "not-a-day"}
    with pytest.raises(ImportRefused) as caught:
        import_docs(store, [good, bad, {"kind": "resident", "rev": 1}])
    found = [
        (p.number, p.record_id, [(e.field, e.code) for e in p.errors])
        for p in caught.value.problems
    ]
    assert found == [
        (2, "v", [(f, "field.missing") for f in ("created_at", "updated_at", "name")]),
        (3, "", [(f, "field.missing") for f in ("id", "created_at", "updated_at", "name")]),
    ]
    assert store.residents() == []
    (tmp_path / "x.json").write_text('{"format": "something else"}')
    with pytest.raises(ImportRefused):
        read_payload(tmp_path / "x.json")


def test_daily_backup_keeps_seven_and_finds_newest(
    sample_dir: Path, clock: Callable[[], datetime]
) -> None:
    open_store(sample_dir, clock)
    start = date(2026, 11, 1)
    for n in range(9):
        assert take_daily_backup(sample_dir, (start + timedelta(days=n)).isoformat())
    assert take_daily_backup(sample_dir, "2026-11-09") is None  # once a day
    days = backup_days(sample_dir)
    assert days == [(start + timedelta(days=n)).isoformat() for n in range(2, 9)]
    residents = residents_file(sample_dir).relative_to(sample_dir).as_posix()
    assert residents.startswith(f"{RESIDENTS_DIR}/")
    newest = newest_backup_of(sample_dir, residents)
    assert newest == sample_dir / "backups" / "2026-11-09" / residents
    assert newest.read_bytes() == (sample_dir / residents).read_bytes()
    assert (sample_dir / "backups" / "2026-11-09" / "days" / "2026-11-20.json").exists()


def test_check_finds_problems_and_changes_nothing(sample_dir: Path) -> None:
    assert check_folder(sample_dir).problems == []
    path = residents_file(sample_dir)
    tables = orjson.loads(path.read_bytes())
    first = next(iter(tables["resident"].values()))
    first["rev"] = 0
    first["compound"] = "no-such-compound"
    del first["device"]
    path.write_bytes(orjson.dumps(tables))
    codes = {f.code for f in check_folder(sample_dir).problems}
    assert codes == {"check.missing_fields", "check.dangling"}
    broken = sample_dir / "cases" / "open.json"
    broken.write_bytes(b"{not json")
    report = check_folder(sample_dir)
    assert any(
        f.code == "check.unreadable" and f.file == "cases/open.json" for f in report.problems
    )
    assert broken.read_bytes() == b"{not json"  # check never moves or fixes


def test_sample_data_matches_the_generator(tmp_path: Path) -> None:
    """sample_data/ is what `make sample` writes; nobody edits it by hand."""
    from tests.conftest import SAMPLE
    from tui.cli import main

    assert main(["--data", str(tmp_path / "gen"), "gen", "--sample"]) == 0
    for folder in ("backups",):
        shutil.rmtree(tmp_path / "gen" / folder)
    made = sorted(p.relative_to(tmp_path / "gen") for p in (tmp_path / "gen").rglob("*.json"))
    shipped = sorted(p.relative_to(SAMPLE) for p in SAMPLE.rglob("*.json"))
    assert [str(p) for p in made if p.name != "device.json"] == [str(p) for p in shipped]
    for rel in shipped:
        assert (tmp_path / "gen" / rel).read_bytes() == (SAMPLE / rel).read_bytes(), rel


def test_check_finds_a_certification_of_a_resident_not_in_the_registry(sample_dir: Path) -> None:
    certified = orjson.loads((sample_dir / "certifications" / "2026Q4.json").read_bytes())
    gone = next(iter(certified["certification"].values()))["resident"]
    path = sample_dir / residents_path(resident_docs(sample_dir)[gone]["compound"])
    tables = orjson.loads(path.read_bytes())
    tables["resident"] = {k: v for k, v in tables["resident"].items() if v["id"] != gone}
    path.write_bytes(orjson.dumps(tables))
    found = [(f.file, f.code) for f in check_folder(sample_dir).problems]
    assert ("certifications/2026Q4.json", "check.dangling") in found

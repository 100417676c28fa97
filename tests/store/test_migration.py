"""A folder of schema 1 (every resident in residents.json) opens as schema 2
(residents/<compound>.json): migrated once, whole, with a backup first,
whenever the process dies; a read-only one is read as it is."""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.conftest import ROOT, resident_docs
from tests.store.test_crash_and_concurrency import finish, start, wait_ready
from tui.repository.errors import CorruptFile
from tui.store import schema
from tui.store.check import check_folder
from tui.store.exchange import export_payload
from tui.store.journal import JOURNAL, read_intent
from tui.store.layout import META, RESIDENTS_DIR, RESIDENTS_V1, residents_path
from tui.store.repository import Store

SAMPLE_V1 = ROOT / "tests" / "data" / "sample_v1"
KILLS = 40


def tables(path: Path) -> dict[str, dict[str, dict[str, Any]]]:
    return orjson.loads(path.read_bytes())  # type: ignore[no-any-return]


def old_residents() -> dict[str, dict[str, Any]]:
    return {d["id"]: d for d in tables(SAMPLE_V1 / RESIDENTS_V1)["resident"].values()}


def version_on_disk(folder: Path) -> int:
    (meta,) = tables(folder / META)["meta"].values()
    return int(meta["schema"])


@pytest.fixture
def v1(tmp_path: Path) -> Path:
    folder = tmp_path / "v1"
    shutil.copytree(SAMPLE_V1, folder)
    return folder


def every_visit(store: Store) -> dict[str, dict[str, Any]]:
    return {v.id: v.to_dict() for day in store.days() for v in store.visits(day)}


def test_the_fixture_is_schema_1() -> None:
    assert version_on_disk(SAMPLE_V1) == 1
    assert not (SAMPLE_V1 / RESIDENTS_DIR).exists()
    assert len(old_residents()) == 320


def test_opening_a_schema_1_folder_migrates_it_once(v1: Path) -> None:
    visits_before = {
        d["id"]: d for d in tables(SAMPLE_V1 / "days" / "2026-11-20.json")["visit"].values()
    }
    store = Store(v1, device="d", by="b")
    assert store.version == schema.CURRENT == version_on_disk(v1) == 2
    # Every resident and visit reads back as it was stored: the same dicts.
    assert {r.id: r.to_dict() for r in store.residents()} == old_residents()
    assert resident_docs(v1) == old_residents()
    assert every_visit(store) == visits_before
    assert not (v1 / RESIDENTS_V1).exists() and not (v1 / JOURNAL).exists()
    # Each resident in its compound's file, and nowhere else.
    for path in (v1 / RESIDENTS_DIR).glob("*.json"):
        for doc in tables(path)["resident"].values():
            assert residents_path(doc["compound"]) == f"{RESIDENTS_DIR}/{path.name}"
    # The backup taken first holds the old residents.json as it was.
    (backup,) = (v1 / "backups").iterdir()
    assert backup.name.endswith("-pre-schema-1")
    assert (backup / RESIDENTS_V1).read_bytes() == (SAMPLE_V1 / RESIDENTS_V1).read_bytes()
    assert version_on_disk(backup) == 1
    report = check_folder(v1)
    assert [(f.file, f.code, f.detail) for f in report.problems] == []
    # Opened again: nothing is migrated or backed up again.
    written = {p: p.stat().st_mtime_ns for p in v1.rglob("*.json")}
    again = Store(v1, device="d", by="b")
    assert again.version == 2
    assert {r.id: r for r in again.residents()} == {r.id: r for r in store.residents()}
    assert {p: p.stat().st_mtime_ns for p in v1.rglob("*.json")} == written
    assert len(list((v1 / "backups").iterdir())) == 1


def test_a_read_only_schema_1_folder_is_read_as_it_is(v1: Path) -> None:
    subprocess.run(["chmod", "-R", "a-w", str(v1)], check=True)
    try:
        store = Store(v1, by="t")
        assert store.read_only and store.version == 1
        residents = {r.id: r.to_dict() for r in store.residents()}
        assert residents == old_residents()
        some = next(iter(old_residents().values()))
        assert store.resident(some["id"]) is not None
        assert store.resident(some["id"]).to_dict() == some  # type: ignore[union-attr]
        mine = store.residents(compound=some["compound"])
        assert {r.id for r in mine} == {
            i for i, d in old_residents().items() if d["compound"] == some["compound"]
        }
        assert store.hot_files()[1] == RESIDENTS_V1 and store.missing_hot_files() == []
        assert len(store.elderly(born_by=2100)) == 320
        assert check_folder(v1).problems == []
        records = export_payload(store)["records"]
    finally:
        subprocess.run(["chmod", "-R", "u+w", str(v1)], check=True)
    assert not (v1 / RESIDENTS_DIR).exists() and version_on_disk(v1) == 1
    # An export reads the same records before and after the migration.
    migrated = export_payload(Store(v1, device="d", by="b"))["records"]
    assert records == migrated


def test_an_unreadable_residents_json_is_left_and_not_migrated(v1: Path) -> None:
    (v1 / RESIDENTS_V1).write_bytes(b'{"resident": {"1": {"id"')
    with pytest.raises(CorruptFile) as caught:
        Store(v1, device="d", by="b")
    assert caught.value.moved_to is None
    assert (v1 / RESIDENTS_V1).read_bytes() == b'{"resident": {"1": {"id"'
    assert version_on_disk(v1) == 1 and list((v1 / RESIDENTS_DIR).glob("*.json")) == []


def assert_old_new_or_pending(folder: Path) -> str:
    """What a kill left, before anyone opens the folder: the old layout, the
    new one, or the new one's whole intent in journal.json; never both
    layouts or neither."""
    old = (folder / RESIDENTS_V1).exists()
    compound_files = sorted((folder / RESIDENTS_DIR).glob("*.json"))
    if (folder / JOURNAL).exists():
        intent = read_intent(folder)
        assert intent is not None
        put = {d["id"]: d for c in intent for d in c.puts.get("resident", [])}
        assert put == old_residents()  # the whole new layout is in the intent
        assert [c.rel for c in intent if c.delete] == [RESIDENTS_V1]
        assert intent[-1].rel == META
        return "pending"
    if old:
        assert version_on_disk(folder) == 1
        assert compound_files == [] and resident_docs(folder) == {}
        assert tables(folder / RESIDENTS_V1) == tables(SAMPLE_V1 / RESIDENTS_V1)
        return "old"
    assert version_on_disk(folder) == 2
    assert resident_docs(folder) == old_residents()
    return "new"


def assert_migrated_whole(folder: Path) -> None:
    store = Store(folder, device="next", by="next")
    assert store.problems == [] and store.version == 2
    assert not (folder / JOURNAL).exists() and not (folder / RESIDENTS_V1).exists()
    assert {r.id: r.to_dict() for r in store.residents()} == old_residents()
    report = check_folder(folder)
    assert [(f.file, f.code, f.detail) for f in report.problems] == []


def test_killed_before_each_file_of_the_migration_is_in_place(tmp_path: Path) -> None:
    """The migration replaces journal.json (1), then each compound's file,
    then meta.json (residents.json is deleted just before it). Killed just
    before each replace: the old layout (1) or the intent (the rest), and
    the next open completes it."""
    replaces = 1 + len({d["compound"] for d in old_residents().values()}) + 1
    seen = []
    for kill_at in range(1, replaces + 1):
        folder = tmp_path / f"k{kill_at}"
        shutil.copytree(SAMPLE_V1, folder)
        proc = start("migrate", str(folder), str(kill_at))
        wait_ready(proc)
        finish(proc, timeout=30)
        assert proc.returncode == -signal.SIGKILL, kill_at
        seen.append(assert_old_new_or_pending(folder))
        assert_migrated_whole(folder)
    assert seen == ["old"] + ["pending"] * (replaces - 1)
    # Not killed, it finishes.
    folder = tmp_path / "done"
    shutil.copytree(SAMPLE_V1, folder)
    proc = start("migrate", str(folder))
    wait_ready(proc)
    assert finish(proc, timeout=30).strip() == "opened 2" and proc.returncode == 0
    assert assert_old_new_or_pending(folder) == "new"


@pytest.mark.slow
def test_sigkill_at_random_moments_migrates_whole_or_not_at_all(tmp_path: Path) -> None:
    """Real processes opening a schema 1 folder, each killed at a random
    moment: old layout, new layout or a pending intent, never a mix; the
    next open always ends with every resident, once, in the new layout."""
    rng = random.Random(14)
    seen: set[str] = set()
    # How long a migration takes here, so the kills spread over all of it.
    folder = tmp_path / "timed"
    shutil.copytree(SAMPLE_V1, folder)
    proc = start("migrate", str(folder))
    wait_ready(proc)
    began = time.monotonic()
    assert proc.stdout is not None and proc.stdout.readline().strip() == "opened 2"
    takes = time.monotonic() - began
    finish(proc, timeout=30)
    for round_ in range(KILLS):
        folder = tmp_path / f"r{round_}"
        shutil.copytree(SAMPLE_V1, folder)
        proc = start("migrate", str(folder))
        wait_ready(proc)
        time.sleep(takes * 1.5 * (round_ + rng.random()) / KILLS)  # one moment in each slice
        proc.send_signal(signal.SIGKILL)
        finish(proc, timeout=30)
        seen.add(assert_old_new_or_pending(folder))
        assert_migrated_whole(folder)
        shutil.rmtree(folder)
    # Most of the kills fell during the migration (how many before or after it
    # depends on the machine's load; the test above kills at each step).
    assert "pending" in seen

"""The storage's promises, on real files: atomic, private, never overwrites a bad file."""

from __future__ import annotations

import errno
import json
import os
import subprocess
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import orjson
import pytest

from tests.conftest import PYTHON, ROOT, python_env
from tui import durable as files
from tui.domain.records import Resident
from tui.repository.errors import CorruptFile, StoreWriteError
from tui.store.layout import REGISTRY, residents_path
from tui.store.repository import Store

RESIDENTS = residents_path("")  # residents/_none.json: these residents have no compound


def test_files_are_private(store: Store, data_dir: Path) -> None:
    os.umask(0o022)
    store.save(Resident(name="王小明"))
    for path in data_dir.rglob("*"):
        mode = path.stat().st_mode & 0o777
        assert mode == (0o700 if path.is_dir() else 0o600), path


def test_saved_file_is_plain_json_with_our_ids(store: Store, data_dir: Path) -> None:
    saved = store.save(Resident(name="王小明", phone="13800138000"))
    tables = orjson.loads((data_dir / RESIDENTS).read_bytes())
    (doc,) = tables["resident"].values()
    assert doc["id"] == saved.id and doc["kind"] == "resident" and doc["rev"] == 1
    assert doc["phone"] == "+8613800138000"


def test_stale_temp_files_are_removed_at_open(store: Store, data_dir: Path) -> None:
    leftover = data_dir / ".residents.json.abc123.tmp"
    leftover.write_bytes(b'{"half": ')
    Store(data_dir, device="d2", by="x")
    assert not leftover.exists()


def test_corrupt_file_is_moved_aside_never_overwritten(
    data_dir: Path, clock: Callable[[], datetime]
) -> None:
    Store(data_dir, device="d", by="x", clock=clock).save(Resident(name="王小明"))
    garbage = b'{"resident": {"1": {"id": "x", "name": "\xe7\x8e\x8b'  # cut mid-write
    (data_dir / RESIDENTS).write_bytes(garbage)
    store = Store(data_dir, device="d", by="x", clock=clock)
    # Found without touching anything (the app's background check) ...
    assert store.unreadable_hot_files() == [RESIDENTS]
    assert (data_dir / RESIDENTS).read_bytes() == garbage
    # ... then moved aside when read.
    with pytest.raises(CorruptFile) as caught:
        store.residents()
    problem = caught.value
    assert problem.path == data_dir / RESIDENTS
    assert problem.moved_to is not None and problem.moved_to.name.startswith("_none.json.corrupt-")
    assert problem.moved_to.read_bytes() == garbage
    # The app goes on with an empty file, and a save creates a new one beside the old.
    store.save(Resident(name="李娜"))
    assert [r.name for r in store.residents()] == ["李娜"]
    assert problem.moved_to.read_bytes() == garbage


@pytest.mark.parametrize("content", [b"", b"[1, 2]", b'{"resident": [1]}', b"\x00\x01"])
def test_malformed_shapes_count_as_corrupt(store: Store, data_dir: Path, content: bytes) -> None:
    (data_dir / REGISTRY).write_bytes(content)
    with pytest.raises(CorruptFile) as caught:
        store.compounds()
    assert caught.value.moved_to is not None
    assert caught.value.moved_to.read_bytes() == content


@pytest.mark.parametrize(
    ("code", "reason"), [(errno.ENOSPC, "disk_full"), (errno.EROFS, "read_only"), (errno.EIO, "io")]
)
def test_failed_write_reports_and_changes_nothing(
    store: Store, data_dir: Path, monkeypatch: pytest.MonkeyPatch, code: int, reason: str
) -> None:
    store.save(Resident(name="已保存的居民"))
    before = (data_dir / RESIDENTS).read_bytes()

    def failing_write(fd: int, data: bytes) -> int:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(files.os, "write", failing_write)
    with pytest.raises(StoreWriteError) as caught:
        store.save(Resident(name="未保存的居民"))
    monkeypatch.undo()
    assert caught.value.reason == reason
    assert (data_dir / RESIDENTS).read_bytes() == before
    assert not list(data_dir.rglob(".*.tmp"))
    # Nothing phantom in this process's view either.
    assert [r.name for r in store.residents()] == ["已保存的居民"]
    # And the next save works once the disk is back.
    store.save(Resident(name="之后保存的居民"))
    assert len(store.residents()) == 2


def test_real_file_size_limit_is_reported_as_disk_full(store: Store, data_dir: Path) -> None:
    """The OS itself refuses the write (RLIMIT_FSIZE), in a separate process."""
    for n in range(20):
        store.save(Resident(name=f"居民{n}", note="备注" * 30))
    before = (data_dir / RESIDENTS).read_bytes()
    assert len(before) > 1024
    result = subprocess.run(
        [PYTHON, "-m", "tests.store.helpers", "full", str(data_dir)],
        cwd=ROOT,
        env=python_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome == {"error": "disk_full", "visible": 20}
    assert (data_dir / RESIDENTS).read_bytes() == before
    assert not list(data_dir.rglob(".*.tmp"))

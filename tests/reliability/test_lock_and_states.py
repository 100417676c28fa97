"""A stuck lock never stops typing; nothing goes wrong without a word: files
moved aside or missing are offered back, stale draft temps go, a bad schema
number is one sentence."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import orjson
import pytest
from textual.widgets import Static

from tests.cli.test_cli import fielddesk
from tests.conftest import PYTHON, ROOT, python_env, resident_docs, residents_file
from tests.ui.conftest import AppFactory, shown, wait_for_screen
from tui.screens.recovery import RecoveryScreen
from tui.store.backup import take_daily_backup
from tui.store.layout import LOCK, META, REGISTRY
from tui.store.repository import Store


def hold_lock(data: Path) -> subprocess.Popen[str]:
    """Another process that takes the folder lock and never lets go."""
    code = (
        "import sys, time\n"
        "from filelock import FileLock\n"
        "FileLock(sys.argv[1]).acquire()\n"
        "print('held', flush=True)\n"
        "time.sleep(120)\n"
    )
    proc = subprocess.Popen(
        [PYTHON, "-c", code, str(data / LOCK)],
        cwd=ROOT,
        env=python_env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


async def test_typing_and_drafts_never_wait_on_a_stuck_lock(
    app_on: AppFactory, sample_dir: Path
) -> None:
    app = app_on(sample_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        stuck = hold_lock(sample_dir)
        try:
            await pilot.press(*"Zed", "tab", *"13800138000")
            await pilot.pause(0.8)
            # While the other process still holds the lock, the draft is on disk.
            assert stuck.poll() is None
            draft = orjson.loads((sample_dir / "drafts" / "desk-1.json").read_bytes())
            (doc,) = draft["draft"].values()
            assert (doc["form"]["name"], doc["form"]["phone"]) == ("Zed", "13800138000")
            assert shown(app.screen.query_one("#intake-status", Static)) == ""
        finally:
            stuck.kill()
            stuck.wait()


def test_old_draft_temps_are_removed_at_open_and_fresh_ones_kept(sample_dir: Path) -> None:
    drafts = sample_dir / "drafts"
    drafts.mkdir(exist_ok=True)
    old = drafts / ".desk-1.json.abc.tmp"
    fresh = drafts / ".desk-2.json.def.tmp"
    old.write_text("{")
    fresh.write_text("{")
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    Store(sample_dir, by="t")
    assert not old.exists()
    assert fresh.exists()  # another desk may be writing it right now


def test_dry_run_leaves_a_corrupt_registry_where_it_is(sample_dir: Path, tmp_path: Path) -> None:
    path = residents_file(sample_dir)
    path.write_bytes(b'{"resident": {"1": {"id"')
    sheet = tmp_path / "one.csv"
    sheet.write_text("姓名,小区\n王小明,新宁路11号院\n", encoding="utf-8")
    result = fielddesk("residents", "import", str(sheet), "--dry-run", data=sample_dir)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"fielddesk: The data file {path.name} could not be read")
    assert "left as it is" in result.stderr and len(result.stderr.splitlines()) == 1
    assert path.read_bytes() == b'{"resident": {"1": {"id"'
    assert list(path.parent.glob("*.corrupt-*")) == []


@pytest.mark.parametrize("how", ["moved", "deleted"])
async def test_a_hot_file_gone_before_start_is_offered_back(
    app_on: AppFactory, sample_dir: Path, how: str
) -> None:
    """Moved aside by another command, or deleted: the next start says so and
    offers the newest backup; restoring brings every resident back."""
    take_daily_backup(sample_dir, "2026-11-26")
    count = len(resident_docs(sample_dir))
    path = residents_file(sample_dir)
    rel = path.relative_to(sample_dir).as_posix()
    if how == "moved":
        path.rename(path.with_name(f"{path.name}.corrupt-20261127T080000"))
    else:
        path.unlink()
    app = app_on(sample_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, RecoveryScreen)
        message = shown(app.screen.query_one("#recovery-message", Static))
        assert rel in message
        if how == "moved":
            assert f"{path.name}.corrupt-20261127T080000" in message
        else:
            assert "missing" in message
        assert "2026-11-26" in shown(app.screen.query_one("#recovery-offer", Static))
        await pilot.press("enter")  # the focused button: restore
        await pilot.pause()
    assert len(resident_docs(sample_dir)) == count


async def test_deleted_registry_is_offered_back(app_on: AppFactory, sample_dir: Path) -> None:
    take_daily_backup(sample_dir, "2026-11-26")
    (sample_dir / REGISTRY).unlink()
    app = app_on(sample_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, RecoveryScreen)
        assert "registry.json" in shown(app.screen.query_one("#recovery-message", Static))


def test_a_schema_that_is_not_a_number_is_one_sentence(sample_dir: Path, tmp_path: Path) -> None:
    export = fielddesk("export", data=sample_dir)
    payload = orjson.loads(export.stdout)
    payload["schema"] = None
    (tmp_path / "x.json").write_bytes(orjson.dumps(payload))
    refused = fielddesk("import", str(tmp_path / "x.json"), data=sample_dir)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert refused.stderr.strip() == f"fielddesk: {tmp_path / 'x.json'} is not a fielddesk export"
    meta = {"meta": {"1": {"id": "meta", "kind": "meta", "schema": None}}}
    (sample_dir / META).write_bytes(orjson.dumps(meta))
    check = fielddesk("check", data=sample_dir)
    assert check.returncode == 1 and "problem: meta.json" in check.stdout
    for command in (("export",), ("report", "--date", "2026-11-20")):
        result = fielddesk(*command, data=sample_dir)
        assert result.returncode == 1 and "Traceback" not in result.stderr, command
        assert result.stderr.strip() == (
            "fielddesk: The data in meta.json could not be used: "
            "schema None is not a version number"
        )


def test_backup_copy_folder_is_left_alone(sample_dir: Path) -> None:
    shutil.rmtree(sample_dir / "backups", ignore_errors=True)
    assert Store(sample_dir, by="t").missing_hot_files() == []

"""A read-only data folder (an office reading a laptop's backup copy, a
write-protected stick) is a supported state: everything reads, nothing is
written, every write is refused with one sentence."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
from pathlib import Path

import orjson
import pytest
from textual.widgets import Input, Static, TextArea

from tests.cli.test_cli import fielddesk
from tests.ui.conftest import AppFactory, shown
from tui.domain.records import Resident
from tui.repository.errors import StoreWriteError
from tui.screens.intake import IntakeScreen
from tui.store.repository import Store
from widgets.session_bar import SessionBar


def make_read_only(folder: Path) -> None:
    """`chmod -R a-w`, as a person would do it."""
    subprocess.run(["chmod", "-R", "a-w", str(folder)], check=True)


def tree(folder: Path) -> dict[str, tuple[int, str]]:
    """Every path under the folder with its mode and content hash."""
    found = {}
    for path in sorted(folder.rglob("*")):
        mode = stat.S_IMODE(path.lstat().st_mode)
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
        found[str(path.relative_to(folder))] = (mode, digest)
    return found


@pytest.fixture
def read_only_copy(sample_dir: Path) -> Path:
    make_read_only(sample_dir)
    yield sample_dir
    subprocess.run(["chmod", "-R", "u+w", str(sample_dir)], check=True)


def test_store_reads_and_refuses_every_write(read_only_copy: Path) -> None:
    before = tree(read_only_copy)
    store = Store(read_only_copy, by="t")
    assert store.read_only
    assert len(store.residents()) == 320 and store.open_cases()
    with pytest.raises(StoreWriteError) as caught:
        store.save(Resident(name="只读时录入"))
    assert caught.value.reason == "read_only"
    with pytest.raises(StoreWriteError):
        store.save_draft(1, {"name": "x"})
    assert store.backup_today() is None
    # Nothing created, moved or chmodded back to writable.
    assert tree(read_only_copy) == before
    assert not (read_only_copy / ".lock").exists()


def test_commands_read_a_read_only_copy(read_only_copy: Path, tmp_path: Path) -> None:
    before = tree(read_only_copy)
    export = fielddesk("export", data=read_only_copy)
    assert export.returncode == 0, export.stderr
    assert len(orjson.loads(export.stdout)["records"]["resident"]) == 320
    report = fielddesk("report", "--date", "2026-11-20", data=read_only_copy)
    assert report.returncode == 0 and "新宁路11号院" in report.stdout, report.stderr
    check = fielddesk("check", data=read_only_copy)
    assert check.returncode == 0, check.stdout
    sheet = tmp_path / "one.csv"
    sheet.write_text("姓名,小区\n王小明,新宁路11号院\n", encoding="utf-8")
    dry = fielddesk("residents", "import", str(sheet), "--dry-run", data=read_only_copy)
    assert dry.returncode == 0, dry.stderr
    for args in (("import", str(tmp_path / "x.json")), ("residents", "import", str(sheet))):
        if args[0] == "import":
            (tmp_path / "x.json").write_bytes(export.stdout.encode())
        refused = fielddesk(*args, data=read_only_copy)
        assert refused.returncode == 1
        assert "Traceback" not in refused.stderr
        assert refused.stderr.strip().splitlines() == [
            "fielddesk: Nothing was written: the data folder cannot be written (read-only or "
            "no permission)."
        ]
    assert tree(read_only_copy) == before


async def test_app_says_read_only_and_keeps_what_was_typed(
    app_on: AppFactory, read_only_copy: Path
) -> None:
    before = tree(read_only_copy)
    app = app_on(read_only_copy, ask_session=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "READ-ONLY" in shown(app.screen.query_one(SessionBar))
        assert not app.is_screen_installed("session-open")  # nothing to open a session in
        for key in ("f3", "f4", "f5", "f6"):
            await pilot.press(key)
            await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, IntakeScreen)
        await pilot.press(*"Zed", "tab", *"13800138000", "tab", *"新宁花", "enter")
        await pilot.press(*"3-2-501", "tab", "8", "enter", *"drain blocked")
        await pilot.pause(0.8)  # the draft autosave is refused, said, and nothing dies
        assert "cannot be written" in shown(app.screen.query_one("#intake-status", Static))
        await pilot.press("ctrl+s")
        await pilot.pause()
        status = shown(app.screen.query_one("#intake-status", Static))
        assert "the data folder cannot be written" in status
        assert app.screen.query_one("#name", Input).value == "Zed"
        assert app.screen.query_one("#description", TextArea).text == "drain blocked"
        assert app.is_running
    assert tree(read_only_copy) == before


async def test_app_keeps_typing_when_the_folder_stops_taking_writes(
    app_on: AppFactory, sample_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder turns unwritable under a running app (a stick pulled, a
    share gone read-only): the draft autosave and the save say so; the app
    stays up with every typed character."""
    import tempfile

    app = app_on(sample_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f2")
        await pilot.pause()

        def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
            raise PermissionError(13, os.strerror(13))

        monkeypatch.setattr(tempfile, "mkstemp", refuse)
        await pilot.press(*"下水道堵塞")
        await pilot.pause(0.8)
        status = shown(app.screen.query_one("#intake-status", Static))
        assert "cannot be written" in status
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.is_running
        assert app.screen.query_one("#name", Input).value == "下水道堵塞"


async def test_a_corrupt_file_in_a_read_only_copy_is_said_and_left(
    app_on: AppFactory, sample_dir: Path
) -> None:
    """It cannot be moved aside: the app says so once, shows the rest, and
    every screen opens (the bad file reads as empty)."""
    (sample_dir / "cases" / "open.json").write_bytes(b'{"case": {"1": ')
    make_read_only(sample_dir)
    try:
        before = tree(sample_dir)
        app = app_on(sample_dir)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            messages = [n.message for n in app._notifications]
            said = [m for m in messages if m.startswith("The data file open.json could not")]
            assert len(said) == 1 and said[0].endswith("it was left as it is."), messages
            for key in ("f2", "escape", "f3", "f4", "f5", "f6"):
                await pilot.press(key)
                await pilot.pause()
            assert app.is_running
        assert tree(sample_dir) == before
    finally:
        subprocess.run(["chmod", "-R", "u+w", str(sample_dir)], check=True)

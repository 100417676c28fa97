"""The app shell through Pilot: what staff see, and what lands on disk."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import orjson
import pytest
from textual.widgets import Button, Static

from tests.conftest import HOSTILE, PYTHON, ROOT, TODAY, python_env, residents_file
from tests.ui.conftest import AppFactory, palette_offers, shown, until, wait_for_screen
from tui.domain.errors import ValidationFailed
from tui.domain.records import Compound, ServiceSession
from tui.screens.help import HelpScreen
from tui.screens.recovery import RecoveryScreen
from tui.store.backup import take_daily_backup
from tui.store.layout import CASES_OPEN
from widgets.key_table import KeyTable
from widgets.session_bar import SessionBar


def expected_case_figures(data: Path) -> tuple[int, int, int]:
    """Open / due today / overdue, counted straight from the file on disk."""
    cases = list(orjson.loads((data / CASES_OPEN).read_bytes())["case"].values())
    today = TODAY.isoformat()
    return (
        len(cases),
        sum(c["due"] == today for c in cases),
        sum(bool(c["due"]) and c["due"] < today for c in cases),
    )


async def test_opens_on_sample_data(app_on: AppFactory, sample_dir: Path) -> None:
    app = app_on(sample_dir, desk=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        bar = shown(app.screen.query_one(SessionBar))
        assert "Field Desk" in bar and "2026-11-27" in bar
        assert "no session open" in bar and "desk 2" in bar and "李娜" in bar
        open_, due, overdue = expected_case_figures(sample_dir)
        assert open_ > 0 and due > 0 and overdue > 0
        assert shown(app.screen.query_one("#stat-open", Static)) == f"Open cases {open_}"
        assert shown(app.screen.query_one("#stat-due", Static)) == f"Due today {due}"
        assert shown(app.screen.query_one("#stat-overdue", Static)) == f"Overdue {overdue}"
        last = shown(app.screen.query_one("#home-last-day", Static))
        assert "2026-11-20" in last and "新宁路11号院" in last and "52 visits" in last


async def test_f1_lists_every_key_of_the_screen(app_on: AppFactory, sample_dir: Path) -> None:
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(KeyTable)
        rows = {table.get_row_at(i)[0]: table.get_row_at(i)[1] for i in range(table.row_count)}
        assert rows == {
            "F1": "Help",
            "F2": "Intake",
            "F3": "Queue",
            "F4": "Cases",
            "F5": "Review",
            "F6": "Certification",
            "F7": "Community",
            "F8": "Conflicts",
            "F9": "Sync now",
            "Ctrl+Q": "Quit",
            "Ctrl+P": "Command palette: every action by name",
        }
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_help_and_keys_in_chinese(app_on: AppFactory, sample_dir: Path) -> None:
    app = app_on(sample_dir, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        bar = shown(app.screen.query_one(SessionBar))
        assert "流动服务台" in bar and "1号台" in bar and "未开设服务点" in bar
        await pilot.press("f1")
        table = app.screen.query_one(KeyTable)
        rows = {table.get_row_at(i)[0]: table.get_row_at(i)[1] for i in range(table.row_count)}
        assert rows["F2"] == "快速登记" and rows["F5"] == "当日复核"


async def test_command_palette_offers_every_action(app_on: AppFactory, sample_dir: Path) -> None:
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {
            "Help",
            "Quick intake",
            "Live queue",
            "Follow-up cases",
            "End-of-day review",
        } <= set(titles)
        await pilot.press("ctrl+p")
        await pilot.press(*"Help")
        await until(pilot, lambda: palette_offers(app) == "Help", what="the palette offering Help")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


@pytest.mark.parametrize("how", ["notifications", "polling"])
async def test_another_process_commit_shows_without_a_key(
    app_on: AppFactory, sample_dir: Path, how: str
) -> None:
    """Told by the OS's file notifications, or by polling where there are none."""
    app = app_on(sample_dir, notifications=how == "notifications")
    script = (
        "import sys, dataclasses\n"
        "from tui.store.repository import Store\n"
        "from tui.domain.calendar import fixed_clock\n"
        "from datetime import date\n"
        "s = Store(sys.argv[1], device='other', by='other', clock=fixed_clock(date(2026,11,27)))\n"
        "c = s.open_cases()[0]\n"
        "s.save(dataclasses.replace(c, due='2026-11-27'))\n"
    )
    async with app.run_test(size=(80, 24)) as pilot:
        open_, due, _ = expected_case_figures(sample_dir)
        tile = app.screen.query_one("#stat-due", Static)
        assert shown(tile) == f"Due today {due}"
        subprocess.run(
            [PYTHON, "-c", script, str(sample_dir)],
            cwd=ROOT,
            env=python_env(),
            check=True,
            timeout=60,
        )
        _, due_after, _ = expected_case_figures(sample_dir)
        assert due_after in (due, due + 1)
        await until(
            pilot,
            lambda: shown(tile) == f"Due today {due_after}",
            10,
            lambda: f"the tile at Due today {due_after} (at {shown(tile)!r})",
        )
        assert shown(tile) == f"Due today {due_after}"
        assert app.watching == how


async def test_corrupt_file_offers_the_newest_backup(app_on: AppFactory, sample_dir: Path) -> None:
    take_daily_backup(sample_dir, "2026-11-26")
    path = residents_file(sample_dir)
    rel = path.relative_to(sample_dir).as_posix()
    residents_before = path.read_bytes()
    path.write_bytes(residents_before[: len(residents_before) // 2])
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, RecoveryScreen)
        text = shown(app.screen.query_one("#recovery-message", Static))
        assert f"{rel} could not be read" in text and ".corrupt-" in text
        assert "2026-11-26" in shown(app.screen.query_one("#recovery-offer", Static))
        moved = next(path.parent.glob(f"{path.name}.corrupt-*"))
        assert moved.read_bytes() == residents_before[: len(residents_before) // 2]
        await pilot.click("#restore")
        await pilot.pause()
        assert not isinstance(app.screen, RecoveryScreen)
        assert len(app.store.residents()) == 320
        assert moved.exists()  # the bad file is kept for a person to look at


async def test_corrupt_file_without_backup_continues(app_on: AppFactory, sample_dir: Path) -> None:
    (sample_dir / "registry.json").write_text("not json at all")
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RecoveryScreen)
        assert "no backup" in shown(app.screen.query_one("#recovery-offer", Static))
        assert [b.id for b in app.screen.query(Button)] == ["skip"]
        await pilot.press("escape")
        assert not isinstance(app.screen, RecoveryScreen)
        assert [p.read_text() for p in sample_dir.glob("registry.json.corrupt-*")] == [
            "not json at all"
        ]


async def test_hostile_names_are_shown_literally(app_on: AppFactory, data_dir: Path) -> None:
    app = app_on(data_dir, staff="[bold]值班[/bold]")
    async with app.run_test(size=(120, 24)) as pilot:
        store = app.store
        bar = app.screen.query_one(SessionBar)
        assert "[bold]值班[/bold]" in shown(bar)
        shown_names = 0
        for raw in HOSTILE["strings"]:
            try:
                compound = store.save(Compound(name=raw))
            except ValidationFailed:
                continue  # empty or too long: refused with a message, tested elsewhere
            session = store.save(ServiceSession(day=TODAY.isoformat(), compound=compound.id))
            app.reload_screens()
            await pilot.pause()
            assert compound.name in shown(bar), raw
            # Close it, so the bar shows the next one.
            store.save(dataclasses.replace(session, status="closed"))
            shown_names += 1
        assert shown_names >= 18


async def test_f4_composed_ahead_as_the_app_closes_does_not_crash_it(
    app_on: AppFactory, sample_dir: Path
) -> None:
    """F4's screen is composed after the first frame; an app closed at that
    moment (Textual marks the screen closing and mounts none of its widgets,
    but still sends it Mount) exits cleanly instead of with NoMatches."""
    from tui.screens.home import HomeScreen

    app = app_on(sample_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, HomeScreen)
        app._compose_ahead()
        app.get_screen("cases")._closing = True  # as Textual's shutdown sets it
    assert app.return_code in (None, 0)

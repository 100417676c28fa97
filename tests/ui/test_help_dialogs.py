"""F1 answers on every dialog with the dialog's own keys, then Esc goes
back to the dialog as it was."""

from __future__ import annotations

from pathlib import Path

from tests.ui.conftest import AppFactory, wait_for_screen
from tests.ui.test_intake import open_intake
from tui.screens.confirm import ConfirmScreen
from tui.screens.help import HelpScreen
from tui.screens.session_open import SessionOpenScreen
from widgets.key_table import KeyTable


def help_rows(app: object) -> dict[str, str]:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, HelpScreen)
    table = screen.query_one(KeyTable)
    return {table.get_row_at(i)[0]: table.get_row_at(i)[1] for i in range(table.row_count)}


async def test_f1_on_the_session_dialog(app_on: AppFactory, sample_dir: Path) -> None:
    app = app_on(sample_dir, ask_session=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for_screen(pilot, SessionOpenScreen)
        await pilot.press("f1")
        await pilot.pause()
        rows = help_rows(app)
        assert rows["Ctrl+S"] == "Save" and rows["Esc"] == "Back"
        title = app.screen.query_one("#help-title").render()
        assert "Open today's session" in str(title)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SessionOpenScreen)


async def test_f1_on_a_confirmation(app_on: AppFactory, sample_dir: Path) -> None:
    app = app_on(sample_dir)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_intake(app, pilot)
        await pilot.press(*"Zed", "escape")  # typed text: asks before dropping it
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("f1")
        await pilot.pause()
        rows = help_rows(app)
        assert "Y" in rows and "N" in rows
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)


async def test_f1_closes_the_help_it_opened(app_on: AppFactory, sample_dir: Path) -> None:
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_intake(app, pilot)
        intake = app.screen
        await pilot.press("f1")
        await wait_for_screen(pilot, HelpScreen)
        assert "F1 closes" in str(app.screen.query_one("#help-footer").render())
        await pilot.press("f1")
        await pilot.pause()
        assert app.screen is intake

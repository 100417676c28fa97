"""Keys typed in one burst, faster than the screen settles (a practised
hand, or an IME committing a phrase), land where they were meant."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Input

from tests.conftest import open_today
from tests.ui.conftest import AppFactory, until
from tests.ui.test_intake import keys_let_through, open_intake, today_visits
from tui.app import FieldDeskApp


def burst(app: FieldDeskApp, *keys: str) -> None:
    """Queue every key at once, as a terminal delivers fast typing: no pause
    for the app to handle one before the next arrives."""
    for key in keys:
        char = key if len(key) == 1 else None
        app.post_message(events.Key(key, char))


async def test_description_typed_right_after_the_category(
    app_on: AppFactory, sample_dir: Path
) -> None:
    app = app_on(sample_dir)
    open_today(app.store)  # a ticket is issued in an open session only
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_intake(app, pilot)
        await pilot.press(*"Zed", "tab", "tab", "tab", "tab")
        burst(app, "1", "4", "enter", *"pipe", "ctrl+s")
        await until(pilot, lambda: today_visits(sample_dir), what="the visit saved")
        await keys_let_through(pilot, screen)
        await pilot.pause()  # anything still on its way has arrived
        assert screen.query_one("#description").text == ""  # type: ignore[attr-defined]
    (visit,) = today_visits(sample_dir)
    assert visit["description"] == "pipe"


async def test_a_name_typed_right_after_f2(app_on: AppFactory, sample_dir: Path) -> None:
    from tests.ui.conftest import wait_for_screen
    from tui.screens.home import HomeScreen
    from tui.screens.intake import IntakeScreen

    app = app_on(sample_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, HomeScreen)
        burst(app, "f2", *"Zed")
        await wait_for_screen(pilot, IntakeScreen)
        name = app.screen.query_one("#name", Input)
        await until(
            pilot, lambda: len(name.value) >= 3, what=lambda: f"3 keys in the name: {name.value!r}"
        )
        await pilot.pause()  # anything still on its way has arrived
        assert name.value == "Zed"

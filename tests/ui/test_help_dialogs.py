"""F1 answers on every dialog with the dialog's own keys, then Esc goes
back to the dialog as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from tests.ui.conftest import (
    AppFactory,
    open_screen,
    screen_text,
    show_case,
    shown,
    wait_for_screen,
)
from tests.ui.test_intake import open_intake
from tui.i18n import set_language, t
from tui.screens.confirm import ConfirmScreen
from tui.screens.help import HelpScreen
from tui.screens.home import HomeScreen
from tui.screens.registry_form import RegistryFormScreen
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
        assert rows["Ctrl+S"] == "Save" and rows["Esc"] == "Not now"  # not "Back": it opens nothing
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


async def _help_of(pilot: Pilot[None], key: str) -> dict[str, str]:
    """F1 on the screen `key` opens (from home), the rows it lists."""
    app = pilot.app
    await wait_for_screen(pilot, HomeScreen)
    await open_screen(pilot, key)
    await pilot.press("f1")
    await wait_for_screen(pilot, HelpScreen)
    return help_rows(app)


async def _back_home(pilot: Pilot[None]) -> None:
    await pilot.press("escape")
    await pilot.pause()
    await pilot.press("escape")
    await wait_for_screen(pilot, HomeScreen)


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_help_at_80x24_scrolls_to_every_key_with_the_keyboard(
    app_on: AppFactory, sample_dir: Path, lang: str
) -> None:
    """The list runs longer than 24 rows on most screens: the box stays on the
    screen, its title and footer in view, and Down, PageDown and End bring
    every key into it (F3's ended at F4; F5's Enter was never seen)."""
    set_language(lang)
    app = app_on(sample_dir, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("f2", "f3", "f4", "f5", "f6", "f7", "case"):
            if key == "case":
                await show_case(pilot, app.store.open_cases()[0])
                await pilot.press("f1")
                await wait_for_screen(pilot, HelpScreen)
                rows = help_rows(app)
            else:
                rows = await _help_of(pilot, key)
            title = shown(app.screen.query_one("#help-title", Static))
            footer = shown(app.screen.query_one("#help-footer", Static))
            seen = screen_text(app)
            for way in ("down", "pagedown", "end"):
                await pilot.press(way)
                await pilot.pause()
                now = screen_text(app)
                assert title in now and footer in now, (key, way, now)
                seen += now
            missing = [does for does in rows.values() if does not in seen]
            assert missing == [], (key, seen)
            assert rows[list(rows)[-1]] in screen_text(app)  # End: the last key in view
            await pilot.press("home")
            await pilot.pause()
            assert rows[list(rows)[0]] in screen_text(app)
            await _back_home(pilot)


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_help_lists_the_keys_a_focused_list_shares_with_its_screen(
    app_on: AppFactory, sample_dir: Path, lang: str
) -> None:
    """F4's list and F5's checklist take Enter themselves (opening the case,
    going to fix the item): F1 says so, and F4's says how to reach its filters."""
    set_language(lang)
    app = app_on(sample_dir, lang=lang)
    enter = "回车" if lang == "zh" else "Enter"
    async with app.run_test(size=(80, 24)) as pilot:
        rows = await _help_of(pilot, "f4")
        assert rows[enter] == t("key.open_case")
        assert rows["Tab/Shift+Tab"] == t("cases.help_filters")
        await _back_home(pilot)
        rows = await _help_of(pilot, "f5")
        assert rows[enter] == t("key.fix")


async def test_zh_help_names_keys_as_the_keyboard_prints_them_or_in_chinese(
    app_on: AppFactory, sample_dir: Path
) -> None:
    set_language("zh")
    app = app_on(sample_dir, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        keys: set[str] = set()
        for key in ("f2", "f4", "f7"):
            keys |= set(await _help_of(pilot, key))
            await _back_home(pilot)
        await open_screen(pilot, "f7")
        await pilot.press("enter")  # the community's profile, in its form
        await wait_for_screen(pilot, RegistryFormScreen)
        await pilot.press("f1")
        await wait_for_screen(pilot, HelpScreen)
        keys |= set(help_rows(app))
        assert {"/", "上/下 回车", "左/右 空格 1-5", "空格"} <= keys
        english = {"Slash", "Up", "Down", "Left", "Right", "Space", "Enter", "Backspace"}
        assert [k for k in keys if english & set(k.replace("/", " ").split())] == []


async def test_zh_help_says_what_esc_does_on_the_session_and_triage_dialogs(
    app_on: AppFactory, sample_dir: Path
) -> None:
    """Esc 返回 on both, where it means 暂不 (open no session now) and 稍后再分办."""
    from tui.screens.triage import TriageScreen

    set_language("zh")
    app = app_on(sample_dir, lang="zh", ask_session=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, SessionOpenScreen)
        await pilot.press("f1")
        await wait_for_screen(pilot, HelpScreen)
        assert help_rows(app)["Esc"] == "暂不开设"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")  # not now
        await wait_for_screen(pilot, HomeScreen)
        visit = next(v for v in app.store.visits("2026-11-20") if v.status == "open")
        app.push_screen(TriageScreen(app.store, visit))
        await wait_for_screen(pilot, TriageScreen)
        await pilot.press("f1")
        await wait_for_screen(pilot, HelpScreen)
        assert help_rows(app)["Esc"] == "稍后再分办"

"""At 80 columns every footer shows its keys whole, ends with F1, and leaves
the last column blank; the keys it leaves out are in F1's list. The case
screen's footer offers the steps the case can take now."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.widgets._footer import FooterKey

from tests.ui.conftest import AppFactory, open_screen, screen_text, show_case, wait_for_screen
from tui.app import FieldDeskApp
from tui.i18n import set_language
from tui.screens.help import HelpScreen
from tui.screens.home import HomeScreen

SCREENS = ("home", "f2", "f3", "f4", "f5", "f6", "f7")


def footer_keys(app: FieldDeskApp) -> list[FooterKey]:
    return list(app.screen.query(FooterKey))


def assert_footer_fits(app: FieldDeskApp, where: str) -> list[str]:
    """The keys the footer shows, after checking none is cut or hidden under
    the palette key at the right, and column 80 holds nothing stray."""
    keys = footer_keys(app)
    palette = [k for k in keys if k.has_class("-command-palette")]
    own = [k for k in keys if not k.has_class("-command-palette")]
    assert len(palette) == 1, where
    for key in own:
        assert key.region.right <= palette[0].region.x, (where, key.key, key.region)
    assert own[-1].key == "f1", where  # help is always the last key
    bottom = screen_text(app).splitlines()[-1]
    assert cell_len(bottom) == 80 and bottom.endswith(" "), (where, bottom)
    return [k.key for k in own]


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_every_footer_fits_80_columns(
    app_on: AppFactory, sample_dir: Path, lang: str
) -> None:
    set_language(lang)
    app = app_on(sample_dir, lang=lang)
    shown: dict[str, list[str]] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, HomeScreen)
        for screen in SCREENS:
            if screen != "home":
                await open_screen(pilot, screen)
            shown[screen] = assert_footer_fits(app, f"{lang} {screen}")
            if screen != "home":
                await pilot.press("escape")
                await wait_for_screen(pilot, HomeScreen)
    # Home shows where everything is; the others their own keys.
    assert shown["home"] == ["f2", "f3", "f4", "f5", "f6", "f1"]
    assert shown["f3"] == ["n", "r", "s", "d", "x", "k", "escape", "f1"]  # k: reprint the slip
    assert shown["f5"] == ["n", "m", "c", "o", "w", "escape", "f1"]
    assert shown["f7"] == ["a", "x", "i", "p", "escape", "f1"]  # Enter edits: F1 says so
    assert "k" in shown["f4"]  # reprint the highlighted case's receipt


async def test_keys_left_out_of_a_footer_are_in_f1(app_on: AppFactory, sample_dir: Path) -> None:
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, HomeScreen)
        await open_screen(pilot, "f3")
        await pilot.press("f1")
        await wait_for_screen(pilot, HelpScreen)
        text = screen_text(app)
        for label in ("Back to queue", "Transfer", "Cancel ticket", "Quit", "Intake"):
            assert label in text


@pytest.mark.parametrize(
    ("status", "steps"),
    [
        ("logged", ["a"]),
        ("assigned", ["a", "g", "v"]),
        ("in_progress", ["a", "v"]),
        ("resolved", ["y", "o"]),
        ("closed", ["o"]),
    ],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_a_case_footer_offers_its_next_steps(
    app_on: AppFactory, sample_dir: Path, lang: str, status: str, steps: list[str]
) -> None:
    set_language(lang)
    app = app_on(sample_dir, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        store = app.store
        closed = [c for month in store.archive_months() for c in store.closed_cases(month)]
        case = next(c for c in [*store.open_cases(), *closed] if c.status == status)
        await show_case(pilot, case)
        shown = assert_footer_fits(app, f"{lang} case {status}")
        assert shown == [*steps, "n", "escape", "f1"]

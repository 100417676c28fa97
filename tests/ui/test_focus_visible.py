"""The field or list that has the focus looks different from the others,
in every theme, so the next key's destination is in view."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from textual.widget import Widget

from tests.ui.conftest import AppFactory, wait_for_screen
from tests.ui.test_intake import open_intake
from tui.app import FieldDeskApp
from tui.screens.cases import CasesScreen
from tui.themes import THEME_NAMES


def drawn_row(app: FieldDeskApp, widget: Widget) -> str:
    """The widget's first row as the terminal gets it, colours included."""
    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), record=True, color_system="truecolor"
    )
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text(styles=True).splitlines()[widget.region.y]


async def looks_focused(app: FieldDeskApp, pilot: object, widget: Widget, other: Widget) -> bool:
    other.focus()
    await pilot.pause()  # type: ignore[attr-defined]
    before = drawn_row(app, widget)
    widget.focus()
    await pilot.pause()  # type: ignore[attr-defined]
    return drawn_row(app, widget) != before


@pytest.mark.parametrize("theme", sorted(THEME_NAMES))
async def test_intake_fields_show_the_focus(
    app_on: AppFactory, sample_dir: Path, theme: str
) -> None:
    app = app_on(sample_dir)
    app.theme = THEME_NAMES[theme]
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_intake(app, pilot)
        # Empty fields: only the look can tell (no text, the cursor may blink off).
        for field in ("#phone", "#address", "#description", "#flags", "#mode"):
            widget = screen.query_one(field)
            other = screen.query_one("#name" if field != "#name" else "#phone")
            assert await looks_focused(app, pilot, widget, other), (theme, field)


async def test_f4_filters_and_list_show_the_focus(app_on: AppFactory, sample_dir: Path) -> None:
    app = app_on(sample_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f4")
        await wait_for_screen(pilot, CasesScreen)
        screen = app.screen
        table = screen.query_one("#case-table")
        for field in ("#f-status", "#f-owner", "#f-text"):
            assert await looks_focused(app, pilot, screen.query_one(field), table), field


async def test_lists_show_the_focus(app_on: AppFactory, sample_dir: Path) -> None:
    from tui.screens.certification import CertificationScreen
    from tui.screens.review import ReviewScreen

    app = app_on(sample_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("f5")
        await wait_for_screen(pilot, ReviewScreen)
        checklist = app.screen.query_one("#review-checklist")
        body = app.screen.query_one("#review-requests")
        assert await looks_focused(app, pilot, checklist, body)
        await pilot.press("f6")
        await wait_for_screen(pilot, CertificationScreen)
        compounds = app.screen.query_one("#cert-compounds")
        residents = app.screen.query_one("#cert-residents")
        assert await looks_focused(app, pilot, residents, compounds)
        assert await looks_focused(app, pilot, compounds, residents)


async def test_f5_enter_works_however_staff_left_it(app_on: AppFactory, sample_dir: Path) -> None:
    """Tab, Tab, Esc, F5 left the focus on the scrolling body, where Enter did
    nothing: now the checklist has it whenever F5 shows."""
    from tui.screens.review import ReviewScreen
    from tui.screens.triage import TriageScreen

    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await wait_for_screen(pilot, ReviewScreen)
        for _ in range(4):
            await pilot.press("tab")
            assert app.focused is not None and app.focused.id != "review-body"
        await pilot.press("escape", "f5")
        await wait_for_screen(pilot, ReviewScreen)
        checklist = app.screen.query_one("#review-checklist")
        assert app.focused is checklist
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.data is not None
        first = screen.data.checks[0]
        assert first.kind == "visit"  # the sample's first problem: an undecided visit
        await pilot.press("enter")
        await wait_for_screen(pilot, TriageScreen)

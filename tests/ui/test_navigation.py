"""F2-F6 lead from wherever staff are: back to home, then to the screen
asked for, so a screen is never on the stack twice."""

from __future__ import annotations

from pathlib import Path

from tests.ui.conftest import AppFactory, open_screen, wait_for_screen
from tests.ui.test_review import checklist
from tui.screens.case_detail import CaseScreen
from tui.screens.cases import CasesScreen
from tui.screens.home import HomeScreen
from tui.screens.review import ReviewScreen


async def test_a_case_from_f4_then_one_from_f5(app_on: AppFactory, sample_dir: Path) -> None:
    """The field-day crash: F4, Enter on a case, F5, Enter on a checklist
    item about a case raised DuplicateIds and the app was gone."""
    app = app_on(sample_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, HomeScreen)
        await pilot.press("f4")
        await wait_for_screen(pilot, CasesScreen)
        await pilot.press("enter")
        await wait_for_screen(pilot, CaseScreen)
        await pilot.press("f5")
        await wait_for_screen(pilot, ReviewScreen)
        review = app.screen
        assert isinstance(review, ReviewScreen) and review.data is not None
        index = next(i for i, item in enumerate(review.data.checks) if item.kind == "case")
        wanted = review.data.checks[index].target
        checklist(review).focus()
        checklist(review).highlighted = index
        await pilot.press("enter")
        await wait_for_screen(pilot, CaseScreen)
        assert isinstance(app.screen, CaseScreen) and app.screen.case.id == wanted
        stack = [type(s).__name__ for s in app.screen_stack[1:]]
        assert stack == ["HomeScreen", "ReviewScreen", "CaseScreen"]
        await pilot.press("escape")
        await wait_for_screen(pilot, ReviewScreen)


async def test_screen_keys_never_stack_screens(app_on: AppFactory, sample_dir: Path) -> None:
    app = app_on(sample_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, HomeScreen)
        for key in ("f2", "f3", "f2", "f4", "f6", "f5", "f3", "f4"):
            await open_screen(pilot, key)
            assert len(app.screen_stack) == 3, (key, app.screen_stack)
        await pilot.press("escape")
        await wait_for_screen(pilot, HomeScreen)

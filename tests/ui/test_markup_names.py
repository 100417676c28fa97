"""Names that arrive by import (not typed) are shown literally everywhere:
markup in a staff, compound, outside-body or category name is text, never a
style, a link or a MarkupError. The names are written straight into
registry.json, as `fielddesk import` or another laptop's data delivers them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import HOSTILE
from tests.ui.conftest import AppFactory
from tests.ui.imported_names import rename_everything, see_session_dialog, walk_through

# Every hostile string that Rich or Textual could read as markup, and the
# shapes of the reported crash.
MARKUP = [s for s in HOSTILE["strings"] if "[" in s and "\x1b" not in s]
MARKUP += ["[/red]", "[bold]x[/bold]", "[link=x]", "\\[b]", "[@click=app.quit]"]


@pytest.mark.parametrize("name", MARKUP)
async def test_imported_markup_names_are_shown_literally(
    app_on: AppFactory, sample_dir: Path, name: str
) -> None:
    ids = rename_everything(sample_dir, name)
    app = app_on(sample_dir, ask_session=True)
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        await walk_through(pilot, ids, name)
    assert app.return_code == 0


@pytest.mark.parametrize("name", ["[/red]", "[@click=app.quit]退出[/]"])
async def test_ctrl_q_quits_the_session_dialog_with_a_markup_name(
    app_on: AppFactory, sample_dir: Path, name: str
) -> None:
    ids = rename_everything(sample_dir, name)
    app = app_on(sample_dir, ask_session=True)
    async with app.run_test(size=(100, 40)) as pilot:
        assert name in await see_session_dialog(pilot, ids["staff"])
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code == 0  # the app is leaving

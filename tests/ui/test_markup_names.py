"""Names that arrive by import (not typed) are shown literally everywhere:
markup in a staff, compound, outside-body or category name is text, never a
style, a link or a MarkupError."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from textual.widgets import Select, SelectionList

from tests.ui.conftest import AppFactory, shown, wait_for_screen
from tui.screens.cases import CasesScreen
from tui.screens.session_open import SessionOpenScreen
from tui.store.layout import REGISTRY
from widgets.session_bar import SessionBar

MARKUP = [
    "[/red]",
    "[bold]粗[/bold]",
    "[@click=app.quit]退出[/]",
    "\\[b]",
    "[link=http://x]链接[/link]",
]


def rename_everything(data: Path, name: str) -> dict[str, str]:
    """Write `name` into registry.json as an import would: the compound of the
    last session, the first staff member, an outside body and a category."""
    registry = orjson.loads((data / REGISTRY).read_bytes())
    compound = next(d for d in registry["compound"].values() if d["name"] == "新宁路11号院")
    staff = next(iter(registry["staff"].values()))
    party = next(iter(registry["party"].values()))
    category = next(iter(registry["category"].values()))
    compound["name"] = staff["name"] = party["name"] = name
    category["name_en"] = category["name_zh"] = name
    (data / REGISTRY).write_bytes(orjson.dumps(registry))
    return {"compound": compound["id"], "staff": staff["id"], "party": party["id"]}


@pytest.mark.parametrize("name", MARKUP)
async def test_session_dialog_and_toast_show_names_literally(
    app_on: AppFactory, sample_dir: Path, name: str
) -> None:
    ids = rename_everything(sample_dir, name)
    app = app_on(sample_dir, ask_session=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for_screen(pilot, SessionOpenScreen)
        staff = app.screen.query_one(SelectionList)
        prompts = [str(staff.get_option_at_index(i).prompt) for i in range(staff.option_count)]
        assert name in prompts
        await pilot.press("ctrl+s")  # the dialog is prefilled with the last session's compound
        assert not isinstance(app.screen, SessionOpenScreen)
        # A toast draws its message as markup only when told to; none is.
        toasts = list(app._notifications)
        assert f"Session opened at {name}." in [n.message for n in toasts]
        assert not any(n.markup for n in toasts)
        assert name in shown(app.screen.query_one(SessionBar))
        await pilot.press("f4")
        await wait_for_screen(pilot, CasesScreen)
        owner = app.screen.query_one("#f-owner", Select)
        owner.value = ids["staff"]
        await pilot.pause()
        owner.value = ids["party"]
        await pilot.pause()
        compound = app.screen.query_one("#f-compound", Select)
        compound.value = ids["compound"]
        await pilot.pause()
        for key in ("f3", "f5", "f6", "f2"):
            await pilot.press(key)
            await pilot.pause()
        assert app.is_running
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_ctrl_q_quits_the_session_dialog_with_a_markup_name(
    app_on: AppFactory, sample_dir: Path
) -> None:
    rename_everything(sample_dir, "[/red]")
    app = app_on(sample_dir, ask_session=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for_screen(pilot, SessionOpenScreen)
        staff = app.screen.query_one(SelectionList)
        assert "[/red]" in [str(staff.get_option_at_index(i).prompt) for i in range(3)]
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code == 0  # the app is leaving

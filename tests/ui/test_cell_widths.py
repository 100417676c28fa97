"""Nothing fielddesk writes on screen has an East-Asian-ambiguous width
(· — … “” • ★ ○ ← →): terminals set up for Chinese draw those two cells wide
while the layout counts one, and every column after them shifts. Names and
notes staff typed are shown as typed; Textual's own borders and bars are
box-drawing and block characters, left out of the screen check."""

from __future__ import annotations

import ast
import unicodedata
from pathlib import Path

import pytest

from tests.ui.conftest import AppFactory, open_screen, screen_text, wait_for_screen
from tui.i18n import catalogue, set_language
from tui.screens.home import HomeScreen

ROOT = Path(__file__).resolve().parents[2]
# What the UI layers draw (reports are files, not layouts).
UI_CODE = [
    *sorted((ROOT / "tui" / "screens").glob("*.py")),
    *sorted((ROOT / "widgets").glob("*.py")),
    ROOT / "tui" / "app.py",
    ROOT / "tui" / "display_app.py",
]
CHROME = range(0x2500, 0x2600)  # box drawing, block elements, geometric shapes


def ambiguous(text: str) -> list[str]:
    return [c for c in text if c > "\x7f" and unicodedata.east_asian_width(c) == "A"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_message_has_an_ambiguous_width_character(lang: str) -> None:
    found = {k: ambiguous(v) for k, v in catalogue(lang).items() if ambiguous(v)}
    assert found == {}


def string_constants(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_no_screen_or_widget_draws_one() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line} {text!r}"
        for path in UI_CODE
        for line, text in string_constants(path)
        if ambiguous(text)
    ]
    assert found == []


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_screens_show_none(app_on: AppFactory, sample_dir: Path, lang: str) -> None:
    set_language(lang)
    app = app_on(sample_dir, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, HomeScreen)
        for key in ("f1", "f2", "f3", "f4", "f5", "f6"):
            await open_screen(pilot, key)
            drawn = [c for c in ambiguous(screen_text(app)) if ord(c) not in CHROME]
            assert drawn == [], (lang, key)
            await pilot.press("escape")
            await wait_for_screen(pilot, HomeScreen)
        drawn = [c for c in ambiguous(screen_text(app)) if ord(c) not in CHROME]
        assert drawn == [], (lang, "home")


async def test_f4_cuts_long_cells_with_a_tilde(app_on: AppFactory, sample_dir: Path) -> None:
    from rich.cells import cell_len
    from textual.widgets import OptionList

    from tui.screens.cases import COLUMNS, CasesScreen

    set_language("zh")
    app = app_on(sample_dir, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await wait_for_screen(pilot, CasesScreen)
        table = app.screen.query_one("#case-table", OptionList)
        rows = [str(table.get_option_at_index(i).prompt) for i in range(table.option_count)]
    assert rows and {cell_len(r) for r in rows} == {sum(w for _, w in COLUMNS)}
    cut = [r for r in rows if "~" in r]
    assert cut, "the sample has summaries longer than their column"
    assert not [r for r in cut if " ~" in r]  # no gap before the mark

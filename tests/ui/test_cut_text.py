"""What a walk-through at 80x24 found cut, or broken where a line wraps:
every text shows whole, or ends in "~" where it is cut (as F4's cells do)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import TODAY, issue_forms
from tests.ui.conftest import AppFactory, screen_text, until, wait_for_screen
from tests.ui.test_intake import open_intake
from tui.domain.calendar import fixed_clock
from tui.domain.intake import IntakeForm
from tui.i18n import set_language, t
from tui.screens.cases import STATUSES, CasesScreen
from tui.screens.home import HomeScreen
from tui.services import sessions
from tui.store.repository import Store


async def test_the_header_after_closing_the_day_fits_80_columns(
    app_on: AppFactory, sample_dir: Path
) -> None:
    """流动服务台 2026-11-27 | 新宁路11号院 (已结束) | 1号台 | was all that showed:
    the staff part wrapped out of the one-line header, and the brackets
    were ASCII in Chinese."""
    store = Store(sample_dir, device="other-desk", by="r", clock=fixed_clock(TODAY))
    compound = store.compounds()[0]
    opened = sessions.open_today(store, compound.id, [], 2)
    assert opened is not None
    sessions.close(store, opened, 0, "")
    set_language("zh")
    app = app_on(sample_dir, lang="zh", staff="")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, HomeScreen)
        header = screen_text(app).splitlines()[0].rstrip()
        no_staff = t("session.no_staff")
        assert header.endswith(no_staff), header
        for part in (TODAY.isoformat(), "（已结束）", t("session.desk", desk=1)):
            assert part in header, header
        assert "(" not in header.replace(no_staff, ""), header


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_f2_placeholders_show_whole(app_on: AppFactory, sample_dir: Path, lang: str) -> None:
    """en: 'mobile or landline with area', 'building-unit-room, e.g.'."""
    set_language(lang)
    app = app_on(sample_dir, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_intake(app, pilot)
        text = screen_text(app)
        for hint in ("name_hint", "phone_hint", "address_hint", "category_hint"):
            assert t(f"intake.{hint}") in text, (hint, text)


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_f4_filters_show_their_whole_prompts(
    app_on: AppFactory, sample_dir: Path, lang: str
) -> None:
    """en showed 'any' for 'any compound'."""
    set_language(lang)
    app = app_on(sample_dir, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await wait_for_screen(pilot, CasesScreen)
        filters = screen_text(app).splitlines()[2]
        for prompt in ("all_open", "any_owner", "any_compound", "any_category", "any_due"):
            assert t(f"cases.{prompt}") in filters, (prompt, filters)


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_queue_cuts_a_long_request_with_a_tilde(
    app_on: AppFactory, sample_dir: Path, lang: str
) -> None:
    """'法律咨询（遗嘱、赡养、', 'Repairs (drains, heati': cut with no mark."""
    from rich.cells import cell_len
    from textual.widgets import DataTable

    from tui.screens.queue import REQUEST_CELLS, QueueScreen

    store = Store(sample_dir, device="other-desk", by="r", clock=fixed_clock(TODAY))
    zh = lang == "zh"
    categories = sorted(
        store.categories(), key=lambda c: -cell_len(c.name_zh if zh else c.name_en)
    )[:3]
    longest = categories[0].name_zh if zh else categories[0].name_en
    assert cell_len(longest) > REQUEST_CELLS
    compound = store.compounds()[0].id
    issue_forms(
        store,
        [
            IntakeForm(name=f"Resident {n}", compound=compound, category=c.code)
            for n, c in enumerate(categories)
        ],
    )
    set_language(lang)
    app = app_on(sample_dir, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await wait_for_screen(pilot, QueueScreen)
        table = app.screen.query_one("#waiting", DataTable)
        cells = {
            str(table.get_row_at(i)[1]): str(table.get_row_at(i)[2]) for i in range(table.row_count)
        }
        text = screen_text(app)
    for n, category in enumerate(categories):
        name = category.name_zh if zh else category.name_en
        cell = cells[f"Resident {n}"]
        if cell_len(name) <= REQUEST_CELLS:
            assert cell == name
        else:
            assert cell.endswith("~") and name.startswith(cell[:-1].rstrip()), cell
            assert cell_len(cell) <= REQUEST_CELLS
        assert cell in text


CLOSING = set("）：，。、；！？」』】》")


def lines_starting_with_closing_punctuation(text: str) -> list[str]:
    """Lines of the screen whose text (inside any border or bar) starts with
    a mark that closes what went before: Chinese never breaks a line there."""
    found = []
    for line in text.splitlines():
        inner = line.strip(" █▌▐▎▏│┃╭╮╰╯─━▀▄▁▂▃▅▆▇")
        if inner and inner[0] in CLOSING:
            found.append(line)
    return found


async def test_zh_lines_never_start_with_closing_punctuation(
    app_on: AppFactory, sample_dir: Path
) -> None:
    """The toasts when the session opens (the requests asked for last time at
    the compound: '：' alone on a line) and F3's t dialog ('）。' first)."""
    from textual.widgets import DataTable

    from tui.screens.queue import QueueScreen, TransferScreen
    from tui.screens.session_open import SessionOpenScreen

    set_language("zh")
    app = app_on(sample_dir, lang="zh", ask_session=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, SessionOpenScreen)
        await pilot.press("ctrl+s")  # opens where the last session was: requests wait there
        await until(
            pilot,
            lambda: "之前在新宁路11号院登记的下次服务诉求" in screen_text(app),
            what=lambda: f"the requests' toast shown:\n{screen_text(app)}",
        )
        await pilot.pause()
        text = screen_text(app)
        assert "之前在新宁路11号院登记的下次服务诉求" in text, text
        assert lines_starting_with_closing_punctuation(text) == [], text
        other = Store(sample_dir, device="other-desk", by="r", clock=fixed_clock(TODAY))
        session = other.open_session()
        assert session is not None
        category = other.categories()[0].code
        issue_forms(other, [IntakeForm(name="甲乙", compound=session.compound, category=category)])
        app.clear_notifications()
        await pilot.press("f3")
        await wait_for_screen(pilot, QueueScreen)
        waiting = app.screen.query_one("#waiting", DataTable)
        await until(  # the other desk's ticket arrives
            pilot,
            lambda: any("甲乙" in str(waiting.get_row_at(i)) for i in range(waiting.row_count)),
            10,
            "the other desk's ticket in F3's list",
        )
        await pilot.press("t")
        await wait_for_screen(pilot, TransferScreen)
        text = screen_text(app)
        assert "回车确认" in text
        assert lines_starting_with_closing_punctuation(text) == [], text


async def test_f4_status_list_draws_every_state_whole(app_on: AppFactory, sample_dir: Path) -> None:
    """F4, Tab, Enter: the open list drew '  理中' for 办理中, every time. A
    widget's edge under it (the column heading's, one cell in) cut that
    line's first Chinese character in half."""
    from textual.widgets import Select

    set_language("zh")
    app = app_on(sample_dir, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await wait_for_screen(pilot, CasesScreen)
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is app.screen.query_one("#f-status", Select)
        for _ in range(2):
            await pilot.press("enter")  # the list opens over the search and the headings
            await pilot.pause()
            drawn = screen_text(app).splitlines()
            overlay = [line.split()[0] for line in drawn[3:10]]  # its column, at the left
            states = [t(f"case.status.{s}") for s in STATUSES]
            assert overlay == [t("cases.all_open"), *states], drawn
            await pilot.press("escape")
            await pilot.pause()

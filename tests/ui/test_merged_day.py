"""A day file holding another laptop's tickets, put in by an import: F3 and the
residents' display show this desk's compound's queue only, and F3 says when
a number was given out on two laptops."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from textual.widgets import DataTable, Digits

from tests.laptops import day_docs, intakes, laptop, open_at
from tests.ui.conftest import AppFactory, screen_text, shown, until, wait_for_screen
from tests.ui.test_display import screen_text as display_text
from tests.ui.test_display import settle
from tui.display_app import make_display
from tui.screens.queue import QueueScreen
from tui.services.queue_desk import QueueDesk
from tui.store.exchange import import_docs
from widgets.warning_line import WarningLine


def rows(screen: QueueScreen) -> list[str]:
    table = screen.query_one("#waiting", DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_another_compound_s_tickets_are_on_neither_f3_nor_the_display(
    tmp_path: Path, clock: Callable[[], datetime], app_on: AppFactory
) -> None:
    """Team C worked at another compound the same day, its laptop at desk 2:
    its tickets (A100 ..., one called to its desk 2) came in with an import."""
    here = laptop(tmp_path, "a", clock, desk=1)
    there = laptop(tmp_path, "c", clock, desk=2)
    open_at(there, 1, minutes_earlier=30)
    open_at(here, 0)
    intakes(there, 4, "丙")
    intakes(here, 2, "甲")
    theirs = QueueDesk(there, 2).call_next()
    assert theirs is not None and theirs.number == "A100"
    import_docs(here, day_docs(there))
    assert len(here.tickets(here.today())) == 6
    ours = here.compounds()[0].name
    other = here.compounds()[1].name

    app = app_on(here.root, desk=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await wait_for_screen(pilot, QueueScreen)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        assert rows(screen) == ["A001", "D001"]
        assert screen.query_one("#my-number", Digits).value == "----"  # C's desk 2 is not ours
        text = screen_text(app)
        assert "2 waiting" in text and "A100" not in text and "D100" not in text
        assert not screen.query_one("#queue-clash", WarningLine).display
        await pilot.press("n")  # desk 2 here is free: C's ticket at its desk 2 does not count
        await until(pilot, lambda: screen.query_one("#my-number", Digits).value == "A001")

    display = make_display(here.root, lang="en", clock=clock)
    async with display.run_test(size=(80, 24)) as pilot:
        board = await settle(pilot, display, "Next:  D001")
        assert "A001" in board and ours in board
        assert "A100" not in board and "D100" not in board and other not in board
        assert "Called:  A001" in display_text(display)


async def test_f3_warns_of_another_laptop_at_the_same_desk(
    tmp_path: Path, clock: Callable[[], datetime], app_on: AppFactory
) -> None:
    """Both laptops at one compound kept desk 1: their A001, D001 ... clash."""
    here = laptop(tmp_path, "a", clock)
    there = laptop(tmp_path, "b", clock)
    open_at(there, 0, minutes_earlier=30)
    open_at(here, 0)
    intakes(there, 2, "乙")
    intakes(here, 1, "甲")
    import_docs(here, day_docs(there))
    for lang, words in (
        ("en", ("Two tickets hold the same number today: A001.", there.device, "desk 1")),
        ("zh", ("今天有号码重复：A001。", there.device, "1号台")),
    ):
        app = app_on(here.root, lang=lang)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("f3")
            await wait_for_screen(pilot, QueueScreen)
            warning = app.screen.query_one("#queue-clash", WarningLine)
            assert warning.display
            said = shown(warning)
            assert all(w in said for w in words), said
            # Both residents holding A001 are listed, with their names.
            assert rows(app.screen) == ["A001", "A001", "D001"]  # type: ignore[arg-type]


async def test_the_display_shows_this_laptop_s_queue_when_another_team_opened_later(
    tmp_path: Path, clock: Callable[[], datetime]
) -> None:
    """The display reads the laptop's device.json: a session another team
    opened later at another compound, brought in by a sync, is not its."""
    here = laptop(tmp_path, "a", clock, desk=1)
    there = laptop(tmp_path, "c", clock, desk=2)
    open_at(here, 0, minutes_earlier=30)
    open_at(there, 1)
    intakes(here, 2, "甲")
    intakes(there, 3, "丙")
    import_docs(here, day_docs(there))
    ours, other = here.compounds()[0].name, here.compounds()[1].name
    display = make_display(here.root, lang="en", clock=clock)
    async with display.run_test(size=(80, 24)) as pilot:
        board = await settle(pilot, display, "A001")
        assert ours in board and other not in board
        assert "A100" not in board

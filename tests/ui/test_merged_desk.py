"""This desk's session, queue and figures on a day that holds another laptop's
records, put in by an import: the intake files under and numbers in this
desk's session, as the desk the app was started as; F3, F5 and the home
screen speak of this desk's compound."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from textual.widgets import Digits, Input, Static

from tests.laptops import day_docs, intakes, laptop, merge_both, open_at
from tests.ui.conftest import AppFactory, shown, until, wait_for_screen
from tests.ui.test_intake import open_intake
from tests.ui.test_merged_day import rows
from tests.ui.test_review import open_review
from tui.screens.home import HomeScreen
from tui.screens.queue import QueueScreen
from tui.services.queue_desk import QueueDesk
from tui.store.exchange import import_docs
from tui.store.repository import Store


def day_file(store: Store) -> dict[str, Any]:
    return json.loads((store.root / "days" / f"{store.today()}.json").read_text("utf-8"))


def saved(store: Store, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The visit of `name` as it is on disk, and its ticket."""
    tables = day_file(store)
    (visit,) = [v for v in tables["visit"].values() if v["name"] == name]
    return visit, tables["ticket"][
        next(k for k, t in tables["ticket"].items() if t["id"] == visit["ticket"])
    ]


async def test_the_intake_files_under_this_desk_s_session_not_a_later_one(
    tmp_path: Path, clock: Callable[[], datetime], app_on: AppFactory
) -> None:
    """Team C opened at another compound after this desk (17:30 and 18:00),
    gave out A001 ... and called A001 to its desk 1; its records came in."""
    here = laptop(tmp_path, "a", clock, desk=1)
    there = laptop(tmp_path, "c", clock, desk=1)
    open_at(here, 0, minutes_earlier=30)
    open_at(there, 1)
    intakes(there, 3, "丙")
    called = QueueDesk(there, 1).call_next()
    assert called is not None and called.number == "A001"
    ours = here.open_session()
    assert ours is not None
    import_docs(here, day_docs(there))

    app = app_on(here.root)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_intake(app, pilot)
        assert screen.query_one("#compound", Input).value == here.compounds()[0].name
        await pilot.press(*"Zed", "tab", "tab", "tab", "tab", "1", "enter", "ctrl+s")
        status = screen.query_one("#intake-status", Static)
        await until(pilot, lambda: shown(status).startswith("Saved"), what=lambda: shown(status))
        assert shown(status) == "Saved: Zed, ticket A001."  # this compound's first A
        visit, ticket = saved(here, "Zed")
        assert visit["session"] == ours.id and visit["compound"] == ours.compound
        assert (ticket["number"], ticket["issued_on"]) == ("A001", here.device)
        await pilot.press("escape", "f3")
        await wait_for_screen(pilot, QueueScreen)
        queue = app.screen
        assert isinstance(queue, QueueScreen)
        assert rows(queue) == ["A001"]  # C's A001 (at its desk 1), D001, E001: not here
        assert queue.query_one("#my-number", Digits).value == "----"


async def test_the_intake_numbers_as_the_desk_given_at_start(
    tmp_path: Path, clock: Callable[[], datetime], app_on: AppFactory
) -> None:
    """Laptops A (desk 1) and B (desk 2) at one compound, merged; a third desk
    on laptop A, started with --desk 3 (its setting says 1), numbers from the
    200s, as its F3 calls."""
    a = laptop(tmp_path, "a", clock, desk=1)
    b = laptop(tmp_path, "b", clock, desk=2)
    open_at(a, 0, minutes_earlier=30)
    open_at(b, 0)
    intakes(a, 2, "甲")
    intakes(b, 2, "乙")
    merge_both(a, b)

    app = app_on(a.root, desk=3)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_intake(app, pilot)
        await pilot.press(*"Zed", "tab", "tab", "tab", "tab", "1", "enter", "ctrl+s")
        status = screen.query_one("#intake-status", Static)
        await until(pilot, lambda: shown(status).startswith("Saved"), what=lambda: shown(status))
        assert shown(status) == "Saved: Zed, ticket A200."
        _, ticket = saved(a, "Zed")
        assert (ticket["number"], ticket["seq"], ticket["issued_on"]) == ("A200", 200, a.device)
        assert a.settings()["desk"] == 1  # the laptop's setting is left as it was


def another_team_merged_in(tmp_path: Path, clock: Callable[[], datetime]) -> Store:
    """This laptop's team at compound 0 (two intakes, 17:30); team C at
    compound 1 (three, one called to its desk 1, 18:00), merged in."""
    here = laptop(tmp_path, "a", clock, desk=1)
    there = laptop(tmp_path, "c", clock, desk=1)
    open_at(here, 0, minutes_earlier=30)
    open_at(there, 1)
    intakes(there, 3, "丙")
    assert QueueDesk(there, 1).call_next() is not None
    intakes(here, 2, "甲")
    import_docs(here, day_docs(there))
    return here


async def test_f5_reviews_this_desk_s_session_and_writes_its_report(
    tmp_path: Path, clock: Callable[[], datetime], app_on: AppFactory
) -> None:
    here = another_team_merged_in(tmp_path, clock)
    ours, theirs = here.compounds()[0].name, here.compounds()[1].name
    day = here.today()
    app = app_on(here.root)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(app, pilot)
        heading = shown(screen.query_one("#review-heading", Static))
        assert heading == f"{day} | {ours} | session open"
        glance = shown(screen.query_one("#review-glance", Static))
        assert "Visits 2 | handled now 0 | logged 0 | undecided 2" in glance
        assert "Tickets issued 2 |" in glance
        # C's open session is not a forgotten one (the sample's of 11-20 is).
        assert f"Still open: the session of {day}" not in glance and theirs not in glance
        assert screen.data is not None
        assert sorted(item.label for item in screen.data.checks) == ["甲0", "甲1"]
        await pilot.press("w")
        status = screen.query_one("#review-status")
        await until(pilot, lambda: "Reports written" in shown(status), what=lambda: shown(status))
    written = here.root / "reports" / day / f"report-{day}-{ours}.md"
    text = written.read_text("utf-8")
    assert ours in text and "甲0" in text
    assert theirs not in text and "丙" not in text
    assert not (here.root / "reports" / day / f"report-{day}.md").exists()


async def test_home_counts_this_desk_s_compound_and_names_the_other_session(
    tmp_path: Path, clock: Callable[[], datetime], app_on: AppFactory
) -> None:
    here = another_team_merged_in(tmp_path, clock)
    ours, theirs = here.compounds()[0].name, here.compounds()[1].name
    for lang, words in (
        (
            "en",
            [
                f"Last session day: {here.today()} at {ours}",
                "2 visits: 0 handled on the spot, 0 logged for follow-up, 2 not yet decided",
                f"Also that day, another session at {theirs}: 3 visits",
            ],
        ),
        (
            "zh",
            [
                f"最近一次服务日：{here.today()}，地点：{ours}",
                "来访 2 件：即办 0 件，登记跟进 0 件，未分办 2 件",
                f"当天另一服务点 {theirs}：来访 3 件",
            ],
        ),
    ):
        app = app_on(here.root, lang=lang)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for_screen(pilot, HomeScreen)
            assert shown(app.screen.query_one("#home-last-day", Static)).split("\n") == words

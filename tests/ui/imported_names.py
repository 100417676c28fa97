"""Names delivered by import, and the walk through the app that must show
them: shared by the markup and control-character tests."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import orjson
from textual.pilot import Pilot
from textual.widgets import OptionList, Select, SelectionList

from tests.ui.conftest import screen_text, shown, until, wait_for_screen
from tui.app import FieldDeskApp
from tui.domain.records import Case
from tui.screens.cases import CasesScreen
from tui.screens.certification import CertificationScreen
from tui.screens.help import HelpScreen
from tui.screens.queue import QueueScreen
from tui.screens.review import ReviewScreen
from tui.screens.session_open import SessionOpenScreen
from tui.store.layout import CASES_OPEN, REGISTRY
from widgets.session_bar import SessionBar

# What must never reach the terminal from data: control characters (but the
# line ends the screen is made of), direction overrides and the BOM.
STEERING = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")


def rename_everything(data: Path, name: str) -> dict[str, str]:
    """Write `name` into registry.json (nothing else changes) as the compound of
    the last session, the staff member and the outside body owning the most
    open cases, and the category most cases have. Returns their ids."""
    registry = orjson.loads((data / REGISTRY).read_bytes())
    cases = orjson.loads((data / CASES_OPEN).read_bytes())["case"].values()
    owners = Counter(c["owner"] for c in cases)
    category = Counter(c["category"] for c in cases).most_common(1)[0][0]
    compound = next(d for d in registry["compound"].values() if d["name"] == "新宁路11号院")
    staff = max(registry["staff"].values(), key=lambda d: owners[d["id"]])
    party = max(registry["party"].values(), key=lambda d: owners[d["id"]])
    chosen = next(d for d in registry["category"].values() if d["code"] == category)
    compound["name"] = staff["name"] = party["name"] = name
    chosen["name_en"] = chosen["name_zh"] = name
    (data / REGISTRY).write_bytes(orjson.dumps(registry))
    return {
        "compound": compound["id"],
        "staff": staff["id"],
        "party": party["id"],
        "category": category,
    }


def fields(case: Case, key: str) -> tuple[str, ...]:
    """What the F4 filter for `key` compares (an owner's: the cases they own or chase)."""
    return (case.owner, case.chaser) if key in ("staff", "party") else (getattr(case, key),)


async def choose(pilot: Pilot[None], select: Select[str], name: str, nth: int = 0) -> None:
    """Pick the `nth` option called `name` as staff do: open the list (every
    option is drawn), move to it, Enter."""
    select.focus()
    await pilot.press("enter")
    drop_down = select.query_one(OptionList)
    prompts = [str(drop_down.get_option_at_index(i).prompt) for i in range(drop_down.option_count)]
    drop_down.highlighted = [i for i, prompt in enumerate(prompts) if prompt == name][nth]
    await pilot.press("enter")
    await pilot.pause()
    assert shown(select.query_one("SelectCurrent #label")) == name


async def see_session_dialog(pilot: Pilot[None], staff_id: str) -> str:
    """What the start-up dialog shows, scrolled to the renamed staff member."""
    app = pilot.app
    await wait_for_screen(pilot, SessionOpenScreen)
    staff = app.screen.query_one(SelectionList)
    staff.highlighted = next(
        i for i in range(staff.option_count) if staff.get_option_at_index(i).value == staff_id
    )
    await pilot.pause()
    return seen(pilot)


def seen(pilot: Pilot[None]) -> str:
    """The screen, checked to hold nothing that steers the terminal."""
    assert isinstance(pilot.app, FieldDeskApp)
    text = screen_text(pilot.app)
    assert not STEERING.search(text), repr(STEERING.findall(text))
    return text


async def walk_through(pilot: Pilot[None], ids: dict[str, str], name: str) -> None:
    """From the start-up dialog to Ctrl+Q, `name` (as the screen must show it)
    everywhere the renamed records appear."""
    app = pilot.app
    assert isinstance(app, FieldDeskApp)
    # The dialog: the last session's compound and the staff list.
    on_screen = await see_session_dialog(pilot, ids["staff"])
    # The compound field and the staff member; the line naming who is ticked
    # too, where it may wrap.
    assert on_screen.count(name) >= 2, on_screen
    ticked = app.screen.query_one("#session-ticked").render()
    assert name in str(getattr(ticked, "plain", ticked))
    await pilot.press("ctrl+s")  # open the session at the prefilled compound
    await pilot.pause()
    on_screen = seen(pilot)
    assert f"Session opened at {name}." in on_screen, on_screen  # the toast
    assert name in shown(app.screen.query_one(SessionBar)), on_screen  # the header
    # F4: each filter lists the name, and choosing it filters.
    await pilot.press("f4")
    await wait_for_screen(pilot, CasesScreen)
    cases = app.screen
    open_cases = app.store.open_cases()
    for select_id, key, nth in (
        ("#f-owner", "staff", 0),  # staff come first, then outside bodies
        ("#f-owner", "party", 1),
        ("#f-compound", "compound", 0),
        ("#f-category", "category", 0),
    ):
        await choose(pilot, cases.query_one(select_id, Select), name, nth)
        seen(pilot)
        listed = cases.query_one("#case-table", OptionList).option_count
        assert listed == sum(ids[key] in fields(c, key) for c in open_cases) > 0, key
        cases.query_one(select_id, Select).clear()
    # The other screens open and show the compound in their header.
    for key, screen in (
        ("f3", QueueScreen),
        ("f5", ReviewScreen),
        ("f6", CertificationScreen),
        ("f1", HelpScreen),
    ):
        await pilot.press(key)
        await wait_for_screen(pilot, screen)
        await until(  # F6 reads its lists in a worker: slow under load
            pilot,
            lambda: name in seen(pilot),
            10,
            lambda key=key: f"{name!r} on the screen {key} opens:\n{seen(pilot)}",
        )
        on_screen = seen(pilot)
        assert name in on_screen, (key, on_screen)
    await pilot.press("ctrl+q")
    await pilot.pause()

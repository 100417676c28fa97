"""Quick intake does not misfile a tired hand's typing: a restored name is
not replaced by the next key, a "new" resident with a known phone or address
is questioned once, the next form is back at the session's compound, and a
second Ctrl+S after a save leaves "Saved" in view."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from tests.conftest import TODAY, open_today
from tests.ui.conftest import AppFactory, shown, until, wait_for_screen
from tests.ui.test_intake import keys_let_through, open_intake, today_visits, value
from tui.domain.address import format_address
from tui.domain.intake import IntakeForm
from tui.domain.phone import display_phone
from tui.i18n import set_language, t
from tui.screens.home import HomeScreen
from tui.screens.intake import IntakeScreen
from tui.screens.session_open import SessionOpenScreen
from tui.store.repository import Store
from widgets.suggestions import Suggestions


def status(screen: IntakeScreen) -> str:
    return shown(screen.query_one("#intake-status", Static))


def matches(screen: IntakeScreen) -> bool:
    """Is the list of people matching what was typed in the name open?"""
    return screen.query_one("#name-suggestions", Suggestions).is_open


async def test_typing_after_a_restored_draft_adds_to_the_name(
    app_on: AppFactory, sample_dir: Path
) -> None:
    store = Store(sample_dir)
    store.save_draft(1, IntakeForm(name="尹雪", phone="13800138000").to_dict())
    app = app_on(sample_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, IntakeScreen)  # opens by itself on a draft
        screen = app.screen
        assert isinstance(screen, IntakeScreen)
        await pilot.pause()
        assert app.focused is screen.query_one("#name")
        await pilot.press(*"丽")  # straight away, as staff would
        assert value(screen, "name") == "尹雪丽"
        await pilot.press("home", *"A")
        assert value(screen, "name") == "A尹雪丽"


async def test_a_new_name_with_a_known_phone_is_questioned_once(
    app_on: AppFactory, sample_dir: Path
) -> None:
    known = next(r for r in Store(sample_dir).residents() if r.phone)
    app = app_on(sample_dir)
    open_today(app.store)  # a ticket is issued in an open session only
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_intake(app, pilot)
        await pilot.press(*"补贴标准", "tab", *display_phone(known.phone), "tab", "tab", "tab")
        await pilot.press("1", "enter", "ctrl+s")
        await pilot.pause()
        assert known.name in status(screen) and "already registered" in status(screen)
        assert today_visits(sample_dir) == []  # nothing saved yet
        assert value(screen, "name") == "补贴标准"  # nothing lost
        await pilot.press("ctrl+s")  # yes: a new person
        await pilot.pause()
        assert status(screen).startswith("Saved: 补贴标准")
    (visit,) = today_visits(sample_dir)
    assert visit["name"] == "补贴标准" and visit["resident"] != known.id


async def test_the_next_form_is_back_at_the_sessions_compound(
    app_on: AppFactory, sample_dir: Path
) -> None:
    store = Store(sample_dir)
    names = {c.id: c.name for c in store.compounds()}
    app = app_on(sample_dir, ask_session=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_screen(pilot, SessionOpenScreen)
        await pilot.press("ctrl+s")  # the last session's compound
        await wait_for_screen(pilot, HomeScreen)
        session = app.store.open_session()
        assert session is not None and session.day == TODAY.isoformat()
        residents = app.store.residents()
        elsewhere = next(
            r
            for r in residents
            if r.compound != session.compound
            and r.phone
            and sum(x.phone == r.phone for x in residents) == 1
        )
        screen = await open_intake(app, pilot)
        assert value(screen, "compound") == names[session.compound]
        await pilot.press(*display_phone(elsewhere.phone)[-4:])
        await until(pilot, lambda: matches(screen), what="the phone's match listed")
        screen.query_one("#name", Input).focus()
        await pilot.press("enter")  # the match, from another compound
        await pilot.pause()
        assert value(screen, "compound") == names[elsewhere.compound]
        await pilot.press("1", "enter", "ctrl+s")
        await pilot.pause()
        assert status(screen).startswith(f"Saved: {elsewhere.name}")
        assert value(screen, "compound") == names[session.compound]
        await pilot.press("ctrl+s")  # again, on the empty form
        await pilot.pause()
        assert status(screen).startswith(f"Saved: {elsewhere.name}")
    (visit,) = today_visits(sample_dir)
    assert visit["compound"] == elsewhere.compound
    assert (visit["building"], visit["unit"], visit["room"]) == (
        elsewhere.building,
        elsewhere.unit,
        elsewhere.room,
    )
    assert format_address(visit["building"], visit["unit"], visit["room"])


async def test_a_resident_already_certified_this_quarter_is_said(
    app_on: AppFactory, sample_dir: Path
) -> None:
    from tui.domain.certification import CERTIFICATION_CATEGORY, active, quarter_of
    from widgets.side_panel import SidePanel

    store = Store(sample_dir)
    quarter = quarter_of(TODAY.isoformat())
    residents = {r.id: r for r in store.residents()}
    phones = [r.phone for r in residents.values()]
    done = next(
        c
        for c in active(store.certifications(quarter))
        if residents[c.resident].phone and phones.count(residents[c.resident].phone) == 1
    )
    person = residents[done.resident]
    number = [c.code for c in store.categories() if c.active].index(CERTIFICATION_CATEGORY) + 1
    app = app_on(sample_dir)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_intake(app, pilot)
        await pilot.press(*display_phone(person.phone)[-4:])
        await until(pilot, lambda: matches(screen), what="the phone's match listed")
        await pilot.press("enter")  # the resident
        await pilot.press(*str(number), "enter")
        await pilot.pause()
        side = shown(screen.query_one(SidePanel))
        assert f"Already certified for {quarter}" in side and done.day in side


async def test_a_request_matching_nothing_is_said_where_it_was_typed(
    app_on: AppFactory, sample_dir: Path
) -> None:
    """tiaojie + Enter moved on, and the save said 诉求为必填项: the request
    was typed, it matched nothing."""
    set_language("zh")
    app = app_on(sample_dir, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_intake(app, pilot)
        await pilot.press(*"Zed", "tab", "tab", "tab", "tab", *"tiaojie", "enter")
        await pilot.pause()
        category = screen.query_one("#category", Input)
        unknown = t("intake.no_such_category", text="tiaojie")
        assert app.focused is category
        assert shown(screen.query_one("#category-error", Static)) == unknown
        await keys_let_through(pilot, screen)  # keys after Enter in the field it kept wait
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert status(screen) == t("intake.fix_fields", count=1)
        assert shown(screen.query_one("#category-error", Static)) == unknown
        assert today_visits(sample_dir) == []

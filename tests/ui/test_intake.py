"""Quick intake through Pilot: every path, checked on disk."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from pypinyin import Style, lazy_pinyin
from textual.widgets import Input, Static, TextArea

from tests.conftest import (
    HOSTILE,
    PYTHON,
    ROOT,
    TODAY,
    open_today,
    python_env,
    resident_docs,
)
from tests.ui.conftest import AppFactory, shown, until, wait_for_screen
from tui import durable as files
from tui.app import FieldDeskApp
from tui.domain.text import clean_text
from tui.screens.confirm import ConfirmScreen
from tui.screens.intake import IntakeScreen
from tui.store.repository import Store
from widgets.side_panel import SidePanel
from widgets.type_ahead import TypeAheadInput

DAY = TODAY.isoformat()


@pytest.fixture(autouse=True)
def _session_open(sample_dir: Path, clock: Callable[[], datetime]) -> None:
    """Today's session is open: a queued intake gets a ticket only then."""
    open_today(Store(sample_dir, device="setup", by="setup", clock=clock))


def on_disk(data: Path, rel: str, table: str) -> list[dict[str, Any]]:
    path = data / rel
    if not path.exists():
        return []
    return list(orjson.loads(path.read_bytes()).get(table, {}).values())


def today_visits(data: Path) -> list[dict[str, Any]]:
    return on_disk(data, f"days/{DAY}.json", "visit")


def today_tickets(data: Path) -> list[dict[str, Any]]:
    return on_disk(data, f"days/{DAY}.json", "ticket")


def a_resident(data: Path, *, with_phone: bool = True) -> dict[str, Any]:
    """A sample resident whose name no other resident shares, of 新宁路11号院
    when there is one (the sample session's compound: earlier visits show)."""
    residents = list(resident_docs(data).values())
    counts: dict[str, int] = {}
    for r in residents:
        counts[r["name"]] = counts.get(r["name"], 0) + 1
    home = [
        c["id"] for c in on_disk(data, "registry.json", "compound") if c["name"] == "新宁路11号院"
    ]
    return next(
        r
        for r in sorted(residents, key=lambda r: r["compound"] not in home)
        if counts[r["name"]] == 1 and bool(r["phone"]) == with_phone and len(r["name"]) == 3
    )


def compound_name(data: Path, compound_id: str) -> str:
    return next(
        c["name"] for c in on_disk(data, "registry.json", "compound") if c["id"] == compound_id
    )


async def open_intake(app: FieldDeskApp, pilot: Any) -> IntakeScreen:
    await pilot.press("f2")
    await wait_for_screen(pilot, IntakeScreen)
    screen = app.screen
    assert isinstance(screen, IntakeScreen)
    await until(
        pilot,
        lambda: screen._index is not None,
        10,
        "the look-up index, built in a worker",
    )
    return screen


def holding(screen: IntakeScreen) -> list[str]:
    """The fields holding keys typed after Enter: they go on to the field the
    focus moves to, or, if it stays, into this one a moment later
    (widgets/type_ahead.py)."""
    return [field.id or "" for field in screen.query(TypeAheadInput) if field._held is not None]


async def keys_let_through(pilot: Any, screen: IntakeScreen) -> None:
    await until(
        pilot,
        lambda: not holding(screen),
        what=lambda: f"the keys typed after Enter let through (held in {holding(screen)})",
    )


def value(screen: IntakeScreen, field: str) -> str:
    widget = screen.query_one(f"#{field}")
    return widget.text if isinstance(widget, TextArea) else widget.value  # type: ignore[attr-defined]


def error(screen: IntakeScreen, field: str) -> str:
    label = screen.query_one(f"#{field}-error", Static)
    return shown(label) if label.display else ""


async def test_f2_opens_with_the_cursor_in_name(app_on: AppFactory, sample_dir: Path) -> None:
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_intake(app, pilot)
        assert app.focused is not None and app.focused.id == "name"


async def test_new_resident_joins_the_queue(app_on: AppFactory, sample_dir: Path) -> None:
    residents_before = len(list(resident_docs(sample_dir).values()))
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_intake(app, pilot)
        await pilot.press(*"Zed", "tab", *"13800138000", "tab")
        await pilot.press(*"新宁花", "enter")  # compound by part of its name
        assert value(screen, "compound") == "新宁花苑"
        await pilot.press(*"3-2-501", "tab")
        await pilot.press("8", "enter")  # category number 8: repairs
        assert app.focused is not None and app.focused.id == "description"
        await pilot.press(*"drain blocked")
        await pilot.press("ctrl+s")
        await pilot.pause()
        (visit,) = today_visits(sample_dir)
        (ticket,) = today_tickets(sample_dir)
        assert (visit["name"], visit["phone"], visit["category"]) == (
            "Zed",
            "+8613800138000",
            "repair",
        )
        assert (visit["building"], visit["unit"], visit["room"]) == ("3", "2", "501")
        assert compound_name(sample_dir, visit["compound"]) == "新宁花苑"
        assert (ticket["number"], ticket["visit"], ticket["status"]) == (
            "D001",
            visit["id"],
            "waiting",
        )
        assert visit["ticket"] == ticket["id"] and visit["mode"] == "queue"
        residents = list(resident_docs(sample_dir).values())
        assert len(residents) == residents_before + 1
        (new,) = [r for r in residents if r["id"] == visit["resident"]]
        assert new["name"] == "Zed" and new["phone"] == "+8613800138000"
        status = shown(screen.query_one("#intake-status", Static))
        assert status == "Saved: Zed, ticket D001."
        # Cleared for the next resident, compound kept, cursor in name.
        assert [
            value(screen, f) for f in ("name", "phone", "address", "category", "description")
        ] == [""] * 5
        assert value(screen, "compound") == "新宁花苑"
        assert app.focused is not None and app.focused.id == "name"
        # The next ticket of the same letter is D002.
        await pilot.press(*"Amy", "tab", "tab", "tab", "tab", "8", "enter", "ctrl+s")
        await pilot.pause()
        assert sorted(t["number"] for t in today_tickets(sample_dir)) == ["D001", "D002"]


async def pick_returning(app: FieldDeskApp, pilot: Any, typed: str, name: str) -> IntakeScreen:
    screen = await open_intake(app, pilot)
    await pilot.press(*typed)
    await pilot.pause()
    box = screen.query_one("#name-suggestions")
    assert box.display, f"no suggestions for {typed!r}"
    labels = [shown_option(box, i) for i in range(box.option_count)]  # type: ignore[attr-defined]
    assert any(label.startswith(name) for label in labels), labels
    while not shown_option(box, box.highlighted).startswith(name):  # type: ignore[attr-defined]
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()
    return screen


def shown_option(box: Any, index: int) -> str:
    return str(box.get_option_at_index(index).prompt)


@pytest.mark.parametrize("how", ["chinese", "initials", "full_pinyin", "phone"])
async def test_returning_resident_is_found_and_filled(
    app_on: AppFactory, sample_dir: Path, how: str
) -> None:
    person = a_resident(sample_dir)
    typed = {
        "chinese": person["name"][:2],
        "initials": "".join(lazy_pinyin(person["name"], style=Style.FIRST_LETTER)),
        "full_pinyin": "".join(lazy_pinyin(person["name"])),
        "phone": person["phone"][-4:],
    }[how]
    residents_before = len(list(resident_docs(sample_dir).values()))
    app = app_on(sample_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await pick_returning(app, pilot, typed, person["name"])
        assert value(screen, "name") == person["name"]
        assert value(screen, "compound") == compound_name(sample_dir, person["compound"])
        assert value(screen, "address").split("-")[0] == person["building"]
        assert value(screen, "phone").replace(" ", "") == person["phone"][3:]
        assert app.focused is not None and app.focused.id == "category"
        side = shown(screen.query_one(SidePanel))
        assert f"{person['name']}: earlier visits" in side and "Open cases" in side
        await pilot.press("1", "enter", "ctrl+s")
        await pilot.pause()
        (visit,) = today_visits(sample_dir)
        assert visit["resident"] == person["id"]
        assert len(list(resident_docs(sample_dir).values())) == residents_before


async def test_returning_resident_side_panel_shows_history(
    app_on: AppFactory, sample_dir: Path
) -> None:
    """Someone seen on the sample day, with an open case: both show."""
    cases = on_disk(sample_dir, "cases/open.json", "case")
    case = next(c for c in cases if c["resident"])
    residents = {r["id"]: r for r in list(resident_docs(sample_dir).values())}
    person = residents[case["resident"]]
    app = app_on(sample_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await pick_returning(app, pilot, person["name"], person["name"])
        side = shown(screen.query_one(SidePanel))
        assert "2026-11-20" in side
        assert f"due {case['due']}" in side


async def test_recurring_problem_is_pointed_out(app_on: AppFactory, sample_dir: Path) -> None:
    visits = on_disk(sample_dir, "days/2026-11-20.json", "visit")
    counts: dict[str, int] = {}
    for v in visits:
        counts[v["category"]] = counts.get(v["category"], 0) + 1
    code = max(counts, key=lambda c: counts[c])
    categories = sorted(on_disk(sample_dir, "registry.json", "category"), key=lambda c: c["order"])
    number = [c["code"] for c in categories].index(code) + 1
    name_en = categories[number - 1]["name_en"]
    app = app_on(sample_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_intake(app, pilot)
        await pilot.press(*"Zed", "tab", "tab", *"新宁路11", "enter", "tab")
        await pilot.press(*str(number))
        await pilot.press("enter")
        await pilot.pause()
        side = shown(screen.query_one(SidePanel))
        assert f"Recurring: {counts[code]} earlier {name_en} request(s) at 新宁路11号院" in side
        assert "2026-11-20" in side


async def test_validation_messages_per_field(app_on: AppFactory, sample_dir: Path) -> None:
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_intake(app, pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error(screen, "name") == "Name is required."
        assert error(screen, "category") == "Request is required."
        assert app.focused is not None and app.focused.id == "name"
        await pilot.press(*"Zed", "tab", *"1380013800a", "tab", "tab", *"3-2-501-9", "tab")
        await pilot.press(*"99", "enter")  # no request 99: said, and the field keeps the focus
        screen.query_one("#description", TextArea).text = "下" * 2001  # as if pasted
        await keys_let_through(pilot, screen)  # what follows Enter in the same field waits its turn
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert error(screen, "name") == ""
        assert error(screen, "phone").startswith("Phone must be digits")
        assert error(screen, "address").startswith("Address: type building-unit-room")
        assert error(screen, "category").startswith('No request matches "99"')
        assert error(screen, "description") == (
            "Details is too long: 2001 characters, at most 2000."
        )
        assert shown(screen.query_one("#intake-status", Static)) == (
            "Not saved: 4 field(s) to fix."
        )
        assert today_visits(sample_dir) == []
        assert value(screen, "phone") == "1380013800a"  # nothing typed is thrown away


async def test_serve_now_gets_no_ticket(app_on: AppFactory, sample_dir: Path) -> None:
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_intake(app, pilot)
        await pilot.press(*"Zed", "tab", "tab", "tab", "tab", "1", "enter", *"认证")
        screen.query_one("#mode").focus()
        await pilot.press("2")
        await pilot.press("ctrl+s")
        await pilot.pause()
        (visit,) = today_visits(sample_dir)
        assert visit["mode"] == "now" and visit["ticket"] == ""
        assert today_tickets(sample_dir) == []
        assert shown(screen.query_one("#intake-status", Static)) == (
            "Saved: Zed, served now (no ticket)."
        )


async def test_flags_mark_priority(app_on: AppFactory, sample_dir: Path) -> None:
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_intake(app, pilot)
        await pilot.press(*"Zed", "tab", "tab", "tab", "tab", "1", "enter")
        screen.query_one("#flags").focus()
        await pilot.press("2", "right", "space")  # mobility, then the next one: lives alone
        await pilot.press("ctrl+s")
        await pilot.pause()
        (visit,) = today_visits(sample_dir)
        (ticket,) = today_tickets(sample_dir)
        assert visit["flags"] == ["mobility", "alone"]
        assert ticket["priority"] is True


async def test_escape_asks_before_discarding(app_on: AppFactory, sample_dir: Path) -> None:
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_intake(app, pilot)
        await pilot.press(*"Zed")
        await pilot.press("escape")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("n")
        await wait_for_screen(pilot, IntakeScreen)
        assert value(screen, "name") == "Zed"
        draft = sample_dir / "drafts" / "desk-1.json"
        await until(pilot, draft.exists, what="the draft on disk")  # saved a moment after typing
        assert draft.exists()
        await pilot.press("escape")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert app.screen.id == "home"
        assert app.store.load_draft(1) is None
        # An empty form goes back without a question.
        await pilot.press("f2")
        await wait_for_screen(pilot, IntakeScreen)
        assert value(screen, "name") == ""
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.id == "home"


async def test_disk_full_keeps_the_form(
    app_on: AppFactory, sample_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_intake(app, pilot)
        await pilot.press(
            *"Zed", "tab", *"13800138000", "tab", "tab", "tab", "8", "enter", *"drain"
        )

        def full(fd: int, data: bytes) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(files.os, "write", full)
        await pilot.press("ctrl+s")
        await pilot.pause()
        monkeypatch.undo()
        status = shown(screen.query_one("#intake-status", Static))
        assert status.startswith("Not saved: the disk is full.")
        assert [value(screen, f) for f in ("name", "phone", "description")] == [
            "Zed",
            "13800138000",
            "drain",
        ]
        assert today_visits(sample_dir) == []
        await pilot.press("ctrl+s")  # space freed: the same form saves
        await pilot.pause()
        assert [v["name"] for v in today_visits(sample_dir)] == ["Zed"]


async def test_hostile_strings_through_name_and_description(
    app_on: AppFactory, sample_dir: Path
) -> None:
    app = app_on(sample_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_intake(app, pilot)
        saved = 0
        for raw in HOSTILE["strings"]:
            name = screen.query_one("#name", Input)
            name.value = raw  # as if pasted
            screen.query_one("#description", TextArea).text = raw
            screen.query_one("#category").focus()
            await pilot.press("1", "enter")
            await pilot.pause()
            assert name.value == raw  # shown literally while typing
            await pilot.press("ctrl+s")
            await pilot.pause()
            expected_name = clean_text(raw)
            expected_description = clean_text(raw, multiline=True)
            if not expected_name:
                assert error(screen, "name") == "Name is required."
            elif len(expected_name) > 40:
                assert error(screen, "name").startswith("Name is too long")
                assert error(screen, "description").startswith("Details is too long")
            else:
                saved += 1
                visit = next(v for v in today_visits(sample_dir) if v["name"] == expected_name)
                assert visit["description"] == expected_description
                status = shown(screen.query_one("#intake-status", Static))
                assert status.startswith(f"Saved: {expected_name}, ticket A")
                continue
            screen.clear(keep_compound=True)
        assert saved == len(today_visits(sample_dir)) >= 18


async def test_draft_survives_sigkill_mid_typing(app_on: AppFactory, sample_dir: Path) -> None:
    child = subprocess.Popen(
        [PYTHON, "-m", "tests.ui.typing_app", str(sample_dir)],
        cwd=ROOT,
        env=python_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    for said in ("typed", "typing"):  # its draft on disk, then typing on
        line = child.stdout.readline()
        assert line.strip() == said, child.stderr.read() if child.stderr else line
    child.send_signal(signal.SIGKILL)  # mid-typing
    child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert today_visits(sample_dir) == []  # typed, never saved
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, IntakeScreen)  # opens by itself on a draft
        screen = app.screen
        assert isinstance(screen, IntakeScreen)
        await pilot.pause()
        assert value(screen, "name") == "Zed"
        assert value(screen, "phone") == "13800138000"
        session = app.store.open_session()
        assert session is not None  # the form started with its compound
        assert value(screen, "compound") == compound_name(sample_dir, session.compound)
        assert value(screen, "address") == "3-2-501"
        assert value(screen, "category").startswith("8 ")
        assert value(screen, "description").startswith("楼道灯坏了")
        assert shown(screen.query_one("#intake-status", Static)) == (
            "Restored what was typed before the app closed."
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        (visit,) = today_visits(sample_dir)
        assert visit["description"].startswith("楼道灯坏了")
        assert app.store.load_draft(1) is None


async def test_after_a_save_escape_leaves_without_asking(
    app_on: AppFactory, sample_dir: Path
) -> None:
    """The kept compound is not typing to lose."""
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_intake(app, pilot)
        await pilot.press(*"Zed", "tab", "tab", *"新宁花", "enter", "tab", "1", "enter")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert value(screen, "compound") == "新宁花苑"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.id == "home"
        assert app.store.load_draft(1) is None


async def test_leaving_a_field_closes_its_match_list(app_on: AppFactory, sample_dir: Path) -> None:
    person = a_resident(sample_dir)
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_intake(app, pilot)
        await pilot.press(*person["name"][:2])
        await pilot.pause()
        assert screen.query_one("#name-suggestions").display
        await pilot.press("tab")
        await pilot.pause()
        assert not screen.query_one("#name-suggestions").display
        assert value(screen, "name") == person["name"][:2]  # Tab takes nothing


async def test_ctrl_s_takes_the_highlighted_request(app_on: AppFactory, sample_dir: Path) -> None:
    """The number typed and its match highlighted: Ctrl+S saves with it."""
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_intake(app, pilot)
        await pilot.press(*"Zed", "tab", "tab", "tab", "tab", "8")
        assert app.focused is not None and app.focused.id == "category"
        await pilot.press("ctrl+s")
        await pilot.pause()
        (visit,) = today_visits(sample_dir)
        assert (visit["name"], visit["category"]) == ("Zed", "repair")

"""F3 through Pilot: the desk's keys, checked on disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import DataTable, Digits, Input, Static

from tests.conftest import TODAY, issue_forms
from tests.ui.conftest import AppFactory, palette_offers, shown, until, wait_for_screen
from tui.domain.intake import IntakeForm
from tui.screens.confirm import ConfirmScreen
from tui.screens.queue import QueueScreen, TransferScreen
from tui.screens.triage import TriageScreen
from tui.store.repository import Store

DAY = TODAY.isoformat()


def issue(store: Store, names_and_codes: list[tuple[str, str, list[str]]]) -> None:
    issue_forms(store, [IntakeForm(name=n, category=c, flags=f) for n, c, f in names_and_codes])


def tickets(store: Store) -> dict[str, Any]:
    return {t.number: t for t in Store(store.root, device="r", by="r").tickets(DAY)}


async def open_queue(app: Any, pilot: Any) -> QueueScreen:
    await pilot.press("f3")
    await wait_for_screen(pilot, QueueScreen)
    assert isinstance(app.screen, QueueScreen)
    return app.screen


def status(screen: QueueScreen) -> str:
    return shown(screen.query_one("#queue-status", Static))


async def test_a_desk_serves_the_queue(app_on: AppFactory, sample_dir: Path) -> None:
    app = app_on(sample_dir, desk=2)
    issue(
        app.store,
        [
            ("甲", "elderly_subsidy", []),
            ("乙", "elderly_subsidy", ["aged80"]),
            ("丙", "repair", []),
        ],
    )
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(app, pilot)
        table = screen.query_one("#waiting", DataTable)
        assert [table.get_row_at(i)[0] for i in range(table.row_count)] == ["A002", "A001", "D001"]
        await pilot.press("n")
        assert status(screen) == "Called A002 to desk 2."  # the aged resident first
        assert screen.query_one("#my-number", Digits).value == "A002"
        await pilot.press("s", "d")
        await wait_for_screen(pilot, TriageScreen)  # serving ended: decide what follows
        await pilot.press("escape")  # decide later
        await wait_for_screen(pilot, QueueScreen)
        assert status(screen) == "A002 done."
        done = tickets(app.store)["A002"]
        assert (done.status, done.desk) == ("done", 2)
        assert [h["action"] for h in done.history] == ["issue", "call", "serve", "done"]
        await pilot.press("n", "r", "r", "r")
        assert status(screen).startswith("A001 was recalled 2 times")
        await pilot.press("x")
        assert tickets(app.store)["A001"].status == "no_show"
        await pilot.press("b")
        assert tickets(app.store)["A001"].status == "waiting"
        await pilot.press("d")
        assert status(screen) == "No one is called to this desk. Press n to call the next."


async def test_illegal_steps_are_refused_with_a_reason(
    app_on: AppFactory, sample_dir: Path
) -> None:
    app = app_on(sample_dir)
    issue(app.store, [("甲", "elderly_subsidy", [])])
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(app, pilot)
        await pilot.press("n", "x")
        assert status(screen) == "A001: recall it 2 times before marking no-show."
        await pilot.press("s", "r")
        # The state and the step by name, and what to do instead.
        assert status(screen) == (
            "A001 is being served: it cannot be recalled. "
            "Press d when done, or b to send it back to the queue."
        )
        assert tickets(app.store)["A001"].status == "serving"


async def test_refusals_in_chinese(app_on: AppFactory, sample_dir: Path) -> None:
    app = app_on(sample_dir, lang="zh")
    issue(app.store, [("甲", "elderly_subsidy", [])])
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(app, pilot)
        await pilot.press("n", "s", "x")
        assert status(screen) == "A001 当前办理中，不能标记过号。办完按 d，或按 b 回到队列。"
        assert tickets(app.store)["A001"].status == "serving"


async def test_priority_transfer_and_cancel(app_on: AppFactory, sample_dir: Path) -> None:
    app = app_on(sample_dir)
    issue(
        app.store,
        [
            ("甲", "elderly_subsidy", []),
            ("乙", "elderly_subsidy", []),
            ("丙", "elderly_subsidy", []),
        ],
    )
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(app, pilot)
        table = screen.query_one("#waiting", DataTable)
        await pilot.press("down", "down", "p")  # A003 becomes priority
        assert tickets(app.store)["A003"].priority is True
        assert table.get_row_at(0)[0] == "A003"
        table.move_cursor(row=2)
        await pilot.press("t")
        await wait_for_screen(pilot, TransferScreen)
        await pilot.press("b", "enter")
        await pilot.pause()
        assert status(screen) == "Moved to B001."
        moved = tickets(app.store)["B001"]
        assert moved.history[-1]["from"] == "A002"
        table.move_cursor(row=0)
        await pilot.press("c")
        await wait_for_screen(pilot, ConfirmScreen)  # cancelling asks first
        await pilot.press("y")
        await wait_for_screen(pilot, QueueScreen)
        assert tickets(app.store)["A003"].status == "cancelled"
        # The ticket here goes to another desk.
        await pilot.press("n", "t")
        await wait_for_screen(pilot, TransferScreen)
        screen_input = app.screen.query_one("#transfer-to", Input)
        screen_input.value = "3"
        await pilot.press("enter")
        await pilot.pause()
        assert tickets(app.store)["A001"].desk == 3


async def test_every_f3_key_is_in_help_and_the_palette(
    app_on: AppFactory, sample_dir: Path
) -> None:
    from tui.screens.help import HelpScreen
    from widgets.key_table import KeyTable

    app = app_on(sample_dir)
    issue(app.store, [("甲", "elderly_subsidy", [])])
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(app, pilot)
        wanted = {
            "Call",
            "Recall",
            "Serve",
            "Done",
            "No-show",
            "Back to queue",
            "Priority on/off",
            "Transfer",
            "Cancel ticket",
            "Restore cancelled",
        }
        titles = {c.title for c in app.get_system_commands(screen)}
        assert wanted <= titles
        await pilot.press("f1")
        await wait_for_screen(pilot, HelpScreen)
        table = app.screen.query_one(KeyTable)
        described = {table.get_row_at(i)[1] for i in range(table.row_count)}
        assert wanted <= described
        await pilot.press("escape")
        # Run one from the palette: call next.
        await pilot.press("ctrl+p")
        await pilot.press(*"Call")
        await until(pilot, lambda: palette_offers(app) == "Call", what="the palette offering Call")
        await pilot.press("enter")
        await until(
            pilot,
            lambda: tickets(app.store)["A001"].status == "called",
            what="A001 called, on disk",
        )
        assert tickets(app.store)["A001"].status == "called"

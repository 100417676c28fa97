"""F3's guards, found on a field day, through Pilot and checked on disk: one
resident per desk (n n, transfer to a busy desk), done straight from called,
cancel asks and can be undone, no ticket without an open session."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
from textual.widgets import Button, DataTable, Digits, Input, OptionList, Static

from tests.conftest import TODAY, open_today
from tests.ui.conftest import AppFactory, run_elsewhere, screen_text, shown, wait_for_screen
from tests.ui.test_intake import open_intake
from tests.ui.test_queue_screen import issue, open_queue, status, tickets
from tui.domain.queue import board
from tui.screens.confirm import ConfirmScreen
from tui.screens.help import HelpScreen
from tui.screens.intake import IntakeScreen
from tui.screens.queue import CurrentTicketScreen, QueueScreen, RestoreScreen, TransferScreen
from tui.screens.triage import TriageScreen
from tui.store.repository import Store

DAY = TODAY.isoformat()
PEOPLE = [
    ("甲", "elderly_subsidy", []),
    ("乙", "elderly_subsidy", []),
    ("丙", "elderly_subsidy", []),
]


def question(app: Any) -> str:
    return shown(app.screen.query_one("#queue-busy-question", Static))


def at_desk(store: Store, desk: int) -> list[str]:
    """The numbers called to or being served at `desk`, as on disk."""
    return sorted(
        n for n, t in tickets(store).items() if t.desk == desk and t.status in ("called", "serving")
    )


def displayed(store: Store) -> dict[int, str]:
    """What the residents' display shows at each desk."""
    shown_now = board(list(tickets(store).values())).now_serving
    return {entry.desk: entry.number for entry in shown_now}


async def test_n_with_a_resident_at_the_desk_asks_first(
    app_on: AppFactory, sample_dir: Path
) -> None:
    app = app_on(sample_dir)
    issue(app.store, PEOPLE)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(app, pilot)
        await pilot.press("n", "n")  # the field day: n pressed twice
        await wait_for_screen(pilot, CurrentTicketScreen)
        assert question(app) == "A001 is still called at desk 1. Before the next is called:"
        text = " ".join(screen_text(app).split())
        assert "Finish it, call next (d)" in text and "Keep it (n)" in text
        # Nothing happened yet: one resident at desk 1, the one the desk and display show.
        assert at_desk(app.store, 1) == ["A001"] and tickets(app.store)["A002"].status == "waiting"
        await pilot.press("n")  # keep A001: a third n is as safe as Esc
        await wait_for_screen(pilot, QueueScreen)
        assert at_desk(app.store, 1) == ["A001"] and tickets(app.store)["A002"].status == "waiting"
        # Back to the queue, and the next one called: A001 keeps its place, A002 comes.
        await pilot.press("n")
        await wait_for_screen(pilot, CurrentTicketScreen)
        await pilot.press("b")
        await wait_for_screen(pilot, QueueScreen)
        assert status(screen) == "A001 is back in the queue. Called A002 to desk 1."
        assert at_desk(app.store, 1) == ["A002"]
        assert tickets(app.store)["A001"].status == "waiting"
        assert screen.query_one("#my-number", Digits).value == "A002"
        assert displayed(app.store) == {1: "A002"}
        table = screen.query_one("#waiting", DataTable)
        assert [table.get_row_at(i)[0] for i in range(table.row_count)] == ["A001", "A003"]
        # Finished, the next called in the same step, then the triage of the one finished.
        await pilot.press("s", "n")
        await wait_for_screen(pilot, CurrentTicketScreen)
        assert question(app).startswith("A002 is still being served at desk 1.")
        await pilot.press("d")
        await wait_for_screen(pilot, TriageScreen)
        assert tickets(app.store)["A002"].status == "done"
        assert at_desk(app.store, 1) == ["A001"]
        assert displayed(app.store) == {1: "A001"}
        await pilot.press("escape")
        await wait_for_screen(pilot, QueueScreen)
        assert status(screen) == "A002 done. Called A001 to desk 1."


async def test_the_question_is_asked_in_chinese(app_on: AppFactory, sample_dir: Path) -> None:
    app = app_on(sample_dir, lang="zh")
    issue(app.store, PEOPLE)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_queue(app, pilot)
        await pilot.press("n", "n")
        await wait_for_screen(pilot, CurrentTicketScreen)
        assert question(app) == "A001 仍在 1号台（已叫号）。叫下一位之前："
        labels = [str(b.label) for b in app.screen.query(Button)]
        assert labels == ["办结并叫下一位 (d)", "回到队列并叫下一位 (b)", "保留 (n)"]
        await pilot.press("f1")  # the dialog's keys, in Chinese
        await wait_for_screen(pilot, HelpScreen)
        assert "本台还有号码" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("escape")
        await wait_for_screen(pilot, QueueScreen)
        assert at_desk(app.store, 1) == ["A001"]


async def test_done_straight_from_called(app_on: AppFactory, sample_dir: Path) -> None:
    app = app_on(sample_dir)
    issue(app.store, PEOPLE)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(app, pilot)
        await pilot.press("n", "d")  # the resident was already sitting there
        await wait_for_screen(pilot, TriageScreen)
        done = tickets(app.store)["A001"]
        assert done.status == "done"
        assert [h["action"] for h in done.history] == ["issue", "call", "done"]
        await pilot.press("escape")
        await wait_for_screen(pilot, QueueScreen)
        assert status(screen) == "A001 done."


async def test_transfer_to_a_desk_with_a_resident_is_refused(
    app_on: AppFactory, sample_dir: Path
) -> None:
    app = app_on(sample_dir)
    issue(app.store, PEOPLE)
    # Desk 2, another laptop, calls the first ticket.
    assert (
        run_elsewhere(
            sample_dir,
            "from tui.services.queue_desk import QueueDesk\n"
            "print(QueueDesk(store, 2).call_next().number)",
        )
        == "A001"
    )
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(app, pilot)
        await pilot.press("n", "t")
        await wait_for_screen(pilot, TransferScreen)
        app.screen.query_one("#transfer-to", Input).value = "2"
        await pilot.press("enter")
        await wait_for_screen(pilot, QueueScreen)
        assert status(screen) == (
            "Desk 2 has A001 (called) and takes no second ticket: wait until A001 is done "
            "there, or send this one to another desk."
        )
        assert at_desk(app.store, 1) == ["A002"] and at_desk(app.store, 2) == ["A001"]
        assert displayed(app.store) == {1: "A002", 2: "A001"}
        # A free desk takes it.
        await pilot.press("t")
        await wait_for_screen(pilot, TransferScreen)
        app.screen.query_one("#transfer-to", Input).value = "3"
        await pilot.press("enter")
        await wait_for_screen(pilot, QueueScreen)
        assert at_desk(app.store, 3) == ["A002"] and at_desk(app.store, 1) == []


async def test_cancel_asks_and_a_cancelled_ticket_can_be_restored(
    app_on: AppFactory, sample_dir: Path
) -> None:
    app = app_on(sample_dir)
    issue(app.store, PEOPLE)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_queue(app, pilot)
        table = screen.query_one("#waiting", DataTable)
        rows = lambda: [table.get_row_at(i)[0] for i in range(table.row_count)]  # noqa: E731
        table.move_cursor(row=1)
        await pilot.press("c")
        await wait_for_screen(pilot, ConfirmScreen)
        asked = shown(app.screen.query_one("#confirm-question", Static))
        assert asked == "Cancel A002 乙? It can be restored to its place today with u."
        await pilot.press("n")  # no: nothing happens
        await wait_for_screen(pilot, QueueScreen)
        assert tickets(app.store)["A002"].status == "waiting"
        await pilot.press("c")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        await wait_for_screen(pilot, QueueScreen)
        assert tickets(app.store)["A002"].status == "cancelled"
        assert status(screen) == "A002 cancelled."
        assert rows() == ["A001", "A003"]
        # u: today's cancelled tickets; Enter puts the highlighted one back at its place.
        await pilot.press("u")
        await wait_for_screen(pilot, RestoreScreen)
        options = app.screen.query_one(OptionList)
        assert [
            str(options.get_option_at_index(i).prompt) for i in range(options.option_count)
        ] == ["A002  乙  cancelled 18:00"]
        await pilot.press("enter")
        await wait_for_screen(pilot, QueueScreen)
        restored = tickets(app.store)["A002"]
        assert restored.status == "waiting"
        assert [h["action"] for h in restored.history][-2:] == ["cancel", "restore"]
        assert status(screen) == "A002 is back in the queue at its place."
        assert rows() == ["A001", "A002", "A003"]
        await pilot.press("u")
        assert status(screen) == "No ticket was cancelled today."


async def test_no_ticket_without_an_open_session(app_on: AppFactory, sample_dir: Path) -> None:
    """No session today (Esc at the start-up dialog): a queued intake is refused
    with the way to open one; serving now without a ticket still works."""
    app = app_on(sample_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_intake(app, pilot)
        await pilot.press(*"Zed", "tab", "tab", "tab", "tab", "8", "enter", "ctrl+s")
        await pilot.pause()
        message = shown(screen.query_one("#intake-status", Static))
        assert message == (
            "No ticket without an open session: open today's session with o in F5 "
            "(or choose serve now, no ticket)."
        )
        assert screen.query_one("#name", Input).value == "Zed"  # the form stays as typed
        assert not (sample_dir / "days" / f"{DAY}.json").exists()


async def test_a_session_closed_at_another_desk_issues_no_ticket(
    app_on: AppFactory, sample_dir: Path, clock: Callable[[], datetime]
) -> None:
    open_today(Store(sample_dir, device="setup", by="setup", clock=clock))
    app = app_on(sample_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_intake(app, pilot)
        await pilot.press(*"Zed", "tab", "tab", "tab", "tab", "8", "enter")
        # Desk 2 reviews the day and closes the session while this form is typed.
        run_elsewhere(
            sample_dir,
            "from tui.domain.sessions import close_session\n"
            "store.save(close_session(store.open_session(), 0, now=store.now()))",
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert shown(screen.query_one("#intake-status", Static)).startswith(
            "No ticket without an open session: open today's session with o in F5"
        )
        assert isinstance(app.screen, IntakeScreen)
    day = orjson.loads((sample_dir / "days" / f"{DAY}.json").read_bytes())
    assert "ticket" not in day and "visit" not in day  # nothing for the day's report
    (session,) = day["session"].values()
    assert session["status"] == "closed"

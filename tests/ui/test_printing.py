"""Printing from the app: the slip after an intake's save and the receipt
after a case is logged, in a worker; a printer that fails never loses the
save and says so in one line; F3 and F4 print them again with k."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import open_today
from tests.printing.conftest import printed
from tests.ui.conftest import AppFactory, open_screen, screen_text, until, wait_for_screen
from tests.ui.test_intake import open_intake, today_tickets
from tui.app import FieldDeskApp
from tui.printing.documents import case_number
from tui.screens.cases import CasesScreen
from tui.screens.queue import QueueScreen
from tui.screens.triage import TriageScreen
from tui.store.repository import Store


@pytest.fixture(autouse=True)
def _session_open(sample_dir: Path, clock: Callable[[], datetime]) -> None:
    open_today(Store(sample_dir, device="setup", by="setup", clock=clock))


def toasts(app: FieldDeskApp) -> list[str]:
    return [n.message for n in app._notifications]


async def told(pilot: object, app: FieldDeskApp, start: str) -> str:
    """Let the print worker finish; the toast that begins with `start`."""
    await until(
        pilot,  # type: ignore[arg-type]
        lambda: any(m.startswith(start) for m in toasts(app)),
        what=lambda: f"a toast beginning {start!r} (toasts: {toasts(app)})",
    )
    return next(m for m in toasts(app) if m.startswith(start))


async def test_a_failing_printer_keeps_the_ticket_and_f3_reprints(
    app_on: AppFactory, sample_dir: Path, tmp_path: Path
) -> None:
    app = app_on(sample_dir)
    app.store.save_setting("printer", f"file:{tmp_path}/unplugged/lp0")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_intake(app, pilot)
        await pilot.press(*"Zed", "tab", "tab", "tab", "tab", "1", "enter", "ctrl+s")
        message = await told(pilot, app, "Ticket ")
        (ticket,) = today_tickets(sample_dir)  # saved, whatever the printer did
        number = ticket["number"]
        assert message.startswith(f"Ticket {number} is saved, but its slip did not print (")
        assert "No such file or directory" in message and "\n" not in message
        assert message.endswith("F3, k prints it again.")
        await until(  # one toast, seen on the screen
            pilot, lambda: "did not print" in screen_text(app), what=lambda: screen_text(app)
        )

        device = tmp_path / "lp0"
        app.store.save_setting("printer", f"file:{device}")  # plugged in
        await open_screen(pilot, "f3")
        assert isinstance(app.screen, QueueScreen)
        await pilot.press("k")
        assert await told(pilot, app, "Slip") == f"Slip {number} sent to the printer."
        lines = printed(device.read_bytes())
        assert number in lines and "Waiting ahead: 0 people" in lines
        assert "Zed" not in "\n".join(lines)


async def test_a_logged_case_prints_its_receipt_and_f4_reprints(
    app_on: AppFactory, sample_dir: Path, tmp_path: Path
) -> None:
    device = tmp_path / "lp0"
    app = app_on(sample_dir, lang="zh")
    app.store.save_setting("printer", f"file:{device}")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_intake(app, pilot)
        await pilot.press(*"Zed", "tab", *"13800138000", "tab", *"新宁路11", "enter", "tab")
        await pilot.press("8", "enter", *"drain")
        screen.query_one("#mode").focus()
        await pilot.press("2", "ctrl+s")  # served now: no ticket, no slip
        await wait_for_screen(pilot, TriageScreen)
        await pilot.press("ctrl+s")  # logged for later
        await wait_for_screen(pilot, type(screen))
        store = Store(sample_dir, device="r", by="r")
        (case,) = [c for c in store.open_cases() if c.name == "Zed"]
        await until(pilot, lambda: device.exists() and device.stat().st_size > 0)
        await app.workers.wait_for_complete()
        lines = printed(device.read_bytes())
        assert lines[1] == "登记回执" and f"登记编号：{case_number(case)}" in lines
        assert "  drain" in lines and toasts(app) == []  # printed: nothing to say

        device.unlink()
        await open_screen(pilot, "f4")
        assert isinstance(app.screen, CasesScreen)
        await pilot.press("k")
        said = await told(pilot, app, "回执")
        assert said.endswith("已送往打印机。")
        assert printed(device.read_bytes())[1] == "登记回执"


async def test_reprint_without_a_printer_says_how_to_set_one(
    app_on: AppFactory, sample_dir: Path
) -> None:
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_intake(app, pilot)
        await pilot.press(*"Zed", "tab", "tab", "tab", "tab", "1", "enter", "ctrl+s")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert toasts(app) == []  # no printer at this desk: nothing printed, nothing said
        await open_screen(pilot, "f3")
        await pilot.press("k")
        said = await told(pilot, app, "Slip")
        assert said.startswith("Slip ") and "no printer is set" in said

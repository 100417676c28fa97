"""Run as a child process: open the app, type into the intake form, then wait
to be killed (the crash test kills it with SIGKILL mid-typing)."""

from __future__ import annotations

import sys
from datetime import date

from textual.pilot import Pilot

from tests.ui.conftest import until, wait_for_screen
from tui.domain.calendar import fixed_clock
from tui.launch import make_app
from tui.screens.intake import IntakeScreen


async def typing(pilot: Pilot[None]) -> None:
    app = pilot.app
    await pilot.press("f2")
    await wait_for_screen(pilot, IntakeScreen, seconds=30)
    screen = app.screen
    assert isinstance(screen, IntakeScreen)
    await until(pilot, lambda: screen._index is not None, 30, "the look-up index")
    await pilot.press(*"Zed", "tab", *"13800138000", "tab", "tab", *"3-2-501", "tab")
    await pilot.press("8", "enter", *"楼道灯坏了")
    await until(
        pilot,
        lambda: (screen.store.load_draft(1) or {}).get("description") == "楼道灯坏了",
        30,
        "the draft of everything typed, on disk",
    )
    print("typed", flush=True)
    await pilot.press(*" still")
    print("typing", flush=True)
    await pilot.press(*" typing")  # killed somewhere in here
    # Timed, not a wait for anything: it is killed long before; the bound ends
    # a child whose test failed before killing it.
    await pilot.pause(120)


if __name__ == "__main__":
    app = make_app(
        sys.argv[1], lang="en", staff="x", clock=fixed_clock(date(2026, 11, 27)), ask_session=False
    )
    app.run(headless=True, size=(80, 24), auto_pilot=typing)

"""Run as a child process: open the app, type into the intake form, then wait
to be killed (the crash test kills it with SIGKILL mid-typing)."""

from __future__ import annotations

import sys
from datetime import date

from textual.pilot import Pilot

from tui.domain.calendar import fixed_clock
from tui.launch import make_app


async def typing(pilot: Pilot[None]) -> None:
    await pilot.press("f2")
    await pilot.pause(0.5)
    await pilot.press(*"Zed", "tab", *"13800138000", "tab", "tab", *"3-2-501", "tab")
    await pilot.press("8", "enter", *"楼道灯坏了")
    await pilot.pause(1.0)  # longer than the draft delay
    print("typed", flush=True)
    await pilot.press(*" still typing")  # killed somewhere in here
    await pilot.pause(120)


if __name__ == "__main__":
    app = make_app(
        sys.argv[1], lang="en", staff="x", clock=fixed_clock(date(2026, 11, 27)), ask_session=False
    )
    app.run(headless=True, size=(80, 24), auto_pilot=typing)

"""F4: the first press after start-up (a fresh process each, on the sample
community and on 5 years of generated cases), then, in one app on the 5 years,
opening it again and each filter change; from the action to the next frame drawn."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from datetime import date
from typing import Any

from bench.common import ROOT, fresh_copy, history, ms, percentile
from tui.domain.calendar import fixed_clock

UNTIL = date(2026, 11, 27)
FIRST_RUNS = 9
LOOK = 1.5  # seconds staff look at the home screen before the first F4

# One process per figure: the first press of a real start, imports included.
FIRST = """
import asyncio, sys, time
from datetime import date
T0 = time.perf_counter()
from tui.launch import make_app
from tui.domain.calendar import fixed_clock
from tui.screens.cases import CasesScreen

async def main():
    app = make_app(
        sys.argv[1], lang="zh", staff="bench", clock=fixed_clock(date.fromisoformat(sys.argv[2]))
    )
    ready = []
    draw_ahead = getattr(app, "_draw_ahead", None)  # None: a tree without it (a before figure)
    def drawn_ahead(screen):
        draw_ahead(screen)
        ready.append(time.perf_counter() - T0)
    if draw_ahead is not None:
        app._draw_ahead = drawn_ahead
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(float(sys.argv[3]))
        start = time.perf_counter()
        app.action_cases()
        while not isinstance(app.screen, CasesScreen):
            await pilot.pause(0.001)
        drawn = []
        app.screen.call_after_refresh(lambda: drawn.append(time.perf_counter() - start))
        while not drawn:
            await pilot.pause(0.001)
    print("first", drawn[0], ready[0] if ready else -1, flush=True)

asyncio.run(main())
"""


def first_open(data: Any, runs: int = FIRST_RUNS) -> dict[str, float]:
    """The first F4 of `runs` fresh starts, each after LOOK seconds on the home screen;
    `ready`: the slowest start's time until F4 had been drawn ahead."""
    opened, ready = [], []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", FIRST, str(data), UNTIL.isoformat(), str(LOOK)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        line = next((x for x in out.stdout.splitlines() if x.startswith("first ")), None)
        if line is None:
            raise RuntimeError(out.stderr)
        _, took, done = line.split()
        opened.append(float(took))
        ready.append(float(done))
    return {
        "p50": percentile(opened, 50),
        "p95": percentile(opened, 95),
        "max": max(opened),
        "ready": max(ready),
    }


async def _measure(data: Any, rounds: int) -> dict[str, list[float]]:
    from textual.widgets import Select

    from tui.launch import make_app
    from tui.screens.cases import CasesScreen

    app = make_app(data, lang="zh", staff="bench", clock=fixed_clock(UNTIL))
    opened: list[float] = []
    filtered: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(LOOK)
        for _ in range(rounds):
            start = time.perf_counter()
            app.action_cases()
            opened.append(await _next_frame(pilot, app, CasesScreen, start))
            screen = app.screen
            store = app.store
            changes = [
                ("#f-status", s)
                for s in ("logged", "assigned", "in_progress", "resolved", "replied", "closed")
            ]
            changes += [("#f-due", "overdue"), ("#f-due", "today")]
            changes += [("#f-compound", c.id) for c in store.compounds()[:3]]
            changes += [("#f-category", c.code) for c in store.categories()[:3]]
            changes += [("#f-owner", s.id) for s in store.staff()[:3]]
            for select_id, value in changes:
                select = screen.query_one(select_id, Select)
                reloads = screen.reloads  # type: ignore[attr-defined]
                start = time.perf_counter()
                select.value = value  # Select.Changed reloads the list
                while screen.reloads == reloads:  # type: ignore[attr-defined]
                    await pilot.pause(0.001)
                filtered.append(await _next_frame(pilot, app, CasesScreen, start))
                select.clear()
                await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
    return {"open": opened, "filter": filtered}


async def _next_frame(pilot: Any, app: Any, screen_type: type, start: float) -> float:
    """Seconds from `start` until the next frame of `screen_type` has been drawn."""
    while not isinstance(app.screen, screen_type):
        await pilot.pause(0.001)
    drawn: list[float] = []
    app.screen.call_after_refresh(lambda: drawn.append(time.perf_counter() - start))
    while not drawn:
        await pilot.pause(0.001)
    return drawn[0]


def run(rounds: int = 5) -> dict[str, Any]:
    sample = fresh_copy(ROOT / "sample_data", "cases-sample")
    first = {"sample": first_open(sample), "5y": first_open(fresh_copy(history(), "cases-5y"))}
    data = fresh_copy(history(), "cases-5y")
    result = asyncio.run(_measure(data, rounds))
    return {
        "first": first,
        "open_p50": percentile(result["open"], 50),
        "open_p95": percentile(result["open"], 95),
        "filter_p50": percentile(result["filter"], 50),
        "filter_p95": percentile(result["filter"], 95),
        "changes": len(result["filter"]),
    }


if __name__ == "__main__":
    f = run()
    for place, first in f["first"].items():
        print(
            f"F4 first press, {place}: p50 {ms(first['p50'])}, p95 {ms(first['p95'])} "
            f"(drawn ahead {first['ready']:.2f} s after start)"
        )
    print(f"F4 open again: p50 {ms(f['open_p50'])}, p95 {ms(f['open_p95'])}")
    print(
        f"F4 filter change: p50 {ms(f['filter_p50'])}, p95 {ms(f['filter_p95'])} "
        f"({f['changes']} changes)"
    )

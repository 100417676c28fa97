"""F4 with 5 years of generated cases: opening it, and each filter change, from the
action to the next frame drawn."""

from __future__ import annotations

import asyncio
import time
from datetime import date
from typing import Any

from bench.common import fresh_copy, history, ms, percentile
from tui.domain.calendar import fixed_clock

UNTIL = date(2026, 11, 27)


async def _measure(data: Any, rounds: int) -> dict[str, list[float]]:
    from textual.widgets import Select

    from tui.app import make_app
    from tui.screens.cases import CasesScreen

    app = make_app(data, lang="zh", staff="bench", clock=fixed_clock(UNTIL))
    opened: list[float] = []
    filtered: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
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


def run(rounds: int = 5) -> dict[str, float]:
    data = fresh_copy(history(), "cases-5y")
    result = asyncio.run(_measure(data, rounds))
    return {
        "open_p50": percentile(result["open"], 50),
        "open_p95": percentile(result["open"], 95),
        "filter_p50": percentile(result["filter"], 50),
        "filter_p95": percentile(result["filter"], 95),
        "changes": len(result["filter"]),
    }


if __name__ == "__main__":
    f = run()
    print(f"F4 open: p50 {ms(f['open_p50'])}, p95 {ms(f['open_p95'])}")
    print(
        f"F4 filter change: p50 {ms(f['filter_p50'])}, p95 {ms(f['filter_p95'])} "
        f"({f['changes']} changes)"
    )

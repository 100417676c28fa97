"""F7, the community: the first press after start-up, a fresh process each,
on 5 years of history (17 compounds, 10,500 residents); from the key to the
next frame drawn."""

from __future__ import annotations

import subprocess
import sys

from bench.common import ROOT, fresh_copy, history, ms, percentile

RUNS = 7
LOOK = 1.0  # seconds on the home screen before F7

FIRST = """
import asyncio, sys, time
from datetime import date
from tui.launch import make_app
from tui.domain.calendar import fixed_clock

async def main():
    app = make_app(sys.argv[1], lang="zh", staff="bench", ask_session=False,
                   clock=fixed_clock(date(2026, 11, 27)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(float(sys.argv[2]))
        start = time.perf_counter()
        app.action_community()  # what F7 does (Pilot's press waits for idle on its own)
        while app.screen.id != "community":
            await pilot.pause(0.001)
        drawn = []
        app.screen.call_after_refresh(lambda: drawn.append(time.perf_counter() - start))
        while not drawn:
            await pilot.pause(0.001)
        lists = len(app.screen._shown)
    print("first", drawn[0], lists, flush=True)

asyncio.run(main())
"""


def run(runs: int = RUNS) -> dict[str, float]:
    data = fresh_copy(history(), "community-5y")
    opened: list[float] = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", FIRST, str(data), str(LOOK)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        line = next((x for x in out.stdout.splitlines() if x.startswith("first ")), None)
        if line is None:
            raise RuntimeError(out.stderr)
        _, took, shown = line.split()
        if int(shown) < 17:
            raise RuntimeError(f"F7 listed {shown} compounds")
        opened.append(float(took))
    return {"p50": percentile(opened, 50), "p95": percentile(opened, 95), "max": max(opened)}


if __name__ == "__main__":
    f = run()
    print(f"F7 first press, 5 years: p50 {ms(f['p50'])}, p95 {ms(f['p95'])}, max {ms(f['max'])}")

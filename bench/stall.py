"""Another desk's save, seen from this desk: how long the UI thread is held.

The app runs on a copy of the history with a screen in view (home, intake,
F4 cases, F6 certification); another process saves a changed resident every
so often. The display (`fielddesk display`) runs on the same copy while
another desk calls the next ticket. A probe scheduled on the UI
thread every PROBE seconds records how late it runs: the longest lateness in
the seconds after each save is that save's stall (the app's own handling,
the screens' catch-up, and any worker holding the interpreter). Idle: the
same probe with no save, for comparison.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench.common import ROOT, fresh_copy, history, percentile
from tui.domain.calendar import fixed_clock

UNTIL = date(2026, 11, 27)
PROBE = 0.005  # seconds between probes on the UI thread
SAVES = 12  # saves by the other process per screen
AFTER = 1.5  # seconds watched after each save

# The other desk: one process, a save each time it reads a line.
OTHER = """
import dataclasses, sys
from datetime import date
from tui.domain.calendar import fixed_clock
from tui.store.repository import Store
store = Store(sys.argv[1], device="other", by="other", clock=fixed_clock(date(2026, 11, 27)))
people = store.residents()[:200]
n = 0
for line in sys.stdin:
    person = store.resident(people[n % len(people)].id)
    store.save(dataclasses.replace(person, note=f"bench {n}"))
    n += 1
    print("saved", flush=True)
"""


# The display's other desk: today's session opened, tickets issued, then one
# called (and the one before it served and done) each time it reads a line.
CALLER = """
import sys
from datetime import date
from bench.common import open_today
from tui.domain.calendar import fixed_clock
from tui.domain.intake import IntakeForm, build_intake
from tui.services.intake import save_intake
from tui.services.queue_desk import QueueDesk
from tui.store.repository import Store
store = Store(sys.argv[1], device="other", by="other", clock=fixed_clock(date(2026, 11, 27)))
session = open_today(store)
categories = {c.code: c for c in store.categories()}
for n in range(40):
    save_intake(store, build_intake(
        IntakeForm(name=f"居民{n}", category="repair"), day=store.today(), session=session,
        now=store.now(), by="other", categories=categories, compounds={}, existing=None))
desk = QueueDesk(store, 7)  # a desk of its own: the history's last day has others busy
print("ready", flush=True)
called = None
for line in sys.stdin:
    if called is not None:
        desk.act(called.id, "serve")
        desk.act(called.id, "done")
    called = desk.call_next()
    print("saved", flush=True)
"""


async def _stalls(data: Path, screen: str) -> dict[str, list[float]]:
    from tui.display_app import make_display
    from tui.launch import make_app

    clock = fixed_clock(UNTIL)
    if screen == "display":
        app: Any = make_display(data, lang="zh", clock=clock)
    else:
        app = make_app(data, lang="zh", staff="bench", clock=clock, ask_session=False)
    other = subprocess.Popen(
        [sys.executable, "-c", CALLER if screen == "display" else OTHER, str(data)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    late: list[tuple[float, float]] = []  # (when, how late)
    expected = [0.0]

    def probe() -> None:
        now = time.perf_counter()
        late.append((now, max(0.0, now - expected[0])))
        expected[0] = now + PROBE

    found: dict[str, list[float]] = {"idle": [], "save": []}
    if screen == "display":
        assert other.stdout is not None
        await asyncio.get_running_loop().run_in_executor(None, other.stdout.readline)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(1.0)
        keys = {"intake": "f2", "cases": "f4", "certification": "f6"}.get(screen)
        if keys:
            await pilot.press(keys)
        await app.workers.wait_for_complete()
        await pilot.pause(1.0)
        expected[0] = time.perf_counter() + PROBE
        app.set_interval(PROBE, probe)
        for _ in range(SAVES):  # idle windows, no save
            start = time.perf_counter()
            await pilot.pause(AFTER)
            found["idle"].append(max((d for t, d in late if t >= start), default=0.0))
        for _ in range(SAVES):
            assert other.stdin is not None and other.stdout is not None
            start = time.perf_counter()
            other.stdin.write("go\n")
            other.stdin.flush()
            await asyncio.get_running_loop().run_in_executor(None, other.stdout.readline)
            await pilot.pause(AFTER)
            await app.workers.wait_for_complete()
            found["save"].append(max((d for t, d in late if t >= start), default=0.0))
    if other.stdin is not None:
        other.stdin.close()
    if other.wait(timeout=30):
        raise RuntimeError("the other desk's process failed")
    return found


SCREENS = ("home", "intake", "cases", "certification", "display")


def run(
    residents: int = 10500, years: int = 5, screens: tuple[str, ...] = SCREENS
) -> dict[str, Any]:
    source = history(residents, years)
    figures: dict[str, Any] = {}
    for screen in screens:
        data = fresh_copy(source, f"stall-{residents}")
        found = asyncio.run(_stalls(data, screen))
        figures[screen] = {
            "idle_p95": percentile(found["idle"], 95),
            "save_p50": percentile(found["save"], 50),
            "save_p95": percentile(found["save"], 95),
            "save_max": max(found["save"]),
        }
    return figures


if __name__ == "__main__":
    sys.path[0] = str(ROOT)
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10500
    for screen, f in run(size).items():
        print(
            f"{screen}: stall after another desk's save p50 {f['save_p50'] * 1000:.1f} ms, "
            f"p95 {f['save_p95'] * 1000:.1f} ms, max {f['save_max'] * 1000:.1f} ms "
            f"(idle p95 {f['idle_p95'] * 1000:.1f} ms)",
            flush=True,
        )

"""The queue: change-to-display latency across processes (the display told by the
OS's file notifications, and by the stat polling it falls back to), an idle
display's CPU, and call-next with 300 tickets waiting."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench.common import OUT, ROOT, ms, open_today, percentile
from tui.domain.calendar import fixed_clock
from tui.domain.intake import IntakeForm, build_intake
from tui.services.intake import save_intake
from tui.services.queue_desk import QueueDesk
from tui.store.repository import Store

TODAY = date.today()  # the display follows the real clock, so the data does too

WATCHER = """
import sys, time
from tui.display_app import make_display
from widgets.ticket_board import TicketBoard

async def watch(pilot):
    board = pilot.app.screen.query_one(TicketBoard)
    last = None
    print("ready", flush=True)
    deadline = time.monotonic() + float(sys.argv[2])
    while time.monotonic() < deadline:
        await pilot.pause(0.005)
        shown = board._shown
        numbers = tuple(e.number for e in shown.now_serving) if shown else ()
        if numbers != last:
            last = numbers
            print(f"{time.time()} {' '.join(numbers)}", flush=True)
    pilot.app.exit()

options = {} if sys.argv[3] == "notifications" else {"notifications": False}
make_display(sys.argv[1], **options).run(headless=True, size=(80, 24), auto_pilot=watch)
"""

IDLE = """
import sys
from tui.display_app import make_display
make_display(sys.argv[1]).run(headless=True, size=(80, 24))
"""


def fresh(name: str, tickets: int) -> Store:
    folder = OUT / name
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(ROOT / "sample_data", folder)
    store = Store(folder, device="bench", by="bench", clock=fixed_clock(TODAY))
    categories = {c.code: c for c in store.categories()}
    session = open_today(store)
    for n in range(tickets):
        save_intake(
            store,
            build_intake(
                IntakeForm(
                    name=f"居民{n}", category="elderly_subsidy", flags=["aged80"] * (n % 3 == 0)
                ),
                day=TODAY.isoformat(),
                session=session,
                now=store.now(),
                by="bench",
                categories=categories,
                compounds={},
                existing=None,
            ),
        )
    return store


def display_latency(calls: int = 30, how: str = "notifications") -> dict[str, float]:
    """`how`: "notifications", or "polling" (the fallback where there are none)."""
    store = fresh("queue-display", calls + 5)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    child = subprocess.Popen(
        [sys.executable, "-c", WATCHER, str(store.root), "120", how],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    child.stdout.readline()  # the first board
    desk = QueueDesk(store, 1)
    latencies = []
    for _ in range(calls):
        ticket = desk.call_next()
        committed = time.time()
        assert ticket is not None
        while True:
            stamp, *numbers = child.stdout.readline().split()
            if ticket.number in numbers:
                latencies.append(float(stamp) - committed)
                break
        desk.act(ticket.id, "serve")
        desk.act(ticket.id, "done")
        time.sleep(0.3)  # staff take a moment between calls
    child.kill()
    child.wait()
    return {
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "max": max(latencies),
    }


def idle_cpu(seconds: float = 60) -> float:
    """Share of one core used by an idle display over `seconds`."""
    store = fresh("queue-idle", 20)
    QueueDesk(store, 1).call_next()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    child = subprocess.Popen(
        [sys.executable, "-c", IDLE, str(store.root)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(5)  # started and settled
    before = _cpu_seconds(child.pid)
    time.sleep(seconds)
    used = _cpu_seconds(child.pid) - before
    child.kill()
    child.wait()
    return used / seconds


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime


def call_next_latency(waiting: int = 300, calls: int = 50) -> dict[str, Any]:
    store = fresh("queue-300", waiting + calls)
    desk = QueueDesk(store, 1)
    timings = []
    for _ in range(calls):
        start = time.perf_counter()
        ticket = desk.call_next()
        timings.append(time.perf_counter() - start)
        assert ticket is not None
        desk.act(ticket.id, "done")  # one resident at a desk: free it for the next call
    left = sum(t.status == "waiting" for t in store.tickets(TODAY.isoformat()))
    return {"p50": percentile(timings, 50), "p95": percentile(timings, 95), "waiting": left}


def run() -> dict[str, Any]:
    return {
        "display": display_latency(),
        "polling": display_latency(how="polling"),
        "idle": idle_cpu(),
        "call": call_next_latency(),
    }


if __name__ == "__main__":
    figures = run()
    for key in ("display", "polling"):
        d = figures[key]
        print(
            f"change to display ({key}): p50 {ms(d['p50'])}, p95 {ms(d['p95'])}, max {ms(d['max'])}"
        )
    print(f"idle display CPU: {figures['idle'] * 100:.2f}% of one core")
    c = figures["call"]
    print(f"call next with {c['waiting']}+ waiting: p50 {ms(c['p50'])}, p95 {ms(c['p95'])}")

"""Start to first frame: fielddesk on 5 years of history vs a minimal Textual app.

Each run is a fresh process (imports included), measured from launch until the
app's first screen has been composed and refreshed; runs alternate so both see
the same machine load.
"""

from __future__ import annotations

import subprocess
import sys
import time

from bench.common import ROOT, UNTIL, fresh_copy, history, median, ms

RUNS = 9

MINIMAL = """
from textual.app import App
from textual.widgets import Footer, Header, Static

class Minimal(App):
    def compose(self):
        yield Header()
        yield Static("hello")
        yield Footer()

async def first_frame(pilot):
    await pilot.pause()
    print("frame", flush=True)
    pilot.app.exit()

Minimal().run(headless=True, size=(80, 24), auto_pilot=first_frame)
"""

# On the history's last day (its session is open), as on the day it was generated:
# with the real clock a later day has no session and the session dialog comes up.
FIELDDESK = """
import sys
from datetime import date
from tui.launch import make_app
from tui.domain.calendar import fixed_clock

async def first_frame(pilot):
    await pilot.pause()
    assert pilot.app.screen.id == "home"
    print("frame", flush=True)
    pilot.app.exit()

make_app(
    sys.argv[1], lang="zh", staff="bench", clock=fixed_clock(date.fromisoformat(sys.argv[2]))
).run(headless=True, size=(80, 24), auto_pilot=first_frame)
"""


def launch(code: str, *args: str) -> float:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    elapsed = time.perf_counter() - start
    if "frame" not in result.stdout:
        raise RuntimeError(result.stderr)
    return elapsed


def run() -> dict[str, float]:
    data = fresh_copy(history(), "frame-5y")
    launch(MINIMAL)  # warm the file cache for both
    launch(FIELDDESK, str(data), UNTIL)
    minimal, ours = [], []
    for _ in range(RUNS):
        minimal.append(launch(MINIMAL))
        ours.append(launch(FIELDDESK, str(data), UNTIL))
    return {
        "minimal": median(minimal),
        "fielddesk": median(ours),
        "ratio": median(ours) / median(minimal),
    }


if __name__ == "__main__":
    figures = run()
    print(f"first frame, minimal Textual app: {ms(figures['minimal'])} (median of {RUNS})")
    print(f"first frame, fielddesk on 5 years: {ms(figures['fielddesk'])}")
    print(f"ratio: {figures['ratio']:.2f}")

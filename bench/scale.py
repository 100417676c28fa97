"""A community (10,500 residents) and a sub-district (105,000), 5 years each,
side by side: first frame, F4's filters, the month report, the app's memory
and the stall another desk's save causes. The data is `fielddesk gen`'s,
made once and kept in bench/out (its time is reported when it is made here)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from typing import Any

from bench import cases, first_frame, report, stall
from bench.common import (
    GEN_VERSION,
    OUT,
    ROOT,
    UNTIL,
    fresh_copy,
    history,
    median,
    ms,
    percentile,
)

SIZES = (10500, 105000)
FRAME_RUNS = 5
REPORT_ROUNDS = 5

# The app as staff leave it running: started, intake opened, look-up index
# built, every worker done; then its peak memory: VmHWM, KiB. Not ru_maxrss,
# which Linux keeps across exec: it would report this benchmark's own peak
# (567 MiB after the stall runs) whenever that is the larger.
MEMORY = """
import asyncio, resource, sys
from datetime import date
from tui.launch import make_app
from tui.domain.calendar import fixed_clock

async def main():
    app = make_app(sys.argv[1], lang="zh", staff="bench", ask_session=False,
                   clock=fixed_clock(date.fromisoformat(sys.argv[2])))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(1.0)
        await pilot.press("f2")
        await app.workers.wait_for_complete()
        await pilot.pause(0.5)
        await pilot.press("f4")
        await app.workers.wait_for_complete()
        await pilot.pause(0.5)
    try:
        with open("/proc/self/status") as status:
            peak = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
    except OSError:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print("rss", peak, flush=True)

asyncio.run(main())
"""


def generated(residents: int) -> tuple[Any, float | None]:
    """The data, and how long gen took if it was made now."""
    made = (OUT / f"history-{residents}-5y-v{GEN_VERSION}" / "meta.json").exists()
    start = time.perf_counter()
    target = history(residents, 5)
    return target, None if made else time.perf_counter() - start


def memory_mib(data: Any) -> float:
    done = subprocess.run(
        [sys.executable, "-c", MEMORY, str(data), UNTIL],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("rss")), None)
    if line is None:
        raise RuntimeError(done.stderr)
    return int(line.split()[1]) / 1024


def one_size(residents: int) -> dict[str, Any]:
    source, gen_seconds = generated(residents)
    data = fresh_copy(source, f"scale-{residents}")
    first_frame.launch(first_frame.MINIMAL)  # warm the file cache for both
    first_frame.launch(first_frame.FIELDDESK, str(data), UNTIL)
    minimal, ours = [], []
    for _ in range(FRAME_RUNS):
        minimal.append(first_frame.launch(first_frame.MINIMAL))
        ours.append(first_frame.launch(first_frame.FIELDDESK, str(data), UNTIL))
    f4 = asyncio.run(cases._measure(fresh_copy(source, f"scale-{residents}"), 2))
    month = [report._timed(source, "month", "2026-10", "xlsx") for _ in range(REPORT_ROUNDS)]
    stalls = stall.run(residents, 5, screens=stall.SCREENS)
    return {
        "gen_seconds": gen_seconds,
        "frame_ratio": median(ours) / median(minimal),
        "frame": median(ours),
        "f4_filter_p95": percentile(f4["filter"], 95),
        "month_p95": percentile(month, 95),
        "rss_mib": memory_mib(fresh_copy(source, f"scale-{residents}")),
        "stall_p95": max(s["save_p95"] for s in stalls.values()),
        "stalls": stalls,
    }


def run() -> dict[int, dict[str, Any]]:
    return {size: one_size(size) for size in SIZES}


def rows(results: dict[int, dict[str, Any]]) -> list[tuple[str, str, str]]:
    small, large = (results[size] for size in SIZES)

    def both(key: str, show: Any = ms) -> str:
        return f"{show(small[key])} / {show(large[key])}"

    def mib(value: float) -> str:
        return f"{value:.0f} MiB"

    found = [
        (
            "gen --years 5, 10,500 / 105,000 residents",
            " / ".join(
                "cached" if r["gen_seconds"] is None else f"{r['gen_seconds']:.0f} s"
                for r in (small, large)
            ),
            "",
        ),
        (
            "First frame ratio to a bare Textual app, 10,500 / 105,000",
            both("frame_ratio", ratio),
            "< 1.5x",
        ),
        ("F4 filter change p95, 10,500 / 105,000", both("f4_filter_p95"), "< 100 ms"),
        ("Month report p95, 10,500 / 105,000", both("month_p95"), "< 1 s"),
        ("App peak RSS (intake and F4 opened), 10,500 / 105,000", both("rss_mib", mib), "< 400 MB"),
    ]
    for screen in stall.SCREENS:
        found.append(
            (
                f"Another desk's save, UI thread stall on {screen}, 10,500 / 105,000",
                f"p95 {ms(small['stalls'][screen]['save_p95'])} / "
                f"{ms(large['stalls'][screen]['save_p95'])} (idle p95 "
                f"{ms(small['stalls'][screen]['idle_p95'])} / "
                f"{ms(large['stalls'][screen]['idle_p95'])})",
                "p95 <= 50 ms",
            )
        )
    return found


def ratio(value: float) -> str:
    return f"{value:.2f}x"


def headline(results: dict[int, dict[str, Any]]) -> list[tuple[str, str, str, bool]]:
    large = results[SIZES[-1]]
    stall_worst = max(r["stall_p95"] for r in results.values())
    return [
        (
            "First frame ratio at 105,000",
            ratio(large["frame_ratio"]),
            "< 1.5x",
            large["frame_ratio"] < 1.5,
        ),
        (
            "F4 filter p95 at 105,000",
            ms(large["f4_filter_p95"]),
            "< 100 ms",
            large["f4_filter_p95"] < 0.1,
        ),
        ("Month report p95 at 105,000", ms(large["month_p95"]), "< 1 s", large["month_p95"] < 1),
        (
            "App RSS at 105,000",
            f"{large['rss_mib']:.0f} MiB",
            "< 400 MB",
            large["rss_mib"] * 2**20 < 400e6,
        ),
        (
            "Another desk's save, worst stall p95 (5 screens, both sizes)",
            ms(stall_worst),
            "<= 50 ms",
            stall_worst <= 0.05,
        ),
    ]


if __name__ == "__main__":
    sys.path[0] = str(ROOT)
    for size, f in run().items():
        print(size, {k: v for k, v in f.items() if k != "stalls"}, flush=True)
        for screen, s in f["stalls"].items():
            print(f"  stall on {screen}: p95 {s['save_p95'] * 1000:.1f} ms", flush=True)

"""Hand-over reports on 5 years of generated history: a day and a month, built
from a freshly opened data folder (as `fielddesk report` and closing a session
do) and written in each format."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from bench.common import history, median, percentile
from tui.domain.calendar import fixed_clock
from tui.i18n import set_language
from tui.report.collect import build_day, build_month
from tui.report.render import RENDERERS
from tui.report.tables import Report
from tui.store.repository import Store

UNTIL = date(2026, 11, 27)
ROUNDS = 15


def _timed(data: Path, build: str, period: str, fmt: str) -> float:
    start = time.perf_counter()
    store = Store(data, device="bench", by="bench", clock=fixed_clock(UNTIL))
    report: Report = build_day(store, period) if build == "day" else build_month(store, period)
    RENDERERS[fmt](report)
    return time.perf_counter() - start


def run() -> tuple[dict[str, str], dict[str, dict[str, float]]]:
    """The periods measured, and p50/p95 seconds per "day md", "month xlsx" …"""
    set_language("zh")
    data = history()
    store = Store(data, device="bench", by="bench", clock=fixed_clock(UNTIL))
    periods = {
        "day": [d for d in store.days() if d < UNTIL.isoformat()][-1],  # a finished day
        "month": "2026-10",  # the last whole month
    }
    figures: dict[str, dict[str, float]] = {}
    for build, period in periods.items():
        for fmt in RENDERERS:
            times = [_timed(data, build, period, fmt) for _ in range(ROUNDS)]
            figures[f"{build} {fmt}"] = {"p50": median(times), "p95": percentile(times, 95)}
    return periods, figures


if __name__ == "__main__":
    periods, figures = run()
    print(f"day {periods['day']}, month {periods['month']}")
    for name, values in figures.items():
        print(f"{name}: p50 {values['p50'] * 1000:.1f} ms, p95 {values['p95'] * 1000:.1f} ms")

"""The month's plan on 5 years of generated history: ranked and proposed from
a freshly opened data folder, as `fielddesk plan` does (goal: under 300 ms)."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from bench.common import history, median, percentile
from tui.domain.calendar import fixed_clock
from tui.i18n import set_language
from tui.report.plan import month_plan, notice
from tui.report.render import to_markdown
from tui.store.repository import Store

UNTIL = date(2026, 11, 27)
MONTH = "2026-12"  # the month after the history's last day
ROUNDS = 15


def _timed(data: Path) -> float:
    start = time.perf_counter()
    store = Store(data, device="bench", by="bench", clock=fixed_clock(UNTIL), read_only=True)
    to_markdown(notice(store, month_plan(store, MONTH)))
    return time.perf_counter() - start


def run() -> dict[str, float]:
    """p50/p95 seconds of proposing next month's plan and rendering its notice."""
    set_language("zh")
    data = history()
    times = [_timed(data) for _ in range(ROUNDS)]
    return {"p50": median(times), "p95": percentile(times, 95)}


if __name__ == "__main__":
    figures = run()
    print(
        f"plan {MONTH} on 5 years: p50 {figures['p50'] * 1000:.1f} ms, "
        f"p95 {figures['p95'] * 1000:.1f} ms (goal < 300 ms)"
    )

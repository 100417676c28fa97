"""Save of one visit: p50/p95 on an empty store and on 5 years of history."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from bench.common import OUT, fresh_copy, history, ms, percentile
from tui.domain.calendar import fixed_clock
from tui.domain.records import Visit
from tui.store.repository import Store

SAVES = 120  # a busy session day at one desk


def measure(folder: Path) -> list[float]:
    store = Store(folder, device="bench", by="bench", clock=fixed_clock(time_day()))
    day = store.today()
    timings = []
    for n in range(SAVES):
        visit = Visit(
            day=day,
            name=f"居民{n}",
            phone="13800138000",
            category="repair",
            description="3号楼2单元下水道堵塞，卫生间往上冒水" * 3,
            flags=["aged80"],
        )
        start = time.perf_counter()
        store.save(visit)
        timings.append(time.perf_counter() - start)
    return timings


def time_day():  # type: ignore[no-untyped-def]
    from datetime import date

    return date(2026, 11, 28)  # the day after the history ends: a new day file


def run() -> dict[str, float]:
    empty = OUT / "empty"
    shutil.rmtree(empty, ignore_errors=True)
    full = fresh_copy(history(), "save-5y")
    results = {}
    for name, folder in (("empty", empty), ("5y", full)):
        timings = measure(folder)
        results[f"{name}_p50"] = percentile(timings, 50)
        results[f"{name}_p95"] = percentile(timings, 95)
    results["ratio_p95"] = results["5y_p95"] / results["empty_p95"]
    return results


if __name__ == "__main__":
    figures = run()
    print(f"save visit, empty: p50 {ms(figures['empty_p50'])}, p95 {ms(figures['empty_p95'])}")
    print(f"save visit, 5 years: p50 {ms(figures['5y_p50'])}, p95 {ms(figures['5y_p95'])}")
    print(f"ratio 5y/empty p95: {figures['ratio_p95']:.2f}")

"""Whole actions as one commit: an intake (new resident, visit, ticket:
the resident's compound file and the day file), its triage (visit and case) and the case
closing (open.json to the archive), on the sample community and on 5 years
of history. p50/p95 per action; the journal's cost is the gap to a
one-file save (bench/save_visit.py)."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from bench.common import OUT, ROOT, fresh_copy, history, ms, open_today, percentile
from tui.domain.calendar import fixed_clock
from tui.domain.cases import Owner, advance, log_for_later
from tui.domain.intake import IntakeForm, build_intake
from tui.services.intake import save_intake
from tui.services.triage import save_triage
from tui.store.repository import Store

ACTIONS = 60


def measure(folder: Path) -> dict[str, list[float]]:
    store = Store(folder, device="bench", by="bench", clock=fixed_clock(date(2026, 11, 28)))
    categories = {c.code: c for c in store.categories()}
    compound = store.compounds()[0]
    staff = store.staff()[0].id
    owner = Owner("staff", staff, staff)
    timings: dict[str, list[float]] = {"intake": [], "triage": [], "close": []}
    session = open_today(store)
    for n in range(ACTIONS):
        form = IntakeForm(
            name=f"新居民{n}", category="repair", compound=compound.id, address=f"{n % 9 + 1}-1-1"
        )
        built = build_intake(
            form,
            day=store.today(),
            session=session,
            now=store.now(),
            by="bench",
            categories=categories,
            compounds={compound.id: compound},
            existing=None,
        )
        start = time.perf_counter()
        saved = save_intake(store, built)
        timings["intake"].append(time.perf_counter() - start)
        visit, logged = log_for_later(
            saved.visit, owner, store.today(), "phone", "", suggested="", now=store.now(), by="b"
        )
        start = time.perf_counter()
        _, case = save_triage(store, visit, logged)
        timings["triage"].append(time.perf_counter() - start)
        assert case is not None
        now = store.now()
        for action in ("assign", "resolve"):
            case = advance(case, action, now=now, by="b", owner=owner, note="fixed")
        case = advance(
            case, "reply", now=now, by="b", reply={"channel": "phone", "satisfied": True}
        )
        closed = advance(case, "close", now=now, by="b")
        start = time.perf_counter()
        store.save(closed)
        timings["close"].append(time.perf_counter() - start)
    return timings


def run() -> dict[str, float]:
    results = {}
    folders = (
        ("sample", fresh_copy(ROOT / "sample_data", "commit-sample")),
        ("5y", fresh_copy(history(), "commit-5y")),
    )
    for name, folder in folders:
        for action, values in measure(folder).items():
            results[f"{name} {action} p50"] = percentile(values, 50)
            results[f"{name} {action} p95"] = percentile(values, 95)
    return results


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    figures = run()
    for key, value in figures.items():
        print(f"{key}: {ms(value)}")

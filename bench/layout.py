"""A resident's save writes one compound's file, not the community's
(docs/SCHEMA.md, residents/<compound>.json): an intake of a new resident, of
a returning one whose details changed (a new phone) and of a returning one as
registered (no resident written), on 5 years of history at 10,500 and at
105,000 residents (`fielddesk gen --residents N --years 5`), side by side.

Each intake is `save_intake` (resident, visit and ticket in one journalled
commit) into the next day's file, from the call to its return. The first
save in a process builds the id -> file index (every compound's file read
once); it is reported apart and left out of the percentiles.

    python -m bench.layout
"""

from __future__ import annotations

import gc
import random
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench.common import fresh_copy, history, ms, open_today, percentile
from tui.domain.calendar import fixed_clock
from tui.domain.intake import IntakeForm, build_intake
from tui.services.intake import save_intake
from tui.store.layout import RESIDENTS_DIR
from tui.store.repository import Store

SIZES = (10500, 105000)
ROUNDS = 100  # of each kind of intake
KINDS = ("new", "changed", "returning")


class Desk:
    """One folder's store, opened in this process as a desk opens it, and the
    intakes it saves."""

    def __init__(self, folder: Path) -> None:
        clock = fixed_clock(date(2026, 11, 28))
        store = Store(folder, device="bench", by="bench", clock=clock)
        self.categories = {c.code: c for c in store.categories()}
        self.compounds = {c.id: c for c in store.compounds()}
        self.session = open_today(store)
        rng = random.Random(3)
        self.people = rng.sample([r for r in store.residents() if r.phone], 2 * ROUNDS + 1)
        self.folder = folder
        self.store = Store(folder, device="bench", by="bench", clock=clock)  # nothing read yet
        self.timings: dict[str, list[float]] = {kind: [] for kind in KINDS}

    def intake(self, form: IntakeForm, existing: Any) -> float:
        built = build_intake(
            form,
            day=self.store.today(),
            session=self.session,
            now=self.store.now(),
            by="bench",
            categories=self.categories,
            compounds=self.compounds,
            existing=existing,
        )
        start = time.perf_counter()
        saved = save_intake(self.store, built)
        elapsed = time.perf_counter() - start
        assert saved.ticket is not None
        return elapsed

    def first(self) -> float:
        """The first new resident: builds the index (each compound's file read once)."""
        compound = self.people[-1].compound
        return self.intake(IntakeForm(name="第一位", category="repair", compound=compound), None)

    def round(self, n: int) -> None:
        ids = list(self.compounds)
        form = IntakeForm(
            name=f"新居民{n}",
            category="repair",
            compound=ids[n % len(ids)],
            address=f"{n % 9 + 1}-1-101",
            phone=f"139{n:08d}",
        )
        self.timings["new"].append(self.intake(form, None))
        person = self.people[n]
        self.timings["changed"].append(self.intake(returning(person, f"137{n:08d}"), person))
        person = self.people[ROUNDS + n]
        self.timings["returning"].append(self.intake(returning(person, person.phone), person))


def returning(person: Any, phone: str) -> IntakeForm:
    """The form as the desk fills it for a resident picked from the look-up."""
    address = "-".join(p for p in (person.building, person.unit, person.room) if p)
    return IntakeForm(
        name=person.name,
        compound=person.compound,
        address=address,
        phone=phone,
        category="repair",
        flags=list(person.flags),
        resident=person.id,
    )


def run() -> dict[int, dict[str, Any]]:
    made = {}
    desks = {}
    for residents in SIZES:
        began = time.perf_counter()
        source = history(residents, 5)
        made[residents] = time.perf_counter() - began  # ~0 when the data set was cached
        desks[residents] = Desk(fresh_copy(source, f"layout-{residents}"))
    results: dict[int, dict[str, Any]] = {size: {} for size in SIZES}
    import tui.domain.queue  # noqa: F401  (imported by the first save: not its cost here)
    import tui.domain.validate  # noqa: F401

    for size, desk in desks.items():
        gc.collect()  # the other desk's garbage is not this save's cost
        results[size]["first"] = desk.first()
    # Round by round, one size then the other: the machine's load falls on both alike.
    for n in range(ROUNDS):
        for desk in desks.values():
            desk.round(n)
    for size, desk in desks.items():
        sizes = [p.stat().st_size for p in (desk.folder / RESIDENTS_DIR).glob("*.json")]
        results[size].update(
            {
                "gen": made[size],
                "compounds": len(sizes),
                "largest_file": max(sizes),
                **{f"{kind} p50": percentile(desk.timings[kind], 50) for kind in KINDS},
                **{f"{kind} p95": percentile(desk.timings[kind], 95) for kind in KINDS},
            }
        )
    return results


def rows(results: dict[int, dict[str, Any]]) -> list[tuple[str, str, str]]:
    small, large = (results[size] for size in SIZES)
    goals = {"new": ("p95 < 30 ms at 105,000", 1.5), "changed": ("", 1.5), "returning": ("", 1.3)}
    found = []
    for kind, label in (
        ("new", "Intake of a new resident"),
        ("changed", "Intake of a returning resident, phone changed"),
        ("returning", "Intake of a returning resident, as registered"),
    ):
        ratio = large[f"{kind} p95"] / small[f"{kind} p95"]
        found.append(
            (
                f"{label}, 10,500 / 105,000 residents",
                f"p50 {ms(small[f'{kind} p50'])} / {ms(large[f'{kind} p50'])}, "
                f"p95 {ms(small[f'{kind} p95'])} / {ms(large[f'{kind} p95'])}",
                goals[kind][0],
            )
        )
        found.append(
            (f"{label}, p95 ratio 105,000 / 10,500", f"{ratio:.2f}", f"< {goals[kind][1]}")
        )
    found.append(
        (
            "First save in a process (builds the id -> file index), 10,500 / 105,000",
            f"{ms(small['first'])} / {ms(large['first'])}",
            "",
        )
    )
    found.append(
        (
            "Compounds; largest compound file, 10,500 / 105,000",
            f"{small['compounds']}, {small['largest_file'] / 1e6:.2f} MB / "
            f"{large['compounds']}, {large['largest_file'] / 1e6:.2f} MB",
            "",
        )
    )
    return found


def headline(results: dict[int, dict[str, Any]]) -> list[tuple[str, str, str, bool]]:
    small, large = (results[size] for size in SIZES)
    new_p95 = large["new p95"]
    new_ratio = new_p95 / small["new p95"]
    returning_ratio = large["returning p95"] / small["returning p95"]
    return [
        ("New-resident intake p95, 105,000 residents", ms(new_p95), "< 30 ms", new_p95 < 0.03),
        (
            "New-resident intake p95 ratio, 105,000 / 10,500",
            f"{new_ratio:.2f}",
            "< 1.5",
            new_ratio < 1.5,
        ),
        (
            "Returning-resident intake p95 ratio, 105,000 / 10,500",
            f"{returning_ratio:.2f}",
            "< 1.3",
            returning_ratio < 1.3,
        ),
    ]


if __name__ == "__main__":
    figures = run()
    for size, figure in figures.items():
        print(size, {k: round(v, 4) if isinstance(v, float) else v for k, v in figure.items()})
    print("\n| measure | figure | goal |\n| --- | --- | --- |")
    for name, figure, goal in rows(figures):
        print(f"| {name} | {figure} | {goal} |")

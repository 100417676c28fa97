"""Quick intake: look-up per keystroke, keystrokes for a returning resident,
and key press to saved-and-cleared form on 5 years of history."""

from __future__ import annotations

import asyncio
import random
import time
from datetime import date
from typing import Any

from pypinyin import Style, lazy_pinyin

from bench.common import fresh_copy, history, ms, percentile
from tui.domain.calendar import fixed_clock
from tui.domain.lookup import PersonIndex, candidates
from tui.domain.synth.community import build_community

DAY = date(2026, 11, 28)  # the day after the generated history


def typed_prefixes(name: str, phone: str) -> list[str]:
    """Every query a person produces while typing, four ways."""
    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER))
    full = "".join(lazy_pinyin(name))
    queries = [name[:n] for n in range(1, len(name) + 1)]
    queries += [initials[:n] for n in range(1, len(initials) + 1)]
    queries += [full[:n] for n in range(1, len(full) + 1)]
    if phone:
        queries += [phone[-4:][:n] for n in range(1, 5)]
    return queries


def lookup(residents: int, people: int = 300) -> dict[str, float]:
    community = build_community(random.Random(1), residents)
    start = time.perf_counter()
    index = PersonIndex(candidates(community.residents, []))
    built = time.perf_counter() - start
    rng = random.Random(2)
    timings = []
    for person in rng.sample(community.residents, people):
        for query in typed_prefixes(person.name, person.phone):
            start = time.perf_counter()
            found = index.search(query, compound=person.compound)
            timings.append(time.perf_counter() - start)
            assert found or query
    return {
        "build": built,
        "p50": percentile(timings, 50),
        "p95": percentile(timings, 95),
        "max": max(timings),
        "queries": len(timings),
    }


async def _intake_run(data: Any, runs: int) -> dict[str, Any]:
    from textual.widgets import Input

    from tui.launch import make_app
    from tui.screens.intake import IntakeScreen
    from tui.store.repository import Store

    store = Store(data)
    people = [r for r in store.residents() if r.phone][:runs]
    # DAY has no session yet: without ask_session=False the dialog asking for one is
    # on top and F2 never opens the intake (the benchmark waited for ever).
    app = make_app(data, lang="zh", staff="bench", clock=fixed_clock(DAY), ask_session=False)
    returning: list[float] = []
    new: list[float] = []
    key_counts: list[int] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        screen = app.screen
        while not isinstance(screen, IntakeScreen) or screen._index is None:
            await pilot.pause(0.05)
            screen = app.screen
        name = screen.query_one("#name", Input)
        frames: list[float] = []
        save = screen.action_save

        def timed_save() -> None:
            """From the key's action to the next frame drawn (the cleared form)."""
            start = time.perf_counter()
            save()
            screen.call_after_refresh(lambda: frames.append(time.perf_counter() - start))

        screen.action_save = timed_save  # type: ignore[method-assign]
        for n, person in enumerate(people):
            initials = "".join(lazy_pinyin(person.name, style=Style.FIRST_LETTER))
            # Type the initials, then the phone's last digits until it is the first match.
            presses = [*initials]
            await pilot.press(*initials)
            box = screen.query_one("#name-suggestions")
            if box.get_option_at_index(0).id != person.id:  # type: ignore[attr-defined]
                name.value = ""
                presses = [*person.phone[-4:]]
                await pilot.press(*presses)
            presses += ["enter", "8", "enter"]
            await pilot.press("enter", "8", "enter")
            await pilot.press(*"楼道灯坏了请修理一下")  # the 10-character description
            key_counts.append(1 + len(presses) + 1)  # F2 ... Ctrl+S
            await pilot.press("ctrl+s")
            while name.value or len(frames) <= len(returning) + len(new):
                await pilot.pause(0.01)
            returning.append(frames[-1])
            # And a new resident: the registry file grows by one.
            await pilot.press(*f"新居民{n}", "tab", "tab", "tab", "tab", "8", "enter")
            await pilot.press("ctrl+s")
            while name.value or len(frames) <= len(returning) + len(new):
                await pilot.pause(0.01)
            new.append(frames[-1])
    saved = len(Store(data).visits(DAY.isoformat()))
    return {"returning": returning, "new": new, "keys": key_counts, "saved": saved}


def save_latency(runs: int = 40) -> dict[str, Any]:
    data = fresh_copy(history(), "intake-5y")
    result = asyncio.run(_intake_run(data, runs))
    assert result["saved"] == 2 * runs
    return {
        "keys_mean": sum(result["keys"]) / len(result["keys"]),
        "keys_max": max(result["keys"]),
        "returning_p50": percentile(result["returning"], 50),
        "returning_p95": percentile(result["returning"], 95),
        "new_p50": percentile(result["new"], 50),
        "new_p95": percentile(result["new"], 95),
    }


def run() -> dict[str, Any]:
    return {"lookup_10k": lookup(10500), "lookup_105k": lookup(105000), "save": save_latency()}


if __name__ == "__main__":
    figures = run()
    for size in ("10k", "105k"):
        f = figures[f"lookup_{size}"]
        print(
            f"look-up {size}: p50 {ms(f['p50'])}, p95 {ms(f['p95'])}, max {ms(f['max'])}, "
            f"index build {ms(f['build'])}, {f['queries']} keystrokes"
        )
    s = figures["save"]
    print(f"keystrokes besides the description: mean {s['keys_mean']:.1f}, max {s['keys_max']}")
    print(
        f"ctrl+s to cleared form, returning: p50 {ms(s['returning_p50'])}, "
        f"p95 {ms(s['returning_p95'])}; new resident: p50 {ms(s['new_p50'])}, "
        f"p95 {ms(s['new_p95'])}"
    )

"""The month's plan screen (palette: Month plan): accept, move and swap land
in plan.json, p writes the notice, the footer fits 80 columns in zh and en,
hostile compound names show as typed; the session dialog suggests today's
accepted outing."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input

from tests.conftest import TODAY
from tests.ui.conftest import AppFactory, palette_offers, screen_text, until, wait_for_screen
from tests.ui.test_footers import assert_footer_fits
from tui.domain.records import Outing
from tui.i18n import set_language, t
from tui.screens.help import HelpScreen
from tui.screens.home import HomeScreen
from tui.screens.plan import PlanScreen
from tui.screens.prompt import PromptScreen
from tui.screens.session_open import SessionOpenScreen
from tui.store.repository import Store

MONTH = TODAY.isoformat()[:7]  # 2026-11: the sample's today is Friday the 27th


def stored(folder: Path) -> list[dict[str, object]]:
    path = folder / "plan.json"
    if not path.exists():
        return []
    docs = json.loads(path.read_text("utf-8")).get("outing", {}).values()
    return sorted(docs, key=lambda d: (str(d["day"]), str(d["compound"])))


async def open_plan(pilot: Pilot[None]) -> PlanScreen:
    """Through the command palette, as staff find it before F7 offers it."""
    await wait_for_screen(pilot, HomeScreen)
    await pilot.press("ctrl+p")
    await wait_for_screen(pilot, CommandPalette)
    wanted = t("plan.palette")
    await pilot.press(*wanted)
    await until(
        pilot,
        lambda: palette_offers(pilot.app) == wanted,
        what=lambda: f"the palette offering {wanted} (offers {palette_offers(pilot.app)!r})",
    )
    await pilot.press("enter")
    await wait_for_screen(pilot, PlanScreen)
    screen = pilot.app.screen
    assert isinstance(screen, PlanScreen)
    return screen


async def answer(pilot: Pilot[None], text: str) -> None:
    await wait_for_screen(pilot, PromptScreen)
    field = pilot.app.screen.query_one(Input)
    field.value = ""
    await pilot.press(*text, "enter")
    await wait_for_screen(pilot, PlanScreen)


async def test_accept_move_swap_land_on_disk(app_on: AppFactory, sample_dir: Path) -> None:
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_plan(pilot)
        plan = screen.plan
        assert plan is not None and plan.month == MONTH
        # One session held this month (11-20): two more wanted, on the days left.
        assert plan.held == 1
        assert [o.day for o in plan.outings] == ["2026-11-27", "2026-11-30"]
        assert "2026-11: outings planned 2, held already 1, wanted at least 3" in screen_text(app)
        first, second = plan.outings
        # m: the first outing moves to Monday the 30th.
        await pilot.press("m")
        await answer(pilot, "11-30")
        (moved,) = stored(sample_dir)
        assert (moved["day"], moved["compound"], moved["status"]) == (
            "2026-11-30",
            first.compound,
            "planned",
        )
        # A weekend day is refused in one line, nothing stored.
        await pilot.press("m")
        await answer(pilot, "2026-11-28")
        assert "2026-11-28 is a weekend day" in screen_text(app)
        assert len(stored(sample_dir)) == 1
        # w: the highlighted outing trades compounds with outing number 2.
        table = screen.query_one("#plan-list")
        table.highlighted = 0  # type: ignore[attr-defined]
        highlighted = screen.highlighted()
        assert highlighted is not None
        other = next(o for o in screen.plan.outings if o is not highlighted)  # type: ignore[union-attr]
        await pilot.press("w")
        await answer(pilot, "2")
        after = {str(d["day"]) + str(d["compound"]) for d in stored(sample_dir)}
        assert after == {
            highlighted.day + other.compound,
            other.day + highlighted.compound,
        }
        # a: the whole plan is accepted; again: nothing more stored.
        await pilot.press("a")
        await pilot.pause()
        docs = stored(sample_dir)
        assert len(docs) == 2 and {d["status"] for d in docs} == {"accepted"}
        assert "Outings accepted: 2." in screen_text(app)
        await pilot.press("a")
        await pilot.pause()
        assert stored(sample_dir) == docs
        assert "already accepted" in screen_text(app)
        # p: the notice for the boards, in the reports folder.
        await pilot.press("p")
        await pilot.pause()
        folder = sample_dir / "reports" / f"plan-{MONTH}"
        assert sorted(p.name for p in folder.iterdir()) == [
            f"plan-{MONTH}.md",
            f"plan-{MONTH}.xlsx",
        ]
        # Esc: back where it was opened from.
        await pilot.press("escape")
        await wait_for_screen(pilot, HomeScreen)


async def test_enter_accepts_only_the_highlighted_outing(
    app_on: AppFactory, sample_dir: Path
) -> None:
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_plan(pilot)
        assert screen.plan is not None
        first = screen.plan.outings[0]
        await pilot.press("enter")
        await pilot.pause()
        (doc,) = stored(sample_dir)
        assert (doc["compound"], doc["status"]) == (first.compound, "accepted")


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_footer_fits_80_columns(app_on: AppFactory, sample_dir: Path, lang: str) -> None:
    set_language(lang)
    app = app_on(sample_dir, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan(pilot)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert assert_footer_fits(app, f"{lang} plan") == ["a", "m", "w", "p", "escape", "f1"]
        await pilot.press("f1")
        await wait_for_screen(pilot, HelpScreen)
        assert t("plan.key.accept_one") in screen_text(app)


async def test_hostile_compound_names_show_as_typed(
    app_on: AppFactory, sample_dir: Path, clock
) -> None:  # type: ignore[no-untyped-def]
    store = Store(sample_dir, by="测试员", clock=clock)
    names = ["[red]院[/red]", "[link=x]园", "$(rm -rf)"]
    ranked = store.compounds()
    store.save_many([dataclasses.replace(c, name=n) for c, n in zip(ranked, names, strict=False)])
    # Each hostile compound planned: three outings accepted at them this month.
    hostile = [c for c in store.compounds() if c.name in names]
    store.save_many(
        [
            Outing(month=MONTH, day=day, compound=c.id, status="accepted")
            for c, day in zip(hostile, ["2026-11-27", "2026-11-30", "2026-11-30"], strict=True)
        ]
    )
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan(pilot)
        text = screen_text(app)
        for name in names:
            assert name in text


async def test_the_session_dialog_suggests_todays_accepted_outing(
    app_on: AppFactory, sample_dir: Path, clock
) -> None:  # type: ignore[no-untyped-def]
    store = Store(sample_dir, by="测试员", clock=clock)
    last = store.last_session()
    assert last is not None
    elsewhere = next(c for c in store.compounds() if c.id != last.compound)
    staff = [s.id for s in store.staff()][-2:]
    store.save(
        Outing(
            month=MONTH,
            day=TODAY.isoformat(),
            compound=elsewhere.id,
            staff=staff,
            status="accepted",
        )
    )
    app = app_on(sample_dir, ask_session=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, SessionOpenScreen)
        dialog = app.screen
        assert dialog.query_one("#session-compound", Input).value == elsewhere.name
        assert f"Planned for today: {elsewhere.name}" in screen_text(app)
        ticked = set(dialog.query_one("#session-staff").selected)  # type: ignore[attr-defined]
        assert set(staff) <= ticked
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, HomeScreen)
    session = Store(sample_dir, clock=clock).open_session()
    assert session is not None and session.compound == elsewhere.id


async def test_a_planned_outing_not_accepted_is_not_suggested(
    app_on: AppFactory, sample_dir: Path, clock
) -> None:  # type: ignore[no-untyped-def]
    store = Store(sample_dir, by="测试员", clock=clock)
    last = store.last_session()
    assert last is not None
    elsewhere = next(c for c in store.compounds() if c.id != last.compound)
    store.save(Outing(month=MONTH, day=TODAY.isoformat(), compound=elsewhere.id))
    app = app_on(sample_dir, ask_session=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, SessionOpenScreen)
        assert app.screen.query_one("#session-compound", Input).value == store.compound_name(
            last.compound
        )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_plan_snapshot(snap_compare, app_on: AppFactory, sample_dir: Path, lang: str) -> None:  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await open_plan(pilot)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(
        app_on(sample_dir, lang=lang), terminal_size=(80, 24), run_before=run_before
    )

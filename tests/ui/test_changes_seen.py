"""Another desk's saves reach this desk as typed change events: a screen in
view shows them, a hidden one catches up only when it is shown again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.ui.conftest import AppFactory, run_elsewhere, shown
from tui.repository import Change, Kind
from tui.screens.certification import CertificationScreen
from tui.screens.intake import IntakeScreen


async def changes_seen(app: Any, pilot: Any, count: int, seconds: float = 10) -> list[Change]:
    """Let the app run until it has been told of `count` changes from elsewhere."""
    for _ in range(int(seconds / 0.05)):
        if len(app.told) >= count:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            return list(app.told)
        await pilot.pause(0.05)
    raise AssertionError(f"told of {len(app.told)} changes, waited for {count}")


def recording(app: Any) -> Any:
    """The app, noting each change it hands to its screens."""
    app.told = []
    reload_screens = app.reload_screens

    def told(change: Change | None = None) -> None:
        if change is not None:
            app.told.append(change)
        reload_screens(change)

    app.reload_screens = told
    return app


async def test_a_hidden_screen_catches_up_when_shown(app_on: AppFactory, sample_dir: Path) -> None:
    app = recording(app_on(sample_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f6")
        await app.workers.wait_for_complete()
        await pilot.pause()
        f6 = app.screen
        assert isinstance(f6, CertificationScreen)
        rounds = []
        show_rounds = f6._show_rounds
        f6._show_rounds = lambda found: (rounds.append(found), show_rounds(found))  # type: ignore[method-assign]
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CertificationScreen)
        certified_before = sum(r.certified for r in f6.rounds)
        run_elsewhere(
            sample_dir,
            "from tui.domain.certification import certify\n"
            "from tui.report.certification import round_of\n"
            "rounds = round_of(store, '2026Q4')\n"
            "entry = next(e for r in rounds for e in r.entries if not e.certified)\n"
            "store.save(certify(entry.resident, [], day='2026-11-27', method='desk'))\n",
        )
        (change,) = await changes_seen(app, pilot, 1)
        assert change.kinds == {Kind.CERTIFICATION} and not change.mine
        assert rounds == []  # hidden: nothing read
        await pilot.press("f6")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(rounds) == 1  # shown: caught up once
        assert sum(r.certified for r in f6.rounds) == certified_before + 1


async def test_the_intake_finds_someone_another_desk_registered(
    app_on: AppFactory, sample_dir: Path
) -> None:
    app = recording(app_on(sample_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, IntakeScreen)
        run_elsewhere(
            sample_dir,
            "from tui.domain.records import Resident\n"
            "compound = store.compounds()[0].id\n"
            "store.save(Resident(name='欧阳春燕', compound=compound, phone='+8613912345678'))\n",
        )
        (change,) = await changes_seen(app, pilot, 1)
        assert Kind.RESIDENT in change.kinds
        await pilot.press(*"欧阳")
        await pilot.pause()
        box = screen.query_one("#name-suggestions")
        assert box.display
        labels = [str(box.get_option_at_index(i).prompt) for i in range(box.option_count)]  # type: ignore[attr-defined]
        assert any(label.startswith("欧阳春燕") for label in labels), labels
        assert shown(screen.query_one("#intake-status")) == ""

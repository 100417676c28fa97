"""How each screen looks, at the sizes staff use. `make snapshots` accepts changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.ui.conftest import AppFactory, wait_for_screen
from tui.screens.recovery import RecoveryScreen
from tui.store.backup import take_daily_backup
from tui.store.layout import RESIDENTS


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_home(snap_compare, app_on: AppFactory, sample_dir: Path, lang: str, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_on(sample_dir, lang=lang), terminal_size=size)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_help(snap_compare, app_on: AppFactory, sample_dir: Path, lang: str) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_on(sample_dir, lang=lang), press=["f1"], terminal_size=(80, 24))


def test_recovery(snap_compare, app_on: AppFactory, sample_dir: Path) -> None:  # type: ignore[no-untyped-def]
    take_daily_backup(sample_dir, "2026-11-26")
    (sample_dir / RESIDENTS).write_text("{broken")

    async def settle(pilot: Pilot[None]) -> None:
        await wait_for_screen(pilot, RecoveryScreen)
        # The moved-aside name carries the wall-clock time; hide it from the picture.
        message = pilot.app.screen.query_one("#recovery-message")
        message.update(message.visual.plain.split(".corrupt-")[0] + ".corrupt-…")  # type: ignore[attr-defined]

    assert snap_compare(app_on(sample_dir, lang="zh"), terminal_size=(80, 24), run_before=settle)

"""Sync in the app, against a real server: the header's last sync and count
of changes not sent, F9 syncing in a worker, F8 listing the conflict two
laptops left and settling it with a key, the choice saved and synced."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from tests.conftest import SAMPLE
from tests.ui.conftest import AppFactory, open_screen, screen_text, until
from tui.domain.merge import open_conflicts
from tui.i18n import set_language
from tui.screens.conflicts import ConflictsScreen
from tui.screens.sync import SyncScreen
from tui.store.exchange import collect
from tui.store.hub import Hub
from tui.store.repository import Store
from tui.store.settings import save_setting
from tui.store.sync import sync


def laptop(tmp_path: Path, name: str, clock: Callable[[], datetime], url: str) -> Store:
    folder = tmp_path / name
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns(".lock", "device.json"))
    save_setting(folder, "sync_url", url)
    return Store(folder, by=f"staff-{name}", clock=clock)  # its device.json, as the app reads


async def test_f9_syncs_and_f8_settles_the_conflict_two_laptops_left(
    tmp_path: Path, hub: Hub, pg_url: str, clock: Callable[[], datetime], app_on: AppFactory
) -> None:
    a = laptop(tmp_path, "a", clock, pg_url)
    b = laptop(tmp_path, "b", clock, pg_url)
    sync(a, hub)
    sync(b, hub)
    case = a.open_cases()[0]
    a.save(dataclasses.replace(case, due="2026-12-02"))
    theirs = next(c for c in b.open_cases() if c.id == case.id)
    b.save(dataclasses.replace(theirs, due="2026-12-09"))
    sync(b, hub)

    app = app_on(a.root)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: "1 unsent" in screen_text(app), what="the header's count")
        assert "sync 18:00, 1 unsent" in screen_text(app)  # the test clock's time
        await open_screen(pilot, "f9")
        assert isinstance(app.screen, SyncScreen)
        await until(pilot, lambda: app.screen.outcome != "", seconds=30, what="the sync's end")
        said = app.screen.outcome
        assert said.startswith("Synced: ") and "records with a new conflict: 1;" in said
        assert "F8 lists the conflicts." in screen_text(app)
        await pilot.press("escape")
        await until(pilot, lambda: "0 unsent" in screen_text(app), what="nothing left unsent")

        screen = await open_screen(pilot, "f8")
        assert isinstance(screen, ConflictsScreen)
        await until(pilot, lambda: len(screen.found) == 1, what="the conflict listed")
        text = screen_text(app)
        assert "Conflicts to settle: 1" in text and "Due date" in text
        assert "2026-12-02" in text and "2026-12-09" in text
        assert a.device in text and b.device in text
        shown = next(c for c in a.open_cases() if c.id == case.id).due
        other = screen.found[0][2]["value"]
        await pilot.press("2")  # take the other value
        await until(pilot, lambda: "Settled: " in screen_text(app), what=lambda: screen_text(app))
        await until(pilot, lambda: screen.found == [], what="the list emptied")
        # The choice is this laptop's change, waiting to be sent.
        await until(pilot, lambda: "1 unsent" in screen_text(app), what="the header's count")
    stored = next(d for d in collect(Store(a.root, read_only=True))["case"] if d["id"] == case.id)
    assert stored["due"] == other != shown and open_conflicts(stored) == []
    # The choice is an edit like any other: it reaches the other laptop.
    sync(a, hub)
    sync(b, hub)
    theirs = next(d for d in collect(Store(b.root, read_only=True))["case"] if d["id"] == case.id)
    assert theirs == stored


async def test_f9_without_a_server_says_how_to_set_one(tmp_path: Path, app_on: AppFactory) -> None:
    folder = tmp_path / "a"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns(".lock", "device.json"))
    for lang, words in (("en", "No office server is set"), ("zh", "未设置办公室服务器")):
        set_language(lang)
        app = app_on(folder, lang=lang)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("f9")
            said = app._notifications
            await until(pilot, lambda w=words, n=said: any(w in x.message for x in n), what=words)
            assert "unsent" not in screen_text(app) and "未发" not in screen_text(app)

"""The session dialog records exactly who is ticked: those ticked already
(from the last session) come first, each box reads [✓] or [ ], and a line
names everyone ticked, so nobody is recorded on duty out of sight."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import TODAY
from tests.ui.conftest import AppFactory, screen_text, shown, wait_for_screen
from tui.screens.home import HomeScreen
from tui.screens.session_open import SessionOpenScreen
from tui.store.repository import Store


def last_session_staff(data: Path) -> list[str]:
    day = json.loads((data / "days" / "2026-11-20.json").read_text("utf-8"))
    (session,) = day["session"].values()
    return list(session["staff"])


async def test_only_what_is_ticked_is_recorded(app_on: AppFactory, sample_dir: Path) -> None:
    before = last_session_staff(sample_dir)
    names = {s.id: s.name for s in Store(sample_dir).staff()}
    app = app_on(sample_dir, ask_session=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, SessionOpenScreen)
        dialog = app.screen
        ticked_line = dialog.query_one("#session-ticked")
        assert shown(ticked_line).startswith(f"{len(before)} ticked: ")
        # In English the names are apart with ", " (the Chinese 、 only in zh).
        assert set(shown(ticked_line).split(": ", 1)[1].split(", ")) == {names[i] for i in before}
        text = screen_text(app)
        for staff_id in before:  # every pre-ticked person is in view, ticked
            assert f"[✓] {names[staff_id]}" in text
        staff_list = dialog.query_one("#session-staff")
        staff_list.focus()
        for _ in before:  # untick them all
            await pilot.press("space", "down")
        assert shown(ticked_line) == "No one ticked on duty"
        await pilot.press("space", "down", "space")
        options = [staff_list.get_option_at_index(i) for i in range(staff_list.option_count)]
        chosen = [o.value for o in options[len(before) : len(before) + 2]]
        picked = ", ".join(names[i] for i in chosen)
        assert shown(ticked_line) == f"2 ticked: {picked}"
        assert f"[ ] {names[before[0]]}" in screen_text(app)
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, HomeScreen)
    day = json.loads((sample_dir / "days" / f"{TODAY.isoformat()}.json").read_text("utf-8"))
    (session,) = day["session"].values()
    assert sorted(session["staff"]) == sorted(chosen)


async def test_a_stray_enter_never_opens_a_session(app_on: AppFactory, sample_dir: Path) -> None:
    app = app_on(sample_dir, ask_session=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, SessionOpenScreen)
        app.screen.query_one("#session-compound").focus()
        await pilot.press("enter")  # the compound is filled in from the last session
        await pilot.pause()
        assert isinstance(app.screen, SessionOpenScreen)
        assert app.screen.focused is not None and app.screen.focused.id == "session-staff"
    assert not (sample_dir / "days" / f"{TODAY.isoformat()}.json").exists()

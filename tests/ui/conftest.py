from __future__ import annotations

import io
import subprocess
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.app import App
from textual.command import Command, CommandList
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget

from tests.conftest import PYTHON, ROOT, TODAY, python_env
from tui.app import FieldDeskApp
from tui.launch import make_app
from tui.repository import Change

AppFactory = Callable[..., FieldDeskApp]


@pytest.fixture
def app_on(clock: Callable[[], datetime]) -> AppFactory:
    """Build the app on a data folder, with the fixed clock and a named staff member.
    The session dialog at start is off unless a test asks for it (ask_session=True)."""

    def build(data: Path, **options: object) -> FieldDeskApp:
        options.setdefault("staff", "李娜")
        options.setdefault("lang", "en")
        options.setdefault("ask_session", False)
        options.setdefault("clock", clock)
        return make_app(data, **options)  # type: ignore[arg-type]

    return build


def shown(widget: Widget) -> str:
    """The plain text a widget draws (markup, if any, already applied)."""
    visual = widget.visual if hasattr(widget, "visual") else widget.render()
    return str(getattr(visual, "plain", visual))


def screen_text(app: FieldDeskApp) -> str:
    """Every character the terminal would get for the screen now on top (toasts
    and dialogs included), without the escape codes that position and colour it."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True)
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text()


async def until(
    pilot: Pilot[Any],
    condition: Callable[[], object],
    seconds: float = 5,
    what: str | Callable[[], str] = "",
) -> None:
    """Let the app run until `condition()` holds: what a test waits for (a
    worker's result, a screen, another desk's save, a toast), never a fixed
    pause. Fails naming `what` (a callable is asked at the deadline, to say
    how things stand then) if it has not come about within `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            said = what() if callable(what) else what
            raise AssertionError(f"never came about within {seconds:g} s: {said or condition}")
        await pilot.pause()  # the app's messages handled, then idle (20 ms at least)


async def wait_for_screen(
    pilot: Pilot[Any], screen_type: type[Screen[Any]], seconds: float = 5
) -> None:
    """Let the app run until `screen_type` is on top (background checks take a moment)."""
    await until(
        pilot,
        lambda: isinstance(pilot.app.screen, screen_type) and pilot.app.screen.is_mounted,
        seconds,
        lambda: f"{screen_type.__name__} on top (on top: {pilot.app.screen!r})",
    )
    await pilot.pause()  # let it compose and lay out


async def open_screen(pilot: Pilot[Any], key: str) -> Screen[Any]:
    """Press the key that opens a screen; once it is up and the workers it
    started (its lists, read in the background) are done, that screen. Not for
    the file picker: its folder tree's loader is a worker that never ends."""
    before = pilot.app.screen
    await pilot.press(key)
    await until(
        pilot,
        lambda: pilot.app.screen is not before and pilot.app.screen.is_mounted,
        what=lambda: f"a screen opened by {key} (on top: {pilot.app.screen!r})",
    )
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return pilot.app.screen


def palette_offers(app: App[Any]) -> str:
    """What Enter in the command palette runs now: its highlighted command
    ('' before its search has found one)."""
    found = app.screen.query(CommandList)
    index = found.first().highlighted if found else None
    option = found.first().get_option_at_index(index) if index is not None else None
    return str(option.hit.text) if isinstance(option, Command) else ""


def recording(app: Any) -> Any:
    """The app, noting in `app.told` each change from elsewhere it hands to its screens."""
    app.told = []
    reload_screens = app.reload_screens

    def told(change: Change | None = None) -> None:
        if change is not None:
            app.told.append(change)
        reload_screens(change)

    app.reload_screens = told
    return app


async def changes_seen(
    app: Any, pilot: Pilot[Any], count: int, seconds: float = 10
) -> list[Change]:
    """Let a `recording` app run until it has been told of `count` changes
    from elsewhere, and its screens have shown them."""
    await until(
        pilot,
        lambda: len(app.told) >= count,
        seconds,
        lambda: f"told of {count} changes from elsewhere (told of {len(app.told)})",
    )
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    return list(app.told)


async def show_case(pilot: Pilot[None], case: Any) -> None:
    """The case screen for `case`, opened over the home screen once it is up."""
    from tui.screens.case_detail import CaseScreen
    from tui.screens.home import HomeScreen

    app = pilot.app
    await wait_for_screen(pilot, HomeScreen)
    app.push_screen(CaseScreen(app.store, case))  # type: ignore[attr-defined]
    await wait_for_screen(pilot, CaseScreen)


def run_elsewhere(data: Path, code: str) -> str:
    """`code` in another process (another desk's laptop on the same folder),
    with `store` on today's fixed clock."""
    setup = (
        "import sys\n"
        "from datetime import date\n"
        "from tui.domain.calendar import fixed_clock\n"
        "from tui.store.repository import Store\n"
        f"today = date({TODAY.year}, {TODAY.month}, {TODAY.day})\n"
        "store = Store(sys.argv[1], device='desk-2', by='王芳', clock=fixed_clock(today))\n"
    )
    done = subprocess.run(
        [PYTHON, "-c", setup + code, str(data)],
        cwd=ROOT,
        env=python_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()

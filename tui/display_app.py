"""`fielddesk display`: the resident-facing queue display, a separate read-only
process for a second terminal or monitor."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from textual.app import App

from tui.i18n import set_language, t
from tui.screens.display import DisplayScreen
from tui.store.notify import BACKSTOP_SECONDS
from tui.store.readonly import FolderBoard
from tui.store.repository import system_clock
from tui.voice import Voice


class DisplayApp(App[None]):
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = False

    def __init__(
        self,
        root: Path,
        clock: Callable[[], datetime],
        *,
        names: bool,
        bell: bool,
        contrast: bool,
        voice: Voice | None = None,
        note: str = "",
        notifications: bool = True,
        backstop: float | None = BACKSTOP_SECONDS,
    ) -> None:
        super().__init__()
        self.voice = voice
        self.note = note
        self.root = root
        self.clock = clock
        self.names = names
        self.ring = bell
        self.contrast = contrast
        self.notifications = notifications
        self.backstop = backstop
        self.title = t("display.title")

    def on_mount(self) -> None:
        screen = DisplayScreen(
            FolderBoard(self.root, backstop=self.backstop),
            self.clock,
            names=self.names,
            bell=self.ring,
            voice=self.voice,
            notifications=self.notifications,
        )
        if self.contrast:
            screen.add_class("-contrast")
        self.push_screen(screen)
        if self.note:
            self.notify(self.note, severity="warning", timeout=15)
        if self.voice is not None:
            self.voice.on_failed = lambda line: self.call_from_thread(
                self.notify, line, severity="warning"
            )

    def on_unmount(self) -> None:
        if self.voice is not None:
            self.voice.close()


def make_display(
    data_dir: Path | str,
    *,
    lang: str | None = None,
    names: bool = False,
    bell: bool = False,
    contrast: bool = False,
    voice: Voice | None = None,
    note: str = "",
    clock: Callable[[], datetime] = system_clock,
    notifications: bool = True,
    backstop: float | None = BACKSTOP_SECONDS,
) -> DisplayApp:
    """`note`: a line to show at start (why voice is off). `notifications`
    False: poll the files' stamps (what the display does where the OS cannot
    notify); `backstop`: see DisplayScreen."""
    set_language(lang)
    return DisplayApp(
        Path(data_dir),
        clock,
        names=names,
        bell=bell,
        contrast=contrast,
        voice=voice,
        note=note,
        notifications=notifications,
        backstop=backstop,
    )

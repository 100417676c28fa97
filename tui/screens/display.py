"""The queue display for residents: numbers only (or masked names when asked),
the compound and the time. The operating system tells it of a change to the
data files (tui/store/notify.py), so a call shows within a few tens of
milliseconds; where it cannot, the files' stamps are polled every quarter second.
Keeps running, saying it waits for data, while the folder is missing, locked,
replaced or unreadable.

It shows the queue of the compound its desk works at (the day's open
session's, as the staff app's F3): after laptops' folders were merged, the
day file may hold another team's tickets at another compound, never shown."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from tui.i18n import t
from tui.repository.interface import DayBoard
from tui.services.board_reader import BoardReader
from tui.voice import Voice
from widgets.plain import plain
from widgets.ticket_board import TicketBoard

POLL_SECONDS = 0.25  # without file notifications


class FilesTouched(Message):
    """A commit may have changed the day (sent from the watch thread)."""


class NotificationsFailed(Message):
    """Notifications could not start or stopped: poll instead."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class DisplayScreen(Screen[None]):
    def __init__(
        self,
        source: DayBoard,
        clock: Callable[[], datetime],
        *,
        names: bool,
        bell: bool,
        voice: Voice | None = None,
        notifications: bool = True,
    ) -> None:
        """`notifications` False: look at the source's stamp four times a
        second, as where the OS cannot notify."""
        super().__init__(id="display")
        self.source = source
        self.reader = BoardReader(source, clock, names=names)
        self.clock = clock
        self.bell = bell
        self.voice = voice
        self.waiting_for_data = False
        self.notifications = notifications
        self.watching = ""  # "notifications" or "polling"
        self._stop_watch: Callable[[], None] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="display-title", markup=False)
        yield TicketBoard(
            {
                "now": t("display.now"),
                "next": t("display.next"),
                "recent": t("display.recent"),
                "desk": t("display.desk"),
                "none": t("display.none"),
                "last": t("display.last"),
            },
            id="board",
        )
        yield Static(id="display-wait", markup=False)

    def on_mount(self) -> None:
        self.set_interval(1, self._show_title)
        if self.notifications:
            self.watching = "notifications"
            self._stop_watch = self.source.watch(
                lambda: self.post_message(FilesTouched()),
                lambda reason: self.post_message(NotificationsFailed(reason)),
            )
        else:
            self._poll_files()
        self.poll()

    def _poll_files(self) -> None:
        if self.watching != "polling":
            self.watching = "polling"
            self.set_interval(POLL_SECONDS, self.poll)

    def on_files_touched(self, _: FilesTouched) -> None:
        self.poll()

    def on_notifications_failed(self, _: NotificationsFailed) -> None:
        self._poll_files()

    def on_unmount(self) -> None:
        if self._stop_watch is not None:
            self._stop_watch()

    def poll(self) -> None:
        called = self.reader.read()
        self._waiting(self.reader.waiting)
        if called is None:
            return
        self.query_one(TicketBoard).show(self.reader.board)
        if self.bell and called:
            self.app.bell()
        if self.voice is not None:
            for entry in called:
                self.voice.say(entry.number, entry.desk)
        self._show_title()

    def _waiting(self, waiting: bool) -> None:
        self.waiting_for_data = waiting
        label = self.query_one("#display-wait", Static)
        label.update(t("display.waiting") if waiting else "")
        label.display = waiting

    def _show_title(self) -> None:
        moment = self.clock().strftime("%Y-%m-%d %H:%M")
        place = self.reader.compound
        self.query_one("#display-title", Static).update(
            plain(" | ".join(p for p in (t("display.title"), place, moment) if p))
        )

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

from tui.domain.queue import board, desk_session, queue_at
from tui.domain.states import SessionStatus
from tui.i18n import t
from tui.repository.errors import NoData
from tui.repository.interface import DayBoard
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
        notifications: bool = True,
    ) -> None:
        """`notifications` False: look at the source's stamp four times a
        second, as where the OS cannot notify."""
        super().__init__(id="display")
        self.source = source
        self.clock = clock
        self.names = names
        self.bell = bell
        self._stamps: object = None
        self._serving: set[tuple[str, int]] = set()
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
        day = self.clock().date().isoformat()
        current = self.source.stamp(day)
        if current is not None and current == self._stamps and not self.waiting_for_data:
            return
        try:
            view = self.source.read_day(day)
        except NoData:
            self._waiting(True)
            self._stamps = None
            return
        self._stamps = current
        self._waiting(False)
        names = {v.id: v.name for v in view.visits} if self.names else None
        session = desk_session(
            view.sessions, device=view.device, visits=view.visits, tickets=view.tickets
        )
        compound = session.compound if session else ""
        shown = board(queue_at(view.tickets, view.visits, view.sessions, compound), names)
        self.query_one(TicketBoard).show(shown)
        serving = {(e.number, e.desk) for e in shown.now_serving}
        if self.bell and serving - self._serving:
            self.app.bell()
        self._serving = serving
        is_open = session is not None and session.status == SessionStatus.OPEN
        self._compound = view.compounds.get(compound, "") if is_open else ""
        self._show_title()

    def _waiting(self, waiting: bool) -> None:
        self.waiting_for_data = waiting
        label = self.query_one("#display-wait", Static)
        label.update(t("display.waiting") if waiting else "")
        label.display = waiting

    def _show_title(self) -> None:
        moment = self.clock().strftime("%Y-%m-%d %H:%M")
        place = getattr(self, "_compound", "")
        self.query_one("#display-title", Static).update(
            plain(" | ".join(p for p in (t("display.title"), place, moment) if p))
        )

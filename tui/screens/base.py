"""What every screen under the session header shares: showing the session, and
being told when another process changed the data."""

from __future__ import annotations

import gc

from textual import events
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input

from tui.repository.events import Change, merged
from widgets.session_bar import SessionBar, SessionInfo


class CertificationsChanged(Message):
    """This process certified or withdrew someone: the header's count of those
    left is worked out again (another process's changes arrive through the watcher)."""


class SessionChanged(Message):
    """The session was opened, closed or reopened: every header shows it."""


class SessionWanted(Message):
    """Staff asked to open today's session (the dialog the app shows at start)."""


# How many refreshes a screen waits for its first field before typing goes
# to the screen itself (a screen with no field to type into).
EARLY_KEY_REFRESHES = 10


def _text_area() -> type[Widget]:
    """TextArea, imported on the first key: not before the first frame."""
    from textual.widgets import TextArea

    return TextArea


def keep_loaded() -> None:
    """What was just loaded (the registry, its look-up index) lives as long
    as the app: keep it out of the garbage collector's full passes, which
    with 105,000 residents take 150-200 ms each and would fall on the desk's
    keystrokes or another desk's save. Objects are still freed when unused;
    only cycles among what is held now are never looked for."""
    gc.freeze()


class SessionScreen(Screen[None]):
    def __init__(self, session: SessionInfo, *, id: str) -> None:
        super().__init__(id=id)
        self._session = session
        self._early: list[events.Key] = []
        self._early_waits = 0
        self._missed: list[Change | None] = []  # changes while hidden, read when shown

    def on_key(self, event: events.Key) -> None:
        """Typing that reached the screen before its first field had the focus
        (typed straight after the F-key that opened it) is handed to that
        field as soon as it has it, instead of being lost. Typing that
        arrives here after this screen gave way to another one (the F-key
        was still on its way when it came) is sent on to that one."""
        if not event.is_printable:
            return
        if self.app.screen is not self:
            event.stop()
            self.app.post_message(events.Key(event.key, event.character))
            return
        if self.focused is None:
            event.stop()
            self._early.append(event)
            if len(self._early) == 1:
                self._early_waits = 0
                self.call_after_refresh(self._hand_on_early)
        elif isinstance(self.focused, Input | _text_area()) and not getattr(
            self.focused, "read_only", False
        ):
            # Sent to the screen while the field was getting the focus; a text
            # field takes every printable key, so this cannot come back here.
            event.stop()
            self.app.post_message(events.Key(event.key, event.character))

    def _hand_on_early(self) -> None:
        if self.focused is None and self._early_waits < EARLY_KEY_REFRESHES:
            self._early_waits += 1
            self.call_after_refresh(self._hand_on_early)
            return
        early, self._early = self._early, []
        if self.focused is not None:
            for key in early:
                self.app.post_message(events.Key(key.key, key.character))

    def show_session(self, session: SessionInfo) -> None:
        self._session = session
        self.query_one(SessionBar).show(session)

    def data_changed(self, change: Change | None) -> None:
        """Another process (or a restore) changed records; None: anything may
        have. A screen not on view only notes it and catches up when shown, so
        another desk's save never costs a hidden screen's reload."""
        if change is not None and not self.shows(change):
            return
        if self not in self.app.screen_stack:
            self._missed.append(change)
            return
        self.catch_up(change)

    def on_screen_resume(self) -> None:
        missed, self._missed = self._missed, []
        self.resumed(None if None in missed else merged(c for c in missed if c), bool(missed))

    def resumed(self, change: Change | None, missed: bool) -> None:
        """Shown again: catch up with what changed while hidden, if anything."""
        if missed:
            self.catch_up(change)

    def shows(self, change: Change) -> bool:
        """Does this screen show anything of what changed? (Default: yes.)"""
        return True

    def catch_up(self, change: Change | None) -> None:
        """Show what changed (None: anything may have)."""
        self.reload()

    def reload(self) -> None:
        """Read what the screen shows again."""

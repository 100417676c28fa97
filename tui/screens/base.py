"""What every screen under the session header shares: showing the session, and
being told when another process changed the data."""

from __future__ import annotations

from textual.message import Message
from textual.screen import Screen

from widgets.session_bar import SessionBar, SessionInfo


class CertificationsChanged(Message):
    """This process certified or withdrew someone: the header's count of those
    left is worked out again (another process's changes arrive through the watcher)."""


class FilesTouched(Message):
    """The operating system says a data file changed (sent from the notify thread)."""


class NotificationsFailed(Message):
    """File notifications could not start or stopped: poll the files' stamps."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class SessionChanged(Message):
    """The session was opened, closed or reopened: every header shows it."""


class SessionWanted(Message):
    """Staff asked to open today's session (the dialog the app shows at start)."""


class SessionScreen(Screen[None]):
    def __init__(self, session: SessionInfo, *, id: str) -> None:
        super().__init__(id=id)
        self._session = session

    def show_session(self, session: SessionInfo) -> None:
        self._session = session
        self.query_one(SessionBar).show(session)

    def data_changed(self, changed: set[str] | None) -> None:
        """Another process changed these files (None: anything may have changed)."""
        self.reload()

    def reload(self) -> None:
        """Read what the screen shows again."""

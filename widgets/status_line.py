"""The one line under a screen's list that says what just happened, in the
success colour, or in the error colour when something was refused."""

from __future__ import annotations

from textual.widgets import Static

from widgets.plain import plain


class StatusLine(Static):
    def __init__(self, *, id: str) -> None:
        super().__init__(id=id, markup=False)

    def say(self, message: str, *, error: bool = False) -> None:
        """`message` shown literally (it may quote a name or a file)."""
        self.update(plain(message))
        self.set_class(error, "-error")

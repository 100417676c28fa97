"""A warning that stays on screen while it holds (not a toast, not the status
line the next key press overwrites), and takes no room when there is none."""

from __future__ import annotations

from textual.widgets import Static

from widgets.plain import plain


class WarningLine(Static):
    DEFAULT_CSS = """
    WarningLine {
        height: auto;
        padding: 0 1;
        color: $warning;
        text-style: bold;
        display: none;
    }
    WarningLine.-shown {
        display: block;
    }
    """

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id, markup=False)
        self.text = ""

    def warn(self, message: str) -> None:
        """`message` shown literally (it may quote a laptop's name); "" hides it."""
        if message == self.text:
            return
        self.text = message
        self.update(plain(message, multiline=True) if message else "")
        self.set_class(bool(message), "-shown")

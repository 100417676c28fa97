"""F1: every key of the screen the user was on, with what it does. A list
longer than the terminal scrolls with the keyboard (Down, PageDown, End),
the title and the way out staying in view."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.i18n import t
from tui.screens.keys import translate_bindings
from widgets.key_table import KeyTable

# The help box's rows around its table: the border (2), the title and the
# line under it (2), the line above the footer and the footer (2).
BOX_ROWS = 6


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,f1", "close", "key.close", id="close-help"),
    ]

    def __init__(self, screen_name: str, rows: list[tuple[str, str]]) -> None:
        super().__init__(id="help")
        translate_bindings(self)
        self._screen_name = screen_name
        self._rows = rows

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            yield Static(t("help.title", screen=self._screen_name), id="help-title", markup=False)
            yield KeyTable(self._rows, (t("help.key"), t("help.does")), id="help-keys")
            yield Static(t("help.footer"), id="help-footer", markup=False)

    def on_mount(self) -> None:
        self._fit(self.size.height)
        self.query_one(KeyTable).focus()

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.height)

    def _fit(self, height: int) -> None:
        """The table of keys is as tall as the screen leaves it (the box's
        border, title and footer take the rest), so it scrolls instead of
        running off the bottom of the box."""
        self.query_one(KeyTable).styles.max_height = max(3, height - BOX_ROWS)

    def action_close(self) -> None:
        self.dismiss(None)

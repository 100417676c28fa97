"""F1: every key of the screen the user was on, with what it does."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.i18n import t
from tui.screens.keys import translate_bindings
from widgets.key_table import KeyTable


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

    def action_close(self) -> None:
        self.dismiss(None)

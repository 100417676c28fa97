"""A one-line question answered by typing: Enter to confirm, Esc to leave it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.screens.keys import translate_bindings
from widgets.plain import plain


class PromptScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "leave", "key.back", id="prompt-back")]

    def __init__(self, question: str, value: str = "") -> None:
        super().__init__(id="prompt")
        translate_bindings(self)
        self._question = question
        self._value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box"):
            yield Static(plain(self._question), markup=False)  # it may name a resident
            yield Input(self._value, id="prompt-answer", compact=True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_leave(self) -> None:
        self.dismiss(None)

"""A one-line row of choices, worked from the keyboard: ←/→ to move, space to
toggle, or the option's number. Multi-choice (flags) or single (a mode)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


class ChoiceBar(Widget, can_focus=True):
    BINDINGS = [
        Binding("left", "move(-1)", show=False),
        Binding("right", "move(1)", show=False),
        Binding("space", "flip", show=False),
    ]

    cursor: reactive[int] = reactive(0)

    @dataclass
    class Changed(Message):
        bar: ChoiceBar
        selected: tuple[str, ...]

        @property
        def control(self) -> ChoiceBar:
            return self.bar

    def __init__(
        self,
        options: list[tuple[str, str]],
        *,
        multi: bool,
        selected: tuple[str, ...] = (),
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.options = options
        self.multi = multi
        self._selected: tuple[str, ...] = selected or (() if multi else (options[0][0],))

    @property
    def selected(self) -> tuple[str, ...]:
        return self._selected

    def select(self, keys: tuple[str, ...] | list[str], *, quiet: bool = False) -> None:
        known = {k for k, _ in self.options}
        chosen = tuple(k for k, _ in self.options if k in set(keys) & known)
        if not self.multi:
            chosen = chosen[:1] or (self.options[0][0],)
        if chosen != self._selected:
            self._selected = chosen
            self.refresh()
            if not quiet:
                self.post_message(self.Changed(self, chosen))

    def render(self) -> Text:
        text = Text()
        for index, (key, label) in enumerate(self.options):
            on = key in self._selected
            mark = ("[x]" if on else "[ ]") if self.multi else ("(*)" if on else "( )")
            style = "reverse" if self.has_focus and index == self.cursor else ""
            if index:
                text.append("  ")
            text.append(f"{mark}{index + 1}.{label}", style=style)
        return text

    def action_move(self, step: int) -> None:
        self.cursor = (self.cursor + step) % len(self.options)

    def action_flip(self) -> None:
        self._flip(self.cursor)

    def _flip(self, index: int) -> None:
        key = self.options[index][0]
        if self.multi:
            keys = set(self._selected) ^ {key}
            self.select([k for k, _ in self.options if k in keys])
        else:
            self.select((key,))

    def on_key(self, event: events.Key) -> None:
        character = event.character
        if character and character.isdigit() and 1 <= int(character) <= len(self.options):
            self.cursor = int(character) - 1
            self._flip(self.cursor)
            event.stop()

    def watch_cursor(self) -> None:
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

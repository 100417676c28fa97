"""A short list of matches under a field; the field keeps the focus and moves
the highlight with ↑/↓, Enter takes it. Hidden while empty."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from widgets.plain import plain


class Suggestions(OptionList):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.can_focus = False
        self.display = False

    def show(self, items: list[tuple[str, str | Text]]) -> None:
        """(key, label) pairs, the labels shown literally."""
        self.clear_options()
        self.add_options([Option(plain(label), id=key) for key, label in items])
        self.display = bool(items)
        if items:
            self.highlighted = 0

    def hide(self) -> None:
        self.clear_options()
        self.display = False

    @property
    def is_open(self) -> bool:
        return bool(self.display and self.option_count)

    def move(self, step: int) -> None:
        if self.option_count:
            current = self.highlighted or 0
            self.highlighted = (current + step) % self.option_count

    def chosen(self) -> str | None:
        if not self.is_open or self.highlighted is None:
            return None
        return self.get_option_at_index(self.highlighted).id

"""The intake's side panel: sections of lines (a resident's history, a
recurring problem), handed in ready to show."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static

from widgets.plain import plain


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[Text, ...]
    alert: bool = False


class SidePanel(Static):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)

    def show(self, sections: list[Section]) -> None:
        text = Text()
        for section in sections:
            if text:
                text.append("\n")
            text.append_text(plain(section.title, style="bold red" if section.alert else "bold"))
            for line in section.lines:
                text.append("\n")
                text.append_text(plain(line))  # each line one line, whatever the data holds
            text.append("\n")
        self.update(text)
        self.display = bool(sections)

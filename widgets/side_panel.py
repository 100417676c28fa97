"""The intake's side panel: sections of lines (a resident's history, a
recurring problem), handed in ready to show."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static


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
            text.append(section.title + "\n", style="bold red" if section.alert else "bold")
            for line in section.lines:
                text.append_text(line)
                text.append("\n")
        self.update(text)
        self.display = bool(sections)

"""The one-line header: app name and the session (date, compound, desk, staff)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static

from widgets.plain import plain


@dataclass(frozen=True)
class SessionInfo:
    title: str
    day: str
    compound: str  # display text: the compound's name, or "no session open"
    desk: str  # display text, e.g. "1号台"
    staff: str
    alert: str = ""  # e.g. how many residents the quarter's certification still needs
    mode: str = ""  # e.g. "READ-ONLY": first after the title, so 80 columns always show it


class SessionBar(Static):
    def __init__(self, info: SessionInfo, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.show(info)

    def show(self, info: SessionInfo) -> None:
        text = Text(info.title, style="bold")
        if info.mode:
            text.append("  ")
            text.append(f" {info.mode} ", style="bold reverse")
        text.append("  ")
        # A compound or staff name like "[b]x" stays literal, an ESC in it left out.
        text.append_text(
            plain(" | ".join(p for p in (info.day, info.compound, info.desk, info.staff) if p))
        )
        if info.alert:
            text.append(f"  {info.alert}", style="bold yellow")
        self.update(text)

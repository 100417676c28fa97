"""The one-line header: app name and the session (date, compound, desk, staff)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widgets import Static

from widgets.plain import fit, plain, visible


@dataclass(frozen=True)
class SessionInfo:
    title: str
    day: str
    compound: str  # display text: the compound's name, or "no session open"
    desk: str  # display text, e.g. "1号台"
    staff: str
    alert: str = ""  # e.g. how many residents the quarter's certification still needs
    mode: str = ""  # e.g. "READ-ONLY": first after the title, so 80 columns always show it
    sync: str = ""  # e.g. "sync 14:02, 3 unsent": last, where there is room


SEPARATOR = " | "
SHORTEST = 6  # cells a cut compound name keeps


class SessionBar(Static):
    """One line, never wrapped: where it does not fit, the app's name goes
    first, then the compound's name is cut (marked "~"), so the date, the
    desk and the staff always show."""

    def __init__(self, info: SessionInfo, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._info = info
        self.show(info)

    def show(self, info: SessionInfo) -> None:
        self._info = info
        self.update(fitted(info, self.content_size.width or None))

    def on_resize(self, _: events.Resize) -> None:
        self.show(self._info)


def fitted(info: SessionInfo, width: int | None) -> Text:
    """The header for `width` cells (None: as long as it takes)."""
    # A compound or staff name like "[b]x" stays literal, an ESC in it left out.
    day, compound, desk, staff = (
        visible(p) for p in (info.day, info.compound, info.desk, info.staff)
    )
    title = info.title
    mode = f" {info.mode} " if info.mode else ""

    def length(title: str, compound: str) -> int:
        head = cell_len(title) + (2 + cell_len(mode) if mode else 0) + (2 if title or mode else 0)
        parts = [p for p in (day, compound, desk, staff) if p]
        return head + cell_len(SEPARATOR.join(parts))

    if width is not None and length(title, compound) > width:
        title = ""
        over = length(title, compound) - width
        if over > 0 and compound:
            compound = fit(compound, max(SHORTEST, cell_len(compound) - over)).plain
    text = Text(title, style="bold", no_wrap=True, overflow="crop", end="")
    if mode:
        if title:
            text.append("  ")
        text.append(mode, style="bold reverse")
    if title or mode:
        text.append("  ")
    text.append_text(plain(SEPARATOR.join(p for p in (day, compound, desk, staff) if p)))
    if info.alert:
        alert = visible(info.alert)
        room = None if width is None else width - cell_len(text.plain) - 2
        if room is None or cell_len(alert) <= room:
            text.append(f"  {alert}", style="bold yellow")
        elif room > SHORTEST:
            text.append(f"  {fit(alert, room).plain}", style="bold yellow")
    if info.sync:
        sync = visible(info.sync)
        room = None if width is None else width - cell_len(text.plain) - 2
        if room is None or cell_len(sync) <= room:
            text.append(f"  {sync}", style="dim")
    return text

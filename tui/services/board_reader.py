"""Reading the day for a residents' display, the terminal's and the web
board's alike: through the read-only DayBoard, only when the folder's stamp
changed (a stat of two files otherwise), keeping the last board while the
folder cannot be read (`waiting`), and telling which numbers are newly at a
desk (to ring or say them once; those there at the first reading are not
new)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from tui.domain.queue import Board, BoardEntry
from tui.domain.shown_queue import new_calls, shown_queue
from tui.repository.errors import NoData
from tui.repository.interface import DayBoard


class BoardReader:
    def __init__(self, source: DayBoard, clock: Callable[[], datetime], *, names: bool) -> None:
        self.source = source
        self.clock = clock
        self.names = names
        self.board = Board((), (), ())
        self.compound = ""  # the compound's name while this desk's session is open
        self.waiting = False  # the folder could not be read at the last look
        self._stamp: object = None
        self._read_once = False

    def read(self) -> list[BoardEntry] | None:
        """The numbers newly at a desk, once the day was read again; None when
        nothing was (the same stamp, or the folder cannot be read)."""
        day = self.clock().date().isoformat()
        stamp = self.source.stamp(day)
        if self._read_once and stamp is not None and stamp == self._stamp and not self.waiting:
            return None
        try:
            view = self.source.read_day(day)
        except NoData:
            self.waiting = True
            self._stamp = None
            return None
        self.waiting = False
        self._stamp = stamp
        shown = shown_queue(
            view.tickets,
            view.visits,
            view.sessions,
            view.compounds,
            device=view.device,
            names=self.names,
        )
        called = new_calls(self.board.now_serving, shown.board.now_serving)
        first = not self._read_once
        self._read_once = True
        self.board, self.compound = shown.board, shown.compound
        return [] if first else called

"""The web board's side that reads: the day's queue from the data folder,
through the same read-only path as the terminal display (FolderBoard), as
the JSON the page draws. No aiohttp here.

The state holds what the page shows and nothing else: numbers, desks, at
most masked names, the compound's name and the time. It keeps the last board
when the folder cannot be read and says so (`waiting`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tui.domain.queue import Board, BoardEntry
from tui.domain.shown_queue import new_calls, shown_queue
from tui.repository.errors import NoData
from tui.repository.interface import DayBoard


def _entry(entry: BoardEntry) -> dict[str, Any]:
    return {"number": entry.number, "desk": entry.desk, "name": entry.name}


def board_json(board: Board) -> dict[str, Any]:
    return {
        "now": [_entry(e) for e in board.now_serving],
        "next": [_entry(e) for e in board.next_up],
        "recent": [_entry(e) for e in board.recent],
        "last": _entry(board.last_called) if board.last_called else None,
    }


@dataclass
class Reading:
    state: dict[str, Any]  # what the page shows
    called: list[BoardEntry]  # numbers newly at a desk since the last reading


class BoardReader:
    """Reads the day when the folder's stamp changed; `read()` is cheap when
    nothing did (a stat of two files)."""

    def __init__(self, source: DayBoard, clock: Callable[[], datetime], *, names: bool) -> None:
        self.source = source
        self.clock = clock
        self.names = names
        self._stamp: object = None
        self._board: dict[str, Any] = board_json(Board((), (), ()))
        self._compound = ""
        self._serving: tuple[BoardEntry, ...] = ()
        self._read_once = False
        self.waiting = True

    def read(self) -> Reading:
        day = self.clock().date().isoformat()
        stamp = self.source.stamp(day)
        called: list[BoardEntry] = []
        if stamp is None or stamp != self._stamp or self.waiting:
            try:
                view = self.source.read_day(day)
            except NoData:
                self.waiting = True
                self._stamp = None
            else:
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
                # Who was at a desk when the board started is not a new call.
                if self._read_once:
                    called = new_calls(self._serving, shown.board.now_serving)
                self._read_once = True
                self._serving = shown.board.now_serving
                self._board = board_json(shown.board)
                self._compound = shown.compound
        return Reading(self.state(), called)

    def state(self) -> dict[str, Any]:
        return {
            **self._board,
            "compound": self._compound,
            "time": self.clock().strftime("%H:%M"),
            "date": self.clock().strftime("%Y-%m-%d"),
            "waiting": self.waiting,
        }

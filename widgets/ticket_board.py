"""The resident-facing board: the number at each desk in large digits, the next
ones and the last called. It is handed a Board, which holds numbers and at most
masked names: nothing else can reach the screen residents see."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits, Static

from tui.domain.queue import Board, BoardEntry
from widgets.plain import plain


class TicketBoard(Vertical):
    def __init__(self, labels: dict[str, str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.labels = labels  # heading texts, already translated
        self._shown: Board | None = None

    def compose(self) -> ComposeResult:
        yield Static(self.labels["now"], id="board-heading", classes="board-heading", markup=False)
        yield Horizontal(id="board-desks")
        yield Static(id="board-next", markup=False)
        yield Static(id="board-recent", markup=False)

    def show(self, board: Board) -> None:
        if board == self._shown:
            return
        self._shown = board
        desks = self.query_one("#board-desks", Horizontal)
        desks.remove_children()
        # Every desk free: the number called last stays, under a heading that
        # says so ("nothing called yet" is true only before the first call).
        idle = not board.now_serving and board.last_called is not None
        self.query_one("#board-heading", Static).update(self.labels["last" if idle else "now"])
        shown = board.now_serving or ((board.last_called,) if board.last_called else ())
        desks.mount_all(
            [self._desk(entry) for entry in shown]
            or [Static(self.labels["none"], classes="board-empty", markup=False)]
        )
        self.query_one("#board-next", Static).update(
            plain(f"{self.labels['next']}  " + "   ".join(self._line(e) for e in board.next_up))
        )
        self.query_one("#board-recent", Static).update(
            plain(f"{self.labels['recent']}  " + "   ".join(self._line(e) for e in board.recent))
        )

    def _desk(self, entry: BoardEntry) -> Vertical:
        parts = [
            Static(self.labels["desk"].format(desk=entry.desk), classes="desk-label", markup=False),
            Digits(entry.number, classes="desk-number"),
        ]
        if entry.name:
            parts.append(Static(plain(entry.name), classes="desk-name", markup=False))
        return Vertical(*parts, classes="desk")

    @staticmethod
    def _line(entry: BoardEntry) -> str:
        return f"{entry.number} {entry.name}".strip()

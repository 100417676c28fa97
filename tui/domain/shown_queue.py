"""What a residents' display shows of one day, worked out once for both
displays (the terminal's and the web board): the board of the compound this
laptop's desk works at, that compound's name while its session is open, and
the calls to announce. Numbers and at most masked names: nothing else."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from tui.domain.queue import Board, BoardEntry, board, desk_session, queue_at
from tui.domain.records import ServiceSession, Ticket, Visit
from tui.domain.states import SessionStatus


@dataclass(frozen=True)
class ShownQueue:
    board: Board
    compound: str  # the compound's name while its session is open, else ""


def shown_queue(
    tickets: Sequence[Ticket],
    visits: Sequence[Visit],
    sessions: Sequence[ServiceSession],
    compounds: Mapping[str, str],
    *,
    device: str = "",
    names: bool = False,
) -> ShownQueue:
    """`names`: masked names beside the numbers (吴**), else numbers only."""
    masked = {v.id: v.name for v in visits} if names else None
    session = desk_session(sessions, device=device, visits=visits, tickets=tickets)
    compound = session.compound if session else ""
    shown = board(queue_at(tickets, visits, sessions, compound), masked)
    is_open = session is not None and session.status == SessionStatus.OPEN
    return ShownQueue(shown, compounds.get(compound, "") if is_open else "")


def new_calls(before: Iterable[BoardEntry], now: Iterable[BoardEntry]) -> list[BoardEntry]:
    """The numbers now at a desk that were not there before: each is called
    aloud (or rung) once, in desk order."""
    seen = {(e.number, e.desk) for e in before}
    return [e for e in now if (e.number, e.desk) not in seen]

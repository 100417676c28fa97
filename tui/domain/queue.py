"""Queue tickets: numbering per letter per day (A001, A002 ... B001)."""

from __future__ import annotations

from collections.abc import Iterable

from tui.domain.records import Ticket

MAX_SEQ = 999  # three digits: what the display's large Digits can show


class QueueFull(ValueError):
    code = "queue.full"


def next_seq(tickets: Iterable[Ticket], letter: str) -> int:
    seq = max((t.seq for t in tickets if t.letter == letter), default=0) + 1
    if seq > MAX_SEQ:
        raise QueueFull(letter)
    return seq


def ticket_number(letter: str, seq: int) -> str:
    return f"{letter}{seq:03d}"


def is_priority(flags: Iterable[str]) -> bool:
    """Aged 80+, mobility-impaired, or marked priority at intake."""
    return bool({"aged80", "mobility", "priority"} & set(flags))

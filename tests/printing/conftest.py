"""The sample community in a tmp folder, tickets issued on its "today", and
a reader of ESC/POS bytes: what a receipt printer would print."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import issue_forms
from tui.domain.intake import IntakeForm
from tui.domain.records import Ticket
from tui.store.repository import Store

# ESC/POS commands the documents use, by their first two bytes: the command's length.
COMMANDS = {
    b"\x1b@": 2,  # initialise
    b"\x1c&": 2,  # Chinese character mode on
    b"\x1c.": 2,  # Chinese character mode off
    b"\x1ba": 3,  # align
    b"\x1bE": 3,  # bold
    b"\x1b!": 3,  # print mode (normal size)
    b"\x1d!": 3,  # character size
    b"\x1bd": 3,  # print and feed n lines
}


def printed(data: bytes) -> list[str]:
    """The lines a receipt printer prints for `data`: every command taken
    out (an unknown one fails the test), the text decoded as GB18030."""
    text = bytearray()
    i = 0
    cut = False
    while i < len(data):
        byte = data[i : i + 1]
        if byte in (b"\x1b", b"\x1c", b"\x1d"):
            head = data[i : i + 2]
            if head == b"\x1dV":  # cut: GS V m, or GS V m n for m 65/66
                cut = True
                i += 4 if data[i + 2] in (65, 66) else 3
                continue
            assert head in COMMANDS, f"unknown command {head!r} at {i}"
            i += COMMANDS[head]
            continue
        assert byte[0] >= 0x20 or byte == b"\n", f"control byte {byte!r} in the text at {i}"
        text += byte
        i += 1
    assert cut, "the paper is never cut"
    return text.decode("gb18030").rstrip("\n").split("\n")


@pytest.fixture
def sample_store(sample_dir: Path, clock: Callable[[], datetime]) -> Store:
    return Store(sample_dir, device="test-laptop", by="李娜", clock=clock)


def issue(store: Store, *forms: IntakeForm) -> list[Ticket]:
    """Issue tickets for `forms` today (a session opened if none is); the new tickets."""
    before = {t.id for t in store.tickets(store.today())}
    issue_forms(store, list(forms))
    return sorted(
        (t for t in store.tickets(store.today()) if t.id not in before), key=lambda t: t.issued_at
    )

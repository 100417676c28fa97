"""Tickets issued on two laptops' folders, offline, on the same day, then put
together (as `fielddesk import` does; import_docs, for records of distinct
ids): at one compound their numbers never collide and they are one queue; at
another compound they stay another team's queue; two laptops set to the same
desk are told."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from tests.laptops import day_docs, intakes, laptop, merge_both, open_at
from tui.services.queue_desk import QueueDesk
from tui.store.exchange import import_docs
from tui.store.repository import Store


def numbers(store: Store) -> list[str]:
    return sorted(t.number for t in store.tickets(store.today()))


def test_two_laptops_at_one_compound_never_give_the_same_number(
    tmp_path: Path, clock: Callable[[], datetime]
) -> None:
    a = laptop(tmp_path, "a", clock, desk=1)
    b = laptop(tmp_path, "b", clock, desk=2)
    open_at(a, 0, minutes_earlier=30)
    open_at(b, 0)
    intakes(a, 12, "甲")
    intakes(b, 9, "乙")
    assert set(numbers(a)) >= {"A001", "A002", "D001"}
    assert set(numbers(b)) >= {"A100", "A101", "D100"}  # desk 2's hundreds
    assert {t.issued_on for t in a.tickets(a.today())} == {a.device}
    merge_both(a, b)
    for store, desk in ((a, 1), (b, 2)):
        held = numbers(store)
        assert len(held) == 21 and len(set(held)) == 21, held
        assert numbers(store) == numbers(a)
        # One queue: both laptops' tickets, whichever desk looks.
        queue = QueueDesk(store, desk)
        assert len(queue.tickets()) == len(QueueDesk(store, 3 - desk).tickets()) == 21
        assert not queue.clashes()
    # Each laptop goes on from its own numbers after the merge.
    intakes(a, 1, "丙")
    intakes(b, 1, "丁")
    assert "A006" in numbers(a) and "A104" in numbers(b)
    # Desk 2 calls desk 1's ticket: one queue, whoever issued it.
    called = QueueDesk(a, 2).call_next()
    assert called is not None and called.number == "A001"
    # A desk 2 started on laptop A numbers as B does: once both went on, told.
    second = QueueDesk(a, 2)
    moved = second.transfer(next(t for t in second.tickets() if t.letter == "E").id, "A")
    assert moved.number == "A104" and moved.issued_on == a.device
    assert not second.clashes()  # after B's numbers that A has seen: no clash yet
    import_docs(a, day_docs(b))  # B's own A104, given meanwhile
    assert second.clashes().numbers == ("A104",) and second.clashes().devices == (b.device,)
    assert not QueueDesk(a, 1).clashes().devices


def test_two_laptops_set_to_the_same_desk_are_told(
    tmp_path: Path, clock: Callable[[], datetime]
) -> None:
    a = laptop(tmp_path, "a", clock)  # neither was given a desk: both are desk 1
    b = laptop(tmp_path, "b", clock)
    open_at(a, 0, minutes_earlier=30)
    open_at(b, 0)
    intakes(a, 3, "甲")
    intakes(b, 2, "乙")
    import_docs(a, day_docs(b))
    found = QueueDesk(a, 1).clashes()
    assert found.numbers == ("A001", "D001") and found.devices == (b.device,)
    # Desk 2 on the same laptop is not concerned by desk 1's block ...
    assert QueueDesk(a, 2).clashes().devices == ()
    # ... and the tickets are all still there, none renumbered.
    assert numbers(a) == ["A001", "A001", "D001", "D001", "E001"]


def test_another_compound_is_another_queue(tmp_path: Path, clock: Callable[[], datetime]) -> None:
    """Team C is at another compound the same day, its laptop also desk 1:
    after the import, A's desk sees, numbers after and calls only its own."""
    a = laptop(tmp_path, "a", clock, desk=1)
    c = laptop(tmp_path, "c", clock, desk=1)
    open_at(c, 1, minutes_earlier=30)
    open_at(a, 0)
    intakes(c, 6, "丙")
    intakes(a, 2, "甲")
    theirs = QueueDesk(c, 1).call_next()  # C's A001 at C's desk 1
    assert theirs is not None and theirs.number == "A001"
    import_docs(a, day_docs(c))
    desk = QueueDesk(a, 1)
    assert len(a.tickets(a.today())) == 8
    assert sorted(t.number for t in desk.tickets()) == ["A001", "D001"]
    assert {t.issued_on for t in desk.tickets()} == {a.device}
    assert not desk.clashes()  # two A001 in the day, at two compounds
    assert desk.mine() is None  # C's desk 1 is not this desk 1
    called = desk.call_next()
    assert called is not None and called.issued_on == a.device
    intakes(a, 1, "乙")
    assert sorted(t.number for t in desk.tickets()) == ["A001", "A002", "D001"]

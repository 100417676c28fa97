"""Which of the day's sessions is this desk's, once laptops' folders were put
together (as `fielddesk import` does): another team's session at another
compound, opened later that day, never becomes this desk's; a session the
other laptop opened at this laptop's compound is this desk's when this laptop
has none of its own. What the intake files under, and numbers in, lands on
disk in that session and that compound's queue."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from tests.laptops import day_docs, intakes, laptop, open_at
from tui.domain.queue import desk_session
from tui.domain.sessions import close_session
from tui.services.queue_desk import QueueDesk
from tui.store.exchange import import_docs
from tui.store.repository import Store


def day_file(store: Store) -> dict[str, Any]:
    return json.loads((store.root / "days" / f"{store.today()}.json").read_text("utf-8"))


def on_disk(store: Store, device: str) -> list[tuple[str, str]]:
    """(the visit's session, its ticket's number) of each visit `device` wrote."""
    tables = day_file(store)
    numbers = {t["id"]: t["number"] for t in tables.get("ticket", {}).values()}
    return sorted(
        (v["session"], numbers.get(v.get("ticket", ""), ""))
        for v in tables["visit"].values()
        if v.get("device") == device
    )


def test_another_team_s_later_session_is_not_this_desk_s(
    tmp_path: Path, clock: Callable[[], datetime]
) -> None:
    """Team A opened at compound 0 at 17:30; team C at compound 1 at 18:00,
    and A took C's records in. The latest opened is C's: A's desk keeps its own."""
    a = laptop(tmp_path, "a", clock, desk=1)
    c = laptop(tmp_path, "c", clock, desk=1)
    open_at(a, 0, minutes_earlier=30)
    open_at(c, 1)
    intakes(c, 3, "丙")
    ours = a.open_session()
    assert ours is not None and ours.compound == a.compounds()[0].id
    import_docs(a, day_docs(c))
    theirs = c.open_session()
    assert theirs is not None
    # The rule before: the latest opened, C's.
    assert desk_session(a.sessions(a.today())) == theirs
    assert a.open_session() == ours
    intakes(a, 2, "甲")
    # A's intakes are filed under A's session and numbered in A's queue.
    assert on_disk(a, a.device) == [(ours.id, "A001"), (ours.id, "D001")]
    desk = QueueDesk(a, 1)
    assert desk.session() == ours
    assert sorted(t.number for t in desk.tickets()) == ["A001", "D001"]
    assert {t.issued_on for t in desk.tickets()} == {a.device}
    # C's laptop, given A's records, keeps C's.
    import_docs(c, day_docs(a))
    assert c.open_session() == theirs
    assert QueueDesk(c, 1).session() == theirs


def test_a_laptop_joining_its_colleague_s_session_keeps_it(
    tmp_path: Path, clock: Callable[[], datetime]
) -> None:
    """B, desk 2 at compound 0, opened none: it took A's session there. Team
    C's session at compound 1, opened later, comes in afterwards."""
    a = laptop(tmp_path, "a", clock, desk=1)
    b = laptop(tmp_path, "b", clock, desk=2)
    c = laptop(tmp_path, "c", clock, desk=1)
    open_at(a, 0, minutes_earlier=60)
    intakes(a, 2, "甲")
    import_docs(b, day_docs(a))
    shared = a.open_session()
    assert shared is not None and b.open_session() == shared  # none of its own: A's
    intakes(b, 2, "乙")
    open_at(c, 1)
    intakes(c, 2, "丙")
    import_docs(b, day_docs(c))
    assert b.open_session() == shared  # B worked in A's session: C's is not B's
    intakes(b, 1, "丁")
    assert on_disk(b, b.device) == [
        (shared.id, "A100"),
        (shared.id, "A101"),
        (shared.id, "D100"),
    ]
    queue = sorted(t.number for t in QueueDesk(b, 2).tickets())
    assert queue == ["A001", "A100", "A101", "D001", "D100"]


def test_two_sessions_at_one_compound_folded_stay_this_desk_s(
    tmp_path: Path, clock: Callable[[], datetime]
) -> None:
    """A and B each opened a session at compound 0 (no network); the merge
    folds them into one, which stays both desks' after C's comes in."""
    a = laptop(tmp_path, "a", clock, desk=1)
    b = laptop(tmp_path, "b", clock, desk=2)
    c = laptop(tmp_path, "c", clock, desk=1)
    open_at(a, 0, minutes_earlier=60)
    open_at(b, 0, minutes_earlier=50)
    intakes(a, 1, "甲")
    intakes(b, 1, "乙")
    open_at(c, 1)
    for store, others in ((a, (b, c)), (b, (a, c))):
        for other in others:
            import_docs(store, day_docs(other))
    compound = a.compounds()[0].id
    for store in (a, b):
        found = store.open_session()
        assert found is not None and found.compound == compound
        assert [s.compound for s in store.sessions(store.today())].count(compound) == 1


def test_no_open_session_once_this_desk_s_is_closed(
    tmp_path: Path, clock: Callable[[], datetime]
) -> None:
    """A closed its session; C's is open at another compound: A has none open
    (a queued intake is refused, as before any merge; F5's o opens A's again),
    and F3 still shows A's closed session's queue, not C's."""
    a = laptop(tmp_path, "a", clock, desk=1)
    c = laptop(tmp_path, "c", clock, desk=1)
    open_at(a, 0, minutes_earlier=30)
    intakes(a, 2, "甲")
    ours = a.open_session()
    assert ours is not None
    a.save(close_session(ours, 0, now=a.now()))
    open_at(c, 1)
    intakes(c, 3, "丙")
    import_docs(a, day_docs(c))
    assert a.open_session() is None
    desk = QueueDesk(a, 1)
    assert desk.session() is not None and desk.session().id == ours.id  # type: ignore[union-attr]
    assert {t.issued_on for t in desk.tickets()} == {a.device}

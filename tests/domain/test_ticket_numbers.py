"""Numbers across laptops (docs/QUEUE.md): each desk numbers from its own
block, so laptops that never met give out different numbers; one compound's
tickets are one queue, another compound's in the same day are not in it; a
number held twice, or another laptop numbering as this desk, is found."""

from __future__ import annotations

import dataclasses
import random
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.domain.queue import (
    MAX_SEQ,
    QueueFull,
    board,
    call_order,
    clashes,
    desk_blocks,
    desk_compounds,
    desk_seqs,
    desk_session,
    next_seq,
    queue_at,
    ticket_compounds,
    ticket_number,
    transfer_letter,
    visit_compounds,
    visits_at,
    worked_in,
)
from tui.domain.records import ServiceSession, Ticket, Visit, iso
from tui.domain.sessions import close_session, open_session
from tui.domain.validate import validate

CST = timezone(timedelta(hours=8))
T0 = datetime(2026, 11, 27, 14, 0, tzinfo=CST)
DAY = "2026-11-27"


def numbered(
    letter: str, seq: int, *, device: str = "", minute: int = 0, visit: str = ""
) -> Ticket:
    return Ticket(
        day=DAY,
        number=ticket_number(letter, seq),
        letter=letter,
        seq=seq,
        visit=visit,
        issued_at=iso(T0 + timedelta(minutes=minute)),
        issued_on=device,
    )


def issue(queue: list[Ticket], letter: str, desk: int, desks: int, device: str) -> Ticket:
    """What save_intake does on one laptop: the next number of the desk, among
    the tickets this laptop's folder holds."""
    seq = next_seq(queue, letter, desk=desk, desks=desks)
    ticket = numbered(letter, seq, device=device, minute=len(queue))
    queue.append(ticket)
    return ticket


# -- the numbers ------------------------------------------------------------------


def test_a_desk_alone_numbers_as_before() -> None:
    """A session of one desk: 1, 2, 3 ... 999 per letter, the next after the
    highest given, the existing folders' and the sample's numbers go on."""
    day = [numbered("D", 1), numbered("A", 4)]
    assert next_seq(day, "D") == 2 and next_seq(day, "B") == 1 and next_seq(day, "A") == 5
    assert desk_seqs(1, 1) == list(range(1, MAX_SEQ + 1))
    assert next_seq([numbered("A", 99)], "A") == 100
    with pytest.raises(QueueFull) as full:
        next_seq([numbered("A", MAX_SEQ)], "A")
    assert full.value.code == "queue.full" and full.value.params == {"letter": "A"}


def test_each_desk_numbers_from_its_own_hundreds() -> None:
    """Desk 1 A001-A099, desk 2 A100-A199, desk 3 A200-A299: the number says
    which desk gave it, and stays a letter and three digits (F3 and the
    display's large digits)."""
    assert next_seq([], "A", desk=1, desks=3) == 1
    assert next_seq([], "A", desk=2, desks=3) == 100
    assert next_seq([], "A", desk=3, desks=3) == 200
    assert ticket_number("A", 100) == "A100"
    # A full block goes on in the blocks no desk of the session starts in:
    # desk 1 of 2 in the 200s, 400s ...; desk 2 of 2 in the 300s, 500s ...
    assert list(desk_blocks(1, 2)) == [0, 2, 4, 6, 8]
    assert list(desk_blocks(2, 2)) == [1, 3, 5, 7, 9]
    assert next_seq([numbered("A", 99)], "A", desk=1, desks=2) == 200
    assert next_seq([numbered("A", 199)], "A", desk=2, desks=2) == 300
    # The next after the highest reached: a gap is never filled, so numbers
    # only grow, and another desk's numbers do not move this desk on.
    day = [numbered("A", 5), numbered("A", 150), numbered("A", 230)]
    assert next_seq(day, "A", desk=1, desks=2) == 231
    assert next_seq(day, "A", desk=2, desks=2) == 151
    # A desk past 10 (--desk 12) numbers in the 900s.
    assert next_seq([], "A", desk=12, desks=9) == 900


def test_a_desk_past_its_last_block_is_full_saying_which_desk() -> None:
    last = desk_seqs(2, 9)[-1]
    assert last == 199
    with pytest.raises(QueueFull) as full:
        next_seq([numbered("B", last)], "B", desk=2, desks=9)
    assert full.value.code == "queue.desk_full"
    assert full.value.params == {"letter": "B", "desk": 2, "count": 100}
    # Desk 1 of 9 goes on in the 900s, which no desk starts in; A000 is never given.
    assert desk_seqs(1, 9) == [*range(1, 100), *range(900, 1000)]


@given(desks=st.integers(1, 9))
def test_the_desks_of_a_session_never_share_a_number(desks: int) -> None:
    numbers = [set(desk_seqs(desk, desks)) for desk in range(1, desks + 1)]
    assert sum(len(n) for n in numbers) == len(set().union(*numbers)) == MAX_SEQ
    assert all(1 <= seq <= MAX_SEQ for n in numbers for seq in n)


@settings(max_examples=60, deadline=None)
@given(
    desks=st.integers(2, 4),
    issued=st.lists(st.tuples(st.booleans(), st.sampled_from("ABD")), max_size=300),
    before=st.integers(0, 120),
)
def test_two_laptops_offline_never_give_the_same_number(
    desks: int, issued: list[tuple[bool, str]], before: int
) -> None:
    """Two laptops at one compound, desks 1 and 2 of the session, each with
    its own copy of the day (they met before: `before` tickets numbered the
    old way, max + 1, are in both), issue in any order and any amount. Put
    together, no number is held twice."""
    shared = [numbered("A", seq, device="old") for seq in range(1, before + 1)]
    laptops = {1: list(shared), 2: list(shared)}
    for second, letter in issued:
        desk = 2 if second else 1
        issue(laptops[desk], letter, desk, desks, f"laptop-{desk}")
    together = shared + laptops[1][before:] + laptops[2][before:]
    assert len({t.number for t in together}) == len(together)
    assert clashes(together, desk=1, device="laptop-1").numbers == ()


def test_a_transfer_is_numbered_by_the_laptop_moving_it() -> None:
    waiting = numbered("A", 3, device="laptop-a")
    moved = transfer_letter(waiting, "D", 101, now=T0, by="x", device="laptop-b")
    assert (moved.number, moved.seq, moved.issued_on) == ("D101", 101, "laptop-b")
    assert moved.history[-1]["from"] == "A003" and moved.history[-1]["to"] == "D101"
    assert transfer_letter(waiting, "D", 1, now=T0, by="x").issued_on == "laptop-a"


def test_the_issuing_laptop_is_stored_only_when_known() -> None:
    """Documents from before `issued_on` load, and are written back as they were."""
    old = numbered("A", 1).to_dict()
    assert "issued_on" not in old
    assert Ticket.from_dict(old).issued_on == ""
    new = numbered("A", 1, device="laptop-a")
    assert new.to_dict()["issued_on"] == "laptop-a"
    assert Ticket.from_dict(new.to_dict()) == new
    assert validate(new) == new


# -- one compound, one queue ----------------------------------------------------------


def session(compound: str, minute: int = 0) -> ServiceSession:
    return open_session(DAY, compound, [], 2, now=T0 + timedelta(minutes=minute))


def day_at_two_compounds() -> tuple[list[Ticket], list[Visit], list[ServiceSession]]:
    """Laptops 1 and 2 at compound c1 (each opened its own session, not yet
    merged into one), laptop 3 at c2, all in one day file after an import."""
    here_1, here_2, there = session("c1"), session("c1", 5), session("c2", 2)
    tickets, visits = [], []
    for n, (s, device, seq) in enumerate(
        [(here_1, "l1", 1), (here_2, "l2", 100), (there, "l3", 1), (there, "l3", 2)]
    ):
        visit = Visit(day=DAY, session=s.id, name=f"v{n}")
        ticket = numbered("A", seq, device=device, minute=n, visit=visit.id)
        tickets.append(ticket)
        visits.append(Visit(day=DAY, session=s.id, name=f"v{n}", id=visit.id, ticket=ticket.id))
    return tickets, visits, [here_1, here_2, there]


def test_a_compound_queue_holds_its_own_tickets_from_every_laptop() -> None:
    tickets, visits, sessions = day_at_two_compounds()
    here = queue_at(tickets, visits, sessions, "c1")
    assert [(t.number, t.issued_on) for t in here] == [("A001", "l1"), ("A100", "l2")]
    there = queue_at(tickets, visits, sessions, "c2")
    assert [t.number for t in there] == ["A001", "A002"]
    # The next number, the call order and the board see only their queue.
    assert next_seq(here, "A", desk=1, desks=2) == 2
    assert [t.number for t in call_order(here)] == ["A001", "A100"]
    assert [e.number for e in board(here).next_up] == ["A001", "A100"]
    # Two A001 in the day, at two compounds: no clash in either queue.
    assert not clashes(here, desk=1, device="l1") and not clashes(there, desk=1, device="l3")
    # No session that day: every ticket.
    assert queue_at(tickets, visits, sessions, "") == tickets


def test_a_ticket_whose_compound_is_not_known_stays_in_the_queue() -> None:
    """An older folder's visit without a session, a session merged into
    another, a ticket whose visit is missing: kept, never hidden."""
    tickets, visits, sessions = day_at_two_compounds()
    loose = numbered("B", 1, visit="gone")
    merged_away = Visit(day=DAY, session="folded-session", name="x")
    folded = numbered("B", 2, visit=merged_away.id)
    every = [*tickets, loose, folded]
    places = ticket_compounds(every, [*visits, merged_away], sessions)
    assert places[loose.id] == places[folded.id] == ""
    here = queue_at(every, [*visits, merged_away], sessions, "c1")
    assert [t.number for t in here] == ["A001", "A100", "B001", "B002"]
    # Found from the visit's side too (visit.ticket) when the ticket lost its link.
    other = numbered("C", 1)
    linked = Visit(day=DAY, session=sessions[2].id, name="y", ticket=other.id)
    assert queue_at([other], [linked], sessions, "c1") == []
    assert queue_at([other], [linked], sessions, "c2") == [other]


def test_the_desk_session_is_the_open_one_latest_opened() -> None:
    early, late = session("c1"), session("c2", 30)
    assert desk_session([early, late]) == late
    closed = close_session(late, 0, now=T0 + timedelta(hours=3))
    assert desk_session([early, closed]) == early
    assert desk_session([close_session(early, 0, now=T0), closed]) == closed
    assert desk_session([]) is None


def written(session: ServiceSession, device: str) -> ServiceSession:
    """The session as a laptop's save stamps it."""
    return dataclasses.replace(session, device=device, updated_at=session.opened_at)


def test_the_desk_session_is_the_one_this_laptop_opened_or_worked_in() -> None:
    """Team l3's session at c2, opened later and merged in, is never laptop
    l1's; l2, which opened none, joins the one at its compound it worked in."""
    ours, theirs = written(session("c1"), "l1"), written(session("c2", 30), "l3")
    day = [ours, theirs]
    assert desk_session(day) == theirs  # the rule without a device: the latest opened
    assert desk_session(day, device="l1") == ours
    assert desk_session(day, device="l3") == theirs
    assert desk_session(day, device="l9") == theirs  # worked in none: as before
    # l2 issued a ticket in l1's session (a visit of l1's, numbered on l2).
    visit = Visit(day=DAY, session=ours.id, name="v")
    ticket = numbered("A", 100, device="l2", visit=visit.id)
    assert worked_in(day, [visit], [ticket], "l2") == {ours.id: ticket.issued_at}
    assert desk_session(day, device="l2", visits=[visit], tickets=[ticket]) == ours
    # A visit written on l2 counts too, from the visit's side of the link.
    moved = Visit(day=DAY, session=ours.id, name="w", device="l2", updated_at=iso(T0))
    assert desk_session(day, device="l2", visits=[moved]) == ours
    # l1's closed: its desk's session is still its own, not l3's open one.
    done = close_session(ours, 0, now=T0 + timedelta(hours=1))
    assert desk_session([written(done, "l1"), theirs], device="l1").id == ours.id  # type: ignore[union-attr]


def test_the_desk_session_at_its_compound_is_the_open_one_worked_in_last() -> None:
    """Two sessions at c1 not yet folded into one: the open one l1 worked in
    last, the other laptop's when l1's own is closed; never c2's."""
    mine = written(close_session(session("c1"), 0, now=T0), "l1")
    colleague = written(session("c1", 5), "l2")
    other = written(session("c2", 40), "l3")
    assert desk_session([mine, colleague, other], device="l1") == colleague
    assert (
        desk_session([written(session("c1"), "l1"), colleague, other], device="l1").device == "l1"
    )  # type: ignore[union-attr]


def test_the_compounds_a_desk_worked_at() -> None:
    """A team that moved on to a second compound that day worked at both;
    a laptop that worked nowhere: its desk session's compound."""
    morning = written(close_session(session("c1"), 0, now=T0), "l1")
    afternoon = written(session("c3", 120), "l1")
    other = written(session("c2", 30), "l3")
    day = [morning, afternoon, other]
    assert desk_compounds(day, device="l1") == {"c1", "c3"}
    assert desk_compounds(day, device="l3") == {"c2"}
    assert desk_compounds(day, device="l9") == {"c3"}  # the open one latest opened
    assert desk_compounds([], device="l1") == set()


def test_visits_at_a_compound() -> None:
    tickets, visits, sessions = day_at_two_compounds()
    loose = Visit(day=DAY, session="", name="before the session")
    every = [*visits, loose]
    assert visit_compounds(every, sessions)[loose.id] == ""
    assert [v.name for v in visits_at(every, sessions, "c1")] == ["v0", "v1", loose.name]
    assert [v.name for v in visits_at(every, sessions, "c2")] == ["v2", "v3", loose.name]
    assert visits_at(every, sessions, "") == every


# -- the same number twice --------------------------------------------------------------


def test_a_number_held_twice_and_another_laptop_at_the_same_desk_are_found() -> None:
    """Two laptops both set to desk 1: both give out A001 ... The laptop sees
    the other's tickets in its own block, before a number is held twice."""
    mine = [numbered("A", 1, device="l1"), numbered("A", 2, device="l1")]
    theirs = numbered("A", 3, device="l2")
    early = clashes([*mine, theirs], desk=1, device="l1")
    assert early.numbers == () and early.devices == ("l2",)
    assert bool(early)
    twice = clashes([*mine, numbered("A", 2, device="l2")], desk=1, device="l1")
    assert twice.numbers == ("A002",) and twice.devices == ("l2",)
    # Another laptop at desk 2, a ticket of this laptop moved by another
    # process of it, and numbers given before blocks: nothing to warn of.
    fine = [*mine, numbered("A", 100, device="l2"), numbered("B", 7, device="")]
    assert not clashes(fine, desk=1, device="l1")
    # Another laptop's numbers of this desk's block past one of this laptop's:
    # both number as desk 2.
    assert clashes([numbered("A", 100, device="l1")], desk=2, device="l2").devices == ()
    both = [numbered("A", 100, device="l2"), numbered("A", 101, device="l1")]
    assert clashes(both, desk=2, device="l2").devices == ("l1",)
    # A folder carried over from a laptop that broke down: its numbers come
    # before this laptop's, which goes on after them. Not a clash.
    carried = [numbered("D", n, device="broken") for n in (1, 2, 3)]
    assert not clashes([*carried, numbered("D", 4, device="l1")], desk=1, device="l1")
    # Old numbers held twice (both laptops numbered before blocks) are found too.
    assert clashes([numbered("A", 1), numbered("A", 1)], desk=1, device="l1").numbers == ("A001",)


def test_random_days_of_three_laptops_keep_their_queues_apart() -> None:
    """Laptops at c1 (desks 1 and 2) and at c2 (desk 1), random intakes: each
    compound's queue, put together from every laptop's tickets, holds every
    one of its tickets once, and none of the other compound's."""
    rng = random.Random(15)
    here_1, here_2, there = session("c1"), session("c1", 1), session("c2", 2)
    plan = [(here_1, 1, "l1"), (here_2, 2, "l2"), (there, 1, "l3")]
    held: dict[str, list[Ticket]] = {"l1": [], "l2": [], "l3": []}
    visits: list[Visit] = []
    for minute in range(200):
        s, desk, device = rng.choice(plan)
        letter = rng.choice("ABCDEF")
        seq = next_seq(held[device], letter, desk=desk, desks=2)
        visit = Visit(day=DAY, session=s.id, name="x")
        ticket = numbered(letter, seq, device=device, minute=minute, visit=visit.id)
        held[device].append(ticket)
        visits.append(visit)
    everything = [t for device in held for t in held[device]]
    sessions = [here_1, here_2, there]
    c1 = queue_at(everything, visits, sessions, "c1")
    assert {t.id for t in c1} == {t.id for t in held["l1"] + held["l2"]}
    assert len({t.number for t in c1}) == len(c1)
    assert not clashes(c1, desk=1, device="l1") and not clashes(c1, desk=2, device="l2")

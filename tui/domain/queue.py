"""The on-site queue: ticket numbers, the state machine, the fair call order,
wait estimates and the day's figures.

States: waiting → called (to desk N) → serving → done (done also straight
from called: the resident was already at the desk). Also: a called ticket
can be recalled up to RECALL_LIMIT times, then marked no-show; called,
serving and no-show tickets can go back to the queue (keeping their place:
order is by issue time); waiting or called tickets can be cancelled, and a
cancelled ticket restored to the queue, at its place, on its own day;
a waiting ticket can move to another letter (new number), a called or
serving one to another desk.

One desk, one resident: a desk with a ticket called or being served is not
given a second one, neither by a call (unless told what becomes of the
ticket there: done or back to the queue) nor by a transfer from another desk.

Fair priority: priority tickets (aged 80+, mobility-impaired, or marked at
intake) are called first, but never more than MAX_PRIORITY_RUN priority calls
in a row while others wait; then the longest-waiting other ticket is called.

Numbers across laptops (docs/QUEUE.md): each desk numbers from its own block
of a hundred per letter (desk 1 A001-A099, desk 2 A100-A199, ...), so
laptops that never met do not give out the same number; a full block goes on
in the blocks no desk of the session starts in. One compound's tickets are
one queue, whichever laptop issued them; another compound's, held in the same
day file after a merge, are another queue.
"""

from __future__ import annotations

import dataclasses
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from tui.domain.errors import CodedError
from tui.domain.records import ServiceSession, Ticket, Visit, iso
from tui.domain.states import QueueAction, SessionStatus, TicketStatus

MAX_SEQ = 999  # three digits: what the display's large Digits can show
BLOCK = 100  # a desk's numbers per letter: one hundreds digit (desk 2: A100-A199)
RECALL_LIMIT = 2
MAX_PRIORITY_RUN = 2
ACTIVE = (TicketStatus.CALLED, TicketStatus.SERVING)
FINAL = (TicketStatus.DONE, TicketStatus.NO_SHOW, TicketStatus.CANCELLED)

# action -> (states it may start from, state it ends in)
TRANSITIONS: dict[QueueAction, tuple[tuple[TicketStatus, ...], TicketStatus]] = {
    QueueAction.CALL: ((TicketStatus.WAITING,), TicketStatus.CALLED),
    QueueAction.RECALL: ((TicketStatus.CALLED,), TicketStatus.CALLED),
    QueueAction.SERVE: ((TicketStatus.CALLED,), TicketStatus.SERVING),
    QueueAction.DONE: ((TicketStatus.CALLED, TicketStatus.SERVING), TicketStatus.DONE),
    QueueAction.NO_SHOW: ((TicketStatus.CALLED,), TicketStatus.NO_SHOW),
    QueueAction.REQUEUE: (
        (TicketStatus.CALLED, TicketStatus.SERVING, TicketStatus.NO_SHOW),
        TicketStatus.WAITING,
    ),
    QueueAction.CANCEL: ((TicketStatus.WAITING, TicketStatus.CALLED), TicketStatus.CANCELLED),
    QueueAction.TO_DESK: ((TicketStatus.CALLED, TicketStatus.SERVING), TicketStatus.CALLED),
    QueueAction.RESTORE: ((TicketStatus.CANCELLED,), TicketStatus.WAITING),
}
# What a ticket in each state is waiting for: the step a refusal points to.
NEXT_STEP: dict[TicketStatus, QueueAction | Literal[""]] = {
    TicketStatus.WAITING: QueueAction.CALL,
    TicketStatus.CALLED: QueueAction.SERVE,
    TicketStatus.SERVING: QueueAction.DONE,
    TicketStatus.NO_SHOW: QueueAction.REQUEUE,
    TicketStatus.CANCELLED: QueueAction.RESTORE,
    TicketStatus.DONE: "",
}
# What may become of the ticket at a desk when the desk calls the next one.
SETTLE = (QueueAction.DONE, QueueAction.REQUEUE)


class QueueError(CodedError, ValueError):
    """An action the queue refuses; `code` and `params` make the message."""


class QueueFull(QueueError):
    """The desk has given out every number it may of a letter today."""

    def __init__(self, letter: str, desk: int = 1, count: int = MAX_SEQ) -> None:
        if count >= MAX_SEQ:  # a desk alone in its session: the letter is full
            super().__init__("queue.full", letter=letter)
        else:
            super().__init__("queue.desk_full", letter=letter, desk=desk, count=count)


def desk_blocks(desk: int, desks: int = 1) -> range:
    """The hundreds desk `desk` numbers from, in order: its own (desk - 1: desk
    1 the 0s, desk 2 the 100s), then every D-th one after it, where D is the
    session's number of desks (at least `desk`). Desks 1..D of a session so
    never share a block, however many numbers each gives out."""
    blocks = (MAX_SEQ + 1) // BLOCK
    desk = min(max(desk, 1), blocks)  # a desk past 10 (--desk 12) shares the 900s
    return range(desk - 1, blocks, max(desks, desk))


def desk_seqs(desk: int, desks: int = 1) -> list[int]:
    """Every number desk `desk` may give out of a letter in a day, in order."""
    return [
        seq
        for block in desk_blocks(desk, desks)
        for seq in range(max(block * BLOCK, 1), block * BLOCK + BLOCK)
    ]


def next_seq(tickets: Iterable[Ticket], letter: str, *, desk: int = 1, desks: int = 1) -> int:
    """The next number of `letter` at `desk` (of a session of `desks` desks):
    the one after the last this desk's numbers reached among `tickets` (the
    queue's). Never one given out before, also by another desk of the same
    data folder; a desk alone in its session numbers 1, 2, 3 ... 999 as
    before. QueueFull past the desk's last number."""
    seqs = desk_seqs(desk, desks)
    place = {seq: index for index, seq in enumerate(seqs)}
    reached = max(
        (place[t.seq] for t in tickets if t.letter == letter and t.seq in place), default=-1
    )
    if reached + 1 >= len(seqs):
        raise QueueFull(letter, desk, len(seqs))
    return seqs[reached + 1]


def ticket_number(letter: str, seq: int) -> str:
    return f"{letter}{seq:03d}"


def is_priority(flags: Iterable[str]) -> bool:
    """Aged 80+, mobility-impaired, or marked priority at intake."""
    return bool({"aged80", "mobility", "priority"} & set(flags))


def apply(
    ticket: Ticket, action: QueueAction | str, *, now: datetime, by: str, desk: int = 0
) -> Ticket:
    """The ticket after `action` (a QueueAction, or the string a desk chose),
    or QueueError if the action is unknown or not allowed now."""
    if action not in TRANSITIONS:
        raise QueueError("queue.unknown_action", action=action)
    action = QueueAction(action)
    sources, target = TRANSITIONS[action]
    if ticket.status not in sources:
        raise refusal(ticket, action)
    moment = iso(now)
    changes: dict[str, Any] = {"status": target}
    if action == QueueAction.CALL:
        if desk < 1:
            raise QueueError("queue.no_desk")
        changes.update(desk=desk, called_at=moment, recalls=0)
    elif action == QueueAction.RECALL:
        if ticket.recalls >= RECALL_LIMIT:
            raise QueueError("queue.recall_limit", number=ticket.number, limit=RECALL_LIMIT)
        changes.update(recalls=ticket.recalls + 1, called_at=moment)
    elif action == QueueAction.NO_SHOW and ticket.recalls < RECALL_LIMIT:
        raise QueueError("queue.recall_first", number=ticket.number, limit=RECALL_LIMIT)
    elif action == QueueAction.SERVE:
        changes.update(serving_at=moment)
    elif action == QueueAction.DONE:
        # Done straight from called: served from the call on (service time counts).
        changes.update(done_at=moment, serving_at=ticket.serving_at or ticket.called_at)
    elif action == QueueAction.REQUEUE:
        changes.update(desk=0, recalls=0)
    elif action == QueueAction.RESTORE:
        if ticket.day and ticket.day != now.date().isoformat():
            raise QueueError("queue.restore_day_over", number=ticket.number, day=ticket.day)
        changes.update(desk=0, recalls=0)
    elif action == QueueAction.TO_DESK:
        if desk < 1 or desk == ticket.desk:
            raise QueueError("queue.same_desk", number=ticket.number, desk=desk)
        changes.update(desk=desk, called_at=moment, recalls=0)
    entry = {
        "at": moment,
        "status": target,
        "desk": changes.get("desk", ticket.desk),
        "by": by,
        "action": action,
    }
    return dataclasses.replace(ticket, history=[*ticket.history, entry], **changes)


def refusal(ticket: Ticket, action: QueueAction) -> QueueError:
    """`action` is not possible in the ticket's state: the error names both, the
    desk the ticket is at, and the step its state is waiting for instead."""
    return QueueError(
        "queue.illegal",
        number=ticket.number,
        action=action,
        status=ticket.status,
        desk=ticket.desk,
        next=NEXT_STEP.get(ticket.status, ""),
    )


def at_desk(tickets: Iterable[Ticket], desk: int) -> Ticket | None:
    """The ticket called to or being served at `desk` (the latest, if several)."""
    here = [t for t in tickets if t.desk == desk and t.status in ACTIVE]
    return max(here, key=lambda t: t.called_at) if here else None


def _busy(code: str, ticket: Ticket, desk: int) -> QueueError:
    return QueueError(code, desk=desk, number=ticket.number, status=ticket.status)


def call_next(
    tickets: Sequence[Ticket],
    desk: int,
    *,
    now: datetime,
    by: str,
    settle: tuple[str, QueueAction | str] | None = None,
) -> list[Ticket]:
    """Call the next ticket (fair order) to `desk`. Returns the changed tickets:
    the one that was at the desk, if `settle` finished it or sent it back, then
    the one called; none is called when no one (else) waits.

    A desk with a ticket called or being served is not given a second one:
    refused (queue.desk_busy) unless `settle` is (that ticket's id, "done" or
    "requeue"). A ticket sent back is not the one called next."""
    if desk < 1:
        raise QueueError("queue.no_desk")
    changed: list[Ticket] = []
    skip = ""
    here = at_desk(tickets, desk)
    if here is not None:
        if settle is None or settle[0] != here.id or settle[1] not in SETTLE:
            raise _busy("queue.desk_busy", here, desk)
        settled = apply(here, settle[1], now=now, by=by, desk=desk)
        changed.append(settled)
        tickets = [settled if t.id == here.id else t for t in tickets]
        skip = settled.id
        still = at_desk(tickets, desk)
        if still is not None:
            raise _busy("queue.desk_busy", still, desk)
    order = [t for t in call_order(tickets) if t.id != skip]
    if order:
        changed.append(apply(order[0], QueueAction.CALL, now=now, by=by, desk=desk))
    return changed


def send_to_desk(
    tickets: Sequence[Ticket], ticket: Ticket, desk: int, *, now: datetime, by: str
) -> Ticket:
    """The called or serving ticket sent to another desk; refused
    (queue.desk_taken) when that desk has a ticket called or being served."""
    if ticket.status in TRANSITIONS[QueueAction.TO_DESK][0] and 1 <= desk != ticket.desk:
        busy = at_desk((t for t in tickets if t.id != ticket.id), desk)
        if busy is not None:
            raise _busy("queue.desk_taken", busy, desk)
    return apply(ticket, QueueAction.TO_DESK, now=now, by=by, desk=desk)


def check_issue(session: ServiceSession | None, day: str) -> None:
    """A ticket is issued only in an open session of its day (`session`: the
    one the visit belongs to, None when it belongs to none)."""
    if session is None or session.status != SessionStatus.OPEN or session.day != day:
        raise QueueError("queue.no_session")


def transfer_letter(
    ticket: Ticket, letter: str, seq: int, *, now: datetime, by: str, device: str = ""
) -> Ticket:
    """A waiting ticket moved to another letter's line: a new number, same place
    in time, given by `device` (the laptop moving it: `issued_on`)."""
    if ticket.status != TicketStatus.WAITING:
        raise refusal(ticket, QueueAction.TRANSFER)
    if letter == ticket.letter:
        raise QueueError("queue.same_letter", number=ticket.number)
    number = ticket_number(letter, seq)
    entry = {
        "at": iso(now),
        "status": TicketStatus.WAITING,
        "desk": 0,
        "by": by,
        "action": QueueAction.TRANSFER,
        "from": ticket.number,
        "to": number,
    }
    return dataclasses.replace(
        ticket,
        letter=letter,
        seq=seq,
        number=number,
        history=[*ticket.history, entry],
        issued_on=device or ticket.issued_on,
    )


def toggle_priority(ticket: Ticket, *, now: datetime, by: str) -> Ticket:
    if ticket.status != TicketStatus.WAITING:
        raise refusal(ticket, QueueAction.PRIORITY)
    entry = {
        "at": iso(now),
        "status": TicketStatus.WAITING,
        "desk": 0,
        "by": by,
        "action": QueueAction.PRIORITY_OFF if ticket.priority else QueueAction.PRIORITY_ON,
    }
    return dataclasses.replace(
        ticket, priority=not ticket.priority, history=[*ticket.history, entry]
    )


# -- one compound's queue --------------------------------------------------------


def desk_session(
    sessions: Iterable[ServiceSession],
    *,
    device: str = "",
    visits: Iterable[Visit] = (),
    tickets: Iterable[Ticket] = (),
) -> ServiceSession | None:
    """The session a desk works in on a day (as the repository's
    open_session, so F3 shows the queue the intake issues into).

    With `device` (this laptop) and the day's `visits` and `tickets`: once
    this laptop has opened or worked in a session that day (worked_in), the
    sessions at the compounds it worked at are its desk's, another team's at
    another compound never: of those, the open one it worked in last (a
    session there from another laptop, not yet merged into one, after its
    own), else, all of them closed, the one it worked in last. A laptop that
    worked in none that day (a second laptop joining the session its
    colleague opened at their compound): as without `device`.

    Without: the open one (the latest opened, the first of those opened at
    once), else the latest opened."""
    found = list(sessions)
    if device and found:
        worked = worked_in(found, visits, tickets, device)
        if worked:
            here = {s.compound for s in found if s.id in worked}
            mine = [s for s in found if s.compound in here]
            live = [s for s in mine if s.status == SessionStatus.OPEN] or mine
            return max(live, key=lambda s: (worked.get(s.id, ""), s.opened_at))
    live = [s for s in found if s.status == SessionStatus.OPEN] or found
    return max(live, key=lambda s: s.opened_at) if live else None


def desk_compounds(
    sessions: Iterable[ServiceSession],
    *,
    device: str,
    visits: Iterable[Visit] = (),
    tickets: Iterable[Ticket] = (),
) -> set[str]:
    """The compounds a desk worked at on a day: those of the sessions laptop
    `device` opened or worked in (worked_in; a team may move on to a second
    compound), else its desk_session's. The day's sessions elsewhere are
    another team's, merged in from its laptop."""
    found, visits = list(sessions), list(visits)
    worked = worked_in(found, visits, tickets, device)
    if worked:
        return {s.compound for s in found if s.id in worked}
    desk = desk_session(found)
    return {desk.compound} if desk is not None else set()


def worked_in(
    sessions: Iterable[ServiceSession],
    visits: Iterable[Visit],
    tickets: Iterable[Ticket],
    device: str,
) -> dict[str, str]:
    """Session id -> the last moment laptop `device` worked in it that day:
    the session written there (opened, reopened, closed: its `device` is the
    laptop that last wrote it), a visit of it written there, a ticket of it
    numbered (`issued_on`) or last moved there. Sessions it never touched are
    left out; so are records of a session not among `sessions`."""
    known = {s.id for s in sessions}
    moments: dict[str, str] = {}

    def note(session_id: str, moment: str) -> None:
        if session_id in known and moment > moments.get(session_id, ""):
            moments[session_id] = moment

    for s in sessions:
        if s.device == device:
            note(s.id, s.updated_at or s.opened_at)
    visits = list(visits)
    for v in visits:
        if v.device == device:
            note(v.session, v.updated_at or v.created_at)
    by_visit = {v.id: v.session for v in visits}
    by_ticket = {v.ticket: v.session for v in visits if v.ticket}
    for t in tickets:
        session_id = by_visit.get(t.visit) or by_ticket.get(t.id, "")
        if t.issued_on == device:
            note(session_id, t.issued_at)
        if t.device == device:
            note(session_id, t.updated_at)
    return moments


def ticket_compounds(
    tickets: Iterable[Ticket], visits: Iterable[Visit], sessions: Iterable[ServiceSession]
) -> dict[str, str]:
    """Ticket id -> the compound of its visit's session, "" when not known (a
    folder from before sessions, a session merged into another)."""
    where = {s.id: s.compound for s in sessions}
    visits = list(visits)
    by_visit = {v.id: v.session for v in visits}
    by_ticket = {v.ticket: v.session for v in visits if v.ticket}
    return {t.id: where.get(by_visit.get(t.visit) or by_ticket.get(t.id, ""), "") for t in tickets}


def queue_at(
    tickets: Iterable[Ticket],
    visits: Iterable[Visit],
    sessions: Iterable[ServiceSession],
    compound: str,
) -> list[Ticket]:
    """The tickets of `compound`'s queue on a day: those whose visit belongs
    to a session there. Tickets of one compound are one queue, whichever
    laptop issued them and whichever of two sessions there (not yet merged
    into one) holds their visits; another compound's, in the same day file
    after laptops' folders were merged, are not in it. A ticket whose
    compound is not known is kept: better a number too many on the list than
    a resident left out. `compound` "" (no session that day): every ticket."""
    tickets = list(tickets)
    if not compound:
        return tickets
    places = ticket_compounds(tickets, visits, sessions)
    return [t for t in tickets if places[t.id] in ("", compound)]


def visit_compounds(visits: Iterable[Visit], sessions: Iterable[ServiceSession]) -> dict[str, str]:
    """Visit id -> the compound of its session (where the desk sat, not where
    the resident lives), "" when not known (saved before a session was open,
    a session not among `sessions`)."""
    where = {s.id: s.compound for s in sessions}
    return {v.id: where.get(v.session, "") for v in visits}


def visits_at(
    visits: Iterable[Visit], sessions: Iterable[ServiceSession], compound: str
) -> list[Visit]:
    """The visits of `compound`'s sessions on a day, as queue_at has its
    tickets: another team's at another compound, in the same day file after
    laptops' folders were merged, are left out; a visit whose session is not
    known is kept. `compound` "": every visit."""
    visits = list(visits)
    if not compound:
        return visits
    places = visit_compounds(visits, sessions)
    return [v for v in visits if places[v.id] in ("", compound)]


@dataclass(frozen=True)
class Clashes:
    """What F3 warns of: the same number given out on two laptops."""

    numbers: tuple[str, ...] = ()  # held by two or more tickets of the queue
    devices: tuple[str, ...] = ()  # other laptops numbering in this desk's own block

    def __bool__(self) -> bool:
        return bool(self.numbers or self.devices)


def clashes(tickets: Iterable[Ticket], *, desk: int, device: str) -> Clashes:
    """Numbers held twice in one queue (two laptops set to the same desk, or
    numbered before blocks), and the other laptops (`issued_on`) numbering
    in this desk's own block alongside this laptop: a number of theirs at or
    past one this laptop (`device`) gave of the same letter. Set to the same
    desk, they will clash, even before a number is held twice. Numbers given
    before this laptop's first (a folder carried over from a laptop that
    broke down) are no sign of that."""
    tickets = list(tickets)
    seen: dict[str, int] = {}
    for ticket in tickets:
        seen[ticket.number] = seen.get(ticket.number, 0) + 1
    block = desk_blocks(desk)[0]
    own = range(max(block * BLOCK, 1), block * BLOCK + BLOCK)
    first: dict[str, int] = {}  # letter -> this laptop's lowest number in its own block
    for t in tickets:
        if t.issued_on == device and t.seq in own:
            first[t.letter] = min(first.get(t.letter, t.seq), t.seq)
    others = {
        t.issued_on
        for t in tickets
        if t.issued_on not in ("", device)
        and t.seq in own
        and t.seq >= first.get(t.letter, BLOCK * 10)
    }
    return Clashes(
        numbers=tuple(sorted(n for n, count in seen.items() if count > 1 and n)),
        devices=tuple(sorted(others)),
    )


# -- call order -----------------------------------------------------------------


def _arrival(ticket: Ticket) -> tuple[str, str, int]:
    return (ticket.issued_at, ticket.letter, ticket.seq)


def priority_run(tickets: Iterable[Ticket]) -> int:
    """How many of the latest calls in a row went to priority tickets."""
    calls = sorted((t for t in tickets if t.called_at), key=lambda t: t.called_at, reverse=True)
    run = 0
    for ticket in calls:
        if not ticket.priority:
            break
        run += 1
    return run


def call_order(tickets: Sequence[Ticket]) -> list[Ticket]:
    """The waiting tickets in the order they will be called, from today's calls so far."""
    waiting = sorted((t for t in tickets if t.status == TicketStatus.WAITING), key=_arrival)
    priority = [t for t in waiting if t.priority]
    others = [t for t in waiting if not t.priority]
    run = priority_run(tickets)
    order: list[Ticket] = []
    while priority or others:
        if priority and (run < MAX_PRIORITY_RUN or not others):
            order.append(priority.pop(0))
            run += 1
        else:
            order.append(others.pop(0))
            run = 0
    return order


def pick_next(tickets: Sequence[Ticket]) -> Ticket | None:
    order = call_order(tickets)
    return order[0] if order else None


# -- waits and figures ------------------------------------------------------------


def _minutes(start: str, end: str) -> float:
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds() / 60


def median_service(tickets: Iterable[Ticket], letter: str) -> float | None:
    """Today's median minutes from serving to done for a letter, if any were served."""
    times = [
        _minutes(t.serving_at, t.done_at)
        for t in tickets
        if t.letter == letter and t.status == TicketStatus.DONE and t.serving_at and t.done_at
    ]
    return statistics.median(times) if times else None


def estimated_waits(tickets: Sequence[Ticket], desks: int = 1) -> dict[str, float | None]:
    """Minutes each waiting ticket may still wait: the tickets of its letter ahead of it
    times today's median service time for that letter, shared among the desks."""
    medians = {letter: median_service(tickets, letter) for letter in {t.letter for t in tickets}}
    ahead: dict[str, int] = {}
    result: dict[str, float | None] = {}
    for ticket in call_order(tickets):
        position = ahead.get(ticket.letter, 0)
        median = medians.get(ticket.letter)
        result[ticket.id] = None if median is None else position * median / max(desks, 1)
        ahead[ticket.letter] = position + 1
    return result


@dataclass(frozen=True)
class LetterFigures:
    letter: str
    issued: int
    served: int
    no_shows: int
    median_wait: float | None  # minutes from issue to call
    longest_wait: float | None


def day_figures(tickets: Iterable[Ticket]) -> list[LetterFigures]:
    by_letter: dict[str, list[Ticket]] = {}
    for ticket in tickets:
        by_letter.setdefault(ticket.letter, []).append(ticket)
    return [letter_figures(letter, by_letter[letter]) for letter in sorted(by_letter)]


def letter_figures(letter: str, tickets: Iterable[Ticket]) -> LetterFigures:
    """Figures over `tickets`; letter "" for the whole day."""
    group = list(tickets)
    waits = [_minutes(t.issued_at, t.called_at) for t in group if t.called_at and t.issued_at]
    return LetterFigures(
        letter=letter,
        issued=len(group),
        served=sum(t.status == TicketStatus.DONE for t in group),
        no_shows=sum(t.status == TicketStatus.NO_SHOW for t in group),
        median_wait=statistics.median(waits) if waits else None,
        longest_wait=max(waits) if waits else None,
    )


# -- what the resident-facing display may show -------------------------------------


@dataclass(frozen=True)
class BoardEntry:
    number: str
    desk: int = 0
    name: str = ""  # masked (吴**), only when the display was asked to show names


@dataclass(frozen=True)
class Board:
    now_serving: tuple[BoardEntry, ...]  # the ticket at each desk, by desk
    next_up: tuple[BoardEntry, ...]
    recent: tuple[BoardEntry, ...]  # the last called, newest first
    # The number called last, and where: what the display keeps in large
    # digits while every desk is free (not "nothing called yet").
    last_called: BoardEntry | None = None


def mask_name(name: str) -> str:
    """First character and two stars, 吴**, whatever the length: never the
    whole name, nor how long it is."""
    name = name.strip()
    return name[:1] + "**" if name else ""


def board(tickets: Sequence[Ticket], names: dict[str, str] | None = None, size: int = 5) -> Board:
    """Numbers only, unless `names` (visit id -> name) is given: then masked names."""

    def entry(ticket: Ticket) -> BoardEntry:
        name = mask_name(names.get(ticket.visit, "")) if names is not None else ""
        return BoardEntry(ticket.number, ticket.desk, name)

    latest: dict[int, Ticket] = {}  # one number per desk: the latest called there
    for ticket in sorted((t for t in tickets if t.status in ACTIVE), key=lambda t: t.called_at):
        latest[ticket.desk] = ticket
    active = [latest[desk] for desk in sorted(latest)]
    called = sorted((t for t in tickets if t.called_at), key=lambda t: t.called_at, reverse=True)
    return Board(
        now_serving=tuple(entry(t) for t in active),
        next_up=tuple(entry(t) for t in call_order(tickets)[:size]),
        recent=tuple(entry(t) for t in called[:size]),
        last_called=entry(called[0]) if called else None,
    )

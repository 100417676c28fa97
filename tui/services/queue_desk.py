"""Queue operations as one desk performs them. Each reads the day's tickets
fresh inside a transaction, so two desk processes never call the same ticket
and never lose each other's state changes.

The desk's queue is its compound's (queue.queue_at): the compound of the
session this laptop opened or worked in that day (queue.desk_session), as
the intake finds it. After laptops' folders were merged the day may hold
another team's session and tickets at another compound, which this desk
never calls, counts or numbers after, whichever session was opened last."""

from __future__ import annotations

from tui.domain.queue import (
    Clashes,
    QueueError,
    apply,
    at_desk,
    call_next,
    clashes,
    desk_session,
    next_seq,
    queue_at,
    send_to_desk,
    ticket_compounds,
    toggle_priority,
    transfer_letter,
)
from tui.domain.records import ServiceSession, Ticket, Visit
from tui.domain.states import QueueAction, TicketStatus
from tui.repository.interface import Repository


class QueueDesk:
    """One desk's queue on `day` (today unless a review finishes an earlier day)."""

    def __init__(self, repo: Repository, desk: int, day: str = "") -> None:
        self.repo = repo
        self.desk = desk
        self.day = day

    def _day(self) -> str:
        return self.day or self.repo.today()

    def session(self) -> ServiceSession | None:
        """The session this desk works in that day (queue.desk_session): the
        one this laptop opened or worked in, as the intake's open_session."""
        day = self._day()
        return self._desk_session(
            self.repo.sessions(day), self.repo.visits(day), self.repo.tickets(day)
        )

    def _desk_session(
        self, sessions: list[ServiceSession], visits: list[Visit], tickets: list[Ticket]
    ) -> ServiceSession | None:
        return desk_session(sessions, device=self.repo.device, visits=visits, tickets=tickets)

    def tickets(self) -> list[Ticket]:
        """The tickets of this desk's compound's queue that day."""
        day = self._day()
        sessions, visits = self.repo.sessions(day), self.repo.visits(day)
        everything = self.repo.tickets(day)
        session = self._desk_session(sessions, visits, everything)
        return queue_at(everything, visits, sessions, session.compound if session else "")

    def _current(self, ticket_id: str) -> tuple[Ticket, list[Ticket]]:
        """The ticket as stored now, and the queue it is in: its own compound's
        (a review may finish a ticket of another session that day)."""
        day = self._day()
        everything = self.repo.tickets(day)
        found = [t for t in everything if t.id == ticket_id]
        if not found:
            raise QueueError("queue.no_ticket")
        visits, sessions = self.repo.visits(day), self.repo.sessions(day)
        compound = ticket_compounds(found, visits, sessions)[ticket_id]
        if not compound:
            session = self._desk_session(sessions, visits, everything)
            compound = session.compound if session else ""
        return found[0], queue_at(everything, visits, sessions, compound)

    def call_next(self, settle: tuple[str, str] | None = None) -> Ticket | None:
        """Call the next ticket (fair priority order) to this desk, or None if
        none (else) waits. A ticket still here is refused a successor
        (queue.desk_busy) unless `settle` = (its id, "done" or "requeue"): that
        ticket's change and the call are saved in one write."""
        with self.repo.transaction() as tx:
            tickets = self.tickets()
            changed = call_next(
                tickets, self.desk, now=self.repo.now(), by=self.repo.by, settle=settle
            )
            if not changed:
                return None
            saved = tx.put_all(changed)
        called = saved[-1]
        assert isinstance(called, Ticket)
        return called if called.status == TicketStatus.CALLED and called.desk == self.desk else None

    def act(self, ticket_id: str, action: str, *, desk: int = 0) -> Ticket:
        """recall, serve, done, no_show, requeue, cancel, restore, or to_desk (with desk)."""
        with self.repo.transaction() as tx:
            ticket, tickets = self._current(ticket_id)
            now, by = self.repo.now(), self.repo.by
            if action == QueueAction.TO_DESK:
                moved = send_to_desk(tickets, ticket, desk, now=now, by=by)
            else:
                moved = apply(ticket, action, now=now, by=by, desk=desk or self.desk)
            return tx.put(moved)

    def transfer(self, ticket_id: str, letter: str) -> Ticket:
        """The waiting ticket moved to `letter`'s line, numbered from this desk's block."""
        with self.repo.transaction() as tx:
            ticket, tickets = self._current(ticket_id)
            session = self.session()
            seq = next_seq(tickets, letter, desk=self.desk, desks=session.desks if session else 1)
            moved = transfer_letter(
                ticket, letter, seq, now=self.repo.now(), by=self.repo.by, device=self.repo.device
            )
            return tx.put(moved)

    def toggle_priority(self, ticket_id: str) -> Ticket:
        with self.repo.transaction() as tx:
            ticket, _ = self._current(ticket_id)
            return tx.put(toggle_priority(ticket, now=self.repo.now(), by=self.repo.by))

    def mine(self) -> Ticket | None:
        """The ticket called to or being served at this desk (the latest, if several)."""
        return at_desk(self.tickets(), self.desk)

    def cancelled(self) -> list[Ticket]:
        """The day's cancelled tickets of this queue, the latest cancelled first."""
        gone = [t for t in self.tickets() if t.status == TicketStatus.CANCELLED]
        return sorted(
            gone, key=lambda t: t.history[-1].get("at", "") if t.history else "", reverse=True
        )

    def clashes(self) -> Clashes:
        """Numbers given out twice in this queue, and other laptops giving out
        this desk's own numbers (queue.clashes)."""
        return clashes(self.tickets(), desk=self.desk, device=self.repo.device)

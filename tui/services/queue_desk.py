"""Queue operations as one desk performs them. Each reads the day's tickets
fresh inside a transaction, so two desk processes never call the same ticket
and never lose each other's state changes."""

from __future__ import annotations

from tui.domain.queue import (
    QueueError,
    apply,
    at_desk,
    call_next,
    next_seq,
    send_to_desk,
    toggle_priority,
    transfer_letter,
)
from tui.domain.records import Ticket
from tui.domain.states import QueueAction, TicketStatus
from tui.repository.interface import Repository


class QueueDesk:
    """One desk's queue on `day` (today unless a review finishes an earlier day)."""

    def __init__(self, repo: Repository, desk: int, day: str = "") -> None:
        self.repo = repo
        self.desk = desk
        self.day = day

    def tickets(self) -> list[Ticket]:
        return self.repo.tickets(self.day or self.repo.today())

    def _current(self, ticket_id: str) -> Ticket:
        found = [t for t in self.tickets() if t.id == ticket_id]
        if not found:
            raise QueueError("queue.no_ticket")
        return found[0]

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
            tickets = self.tickets()
            ticket = self._current(ticket_id)
            now, by = self.repo.now(), self.repo.by
            if action == QueueAction.TO_DESK:
                moved = send_to_desk(tickets, ticket, desk, now=now, by=by)
            else:
                moved = apply(ticket, action, now=now, by=by, desk=desk or self.desk)
            return tx.put(moved)

    def transfer(self, ticket_id: str, letter: str) -> Ticket:
        with self.repo.transaction() as tx:
            tickets = self.tickets()
            ticket = self._current(ticket_id)
            moved = transfer_letter(
                ticket, letter, next_seq(tickets, letter), now=self.repo.now(), by=self.repo.by
            )
            return tx.put(moved)

    def toggle_priority(self, ticket_id: str) -> Ticket:
        with self.repo.transaction() as tx:
            ticket = self._current(ticket_id)
            return tx.put(toggle_priority(ticket, now=self.repo.now(), by=self.repo.by))

    def mine(self) -> Ticket | None:
        """The ticket called to or being served at this desk (the latest, if several)."""
        return at_desk(self.tickets(), self.desk)

    def cancelled(self) -> list[Ticket]:
        """The day's cancelled tickets, the latest cancelled first."""
        gone = [t for t in self.tickets() if t.status == TicketStatus.CANCELLED]
        return sorted(
            gone, key=lambda t: t.history[-1].get("at", "") if t.history else "", reverse=True
        )

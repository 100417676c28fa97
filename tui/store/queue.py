"""Queue operations as one desk performs them. Each reads the day's tickets
fresh and writes under the data folder's lock, so two desk processes never
call the same ticket and never lose each other's state changes."""

from __future__ import annotations

from tui.domain.queue import (
    QueueError,
    apply,
    next_seq,
    pick_next,
    toggle_priority,
    transfer_letter,
)
from tui.domain.records import Ticket
from tui.store.repository import Store


class QueueDesk:
    """One desk's queue on `day` (today unless a review finishes an earlier day)."""

    def __init__(self, store: Store, desk: int, day: str = "") -> None:
        self.store = store
        self.desk = desk
        self.day = day

    def tickets(self) -> list[Ticket]:
        return self.store.tickets(self.day or self.store.today())

    def _current(self, ticket_id: str) -> Ticket:
        found = [t for t in self.tickets() if t.id == ticket_id]
        if not found:
            raise QueueError("queue.no_ticket")
        return found[0]

    def call_next(self) -> Ticket | None:
        """Call the next ticket (fair priority order) to this desk, or None if none waits."""
        with self.store.lock:
            ticket = pick_next(self.tickets())
            if ticket is None:
                return None
            return self.store.save(
                apply(ticket, "call", now=self.store.now(), by=self.store.by, desk=self.desk)
            )

    def act(self, ticket_id: str, action: str, *, desk: int = 0) -> Ticket:
        """recall, serve, done, no_show, requeue, cancel, or to_desk (with desk)."""
        with self.store.lock:
            ticket = self._current(ticket_id)
            return self.store.save(
                apply(
                    ticket, action, now=self.store.now(), by=self.store.by, desk=desk or self.desk
                )
            )

    def transfer(self, ticket_id: str, letter: str) -> Ticket:
        with self.store.lock:
            tickets = self.tickets()
            ticket = self._current(ticket_id)
            moved = transfer_letter(
                ticket, letter, next_seq(tickets, letter), now=self.store.now(), by=self.store.by
            )
            return self.store.save(moved)

    def toggle_priority(self, ticket_id: str) -> Ticket:
        with self.store.lock:
            ticket = self._current(ticket_id)
            return self.store.save(toggle_priority(ticket, now=self.store.now(), by=self.store.by))

    def mine(self) -> Ticket | None:
        """The ticket called to or being served at this desk (the latest, if several)."""
        here = [
            t for t in self.tickets() if t.desk == self.desk and t.status in ("called", "serving")
        ]
        return max(here, key=lambda t: t.called_at) if here else None

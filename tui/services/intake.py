"""Saving an intake: the resident (new or changed), the visit and its ticket."""

from __future__ import annotations

import dataclasses

from tui.domain.intake import Intake
from tui.domain.queue import check_issue, next_seq, queue_at, ticket_number
from tui.repository.interface import Repository


def save_intake(repo: Repository, intake: Intake, *, desk: int | None = None) -> Intake:
    """Store what one intake produced, in one transaction. The ticket gets its
    number inside it, so two desks never issue the same one, and only while
    the visit's session is open (QueueError queue.no_session): a desk that
    closed it a moment ago in another process is seen here.

    The number is the next of `desk`'s block (docs/QUEUE.md), among the
    tickets of the session's compound that day: another laptop's desk gives
    out other numbers, and another compound's queue is not counted. `desk`
    None: this laptop's desk setting (`fielddesk config set desk N`), else 1.
    The intake screen gives the desk the app runs as (`--desk N` at start,
    else that setting), so an intake numbers as that desk's F3 calls."""
    visit, ticket, resident = intake.visit, intake.ticket, intake.resident
    with repo.transaction() as tx:
        if resident is not None:
            resident = tx.put(resident)
            if visit.resident != resident.id:
                visit = dataclasses.replace(visit, resident=resident.id)
        if ticket is not None:
            sessions = repo.sessions(visit.day)
            session = next((s for s in sessions if s.id == visit.session), None)
            check_issue(session, visit.day)
            assert session is not None
            queue = queue_at(
                repo.tickets(visit.day), repo.visits(visit.day), sessions, session.compound
            )
            number_desk = desk if desk is not None else _laptop_desk(repo)
            seq = next_seq(queue, ticket.letter, desk=number_desk, desks=session.desks)
            ticket = tx.put(
                dataclasses.replace(
                    ticket,
                    seq=seq,
                    number=ticket_number(ticket.letter, seq),
                    issued_on=repo.device,
                )
            )
        visit = tx.put(visit)
    return Intake(visit=visit, ticket=ticket, resident=resident)


def _laptop_desk(repo: Repository) -> int:
    desk = repo.settings().get("desk", 1)
    return desk if isinstance(desk, int) and desk >= 1 else 1

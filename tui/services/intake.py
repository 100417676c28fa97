"""Saving an intake: the resident (new or changed), the visit and its ticket."""

from __future__ import annotations

import dataclasses

from tui.domain.intake import Intake
from tui.domain.queue import check_issue, next_seq, ticket_number
from tui.repository.interface import Repository


def save_intake(repo: Repository, intake: Intake) -> Intake:
    """Store what one intake produced, in one transaction. The ticket gets its
    number inside it, so two desks never issue the same one, and only while
    the visit's session is open (QueueError queue.no_session): a desk that
    closed it a moment ago in another process is seen here."""
    visit, ticket, resident = intake.visit, intake.ticket, intake.resident
    with repo.transaction() as tx:
        if resident is not None:
            resident = tx.put(resident)
            if visit.resident != resident.id:
                visit = dataclasses.replace(visit, resident=resident.id)
        if ticket is not None:
            session = next((s for s in repo.sessions(visit.day) if s.id == visit.session), None)
            check_issue(session, visit.day)
            seq = next_seq(repo.tickets(visit.day), ticket.letter)
            ticket = tx.put(
                dataclasses.replace(ticket, seq=seq, number=ticket_number(ticket.letter, seq))
            )
        visit = tx.put(visit)
    return Intake(visit=visit, ticket=ticket, resident=resident)

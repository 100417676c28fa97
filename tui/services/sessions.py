"""Opening, closing and reopening the day's session at a compound."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from tui.domain.records import ServiceSession
from tui.domain.sessions import close_session, open_session, reopen_session
from tui.domain.states import SessionStatus
from tui.repository.interface import Repository

AGAIN = "当天再次开场"  # the reopen reason kept when a closed session is opened again


def open_today(
    repo: Repository, compound: str, staff: Sequence[str], desks: int
) -> ServiceSession | None:
    """Open today's session, unless another desk opened one meanwhile (then
    None: there is one session a day, and that one is it). Decided inside
    the transaction, so two desks never open two."""
    with repo.transaction() as tx:
        if repo.open_session() is not None:
            return None
        today = repo.today()
        # One session a compound a day (laptops' copies are folded into one
        # by that rule, docs/MERGE.md): a closed one there today is reopened.
        earlier = [
            s
            for s in repo.sessions(today)
            if s.compound == compound and s.status == SessionStatus.CLOSED
        ]
        if earlier:
            latest = max(earlier, key=lambda s: s.opened_at)
            again = reopen_session(latest, AGAIN, now=repo.now())
            staff = list(dict.fromkeys([*again.staff, *staff]))
            return tx.put(dataclasses.replace(again, staff=staff, desks=max(again.desks, desks)))
        session = open_session(today, compound, staff, desks, now=repo.now())
        return tx.put(session)


def close(repo: Repository, session: ServiceSession, failing: int, reason: str) -> ServiceSession:
    """Close a session; `failing` checklist items need `reason` (SessionError)."""
    return repo.save(close_session(session, failing, now=repo.now(), override=reason))


def reopen(repo: Repository, session: ServiceSession, reason: str) -> ServiceSession:
    return repo.save(reopen_session(session, reason, now=repo.now()))

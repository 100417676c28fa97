"""A session's life: opened at a compound with the staff on duty, closed after
the review (or over its failing checks with a reason), reopened with a reason.
And the requests residents make for the next session at their compound."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import datetime

from tui.domain.errors import CodedError
from tui.domain.records import ServiceSession, SessionRequest, iso
from tui.domain.states import RequestStatus, SessionStatus

MAX_DESKS = 9


class SessionError(CodedError, ValueError):
    """A refusal with a message id (CodedError)."""


def open_session(
    day: str, compound: str, staff: Sequence[str], desks: int, *, now: datetime
) -> ServiceSession:
    if not compound:
        raise SessionError("session.compound_required")
    if not 1 <= desks <= MAX_DESKS:
        raise SessionError("session.desks_range", max=MAX_DESKS)
    return ServiceSession(
        day=day,
        compound=compound,
        staff=list(dict.fromkeys(staff)),
        desks=desks,
        status=SessionStatus.OPEN,
        opened_at=iso(now),
    )


def close_session(
    session: ServiceSession, failing: int, *, now: datetime, override: str = ""
) -> ServiceSession:
    """Closed, if the review's checklist passes or a reason overrides it."""
    if session.status == SessionStatus.CLOSED:
        raise SessionError("session.already_closed")
    reason = override.strip()
    if failing and not reason:
        raise SessionError("session.close_blocked", count=failing)
    return dataclasses.replace(
        session,
        status=SessionStatus.CLOSED,
        closed_at=iso(now),
        close_override=reason if failing else "",
    )


def reopen_session(session: ServiceSession, reason: str, *, now: datetime) -> ServiceSession:
    if session.status != SessionStatus.CLOSED:
        raise SessionError("session.not_closed")
    if not reason.strip():
        raise SessionError("session.reopen_reason")
    note = f"{iso(now)} {reason.strip()}"
    return dataclasses.replace(
        session,
        status=SessionStatus.OPEN,
        closed_at="",
        reopen_reasons=[*session.reopen_reasons, note],
    )


def session_to_review(sessions: Iterable[ServiceSession], today: str) -> ServiceSession | None:
    """The session F5 looks at: today's open one, else the latest still open
    (a day someone forgot to close), else the latest one."""
    ordered = sorted(sessions, key=lambda s: (s.day, s.opened_at))
    if not ordered:
        return None
    still_open = [s for s in ordered if s.status == SessionStatus.OPEN]
    todays = [s for s in still_open if s.day == today]
    if todays:
        return todays[-1]
    return still_open[-1] if still_open else ordered[-1]


def note_request(session: ServiceSession, text: str) -> SessionRequest:
    if not text.strip():
        raise SessionError("request.empty")
    return SessionRequest(compound=session.compound, day=session.day, session=session.id, text=text)


def pending_requests(
    requests: Iterable[SessionRequest], compound: str, before: str
) -> list[SessionRequest]:
    """Requests still open for a compound, asked before `before` (a day), oldest first."""
    found = [
        r
        for r in requests
        if r.compound == compound and r.status == RequestStatus.OPEN and r.day < before
    ]
    return sorted(found, key=lambda r: (r.day, r.created_at))


def mark_done(request: SessionRequest, session: ServiceSession) -> SessionRequest:
    return dataclasses.replace(
        request, status=RequestStatus.DONE, done_day=session.day, done_session=session.id
    )

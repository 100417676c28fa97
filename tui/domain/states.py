"""Every closed set of states, steps, roles and channels a record can hold,
each defined once. docs/SCHEMA.md lists them per record.

They are StrEnums: a member is the string stored in the data files
(`TicketStatus.NO_SHOW == "no_show"`), formats as that string in f-strings
and message parameters (so `t(f"ticket.status.{status}")` finds its name),
and orjson writes it as that string. Records carry members
(`Ticket.status: TicketStatus`): a record built from strings (a stored
document through `Record.from_dict`, a form, a sheet) holds members, and
`Record.to_dict` gives plain strings back, so the files stay as they are. A
string that is no member (a hand-edited or imported file) is kept as it is
for the validator (tui/domain/record_rules.py) to refuse.

The rules over them live with their subject: the queue's transitions in
queue.py, the case lifecycle in cases.py, which values a field may take in
record_rules.py.
"""

from __future__ import annotations

from enum import StrEnum


class TicketStatus(StrEnum):
    """Ticket.status, and `status` in each entry of Ticket.history."""

    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


class QueueAction(StrEnum):
    """What is done to a ticket: `action` in each entry of Ticket.history. The
    desk's actions are queue.TRANSITIONS' keys, TRANSFER (another letter's
    line) and PRIORITY (on or off); a refusal names them (queue.action.*).
    ISSUE, PRIORITY_ON and PRIORITY_OFF are only written in the history."""

    ISSUE = "issue"
    CALL = "call"
    RECALL = "recall"
    SERVE = "serve"
    DONE = "done"
    NO_SHOW = "no_show"
    REQUEUE = "requeue"
    CANCEL = "cancel"
    RESTORE = "restore"
    TO_DESK = "to_desk"
    TRANSFER = "transfer"
    PRIORITY = "priority"
    PRIORITY_ON = "priority_on"
    PRIORITY_OFF = "priority_off"


class CaseStatus(StrEnum):
    """Case.status, in the order of the lifecycle (cases.py)."""

    LOGGED = "logged"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    REPLIED = "replied"
    CLOSED = "closed"


class CaseStep(StrEnum):
    """What is done to a case: `action` in each entry of Case.timeline. The
    lifecycle's steps are cases.LIFECYCLE's keys; LOGGED is a case's first
    entry, NOTE and AMEND (due date or contact changed) keep its status."""

    LOGGED = "logged"
    ASSIGN = "assign"
    START = "start"
    RESOLVE = "resolve"
    REPLY = "reply"
    CLOSE = "close"
    REOPEN = "reopen"
    NOTE = "note"
    AMEND = "amend"


class ReplyChannel(StrEnum):
    """How a resident is told the outcome: Case.reply_via, Case.reply["channel"]."""

    PHONE = "phone"
    HOME_VISIT = "home_visit"
    NEXT_SESSION = "next_session"


class OwnerKind(StrEnum):
    """Who owns a case: Case.owner_kind."""

    STAFF = "staff"
    PARTY = "party"


class VisitStatus(StrEnum):
    """Visit.status: open until triaged, then handled (now) or logged (later)."""

    OPEN = "open"
    HANDLED = "handled"
    LOGGED = "logged"


class VisitMode(StrEnum):
    """Visit.mode: joins the queue (gets a ticket) or is served at once."""

    QUEUE = "queue"
    NOW = "now"


class Triage(StrEnum):
    """The triage decision: Category.triage (the suggestion), Visit.triage and
    Visit.triage_suggested (both "" until decided)."""

    NOW = "now"  # handle now (即办)
    LATER = "later"  # log for later (登记)


class SessionStatus(StrEnum):
    """ServiceSession.status."""

    OPEN = "open"
    CLOSED = "closed"


class RequestStatus(StrEnum):
    """SessionRequest.status: open until staff mark it met."""

    OPEN = "open"
    DONE = "done"


class OutingStatus(StrEnum):
    """An outing of the month's plan. PROPOSED outings are the plan's
    suggestions, never stored; Outing.status is one of STORED_OUTING."""

    PROPOSED = "proposed"
    PLANNED = "planned"  # moved or swapped by staff, not yet agreed
    ACCEPTED = "accepted"


STORED_OUTING = (OutingStatus.PLANNED, OutingStatus.ACCEPTED)


class StaffRole(StrEnum):
    """StaffMember.role."""

    SECRETARY = "secretary"  # 党委书记
    GRID_WORKER = "grid_worker"  # 网格员
    GOVERNANCE = "governance"  # 综治
    STAFF = "staff"


class PartyType(StrEnum):
    """OutsideParty.type."""

    POLICE = "police"
    PROPERTY = "property"
    LEGAL = "legal"
    INSURER = "insurer"
    OTHER = "other"


class CertMethod(StrEnum):
    """Certification.method."""

    DESK = "desk"
    HOME_VISIT = "home_visit"

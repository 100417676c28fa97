"""Follow-up cases: triage of a visit (handle now, or log for later with an
owner and a due date) and the case lifecycle until the resident is told.

    logged → assigned → in_progress → resolved → replied → closed

A case cannot close without a recorded reply to the resident. Resolved,
replied or closed cases can be reopened with a reason; a resident who was not
satisfied reopens the case; the third reopening flags it for escalation.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tui.domain.calendar import DayError, add_working_days, is_day, parse_day
from tui.domain.errors import CodedError
from tui.domain.records import Case, Category, Compound, OutsideParty, StaffMember, Visit, iso

REPLY_CHANNELS = ("phone", "home_visit", "next_session")
ESCALATE_AFTER = 3  # reopenings

# action -> (states it may start from, state it ends in)
LIFECYCLE: dict[str, tuple[tuple[str, ...], str]] = {
    "assign": (("logged", "assigned", "in_progress"), "assigned"),
    "start": (("assigned",), "in_progress"),
    "resolve": (("assigned", "in_progress"), "resolved"),
    "reply": (("resolved",), "replied"),
    "close": (("replied",), "closed"),
    "reopen": (("resolved", "replied", "closed"), "in_progress"),
}
# What a case in each state is waiting for: the step a refusal points to.
NEXT_STEP: dict[str, str] = {
    "logged": "assign",
    "assigned": "start",
    "in_progress": "resolve",
    "resolved": "reply",
    "replied": "close",
    "closed": "reopen",
}


class CaseError(CodedError, ValueError):
    """A refusal with a message id (CodedError)."""


@dataclass(frozen=True)
class Owner:
    kind: str  # staff | party
    id: str
    chaser: str  # the staff member who chases it (the owner, when staff)


def default_owner(
    category: Category,
    compound: Compound | None,
    staff: Sequence[StaffMember],
    parties: Sequence[OutsideParty],
    desk_staff: str = "",
) -> Owner | None:
    """Who a logged case goes to by the category's rule. An outside owner is
    chased by the compound's grid worker (else the desk's staff member)."""
    grid_worker = compound.grid_worker if compound else ""
    chaser = grid_worker or desk_staff
    rule = category.owner_rule
    if rule.startswith("party:"):
        kind = rule.split(":", 1)[1]
        candidates = [p for p in parties if p.type == kind]
        serving = [p for p in candidates if compound and compound.id in p.compounds]
        pool = serving or candidates
        return Owner("party", pool[0].id, chaser) if pool else None
    if rule.startswith("role:"):
        role = rule.split(":", 1)[1]
        member = next((s for s in staff if s.role == role and s.active), None)
        return Owner("staff", member.id, member.id) if member else None
    if rule == "desk":
        return Owner("staff", desk_staff, desk_staff) if desk_staff else None
    return Owner("staff", grid_worker, grid_worker) if grid_worker else None


def default_due(day: str, category: Category) -> str:
    return add_working_days(date.fromisoformat(day), category.due_days).isoformat()


def _entry(
    now: datetime, by: str, action: str, before: str, after: str, note: str = "", **extra: Any
) -> dict[str, Any]:
    return {
        "at": iso(now),
        "by": by,
        "action": action,
        "from": before,
        "to": after,
        "note": note,
        **extra,
    }


def handle_now(visit: Visit, outcome: str, *, suggested: str, override_reason: str = "") -> Visit:
    """即办: done on the spot. An override of the suggestion needs its reason."""
    _check_override("now", suggested, override_reason)
    if not outcome.strip():
        raise CaseError("triage.outcome_required")
    return dataclasses.replace(
        visit,
        triage="now",
        triage_suggested=suggested,
        triage_override_reason=override_reason,
        outcome=outcome,
        status="handled",
    )


def log_for_later(
    visit: Visit,
    owner: Owner,
    due: str,
    reply_via: str,
    note: str,
    *,
    suggested: str,
    now: datetime,
    by: str,
    override_reason: str = "",
) -> tuple[Visit, Case]:
    """登记: a case with an owner, a due date and how the resident will be told."""
    _check_override("later", suggested, override_reason)
    if not owner.id:
        raise CaseError("triage.owner_required")
    if owner.kind == "party" and not owner.chaser:
        raise CaseError("triage.chaser_required")
    due = _typed_day(due, date.fromisoformat(visit.day))
    if not due:
        raise CaseError("triage.due_required")
    if due < visit.day:
        raise CaseError("triage.due_in_past", due=due)
    if reply_via not in REPLY_CHANNELS:
        raise CaseError("triage.reply_via_required")
    case = Case(
        visit=visit.id,
        day=visit.day,
        resident=visit.resident,
        name=visit.name,
        phone=visit.phone,
        compound=visit.compound,
        category=visit.category,
        summary=visit.description,
        owner_kind=owner.kind,
        owner=owner.id,
        chaser=owner.chaser,
        due=due,
        reply_via=reply_via,
        note=note,
        timeline=[_entry(now, by, "logged", "", "logged", note)],
    )
    visit = dataclasses.replace(
        visit,
        triage="later",
        triage_suggested=suggested,
        triage_override_reason=override_reason,
        status="logged",
        case=case.id,
    )
    return visit, case


def _check_override(decision: str, suggested: str, reason: str) -> None:
    if suggested and decision != suggested and not reason.strip():
        raise CaseError("triage.override_reason")


def advance(
    case: Case,
    action: str,
    *,
    now: datetime,
    by: str,
    note: str = "",
    owner: Owner | None = None,
    reply: dict[str, Any] | None = None,
) -> Case:
    """The case after one lifecycle step, or CaseError saying why not."""
    if action == "note":
        if not note.strip():
            raise CaseError("case.note_empty")
        return dataclasses.replace(
            case, timeline=[*case.timeline, _entry(now, by, "note", case.status, case.status, note)]
        )
    if action not in LIFECYCLE:
        raise CaseError("case.unknown_action", action=action)
    sources, target = LIFECYCLE[action]
    if case.status not in sources:
        raise CaseError(
            "case.illegal", action=action, status=case.status, next=NEXT_STEP.get(case.status, "")
        )
    changes: dict[str, Any] = {"status": target}
    extra: dict[str, Any] = {}
    if action == "assign":
        if owner is None or not owner.id:
            raise CaseError("triage.owner_required")
        changes.update(owner_kind=owner.kind, owner=owner.id, chaser=owner.chaser)
        extra = {"owner": owner.id}
        if case.status != "logged":
            changes["status"] = case.status  # a reassignment keeps the progress
    elif action == "reply":
        if not reply or reply.get("channel") not in REPLY_CHANNELS or "satisfied" not in reply:
            raise CaseError("case.reply_incomplete")
        changes["reply"] = {
            "channel": reply["channel"],
            "on": reply.get("on") or now.date().isoformat(),
            "satisfied": bool(reply["satisfied"]),
            "note": note,
        }
        if not reply["satisfied"]:
            # A resident who is not satisfied reopens the case.
            reopened = dataclasses.replace(
                case,
                **changes,
                timeline=[*case.timeline, _entry(now, by, "reply", case.status, "replied", note)],
            )
            return advance(
                reopened, "reopen", now=now, by=by, note=note or "resident not satisfied"
            )
    elif action == "resolve":
        if not note.strip():
            # "Resolved" with nothing said of what was done: nothing to tell the resident.
            raise CaseError("case.outcome_required")
    elif action == "close":
        if not case.reply:
            raise CaseError("case.no_reply")
        changes["closed_at"] = iso(now)
    elif action == "reopen":
        if not note.strip():
            raise CaseError("case.reopen_reason")
        count = case.reopen_count + 1
        changes.update(reopen_count=count, closed_at="", escalate=count >= ESCALATE_AFTER)
    return dataclasses.replace(
        case,
        **changes,
        timeline=[
            *case.timeline,
            _entry(now, by, action, case.status, changes["status"], note, **extra),
        ],
    )


def amend(case: Case, *, due: str, phone: str, reply_via: str, now: datetime, by: str) -> Case:
    """A new due date or way to reach the resident; the timeline says what changed.
    (The phone number itself is checked when the case is saved.)"""
    due = _typed_day(due, now.date())
    if not is_day(due) or due < case.day:
        raise CaseError("case.bad_due", day=case.day)
    if reply_via not in REPLY_CHANNELS:
        raise CaseError("triage.reply_via_required")
    if reply_via == "phone" and not phone.strip():
        # Told by phone with no number to call: the case would never be answered.
        raise CaseError("case.phone_needed")
    changes: dict[str, Any] = {
        name: value
        for name, value in (("due", due), ("phone", phone.strip()), ("reply_via", reply_via))
        if getattr(case, name) != value
    }
    if not changes:
        return case
    note = ", ".join(f"{name}: {value}" for name, value in changes.items())
    return dataclasses.replace(
        case,
        **changes,
        timeline=[*case.timeline, _entry(now, by, "amend", case.status, case.status, note)],
    )


def _typed_day(text: str, base: date) -> str:
    """A due date as typed (2026-12-03, 12-03, +3), read by the one parser."""
    try:
        return parse_day(text, base)
    except DayError as err:
        raise CaseError(err.code, **err.params) from None


def resolvable(case: Case) -> bool:
    """Whether "resolved" is a step this case can take now."""
    return case.status in LIFECYCLE["resolve"][0]


def is_overdue(case: Case, today: str) -> bool:
    return case.status not in ("replied", "closed") and bool(case.due) and case.due < today


@dataclass(frozen=True)
class CaseFilter:
    status: str = ""  # "" = every open status
    owner: str = ""  # StaffMember or OutsideParty id
    compound: str = ""
    category: str = ""
    due: str = ""  # "" | overdue | today
    text: str = ""  # a name (or its pinyin), phone digits, or words; "" = any


def text_matches(case: Case, query: str) -> bool:
    """F4's search. Digits find a phone number (its last four are enough) or
    a number in the request; letters find a name by its pinyin (wzh, wang);
    any other text finds a name, the request or a note in the timeline."""
    typed = unicodedata.normalize("NFKC", query).strip().lower()
    if not typed:
        return True
    words = [case.name, case.summary, *(str(e.get("note", "")) for e in case.timeline)]
    if any(typed in w.lower() for w in words):
        return True
    compact = re.sub(r"[\s\-]", "", typed)
    if compact.isdigit():
        return compact in re.sub(r"\D", "", case.phone)
    if typed.isascii() and typed.isalpha():
        from tui.domain.pinyin import keys  # pypinyin loads on the first such search

        return any(
            full.startswith(typed) or short.startswith(typed) for full, short in keys(case.name)
        )
    return False


def filter_cases(cases: Sequence[Case], wanted: CaseFilter, today: str) -> list[Case]:
    """The cases that pass the filter, soonest due first (no due date last)."""
    found = [
        c
        for c in cases
        if (c.status == wanted.status if wanted.status else c.status != "closed")
        and (not wanted.owner or wanted.owner in (c.owner, c.chaser))
        and (not wanted.compound or c.compound == wanted.compound)
        and (not wanted.category or c.category == wanted.category)
        and (wanted.due != "overdue" or is_overdue(c, today))
        and (wanted.due != "today" or (c.due == today and c.status not in ("replied", "closed")))
        and text_matches(c, wanted.text)
    ]
    return sorted(found, key=lambda c: (c.due or "9999", c.day, c.name))

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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from tui.domain.calendar import DayError, add_working_days, is_day, parse_day
from tui.domain.errors import CodedError
from tui.domain.phone import PhoneError, normalise_phone
from tui.domain.records import Case, Category, Compound, OutsideParty, StaffMember, Visit, iso
from tui.domain.states import CaseStatus, CaseStep, OwnerKind, ReplyChannel, Triage, VisitStatus

REPLY_CHANNELS = tuple(ReplyChannel)
OWNER_KINDS = tuple(OwnerKind)
ESCALATE_AFTER = 3  # reopenings

# step -> (states it may start from, state it ends in)
LIFECYCLE: dict[CaseStep, tuple[tuple[CaseStatus, ...], CaseStatus]] = {
    CaseStep.ASSIGN: (
        (CaseStatus.LOGGED, CaseStatus.ASSIGNED, CaseStatus.IN_PROGRESS),
        CaseStatus.ASSIGNED,
    ),
    CaseStep.START: ((CaseStatus.ASSIGNED,), CaseStatus.IN_PROGRESS),
    CaseStep.RESOLVE: ((CaseStatus.ASSIGNED, CaseStatus.IN_PROGRESS), CaseStatus.RESOLVED),
    CaseStep.REPLY: ((CaseStatus.RESOLVED,), CaseStatus.REPLIED),
    CaseStep.CLOSE: ((CaseStatus.REPLIED,), CaseStatus.CLOSED),
    CaseStep.REOPEN: (
        (CaseStatus.RESOLVED, CaseStatus.REPLIED, CaseStatus.CLOSED),
        CaseStatus.IN_PROGRESS,
    ),
}
# What a case in each state is waiting for: the step a refusal points to.
NEXT_STEP: dict[CaseStatus, CaseStep] = {
    CaseStatus.LOGGED: CaseStep.ASSIGN,
    CaseStatus.ASSIGNED: CaseStep.START,
    CaseStatus.IN_PROGRESS: CaseStep.RESOLVE,
    CaseStatus.RESOLVED: CaseStep.REPLY,
    CaseStatus.REPLIED: CaseStep.CLOSE,
    CaseStatus.CLOSED: CaseStep.REOPEN,
}
# Told the outcome: no longer counted as due or overdue.
TOLD = (CaseStatus.REPLIED, CaseStatus.CLOSED)


class CaseError(CodedError, ValueError):
    """A refusal with a message id (CodedError)."""


@dataclass(frozen=True)
class Owner:
    kind: OwnerKind | str  # an OwnerKind (as chosen: the case holds the member)
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
        return Owner(OwnerKind.PARTY, pool[0].id, chaser) if pool else None
    if rule.startswith("role:"):
        role = rule.split(":", 1)[1]
        member = next((s for s in staff if s.role == role and s.active), None)
        return Owner(OwnerKind.STAFF, member.id, member.id) if member else None
    if rule == "desk":
        return Owner(OwnerKind.STAFF, desk_staff, desk_staff) if desk_staff else None
    return Owner(OwnerKind.STAFF, grid_worker, grid_worker) if grid_worker else None


def default_due(day: str, category: Category) -> str:
    return add_working_days(date.fromisoformat(day), category.due_days).isoformat()


def _entry(
    now: datetime,
    by: str,
    action: CaseStep,
    before: CaseStatus | Literal[""],
    after: CaseStatus,
    note: str = "",
    **extra: Any,
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


def handle_now(
    visit: Visit, outcome: str, *, suggested: Triage | Literal[""], override_reason: str = ""
) -> Visit:
    """即办: done on the spot. An override of the suggestion needs its reason."""
    _check_override(Triage.NOW, suggested, override_reason)
    if not outcome.strip():
        raise CaseError("triage.outcome_required")
    return dataclasses.replace(
        visit,
        triage=Triage.NOW,
        triage_suggested=suggested,
        triage_override_reason=override_reason,
        outcome=outcome,
        status=VisitStatus.HANDLED,
    )


def log_for_later(
    visit: Visit,
    owner: Owner,
    due: str,
    reply_via: ReplyChannel | str,
    note: str,
    *,
    suggested: Triage | Literal[""],
    now: datetime,
    by: str,
    override_reason: str = "",
) -> tuple[Visit, Case]:
    """登记: a case with an owner, a due date and how the resident will be told."""
    _check_override(Triage.LATER, suggested, override_reason)
    owner_kind = _owner_kind(owner)
    if owner_kind == OwnerKind.PARTY and not owner.chaser:
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
        owner_kind=owner_kind,
        owner=owner.id,
        chaser=owner.chaser,
        due=due,
        reply_via=ReplyChannel(reply_via),
        note=note,
        timeline=[_entry(now, by, CaseStep.LOGGED, "", CaseStatus.LOGGED, note)],
    )
    visit = dataclasses.replace(
        visit,
        triage=Triage.LATER,
        triage_suggested=suggested,
        triage_override_reason=override_reason,
        status=VisitStatus.LOGGED,
        case=case.id,
    )
    return visit, case


def _owner_kind(owner: Owner) -> OwnerKind:
    """The kind of the owner chosen; CaseError when no one is."""
    if not owner.id or owner.kind not in OWNER_KINDS:
        raise CaseError("triage.owner_required")
    return OwnerKind(owner.kind)


def _check_override(decision: Triage, suggested: Triage | Literal[""], reason: str) -> None:
    if suggested and decision != suggested and not reason.strip():
        raise CaseError("triage.override_reason")


def check_step(case: Case, action: CaseStep | str) -> None:
    """CaseError if the case cannot take this lifecycle step now: asked
    before a dialog takes what the step needs, so nothing is typed in vain."""
    if action not in LIFECYCLE:
        raise CaseError("case.unknown_action", action=action)
    step = CaseStep(action)
    if case.status not in LIFECYCLE[step][0]:
        raise CaseError(
            "case.illegal", action=step, status=case.status, next=NEXT_STEP.get(case.status, "")
        )


def advance(
    case: Case,
    action: CaseStep | str,
    *,
    now: datetime,
    by: str,
    note: str = "",
    owner: Owner | None = None,
    reply: dict[str, Any] | None = None,
) -> Case:
    """The case after one lifecycle step or a note (`action`: a CaseStep, or
    the string a key chose), or CaseError saying why not."""
    if action == CaseStep.NOTE:
        if not note.strip():
            raise CaseError("case.note_empty")
        return dataclasses.replace(
            case,
            timeline=[
                *case.timeline,
                _entry(now, by, CaseStep.NOTE, case.status, case.status, note),
            ],
        )
    check_step(case, action)
    action = CaseStep(action)
    target = LIFECYCLE[action][1]
    changes: dict[str, Any] = {"status": target}
    extra: dict[str, Any] = {}
    if action == CaseStep.ASSIGN:
        if owner is None:
            raise CaseError("triage.owner_required")
        owner_kind = _owner_kind(owner)
        changes.update(owner_kind=owner_kind, owner=owner.id, chaser=owner.chaser)
        extra = {"owner": owner.id}
        if case.status != CaseStatus.LOGGED:
            changes["status"] = case.status  # a reassignment keeps the progress
    elif action == CaseStep.REPLY:
        if not reply or reply.get("channel") not in REPLY_CHANNELS or "satisfied" not in reply:
            raise CaseError("case.reply_incomplete")
        changes["reply"] = {
            "channel": ReplyChannel(reply["channel"]),
            "on": reply.get("on") or now.date().isoformat(),
            "satisfied": bool(reply["satisfied"]),
            "note": note,
        }
        if not reply["satisfied"]:
            # A resident who is not satisfied reopens the case.
            reopened = dataclasses.replace(
                case,
                **changes,
                timeline=[
                    *case.timeline,
                    _entry(now, by, CaseStep.REPLY, case.status, CaseStatus.REPLIED, note),
                ],
            )
            return advance(
                reopened, CaseStep.REOPEN, now=now, by=by, note=note or "resident not satisfied"
            )
    elif action == CaseStep.RESOLVE:
        if not note.strip():
            # "Resolved" with nothing said of what was done: nothing to tell the resident.
            raise CaseError("case.outcome_required")
    elif action == CaseStep.CLOSE:
        if not case.reply:
            raise CaseError("case.no_reply")
        changes["closed_at"] = iso(now)
    elif action == CaseStep.REOPEN:
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


def amend(
    case: Case,
    *,
    due: str,
    phone: str,
    reply_via: ReplyChannel | str,
    now: datetime,
    by: str,
    describe: Callable[[dict[str, str]], str] | None = None,
) -> Case:
    """A new due date or way to reach the resident; the timeline says what
    changed, in the words `describe` gives the changes (the screen: field
    names and values as people read them, in the saver's language). A phone
    is compared as a number: "0971 612 3457" as shown is the stored
    +869716123457, unchanged. (A number that does not read is refused when
    the case is saved.)"""
    due = _typed_day(due, now.date())
    if not is_day(due) or due < case.day:
        raise CaseError("case.bad_due", day=case.day)
    if reply_via not in REPLY_CHANNELS:
        raise CaseError("triage.reply_via_required")
    if reply_via == ReplyChannel.PHONE and not phone.strip():
        # Told by phone with no number to call: the case would never be answered.
        raise CaseError("case.phone_needed")
    phone = phone.strip()
    if phone:
        try:
            phone = normalise_phone(phone)
        except PhoneError:
            pass  # kept as typed: the save refuses it and says why
    changes: dict[str, str] = {
        name: value
        for name, value in (("due", due), ("phone", phone), ("reply_via", reply_via))
        if getattr(case, name) != value
    }
    if not changes:
        return case
    note = (describe or _as_stored)(changes)
    fields: dict[str, Any] = dict(changes)
    return dataclasses.replace(
        case,
        **fields,
        timeline=[*case.timeline, _entry(now, by, CaseStep.AMEND, case.status, case.status, note)],
    )


def _as_stored(changes: dict[str, str]) -> str:
    return ", ".join(f"{name}: {value}" for name, value in changes.items())


def _typed_day(text: str, base: date) -> str:
    """A due date as typed (2026-12-03, 12-03, +3), read by the one parser."""
    try:
        return parse_day(text, base)
    except DayError as err:
        raise CaseError(err.code, **err.params) from None


def resolvable(case: Case) -> bool:
    """Whether "resolved" is a step this case can take now."""
    return case.status in LIFECYCLE[CaseStep.RESOLVE][0]


def is_overdue(case: Case, today: str) -> bool:
    return case.status not in TOLD and bool(case.due) and case.due < today


@dataclass(frozen=True)
class CaseFilter:
    status: CaseStatus | str = ""  # a CaseStatus as chosen; "" = every open status
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
        if (c.status == wanted.status if wanted.status else c.status != CaseStatus.CLOSED)
        and (not wanted.owner or wanted.owner in (c.owner, c.chaser))
        and (not wanted.compound or c.compound == wanted.compound)
        and (not wanted.category or c.category == wanted.category)
        and (wanted.due != "overdue" or is_overdue(c, today))
        and (wanted.due != "today" or (c.due == today and c.status not in TOLD))
        and text_matches(c, wanted.text)
    ]
    return sorted(found, key=lambda c: (c.due or "9999", c.day, c.name))

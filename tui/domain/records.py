"""The records fielddesk stores. Each is one JSON document.

Every record carries the merge fields: `id` (a UUID, never TinyDB's doc_id),
`kind`, `rev` (incremented on each save), `created_at`/`updated_at`
(ISO-8601 with offset), `device` (which laptop wrote it) and `by` (which
staff member). docs/SCHEMA.md describes every field. A field holding a
state is typed with its StrEnum (tui/domain/states.py) and stored as its
plain string.
"""

from __future__ import annotations

import dataclasses
import typing
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any, ClassVar, Literal, Self

from tui.domain.states import (
    CaseStatus,
    CertMethod,
    OutingStatus,
    OwnerKind,
    PartyType,
    ReplyChannel,
    RequestStatus,
    SessionStatus,
    StaffRole,
    TicketStatus,
    Triage,
    VisitMode,
    VisitStatus,
)


def new_id() -> str:
    return str(uuid.uuid4())


def iso(moment: datetime) -> str:
    """ISO-8601 with offset, to the second. Naive datetimes are refused."""
    if moment.tzinfo is None:
        raise ValueError("timestamps must carry a UTC offset")
    return moment.isoformat(timespec="seconds")


_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


_PLAIN = frozenset({str, int, float, bool, type(None)})


def _copy(value: Any) -> Any:
    if type(value) in _PLAIN:
        return value
    if isinstance(value, list):
        return [_copy(v) for v in value]
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, Enum):
        return value.value  # a state (tui/domain/states.py) is stored as its string
    return value


# class -> (field, {stored string: member}) for each field typed with a state
_STATES: dict[type, tuple[tuple[str, dict[str, Enum]], ...]] = {}


def _state_fields(cls: type) -> tuple[tuple[str, dict[str, Enum]], ...]:
    found = _STATES.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls)
        pairs = []
        for name in _field_names(cls):
            hint = hints[name]
            options = typing.get_args(hint) if typing.get_origin(hint) is not None else (hint,)
            for option in options:
                if isinstance(option, type) and issubclass(option, Enum):
                    pairs.append((name, {str(m.value): m for m in option}))
        found = _STATES[cls] = tuple(pairs)
    return found


@dataclass(kw_only=True)
class Record:
    KIND: ClassVar[str] = ""

    id: str = field(default_factory=new_id)
    rev: int = 0
    created_at: str = ""
    updated_at: str = ""
    device: str = ""
    by: str = ""

    def __post_init__(self) -> None:
        # A state given as its string (a stored document, a form, a sheet)
        # becomes its member. A string that is none (a file edited by hand, an
        # import) stays as it is: the validator refuses it with the values
        # allowed (record_rules.value_errors), never a crash here.
        for name, members in _state_fields(type(self)):
            value = getattr(self, name)
            if type(value) is str:
                setattr(self, name, members.get(value, value))

    @property
    def kind(self) -> str:
        return self.KIND

    def to_dict(self) -> dict[str, Any]:
        """The stored document. Values are JSON-like (text, numbers, lists and
        dicts of those), so a plain copy does what dataclasses.asdict does,
        several times faster (it matters when 10,000 residents are saved).
        States come out as plain strings."""
        data = {name: _copy(getattr(self, name)) for name in _field_names(type(self))}
        data["kind"] = self.KIND
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        names = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k in names}
        # Lists and dicts are copied so a record never shares state with a cache.
        for key, value in values.items():
            if isinstance(value, list):
                values[key] = [dict(v) if isinstance(v, dict) else v for v in value]
            elif isinstance(value, dict):
                values[key] = dict(value)
        return cls(**values)

    def stamped(self, *, now: datetime, device: str, by: str) -> Self:
        """The record as it is about to be saved: next rev, times, writer."""
        moment = iso(now)
        return dataclasses.replace(
            self,
            rev=self.rev + 1,
            created_at=self.created_at or moment,
            updated_at=moment,
            device=device,
            by=by,
        )


# -- registry ---------------------------------------------------------------
# Registry items are retired (active=False), never deleted: records and
# reports keep referring to them; only the pickers leave them out.


@dataclass(kw_only=True)
class Community(Record):
    """The community (社区) this data folder belongs to: one per folder."""

    KIND = "community"
    name: str
    sub_district: str = ""  # 街道
    phone: str = ""  # the office's phone, E.164
    secretary: str = ""  # the party secretary's name
    secretary_phone: str = ""


@dataclass(kw_only=True)
class Compound(Record):
    """A residential compound (小区/院) the office serves."""

    KIND = "compound"
    name: str
    short: str = ""  # a short name or pinyin staff type to find it
    address: str = ""
    households: int = 0
    buildings: list[str] = field(default_factory=list)
    grid_worker: str = ""  # StaffMember.id of the grid worker (网格员) covering it
    note: str = ""
    active: bool = True


@dataclass(kw_only=True)
class StaffMember(Record):
    KIND = "staff"
    name: str
    role: StaffRole = StaffRole.STAFF
    phone: str = ""
    compounds: list[str] = field(default_factory=list)  # Compound ids
    active: bool = True


@dataclass(kw_only=True)
class OutsideParty(Record):
    """A body outside the office a case can be handed to."""

    KIND = "party"
    name: str
    type: PartyType = PartyType.OTHER
    contact_person: str = ""
    phone: str = ""
    compounds: list[str] = field(default_factory=list)  # e.g. compounds a property firm manages
    active: bool = True


@dataclass(kw_only=True)
class Category(Record):
    """A kind of request. `letter` is its queue letter (A-F)."""

    KIND = "category"
    code: str
    name_zh: str
    name_en: str
    letter: str = "A"
    triage: Triage = Triage.NOW  # the suggested decision
    owner_rule: str = "grid_worker"  # grid_worker | desk | role:<role> | party:<type>
    due_days: int = 5  # working days until a logged case is due
    order: int = 0
    active: bool = True


@dataclass(kw_only=True)
class Resident(Record):
    KIND = "resident"
    name: str
    compound: str = ""  # Compound id
    building: str = ""
    unit: str = ""
    room: str = ""
    phone: str = ""  # E.164
    gender: str = ""  # "" | f | m
    birth_year: int | None = None
    birth_date: str = ""  # YYYY-MM-DD when known
    flags: list[str] = field(default_factory=list)  # see catalogue.RESIDENT_FLAGS
    note: str = ""


@dataclass(kw_only=True)
class Certification(Record):
    """One resident certified for the elderly subsidy (高龄补贴) in one quarter."""

    KIND = "certification"
    resident: str  # Resident id
    quarter: str  # YYYYQn
    day: str  # YYYY-MM-DD, when it was done
    method: CertMethod = CertMethod.DESK
    session: str = ""  # ServiceSession id, when done at a session
    visit: str = ""  # Visit id, when done from an intake
    note: str = ""
    # A certification recorded by mistake is withdrawn, never deleted: a delete
    # would not reach the other laptops' copies when their data is merged.
    withdrawn_at: str = ""
    withdrawn_reason: str = ""


# -- a session day ----------------------------------------------------------


@dataclass(kw_only=True)
class ServiceSession(Record):
    """One mobile service desk set up at one compound on one day."""

    KIND = "session"
    day: str  # YYYY-MM-DD
    compound: str  # Compound id
    staff: list[str] = field(default_factory=list)  # StaffMember ids on duty
    desks: int = 1
    status: SessionStatus = SessionStatus.OPEN
    opened_at: str = ""
    closed_at: str = ""
    close_override: str = ""  # reason given when closed with failing checks
    reopen_reasons: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class SessionRequest(Record):
    """Something residents asked for at the next session at their compound
    (a lawyer to come, forms to bring), noted at review and shown when the
    next session there opens."""

    KIND = "request"
    compound: str  # Compound id
    day: str  # the day it was asked
    session: str = ""  # ServiceSession id it was noted in
    text: str
    status: RequestStatus = RequestStatus.OPEN
    done_day: str = ""
    done_session: str = ""


@dataclass(kw_only=True)
class Visit(Record):
    """One request brought by one resident (or walk-in) to the desk."""

    KIND = "visit"
    day: str
    session: str = ""  # ServiceSession id
    resident: str = ""  # Resident id, "" for an anonymous walk-in
    name: str
    phone: str = ""
    compound: str = ""
    building: str = ""
    unit: str = ""
    room: str = ""
    category: str = ""  # Category.code
    description: str = ""
    flags: list[str] = field(default_factory=list)  # resident flags + "priority"
    mode: VisitMode = VisitMode.QUEUE
    ticket: str = ""  # Ticket id
    triage: Triage | Literal[""] = ""  # "" until decided
    triage_suggested: Triage | Literal[""] = ""
    triage_override_reason: str = ""
    outcome: str = ""  # what was done, for "now"
    status: VisitStatus = VisitStatus.OPEN
    case: str = ""  # Case id when logged


@dataclass(kw_only=True)
class Ticket(Record):
    KIND = "ticket"
    day: str
    number: str  # e.g. A012
    letter: str
    seq: int
    visit: str = ""
    status: TicketStatus = TicketStatus.WAITING
    desk: int = 0
    priority: bool = False
    recalls: int = 0
    issued_at: str = ""
    called_at: str = ""
    serving_at: str = ""
    done_at: str = ""
    history: list[dict[str, Any]] = field(default_factory=list)
    # The laptop (device id) that gave the ticket its number: at issue, or at a
    # move to another letter. "" on tickets numbered before it was kept; left
    # out of the stored document then, so those documents stay as they were.
    issued_on: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        if not data["issued_on"]:
            del data["issued_on"]
        return data


# -- follow-up --------------------------------------------------------------


@dataclass(kw_only=True)
class Case(Record):
    """A visit logged for later (登记), followed until the resident is told."""

    KIND = "case"
    visit: str
    day: str  # day of the visit
    resident: str = ""
    name: str = ""
    phone: str = ""
    compound: str = ""
    category: str = ""
    summary: str = ""
    owner_kind: OwnerKind = OwnerKind.STAFF
    owner: str = ""  # StaffMember.id or OutsideParty.id
    chaser: str = ""  # StaffMember.id responsible for chasing an outside owner
    due: str = ""  # YYYY-MM-DD
    reply_via: ReplyChannel = ReplyChannel.PHONE
    note: str = ""
    status: CaseStatus = CaseStatus.LOGGED
    reply: dict[str, Any] | None = None  # {channel, on, satisfied, note}
    reopen_count: int = 0
    escalate: bool = False
    closed_at: str = ""
    timeline: list[dict[str, Any]] = field(default_factory=list)


RECORD_TYPES: dict[str, type[Record]] = {
    cls.KIND: cls
    for cls in (
        Community,
        Compound,
        StaffMember,
        OutsideParty,
        Category,
        Resident,
        Certification,
        ServiceSession,
        SessionRequest,
        Visit,
        Ticket,
        Case,
    )
}


def record_from_dict(data: dict[str, Any]) -> Record:
    """Build the right record class from a stored document."""
    kind = data.get("kind")
    if kind not in RECORD_TYPES:
        raise ValueError(f"unknown record kind: {kind!r}")
    return RECORD_TYPES[kind].from_dict(data)


# -- the month's plan (tui/domain/plan.py) ----------------------------------


@dataclass(kw_only=True)
class Outing(Record):
    """One outing of the desk in a month's rotation plan: a compound on a day
    and the staff to bring. Stored when staff accept, move or swap it."""

    KIND = "outing"
    month: str  # YYYY-MM
    day: str  # YYYY-MM-DD, a working day in `month`
    compound: str  # Compound id
    staff: list[str] = field(default_factory=list)  # StaffMember ids to bring
    status: OutingStatus = OutingStatus.PLANNED  # planned or accepted (STORED_OUTING)
    note: str = ""


RECORD_TYPES[Outing.KIND] = Outing

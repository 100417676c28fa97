"""Quick intake: what the form holds, and turning it into records.

The form's field names are the widget ids (#name, #compound, #address,
#phone, #category, #description), so a validation error lands on the field
the staff member has to fix.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from tui.domain.address import parse_address
from tui.domain.catalogue import RESIDENT_FLAGS
from tui.domain.errors import FieldError, ValidationFailed
from tui.domain.queue import is_priority
from tui.domain.records import Category, Compound, Resident, Ticket, Visit, iso
from tui.domain.states import QueueAction, TicketStatus, VisitMode
from tui.domain.validate import DESCRIPTION, NAME, PHONE, SHORT, check_field

RECURRING_DAYS = 90


@dataclass
class IntakeForm:
    """The raw contents of the intake form; also what a draft saves."""

    name: str = ""
    compound: str = ""  # Compound id
    address: str = ""  # building-unit-room as typed
    phone: str = ""
    category: str = ""  # Category.code
    description: str = ""
    flags: list[str] = field(default_factory=list)
    mode: str = VisitMode.QUEUE  # as chosen: a VisitMode
    resident: str = ""  # Resident id when a returning resident was chosen

    def typed_anything(self, default_compound: str = "") -> bool:
        """Has the person typed something that would be lost on discard?"""
        blank = IntakeForm(compound=default_compound)
        return dataclasses.replace(self, compound=self.compound or default_compound) != blank

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> IntakeForm:
        names = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k in names}
        form = cls(**values)
        form.flags = [str(f) for f in form.flags]
        return form


@dataclass(frozen=True)
class Intake:
    """What a successful intake writes."""

    visit: Visit
    ticket: Ticket | None
    resident: Resident | None  # new or changed registry entry, None if unchanged


def build_intake(
    form: IntakeForm,
    *,
    day: str,
    session: str,
    now: datetime,
    by: str,
    categories: Mapping[str, Category],
    compounds: Mapping[str, Compound],
    existing: Resident | None,
) -> Intake:
    """Validate the form and build the records, or raise ValidationFailed
    naming every failing field."""
    errors: list[FieldError] = []
    name, error = check_field("name", form.name, NAME)
    errors += [error] if error else []
    phone, error = check_field("phone", form.phone, PHONE)
    errors += [error] if error else []
    description, error = check_field("description", form.description, DESCRIPTION)
    errors += [error] if error else []
    building = unit = room = ""
    try:
        parts = parse_address(form.address)
        for part in parts:
            if check_field("address", part, SHORT)[1]:
                raise ValidationFailed([FieldError("address", "address.format")])
        building, unit, room = parts
    except ValidationFailed as failed:
        errors += failed.errors
    category = categories.get(form.category)
    if not form.category:
        errors.append(FieldError("category", "field.required"))
    elif category is None:
        errors.append(FieldError("category", "category.unknown"))
    if form.compound and form.compound not in compounds:
        errors.append(FieldError("compound", "compound.unknown"))
    if errors:
        raise ValidationFailed(errors)
    assert category is not None

    flags = [f for f in form.flags if f in (*RESIDENT_FLAGS, "priority")]
    resident_flags = [f for f in flags if f in RESIDENT_FLAGS]
    resident = _registry_entry(
        existing, name, form.compound, building, unit, room, phone, resident_flags
    )
    resident_id = resident.id if resident else (existing.id if existing else "")
    visit = Visit(
        day=day,
        session=session,
        resident=resident_id,
        name=name,
        phone=phone,
        compound=form.compound,
        building=building,
        unit=unit,
        room=room,
        category=category.code,
        description=description,
        flags=flags,
        mode=VisitMode.NOW if form.mode == VisitMode.NOW else VisitMode.QUEUE,
        triage_suggested=category.triage,
    )
    ticket = None
    if visit.mode == VisitMode.QUEUE:
        moment = iso(now)
        ticket = Ticket(
            day=day,
            number="",
            letter=category.letter,
            seq=0,
            visit=visit.id,
            priority=is_priority(flags),
            issued_at=moment,
            history=[
                {
                    "at": moment,
                    "status": TicketStatus.WAITING,
                    "desk": 0,
                    "by": by,
                    "action": QueueAction.ISSUE,
                }
            ],
        )
        visit = dataclasses.replace(visit, ticket=ticket.id)
    return Intake(visit=visit, ticket=ticket, resident=resident)


def _registry_entry(
    existing: Resident | None,
    name: str,
    compound: str,
    building: str,
    unit: str,
    room: str,
    phone: str,
    flags: list[str],
) -> Resident | None:
    """A new resident for the registry, the existing one updated, or None if unchanged."""
    if existing is None:
        return Resident(
            name=name,
            compound=compound,
            building=building,
            unit=unit,
            room=room,
            phone=phone,
            flags=flags,
        )
    updated = dataclasses.replace(
        existing,
        name=name,
        compound=compound or existing.compound,
        building=building or existing.building,
        unit=unit or existing.unit,
        room=room or existing.room,
        phone=phone or existing.phone,
        flags=flags,
    )
    return None if updated == existing else updated


def recurring_visits(
    visits: Iterable[Visit],
    compound: str,
    category: str,
    today: str,
    days: int = RECURRING_DAYS,
) -> list[Visit]:
    """Earlier visits about the same problem at the same compound, newest first."""
    if not compound or not category:
        return []
    since = (date.fromisoformat(today) - timedelta(days=days)).isoformat()
    found = [
        v
        for v in visits
        if v.compound == compound and v.category == category and since <= v.day <= today
    ]
    return sorted(found, key=lambda v: (v.day, v.created_at), reverse=True)

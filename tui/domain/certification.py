"""The quarterly elderly-subsidy certification round (高龄补贴认证).

Every resident aged 80 or more (by birth date, else birth year, on the
quarter's last day) or flagged `aged80` by staff must be certified once a
quarter: at the desk, or at home for those who cannot come. The home-visit
list holds those not yet certified who are mobility-impaired or aged 90+.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from tui.domain.errors import CodedError
from tui.domain.records import Certification, Resident, iso
from tui.domain.states import CertMethod

CERTIFICATION_CATEGORY = "elderly_subsidy"  # the intake category of a certification visit
ELIGIBLE_AGE = 80
HOME_VISIT_AGE = 90
NEAR_END_DAYS = 21  # the header counts the residents left in the quarter's last three weeks
METHODS = tuple(CertMethod)
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


class CertError(CodedError, ValueError):
    """A refusal with a message id (CodedError)."""


def quarter_of(day: str) -> str:
    moment = date.fromisoformat(day)
    return f"{moment.year}Q{(moment.month - 1) // 3 + 1}"


@functools.lru_cache(maxsize=64)
def quarter_days(quarter: str) -> tuple[str, str]:
    """First and last day of YYYYQn, or CertError. Remembered: every
    eligibility check of a round asks for the same quarter's (a CertError is
    not remembered, it is raised again)."""
    match = _QUARTER.match(quarter)
    if not match:
        raise CertError("cert.bad_quarter", value=quarter)
    year, number = int(match[1]), int(match[2])
    first = date(year, 3 * number - 2, 1)
    following = date(year + number // 4, 3 * number % 12 + 1, 1)
    return first.isoformat(), date.fromordinal(following.toordinal() - 1).isoformat()


def days_left(quarter: str, today: str) -> int:
    """Days from today to the quarter's last day, both counted."""
    last = date.fromisoformat(quarter_days(quarter)[1])
    return (last - date.fromisoformat(today)).days + 1


def age_on(resident: Resident, day: str) -> int | None:
    """Age on `day` by birth date; by birth year alone, the age reached that year."""
    moment = date.fromisoformat(day)
    if resident.birth_date:
        try:
            born = date.fromisoformat(resident.birth_date)
        except ValueError:
            born = None
        if born is not None:
            return moment.year - born.year - ((moment.month, moment.day) < (born.month, born.day))
    if resident.birth_year:
        return moment.year - resident.birth_year
    return None


def is_eligible(resident: Resident, quarter: str) -> bool:
    age = age_on(resident, quarter_days(quarter)[1])
    return (age is not None and age >= ELIGIBLE_AGE) or "aged80" in resident.flags


def certify(
    resident: Resident,
    done: Iterable[Certification],
    *,
    day: str,
    method: CertMethod | str,
    session: str = "",
    visit: str = "",
) -> Certification:
    """The certification of `resident` for the quarter of `day`, or CertError."""
    quarter = quarter_of(day)
    if method not in METHODS:
        raise CertError("cert.bad_method", method=method)
    if not is_eligible(resident, quarter):
        raise CertError("cert.not_eligible", name=resident.name)
    earlier = next(
        (c for c in active(done) if c.resident == resident.id and c.quarter == quarter), None
    )
    if earlier is not None:
        raise CertError("cert.already", name=resident.name, day=earlier.day, by=earlier.by)
    return Certification(
        resident=resident.id,
        quarter=quarter,
        day=day,
        method=CertMethod(method),
        session=session,
        visit=visit,
    )


def active(done: Iterable[Certification]) -> list[Certification]:
    """The certifications that count: not withdrawn."""
    return [c for c in done if not c.withdrawn_at]


def withdraw(record: Certification, reason: str, *, now: datetime) -> Certification:
    """A certification recorded by mistake, withdrawn with the reason."""
    if record.withdrawn_at:
        raise CertError("cert.already_withdrawn")
    if not reason.strip():
        raise CertError("cert.withdraw_reason")
    return dataclasses.replace(record, withdrawn_at=iso(now), withdrawn_reason=reason.strip())


@dataclass(frozen=True)
class RoundEntry:
    resident: Resident
    age: int | None
    certified: Certification | None

    @property
    def needs_home_visit(self) -> bool:
        return self.certified is None and (
            "mobility" in self.resident.flags or (self.age or 0) >= HOME_VISIT_AGE
        )


@dataclass(frozen=True)
class CompoundRound:
    compound: str  # Compound id
    entries: tuple[RoundEntry, ...]  # by building, unit, room

    @property
    def eligible(self) -> int:
        return len(self.entries)

    @property
    def certified(self) -> int:
        return sum(e.certified is not None for e in self.entries)

    @property
    def remaining(self) -> int:
        return self.eligible - self.certified


def _address_key(resident: Resident) -> tuple[object, ...]:
    def part(text: str) -> tuple[int, str]:
        digits = re.match(r"\d+", text)
        return (int(digits[0]) if digits else 10**9, text)

    return (part(resident.building), part(resident.unit), part(resident.room), resident.name)


def round_for(
    residents: Iterable[Resident], done: Iterable[Certification], quarter: str
) -> list[CompoundRound]:
    """This quarter's eligible residents by compound, each certified or not yet."""
    last = quarter_days(quarter)[1]
    by_resident = {c.resident: c for c in active(done) if c.quarter == quarter}
    groups: dict[str, list[RoundEntry]] = {}
    for resident in residents:
        if is_eligible(resident, quarter):
            entry = RoundEntry(resident, age_on(resident, last), by_resident.get(resident.id))
            groups.setdefault(resident.compound, []).append(entry)
    return [
        CompoundRound(compound, tuple(sorted(entries, key=lambda e: _address_key(e.resident))))
        for compound, entries in groups.items()
    ]


def recertified(
    rounds: Iterable[CompoundRound], done: Iterable[Certification], quarter: str
) -> list[CompoundRound]:
    """The same rounds with each entry's certification as `done` now has it
    (another desk certified or withdrew): no resident is looked at again. A
    round none of whose marks changed is handed back as it was."""
    by_resident = {c.resident: c for c in active(done) if c.quarter == quarter}

    def mark(record: Certification | None) -> tuple[str, int] | None:
        return (record.id, record.rev) if record is not None else None

    found = []
    for compound_round in rounds:
        entries = compound_round.entries
        if any(mark(by_resident.get(e.resident.id)) != mark(e.certified) for e in entries):
            entries = tuple(
                dataclasses.replace(e, certified=by_resident.get(e.resident.id)) for e in entries
            )
            compound_round = CompoundRound(compound_round.compound, entries)
        found.append(compound_round)
    return found


def remaining(rounds: Sequence[CompoundRound]) -> int:
    return sum(r.remaining for r in rounds)


@dataclass(frozen=True)
class HomeVisits:
    compound: str
    building: str
    entries: tuple[RoundEntry, ...]


def home_visit_list(rounds: Sequence[CompoundRound]) -> list[HomeVisits]:
    """Not yet certified and mobility-impaired or 90+, by compound and building."""
    found: list[HomeVisits] = []
    for compound_round in rounds:
        buildings: dict[str, list[RoundEntry]] = {}
        for entry in compound_round.entries:
            if entry.needs_home_visit:
                buildings.setdefault(entry.resident.building, []).append(entry)
        found += [
            HomeVisits(compound_round.compound, building, tuple(entries))
            for building, entries in buildings.items()
        ]
    return found

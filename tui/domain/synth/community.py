"""A synthetic community office: compounds, staff, outside parties, categories
and residents, all made up, the same for the same seed."""

from __future__ import annotations

import dataclasses
import random
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from tui.domain.catalogue import default_categories
from tui.domain.pinyin import keys as pinyin_keys
from tui.domain.records import (
    Category,
    Compound,
    OutsideParty,
    Record,
    Resident,
    StaffMember,
)
from tui.domain.records import (
    Community as Profile,
)
from tui.domain.states import PartyType, StaffRole
from tui.domain.synth.names import compound_name, landline, mobile, person_name

RESIDENTS_PER_COMPOUND = 620  # ~10,500 residents in 17 compounds


def seeded_id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


@dataclass
class Community:
    profile: Profile | None = None
    compounds: list[Compound] = field(default_factory=list)
    staff: list[StaffMember] = field(default_factory=list)
    parties: list[OutsideParty] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    residents: list[Resident] = field(default_factory=list)
    _by_compound: dict[str, list[Resident]] = field(default_factory=dict, repr=False)
    _grouped: int = field(default=0, repr=False)

    def records(self) -> list[Record]:
        profile = [self.profile] if self.profile else []
        return [
            *profile,
            *self.staff,
            *self.compounds,
            *self.parties,
            *self.categories,
            *self.residents,
        ]

    def residents_of(self, compound_id: str) -> list[Resident]:
        """The residents of one compound, in the order they were made."""
        if self._grouped != len(self.residents):  # residents added since (they only are)
            self._by_compound.clear()
            for person in self.residents:
                self._by_compound.setdefault(person.compound, []).append(person)
            self._grouped = len(self.residents)
        return list(self._by_compound.get(compound_id, []))

    def grid_worker_of(self, compound_id: str) -> StaffMember:
        compound = next(c for c in self.compounds if c.id == compound_id)
        return next(s for s in self.staff if s.id == compound.grid_worker)

    def by_role(self, role: StaffRole) -> list[StaffMember]:
        return [s for s in self.staff if s.role == role]

    def party_for(self, party_type: PartyType, compound_id: str) -> OutsideParty:
        candidates = [p for p in self.parties if p.type == party_type]
        serving = [p for p in candidates if compound_id in p.compounds]
        return (serving or candidates)[0]


def _staff(rng: random.Random) -> list[StaffMember]:
    roles = (
        [StaffRole.SECRETARY]
        + [StaffRole.GRID_WORKER] * 6
        + [StaffRole.GOVERNANCE]
        + [StaffRole.STAFF] * 6
    )
    used: set[str] = set()
    members = []
    for role in roles:
        name = person_name(rng)
        while name in used:
            name = person_name(rng)
        used.add(name)
        members.append(StaffMember(id=seeded_id(rng), name=name, role=role, phone=mobile(rng)))
    return members


def build_community(rng: random.Random, residents: int, birth_base: int = 2026) -> Community:
    """`residents` made-up residents spread over the compounds."""
    community = Community(staff=_staff(rng))
    grid_workers = community.by_role(StaffRole.GRID_WORKER)
    n_compounds = max(17, round(residents / RESIDENTS_PER_COMPOUND))
    for index in range(n_compounds):
        worker = grid_workers[index % len(grid_workers)]
        buildings = [str(b) for b in range(1, rng.randint(4, 12) + 1)]
        compound = Compound(
            id=seeded_id(rng), name=compound_name(index), buildings=buildings, grid_worker=worker.id
        )
        worker.compounds.append(compound.id)
        community.compounds.append(_described(compound, index))
    ids = [c.id for c in community.compounds]
    half = len(ids) // 2
    # (name, type, contact person or None for a made-up one, phone maker, compounds)
    parties: tuple[
        tuple[str, PartyType, str | None, Callable[[random.Random], str], list[str]], ...
    ]
    parties = (
        ("新宁路派出所", PartyType.POLICE, "值班民警", landline, []),
        ("安和物业服务有限公司", PartyType.PROPERTY, None, landline, ids[:half]),
        ("恒居物业管理有限公司", PartyType.PROPERTY, None, landline, ids[half:]),
        ("明理法律服务所", PartyType.LEGAL, None, mobile, []),
        ("福康保险服务站", PartyType.INSURER, None, landline, []),
    )
    for name, kind, contact, phone, served in parties:
        party_id = seeded_id(rng)
        community.parties.append(
            OutsideParty(
                id=party_id,
                name=name,
                type=kind,
                contact_person=contact or person_name(rng),
                phone=phone(rng),
                compounds=served,
            )
        )
    community.profile = _profile(community)
    community.categories = default_categories()
    for category in community.categories:
        category.id = seeded_id(rng)
    seen: set[tuple[str, ...]] = set()
    for _ in range(residents):
        person = _resident(rng, rng.choice(community.compounds), birth_base)
        # Two people of one name in one flat would be one person to the office's sheets.
        while _home(person) in seen:
            person = dataclasses.replace(
                person, room=f"{rng.randint(1, 18)}{rng.randint(1, 4):02d}"
            )
        seen.add(_home(person))
        community.residents.append(person)
    return community


def _described(compound: Compound, index: int) -> Compound:
    """Short name, address and households, from a generator of their own so
    the rest of the community stays what it was for the same seed."""
    extra = random.Random(f"compound-{index}")
    short = pinyin_keys(compound.name)[0][1] if pinyin_keys(compound.name) else ""
    households = len(compound.buildings) * extra.randint(14, 24)
    numbered = re.fullmatch(r"(.+\d+号)院", compound.name)  # 新宁路11号院 is at 新宁路11号
    address = numbered[1] if numbered else f"新宁路{extra.randint(1, 120)}号"
    return dataclasses.replace(compound, short=short, address=address, households=households)


def _profile(community: Community) -> Profile:
    """The community's own record: its name, sub-district, office and party secretary."""
    extra = random.Random("community-profile")
    secretary = community.by_role(StaffRole.SECRETARY)[0]
    return Profile(
        id=seeded_id(extra),
        name="新宁社区",
        sub_district="新宁街道",
        phone=landline(extra),
        secretary=secretary.name,
        secretary_phone=secretary.phone,
    )


def _home(person: Resident) -> tuple[str, ...]:
    return (person.name, person.compound, person.building, person.unit, person.room)


def _resident(rng: random.Random, compound: Compound, birth_base: int) -> Resident:
    age_roll = rng.random()
    if age_roll < 0.14:
        age = rng.randint(80, 99)
    elif age_roll < 0.45:
        age = rng.randint(60, 79)
    else:
        age = rng.randint(18, 59)
    birth_year = birth_base - age
    flags = []
    if age >= 80:
        flags.append("aged80")
    if age >= 70 and rng.random() < 0.2:
        flags.append("mobility")
    if age >= 65 and rng.random() < 0.15:
        flags.append("alone")
    if rng.random() < 0.04:
        flags.append("difficulty")
    birth_date = ""
    if rng.random() < 0.7:
        birth_date = f"{birth_year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return Resident(
        id=seeded_id(rng),
        name=person_name(rng),
        compound=compound.id,
        building=rng.choice(compound.buildings),
        unit=str(rng.randint(1, 4)),
        room=f"{rng.randint(1, 18)}{rng.randint(1, 4):02d}",
        phone=mobile(rng) if rng.random() < 0.8 else "",
        gender=rng.choice("fm"),
        birth_year=birth_year,
        birth_date=birth_date,
        flags=flags,
    )

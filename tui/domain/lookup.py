"""Finding a returning resident while the name is typed.

By Chinese name (prefix), by pinyin in full or by initials ("wzh"), or by
the last four digits of the phone. Keys sit in sorted lists searched with
bisect, so a keystroke costs O(log n + matches), also for 100,000 people.
"""

from __future__ import annotations

import bisect
import dataclasses
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from tui.domain.pinyin import has_cjk, keys
from tui.domain.records import Resident, Visit

SCAN_CAP = 400  # matches gathered before ranking; more letters narrow it further


@dataclass(frozen=True)
class Candidate:
    """Someone the desk has seen: a registered resident or a past walk-in."""

    key: str  # resident id, or "visit:<id>" for a walk-in never registered
    name: str
    compound: str
    building: str
    unit: str
    room: str
    phone: str
    flags: tuple[str, ...]
    resident: str  # Resident id, "" for a walk-in
    last_seen: str = ""  # day of the latest visit, if any


def candidates(residents: Iterable[Resident], visits: Iterable[Visit]) -> list[Candidate]:
    """Registry residents, plus walk-ins from past visits who never got registered."""
    people = {
        r.id: Candidate(
            r.id, r.name, r.compound, r.building, r.unit, r.room, r.phone, tuple(r.flags), r.id
        )
        for r in residents
    }
    walk_ins: dict[tuple[str, str], Candidate] = {}
    for v in sorted(visits, key=lambda v: v.day):
        if v.resident in people:
            people[v.resident] = dataclasses.replace(people[v.resident], last_seen=v.day)
        elif not v.resident:
            flags = tuple(f for f in v.flags if f != "priority")
            walk_ins[(v.name, v.phone)] = Candidate(
                f"visit:{v.id}",
                v.name,
                v.compound,
                v.building,
                v.unit,
                v.room,
                v.phone,
                flags,
                "",
                v.day,
            )
    return [*people.values(), *walk_ins.values()]


def _entries(person: Candidate, index: int) -> tuple[list[Entry], list[Entry], list[Entry]]:
    names = [(person.name, index)]
    spelled = []
    for full, initials in keys(person.name):
        spelled.append((full, index))
        if initials != full:
            spelled.append((initials, index))
    digits = "".join(c for c in person.phone if c.isdigit())
    phones = [(digits[-4:], index)] if len(digits) >= 4 else []
    return names, spelled, phones


Entry = tuple[str, int]


class PersonIndex:
    def __init__(self, people: list[Candidate]) -> None:
        self.people = people
        names: list[Entry] = []
        spelled: list[Entry] = []
        phones: list[Entry] = []
        for index, person in enumerate(people):
            n, s, p = _entries(person, index)
            names += n
            spelled += s
            phones += p
        self._names = sorted(names)
        self._spelled = sorted(spelled)
        self._phones = sorted(phones)
        self._by_key = {person.key: index for index, person in enumerate(people)}

    def add(self, person: Candidate) -> None:
        """Add or refresh one person (just saved at this desk) without a rebuild.

        A refreshed person keeps their old keys too: a stale key can only add a
        match, and the next full rebuild drops it."""
        index = self._by_key.get(person.key)
        if index is None:
            index = len(self.people)
            self.people.append(person)
            self._by_key[person.key] = index
        else:
            self.people[index] = person
        for table, entries in zip(
            (self._names, self._spelled, self._phones), _entries(person, index), strict=True
        ):
            for entry in entries:
                position = bisect.bisect_left(table, entry)
                if position == len(table) or table[position] != entry:
                    table.insert(position, entry)

    def get(self, key: str) -> Candidate | None:
        index = self._by_key.get(key)
        return self.people[index] if index is not None else None

    @staticmethod
    def _prefixed(table: list[tuple[str, int]], prefix: str) -> list[int]:
        start = bisect.bisect_left(table, (prefix, -1))
        found: list[int] = []
        for key, index in table[start:]:
            if not key.startswith(prefix) or len(found) >= SCAN_CAP:
                break
            found.append(index)
        return found

    def search(self, query: str, *, limit: int = 8, compound: str = "") -> list[Candidate]:
        """Best matches first: exact name, then this compound, then the most recent."""
        text = unicodedata.normalize("NFKC", query).strip().lower().replace(" ", "")
        if not text:
            return []
        if text.isdigit():
            hits = self._prefixed(self._phones, text[-4:]) if len(text) <= 4 else []
        elif has_cjk(text):
            hits = self._prefixed(self._names, query.strip())
        else:
            hits = self._prefixed(self._spelled, text)
        unique = list(dict.fromkeys(hits))

        def rank(index: int) -> tuple[bool, bool, bool, str, str]:
            person = self.people[index]
            return (
                person.name != query.strip(),
                bool(compound) and person.compound != compound,
                not person.resident,
                _reverse(person.last_seen),
                person.name,
            )

        return [self.people[i] for i in sorted(unique, key=rank)[:limit]]


def _reverse(day: str) -> str:
    """Sort key putting later days first (and never-seen last)."""
    return "".join(chr(0x7F - ord(c)) for c in day) if day else "\x7f"


def same_contact(residents: Iterable[Resident], new: Resident) -> Resident | None:
    """A registered resident with the new one's phone number, or at its
    address: most likely the same person (or household) typed in as new,
    for instance over a name that was picked before."""
    for known in residents:
        if known.id == new.id:
            continue
        if new.phone and known.phone == new.phone:
            return known
        home = (new.compound, new.building, new.unit, new.room)
        if new.room and (known.compound, known.building, known.unit, known.room) == home:
            return known
    return None

"""Typed change events: what a commit changed, for whoever shows or sends it.

A repository reports every commit, its own process's and others', as a
Change: which kinds of record, for which session days and compounds, and
where it came from. Screens reload what they show only when a change touches
it; the display listens for tickets; a sync would send what changed here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """The kinds of record, as stored in each document's `kind`."""

    COMMUNITY = "community"
    COMPOUND = "compound"
    STAFF = "staff"
    PARTY = "party"
    CATEGORY = "category"
    RESIDENT = "resident"
    REQUEST = "request"
    SESSION = "session"
    VISIT = "visit"
    TICKET = "ticket"
    CASE = "case"
    CERTIFICATION = "certification"
    OUTING = "outing"


REGISTRY_KINDS = frozenset({Kind.COMMUNITY, Kind.COMPOUND, Kind.STAFF, Kind.PARTY, Kind.CATEGORY})
DAY_KINDS = frozenset({Kind.SESSION, Kind.VISIT, Kind.TICKET})
EVERYTHING = frozenset(Kind)


class Origin(StrEnum):
    HERE = "here"  # this process committed it
    ELSEWHERE = "elsewhere"  # another process, desk or laptop did


@dataclass(frozen=True)
class Change:
    """One commit (or, from another process, one notification's worth of them).

    `days` and `compounds` narrow the change where the repository knows them:
    empty means "not known", so a reader of those kinds reloads whatever it
    shows. `device` is the writer's device id when known."""

    kinds: frozenset[Kind]
    origin: Origin = Origin.ELSEWHERE
    days: frozenset[str] = frozenset()
    compounds: frozenset[str] = frozenset()
    device: str = ""

    def touches(self, *kinds: Kind) -> bool:
        return not self.kinds.isdisjoint(kinds)

    def touches_day(self, day: str) -> bool:
        """Does it change this session day's sessions, visits or tickets?"""
        return self.touches(*DAY_KINDS) and (not self.days or day in self.days)

    @property
    def mine(self) -> bool:
        return self.origin is Origin.HERE


def merged(changes: Iterable[Change]) -> Change | None:
    """Several changes as one (a screen that was hidden catches up once)."""
    found = list(changes)
    if not found:
        return None
    kinds = frozenset().union(*(c.kinds for c in found))
    origin = Origin.HERE if all(c.mine for c in found) else Origin.ELSEWHERE
    unknown_days = any(c.touches(*DAY_KINDS) and not c.days for c in found)
    unknown_compounds = any(Kind.RESIDENT in c.kinds and not c.compounds for c in found)
    days = frozenset() if unknown_days else frozenset().union(*(c.days for c in found))
    compounds = (
        frozenset() if unknown_compounds else frozenset().union(*(c.compounds for c in found))
    )
    devices = {c.device for c in found}
    return Change(kinds, origin, days, compounds, devices.pop() if len(devices) == 1 else "")


@dataclass(frozen=True)
class SyncOutcome:
    """What a sync with the office server did (docs/SYNC.md)."""

    pulled: int  # documents taken in
    pushed: int  # rows the server changed for this laptop's documents
    conflicts: int  # records with a new conflict for staff to settle (F8)
    folded: int  # records found entered twice and made one

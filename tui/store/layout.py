"""Where each record lives in the data folder.

Hot files stay small so a save costs the same on day 1 and in year 5:

    meta.json               schema version
    device.json             this laptop's device id (not exported, not copied)
    registry.json           the community, compounds, staff, outside parties, categories
    residents/<compound>.json  the resident registry, one file per compound
                            (schema 1 kept every resident in residents.json)
    requests.json           what residents asked for at the next session
    days/YYYY-MM-DD.json    one session day: sessions, visits, tickets
    cases/open.json         every case not yet closed
    cases/closed/YYYY-MM.json  closed cases, by the month of their visit
    backups/YYYY-MM-DD/     daily copies of the data files (7 kept)
    drafts/desk-N.json      the intake form as typed, until saved or discarded
    reports/YYYY-MM-DD/     hand-over reports written when a session closes
    certifications/YYYYQn.json  elderly-subsidy certifications of one quarter
    plan.json               the months' planned outings of the desk
    redirects.json          residents and sessions entered on two laptops and
                            folded into one: each other copy's id -> the one kept
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from tui.domain.states import CaseStatus

META = "meta.json"
DEVICE = "device.json"
REGISTRY = "registry.json"
RESIDENTS_DIR = "residents"
RESIDENTS_V1 = "residents.json"  # schema 1: every resident in one file (migrated away)
NO_COMPOUND = "_none"  # residents/_none.json: no compound, or an id unfit to name a file
REQUESTS = "requests.json"
REPORTS = "reports"
CERTIFICATIONS = "certifications"
DAYS = "days"
CASES = "cases"
CASES_OPEN = "cases/open.json"
CASES_CLOSED = "cases/closed"
BACKUPS = "backups"
DRAFTS = "drafts"
PLAN = "plan.json"
REDIRECTS = "redirects.json"
LOCK = ".lock"

REGISTRY_KINDS = ("community", "compound", "staff", "party", "category")
DAY_KINDS = ("session", "visit", "ticket")
FOLDERS = (DAYS, CASES, CASES_CLOSED, CERTIFICATIONS, BACKUPS, DRAFTS, RESIDENTS_DIR)

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def day_path(day: str) -> str:
    """A day's file; a day that does not exist (2026-02-30) has none."""
    if not _DAY.match(day):
        raise ValueError(f"not a day: {day!r}")
    try:
        date.fromisoformat(day)
    except ValueError:
        raise ValueError(f"not a day: {day!r}") from None
    return f"{DAYS}/{day}.json"


_QUARTER = re.compile(r"^\d{4}Q[1-4]$")


def certification_path(quarter: str) -> str:
    if not _QUARTER.match(quarter):
        raise ValueError(f"not a quarter: {quarter!r}")
    return f"{CERTIFICATIONS}/{quarter}.json"


def archive_path(month: str) -> str:
    return f"{CASES_CLOSED}/{month}.json"


# A compound id names its residents' file only when it is a safe file name on
# every system: lower-case letters, digits and dashes (what uuid4 gives), so
# two ids never meet in one file on a case-insensitive disk (Windows, macOS),
# and never a device name Windows reserves. "_none" cannot be such an id.
_FILE_ID = re.compile(r"[0-9a-z][0-9a-z-]{0,63}")
_WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))}
)
_RESIDENTS_FILE = re.compile(rf"{RESIDENTS_DIR}/({NO_COMPOUND}|{_FILE_ID.pattern})\.json")


def residents_path(compound: str) -> str:
    """The file of one compound's residents."""
    fits = _FILE_ID.fullmatch(compound) and compound not in _WINDOWS_DEVICES
    return f"{RESIDENTS_DIR}/{compound if fits else NO_COMPOUND}.json"


def is_residents_file(rel: str) -> bool:
    """Does this data file hold residents (a compound's file, or schema 1's
    residents.json)? For those deciding what to reload after another
    process wrote it."""
    return rel == RESIDENTS_V1 or _RESIDENTS_FILE.fullmatch(rel) is not None


def compound_of_file(rel: str) -> str | None:
    """The compound whose residents a file holds; None when that is not
    known from the name (residents/_none.json, residents.json)."""
    match = _RESIDENTS_FILE.fullmatch(rel)
    return match.group(1) if match and match.group(1) != NO_COMPOUND else None


def resident_files(root: Path) -> list[str]:
    """The files holding residents: those in residents/, or in a folder of
    schema 1 (no residents/ folder) residents.json."""
    folder = root / RESIDENTS_DIR
    if folder.is_dir():
        return sorted(
            f"{RESIDENTS_DIR}/{p.name}" for p in folder.glob("*.json") if not p.name.startswith(".")
        )
    return [RESIDENTS_V1] if (root / RESIDENTS_V1).exists() else []


def path_for(doc: dict[str, Any]) -> str:
    """The data file (relative to the folder) a record document belongs in."""
    kind = doc.get("kind")
    if doc.get("redirect"):
        return REDIRECTS
    if kind in REGISTRY_KINDS:
        return REGISTRY
    if kind == "resident":
        return residents_path(str(doc.get("compound") or ""))
    if kind == "request":
        return REQUESTS
    if kind == "certification":
        return certification_path(str(doc.get("quarter", "")))
    if kind in DAY_KINDS:
        return day_path(str(doc.get("day", "")))
    if kind == "outing":
        return PLAN
    if kind == "case":
        if doc.get("status") == CaseStatus.CLOSED:
            return archive_path(day_path(str(doc.get("day", "")))[5:12])
        return CASES_OPEN
    raise ValueError(f"unknown record kind: {kind!r}")


def data_files(root: Path) -> list[str]:
    """Every record file present, relative to root, hot files first."""
    found = [
        name
        for name in (META, REGISTRY, RESIDENTS_V1, REQUESTS, CASES_OPEN, PLAN, REDIRECTS)
        if (root / name).exists()
    ]
    for folder in (RESIDENTS_DIR, DAYS, CASES_CLOSED, CERTIFICATIONS):
        found += sorted(f"{folder}/{p.name}" for p in (root / folder).glob("*.json"))
    return found


def draft_path(desk: int) -> str:
    return f"{DRAFTS}/desk-{desk}.json"

"""Where each record lives in the data folder.

Hot files stay small so a save costs the same on day 1 and in year 5:

    meta.json               schema version
    device.json             this laptop's device id (not exported, not copied)
    registry.json           the community, compounds, staff, outside parties, categories
    residents.json          the resident registry
    requests.json           what residents asked for at the next session
    days/YYYY-MM-DD.json    one session day: sessions, visits, tickets
    cases/open.json         every case not yet closed
    cases/closed/YYYY-MM.json  closed cases, by the month of their visit
    backups/YYYY-MM-DD/     daily copies of the data files (7 kept)
    drafts/desk-N.json      the intake form as typed, until saved or discarded
    reports/YYYY-MM-DD/     hand-over reports written when a session closes
    certifications/YYYYQn.json  elderly-subsidy certifications of one quarter
    plan.json               the months' planned outings of the desk
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
RESIDENTS = "residents.json"
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
LOCK = ".lock"

REGISTRY_KINDS = ("community", "compound", "staff", "party", "category")
DAY_KINDS = ("session", "visit", "ticket")
FOLDERS = (DAYS, CASES, CASES_CLOSED, CERTIFICATIONS, BACKUPS, DRAFTS)

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


def path_for(doc: dict[str, Any]) -> str:
    """The data file (relative to the folder) a record document belongs in."""
    kind = doc.get("kind")
    if kind in REGISTRY_KINDS:
        return REGISTRY
    if kind == "resident":
        return RESIDENTS
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
        for name in (META, REGISTRY, RESIDENTS, REQUESTS, CASES_OPEN, PLAN)
        if (root / name).exists()
    ]
    for folder in (DAYS, CASES_CLOSED, CERTIFICATIONS):
        found += sorted(f"{folder}/{p.name}" for p in (root / folder).glob("*.json"))
    return found


def draft_path(desk: int) -> str:
    return f"{DRAFTS}/desk-{desk}.json"

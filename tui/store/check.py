"""`fielddesk check`: read-only integrity report of a data folder.

Never moves or changes anything: a corrupt file is reported, not quarantined.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from tui.domain.merge import open_conflicts, resolve
from tui.domain.record_rules import metadata_errors, redirect_errors
from tui.domain.records import RECORD_TYPES
from tui.durable import FILE_MODE, TEMP_SUFFIX
from tui.store.journal import JOURNAL
from tui.store.layout import (
    DAYS,
    META,
    REDIRECTS,
    REGISTRY,
    RESIDENTS_DIR,
    RESIDENTS_V1,
    data_files,
    day_path,
    path_for,
)
from tui.store.schema import CURRENT
from tui.store.storage import parse_tables

META_FIELDS = ("id", "kind", "rev", "created_at", "updated_at", "device", "by")


@dataclass(frozen=True)
class Finding:
    file: str
    code: str  # message id
    detail: str = ""


@dataclass
class Report:
    problems: list[Finding] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)
    files: int = 0
    records: int = 0

    def add(self, file: str, code: str, detail: str = "") -> None:
        self.problems.append(Finding(file, code, detail))


def _is_iso(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        return datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def _check_doc(report: Report, rel: str, table: str, doc: dict[str, Any], version: int) -> None:
    ident = str(doc.get("id", "?"))
    missing = [name for name in META_FIELDS if name not in doc]
    if missing:
        report.add(rel, "check.missing_fields", f"{ident}: {', '.join(missing)}")
        return
    if doc["kind"] not in RECORD_TYPES or doc["kind"] != table:
        report.add(rel, "check.wrong_kind", f"{ident}: {doc['kind']} in table {table}")
        return
    if not isinstance(doc["rev"], int) or doc["rev"] < 1:
        report.add(rel, "check.bad_rev", ident)
    if not (_is_iso(doc["created_at"]) and _is_iso(doc["updated_at"])):
        report.add(rel, "check.bad_time", ident)
    try:
        # Schema 1 (a folder read as it is) kept every resident in residents.json.
        belongs = RESIDENTS_V1 if version < 2 and doc["kind"] == "resident" else path_for(doc)
    except ValueError:
        report.add(rel, "check.bad_day", ident)
        return
    if belongs != rel:
        report.add(rel, "check.wrong_file", f"{ident} belongs in {belongs}")
    errors = metadata_errors(RECORD_TYPES[doc["kind"]], doc)
    if errors:
        report.add(rel, "check.bad_metadata", f"{ident}: {', '.join(e.field for e in errors)}")


def _check_redirect(report: Report, table: str, doc: dict[str, Any]) -> None:
    """A record folded into another keeps {"id", "kind", "redirect"} only."""
    if redirect_errors(doc) or doc.get("kind") != table:
        report.add(REDIRECTS, "check.bad_redirect", str(doc.get("id", "?")))


def _file_of(doc: dict[str, Any]) -> str:
    try:
        return path_for(doc)
    except ValueError:
        return "?"


def _check_duplicates(
    report: Report, docs: dict[str, list[dict[str, Any]]], links: dict[str, str]
) -> None:
    """One session a compound a day; one ticket a number a day at a compound."""
    sessions: dict[tuple[str, str], str] = {}
    compound_of: dict[str, str] = {}
    for doc in docs.get("session", []):
        if doc.get("redirect"):
            continue
        compound_of[str(doc["id"])] = str(doc.get("compound", ""))
        place = (str(doc.get("compound", "")), str(doc.get("day", "")))
        if place in sessions:
            detail = f"{doc['id']} and {sessions[place]}: {place[1]}"
            report.add(_file_of(doc), "check.duplicate_session", detail)
        sessions.setdefault(place, str(doc["id"]))
    visit_compound = {
        str(v["id"]): compound_of.get(resolve(str(v.get("session", "")), links), "")
        for v in docs.get("visit", [])
    }
    numbers: dict[tuple[str, str, str], str] = {}
    for doc in docs.get("ticket", []):
        compound = visit_compound.get(str(doc.get("visit", "")), "")
        key = (str(doc.get("day", "")), compound, str(doc.get("number", "")))
        if key in numbers:
            detail = f"{key[2]} ({doc['id']} and {numbers[key]}): {key[0]}"
            report.add(_file_of(doc), "check.duplicate_ticket", detail)
        numbers.setdefault(key, str(doc["id"]))


def check_folder(root: Path) -> Report:
    report = Report()
    if not root.is_dir():
        report.add(str(root), "check.no_folder")
        return report
    seen: dict[str, str] = {}
    docs: dict[str, list[dict[str, Any]]] = {}
    version = _version(root)
    if version >= 2 and (root / RESIDENTS_V1).exists():
        report.add(RESIDENTS_V1, "check.residents_v1_left", f"{RESIDENTS_DIR}/")
    for rel in data_files(root):
        report.files += 1
        redirecting = rel == REDIRECTS
        path = root / rel
        # Windows has no 0600: its modes say nothing about who may read a file.
        if os.name == "posix" and os.stat(path).st_mode & 0o777 != FILE_MODE:
            report.notes.append(Finding(rel, "check.permissions", oct(path.stat().st_mode & 0o777)))
        try:
            tables = parse_tables(path.read_bytes())
        except (OSError, ValueError) as err:
            report.add(rel, "check.unreadable", str(err))
            continue
        if rel == META:
            stated = next(iter(tables.get("meta", {}).values()), {}).get("schema")
            if not isinstance(stated, int) or stated > CURRENT:
                report.add(rel, "check.schema", str(stated))
            continue
        for table, rows in tables.items():
            for doc in rows.values():
                report.records += 1
                if redirecting:
                    _check_redirect(report, table, doc)
                else:
                    _check_doc(report, rel, table, doc, version)
                ident = str(doc.get("id"))
                if ident in seen:
                    report.add(rel, "check.duplicate_id", f"{ident} also in {seen[ident]}")
                seen[ident] = rel
                docs.setdefault(str(doc.get("kind")), []).append(doc)
    links = {
        str(d["id"]): str(d["redirect"])
        for group in docs.values()
        for d in group
        if d.get("redirect")
    }
    _check_references(report, docs, version, links)
    _check_duplicates(report, docs, links)
    for group in docs.values():
        for doc in group:
            for c in open_conflicts(doc):
                detail = f"{doc.get('kind')} {doc.get('id')}: {c['field']}"
                report.notes.append(Finding(_file_of(doc), "check.open_conflict", detail))
    for leftover in sorted(root.rglob("*.corrupt-*")):
        report.notes.append(Finding(str(leftover.relative_to(root)), "check.moved_aside"))
    if (root / JOURNAL).exists():
        report.notes.append(Finding(JOURNAL, "check.pending_commit"))
    for temp in sorted(root.rglob(f".*{TEMP_SUFFIX}")):
        report.notes.append(Finding(str(temp.relative_to(root)), "check.stale_temp"))
    return report


def _followed(doc: dict[str, Any], links: dict[str, str]) -> dict[str, Any]:
    """`doc` with its resident and session through the redirects."""
    if not links:
        return doc
    moved = {k: resolve(str(doc[k]), links) for k in ("resident", "session") if doc.get(k)}
    return {**doc, **moved} if moved else doc


def _version(root: Path) -> int:
    """The folder's schema version (reported, when it is not one, by the
    check of meta.json); a folder without one is read as the current."""
    try:
        tables = parse_tables((root / META).read_bytes())
    except (OSError, ValueError):
        return CURRENT
    version = next(iter(tables.get("meta", {}).values()), {}).get("schema")
    return version if isinstance(version, int) and not isinstance(version, bool) else CURRENT


def _check_references(
    report: Report, docs: dict[str, list[dict[str, Any]]], version: int, links: dict[str, str]
) -> None:
    """Every reference finds its record, through the redirects of records
    folded into another; a redirect finds the record it names."""
    ids = {
        kind: {d.get("id") for d in group if not d.get("redirect")} for kind, group in docs.items()
    }
    for group in docs.values():
        for doc in group:
            target = doc.get("redirect")
            if target and resolve(str(target), links) not in ids.get(str(doc.get("kind")), set()):
                report.add(REDIRECTS, "check.dangling", f"{doc.get('id')}: redirect")
    docs = {
        kind: [_followed(d, links) for d in group if not d.get("redirect")]
        for kind, group in docs.items()
    }
    codes = {c.get("code") for c in docs.get("category", [])}
    for doc in docs.get("resident", []):
        if doc.get("compound") and doc["compound"] not in ids.get("compound", set()):
            rel = RESIDENTS_V1 if version < 2 else path_for(doc)
            report.add(rel, "check.dangling", f"{doc['id']}: compound")
    for doc in docs.get("visit", []):
        rel = day_path(str(doc.get("day"))) if doc.get("day") else DAYS
        if doc.get("category") and doc["category"] not in codes:
            report.add(rel, "check.dangling", f"{doc['id']}: category {doc['category']}")
        for ref, kind in (("ticket", "ticket"), ("case", "case"), ("resident", "resident")):
            if doc.get(ref) and doc[ref] not in ids.get(kind, set()):
                report.add(rel, "check.dangling", f"{doc['id']}: {ref}")
    for doc in docs.get("case", []):
        if doc.get("visit") not in ids.get("visit", set()):
            report.add("cases", "check.dangling", f"{doc['id']}: visit")
    for doc in docs.get("certification", []):
        if doc.get("resident") not in ids.get("resident", set()):
            report.add(
                f"certifications/{doc.get('quarter')}.json",
                "check.dangling",
                f"{doc['id']}: resident",
            )
    for doc in docs.get("compound", []):
        if doc.get("grid_worker") and doc["grid_worker"] not in ids.get("staff", set()):
            report.add(REGISTRY, "check.dangling", f"{doc['id']}: grid_worker")

"""Export every record to one JSON document, and import such a document back.

Import merges by record id and rev, so it is exact and idempotent: a record
is added when new, replaced when the incoming rev is higher, left alone when
equal; a lower rev, or an equal rev with different content (two laptops
edited the same record), is kept as it is and reported as a conflict.
A file with any malformed record is refused whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from tui.domain.records import RECORD_TYPES
from tui.store.layout import CASES_OPEN, META, archive_path, data_files, path_for
from tui.store.repository import Store
from tui.store.schema import CURRENT
from tui.store.storage import parse_tables, remove_many

FORMAT = "fielddesk-export"
FORMAT_VERSION = 1


class ImportRefused(ValueError):
    """The file cannot be imported; `problems` lists (record number, message id)."""

    def __init__(self, code: str, problems: list[tuple[int, str]] | None = None) -> None:
        self.code = code
        self.problems = problems or []
        super().__init__(code)


@dataclass
class ImportSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)  # record ids kept as they were


def collect(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Every record in the folder, grouped by kind, each group sorted by id."""
    grouped: dict[str, list[dict[str, Any]]] = {kind: [] for kind in RECORD_TYPES}
    for rel in data_files(store.root):
        if rel == META:
            continue
        doc_file = store.file(rel)
        for table in doc_file.tables():
            for doc in doc_file.all(table):
                grouped.setdefault(str(doc.get("kind", table)), []).append(dict(doc))
    for docs in grouped.values():
        docs.sort(key=lambda d: str(d.get("id")))
    return grouped


def export_payload(store: Store) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema": CURRENT,
        "device": store.device,
        "exported_at": store.now().isoformat(timespec="seconds"),
        "records": collect(store),
    }


def export_bytes(store: Store) -> bytes:
    return orjson.dumps(export_payload(store), option=orjson.OPT_INDENT_2)


def read_payload(path: Path) -> list[dict[str, Any]]:
    """Parse an export file into its records, or raise ImportRefused."""
    try:
        payload = orjson.loads(path.read_bytes())
    except (OSError, ValueError):
        raise ImportRefused("import.unreadable") from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ImportRefused("import.not_an_export")
    if int(payload.get("schema", 0)) > CURRENT:
        raise ImportRefused("import.schema_too_new")
    groups = payload.get("records")
    if not isinstance(groups, dict) or not all(isinstance(g, list) for g in groups.values()):
        raise ImportRefused("import.not_an_export")
    return [doc for docs in groups.values() for doc in docs]


def docs_of_file(path: Path) -> list[dict[str, Any]]:
    """The record documents in one data file (for restoring a backup copy)."""
    tables = parse_tables(path.read_bytes())
    return [dict(doc) for table in tables.values() for doc in table.values()]


def _problem(doc: Any) -> str | None:
    if not isinstance(doc, dict):
        return "import.bad_record"
    if not isinstance(doc.get("id"), str) or not doc["id"]:
        return "import.no_id"
    if doc.get("kind") not in RECORD_TYPES:
        return "import.unknown_kind"
    if not isinstance(doc.get("rev"), int) or doc["rev"] < 1:
        return "import.bad_rev"
    try:
        path_for(doc)
    except ValueError:
        return "import.bad_day"
    return None


def import_docs(store: Store, docs: list[dict[str, Any]]) -> ImportSummary:
    """Merge record documents into the store; all or nothing on bad records."""
    problems = [(n, p) for n, doc in enumerate(docs, 1) if (p := _problem(doc))]
    if problems:
        raise ImportRefused("import.bad_records", problems)
    summary = ImportSummary()
    puts: dict[tuple[str, str], list[dict[str, Any]]] = {}
    removals: dict[tuple[str, str], set[str]] = {}
    indexes: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}

    def stored(rel: str, kind: str) -> dict[str, dict[str, Any]]:
        """id -> document of one file's table, read once per import."""
        if (rel, kind) not in indexes:
            indexes[rel, kind] = {d["id"]: d for d in store.file(rel).all(kind)}
        return indexes[rel, kind]

    with store.lock:
        for doc in docs:
            target = path_for(doc)
            places = [target]
            if doc["kind"] == "case":
                places = [CASES_OPEN, archive_path(str(doc["day"])[:7])]
            found_in, current = None, None
            for rel in places:
                current = stored(rel, doc["kind"]).get(doc["id"])
                if current is not None:
                    found_in = rel
                    break
            if current is None:
                summary.added += 1
            elif doc["rev"] > int(current.get("rev", 0)):
                summary.updated += 1
                if found_in != target:
                    removals.setdefault((str(found_in), doc["kind"]), set()).add(doc["id"])
            else:
                if doc["rev"] == current.get("rev") and doc == dict(current):
                    summary.unchanged += 1
                else:
                    summary.conflicts.append(doc["id"])
                continue
            puts.setdefault((target, doc["kind"]), []).append(doc)
        for (rel, kind), group in puts.items():
            store.file(rel).put_many(kind, group)
        for (rel, kind), ids in removals.items():
            remove_many(store.file(rel), kind, ids)
    return summary

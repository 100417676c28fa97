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

from tui.domain.errors import FieldError, ValidationFailed
from tui.domain.records import RECORD_TYPES, Record
from tui.domain.validate import validate_document
from tui.store.journal import Changes
from tui.store.layout import (
    CASES_OPEN,
    META,
    archive_path,
    data_files,
    is_residents_file,
    path_for,
)
from tui.store.repository import Store
from tui.store.schema import CURRENT
from tui.store.storage import parse_tables

FORMAT = "fielddesk-export"
FORMAT_VERSION = 1


class ImportRefused(ValueError):
    """The file cannot be imported. `problems` lists, per bad record, its number
    in the file, its id (or "") and what is wrong with which field."""

    def __init__(self, code: str, problems: list[RecordProblem] | None = None) -> None:
        self.code = code
        self.problems = problems or []
        super().__init__(code)


@dataclass(frozen=True)
class RecordProblem:
    number: int  # 1-based position among the file's records
    record_id: str
    errors: tuple[FieldError, ...]


@dataclass
class ImportSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)  # record ids kept as they were


def collect(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Every record in the folder, grouped by kind, each group sorted by id."""
    grouped: dict[str, list[dict[str, Any]]] = {kind: [] for kind in RECORD_TYPES}
    residents = set(store.resident_files())  # not a residents.json left beside residents/
    for rel in data_files(store.root):
        if rel == META or (is_residents_file(rel) and rel not in residents):
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


def read_payload(source: Path | bytes) -> list[dict[str, Any]]:
    """Parse an export (a file, or the bytes read from standard input) into
    its records, or raise ImportRefused."""
    try:
        payload = orjson.loads(source if isinstance(source, bytes) else source.read_bytes())
    except (OSError, ValueError):
        raise ImportRefused("import.unreadable") from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ImportRefused("import.not_an_export")
    schema = payload.get("schema")
    if not isinstance(schema, int) or isinstance(schema, bool):
        raise ImportRefused("import.not_an_export")
    if schema > CURRENT:
        raise ImportRefused("import.schema_too_new")
    groups = payload.get("records")
    if not isinstance(groups, dict) or not all(isinstance(g, list) for g in groups.values()):
        raise ImportRefused("import.not_an_export")
    return [doc for docs in groups.values() for doc in docs]


def docs_of_file(path: Path) -> list[dict[str, Any]]:
    """The record documents in one data file (for restoring a backup copy)."""
    tables = parse_tables(path.read_bytes())
    return [dict(doc) for table in tables.values() for doc in table.values()]


def check_docs(docs: list[Any]) -> list[Record]:
    """Every document through the validator a record typed at the desk passes
    (cleaned the same way), ids unique; else ImportRefused naming each record
    and field. One bad record refuses the whole file."""
    problems: list[RecordProblem] = []
    records: list[Record] = []
    first_of: dict[str, int] = {}
    for number, doc in enumerate(docs, 1):
        ident = str(doc.get("id", ""))[:64] if isinstance(doc, dict) else ""
        try:
            record = validate_document(doc)
        except ValidationFailed as failed:
            problems.append(RecordProblem(number, ident, tuple(failed.errors)))
            continue
        if record.id in first_of:
            error = FieldError("id", "import.duplicate_id", {"first": first_of[record.id]})
            problems.append(RecordProblem(number, ident, (error,)))
            continue
        first_of[record.id] = number
        records.append(record)
    if problems:
        raise ImportRefused("import.bad_records", problems)
    return records


def import_docs(store: Store, docs: list[Any]) -> ImportSummary:
    """Merge record documents into the store in one commit; all or nothing."""
    records = check_docs(docs)
    summary = ImportSummary()
    changes = Changes()
    indexes: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}

    def stored(rel: str, kind: str) -> dict[str, dict[str, Any]]:
        """id -> document of one file's table, read once per import."""
        if (rel, kind) not in indexes:
            indexes[rel, kind] = {d["id"]: d for d in store.file(rel).all(kind)}
        return indexes[rel, kind]

    with store.lock:
        for record in records:
            doc = record.to_dict()
            target = path_for(doc)
            places = [target]
            if record.KIND == "case":
                places = [CASES_OPEN, archive_path(str(doc["day"])[:7])]
            elif record.KIND == "resident":  # in another compound's file, if it moved
                places += [r for r in [store.resident_file(record.id)] if r and r != target]
            found_in, current = None, None
            for rel in places:
                current = stored(rel, record.KIND).get(record.id)
                if current is not None:
                    found_in = rel
                    break
            if current is None:
                summary.added += 1
            elif record.rev > int(current.get("rev", 0)):
                summary.updated += 1
                if found_in != target:
                    changes.remove(str(found_in), record.KIND, record.id)
            else:
                if record.rev == current.get("rev") and doc == dict(current):
                    summary.unchanged += 1
                else:
                    summary.conflicts.append(record.id)
                continue
            changes.put(target, record.KIND, doc)
        store.commit(changes)
    return summary

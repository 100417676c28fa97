"""Export every record to one JSON document, and import such a document back.

Import merges each record with the folder's version (tui/store/incoming.py,
docs/MERGE.md): two laptops' edits of one record both land, a field changed
on both sides unseen keeps the later value and lists the other as a
conflict, and the result does not depend on the order files are imported
in; importing a file twice changes nothing. A file with any malformed record
is refused whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from tui.domain.errors import FieldError, ValidationFailed
from tui.domain.records import RECORD_TYPES
from tui.domain.validate import validate_incoming
from tui.store.incoming import MergeSummary, merge_docs
from tui.store.layout import (
    META,
    data_files,
    is_residents_file,
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


def check_docs(docs: list[Any]) -> list[dict[str, Any]]:
    """Every document through the validator a record typed at the desk passes
    (cleaned the same way, merge metadata checked), ids unique; else
    ImportRefused naming each record and field. One bad record refuses the
    whole file."""
    problems: list[RecordProblem] = []
    clean: list[dict[str, Any]] = []
    first_of: dict[tuple[str, str], int] = {}
    for number, doc in enumerate(docs, 1):
        ident = str(doc.get("id", ""))[:64] if isinstance(doc, dict) else ""
        try:
            checked = validate_incoming(doc)
        except ValidationFailed as failed:
            problems.append(RecordProblem(number, ident, tuple(failed.errors)))
            continue
        key = (str(checked["kind"]), str(checked["id"]))
        if key in first_of:
            error = FieldError("id", "import.duplicate_id", {"first": first_of[key]})
            problems.append(RecordProblem(number, ident, (error,)))
            continue
        first_of[key] = number
        clean.append(checked)
    if problems:
        raise ImportRefused("import.bad_records", problems)
    return clean


def import_docs(store: Store, docs: list[Any]) -> MergeSummary:
    """Merge record documents into the store in one commit; all or nothing
    (tui/store/incoming.py: order-free, a second import changes nothing)."""
    clean = check_docs(docs)
    own = store.community()
    if own is not None and any(d["kind"] == "community" and d["id"] != own.id for d in clean):
        # Its records would sync under this community's name: a folder of its own.
        raise ImportRefused("import.other_community")
    return merge_docs(store, clean)

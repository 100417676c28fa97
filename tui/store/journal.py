"""Atomic commits across files: a write-ahead intent record (journal.json).

Each data file is replaced whole (files.atomic_write), so a one-file change is
already atomic. A change to several files (an intake: visit and ticket in the
day file, the resident in its compound's file; a case moving from
cases/open.json to its month's archive) is committed like this, all under the
folder lock:

1. the whole intent (for each file: documents to put, ids to remove, or the
   file to delete) is written durably to journal.json (temp file, fsync,
   replace, fsync folder);
2. each file is rewritten with its part applied (or deleted);
3. journal.json is removed and the folder fsynced.

Putting a document by id, removing by id and deleting a file are idempotent,
so an intent can be applied again any number of times. Whoever next takes the
folder lock (every writer does, first) and finds journal.json applies it and
removes it: a process killed at any instant leaves the action whole or not
started.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from tui.durable import atomic_write, fsync_dir
from tui.store.layout import is_residents_file

JOURNAL = "journal.json"
_DATA_FILE = re.compile(
    r"(registry|residents|requests|device|meta)\.json|cases/open\.json"
    r"|cases/closed/\d{4}-\d{2}\.json|days/\d{4}-\d{2}-\d{2}\.json|certifications/\d{4}Q[1-4]\.json"
)


@dataclass
class FileChange:
    """What one action does to one data file."""

    rel: str
    puts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # kind -> docs
    removes: dict[str, list[str]] = field(default_factory=dict)  # kind -> record ids
    delete: bool = False  # the file goes (a migration retiring it); puts and removes unused

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"file": self.rel, "put": self.puts, "remove": self.removes}
        if self.delete:
            data["delete"] = True
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FileChange:
        return cls(
            str(data["file"]),
            dict(data.get("put", {})),
            dict(data.get("remove", {})),
            data.get("delete") is True,
        )


class Changes:
    """The file changes of one action, gathered before anything is written."""

    def __init__(self) -> None:
        self.files: dict[str, FileChange] = {}

    def _file(self, rel: str) -> FileChange:
        return self.files.setdefault(rel, FileChange(rel))

    def put(self, rel: str, kind: str, doc: dict[str, Any]) -> None:
        self._file(rel).puts.setdefault(kind, []).append(doc)

    def remove(self, rel: str, kind: str, record_id: str) -> None:
        self._file(rel).removes.setdefault(kind, []).append(record_id)

    def drop(self, rel: str, kind: str, record_id: str) -> None:
        """Take back what was gathered for one record in one file."""
        change = self.files.get(rel)
        if change is None:
            return
        change.puts[kind] = [d for d in change.puts.get(kind, []) if d.get("id") != record_id]
        change.removes[kind] = [i for i in change.removes.get(kind, []) if i != record_id]
        for table in (change.puts, change.removes):
            if not table[kind]:
                del table[kind]
        if not change.puts and not change.removes and not change.delete:
            del self.files[rel]

    def delete(self, rel: str) -> None:
        """The whole file goes, in the same commit."""
        self._file(rel).delete = True

    def __bool__(self) -> bool:
        return bool(self.files)


def write_intent(root: Path, changes: list[FileChange]) -> None:
    payload = orjson.dumps({"changes": [c.to_dict() for c in changes]})
    atomic_write(root / JOURNAL, payload)


def read_intent(root: Path) -> list[FileChange] | None:
    """The pending intent, or None. Raises ValueError if it cannot be read:
    it was written whole by os.replace, so that means the disk damaged it."""
    try:
        raw = (root / JOURNAL).read_bytes()
    except FileNotFoundError:
        return None
    data = orjson.loads(raw)
    changes = [FileChange.from_dict(c) for c in data["changes"]]
    for change in changes:
        # Only the folder's own data files, each document with its id.
        if not (_DATA_FILE.fullmatch(change.rel) or is_residents_file(change.rel)):
            raise ValueError(f"not a data file: {change.rel!r}")
        if any(not isinstance(d, dict) or "id" not in d for ds in change.puts.values() for d in ds):
            raise ValueError("a document without an id")
    return changes


def pending(root: Path) -> bool:
    return os.path.exists(root / JOURNAL)


def clear(root: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(root / JOURNAL)
    fsync_dir(root)

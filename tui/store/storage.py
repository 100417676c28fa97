"""A TinyDB storage that cannot corrupt or lose an acknowledged write.

Stock JSONStorage rewrites its file in place and is unsafe with several
processes. This one serialises with orjson, writes a temp file beside the
target, fsyncs, os.replace()s it over the old file and fsyncs the folder,
all under the data folder's lock. Reads are lock-free and cached until the
file's (inode, mtime, size) stamp changes, so a process sees another's
commit on its next read.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from tui.durable import atomic_write, replace
from tui.repository.errors import CorruptFile
from tui.store.lock import StoreLock

Stamp = tuple[int, int, int]
Tables = dict[str, dict[str, dict[str, Any]]]

DUMP_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS


def file_stamp(path: Path) -> Stamp | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def parse_tables(raw: bytes) -> Tables:
    """Parse a TinyDB file, or raise ValueError saying what is wrong with it."""
    data = orjson.loads(raw)
    if not isinstance(data, dict):
        raise ValueError("top level is not an object")
    for name, table in data.items():
        if not isinstance(table, dict) or not all(isinstance(d, dict) for d in table.values()):
            raise ValueError(f"table {name!r} is not a map of documents")
    return data


def move_aside(path: Path, now: datetime | None = None) -> Path:
    """Rename a bad file out of the way; it is never overwritten or deleted."""
    moment = (now or datetime.now()).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{moment}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.corrupt-{moment}-{counter}")
    replace(path, target)  # retried while a reader on Windows holds it
    return target


class AtomicJSONStorage(Storage):
    def __init__(self, path: Path, lock: StoreLock) -> None:
        self.path = path
        self.lock = lock
        self._data: Tables | None = None
        self._stamp: Stamp | None = None
        self.written: Stamp | None = None  # stamp of this process's last write
        # Read-only: a bad file cannot be moved aside. It is reported once and
        # then read as empty, until it changes.
        self._bad: Stamp | None = None

    @property
    def stamp(self) -> Stamp | None:
        """The stamp of the file as last read or written here."""
        return self._stamp

    def changed(self) -> bool:
        """Has the file changed since this process last read or wrote it?"""
        return file_stamp(self.path) != self._stamp

    def read(self) -> Tables | None:
        try:
            handle = open(self.path, "rb")
        except FileNotFoundError:
            self._data, self._stamp = None, None
            return None
        except IsADirectoryError:  # a folder where the data file should be
            return self._quarantine("a folder, not a data file")
        with handle:
            st = os.fstat(handle.fileno())
            stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
            if stamp == self._stamp and self._data is not None:
                return self._data
            if stamp == self._bad:
                return None
            raw = handle.read()
        try:
            data = parse_tables(raw)
        except ValueError as err:  # orjson.JSONDecodeError is a ValueError
            if self.lock.read_only:
                self._bad = stamp
            return self._quarantine(str(err))
        self._data, self._stamp = data, stamp
        return data

    def _quarantine(self, reason: str) -> Tables | None:
        """Move a corrupt file aside (re-checked under the lock) and raise."""
        self._data, self._stamp = None, None
        moved: Path | None = None
        if self.lock.read_only:  # reported, left where it is
            raise CorruptFile(self.path, None, reason)
        with self.lock:
            try:
                parse_tables(self.path.read_bytes())
            except FileNotFoundError:
                pass
            except (ValueError, IsADirectoryError):
                moved = move_aside(self.path)
            else:
                # Another process replaced it with a good file meanwhile.
                return self.read()
        raise CorruptFile(self.path, moved, reason)

    def write(self, data: Tables) -> None:
        payload = orjson.dumps(data, option=DUMP_OPTIONS)
        with self.lock:
            try:
                atomic_write(self.path, payload)
            except BaseException:
                # TinyDB mutated our cached dict before calling write: drop it.
                self._data, self._stamp = None, None
                raise
            self._data, self._stamp = data, file_stamp(self.path)
            self.written = self._stamp

    def release(self) -> None:
        """Forget the parsed file (its stamp is kept): the next read parses it
        again. For files whose records are kept elsewhere, parsed."""
        self._data = None

    def close(self) -> None:
        self.release()


class DocFile:
    """One JSON data file: a TinyDB whose tables each hold one record kind."""

    def __init__(self, path: Path, lock: StoreLock) -> None:
        self.path = path
        self.lock = lock
        self.storage = AtomicJSONStorage(path, lock)
        self.db = TinyDB(storage=_Given(self.storage))
        self._index: dict[str, dict[str, Any]] = {}
        self._index_of: object = None

    def refresh(self) -> bool:
        """Drop TinyDB's caches if another process changed the file."""
        if not self.storage.changed():
            return False
        self._reset_tables()
        return True

    def _reset_tables(self) -> None:
        for table in self.db._tables.values():
            table.clear_cache()
            # TinyDB remembers the next doc_id; another writer may have used it.
            table._next_id = None

    def release(self) -> None:
        """Hold no parsed documents until the next read (see Store.records)."""
        self.storage.release()
        self._index, self._index_of = {}, None

    def table(self, name: str) -> Table:
        self.refresh()
        return self.db.table(name)

    def all(self, name: str) -> list[dict[str, Any]]:
        return list(self.table(name).all())

    def tables(self) -> list[str]:
        self.refresh()
        return sorted((self.storage.read() or {}).keys())

    def get(self, name: str, record_id: str) -> dict[str, Any] | None:
        """One document by record id: a dict look-up, not a scan of the table."""
        return self._ids(name).get(record_id)

    def _ids(self, name: str) -> dict[str, dict[str, Any]]:
        self.refresh()
        data = self.storage.read() or {}
        table = data.get(name, {})
        # Rebuilt only when the storage hands out a new table (another write or reload).
        if self._index_of is not table:
            self._index = {str(doc.get("id")): doc for doc in table.values()}
            self._index_of = table
        return self._index

    def upsert(self, name: str, doc: dict[str, Any]) -> None:
        """Insert or replace one document in a single write (TinyDB's own upsert
        writes twice when the document is new)."""
        self.put_many(name, [doc])

    def remove(self, name: str, record_id: str) -> None:
        remove_many(self, name, {record_id})

    def put_many(self, name: str, docs: list[dict[str, Any]]) -> None:
        """Insert or replace many documents (matched on `id`) in one write."""
        self.apply({name: docs}, {})

    def apply(self, puts: dict[str, list[dict[str, Any]]], removes: dict[str, list[str]]) -> None:
        """Put documents (matched on `id`) and remove ids, in any tables, in one
        write. Doing it twice gives the same file: the journal relies on that."""
        with self.lock:
            self.refresh()
            current = self.storage.read() or {}
            updated = dict(current)
            for name in dict.fromkeys([*puts, *removes]):
                gone = set(removes.get(name, ()))
                raw = {k: d for k, d in current.get(name, {}).items() if d.get("id") not in gone}
                index = {doc.get("id"): key for key, doc in raw.items()}
                next_key = max((int(k) for k in raw), default=0) + 1
                for doc in puts.get(name, ()):
                    key = index.get(doc["id"])
                    if key is None:
                        key = str(next_key)
                        next_key += 1
                        index[doc["id"]] = key
                    raw[key] = doc
                updated[name] = raw
            self.storage.write(updated)
            self._reset_tables()


class _Given:
    """TinyDB builds its storage itself; hand it the one we already made."""

    def __init__(self, storage: AtomicJSONStorage) -> None:
        self.storage = storage

    def __call__(self) -> AtomicJSONStorage:
        return self.storage


def remove_many(doc_file: DocFile, name: str, ids: set[str]) -> None:
    """Remove documents by record id in one write."""
    if ids:
        doc_file.apply({}, {name: sorted(ids)})

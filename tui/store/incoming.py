"""Another copy's documents merged into the folder: one path for `fielddesk
import`, a backup restored, and the office server's sync.

Each incoming document is merged with the folder's version of that record
(tui/domain/merge.py `merge`), then residents and sessions entered on two
laptops are folded into one (`merge_duplicates`). Both are order-free, so the
same documents merged in any order, in any batches, any number of times,
leave the same folder; a document already taken in changes nothing. All of
one call lands in one commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tui.domain.merge import IDENTITY, identity_names, merge, merge_duplicates, open_conflicts
from tui.store.journal import Changes
from tui.store.layout import (
    CASES_OPEN,
    DAYS,
    REDIRECTS,
    archive_path,
    day_path,
    path_for,
)
from tui.store.repository import Store
from tui.store.storage import Stamp, file_stamp

Doc = dict[str, Any]
Key = tuple[str, str]  # (kind, id)


@dataclass
class MergeSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    folded: int = 0  # records found entered twice and made one
    conflicts: list[Key] = field(default_factory=list)  # records with a conflict more to settle
    conflicted: list[Doc] = field(default_factory=list)  # those records as written
    # The files the merge's commit wrote: their stamps just before and after it.
    written: dict[str, tuple[Stamp | None, Stamp | None]] = field(default_factory=dict)
    # Of those, the files where the merge wrote something other than what came
    # in (a fold, or an incoming version merged with this folder's): to be sent.
    diverged: set[str] = field(default_factory=set)


class _Folder:
    """The folder's documents as this merge leaves them: what is stored,
    overlaid with what the merge has put so far (written at the end)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.pending: dict[Key, tuple[str, Doc]] = {}  # -> (file, document)
        self.origin: dict[Key, str | None] = {}  # -> the file it was stored in
        self.original: dict[Key, Doc | None] = {}  # -> the version stored there
        self._session_days: dict[str, str] | None = None

    def _stored(self, kind: str, doc_id: str, hint: Doc) -> tuple[str, Doc] | None:
        store = self.store
        places = [REDIRECTS]
        if kind == "case":
            places += [CASES_OPEN]
            places += [archive_path(str(hint["day"])[:7])] if hint.get("day") else []
        elif kind == "resident":
            places += [r for r in [store.resident_file(doc_id)] if r]
        elif kind == "session" and not hint.get("day"):
            day = self._session_day(doc_id)
            places += [day_path(day)] if day else []
        if "redirect" not in hint or "rev" in hint:
            try:
                places.append(path_for(hint))
            except ValueError:
                pass
        for rel in dict.fromkeys(places):
            found = store.file(rel).get(kind, doc_id)
            if found is not None:
                return rel, found
        return None

    def _session_day(self, session_id: str) -> str | None:
        """The day of a session known here only by id (a bare redirect came
        in): every day file's sessions, looked through once per merge."""
        if self._session_days is None:
            self._session_days = {}
            for path in sorted((self.store.root / DAYS).glob("*.json")):
                rel = f"{DAYS}/{path.name}"
                for doc in self.store.file(rel).all("session"):
                    self._session_days[str(doc["id"])] = path.stem
        return self._session_days.get(session_id)

    def get(self, kind: str, doc_id: str, hint: Doc) -> Doc | None:
        key = (kind, doc_id)
        if key in self.pending:
            return self.pending[key][1]
        if key in self.origin:
            return self.original[key]
        found = self._stored(kind, doc_id, hint)
        self.origin[key] = found[0] if found else None
        self.original[key] = found[1] if found else None
        return found[1] if found else None

    def put(self, doc: Doc) -> None:
        key = (str(doc["kind"]), str(doc["id"]))
        if key not in self.origin:
            self.get(key[0], key[1], doc)
        self.pending[key] = (path_for(doc), doc)

    def changed(self) -> dict[Key, tuple[str, Doc]]:
        """What this merge changes: a record put back as it was stored (a
        stale copy merged into a redirect, then folded again) is not."""
        return {
            key: (rel, doc)
            for key, (rel, doc) in self.pending.items()
            if doc != self.original.get(key) or rel != self.origin.get(key)
        }

    def changes(self, changed: dict[Key, tuple[str, Doc]]) -> Changes:
        """The file changes that write `changed` (what changed() gave)."""
        changes = Changes()
        for (kind, doc_id), (rel, doc) in changed.items():
            was = self.origin.get((kind, doc_id))
            if was and was != rel:
                changes.remove(was, kind, doc_id)
            changes.put(rel, kind, doc)
        return changes

    def docs(self, kind: str, rels: Iterable[str]) -> dict[str, Doc]:
        """Every document of `kind` in those files, as this merge leaves them."""
        found: dict[str, Doc] = {}
        for rel in dict.fromkeys([*rels, REDIRECTS]):
            for doc in self.store.file(rel).all(kind):
                key = (kind, str(doc["id"]))
                if key not in self.origin:
                    self.origin[key], self.original[key] = rel, doc
                if key not in self.pending:
                    found[key[1]] = doc
        for (k, doc_id), (rel, doc) in self.pending.items():
            if k == kind and (rel in rels or rel == REDIRECTS):
                found[doc_id] = doc
        return found


def merge_docs(store: Store, docs: list[Doc]) -> MergeSummary:
    """Merge checked documents (tui.domain.validate.validate_incoming) into
    the folder, in one commit. Ids must be unique within `docs`."""
    summary = MergeSummary()
    with store.lock:
        folder = _Folder(store)
        clocks = [str(d.get("clock", "")) for d in docs]
        if any(clocks):
            store.hlc.seen(max(clocks))  # a save here comes after all of it
        touched: dict[str, set[str]] = {kind: set() for kind in IDENTITY}
        incoming: dict[Key, Doc] = {}
        for doc in docs:
            kind, doc_id = str(doc["kind"]), str(doc["id"])
            incoming[kind, doc_id] = doc
            current = folder.get(kind, doc_id, doc)
            merged = doc if current is None else merge(kind, current, doc)
            if merged != current:
                folder.put(merged)
                if kind in touched:
                    touched[kind].add(doc_id)
        for kind, ids in touched.items():
            if ids:
                _fold(folder, kind, ids)
        changed = folder.changed()
        _count(summary, folder, changed, list(incoming))
        summary.diverged = {rel for key, (rel, doc) in changed.items() if incoming.get(key) != doc}
        changes = folder.changes(changed)
        before = {rel: file_stamp(store.root / rel) for rel in changes.files}
        store.commit(changes)
        summary.written = {rel: (was, file_stamp(store.root / rel)) for rel, was in before.items()}
    return summary


def _count(
    summary: MergeSummary, folder: _Folder, changed: dict[Key, tuple[str, Doc]], incoming: list[Key]
) -> None:
    """What the merge did, said once everything is folded: a record counts
    as changed only if what is written differs from what was stored."""
    for key in incoming:
        if key not in changed:
            summary.unchanged += 1
        elif folder.original.get(key) is None:
            summary.added += 1
        else:
            summary.updated += 1
    # A conflict can also come from a fold: the record kept is not always
    # one that came in.
    for key, (_rel, after) in changed.items():
        before = folder.original.get(key) or {}
        if len(open_conflicts(after)) > len(open_conflicts(before)):
            summary.conflicts.append(key)
            summary.conflicted.append(after)
    summary.folded = sum(
        1
        for key, (_rel, doc) in changed.items()
        if doc.get("redirect") and not (folder.original.get(key) or {}).get("redirect")
    )


def _fold(folder: _Folder, kind: str, ids: set[str]) -> None:
    """Make one of the records of `kind` entered twice among those merged
    (`ids`) and the folder's."""
    candidates = _candidates(folder, kind, ids)
    if len(candidates) < 2:
        return
    for doc in merge_duplicates(kind, candidates.values()):
        if doc != candidates.get(str(doc["id"])):
            folder.put(doc)


def _candidates(folder: _Folder, kind: str, ids: set[str]) -> dict[str, Doc]:
    """The records that may be one with those merged: every record sharing
    one of their identity keys (a resident's name and phone, or name and
    address; a session's compound and day), and records sharing a key with
    those, until none is added."""
    if kind == "session":
        days = set()
        for doc_id in ids:
            doc = folder.get(kind, doc_id, {"kind": kind, "id": doc_id}) or {}
            if doc.get("day"):
                days.add(day_path(str(doc["day"])))
            elif doc.get("redirect"):
                target = folder.get(
                    kind, str(doc["redirect"]), {"kind": kind, "id": doc["redirect"]}
                )
                if target and target.get("day"):
                    days.add(day_path(str(target["day"])))
        every = folder.docs(kind, sorted(days))
    else:
        every = folder.docs(kind, folder.store.resident_files())
        # Every identity key holds the name: key only the residents named as
        # one of those merged (or as any record that joins them).
        named = {i: identity_names(d) for i, d in every.items()}
        names: set[str] = set()
        grown = {i for i in ids if i in every}
        while grown:
            names |= {n for i in grown for n in named[i]}
            grown = {i for i, n in named.items() if i not in ids and n & names}
            ids = ids | grown
        every = {i: d for i, d in every.items() if i in ids or d.get("redirect")}
    keyed = IDENTITY[kind]
    holders: dict[tuple[str, ...], list[str]] = {}
    keys_of: dict[str, list[tuple[str, ...]]] = {}
    for doc_id, doc in every.items():
        keys_of[doc_id] = keyed(doc)
        for key in keys_of[doc_id]:
            holders.setdefault(key, []).append(doc_id)
    # Redirects tie a copy to its survivor whatever their keys.
    links: dict[str, set[str]] = {}
    for doc_id, doc in every.items():
        if doc.get("redirect"):
            links.setdefault(doc_id, set()).add(str(doc["redirect"]))
            links.setdefault(str(doc["redirect"]), set()).add(doc_id)
    found: set[str] = set()
    todo = [i for i in ids if i in every]
    while todo:
        doc_id = todo.pop()
        if doc_id in found:
            continue
        found.add(doc_id)
        for key in keys_of.get(doc_id, ()):
            todo += holders[key]
        todo += links.get(doc_id, ())
    return {doc_id: every[doc_id] for doc_id in sorted(found) if doc_id in every}

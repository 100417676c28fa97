"""One laptop's folder and the office server (tui/store/hub.py) brought to
the same records: pull what others sent, push what changed here, pull what
the server merged (docs/SYNC.md).

Resumable and idempotent. A pull batch lands in one commit before its place
in the server's change sequence is kept (sync.json), so a sync killed in
between pulls that batch again, and merging what was already taken changes
nothing. A push is one server transaction; until it is acknowledged the
files it read count as changed, so the next sync sends them again, and the
server leaves alone what it already holds.

What changed here is found by the files: each data file written since the
last push began (file times, less a margin for coarse clocks) is sent
whole. A record clock cannot say it: another process on this laptop (the
app) stamps with its own clock, which may lag the clocks a pull took in.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from tui.domain.errors import CodedError
from tui.domain.merge import merge, open_conflicts
from tui.domain.validate import ValidationFailed, validate_incoming
from tui.durable import atomic_write
from tui.store.hub import Hub
from tui.store.incoming import MergeSummary, merge_docs
from tui.store.layout import META, data_files, is_residents_file, residents_path
from tui.store.repository import Store
from tui.store.storage import file_stamp

STATE = "sync.json"  # this laptop's place on the server: never exported or backed up
BATCH = 2000  # documents per pull or push round trip
MARGIN_NS = 2_000_000_000  # file times on some systems are that coarse

Doc = dict[str, Any]
Progress = Callable[[int, int], object]  # (done, total) of the pull


class SyncRefused(CodedError):
    """Nothing was exchanged: `code` is a message id in [sync]."""


@dataclass
class SyncReport:
    community: str = ""
    pulled: int = 0  # documents taken in from the server
    pushed: int = 0  # rows the server changed for this laptop's documents
    merged: MergeSummary = field(default_factory=MergeSummary)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (id, why) of bad documents


def load_state(root: Path) -> dict[str, Any]:
    try:
        data = orjson.loads((root / STATE).read_bytes())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save_state(root: Path, state: dict[str, Any]) -> None:
    atomic_write(root / STATE, orjson.dumps(state, option=orjson.OPT_INDENT_2))


def changed_files(store: Store, since_ns: int) -> list[str]:
    """The data files written since `since_ns` (0: all of them)."""
    found = []
    for rel in data_files(store.root):
        if rel == META:
            continue
        try:
            written = os.stat(store.root / rel).st_mtime_ns
        except OSError:
            continue
        if written >= since_ns - MARGIN_NS:
            found.append(rel)
    return found


def local_docs(store: Store, rels: list[str]) -> list[Doc]:
    """The record documents in those files (a stray schema-1 residents.json
    beside residents/ is not read)."""
    residents = set(store.resident_files())
    docs = []
    for rel in rels:
        if is_residents_file(rel) and rel not in residents:
            continue
        doc_file = store.file(rel)
        for table in doc_file.tables():
            docs += [dict(d) for d in doc_file.all(table)]
    return docs


def unsent(store: Store) -> int:
    """How many records this laptop changed since its last acknowledged
    push (what the app's header shows as not yet sent)."""
    state = load_state(store.root)
    since = int(state.get("pushed_ns", 0))
    moment = str(state.get("pushed_at", ""))
    rels = _unpulled(store, changed_files(store, since), state.get("written", {}))
    return sum(
        1
        for doc in local_docs(store, rels)
        if doc.get("device") == store.device and str(doc.get("updated_at", "")) >= moment
    )


def status(store: Store) -> tuple[str, int] | None:
    """(when this folder last synced, "" if never; how many records changed
    here are not yet sent), or None when it has no office server to sync with."""
    from tui.store.settings import load_settings

    if not load_settings(store.root).get("sync_url"):
        return None
    return str(load_state(store.root).get("synced_at", "")), unsent(store)


def folder_name(community: str) -> str | None:
    """The folder `--all` keeps a community in: its id, when that is a safe
    file name everywhere (tui/store/layout.py), else None (not synced)."""
    return community if residents_path(community) != residents_path("") else None


def community_of(store: Store, hub: Hub, asked: str | None) -> str:
    """The community this folder syncs: its own, else the one asked for,
    else the server's only one."""
    own = store.community()
    if own is not None:
        if asked and asked != own.id:
            raise SyncRefused("sync.other_community", asked=asked, own=own.id)
        return own.id
    known = hub.communities()
    if asked:
        if asked not in known:
            raise SyncRefused("sync.unknown_community", asked=asked, known=", ".join(known) or "—")
        return asked
    if len(known) == 1:
        return known[0]
    if not known:
        raise SyncRefused("sync.server_empty")
    raise SyncRefused("sync.which_community", known=", ".join(known))


def sync(
    store: Store,
    hub: Hub,
    *,
    community: str | None = None,
    progress: Progress | None = None,
    batch: int = BATCH,
) -> SyncReport:
    """Pull, push, pull again. Raises HubError when the server fails; what
    was pulled before that stays, and is kept as pulled."""
    hub.check_schema()
    report = SyncReport(community=community_of(store, hub, community))
    state = load_state(store.root)
    server = hub.server_id()
    if state.get("server") != server or state.get("community") != report.community:
        # Another server, or one restored from an older backup: start over.
        state = {"server": server, "community": report.community}
    if int(state.get("pulled", 0)) > hub.last_seq():
        state = {"server": server, "community": report.community}
    began_ns = time.time_ns()
    began_at = store.now().isoformat(timespec="seconds")
    pulled: dict[str, list[int]] = state.get("written", {})  # files as a pull left them
    mine = _unpulled(store, changed_files(store, int(state.get("pushed_ns", 0))), pulled)
    ours: dict[str, list[int]] = {}
    _pull(store, hub, state, report, progress, batch, ours, began_ns)
    with store.lock:  # a commit is not read half written
        # What changed here before the pull, and what another process (the
        # app) saved since it began; not what only the pull wrote.
        rels = mine + _unpulled(store, changed_files(store, began_ns), ours)
        docs = local_docs(store, list(dict.fromkeys(rels)))
    for start in range(0, len(docs), batch):
        report.pushed += hub.push(
            report.community, store.device, docs[start : start + batch], merge
        )
    state["pushed_ns"] = began_ns
    state["pushed_at"] = began_at  # what was saved here since is not sent yet
    _pull(store, hub, state, report, progress, batch, ours, began_ns)
    state["written"] = ours
    state["synced_at"] = store.now().isoformat(timespec="seconds")
    _save_state(store.root, state)
    return report


def _unpulled(store: Store, rels: list[str], pulled: dict[str, list[int]]) -> list[str]:
    """Those files, less the ones still as a pull of this laptop left them:
    what they hold came from the server."""
    return [rel for rel in rels if list(file_stamp(store.root / rel) or ()) != pulled.get(rel)]


def _pull(
    store: Store,
    hub: Hub,
    state: dict[str, Any],
    report: SyncReport,
    progress: Progress | None,
    batch: int,
    ours: dict[str, list[int]],
    began_ns: int,
) -> None:
    after = int(state.get("pulled", 0))
    total = hub.pending(report.community, after)
    done = 0
    while True:
        rows, last = hub.pull(report.community, after, batch, skip_origin=store.device)
        if last == after:
            break
        docs = []
        for seq, _community, doc in rows:
            try:
                docs.append(validate_incoming(doc))
            except ValidationFailed as failed:
                why = "; ".join(f"{e.field}: {e.code}" for e in failed.errors)
                ident = doc.get("id", "") if isinstance(doc, dict) else f"#{seq}"
                report.refused.append((str(ident)[:64], why))
        summary = merge_docs(store, docs)
        for rel, (before, now) in summary.written.items():
            # The pull's own, unless another process wrote it since the sync
            # began (then what it holds of that process's is to be sent).
            touched = before is not None and before[1] >= began_ns - MARGIN_NS
            theirs = not touched or list(before or ()) == ours.get(rel)
            if now is not None and theirs and rel not in summary.diverged:
                ours[rel] = list(now)
            else:
                ours.pop(rel, None)
        _add(report.merged, summary)
        report.pulled += len(docs)
        after = state["pulled"] = last
        _save_state(store.root, state)
        done += batch
        if progress is not None:
            progress(min(done, total), total)


def _add(total: MergeSummary, more: MergeSummary) -> None:
    total.added += more.added
    total.updated += more.updated
    total.unchanged += more.unchanged
    total.folded += more.folded
    total.conflicts += more.conflicts
    total.conflicted += more.conflicted


def conflicts_in(store: Store) -> list[tuple[str, Doc, Doc]]:
    """Every conflict to settle: (the file, the record, the conflict)."""
    found = []
    for rel in data_files(store.root):
        if rel == META:
            continue
        for doc in local_docs(store, [rel]):
            found += [(rel, doc, c) for c in open_conflicts(doc)]
    return found

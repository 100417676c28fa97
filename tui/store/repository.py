"""The repository the app talks to: open a data folder, save and load records.

Every save validates the record (domain rules), stamps rev/updated_at/device/by,
checks that nobody changed it meanwhile, and lands durably before returning.
"""

from __future__ import annotations

import dataclasses
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import orjson

from tui.domain.hlc import Clock as HybridClock
from tui.domain.records import (
    Case,
    Category,
    Certification,
    Community,
    Compound,
    Outing,
    OutsideParty,
    Record,
    Resident,
    ServiceSession,
    SessionRequest,
    StaffMember,
    Ticket,
    Visit,
)
from tui.domain.states import SessionStatus
from tui.durable import (
    REPLACE_TRIES,
    REPLACE_WAIT,
    atomic_write,
    ensure_dir,
    fsync_dir,
    is_read_only,
    remove_stale_temps,
)
from tui.repository.errors import CorruptFile, StoreConflict, StoreError, StoreWriteError
from tui.repository.events import Change, Kind, Origin, SyncOutcome
from tui.store import backup, journal, schema
from tui.store.journal import JOURNAL, Changes, FileChange
from tui.store.layout import (
    BACKUPS,
    CASES_CLOSED,
    CASES_OPEN,
    CERTIFICATIONS,
    DAYS,
    DEVICE,
    DRAFTS,
    FOLDERS,
    LOCK,
    PLAN,
    REDIRECTS,
    REGISTRY,
    REPORTS,
    REQUESTS,
    RESIDENTS_DIR,
    RESIDENTS_V1,
    archive_path,
    certification_path,
    day_path,
    draft_path,
    is_residents_file,
    path_for,
    resident_files,
    residents_path,
)
from tui.store.lock import StoreLock
from tui.store.storage import DocFile, Stamp, file_stamp, move_aside, parse_tables

# Validation (tui.domain.validate) and the intake's and queue's rules are imported
# by the saves that use them: opening a store and reading, the app's first frame,
# need none of them (docs/BENCHMARKS.md, first frame).

R = TypeVar("R", bound=Record)
RECENT_DAYS = 12  # session days looked back for the last or a forgotten open session
SINCE_MARGIN_NS = 2_000_000_000  # file times on some systems are that coarse
DRAFT_TEMP_AGE = 60.0  # seconds: drafts are written without the lock, so only old temps go
Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now().astimezone()


class Store:
    """An open data folder. Cheap to create; reads only the hot files."""

    def __init__(
        self,
        root: Path,
        *,
        device: str | None = None,
        by: str = "",
        clock: Clock = system_clock,
        read_only: bool | None = None,
    ) -> None:
        """`read_only` None: decided by the folder (see files.is_read_only). A
        read-only store creates, locks and moves nothing; every write raises
        StoreWriteError("read_only")."""
        self.root = Path(root)
        self.by = by
        self.now = clock
        self.read_only = is_read_only(self.root) if read_only is None else read_only
        self.problems: list[CorruptFile] = []
        self._files: dict[str, DocFile] = {}
        self._parsed: dict[tuple[str, str], tuple[Stamp | None, dict[str, Any]]] = {}
        self._parsed_docs: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}  # read from
        self._tx: FolderTransaction | None = None  # the unit of work under way, if any
        self._hlc: HybridClock | None = None
        self._links_stamp: Stamp | None = None
        self._links_map: dict[str, str] = {}
        self._listeners: list[Callable[[Change], object]] = []  # changes() feeds
        # Which compound file holds each resident (see _resident_index).
        self._resident_at: dict[str, str] = {}  # resident id -> file
        self._resident_ids: dict[str, tuple[Stamp | None, frozenset[str]]] = {}  # file -> ids
        self._resident_index_epoch: int | None = None
        self._epoch = 0  # counts lock takings and commits: while it stands, no file changed
        self._resident_index_lock = threading.Lock()
        self._residents_written = ""  # the compound file this process wrote last
        self.version = schema.CURRENT  # of the folder's layout; 1 is read as it is (read-only)
        self.lock = StoreLock(self.root / LOCK, read_only=self.read_only)
        self.lock.on_acquire = self._finish_pending_commit
        if self.read_only:
            if not self.root.is_dir():
                raise StoreError(self.root, "no such folder")
            self.device = self._stored_device() or "read-only"
            self.version = schema.check(self) or schema.CURRENT
            return
        for folder in (self.root, *(self.root / f for f in FOLDERS)):
            ensure_dir(folder)
        with self.lock:  # also completes a commit a killed writer left
            for folder in (
                self.root,
                self.root / DAYS,
                self.root / "cases",
                self.root / CASES_CLOSED,
                self.root / CERTIFICATIONS,
                self.root / RESIDENTS_DIR,
            ):
                remove_stale_temps(folder)
            remove_stale_temps(self.root / DRAFTS, older_than=DRAFT_TEMP_AGE)
            self.device = device or self._device_id()
            self.version = schema.prepare(self)

    # -- files --------------------------------------------------------------

    def file(self, rel: str) -> DocFile:
        doc_file = self._files.get(rel)
        if doc_file is None:
            path = self.root / rel
            if not self.read_only:
                ensure_dir(path.parent)
            doc_file = self._files[rel] = DocFile(path, self.lock)
        return doc_file

    def unreadable_hot_files(self) -> list[str]:
        """Hot files that would not parse. Read-only and touches no cache, so a
        background thread may call it while the UI reads the store."""
        bad = []
        for rel in self.hot_files():
            try:
                parse_tables((self.root / rel).read_bytes())
            except FileNotFoundError:
                continue
            except (OSError, ValueError):
                bad.append(rel)
        return bad

    def missing_hot_files(self) -> list[tuple[str, Path | None]]:
        """Files that were here and are gone: moved aside as unreadable (maybe
        by another command) or deleted, while a backup or the moved copy
        remains. Each with its moved-aside copy, if any. Said at start."""
        found = []
        for rel in (REGISTRY, *self._resident_files_known(), CASES_OPEN, REQUESTS):
            path = self.root / rel
            if path.exists():
                continue
            moved = sorted(path.parent.glob(f"{path.name}.corrupt-*"))
            if moved or backup.newest_backup_of(self.root, rel):
                found.append((rel, moved[-1] if moved else None))
        return found

    def _resident_files_known(self) -> list[str]:
        """The residents' files there are or were: present, moved aside or
        in a backup (a compound's file is never removed, so one of those
        that is gone was deleted or moved aside)."""
        if self.version < 2:
            return [RESIDENTS_V1]
        names = {p.name for p in (self.root / RESIDENTS_DIR).glob("*.json")}
        names |= {
            p.name.split(".corrupt-")[0] for p in (self.root / RESIDENTS_DIR).glob("*.corrupt-*")
        }
        for day in backup.backup_days(self.root):
            names |= {p.name for p in (self.root / BACKUPS / day / RESIDENTS_DIR).glob("*.json")}
        return sorted(f"{RESIDENTS_DIR}/{name}" for name in names if not name.startswith("."))

    def backup_day(self, rel: str) -> str | None:
        """The day of the newest backup holding this file, if one can be restored."""
        if self.read_only:
            return None  # nothing can be restored into it
        found = backup.newest_backup_of(self.root, rel)
        return found.relative_to(self.root / BACKUPS).parts[0] if found else None

    def restore(self, rel: str) -> int:
        """Merge the newest backup's copy of a file back in (one commit);
        returns how many records were added or updated."""
        from tui.store.exchange import docs_of_file, import_docs

        found = backup.newest_backup_of(self.root, rel)
        if found is None:
            return 0
        try:
            summary = import_docs(self, docs_of_file(found))
        except OSError as err:
            raise StoreError(found, err.strerror or str(err)) from err
        except ValueError as err:
            raise StoreError(found, str(err)) from err
        return summary.added + summary.updated

    def settings(self) -> dict[str, Any]:
        from tui.store.settings import load_settings

        return load_settings(self.root)

    def save_setting(self, key: str, value: int | str | None) -> None:
        from tui.store.settings import SETTINGS, save_setting

        if self.read_only:
            raise StoreWriteError(self.root / SETTINGS, "read_only")
        save_setting(self.root, key, value)

    def probe(self, rel: str) -> CorruptFile | None:
        """Read a file now, so a corrupt one is found and moved aside."""
        try:
            self.file(rel).tables()
        except CorruptFile as err:
            self.problems.append(err)
            return err
        return None

    def _stored_device(self) -> str | None:
        docs = self.file(DEVICE).all("device")
        return str(docs[0]["device"]) if docs else None

    def _device_id(self) -> str:
        stored = self._stored_device()
        if stored:
            return stored
        device = f"{socket.gethostname()[:24]}-{uuid.uuid4().hex[:6]}"
        self.file(DEVICE).put_many("device", [{"id": "device", "device": device}])
        return device

    def today(self) -> str:
        return self.now().date().isoformat()

    def backup_today(self) -> Path | None:
        if self.read_only:
            return None
        return backup.take_daily_backup(self.root, self.today())

    def where(self) -> str:
        return str(self.root)

    # -- writing ------------------------------------------------------------
    #
    # Every user action is one commit: its records are validated, checked
    # against what is stored (rev), stamped and gathered as file changes, then
    # written together (journal.py): whole, or not at all, even under SIGKILL.

    @contextmanager
    def transaction(self) -> Iterator[FolderTransaction]:
        """A unit of work (tui.repository.interface): the folder lock is held
        throughout, so reads inside see every commit and nobody else commits;
        what was put is written in one commit when the block ends without an
        error. A transaction inside another joins it."""
        if self._tx is not None:
            yield self._tx
            return
        with self.lock:
            tx = self._tx = FolderTransaction(self, self.now())
            try:
                yield tx
            finally:
                self._tx = None
            self.commit(tx.changes)
        if tx.kinds:
            self._announce(tx)

    def save(self, record: R) -> R:
        """Validate, stamp and durably store one record; return what was stored."""
        with self.transaction() as tx:
            return tx.put(record)

    def _locate(self, record: Record, target: str) -> tuple[str, dict[str, Any]] | None:
        """Where the stored version lives, and that version; refuse a save
        based on a stale copy."""
        places = [target]
        if isinstance(record, Case):
            places = [CASES_OPEN, archive_path(record.day[:7])]
        for rel in self._places(record, places):
            current = self.file(rel).get(record.KIND, record.id)
            if current is not None:
                if int(current.get("rev", 0)) != record.rev:
                    raise StoreConflict(self.root / rel, f"{record.KIND} {record.id}")
                return rel, current
        return None

    @property
    def hlc(self) -> HybridClock:
        """This process's hybrid logical clock (tui/domain/hlc.py), on the
        store's wall clock. Not kept between runs: a save takes in the clock
        of the version it replaces (`seen`), so its stamp is always later
        than that version's, which is all the merge relies on."""
        if self._hlc is None:
            self._hlc = HybridClock(lambda: int(self.now().timestamp() * 1000))
        return self._hlc

    def stamp_doc(
        self, kind: str, before: dict[str, Any] | None, after: dict[str, Any]
    ) -> dict[str, Any]:
        """`after` as saved over `before`: the write's clock, and a stamp on
        each field it changed (tui/domain/merge.py `stamp_edit`)."""
        from tui.domain.merge import stamp_edit

        seen = (before or {}).get("clock", "")
        clock = self.hlc.seen(seen) if seen else self.hlc.now()
        return stamp_edit(kind, before, after, clock=clock, device=self.device, by=self.by)

    def _places(self, record: Record, places: list[str]) -> Iterator[str]:
        """The files to look in, in turn; a resident not in its compound's
        file may be in another's (its compound changed): the index says which."""
        yield from places
        if isinstance(record, Resident):
            elsewhere = self.resident_file(record.id)
            if elsewhere is not None and elsewhere not in places:
                yield elsewhere

    def _reader(self) -> Store:
        """A read-only handle of its own, for a worker thread: the UI's
        caches are never read while it fills them."""
        return Store(self.root, read_only=True, clock=self.now)

    def sync_status(self) -> tuple[str, int] | None:
        from tui.store.sync import status

        return status(self._reader())

    def conflicts(self) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
        from tui.store.sync import conflicts_in

        return conflicts_in(self._reader())

    def sync(self, progress: Callable[[int, int], object] | None = None) -> SyncOutcome:
        from tui.store.hub import connect
        from tui.store.settings import load_settings
        from tui.store.sync import SyncRefused, sync

        url = load_settings(self.root).get("sync_url")
        if not url:
            raise SyncRefused("sync.app.no_url")
        # A handle of its own (it may run in a worker); the screens learn of
        # what it wrote as of another process's commits.
        store = Store(self.root, device=self.device, by=self.by, clock=self.now)
        with connect(str(url)) as hub:
            report = sync(store, hub, progress=progress)
        merged = report.merged
        return SyncOutcome(report.pulled, report.pushed, len(merged.conflicts), merged.folded)

    def settle_conflict(
        self, place: str, kind: str, record_id: str, rev: int, field: str, value: Any
    ) -> None:
        """See Repository.settle_conflict."""
        from tui.domain.merge import resolve_conflict
        from tui.domain.records import iso
        from tui.domain.validate import validate_incoming

        with self.transaction() as tx:
            doc = self.file(place).get(kind, record_id)
            if doc is None or doc.get("rev") != rev:
                raise StoreConflict(self.root / place, f"{kind} {record_id}")
            seen = str(doc.get("clock", ""))
            clock = self.hlc.seen(seen) if seen else self.hlc.now()
            after = resolve_conflict(
                kind, dict(doc), field, value, clock=clock, device=self.device, by=self.by
            )
            after.update(rev=rev + 1, updated_at=iso(tx.moment))
            clean = validate_incoming(after)
            target = path_for(clean)
            if target != place:  # the field moves it (a case's status, a resident's compound)
                tx.changes.remove(place, kind, record_id)
            tx.changes.put(target, kind, clean)
            tx.kinds.add(Kind(kind))

    def save_many(self, records: list[Record]) -> list[Record]:
        """Validate, check and stamp several records and store them in one commit."""
        with self.transaction() as tx:
            return tx.put_all(records)

    def _announce(self, tx: FolderTransaction) -> None:
        """Tell this process's changes() feeds what its commit changed."""
        change = Change(
            frozenset(tx.kinds),
            Origin.HERE,
            frozenset(tx.days),
            frozenset(tx.compounds),
            self.device,
        )
        for listener in list(self._listeners):
            listener(change)

    def commit(self, changes: Changes, *, journal_it: bool = True) -> None:
        """Write the gathered file changes: one file is replaced atomically on
        its own; several go through the journal. On a write error the files
        already written are put back, so the error means "nothing changed"."""
        files = list(changes.files.values())
        if not files:
            return
        with self.lock:
            if len(files) == 1 or not journal_it:
                self._apply(files)
                return
            journal.write_intent(self.root, files)
            before = {c.rel: self.file(c.rel).storage.read() for c in files}
            try:
                self._apply(files)
            except StoreWriteError:
                self._roll_back(before)
                raise
            journal.clear(self.root)

    def _apply(self, files: list[FileChange]) -> None:
        self._epoch += 1
        for change in files:
            if change.delete:
                self._delete(change.rel)
            else:
                self.file(change.rel).apply(change.puts, change.removes)
            if is_residents_file(change.rel) and change.rel != self._residents_written:
                if self._residents_written:  # kept for the next save; another compound's now
                    self.file(self._residents_written).release()
                self._residents_written = change.rel

    def _delete(self, rel: str) -> None:
        """Remove a data file for good (a migration retiring it), durably;
        gone already is done. Retried for a moment, as os.replace is, while
        a reader on Windows holds it."""
        path = self.root / rel
        try:
            for attempt in range(REPLACE_TRIES):
                try:
                    os.unlink(path)
                    break
                except FileNotFoundError:
                    break
                except PermissionError:
                    if attempt == REPLACE_TRIES - 1:
                        raise
                    time.sleep(REPLACE_WAIT)
            fsync_dir(path.parent)
        except OSError as err:
            raise StoreWriteError.from_os_error(path, err) from err
        self.file(rel).refresh()

    def _roll_back(self, before: dict[str, Any]) -> None:
        """Put back the files of a commit that failed half way. If even that
        fails, the journal stays and the commit is completed at the next lock."""
        try:
            for rel, tables in before.items():
                doc_file = self.file(rel)
                if tables is None:
                    (self.root / rel).unlink(missing_ok=True)
                else:
                    doc_file.storage.write(tables)
                doc_file._reset_tables()
        except (OSError, StoreWriteError):
            return
        journal.clear(self.root)

    def _finish_pending_commit(self) -> None:
        """Run when this process takes the lock: a writer killed mid-commit left
        its intent; apply it again (idempotent) and remove it."""
        self._epoch += 1  # others may have written while we did not hold the lock
        if not journal.pending(self.root):
            return
        try:
            intent = journal.read_intent(self.root)
        except (ValueError, KeyError, TypeError, AttributeError) as err:
            moved = move_aside(self.root / JOURNAL)
            self.problems.append(CorruptFile(self.root / JOURNAL, moved, str(err)))
            return
        if intent:
            self._apply(intent)
        journal.clear(self.root)

    def archive_months(self) -> list[str]:
        """Months that have closed cases, newest first."""
        folder = self.root / CASES_CLOSED
        return sorted((p.stem for p in folder.glob("*.json")), reverse=True)

    def save_all(self, records: Iterable[Record], *, stamp: bool = True) -> list[Record]:
        """Validate and store many new records, one write per file.

        For bulk loading (sample data, generated history); no conflict checks.
        With stamp=False the records keep the rev and times they carry.
        """
        from tui.domain.validate import validate

        changes = Changes()
        stored: list[Record] = []
        moment = self.now()
        for record in records:
            stamped = validate(record)
            if stamp:
                stamped = stamped.stamped(now=moment, device=self.device, by=self.by)
            stored.append(stamped)
            doc = stamped.to_dict()
            doc["clock"] = self.hlc.now()
            changes.put(path_for(doc), stamped.KIND, doc)
        # Loading a new folder: not journalled (a crash means loading again).
        self.commit(changes, journal_it=False)
        return stored

    # -- reading ------------------------------------------------------------

    def records(self, cls: type[R], rel: str) -> list[R]:
        """The records of one kind in one file. Parsed once per version of the
        file (its stamp): screens re-read often, and from_dict on hundreds of
        cases adds up. Records are treated as values (changed with
        dataclasses.replace), so the cached ones can be handed out again."""
        return list(self._records(cls, rel).values())

    def _records(self, cls: type[R], rel: str) -> dict[str, R]:
        """The records of one kind in one file, by id (see records)."""
        links = self._links() if cls.KIND in LINKED_KINDS else {}
        doc_file = self.file(rel)
        cached = self._parsed.get((rel, cls.KIND))
        if cached is not None and cached[0] is not None and cached[0] == file_stamp(doc_file.path):
            return cached[1]
        doc_file.refresh()
        raw = doc_file.storage.read() or {}
        docs = list(raw.get(cls.KIND, {}).values())
        stamp = doc_file.storage.stamp  # of what was read, not of what is there now
        # After this process's own commit the file's other documents are the
        # very objects read before: their records are reused, not built again
        # (a day's save would otherwise rebuild every visit and ticket).
        before = self._parsed_docs.get((rel, cls.KIND), {})
        old = cached[1] if cached is not None else {}
        parsed: dict[str, Any] = {}
        for doc in docs:
            ident = str(doc.get("id"))
            kept = old.get(ident)
            if kept is not None and before.get(ident) is doc and kept.rev == doc.get("rev"):
                parsed[ident] = kept
            else:
                record = cls.from_dict(doc)
                parsed[ident] = _relinked(record, links) if links else record
        self._parsed[(rel, cls.KIND)] = (stamp, parsed)
        if not is_residents_file(rel):  # those documents are let go (below)
            self._parsed_docs[(rel, cls.KIND)] = {str(d.get("id")): d for d in docs}
        if is_residents_file(rel) and rel != self._residents_written:
            # A community's registry is most of the folder: kept once, as
            # records, not also as the documents they were read from. The
            # file this process wrote last stays: the next save is likely
            # at the same compound, and reads it.
            doc_file.release()
        return parsed

    def _links(self) -> dict[str, str]:
        """Record id -> the id it now lives under: residents and sessions
        entered on two laptops were folded into one (tui/domain/merge.py),
        the others kept in redirects.json. Read again when that file
        changes; records parsed with the old links are parsed again."""
        stamp = file_stamp(self.root / REDIRECTS)
        if stamp != self._links_stamp:
            docs = self.file(REDIRECTS).all("resident") + self.file(REDIRECTS).all("session")
            self._links_map = {str(d["id"]): str(d["redirect"]) for d in docs if d.get("redirect")}
            self._links_stamp = stamp
            for key in [k for k in self._parsed if k[1] in LINKED_KINDS]:
                del self._parsed[key]
                self._parsed_docs.pop(key, None)
        return self._links_map

    def community(self) -> Community | None:
        """The folder's community profile; None before first-run setup."""
        found = self.records(Community, REGISTRY)
        return min(found, key=lambda c: c.created_at) if found else None

    def compounds(self) -> list[Compound]:
        return sorted(self.records(Compound, REGISTRY), key=lambda c: c.name)

    def staff(self) -> list[StaffMember]:
        return self.records(StaffMember, REGISTRY)

    def parties(self) -> list[OutsideParty]:
        return self.records(OutsideParty, REGISTRY)

    def categories(self) -> list[Category]:
        return sorted(self.records(Category, REGISTRY), key=lambda c: c.order)

    def residents(self, compound: str | None = None) -> list[Resident]:
        """Every resident, or with `compound` that compound's (read from its
        file alone; "" for those with none)."""
        if compound is None:
            return [r for rel in self.resident_files() for r in self.records(Resident, rel)]
        rel = RESIDENTS_V1 if self.version < 2 else residents_path(compound)
        return [r for r in self.records(Resident, rel) if r.compound == compound]

    def resident_files(self) -> list[str]:
        """The files the residents are read from."""
        if self.version < 2:
            return [RESIDENTS_V1]
        return resident_files(self.root)

    def resident_file(self, resident_id: str) -> str | None:
        """The file holding this resident, if any (the id -> file index)."""
        if self.version < 2:
            found = self.file(RESIDENTS_V1).get("resident", resident_id)
            return RESIDENTS_V1 if found is not None else None
        return self._resident_index().get(resident_id)

    def _resident_index(self) -> dict[str, str]:
        """resident id -> its compound's file. Built on first need from every
        compound file, then kept in step with the files' stamps: only a file
        that changed (here or in another process) is read again. While this
        process holds the lock and has not committed (a transaction, an
        import), nobody changes a file, so it is looked at once."""
        if self.lock.held and self._resident_index_epoch == self._epoch:
            return self._resident_at
        with self._resident_index_lock:
            epoch = self._epoch
            present = self._resident_stamps()
            gone: set[str] = set()
            for rel in [r for r in self._resident_ids if r not in present]:
                gone |= self._resident_ids.pop(rel)[1]
            for rel, stamp in present.items():
                known = self._resident_ids.get(rel)
                if known is not None and known[0] == stamp:
                    continue
                ids = self._resident_ids_of(rel, stamp)
                # The listing's stamp: changed since (even while being read), it is read again.
                self._resident_ids[rel] = (stamp, ids)
                if known is not None:
                    gone |= known[1] - ids
                for resident_id in ids:
                    self._resident_at[resident_id] = rel
            for resident_id in gone:  # left a file: still in another one?
                held = self._resident_at.pop(resident_id, "")
                if held in self._resident_ids and resident_id in self._resident_ids[held][1]:
                    self._resident_at[resident_id] = held
                    continue
                for other, (_stamp, ids) in self._resident_ids.items():
                    if resident_id in ids:
                        self._resident_at[resident_id] = other
                        break
            self._resident_index_epoch = epoch if self.lock.held else None
        return self._resident_at

    def _resident_ids_of(self, rel: str, stamp: Stamp | None) -> frozenset[str]:
        """The ids in one compound's file: from its records when they were
        parsed from this very version, else from its documents (cheaper than
        records; released again unless this process wrote the file last)."""
        cached = self._parsed.get((rel, Resident.KIND))
        if cached is not None and cached[0] is not None and cached[0] == stamp:
            return frozenset(cached[1])
        doc_file = self.file(rel)
        ids = frozenset(doc_file._ids(Resident.KIND))
        if rel != self._residents_written:
            doc_file.release()
        return ids

    def _resident_stamps(self) -> dict[str, Stamp | None]:
        """Each compound's file with its stamp: one listing and one stat each
        (at 169 compounds, what a save pays to see other processes' changes)."""
        found: dict[str, Stamp | None] = {}
        try:
            with os.scandir(self.root / RESIDENTS_DIR) as entries:
                for entry in entries:
                    if entry.name.endswith(".json") and not entry.name.startswith("."):
                        try:
                            st = os.stat(entry.path)
                        except FileNotFoundError:
                            continue
                        stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
                        found[f"{RESIDENTS_DIR}/{entry.name}"] = stamp
        except FileNotFoundError:
            pass
        return found

    def sessions(self, day: str) -> list[ServiceSession]:
        return self.records(ServiceSession, day_path(day))

    def open_session(self) -> ServiceSession | None:
        """This desk's open session today (tui/domain/queue.py `desk_session`,
        as F3 finds it): once this laptop opened or worked in a session today,
        the open one at a compound it worked at, never another team's at
        another compound that a merge brought in; else the latest opened.
        None when this laptop's sessions today are closed. One open session
        last written here, the usual case, reads nothing more."""
        today = self.today()
        sessions = self.sessions(today)
        live = [s for s in sessions if s.status == SessionStatus.OPEN]
        if not live or (len(live) == 1 and live[0].device == self.device):
            return live[0] if live else None
        from tui.domain.queue import desk_session  # not before the first frame

        found = desk_session(
            sessions, device=self.device, visits=self.visits(today), tickets=self.tickets(today)
        )
        return found if found is not None and found.status == SessionStatus.OPEN else None

    def last_session(self) -> ServiceSession | None:
        """The latest session held: newest day files first, so at start-up
        this usually reads one file."""
        for day in reversed(self.days()):
            sessions = self.sessions(day)
            if sessions:
                return max(sessions, key=lambda s: s.opened_at)
        return None

    def compound_name(self, compound_id: str, default: str = "") -> str:
        return next((c.name for c in self.compounds() if c.id == compound_id), default)

    def recent_sessions(self, days: int = RECENT_DAYS) -> list[ServiceSession]:
        """Sessions of the last `days` session days (and today), oldest first:
        enough to find the last one and one left open, without reading years."""
        wanted = [*self.days()[-days:], self.today()]
        return [s for day in dict.fromkeys(sorted(wanted)) for s in self.sessions(day)]

    def requests(self) -> list[SessionRequest]:
        return self.records(SessionRequest, REQUESTS)

    def outings(self, month: str) -> list[Outing]:
        """The month's stored planned outings (plan.json), by day."""
        found = [o for o in self.records(Outing, PLAN) if o.month == month]
        return sorted(found, key=lambda o: (o.day, o.created_at))

    def certifications(self, quarter: str) -> list[Certification]:
        return self.records(Certification, certification_path(quarter))

    def visits(self, day: str) -> list[Visit]:
        return self.records(Visit, day_path(day))

    def tickets(self, day: str) -> list[Ticket]:
        return self.records(Ticket, day_path(day))

    def open_cases(self) -> list[Case]:
        return self.records(Case, CASES_OPEN)

    def closed_cases(self, month: str) -> list[Case]:
        return self.records(Case, archive_path(month))

    def visits_since(self, day: str) -> list[Visit]:
        """Every visit from `day` on (one file per session day)."""
        return [v for d in self.days() if d >= day for v in self.visits(d)]

    def visits_before(self, day: str, days: int) -> list[Visit]:
        """The visits of the `days` calendar days before `day` (for recurrences)."""
        since = (date.fromisoformat(day) - timedelta(days=days)).isoformat()
        return [v for d in self.days() if since <= d < day for v in self.visits(d)]

    def elderly(self, born_by: int) -> list[Resident]:
        """Residents born in or before `born_by`, or flagged 80+."""
        found = []
        for person in self.residents():
            born = person.birth_date[:4]
            year = person.birth_year or (int(born) if born.isdigit() else 0)
            if 0 < year <= born_by or "aged80" in person.flags:
                found.append(person)
        return found

    def resident(self, resident_id: str) -> Resident | None:
        rel = self.resident_file(resident_id)
        return self._records(Resident, rel).get(resident_id) if rel else None

    # -- drafts: the intake form as typed, per desk ---------------------------

    # Drafts belong to one desk, so they are written without the folder lock:
    # typing never waits on another process (a stuck one would freeze it).

    def load_draft(self, desk: int) -> dict[str, Any] | None:
        try:
            tables = parse_tables((self.root / draft_path(desk)).read_bytes())
        except (OSError, ValueError):
            return None  # no draft, or one cut short: the form starts empty
        docs = list(tables.get("draft", {}).values())
        form = docs[0].get("form") if docs else None
        return dict(form) if isinstance(form, dict) else None

    def save_draft(self, desk: int, form: dict[str, Any]) -> None:
        if self.read_only:
            raise StoreWriteError(self.root / DRAFTS, "read_only")
        doc = {"id": "draft", "form": form, "saved_at": self.now().isoformat(timespec="seconds")}
        path = self.root / draft_path(desk)
        try:
            ensure_dir(path.parent)
        except OSError as err:
            raise StoreWriteError.from_os_error(path, err) from err
        atomic_write(path, orjson.dumps({"draft": {"1": doc}}, option=orjson.OPT_INDENT_2))

    def clear_draft(self, desk: int) -> None:
        if self.read_only:
            raise StoreWriteError(self.root / DRAFTS, "read_only")
        try:
            (self.root / draft_path(desk)).unlink(missing_ok=True)
        except OSError as err:
            raise StoreWriteError.from_os_error(self.root / draft_path(desk), err) from err

    def days(self) -> list[str]:
        """Days that have a day file, oldest first."""
        return sorted(p.stem for p in (self.root / DAYS).glob("*.json"))

    def changes(self, stop: threading.Event, *, notifications: bool = True) -> Iterator[Change]:
        from tui.store.feed import changes

        return changes(self, stop, notifications=notifications)

    def write_reports(self, folder: str, files: dict[str, bytes]) -> Path:
        """Keep hand-over reports as reports/FOLDER/NAME (private files, each
        written atomically); returns that folder."""
        target = self.root / REPORTS / folder
        if self.read_only:
            raise StoreWriteError(target, "read_only")
        try:
            ensure_dir(target)
        except OSError as err:
            raise StoreWriteError.from_os_error(target, err) from err
        for name, payload in files.items():
            atomic_write(target / name, payload)
        return target

    def watcher(self, rels: Callable[[], Iterable[str]] | None = None) -> Watcher:
        return Watcher(self, rels or self.hot_files)

    def hot_files(self) -> list[str]:
        from tui.domain.certification import quarter_of  # not before the first frame

        today = self.today()
        return [
            REGISTRY,
            *self.resident_files(),
            REQUESTS,
            CASES_OPEN,
            PLAN,
            day_path(today),
            certification_path(quarter_of(today)),
            REDIRECTS,
        ]


# Kinds whose records point at a resident or a session, and their fields that do.
LINKED_KINDS = frozenset({"visit", "case", "certification", "request"})
LINKS = ("resident", "session", "done_session")


def _relinked(record: R, links: dict[str, str]) -> R:
    """`record` pointing at the residents and sessions its ones were folded into."""
    from tui.domain.merge import resolve

    moved: dict[str, Any] = {
        name: resolve(value, links)
        for name in LINKS
        if (value := getattr(record, name, "")) and value in links
    }
    return dataclasses.replace(record, **moved) if moved else record


class FolderTransaction:
    """A unit of work in the folder: records put are validated, checked
    against the stored revision and stamped at once, and written by the
    Store in one commit when the transaction ends."""

    def __init__(self, store: Store, moment: datetime) -> None:
        self.store = store
        self.moment = moment
        self.changes = Changes()
        self.kinds: set[Kind] = set()
        self.days: set[str] = set()
        self.compounds: set[str] = set()
        # (kind, id) -> (the record as put, the file it goes to, where it was
        # stored and the stored version)
        self._staged: dict[
            tuple[str, str], tuple[Record, str, str | None, dict[str, Any] | None]
        ] = {}

    def put(self, record: R) -> R:
        from tui.domain.validate import validate

        clean = validate(record)
        key = (clean.KIND, clean.id)
        target = path_for(clean.to_dict())
        staged = self._staged.get(key)
        if staged is None:
            found = self.store._locate(clean, target)
            found_in, before = found if found else (None, None)
        else:  # put twice in one unit: one revision, and only the last version lands
            earlier, earlier_target, found_in, before = staged
            if earlier.rev != clean.rev:
                raise StoreConflict(self.store.root / target, " ".join(key))
            self.changes.drop(earlier_target, clean.KIND, clean.id)
            if found_in:
                self.changes.drop(found_in, clean.KIND, clean.id)
            clean = dataclasses.replace(clean, rev=clean.rev - 1)
        stamped = clean.stamped(now=self.moment, device=self.store.device, by=self.store.by)
        self.changes.put(
            target, clean.KIND, self.store.stamp_doc(clean.KIND, before, stamped.to_dict())
        )
        # A case that closed or reopened moves file: in the same commit.
        if found_in and found_in != target:
            self.changes.remove(found_in, clean.KIND, clean.id)
            if isinstance(clean, Resident) and before:  # its old compound changed too
                self.compounds |= {str(before.get("compound") or "")} - {""}
        self._staged[key] = (stamped, target, found_in, before)
        self._note(stamped)
        return stamped

    def put_all(self, records: Iterable[Record]) -> list[Record]:
        return [self.put(record) for record in records]

    def _note(self, record: Record) -> None:
        kind = Kind(record.KIND)
        self.kinds.add(kind)
        day = getattr(record, "day", "")
        if kind in (Kind.SESSION, Kind.VISIT, Kind.TICKET) and day:
            self.days.add(day)
        compound = getattr(record, "compound", "")
        if kind is Kind.RESIDENT and compound:
            self.compounds.add(compound)


class Watcher:
    """Cheap detection of other processes' commits: stat, not read.

    A file whose stamp is that of this process's own last write is not
    reported: whoever saved it already knows."""

    def __init__(self, store: Store, rels: Callable[[], Iterable[str]]) -> None:
        """Nothing is read now (the app builds one before its first frame): a
        file first seen by poll() counts as changed if it was written after
        this moment (less a margin for coarse file times)."""
        self.store = store
        self.rels = rels
        self._since = time.time_ns() - SINCE_MARGIN_NS
        self._stamps: dict[str, Stamp | None] = {}

    def poll(self) -> set[str]:
        """The files another process changed since the last poll. Nothing
        while this process is in a commit, or began one while the files were
        looked at (another thread may): the stamps of its own writes are known
        only when it ends, so the files are looked at again then."""
        lock = self.store.lock
        began = lock.taken
        if lock.held:
            return set()
        stamps = {rel: file_stamp(self.store.root / rel) for rel in self.rels()}
        if lock.held or lock.taken != began:
            return set()
        changed = set()
        for rel, stamp in stamps.items():
            if rel not in self._stamps and (stamp is None or stamp[1] < self._since):
                self._stamps[rel] = stamp  # as it was before the watcher was made
            elif stamp != self._stamps.get(rel):
                self._stamps[rel] = stamp
                own = self.store._files.get(rel)
                if own is None or own.storage.written != stamp:
                    changed.add(rel)
        return changed

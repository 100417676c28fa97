"""The repository the app talks to: open a data folder, save and load records.

Every save validates the record (domain rules), stamps rev/updated_at/device/by,
checks that nobody changed it meanwhile, and lands durably before returning.
"""

from __future__ import annotations

import dataclasses
import socket
import uuid
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from tui.domain.certification import quarter_of
from tui.domain.intake import Intake
from tui.domain.queue import next_seq, ticket_number
from tui.domain.records import (
    Case,
    Category,
    Certification,
    Compound,
    OutsideParty,
    Record,
    Resident,
    ServiceSession,
    SessionRequest,
    StaffMember,
    Ticket,
    Visit,
)
from tui.domain.validate import validate
from tui.store import backup, schema
from tui.store.errors import CorruptFile, StoreConflict
from tui.store.files import ensure_dir, remove_stale_temps
from tui.store.layout import (
    CASES_CLOSED,
    CASES_OPEN,
    CERTIFICATIONS,
    DAYS,
    DEVICE,
    FOLDERS,
    LOCK,
    REGISTRY,
    REQUESTS,
    RESIDENTS,
    archive_path,
    certification_path,
    day_path,
    draft_path,
    path_for,
)
from tui.store.lock import StoreLock
from tui.store.storage import DocFile, file_stamp, parse_tables, remove_many

R = TypeVar("R", bound=Record)
RECENT_DAYS = 12  # session days looked back for the last or a forgotten open session
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
    ) -> None:
        self.root = Path(root)
        self.by = by
        self.now = clock
        self.problems: list[CorruptFile] = []
        self._files: dict[str, DocFile] = {}
        self._parsed: dict[tuple[str, str], tuple[object, list[Any]]] = {}
        for folder in (self.root, *(self.root / f for f in FOLDERS)):
            ensure_dir(folder)
        self.lock = StoreLock(self.root / LOCK)
        with self.lock:
            for folder in (
                self.root,
                self.root / DAYS,
                self.root / "cases",
                self.root / CASES_CLOSED,
                self.root / CERTIFICATIONS,
            ):
                remove_stale_temps(folder)
            self.device = device or self._device_id()
            schema.prepare(self)

    # -- files --------------------------------------------------------------

    def file(self, rel: str) -> DocFile:
        doc_file = self._files.get(rel)
        if doc_file is None:
            path = self.root / rel
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

    def probe(self, rel: str) -> CorruptFile | None:
        """Read a file now, so a corrupt one is found and moved aside."""
        try:
            self.file(rel).tables()
        except CorruptFile as err:
            self.problems.append(err)
            return err
        return None

    def _device_id(self) -> str:
        docs = self.file(DEVICE).all("device")
        if docs:
            return str(docs[0]["device"])
        device = f"{socket.gethostname()[:24]}-{uuid.uuid4().hex[:6]}"
        self.file(DEVICE).put_many("device", [{"id": "device", "device": device}])
        return device

    def today(self) -> str:
        return self.now().date().isoformat()

    def backup_today(self) -> Path | None:
        return backup.take_daily_backup(self.root, self.today())

    # -- writing ------------------------------------------------------------

    def save(self, record: R) -> R:
        """Validate, stamp and durably store one record; return what was stored."""
        clean = validate(record)
        with self.lock:
            target = path_for(clean.to_dict())
            found_in = self._locate(clean, target)
            stamped = clean.stamped(now=self.now(), device=self.device, by=self.by)
            self.file(target).upsert(clean.KIND, stamped.to_dict())
            # A case that closed or reopened moves file: write first, then remove.
            if found_in and found_in != target:
                self.file(found_in).remove(clean.KIND, clean.id)
        return stamped

    def _locate(self, record: Record, target: str) -> str | None:
        """Where the stored version lives; refuse a save based on a stale copy."""
        places = [target]
        if isinstance(record, Case):
            places = [CASES_OPEN, archive_path(record.day[:7])]
        for rel in places:
            current = self.file(rel).get(record.KIND, record.id)
            if current is not None:
                if int(current.get("rev", 0)) != record.rev:
                    raise StoreConflict(self.root / rel, f"{record.KIND} {record.id}")
                return rel
        return None

    def save_many(self, records: list[Record]) -> list[Record]:
        """Validate, check and stamp several records; each file is written once,
        so records sharing a file (a visit and its ticket) land together or not
        at all. Not for cases changing file (use save)."""
        cleaned = [validate(record) for record in records]
        stored: list[Record] = []
        with self.lock:
            grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
            moment = self.now()
            for record in cleaned:
                stamped = record.stamped(now=moment, device=self.device, by=self.by)
                doc = stamped.to_dict()
                target = path_for(doc)
                self._locate(record, target)
                stored.append(stamped)
                grouped.setdefault((target, record.KIND), []).append(doc)
            for (rel, kind), docs in grouped.items():
                self.file(rel).put_many(kind, docs)
        return stored

    def save_intake(self, intake: Intake) -> Intake:
        """Store what one intake produced. The ticket gets its number here, under
        the lock, so two desks never issue the same one."""
        with self.lock:
            resident = self.save(intake.resident) if intake.resident else None
            visit = intake.visit
            if resident is not None and visit.resident != resident.id:
                visit = dataclasses.replace(visit, resident=resident.id)
            records: list[Record] = [visit]
            ticket = intake.ticket
            if ticket is not None:
                seq = next_seq(self.tickets(visit.day), ticket.letter)
                ticket = dataclasses.replace(
                    ticket, seq=seq, number=ticket_number(ticket.letter, seq)
                )
                records.append(ticket)
            saved = self.save_many(records)
        saved_visit, *rest = saved
        saved_ticket = rest[0] if rest else None
        assert isinstance(saved_visit, Visit)
        assert saved_ticket is None or isinstance(saved_ticket, Ticket)
        return Intake(visit=saved_visit, ticket=saved_ticket, resident=resident)

    def save_triage(self, visit: Visit, case: Case | None) -> tuple[Visit, Case | None]:
        """Store a triage decision. The case is written first: a crash in between
        leaves a case whose visit still says "open", which the review finds,
        never a visit pointing at a case that does not exist."""
        with self.lock:
            saved_case = self.save(case) if case is not None else None
            return self.save(visit), saved_case

    def archive_months(self) -> list[str]:
        """Months that have closed cases, newest first."""
        folder = self.root / CASES_CLOSED
        return sorted((p.stem for p in folder.glob("*.json")), reverse=True)

    def save_all(self, records: Iterable[Record], *, stamp: bool = True) -> list[Record]:
        """Validate and store many new records, one write per file.

        For bulk loading (sample data, generated history); no conflict checks.
        With stamp=False the records keep the rev and times they carry.
        """
        grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
        stored: list[Record] = []
        moment = self.now()
        for record in records:
            stamped = validate(record)
            if stamp:
                stamped = stamped.stamped(now=moment, device=self.device, by=self.by)
            stored.append(stamped)
            doc = stamped.to_dict()
            grouped.setdefault((path_for(doc), stamped.KIND), []).append(doc)
        with self.lock:
            for (rel, kind), docs in grouped.items():
                self.file(rel).put_many(kind, docs)
        return stored

    # -- reading ------------------------------------------------------------

    def records(self, cls: type[R], rel: str) -> list[R]:
        """The records of one kind in one file. Parsed once per version of the
        file: screens re-read often, and from_dict on hundreds of cases adds up.
        Records are treated as values (changed with dataclasses.replace), so the
        cached ones can be handed out again."""
        doc_file = self.file(rel)
        doc_file.refresh()
        table = (doc_file.storage.read() or {}).get(cls.KIND)
        cached = self._parsed.get((rel, cls.KIND))
        if cached is not None and table is not None and cached[0] is table:
            return list(cached[1])
        parsed = [cls.from_dict(doc) for doc in doc_file.all(cls.KIND)]
        if table is not None:
            self._parsed[(rel, cls.KIND)] = (table, parsed)
        return list(parsed)

    def compounds(self) -> list[Compound]:
        return sorted(self.records(Compound, REGISTRY), key=lambda c: c.name)

    def staff(self) -> list[StaffMember]:
        return self.records(StaffMember, REGISTRY)

    def parties(self) -> list[OutsideParty]:
        return self.records(OutsideParty, REGISTRY)

    def categories(self) -> list[Category]:
        return sorted(self.records(Category, REGISTRY), key=lambda c: c.order)

    def residents(self) -> list[Resident]:
        return self.records(Resident, RESIDENTS)

    def sessions(self, day: str) -> list[ServiceSession]:
        return self.records(ServiceSession, day_path(day))

    def open_session(self) -> ServiceSession | None:
        """Today's open session (the latest opened, should there be two)."""
        sessions = [s for s in self.sessions(self.today()) if s.status == "open"]
        return max(sessions, key=lambda s: s.opened_at) if sessions else None

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

    def resident(self, resident_id: str) -> Resident | None:
        doc = self.file(RESIDENTS).get("resident", resident_id)
        return Resident.from_dict(doc) if doc else None

    # -- drafts: the intake form as typed, per desk ---------------------------

    def load_draft(self, desk: int) -> dict[str, Any] | None:
        docs = self.file(draft_path(desk)).all("draft")
        return dict(docs[0]["form"]) if docs else None

    def save_draft(self, desk: int, form: dict[str, Any]) -> None:
        doc = {"id": "draft", "form": form, "saved_at": self.now().isoformat(timespec="seconds")}
        self.file(draft_path(desk)).put_many("draft", [doc])

    def clear_draft(self, desk: int) -> None:
        remove_many(self.file(draft_path(desk)), "draft", {"draft"})

    def days(self) -> list[str]:
        """Days that have a day file, oldest first."""
        return sorted(p.stem for p in (self.root / DAYS).glob("*.json"))

    def watcher(self, rels: Callable[[], Iterable[str]] | None = None) -> Watcher:
        return Watcher(self, rels or self.hot_files)

    def hot_files(self) -> list[str]:
        today = self.today()
        return [
            REGISTRY,
            RESIDENTS,
            REQUESTS,
            CASES_OPEN,
            day_path(today),
            certification_path(quarter_of(today)),
        ]


class Watcher:
    """Cheap detection of other processes' commits: stat, not read.

    A file whose stamp is that of this process's own last write is not
    reported: whoever saved it already knows."""

    def __init__(self, store: Store, rels: Callable[[], Iterable[str]]) -> None:
        self.store = store
        self.rels = rels
        self._stamps = {rel: file_stamp(store.root / rel) for rel in rels()}

    def poll(self) -> set[str]:
        """The files another process changed since the last poll."""
        changed = set()
        for rel in self.rels():
            stamp = file_stamp(self.store.root / rel)
            if stamp != self._stamps.get(rel):
                self._stamps[rel] = stamp
                own = self.store._files.get(rel)
                if own is None or own.storage.written != stamp:
                    changed.add(rel)
        return changed

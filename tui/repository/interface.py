"""The repository: everything the screens, reports, imports and commands
need from stored records, by meaning, whatever stores them.

The folder of JSON files (tui.store.Store) is the first implementation; a
server database is meant to be the second, run against the same tests
(tests/repository/). Screens, widgets and the app see only this interface:
an import contract keeps them from importing tui.store.

Writes go through a unit of work:

    with repo.transaction() as tx:
        tx.put(visit)
        tx.put(case)

Every record put is validated, checked against the stored revision (a record
changed meanwhile elsewhere raises StoreConflict) and stamped; all of them
land together, durably, when the block ends, or none do. Reads inside the
block see what was committed before it (and, in the folder store, nobody
else commits meanwhile).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

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
from tui.repository.errors import CorruptFile
from tui.repository.events import Change, SyncOutcome

R = TypeVar("R", bound=Record)


class Transaction(Protocol):
    """One unit of work; see the module's docstring."""

    def put(self, record: R) -> R:
        """Stage a record; returns it as it will be stored (next rev, stamps)."""
        ...

    def put_all(self, records: Iterable[Record]) -> list[Record]: ...


class Repository(Protocol):
    """An open community's records. See the module's docstring."""

    by: str  # who is working (recorded on every save)
    device: str  # this laptop's id (recorded on every save)
    read_only: bool  # every write raises StoreWriteError("read_only")
    problems: list[CorruptFile]  # unreadable files found and set aside

    # -- time ------------------------------------------------------------------
    def now(self) -> datetime: ...

    def today(self) -> str: ...

    # -- writing ---------------------------------------------------------------
    def transaction(self) -> AbstractContextManager[Transaction]: ...

    def save(self, record: R) -> R:
        """One record in its own transaction."""
        ...

    def save_many(self, records: list[Record]) -> list[Record]:
        """Several records in one transaction."""
        ...

    def save_all(self, records: Iterable[Record], *, stamp: bool = True) -> list[Record]:
        """Bulk loading into a new community (no revision checks)."""
        ...

    def sync_status(self) -> tuple[str, int] | None:
        """(when the records last synced with the office server, "" if never;
        how many records changed here are not yet sent), or None when there
        is no server to sync with."""
        ...

    def sync(self, progress: Callable[[int, int], object] | None = None) -> SyncOutcome:
        """Sync with the office server now: pull, push, pull. Raises a
        CodedError saying why when it cannot; what was pulled before that is
        kept. `progress(done, total)` is called as a long pull goes on."""
        ...

    def conflicts(self) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
        """Every conflict for staff to settle: (where, the record, the conflict)."""
        ...

    def settle_conflict(
        self, place: str, kind: str, record_id: str, rev: int, field: str, value: Any
    ) -> None:
        """Staff's pick for a field two laptops changed unseen (docs/MERGE.md):
        a write that settles the field's conflicts, validated and saved as
        any edit (StoreConflict if the record changed since `rev` was read).
        `place` is where the conflict was found (a file of the folder)."""
        ...

    # -- the community -----------------------------------------------------------
    def community(self) -> Community | None: ...

    def compounds(self) -> list[Compound]: ...

    def compound_name(self, compound_id: str, default: str = "") -> str: ...

    def staff(self) -> list[StaffMember]: ...

    def parties(self) -> list[OutsideParty]: ...

    def categories(self) -> list[Category]: ...

    def residents(self, compound: str | None = None) -> list[Resident]:
        """Every resident; with `compound` only that compound's ("" for none)."""
        ...

    def resident(self, resident_id: str) -> Resident | None: ...

    def elderly(self, born_by: int) -> list[Resident]:
        """Residents born in or before `born_by`, or flagged 80+: those who
        may be due a certification."""
        ...

    def requests(self) -> list[SessionRequest]: ...

    def outings(self, month: str) -> list[Outing]: ...

    # -- session days ----------------------------------------------------------
    def days(self) -> list[str]:
        """Days that hold a session, visits or tickets, oldest first."""
        ...

    def sessions(self, day: str) -> list[ServiceSession]: ...

    def open_session(self) -> ServiceSession | None:
        """This desk's open session today: once this laptop opened or worked
        in a session today, the open one at a compound it worked at (never
        another team's at another compound, brought in by a merge), else the
        latest opened; None when this laptop's sessions today are closed
        (tui/domain/queue.py `desk_session`)."""
        ...

    def last_session(self) -> ServiceSession | None: ...

    def recent_sessions(self, days: int = ...) -> list[ServiceSession]: ...

    def visits(self, day: str) -> list[Visit]: ...

    def tickets(self, day: str) -> list[Ticket]: ...

    def visits_since(self, day: str) -> list[Visit]: ...

    def visits_before(self, day: str, days: int) -> list[Visit]: ...

    # -- cases and certifications -----------------------------------------------
    def open_cases(self) -> list[Case]: ...

    def closed_cases(self, month: str) -> list[Case]: ...

    def archive_months(self) -> list[str]:
        """Months that have closed cases, newest first."""
        ...

    def certifications(self, quarter: str) -> list[Certification]: ...

    # -- the intake form as typed, per desk ----------------------------------------
    def load_draft(self, desk: int) -> dict[str, Any] | None: ...

    def save_draft(self, desk: int, form: dict[str, Any]) -> None: ...

    def clear_draft(self, desk: int) -> None: ...

    # -- changes -----------------------------------------------------------------
    def changes(self, stop: threading.Event, *, notifications: bool = True) -> Iterator[Change]:
        """Each commit as it happens, this process's and others', until `stop`
        is set. Blocks between them: run it in a thread. `notifications`
        False: learn of others' commits by looking, as where the system
        cannot tell."""
        ...

    # -- the place ---------------------------------------------------------------
    def where(self) -> str:
        """Where the records are, for people (a folder, a server)."""
        ...

    def write_reports(self, folder: str, files: dict[str, bytes]) -> Path:
        """Keep hand-over reports (name -> content) under `folder`; returns
        where they are, for people to find them."""
        ...

    def backup_today(self) -> Path | None: ...

    # -- this laptop's settings (fielddesk config) -------------------------------
    def settings(self) -> dict[str, Any]: ...

    def save_setting(self, key: str, value: int | str | None) -> None: ...

    # -- upkeep: damaged or missing data -------------------------------------------
    # A name is what people are told: the file (or table) the records were in.
    def unreadable_hot_files(self) -> list[str]:
        """What would not read now; touches no cache (a worker may call it)."""
        ...

    def probe(self, name: str) -> CorruptFile | None:
        """Read it now: a damaged one is set aside and reported."""
        ...

    def missing_hot_files(self) -> list[tuple[str, Path | None]]:
        """What was here and is gone, each with its set-aside copy if any."""
        ...

    def backup_day(self, name: str) -> str | None:
        """The day of the newest backup that can restore it, if any."""
        ...

    def restore(self, name: str) -> int:
        """Merge the newest backup back in; how many records came back."""
        ...


@dataclass(frozen=True)
class DayView:
    """What the residents' display shows of one day."""

    tickets: tuple[Ticket, ...]
    visits: tuple[Visit, ...]
    sessions: tuple[ServiceSession, ...]
    compounds: dict[str, str]  # id -> name
    device: str = ""  # this laptop's id: whose session's queue is shown (desk_session)


class DayBoard(Protocol):
    """The read-only view of the residents' display: it never writes, locks or
    creates anything, and tells records that cannot be read now (NoData)
    from an empty day."""

    def stamp(self, day: str) -> object:
        """Changes whenever what read_day(day) gives may have (cheap)."""
        ...

    def read_day(self, day: str) -> DayView: ...

    def watch(
        self, on_change: Callable[[], object], on_failed: Callable[[str], object]
    ) -> Callable[[], None]:
        """Call on_change (from another thread) soon after a commit; returns
        the function that stops it. on_failed(reason): it cannot, poll."""
        ...

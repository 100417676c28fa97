"""Read-only access for the resident-facing display. It never creates, locks or
moves anything in the data folder (that is the staff app's business), and it
tells a missing or unreadable folder apart from an empty day."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tui.domain.records import Compound, ServiceSession, Ticket, Visit
from tui.repository.errors import NoData
from tui.repository.interface import DayView
from tui.store.layout import DAYS, DEVICE, REGISTRY, day_path
from tui.store.notify import BACKSTOP_SECONDS, Notifier
from tui.store.storage import Stamp, Tables, file_stamp, parse_tables


def _tables(path: Path) -> Tables:
    try:
        return parse_tables(path.read_bytes())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as err:
        raise NoData(str(err)) from err


def stamps(root: Path, day: str) -> tuple[Stamp | None, Stamp | None]:
    """Cheap change check: the day file's and the registry's (inode, mtime, size)."""
    return file_stamp(root / day_path(day)), file_stamp(root / REGISTRY)


def read_day(root: Path, day: str) -> DayView:
    if not root.is_dir():
        raise NoData(str(root))
    tables = _tables(root / day_path(day))
    registry = _tables(root / REGISTRY)
    try:
        device = str(next(iter(_tables(root / DEVICE).get("device", {}).values()))["device"])
    except (NoData, StopIteration, KeyError, TypeError):
        device = ""  # the app has not run here yet, or the file is not its own
    return DayView(
        tickets=tuple(Ticket.from_dict(d) for d in tables.get("ticket", {}).values()),
        visits=tuple(Visit.from_dict(d) for d in tables.get("visit", {}).values()),
        sessions=tuple(ServiceSession.from_dict(d) for d in tables.get("session", {}).values()),
        compounds={
            d["id"]: Compound.from_dict(d).name for d in registry.get("compound", {}).values()
        },
        device=device,
    )


class FolderBoard:
    """The display's DayBoard on a data folder (see the module's docstring).
    `backstop`: look this often even without a notification (None: never)."""

    def __init__(self, root: Path, *, backstop: float | None = BACKSTOP_SECONDS) -> None:
        self.root = root
        self.backstop = backstop

    def stamp(self, day: str) -> object:
        return (day, stamps(self.root, day)) if self.root.is_dir() else None

    def read_day(self, day: str) -> DayView:
        return read_day(self.root, day)

    def watch(
        self, on_change: Callable[[], object], on_failed: Callable[[str], object]
    ) -> Callable[[], None]:
        notifier = Notifier(
            self.root, on_change, on_failed, folders=(DAYS,), backstop=self.backstop
        )
        notifier.start()
        return notifier.stop

"""What the repository tests share, through the interface only: records of
every kind built as the desk builds them, a change feed read in a thread,
and another process working on the same place (child.py)."""

from __future__ import annotations

import dataclasses
import json
import queue
import subprocess
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, Protocol, TypeVar

from tests.conftest import PYTHON, ROOT, TODAY, python_env
from tui.domain.calendar import fixed_clock
from tui.domain.cases import Owner, advance
from tui.domain.certification import quarter_of
from tui.domain.queue import ticket_number
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
    iso,
)
from tui.domain.sessions import open_session
from tui.repository.events import Change
from tui.repository.interface import Repository

R = TypeVar("R", bound=Record)

WAIT = 10.0  # seconds: the longest a test waits for something that should take a moment
DAY = TODAY.isoformat()  # every handle's today
EARLIER = "2026-11-20"  # an earlier session day (the sample community's last)
MOMENT = iso(fixed_clock(TODAY)())


def by_id(records: Iterable[R]) -> dict[str, R]:
    return {r.id: r for r in records}


def ids(records: Iterable[Record]) -> set[str]:
    return {r.id for r in records}


# -- records of every kind, valid as the desk makes them --------------------------


def community() -> Community:
    return Community(name="幸福社区", sub_district="和平街道", phone="010-6512-3456")


def compound(name: str = "阳光小区") -> Compound:
    return Compound(name=name, short="yg", address="和平路1号", households=240, buildings=["1"])


def staff(name: str = "张网格", role: str = "grid_worker") -> StaffMember:
    return StaffMember(name=name, role=role, phone="13800138000")


def party(name: str = "阳光物业") -> OutsideParty:
    return OutsideParty(name=name, type="property", contact_person="王经理")


def category(code: str = "repair", letter: str = "D", order: int = 1) -> Category:
    return Category(code=code, name_zh="维修", name_en="Repairs", letter=letter, order=order)


def resident(name: str = "王小明", compound: str = "", **values: Any) -> Resident:
    address = {"building": "3", "unit": "2", "room": "101"}
    return Resident(name=name, compound=compound, **{**address, **values})


def request(compound: str, text: str = "请律师来", day: str = EARLIER) -> SessionRequest:
    return SessionRequest(compound=compound, day=day, text=text)


def session(day: str = DAY, compound: str = "c1", *, opened: str = "09:00") -> ServiceSession:
    moment = datetime.fromisoformat(f"{day}T{opened}:00+08:00")
    return open_session(day, compound, [], 2, now=moment)


def visit(day: str = DAY, name: str = "李娜", **values: Any) -> Visit:
    return Visit(
        day=day, name=name, **{"category": "repair", "description": "下水道堵塞", **values}
    )


def ticket(day: str = DAY, letter: str = "D", seq: int = 1) -> Ticket:
    return Ticket(
        day=day, number=ticket_number(letter, seq), letter=letter, seq=seq, issued_at=MOMENT
    )


def case(day: str = EARLIER, summary: str = "暖气不热", **values: Any) -> Case:
    return Case(day=day, summary=summary, **{"visit": "visit-1", "name": "李娜", **values})


def closed(open_case: Case) -> Case:
    """The case taken through its lifecycle to closed (reply recorded)."""
    now = fixed_clock(TODAY)()
    owner = Owner("staff", "staff-1", "staff-1")
    done = advance(open_case, "assign", now=now, by="t", owner=owner)
    done = advance(done, "resolve", now=now, by="t", note="修好了")
    done = advance(done, "reply", now=now, by="t", reply={"channel": "phone", "satisfied": True})
    return advance(done, "close", now=now, by="t")


def certification(resident_id: str, day: str = DAY) -> Certification:
    return Certification(resident=resident_id, quarter=quarter_of(day), day=day)


def outing(day: str, compound: str = "c1") -> Outing:
    return Outing(month=day[:7], day=day, compound=compound, staff=["staff-1"])


def changed(record: R, **values: Any) -> R:
    return dataclasses.replace(record, **values)


# -- the change feed, read in a thread ------------------------------------------------


class Feed:
    """repo.changes() read in a daemon thread into a queue. changes() is called
    here, before the thread starts: every implementation must report a commit
    made after changes() returned, even before the first next()."""

    def __init__(self, repo: Repository, *, notifications: bool = True) -> None:
        self.stop = threading.Event()
        self.inbox: queue.Queue[Change] = queue.Queue()
        self.seen: list[Change] = []  # every change taken from the queue so far
        self.error: BaseException | None = None
        changes = repo.changes(self.stop, notifications=notifications)
        self.thread = threading.Thread(
            target=self._read, args=(changes,), name="test-changes", daemon=True
        )
        self.thread.start()

    def _read(self, changes: Iterator[Change]) -> None:
        try:
            for change in changes:
                self.inbox.put(change)
        except BaseException as err:  # shown by wait_until, not lost in the thread
            self.error = err

    def wait_until(
        self, done: Callable[[list[Change]], bool], timeout: float = WAIT
    ) -> list[Change]:
        """Take changes until `done(taken)` holds of those this call took, and
        return them (all are kept in `seen` too). Fails when that does not
        happen within `timeout` seconds."""
        taken: list[Change] = []
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                change = self.inbox.get(timeout=min(left, 0.5))
            except queue.Empty:
                if self.error is not None or not self.thread.is_alive():
                    break
                continue
            taken.append(change)
            self.seen.append(change)
            if done(taken):
                return taken
        raise AssertionError(
            f"not within {timeout}s (feed error: {self.error!r}); changes taken: {taken}"
        )

    def wait_for(self, wanted: Callable[[Change], bool], timeout: float = WAIT) -> Change:
        """The next change `wanted` accepts (those before it are in `seen`)."""
        return self.wait_until(lambda taken: wanted(taken[-1]), timeout)[-1]

    def close(self, timeout: float = WAIT) -> bool:
        """Set stop; True when the iterator ended (its thread finished) in time."""
        self.stop.set()
        self.thread.join(timeout)
        return not self.thread.is_alive()


# -- another process on the same place -----------------------------------------------


class Located(Protocol):
    def argv(self) -> list[str]: ...


def child_command(place: Located, *args: str) -> list[str]:
    return [PYTHON, "-m", "tests.repository.child", *place.argv(), *args]


def run_child(place: Located, *args: str, timeout: float = 120) -> str:
    """Run child.py to the end; its output."""
    done = subprocess.run(
        child_command(place, *args),
        cwd=ROOT,
        env=python_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def save_elsewhere(place: Located, records: Sequence[Record], device: str = "desk-2") -> None:
    """Another process opens its own repository on the place and saves
    `records` there in one commit."""
    docs = json.dumps([r.to_dict() for r in records], ensure_ascii=False)
    out = run_child(place, "put", device, docs)
    assert out.strip() == "saved", out


def start_child(place: Located, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        child_command(place, *args),
        cwd=ROOT,
        env=python_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

"""The repository suite's fixtures: the one place that knows how each
implementation of tui.repository.interface.Repository is opened.

Every test in tests/repository/ takes `repo` (or `place`, `sample_place`) and
uses only the interface, so each runs once per implementation named in
IMPLEMENTATIONS. Today that is the folder of JSON files; a second one (a
PostgreSQL server for office sync) adds its entry here and nothing else:

    IMPLEMENTATIONS["postgres"] = Implementation(
        empty=new_database, sample=database_with_sample, open=open_database
    )

An implementation says how to make a fresh empty place (a folder, a
database) for one test and remove it after, the same holding the sample
community, and how to open a handle on a place by its address: in this process, as often as a
test likes (a second desk, a read-only viewer, a fresh read with no cache),
and in another process (tests/repository/child.py opens it from the address).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

import pytest

from tests.conftest import SAMPLE, TODAY
from tests.repository.support import Feed
from tui.domain.calendar import fixed_clock
from tui.repository.interface import Repository

Clock = Callable[[], datetime]

CLOCK = fixed_clock(TODAY)  # every handle's clock unless a test gives another
DEVICE = "test-laptop"
BY = "测试员"


class Opener(Protocol):
    """Opens a handle on the records at `address`."""

    def __call__(
        self, address: str, *, device: str, by: str, clock: Clock, read_only: bool
    ) -> Repository: ...


@dataclass(frozen=True)
class Implementation:
    # Each given the test's tmp dir, gives the address of a fresh place while
    # the test runs (and removes the place after, if tmp_path does not hold it).
    empty: Callable[[Path], AbstractContextManager[str]]  # holding nothing
    sample: Callable[[Path], AbstractContextManager[str]]  # holding the sample community
    open: Opener  # a handle on the place at an address


# -- the folder of JSON files (tui.store) -------------------------------------


@contextmanager
def _empty_folder(tmp: Path) -> Iterator[str]:
    yield str(tmp / "data")  # the Store makes it on first open


@contextmanager
def _sample_folder(tmp: Path) -> Iterator[str]:
    target = tmp / "sample"
    shutil.copytree(SAMPLE, target)  # as `fielddesk demo` makes it
    yield str(target)


def _open_folder(
    address: str, *, device: str, by: str, clock: Clock, read_only: bool
) -> Repository:
    from tui.store.repository import Store

    return Store(Path(address), device=device, by=by, clock=clock, read_only=read_only)


IMPLEMENTATIONS: dict[str, Implementation] = {
    "folder": Implementation(empty=_empty_folder, sample=_sample_folder, open=_open_folder),
}


@dataclass(frozen=True)
class Place:
    """Where one test's records are kept, by one implementation."""

    kind: str  # a key of IMPLEMENTATIONS
    address: str  # a folder, a database URL

    def open(
        self,
        *,
        device: str = DEVICE,
        by: str = BY,
        clock: Clock = CLOCK,
        read_only: bool = False,
    ) -> Repository:
        """A new handle on these records (nothing cached from other handles)."""
        opener = IMPLEMENTATIONS[self.kind].open
        return opener(self.address, device=device, by=by, clock=clock, read_only=read_only)

    def argv(self) -> list[str]:
        """What a child process needs to open it (see child.py)."""
        return [self.kind, self.address]


# -- fixtures ---------------------------------------------------------------


@pytest.fixture(params=list(IMPLEMENTATIONS))
def implementation(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def place(implementation: str, tmp_path: Path) -> Iterator[Place]:
    """A fresh, empty place."""
    with IMPLEMENTATIONS[implementation].empty(tmp_path) as address:
        yield Place(implementation, address)


@pytest.fixture
def repo(place: Place) -> Repository:
    """This desk's handle on the empty place (device test-laptop, today 2026-11-27)."""
    return place.open()


@pytest.fixture
def sample_place(implementation: str, tmp_path: Path) -> Iterator[Place]:
    """A fresh place holding the sample community (its today is 2026-11-27)."""
    with IMPLEMENTATIONS[implementation].sample(tmp_path) as address:
        yield Place(implementation, address)


@pytest.fixture
def sample_repo(sample_place: Place) -> Repository:
    return sample_place.open()


@pytest.fixture
def follow() -> Iterator[Callable[..., Feed]]:
    """follow(repo, notifications=True): its changes() read in a thread; every
    feed is stopped and its thread joined when the test ends."""
    feeds: list[Feed] = []

    def start(repository: Repository, *, notifications: bool = True) -> Feed:
        feed = Feed(repository, notifications=notifications)
        feeds.append(feed)
        return feed

    yield start
    for feed in feeds:
        feed.close()

"""The folder's change feed (Repository.changes): this process's commits as
they are made, and other processes' as the operating system reports their
files changed (notify.py), or as polling the files' stamps finds them where
it cannot."""

from __future__ import annotations

import queue
from collections.abc import Iterable, Iterator
from pathlib import PurePosixPath
from threading import Event
from typing import TYPE_CHECKING

from tui.repository.events import DAY_KINDS, EVERYTHING, REGISTRY_KINDS, Change, Kind
from tui.store.layout import (
    CASES,
    CERTIFICATIONS,
    DAYS,
    PLAN,
    REGISTRY,
    REQUESTS,
    compound_of_file,
    data_files,
    is_residents_file,
)
from tui.store.notify import Notifier

if TYPE_CHECKING:
    from tui.store.repository import Store, Watcher

POLL_SECONDS = 0.25  # without notifications: a commit shows within half a second
_LOOK = object()  # "look at the files' stamps" (a notification, or time to poll)


def change_of_files(rels: Iterable[str]) -> Change:
    """What another process changed, from the data files it wrote."""
    kinds: set[Kind] = set()
    days: set[str] = set()
    compounds: set[str] = set()
    every_compound = False  # a residents' file that names no one compound
    for rel in rels:
        path = PurePosixPath(rel)
        top = path.parts[0] if path.parts else ""
        if rel == REGISTRY:
            kinds |= REGISTRY_KINDS
        elif is_residents_file(rel):
            kinds.add(Kind.RESIDENT)
            compound = compound_of_file(rel)
            if compound is None:
                every_compound = True
            else:
                compounds.add(compound)
        elif rel == REQUESTS:
            kinds.add(Kind.REQUEST)
        elif rel == PLAN:
            kinds.add(Kind.OUTING)
        elif top == CASES:
            kinds.add(Kind.CASE)
        elif top == CERTIFICATIONS:
            kinds.add(Kind.CERTIFICATION)
        elif top == DAYS:
            kinds |= DAY_KINDS
            days.add(path.stem)
        else:
            kinds |= EVERYTHING
    known = frozenset() if every_compound else frozenset(compounds)
    return Change(frozenset(kinds), days=frozenset(days), compounds=known)


def changes(store: Store, stop: Event, *, notifications: bool = True) -> Iterator[Change]:
    """Each change until `stop` is set (see Repository.changes). What is on
    disk now is the baseline (a commit made after this call is reported, even
    before the first next()) and this process's commits are collected from
    now on; the watch itself starts with the first next()."""
    inbox: queue.SimpleQueue[object] = queue.SimpleQueue()
    store._listeners.append(inbox.put)
    watcher = store.watcher(lambda: data_files(store.root))  # every day, quarter, month
    return _follow(store, stop, inbox, watcher, notifications)


def _follow(
    store: Store,
    stop: Event,
    inbox: queue.SimpleQueue[object],
    watcher: Watcher,
    notifications: bool,
) -> Iterator[Change]:
    polling = not notifications
    notifier: Notifier | None = None

    def failed(_reason: str) -> None:
        nonlocal polling
        polling = True
        inbox.put(_LOOK)

    if notifications:
        notifier = Notifier(store.root, lambda: inbox.put(_LOOK), failed)
        notifier.start()
    try:
        while not stop.is_set():
            try:
                item = inbox.get(timeout=POLL_SECONDS if polling else 0.5)
            except queue.Empty:
                item = _LOOK if polling else None
            if stop.is_set():
                break
            if isinstance(item, Change):
                yield item  # this process's commit; others' may have waited on it
            if item is not None:
                changed = watcher.poll()
                if changed:
                    yield change_of_files(changed)
    finally:
        store._listeners.remove(inbox.put)
        if notifier is not None:
            notifier.stop()

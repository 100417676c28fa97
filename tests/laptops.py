"""Laptops for the tests of numbers across laptops: each its own copy of the
sample community, its own device and desk, its own session; what its
export holds of the day, to put into another laptop's folder."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from tests.conftest import SAMPLE, issue_forms
from tui.domain.intake import IntakeForm
from tui.domain.sessions import open_session
from tui.store.exchange import import_docs
from tui.store.repository import Store

CATEGORIES = ("elderly_subsidy", "repair", "legal", "elderly_subsidy", "noise")


def laptop(tmp_path: Path, name: str, clock: Callable[[], datetime], desk: int = 0) -> Store:
    """A laptop's own copy of the community, with its own device id (kept in
    its device.json, as the app finds it) and its desk kept in its settings
    (`fielddesk config set desk N`) when given."""
    shutil.copytree(SAMPLE, tmp_path / name)
    store = Store(tmp_path / name, by=name, clock=clock)
    if desk:
        store.save_setting("desk", desk)
    return store


def open_at(store: Store, compound: int, minutes_earlier: int = 0) -> None:
    """This laptop opens its own session at the compound (no network: it
    cannot know the other opened one there too)."""
    moment = store.now() - timedelta(minutes=minutes_earlier)
    store.save(open_session(store.today(), store.compounds()[compound].id, [], 2, now=moment))


def intakes(store: Store, count: int, prefix: str) -> None:
    forms = [
        IntakeForm(name=f"{prefix}{n}", category=CATEGORIES[n % len(CATEGORIES)])
        for n in range(count)
    ]
    issue_forms(store, forms)


def day_docs(store: Store) -> list[dict[str, Any]]:
    """What the laptop's export holds of today: its sessions, visits and tickets."""
    day = store.today()
    records = [*store.sessions(day), *store.visits(day), *store.tickets(day)]
    return [r.to_dict() for r in records]


def merge_both(one: Store, other: Store) -> None:
    theirs, ours = day_docs(other), day_docs(one)
    import_docs(one, theirs)
    import_docs(other, ours)

"""Schema version of a data folder and the migrations between versions.

A migration is registered under the version it migrates *from*; it gets the
open Store and rewrites what it must. A backup is taken before each one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tui.repository.errors import SchemaTooNew, StoreError
from tui.store.backup import take_daily_backup
from tui.store.layout import META

if TYPE_CHECKING:
    from tui.store.repository import Store

CURRENT = 1

MIGRATIONS: dict[int, Callable[[Store], None]] = {}


def read_version(store: Store) -> int | None:
    docs = store.file(META).all("meta")
    if not docs:
        return None
    version = docs[0].get("schema")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise StoreError(store.root / META, f"schema {version!r} is not a version number")
    return version


def check(store: Store) -> int | None:
    """For a read-only folder: refuse one written by a newer fielddesk."""
    version = read_version(store)
    if version is not None and version > CURRENT:
        raise SchemaTooNew(store.root / META, f"schema {version}, this fielddesk knows {CURRENT}")
    return version


def prepare(store: Store) -> int:
    """Create meta.json in a new folder, or migrate an older one. Lock held."""
    version = read_version(store)
    if version is None:
        write_version(store, CURRENT)
        return CURRENT
    check(store)
    while version < CURRENT:
        take_daily_backup(store.root, f"{store.today()}-pre-schema-{version}")
        MIGRATIONS[version](store)
        version += 1
        write_version(store, version)
    return version


def write_version(store: Store, version: int) -> None:
    moment = store.now().isoformat(timespec="seconds")
    store.file(META).put_many(
        "meta", [{"id": "meta", "kind": "meta", "schema": version, "updated_at": moment}]
    )

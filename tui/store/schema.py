"""Schema version of a data folder and the migrations between versions.

A migration is registered under the version it migrates *from*; it gets the
open Store and gathers what it rewrites as file changes, to which the new
version in meta.json is added: one commit (journalled), so a folder is
migrated whole, once, or not at all, whenever the process dies. A backup is
taken before each one.

1 -> 2: residents.json (every resident of the community in one file) becomes
residents/<compound id>.json, one file per compound, so saving a resident
rewrites one compound's residents, not the whole registry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tui.repository.errors import CorruptFile, SchemaTooNew, StoreError
from tui.store.backup import take_daily_backup
from tui.store.journal import Changes
from tui.store.layout import META, RESIDENTS_V1, residents_path
from tui.store.storage import parse_tables

if TYPE_CHECKING:
    from tui.store.repository import Store

CURRENT = 2

MIGRATIONS: dict[int, Callable[[Store, Changes], None]] = {}


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
        changes = Changes()
        MIGRATIONS[version](store, changes)
        version += 1
        changes.put(META, "meta", meta_doc(store, version))  # last: applied after the rest
        store.commit(changes)
    return version


def meta_doc(store: Store, version: int) -> dict[str, object]:
    moment = store.now().isoformat(timespec="seconds")
    return {"id": "meta", "kind": "meta", "schema": version, "updated_at": moment}


def write_version(store: Store, version: int) -> None:
    store.file(META).put_many("meta", [meta_doc(store, version)])


def split_residents(store: Store, changes: Changes) -> None:
    """1 -> 2: every resident of residents.json into its compound's file,
    exactly as stored, and residents.json deleted, in the same commit.

    A residents.json that cannot be read is left where it is and the folder
    is not migrated (StoreError): its residents are in its backups, and
    migrating without them would start the new layout empty."""
    path = store.root / RESIDENTS_V1
    try:
        tables = parse_tables(path.read_bytes())
    except FileNotFoundError:
        return
    except (OSError, ValueError) as err:
        raise CorruptFile(path, None, str(err)) from err
    others = sorted(name for name, docs in tables.items() if docs and name != "resident")
    if others:
        raise StoreError(path, f"holds records other than residents: {', '.join(others)}")
    for doc in tables.get("resident", {}).values():
        if not isinstance(doc.get("id"), str):
            raise StoreError(path, "holds a resident without an id")
        changes.put(residents_path(str(doc.get("compound") or "")), "resident", doc)
    changes.delete(RESIDENTS_V1)


MIGRATIONS[1] = split_residents

"""`fielddesk sync` between laptops' folders and a real PostgreSQL server:
what each folder holds afterwards, what the command says, what a sync
interrupted at any point leaves for the next one."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.cli.test_cli import fielddesk
from tests.conftest import SAMPLE
from tui.domain.merge import open_conflicts
from tui.domain.records import Case, Resident
from tui.store.exchange import collect
from tui.store.hub import Hub, connect
from tui.store.repository import Store
from tui.store.sync import STATE, sync, unsent


def laptop(tmp_path: Path, name: str, clock: Callable[[], datetime]) -> Store:
    """A copy of the sample community as a laptop of its own."""
    folder = tmp_path / name
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns(".lock", "device.json"))
    return Store(folder, device=f"laptop-{name}", by=f"staff-{name}", clock=clock)


def records(store: Store) -> dict[str, list[dict[str, Any]]]:
    return collect(Store(store.root, read_only=True))


def note(case: Case, text: str, by: str) -> Case:
    entry = {"at": "2026-11-27T15:40:00+08:00", "by": by, "action": "note", "note": text}
    return dataclasses.replace(case, timeline=[*case.timeline, entry])


def test_a_case_edited_on_two_laptops_keeps_both_notes_and_lists_one_conflict(
    tmp_path: Path, hub: Hub, pg_url: str, clock: Callable[[], datetime]
) -> None:
    a, b = laptop(tmp_path, "a", clock), laptop(tmp_path, "b", clock)
    first = sync(a, hub)
    assert first.pushed > 500 and first.pulled == 0
    sync(b, hub)
    case = next(c for c in a.open_cases())
    a.save(note(dataclasses.replace(case, due="2026-12-02"), "called the property company", "a"))
    theirs = next(c for c in b.open_cases() if c.id == case.id)
    b.save(note(dataclasses.replace(theirs, due="2026-12-09"), "resident came back", "b"))
    assert unsent(a) == 1 and unsent(b) == 1

    said_a = fielddesk("--lang", "en", "sync", "--url", pg_url, data=a.root)
    said_b = fielddesk("--lang", "en", "sync", "--url", pg_url, data=b.root)
    said_a = fielddesk("--lang", "en", "sync", "--url", pg_url, data=a.root)
    for said in (said_a, said_b):
        assert said.returncode == 0, said.stderr
    assert records(a) == records(b)
    (doc,) = [d for d in records(a)["case"] if d["id"] == case.id]
    notes = [e["note"] for e in doc["timeline"] if e["action"] == "note"]
    assert sorted(notes) == ["called the property company", "resident came back"]
    (conflict,) = open_conflicts(doc)
    assert conflict["field"] == "due"
    assert {doc["due"], conflict["value"]} == {"2026-12-02", "2026-12-09"}
    # The laptop that learnt of the conflict names the record, the field,
    # both values and who wrote each.
    lines = [line for line in said_b.stdout.splitlines() if line.startswith("conflict:")]
    assert len(lines) == 1
    assert f"case {case.id[:8]}, Due date: kept " in lines[0]
    assert "2026-12-02" in lines[0] and "2026-12-09" in lines[0]
    assert "laptop-a" in lines[0] and "laptop-b" in lines[0]
    assert unsent(a) == 0


def test_a_second_sync_with_nothing_new_changes_nothing(
    tmp_path: Path, hub: Hub, clock: Callable[[], datetime]
) -> None:
    a = laptop(tmp_path, "a", clock)
    sync(a, hub)
    before = {p: p.read_bytes() for p in a.root.rglob("*.json") if p.name != STATE}
    again = sync(a, hub)
    assert (again.pulled, again.pushed) == (0, 0)
    assert {p: p.read_bytes() for p in a.root.rglob("*.json") if p.name != STATE} == before


def test_a_new_laptop_receives_the_whole_community(
    tmp_path: Path, hub: Hub, clock: Callable[[], datetime]
) -> None:
    a = laptop(tmp_path, "a", clock)
    sync(a, hub)
    fresh = Store(tmp_path / "new", device="laptop-new", clock=clock)
    report = sync(fresh, hub)
    assert report.community == a.community().id  # type: ignore[union-attr]
    assert records(fresh) == records(a)


def test_the_same_resident_entered_on_two_laptops_becomes_one(
    tmp_path: Path, hub: Hub, clock: Callable[[], datetime]
) -> None:
    a, b = laptop(tmp_path, "a", clock), laptop(tmp_path, "b", clock)
    sync(a, hub)
    sync(b, hub)
    compound = a.compounds()[0].id
    one = a.save(Resident(name="林晓梅", phone="13912345678", compound=compound))
    two = b.save(Resident(name="林晓梅", phone="13912345678", compound=compound, note="腿脚不便"))
    for store in (a, b, a):
        sync(store, hub)
    assert records(a) == records(b)
    kept = [r for r in a.residents() if r.name == "林晓梅"]
    assert len(kept) == 1 and kept[0].id == min(one.id, two.id)
    assert kept[0].note == "腿脚不便"
    redirects = orjson.loads((a.root / "redirects.json").read_bytes())["resident"]
    assert [d["redirect"] for d in redirects.values()] == [kept[0].id]


def test_the_office_pulls_every_community_into_its_own_folder(
    tmp_path: Path, hub: Hub, pg_url: str, clock: Callable[[], datetime]
) -> None:
    a = laptop(tmp_path, "a", clock)
    sync(a, hub)
    office = tmp_path / "office"
    said = fielddesk("--lang", "en", "sync", "--all", "--url", pg_url, data=office)
    assert said.returncode == 0, said.stderr
    community = a.community().id  # type: ignore[union-attr]
    assert records(Store(office / community, read_only=True)) == records(a)


@pytest.mark.parametrize("problem", ["password", "down", "url"])
def test_a_sync_that_cannot_reach_the_server_says_so_and_writes_nothing(
    tmp_path: Path, pg_url: str, hub: Hub, problem: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "a"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns(".lock", "device.json"))
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    url = pg_url
    if problem == "password":
        monkeypatch.setenv("PGPASSWORD", "not-the-password")
    elif problem == "down":
        port = pg_url.split("@", 1)[1].split("/")[0].split(":")[1]
        url = pg_url.replace(f":{port}/", ":1/")  # port 1: nothing listens there
    else:
        url = "http://example.org/db"
    said = fielddesk("--lang", "en", "sync", "--url", url, data=folder)
    assert said.returncode == 1
    assert said.stdout == "" and len(said.stderr.splitlines()) == 1, said.stderr
    assert "Traceback" not in said.stderr
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_sync_reuses_the_kept_url(tmp_path: Path, hub: Hub, pg_url: str) -> None:
    folder = tmp_path / "a"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns(".lock", "device.json"))
    assert fielddesk("config", "set", "sync_url", pg_url, data=folder).returncode == 0
    said = fielddesk("--lang", "en", "sync", data=folder)
    assert said.returncode == 0, said.stderr
    assert said.stdout.startswith("Synced 新宁社区 in ")
    with connect(pg_url) as again:
        assert again.pending(None, 0) > 500


def test_a_row_that_is_no_document_is_named_and_the_rest_is_taken(
    tmp_path: Path, hub: Hub, pg_url: str, clock: Callable[[], datetime]
) -> None:
    """Anyone with the password can write the server's tables: a row holding
    a list is refused by name, not a crash, and every other laptop syncs."""
    a = laptop(tmp_path, "a", clock)
    sync(a, hub)
    community = a.community().id  # type: ignore[union-attr]
    hub._conn.execute(
        "INSERT INTO fielddesk_docs (community, id, kind, doc, rev, device, seq) VALUES"
        " (%s, 'arr-1', 'resident', '[1, 2, 3]', 1, 'evil', nextval('fielddesk_seq'))",
        (community,),
    )
    hub._conn.commit()
    b = laptop(tmp_path, "b", clock)
    said = fielddesk("--lang", "en", "sync", "--url", pg_url, data=b.root)
    assert said.returncode == 0, said.stderr
    assert said.stderr.startswith("not taken from the server: #") and "Traceback" not in said.stderr
    assert records(b) == records(a)


def test_the_office_keeps_no_folder_for_a_community_id_that_is_no_file_name(
    tmp_path: Path, hub: Hub, pg_url: str, clock: Callable[[], datetime]
) -> None:
    a = laptop(tmp_path, "a", clock)
    sync(a, hub)
    doc = {"id": "x", "kind": "community", "rev": 1}
    hub._conn.execute(
        "INSERT INTO fielddesk_docs (community, id, kind, doc, rev, seq)"
        " VALUES ('../../escaped', 'x', 'community', %s, 1, nextval('fielddesk_seq'))",
        (orjson.dumps(doc).decode(),),
    )
    hub._conn.commit()
    office = tmp_path / "office" / "inner"
    said = fielddesk("--lang", "en", "sync", "--all", "--url", pg_url, data=office)
    assert said.returncode == 0, said.stderr
    assert "not synced: the server's community id ../../escaped cannot name a folder" in said.stderr
    assert not (tmp_path / "escaped").exists()
    assert sorted(p.name for p in office.iterdir()) == [a.community().id]  # type: ignore[union-attr]


def test_an_unknown_community_is_refused_before_anything_is_written(
    tmp_path: Path, hub: Hub, pg_url: str, clock: Callable[[], datetime]
) -> None:
    sync(laptop(tmp_path, "a", clock), hub)
    fresh = tmp_path / "new"
    said = fielddesk("--lang", "en", "sync", "--community", "00000000", "--url", pg_url, data=fresh)
    assert said.returncode == 2
    assert "the server holds no community 00000000" in said.stderr
    assert not (fresh / "sync.json").exists()


def test_another_community_s_export_is_not_imported_into_this_one(
    tmp_path: Path, clock: Callable[[], datetime]
) -> None:
    a = laptop(tmp_path, "a", clock)
    other = tmp_path / "other"
    assert fielddesk("--create", "init", "--community", "第二社区", data=other).returncode == 0
    out = tmp_path / "other.json"
    assert fielddesk("export", "--out", str(out), data=other).returncode == 0
    before = records(a)
    said = fielddesk("--lang", "en", "import", str(out), data=a.root)
    assert said.returncode == 2
    assert "is another community's export" in said.stderr
    assert records(a) == before


def test_a_push_waits_for_another_laptop_s_push_a_while_then_says_so(
    tmp_path: Path,
    hub: Hub,
    pg_url: str,
    clock: Callable[[], datetime],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A laptop gone mid-push holds the push lock until the server notices."""
    from tui.store import hub as hub_module

    monkeypatch.setattr(hub_module, "PUSH_WAIT_S", 1)
    a = laptop(tmp_path, "a", clock)
    with connect(pg_url) as stuck, stuck._conn.transaction():
        stuck._conn.execute("SELECT pg_advisory_xact_lock(%s)", (hub_module.PUSH_LOCK,))
        with pytest.raises(hub_module.HubError) as refused:
            sync(a, hub)
        assert refused.value.code == "hub.busy"
    assert sync(a, hub).pushed > 500  # once it is free

"""The PostgreSQL hub client (tui/store/hub.py) against a real server: the
schema and its upgrade, pushing and pulling records byte for byte, the
cursor, origins and merges, communities, and every failure as a HubError
that leaves the server as it was."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import orjson
import pytest

from tests.conftest import HOSTILE
from tests.sync.conftest import PgServer
from tui.domain.merge import Doc, merge, stamp_edit
from tui.domain.text import clean_text
from tui.messages import describe_error
from tui.store.hub import SCHEMA_VERSION, Hub, HubError, connect

BASE_CLOCK = "0001795772400000-0000"


def case(ident: str, **fields: Any) -> Doc:
    """A case as a laptop stores it after creating it."""
    doc: Doc = {
        "id": ident,
        "kind": "case",
        "rev": 1,
        "created_at": "2026-11-27T10:02:11+08:00",
        "updated_at": "2026-11-27T10:02:11+08:00",
        "device": "laptop-a",
        "by": "st-07",
        "clock": BASE_CLOCK,
        "status": "logged",
        "due": "2026-12-01",
        "summary": "楼道灯坏了",
        "timeline": [],
    }
    doc.update(fields)
    return doc


def edited(before: Doc, clock: str, device: str, **changes: Any) -> Doc:
    """`before` edited on `device` at `clock`, stamped as the store stamps a save."""
    after = {**before, **changes, "rev": before["rev"] + 1}
    return stamp_edit("case", before, after, clock=clock, device=device, by=f"by-{device}")


def pull_all(
    hub: Hub, community: str | None, skip: str = "", limit: int = 1000, after: int = 0
) -> tuple[list[tuple[int, str, Doc]], int]:
    """Every row after `after`, batch by batch, and the cursor at the end."""
    rows: list[tuple[int, str, Doc]] = []
    cursor = after
    while True:
        batch, moved = hub.pull(community, cursor, limit, skip_origin=skip)
        assert moved >= cursor
        if moved == cursor:
            assert batch == []
            return rows, cursor
        rows += batch
        cursor = moved


def server_rows(pg_server: PgServer, database: str) -> list[tuple[Any, ...]]:
    """fielddesk_docs as it is, read around the client under test."""
    with pg_server.admin(database) as admin:
        return admin.execute(
            "SELECT community, id, kind, doc::text, rev, clock, device, origin, seq"
            " FROM fielddesk_docs ORDER BY seq"
        ).fetchall()


@pytest.fixture
def other(pg_url: str, hub: Hub) -> Iterator[Hub]:
    """A second laptop's connection to the same database."""
    with connect(pg_url) as client:
        yield client


# -- the schema ------------------------------------------------------------------


def test_init_creates_the_schema_and_again_changes_nothing(pg_url: str) -> None:
    with connect(pg_url) as hub:
        with pytest.raises(HubError) as refused:
            hub.check_schema()
        assert refused.value.code == "hub.not_initialised"
        assert hub.init_schema() == (0, SCHEMA_VERSION)
        hub.check_schema()
        identity = hub.server_id()
        assert len(identity) == 36 and hub.last_seq() == 0
        assert hub.push("c1", "laptop-a", [case("k1"), case("k2")], merge) == 2
        before, cursor = pull_all(hub, "c1")
        assert hub.last_seq() == cursor == 2
        assert hub.init_schema() == (SCHEMA_VERSION, SCHEMA_VERSION)
        assert pull_all(hub, "c1") == (before, cursor)
        assert hub.schema_version() == SCHEMA_VERSION
        assert hub.server_id() == identity and hub.last_seq() == 2


def test_a_schema_1_database_is_upgraded_keeping_its_rows(
    pg_url: str, pg_server: PgServer, pg_database: str
) -> None:
    with connect(pg_url) as hub:
        assert hub.init_schema(target=1) == (0, 1)
        with pytest.raises(HubError) as old:
            hub.check_schema()
        assert old.value.code == "hub.not_initialised"
        assert old.value.params["found"] == 1
        with pytest.raises(HubError) as old:  # a push without checking first
            hub.push("c1", "laptop-a", [case("k1")], merge)
        assert (old.value.code, old.value.params["found"]) == ("hub.not_initialised", 1)
        assert "schema 1, needs 2" in describe_error(old.value)
    # Rows as a fielddesk of schema 1 wrote them (it had no origin column).
    old_docs = [case(f"old-{n}", summary=f"旧记录 {n}") for n in range(5)]
    with pg_server.admin(pg_database) as admin:
        columns = admin.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_name = 'fielddesk_docs' ORDER BY ordinal_position"
        ).fetchall()
        assert [c for (c,) in columns] == [
            "community",
            "id",
            "kind",
            "doc",
            "rev",
            "clock",
            "device",
            "seq",
        ]
        for doc in old_docs:
            admin.execute(
                "INSERT INTO fielddesk_docs (community, id, kind, doc, rev, clock, device, seq)"
                " VALUES ('c1', %s, 'case', %s::jsonb, 1, %s, 'laptop-old',"
                " nextval('fielddesk_seq'))",
                (doc["id"], orjson.dumps(doc).decode(), doc["clock"]),
            )
    with connect(pg_url) as hub:
        assert hub.init_schema() == (1, SCHEMA_VERSION)
        hub.check_schema()
        rows, cursor = pull_all(hub, "c1", skip="laptop-old")
        assert [doc for _seq, _c, doc in rows] == old_docs  # no origin: everyone pulls them
        # And the upgraded table takes pushes as a new one does.
        newer = edited(old_docs[0], "0001795772500000-0000", "laptop-b", due="2026-12-09")
        assert hub.push("c1", "laptop-b", [newer], merge) == 1
        # laptop-b holds exactly that row: it skips it, the others pull it.
        assert pull_all(hub, "c1", skip="laptop-b", after=cursor)[0] == []
        assert [doc for _s, _c, doc in pull_all(hub, "c1", skip="x", after=cursor)[0]] == [newer]
        assert hub.init_schema() == (SCHEMA_VERSION, SCHEMA_VERSION)


def test_an_upgraded_schema_is_the_created_one(pg_server: PgServer, pg_url: str) -> None:
    def shape(database: str) -> list[tuple[Any, ...]]:
        with pg_server.admin(database) as admin:
            columns = admin.execute(
                "SELECT table_name, column_name, data_type, is_nullable, column_default"
                " FROM information_schema.columns WHERE table_name LIKE 'fielddesk%%'"
                " ORDER BY table_name, column_name"
            ).fetchall()
            indexes = admin.execute(
                "SELECT indexname, indexdef FROM pg_indexes"
                " WHERE tablename LIKE 'fielddesk%%' ORDER BY indexname"
            ).fetchall()
        return columns + indexes

    with connect(pg_url) as hub:
        hub.init_schema(target=1)
        hub.init_schema()
    upgraded = shape(pg_url.rsplit("/", 1)[1])
    fresh = "t_fresh_" + pg_url.rsplit("_", 1)[1]
    with pg_server.admin() as admin:
        admin.execute(f'CREATE DATABASE "{fresh}"')
    try:
        with connect(pg_server.url(fresh)) as hub:
            assert hub.init_schema() == (0, SCHEMA_VERSION)
        assert shape(fresh) == upgraded
    finally:
        with pg_server.admin() as admin:
            admin.execute(f'DROP DATABASE "{fresh}" WITH (FORCE)')


def test_a_server_given_a_new_id_after_a_restore_says_so(hub: Hub, pg_server: PgServer) -> None:
    hub.push("c1", "laptop-a", [case("k1")], merge)
    before = hub.server_id()
    # docs/SYNC.md: after restoring a backup, the administrator deletes the id.
    with pg_server.admin(hub.where["database"]) as admin:
        admin.execute("DELETE FROM fielddesk_meta WHERE key = 'server_id'")
    assert hub.server_id() == ""
    assert hub.init_schema() == (SCHEMA_VERSION, SCHEMA_VERSION)
    assert hub.server_id() not in ("", before)
    assert hub.pending("c1", 0) == 1


def test_a_newer_schema_is_refused_and_left_alone(hub: Hub, pg_server: PgServer) -> None:
    database = hub.where["database"]
    with pg_server.admin(database) as admin:
        admin.execute("UPDATE fielddesk_meta SET value = '99' WHERE key = 'schema_version'")
    for call in (hub.check_schema, hub.init_schema):
        with pytest.raises(HubError) as refused:
            call()
        assert refused.value.code == "hub.schema_too_new"
        assert refused.value.params["found"] == 99
        assert "99" in describe_error(refused.value)
    assert hub.schema_version() == 99


def test_an_uninitialised_database_refuses_exchanges(pg_url: str) -> None:
    with connect(pg_url) as hub:
        for call in (
            lambda: hub.push("c1", "a", [case("k1")], merge),
            lambda: hub.pull("c1", 0, 10),
            lambda: hub.pending(None, 0),
            hub.communities,
        ):
            with pytest.raises(HubError) as refused:
                call()
            assert refused.value.code == "hub.not_initialised"
            assert "fielddesk server init" in describe_error(refused.value)


# -- pushing and pulling ------------------------------------------------------------


def hostile_doc(ident: str) -> Doc:
    """Every hostile string (as the store keeps it: control characters
    stripped) in fields, lists and keys, with Chinese beside it."""
    texts = [clean_text(s, multiline=True) for s in HOSTILE["strings"]]
    texts += ["王小明 13800138000", "居民反映：楼道灯坏了，已报物业。", "😀 emoji", "\\u0000 typed"]
    return case(
        ident,
        summary=texts[0],
        notes=texts,
        extra={text[:60]: text for text in texts if text},
        timeline=[{"at": "2026-11-27T15:40:00+08:00", "by": "st-07", "note": t} for t in texts],
    )


def test_hostile_and_chinese_text_comes_back_byte_for_byte(hub: Hub, other: Hub) -> None:
    docs = [hostile_doc("h1"), hostile_doc("h2")]
    assert hub.push("新宁社区", "laptop-a", docs, merge) == 2
    rows, _cursor = pull_all(other, "新宁社区")
    assert [community for _s, community, _d in rows] == ["新宁社区", "新宁社区"]
    pulled = {doc["id"]: doc for _s, _c, doc in rows}
    for doc in docs:
        assert pulled[doc["id"]] == doc
        sorted_keys = orjson.OPT_SORT_KEYS
        assert orjson.dumps(pulled[doc["id"]], option=sorted_keys) == orjson.dumps(
            doc, option=sorted_keys
        )
    assert other.communities() == ["新宁社区"]


@pytest.mark.parametrize(
    "where",
    [
        {"summary": "nul\x00byte"},
        {"timeline": [{"note": "a\x00"}]},
        {"extra": {"key\x00": "value"}},
    ],
)
def test_a_document_holding_nul_is_refused_before_anything_is_written(
    hub: Hub, pg_server: PgServer, where: dict[str, Any]
) -> None:
    good = [case("k1"), case("k2")]
    with pytest.raises(HubError) as refused:
        hub.push("c1", "laptop-a", [*good, case("bad", **where)], merge)
    assert refused.value.code == "hub.bad_document"
    assert refused.value.params["id"] == "bad"
    assert "bad" in describe_error(refused.value)
    assert server_rows(pg_server, hub.where["database"]) == []
    assert hub.pending(None, 0) == 0


@pytest.mark.parametrize(
    "doc",
    [
        {"kind": "case"},  # no id
        {"id": "", "kind": "case"},
        {"id": "k1"},  # no kind
        {"id": "k1", "kind": "case", "rev": "2"},
        {"id": "k1", "kind": "case", "rev": 2**40},
        {"id": "k1", "kind": "case", "big": 2**70},  # beyond JSON's 64-bit integers
        {"id": "k1", "kind": "case", "text": "\ud800"},  # a lone surrogate is no text
    ],
)
def test_documents_that_cannot_be_stored_are_refused(hub: Hub, doc: Doc) -> None:
    with pytest.raises(HubError) as refused:
        hub.push("c1", "laptop-a", [case("k0"), doc], merge)
    assert refused.value.code == "hub.bad_document"
    describe_error(refused.value)  # has every parameter its message names
    assert hub.pending(None, 0) == 0


def test_a_push_of_the_same_documents_again_changes_nothing(hub: Hub, pg_server: PgServer) -> None:
    docs = [case(f"k{n}", summary=f"事项 {n}") for n in range(20)]
    assert hub.push("c1", "laptop-a", docs, merge) == 20
    before = server_rows(pg_server, hub.where["database"])
    assert hub.push("c1", "laptop-a", docs, merge) == 0
    assert hub.push("c1", "laptop-b", docs, merge) == 0  # another laptop holding the same
    assert server_rows(pg_server, hub.where["database"]) == before
    assert {row[7] for row in before} == {"laptop-a"}
    assert [row[8] for row in before] == sorted(row[8] for row in before)


def test_pulling_by_cursor_in_batches_gets_every_row_once(hub: Hub, other: Hub) -> None:
    docs = {f"k{n:03}": case(f"k{n:03}", summary=f"第 {n} 件") for n in range(60)}
    hub.push("c1", "laptop-a", list(docs.values())[:25], merge)
    other.push("c1", "laptop-b", list(docs.values())[25:], merge)
    # Later edits renumber some rows: the cursor must still see them once.
    for n, ident in enumerate(["k003", "k030", "k059"]):
        docs[ident] = edited(docs[ident], f"0001795772500000-000{n}", "laptop-a", status="done")
        hub.push("c1", "laptop-a", [docs[ident]], merge)
    total = hub.pending("c1", 0)
    assert total == 60
    for limit in (1, 2, 7, 13, 59, 60, 61, 500):
        rows, cursor = pull_all(other, "c1", limit=limit)
        seqs = [seq for seq, _c, _d in rows]
        assert seqs == sorted(set(seqs)) and len(seqs) == 60
        assert {doc["id"]: doc for _s, _c, doc in rows} == docs
        assert other.pending("c1", cursor) == 0
        assert other.pull("c1", cursor, limit) == ([], cursor)
    _half, cursor = other.pull("c1", 0, 30)
    assert other.pending("c1", cursor) == 30
    assert other.pull("c1", 10**12, 5) == ([], 10**12)
    with pytest.raises(ValueError):
        other.pull("c1", 0, 0)


def test_own_rows_are_skipped_but_the_cursor_moves_past_them(hub: Hub, other: Hub) -> None:
    mine = [case(f"a{n}") for n in range(10)]
    theirs = [case(f"b{n}", device="laptop-b") for n in range(3)]
    hub.push("c1", "laptop-a", mine[:5], merge)
    other.push("c1", "laptop-b", theirs, merge)
    hub.push("c1", "laptop-a", mine[5:], merge)
    top = hub.pull(None, 0, 100)[1]
    for limit in (1, 4, 100):
        rows, cursor = pull_all(hub, "c1", skip="laptop-a", limit=limit)
        assert [doc for _s, _c, doc in rows] == theirs
        assert cursor == top
    only_mine, cursor = hub.pull("c1", 0, 5, skip_origin="laptop-a")
    assert only_mine == [] and cursor > 0  # a batch of own rows: nothing sent, cursor moved
    assert hub.pending("c1", 0) == 13  # a pull looks at own rows too
    assert len(pull_all(other, "c1", skip="laptop-b")[0]) == 10


def test_a_merged_row_is_pulled_by_both_laptops(hub: Hub, other: Hub) -> None:
    base = case("k1")
    assert hub.push("c1", "laptop-a", [base], merge) == 1
    _rows, cursor_a = pull_all(hub, "c1", skip="laptop-a")
    rows_b, cursor_b = pull_all(other, "c1", skip="laptop-b")
    assert [doc for _s, _c, doc in rows_b] == [base]
    # Both laptops move the due date, neither having seen the other's edit.
    on_a = edited(base, "0001795772400000-0001", "laptop-a", due="2026-12-02")
    on_b = edited(base, "0001795773900000-0001", "laptop-b", due="2026-12-09")
    assert hub.push("c1", "laptop-a", [on_a], merge) == 1
    assert other.push("c1", "laptop-b", [on_b], merge) == 1
    both = merge("case", on_a, on_b)
    assert both not in (on_a, on_b) and both["due"] == "2026-12-09"
    assert [c["value"] for c in both["conflicts"]] == ["2026-12-02"]
    # laptop-a pulls its own edit? No: it skips it, and gets the merge.
    got_a, cursor_a = pull_all(hub, "c1", skip="laptop-a", after=cursor_a)
    assert [doc for _s, _c, doc in got_a] == [both]
    got_b, cursor_b = pull_all(other, "c1", skip="laptop-b", after=cursor_b)
    assert [doc for _s, _c, doc in got_b] == [both]
    # Pushing the merge back (as a laptop does after pulling) changes nothing.
    assert hub.push("c1", "laptop-a", [both], merge) == 0
    assert other.push("c1", "laptop-b", [both], merge) == 0
    # An older version of a laptop is merged in: nothing new, nothing written.
    assert hub.push("c1", "laptop-a", [base, on_a], merge) == 0


def test_a_row_a_laptop_holds_exactly_keeps_its_origin(hub: Hub, pg_server: PgServer) -> None:
    base = case("k1")
    hub.push("c1", "laptop-a", [base], merge)
    later = edited(base, "0001795772400000-0001", "laptop-b", due="2026-12-09")
    assert hub.push("c1", "laptop-b", [later], merge) == 1  # settles base: the merge is `later`
    rows = server_rows(pg_server, hub.where["database"])
    assert [(row[1], row[6], row[7]) for row in rows] == [("k1", "laptop-b", "laptop-b")]
    assert orjson.loads(rows[0][3]) == later and rows[0][4] == 2 and rows[0][5] == later["clock"]


def test_two_communities_are_kept_apart(hub: Hub, other: Hub) -> None:
    xin = [case("same-id", summary="新宁"), case("x2", summary="新宁 2")]
    ping = [case("same-id", summary="平安")]
    assert hub.push("新宁社区", "laptop-a", xin, merge) == 2
    assert other.push("平安社区", "laptop-b", ping, merge) == 1
    assert [d for _s, _c, d in pull_all(hub, "平安社区")[0]] == ping
    assert [d for _s, _c, d in pull_all(hub, "新宁社区")[0]] == xin
    everything = pull_all(hub, None, limit=2)[0]
    assert sorted((c, d["summary"]) for _s, c, d in everything) == [
        ("平安社区", "平安"),
        ("新宁社区", "新宁"),
        ("新宁社区", "新宁 2"),
    ]
    assert hub.pending(None, 0) == 3 and hub.pending("平安社区", 0) == 1
    assert hub.pending("nowhere", 0) == 0
    assert sorted(hub.communities()) == hub.communities() == ["平安社区", "新宁社区"]


# -- failures leave the server as it was ----------------------------------------------


def test_a_merge_that_fails_midway_writes_nothing(hub: Hub, pg_server: PgServer) -> None:
    hub.push("c1", "laptop-a", [case("k1"), case("k2")], merge)
    before = server_rows(pg_server, hub.where["database"])

    def failing(kind: str, a: Doc, b: Doc) -> Doc:
        if a["id"] == "k2":
            raise RuntimeError("merge failed")
        return merge(kind, a, b)

    newer = [
        edited(case(ident), "0001795772400000-0001", "laptop-b", due="2026-12-09")
        for ident in ("k1", "k2")
    ]
    with pytest.raises(RuntimeError):
        hub.push("c1", "laptop-b", [case("k0"), *newer], failing)
    assert server_rows(pg_server, hub.where["database"]) == before
    assert hub.push("c1", "laptop-b", newer, merge) == 2  # the connection is still good


def test_a_connection_lost_mid_push_keeps_nothing(
    hub: Hub, pg_server: PgServer, pg_url: str
) -> None:
    hub.push("c1", "laptop-a", [case("k1")], merge)
    before = server_rows(pg_server, hub.where["database"])
    backend = hub._conn.info.backend_pid

    def cut(kind: str, a: Doc, b: Doc) -> Doc:
        with pg_server.admin() as admin:  # the office's server restarts, the cable is pulled
            admin.execute("SELECT pg_terminate_backend(%s)", (backend,))
        return merge(kind, a, b)

    newer = edited(case("k1"), "0001795772400000-0001", "laptop-b", due="2026-12-09")
    with pytest.raises(HubError) as lost:
        hub.push("c1", "laptop-b", [newer, case("k2")], cut)
    assert lost.value.code == "hub.lost"
    assert lost.value.params["port"] == str(pg_server.port)
    assert str(pg_server.port) in describe_error(lost.value)
    assert server_rows(pg_server, hub.where["database"]) == before
    with pytest.raises(HubError) as again:
        hub.pull("c1", 0, 10)
    assert again.value.code == "hub.lost"
    with connect(pg_url) as fresh:
        assert fresh.push("c1", "laptop-b", [newer, case("k2")], merge) == 2


def test_a_user_without_rights_is_told_so(
    hub: Hub, pg_server: PgServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = hub.where["database"]
    hub.push("c1", "laptop-a", [case("k1")], merge)
    with pg_server.admin(database) as admin:
        admin.execute("DROP ROLE IF EXISTS fd_clerk")
        admin.execute("CREATE ROLE fd_clerk LOGIN PASSWORD 'clerk-pw'")
    monkeypatch.setenv("PGPASSWORD", "clerk-pw")
    try:
        with connect(pg_server.url(database, user="fd_clerk")) as clerk:
            for call in (
                lambda: clerk.push("c1", "laptop-b", [case("k2")], merge),
                lambda: clerk.pull("c1", 0, 10),
                clerk.init_schema,
            ):
                with pytest.raises(HubError) as refused:
                    call()
                assert refused.value.code == "hub.permission"
                assert "fd_clerk" in describe_error(refused.value)
    finally:
        with pg_server.admin(database) as admin:
            admin.execute("DROP OWNED BY fd_clerk")
            admin.execute("DROP ROLE fd_clerk")


def test_a_user_who_may_not_create_tables_cannot_init(
    pg_url: str, pg_server: PgServer, pg_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pg_server.admin(pg_database) as admin:
        admin.execute("DROP ROLE IF EXISTS fd_reader")
        admin.execute("CREATE ROLE fd_reader LOGIN PASSWORD 'reader-pw'")
    monkeypatch.setenv("PGPASSWORD", "reader-pw")
    try:
        with connect(pg_server.url(pg_database, user="fd_reader")) as reader:
            with pytest.raises(HubError) as refused:
                reader.init_schema()
            assert refused.value.code == "hub.permission"
            assert reader.schema_version() == 0  # nothing half made
    finally:
        with pg_server.admin(pg_database) as admin:
            admin.execute("DROP OWNED BY fd_reader")
            admin.execute("DROP ROLE fd_reader")


def test_pushes_wait_for_each_other_and_number_in_commit_order(
    hub: Hub, other: Hub, pg_server: PgServer
) -> None:
    hub.push("c1", "laptop-a", [case("k1")], merge)
    inside, release = threading.Event(), threading.Event()
    results: dict[str, Any] = {}

    def slow(kind: str, a: Doc, b: Doc) -> Doc:
        inside.set()
        assert release.wait(30)
        return merge(kind, a, b)

    def first() -> None:
        newer = edited(case("k1"), "0001795772400000-0001", "laptop-a", due="2026-12-09")
        results["first"] = hub.push("c1", "laptop-a", [newer], slow)

    def second() -> None:
        results["second"] = other.push("c2", "laptop-b", [case("z1")], merge)

    one = threading.Thread(target=first)
    one.start()
    assert inside.wait(30)
    two = threading.Thread(target=second)
    two.start()
    # The second push waits on the push lock (a transaction-level advisory lock).
    with pg_server.admin() as admin:
        for _ in range(300):
            waiting = admin.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = %s"
                " AND wait_event_type = 'Lock' AND wait_event = 'advisory'",
                (other._conn.info.backend_pid,),
            ).fetchone()
            if waiting and waiting[0]:
                break
            threading.Event().wait(0.05)
        else:
            pytest.fail("the second push never waited for the first")
    release.set()
    one.join(30)
    two.join(30)
    assert results == {"first": 1, "second": 1}
    rows = {row[1]: row[8] for row in server_rows(pg_server, hub.where["database"])}
    assert rows["k1"] < rows["z1"]


# -- connecting ------------------------------------------------------------------------


def test_connection_failures_name_the_server_never_the_password(
    pg_server: PgServer, pg_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.sync.conftest import _free_port, hermetic_pg_env

    hermetic_pg_env(monkeypatch, None)
    secret = "s3cret-Pa55"
    host, port = pg_server.host, pg_server.port
    nobody = _free_port()
    cases = [
        (f"postgresql://fd_admin:{secret}@{host}:{port}/{pg_database}", "hub.auth"),
        (f"postgresql://fd_admin@{host}:{port}/{pg_database}", "hub.auth"),  # no password at all
        (f"postgresql://ghost:{secret}@{host}:{port}/{pg_database}", "hub.auth"),
        (f"postgresql://fd_admin:{pg_server.password}@{host}:{port}/nowhere", "hub.no_database"),
        (f"postgresql://fd_admin:{secret}@{host}:{nobody}/{pg_database}", "hub.unreachable"),
        (f"postgresql://fd_admin:{secret}@no-such-host.invalid/{pg_database}", "hub.unreachable"),
        (f"postgresql://fd_admin:{secret}@{host}:port/{pg_database}", "hub.bad_url"),
        (f"postgresql://fd_admin:{secret}@{host}/db?colour=red", "hub.bad_url"),
        (f"mysql://fd_admin:{secret}@{host}/db", "hub.bad_url"),
        ("host=localhost dbname=x", "hub.bad_url"),
        ("", "hub.bad_url"),
        ("日本語", "hub.bad_url"),
    ]
    for url, code in cases:
        with pytest.raises(HubError) as failed:
            connect(url, timeout=3).close()
        said = describe_error(failed.value)
        assert failed.value.code == code, (url, said)
        assert secret not in said and secret not in repr(failed.value.params)
        assert pg_server.password not in said
        assert "\n" not in said
    with pytest.raises(HubError) as refused:
        connect(cases[0][0])
    assert refused.value.params["host"] == host
    assert refused.value.params["port"] == str(port)
    assert refused.value.params["database"] == pg_database
    assert f"{host}:{port}" in describe_error(refused.value)
    # The password in the URL is used (a one-off `server init` may give it so).
    good = f"postgresql://fd_admin:{pg_server.password}@{host}:{port}/{pg_database}"
    with connect(good) as hub:
        assert hub.where["user"] == "fd_admin" and hub.schema_version() == 0


def test_the_password_comes_from_pgpass(
    pg_server: PgServer, pg_database: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    from tests.sync.conftest import hermetic_pg_env

    hermetic_pg_env(monkeypatch, None)
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"{pg_server.host}:{pg_server.port}:*:fd_admin:{pg_server.password}\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    with connect(pg_server.url(pg_database)) as hub:
        assert hub.init_schema() == (0, SCHEMA_VERSION)


def test_closing_is_safe_and_a_closed_hub_says_lost(pg_url: str) -> None:
    hub = connect(pg_url)
    hub.init_schema()
    hub.close()
    hub.close()
    with pytest.raises(HubError) as lost:
        hub.communities()
    assert lost.value.code == "hub.lost"

"""The office's PostgreSQL hub: where laptops meet to exchange their records.

Every record a laptop pushes is one row of `fielddesk_docs`, keyed by
(community, id), numbered by `seq` from one sequence each time it changes. A
laptop pulls the rows numbered after its cursor. Pushes take one global
transaction-level advisory lock, so they commit in `seq` order: a puller
that has read up to n never later finds a row committed with a number below
n. A pushed version is merged with the server's row by the caller's merge
(tui/domain/merge.py); the row keeps the laptop as its `origin` only when it
is exactly what that laptop holds, so the laptop skips it when pulling and
pulls every merged row.

The password never passes through here: libpq reads PGPASSWORD or
~/.pgpass. Errors are HubError with a message id of the catalogue's [hub]
section and parameters naming the server (host, port, database, user),
never the password.

Imported only by the sync and server commands, never by the app's first
frame. docs/SYNC.md describes the server's set-up.
"""

from __future__ import annotations

import math
import os
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Any

import orjson

from tui.domain.errors import CodedError

if TYPE_CHECKING:
    import psycopg

SCHEMA_VERSION = 2
SCHEMES = ("postgresql://", "postgres://")
# pg_advisory_xact_lock keys (bigint): b"fdhubpsh" and b"fdhubddl".
PUSH_LOCK = int.from_bytes(b"fdhubpsh", "big")
SCHEMA_LOCK = int.from_bytes(b"fdhubddl", "big")
MAX_REV = 2**31 - 1  # rev is an int column
PUSH_WAIT_S = 30  # how long a push waits for another laptop's push to end
# libpq settings a laptop on a flaky network needs, unless the URL sets its
# own: a dead connection is noticed in seconds, not after TCP's two hours.
CONNECTION_DEFAULTS = {
    "application_name": "fielddesk",
    "keepalives": "1",
    "keepalives_idle": "10",
    "keepalives_interval": "5",
    "keepalives_count": "3",
    "tcp_user_timeout": "30000",
}

Doc = dict[str, Any]
Merge = Callable[[str, Doc, Doc], Doc]


class HubError(CodedError):
    """A refusal or failure of the hub: `code` is a [hub] message id, `params`
    its values (host, port, database, user and what the message names)."""

    code = "hub.server_error"

    def __init__(self, code: str, params: dict[str, Any] | None = None, **more: Any) -> None:
        super().__init__(code, **{**(params or {}), **more})


# -- the schema -------------------------------------------------------------------

# MIGRATIONS[n] takes a database from schema n - 1 to n, in one transaction
# with the version's update. A new database is made by running them all, so a
# created schema and an upgraded one are the same by construction.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        "CREATE TABLE fielddesk_meta (key text PRIMARY KEY, value text NOT NULL)",
        "CREATE SEQUENCE fielddesk_seq",
        """CREATE TABLE fielddesk_docs (
            community text NOT NULL,
            id text NOT NULL,
            kind text NOT NULL,
            doc jsonb NOT NULL,
            rev int NOT NULL DEFAULT 0,
            clock text NOT NULL DEFAULT '',
            device text NOT NULL DEFAULT '',
            seq bigint NOT NULL,
            PRIMARY KEY (community, id)
        )""",
        "ALTER SEQUENCE fielddesk_seq OWNED BY fielddesk_docs.seq",
        "CREATE INDEX fielddesk_docs_community_seq ON fielddesk_docs (community, seq)",
    ),
    2: (
        # Who holds exactly this row (''' for a merge nobody holds yet); rows
        # of schema 1 had none, so every laptop pulls them.
        "ALTER TABLE fielddesk_docs ADD COLUMN origin text NOT NULL DEFAULT ''",
        # Pulling every community at once (the office's own copy).
        "CREATE UNIQUE INDEX fielddesk_docs_seq ON fielddesk_docs (seq)",
    ),
}
assert max(MIGRATIONS) == SCHEMA_VERSION


# -- documents ------------------------------------------------------------------


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def encode(doc: Any) -> str:
    """A document as JSON text for a jsonb column, or HubError hub.bad_document:
    not an object with a text id and kind, a value JSON cannot hold, or a NUL
    character (which jsonb refuses)."""
    ident = doc.get("id") if isinstance(doc, dict) else None
    if not isinstance(ident, str) or not ident or not isinstance(doc.get("kind"), str):
        raise HubError("hub.bad_document", id=str(ident)[:80])
    rev = doc.get("rev", 0)
    if not isinstance(rev, int) or isinstance(rev, bool) or not 0 <= rev <= MAX_REV:
        raise HubError("hub.bad_document", id=ident)
    try:
        encoded = orjson.dumps(doc)
    except (TypeError, orjson.JSONEncodeError):
        raise HubError("hub.bad_document", id=ident) from None
    # Cheap test first: "\u0000" in the text is a NUL, or a backslash typed
    # before "u0000"; the walk tells which.
    if b"\\u0000" in encoded and _has_nul(doc):
        raise HubError("hub.bad_document", id=ident)
    return encoded.decode()


def _text(doc: Doc, key: str) -> str:
    value = doc.get(key, "")
    return value if isinstance(value, str) else ""


# -- connecting ---------------------------------------------------------------------


def url_params(url: str) -> dict[str, str]:
    """host, port, database and user a URL names (libpq's defaults filled in
    from the environment), for messages. Never the password."""
    from psycopg import conninfo

    try:
        given = conninfo.conninfo_to_dict(url)
    except Exception:
        given = {}
    user = str(given.get("user") or os.environ.get("PGUSER") or _login())
    return {
        "host": str(given.get("host") or os.environ.get("PGHOST") or "localhost"),
        "port": str(given.get("port") or os.environ.get("PGPORT") or "5432"),
        "database": str(given.get("dbname") or os.environ.get("PGDATABASE") or user),
        "user": user,
    }


def _login() -> str:
    try:
        import getpass

        return getpass.getuser()
    except Exception:
        return ""


def _first_line(message: str) -> str:
    lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
    return lines[0][:200] if lines else ""


def _reason(err: Exception) -> str:
    """libpq's (or the server's) words, shortened to the part after "failed:"."""
    text = _first_line(str(err))
    text = text.rsplit("failed: ", 1)[-1] if "failed: " in text else text
    for prefix in _SERVER_SAID:
        text = text.removeprefix(prefix)
    return " ".join(text.split())


# What libpq says when a connection fails. The server sends no SQLSTATE libpq
# hands on at that stage, and its words are in the server's language
# (lc_messages): English, and the zh_CN catalogue's, are recognised.
_NO_DATABASE = (('database "', "does not exist"), ('数据库 "', "不存在"))
_AUTH = (
    ("authentication failed",),  # password, scram, peer, ident ...
    ("no password supplied",),
    ("认证失败",),
    ('role "', "does not exist"),
    ('角色 "', "不存在"),
)
_PERMISSION = (("permission denied for database",), ("pg_hba.conf",), ("的权限不够",))
_SERVER_SAID = ("FATAL:", "致命错误:", "ERROR:", "错误:")


def _says(text: str, patterns: Iterable[tuple[str, ...]]) -> bool:
    return any(all(part in text for part in parts) for parts in patterns)


def _connect_error(err: Exception, where: dict[str, str]) -> HubError:
    """A failure to connect, as the HubError it means."""
    text = str(err)
    if _says(text, _NO_DATABASE):
        return HubError("hub.no_database", where)
    if _says(text, _AUTH):
        return HubError("hub.auth", where)
    if _says(text, _PERMISSION):
        return HubError("hub.permission", where)
    if "invalid integer value" in text or "invalid connection option" in text:
        return HubError("hub.bad_url", where)
    if any(word in text for word in _SERVER_SAID):  # the server refused, for its own reason
        return HubError("hub.server_error", where, sqlstate="", reason=_reason(err))
    return HubError("hub.unreachable", where, reason=_reason(err))


def connect(url: str, *, timeout: float = 5.0) -> Hub:
    """A connection to the hub at `url` (postgresql://USER@HOST:PORT/DATABASE),
    or HubError: hub.bad_url, hub.unreachable, hub.auth, hub.no_database,
    hub.permission. The password comes from PGPASSWORD or ~/.pgpass (or, for
    a one-off `server init`, the URL); it is never named in an error."""
    import psycopg
    from psycopg import conninfo

    url = url.strip()
    where = url_params(url)
    if not url.lower().startswith(SCHEMES):
        raise HubError("hub.bad_url", where)
    try:
        given = conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        raise HubError("hub.bad_url", where) from None
    extra = {k: v for k, v in CONNECTION_DEFAULTS.items() if k not in given}
    if "connect_timeout" not in given:
        extra["connect_timeout"] = str(max(2, math.ceil(timeout)))
    try:
        conn = psycopg.connect(conninfo.make_conninfo(url, **extra), autocommit=True)
    except psycopg.ProgrammingError:
        raise HubError("hub.bad_url", where) from None
    except psycopg.Error as err:
        raise _connect_error(err, where) from None
    except OSError as err:  # a resolver or socket failure psycopg let through
        raise HubError("hub.unreachable", where, reason=_first_line(str(err))) from None
    return Hub(conn, where)


# -- the client --------------------------------------------------------------------


class Hub:
    """One connection to the hub. Each method is one transaction; a failure
    rolls it back (the server is as before) and raises HubError."""

    def __init__(self, conn: psycopg.Connection[Any], where: dict[str, str]) -> None:
        self._conn = conn
        info = conn.info
        self.where = {
            **where,
            "host": str(info.host or where["host"]),
            "port": str(info.port or where["port"]),
            "database": str(info.dbname or where["database"]),
            "user": str(info.user or where["user"]),
        }

    # -- context manager and closing

    def __enter__(self) -> Hub:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """psycopg's errors as HubError naming this server."""
        import psycopg
        from psycopg import errors

        try:
            yield
        except HubError as err:
            raise HubError(err.code, {**self.where, **err.params}) from None
        except psycopg.Error as err:
            if self._conn.broken or self._conn.closed or isinstance(err, errors.AdminShutdown):
                raise HubError("hub.lost", self.where) from None
            if isinstance(err, errors.LockNotAvailable):
                raise HubError("hub.busy", self.where, seconds=PUSH_WAIT_S) from None
            if isinstance(err, errors.InsufficientPrivilege):
                raise HubError("hub.permission", self.where) from None
            if isinstance(err, errors.UndefinedTable | errors.UndefinedColumn):
                # No tables, or an older fielddesk's (the transaction is over).
                try:
                    found = self._version()
                except (psycopg.Error, HubError):
                    found = 0
                raise HubError(
                    "hub.not_initialised", self.where, found=found, version=SCHEMA_VERSION
                ) from None
            raise HubError(
                "hub.server_error",
                self.where,
                sqlstate=err.sqlstate or "",
                reason=_first_line(str(err)),
            ) from None

    # -- the schema

    def _version(self) -> int:
        """The schema version stored on the server, 0 when there is none."""
        cur = self._conn.cursor()
        found = cur.execute("SELECT to_regclass('fielddesk_meta') IS NOT NULL").fetchone()
        if not found or not found[0]:
            return 0
        row = cur.execute(
            "SELECT value FROM fielddesk_meta WHERE key = 'schema_version'"
        ).fetchone()
        if row is None:
            return 0
        if not str(row[0]).isdigit():  # not written by any fielddesk this one knows
            raise HubError("hub.schema_too_new", found=row[0], version=SCHEMA_VERSION)
        return int(row[0])

    def schema_version(self) -> int:
        """The schema version on the server (0: not set up)."""
        with self._errors():
            return self._version()

    def init_schema(self, *, target: int = SCHEMA_VERSION) -> tuple[int, int]:
        """Create fielddesk's tables, or upgrade older ones keeping their rows:
        (the version found, 0 if none; the version now). Running it again
        changes nothing. All in one transaction (a failure leaves the
        database as it was); two at once wait for each other. `target` below
        the current version is for tests that need an older schema."""
        if not 1 <= target <= SCHEMA_VERSION:
            raise ValueError(f"no schema version {target}")
        with self._errors(), self._conn.transaction():
            cur = self._conn.cursor()
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
            found = self._version()
            if found > SCHEMA_VERSION:
                raise HubError("hub.schema_too_new", found=found, version=SCHEMA_VERSION)
            for version in range(found + 1, target + 1):
                for statement in MIGRATIONS[version]:
                    cur.execute(statement)
                cur.execute(
                    "INSERT INTO fielddesk_meta (key, value) VALUES ('schema_version', %s)"
                    " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                    (str(version),),
                )
            # Who this server is: laptops that find another id pull everything
            # again (a new database, or a restored backup given a new id).
            cur.execute(
                "INSERT INTO fielddesk_meta (key, value) VALUES ('server_id', %s)"
                " ON CONFLICT (key) DO NOTHING",
                (str(uuid.uuid4()),),
            )
            return found, max(found, target)

    def server_id(self) -> str:
        """This database's identity, made by init_schema ('' before). It
        changes only when the database is new, or an administrator deletes it
        after restoring a backup (docs/SYNC.md): a laptop whose cursor was
        kept for another id must pull from 0."""
        with self._errors():
            row = self._conn.execute(
                "SELECT value FROM fielddesk_meta WHERE key = 'server_id'"
            ).fetchone()
        return str(row[0]) if row else ""

    def last_seq(self) -> int:
        """The last seq handed out (0: none yet). A cursor beyond it was
        kept for another database, or this one went back to a backup."""
        with self._errors():
            row = self._conn.execute(
                "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM fielddesk_seq"
            ).fetchone()
        return int(row[0]) if row else 0

    def check_schema(self) -> None:
        """Nothing when the server holds this version's schema; else HubError
        hub.not_initialised (none, or older: `server init` upgrades it) or
        hub.schema_too_new (a newer fielddesk set it up)."""
        found = self.schema_version()
        params = {**self.where, "found": found, "version": SCHEMA_VERSION}
        if found > SCHEMA_VERSION:
            raise HubError("hub.schema_too_new", params)
        if found < SCHEMA_VERSION:
            raise HubError("hub.not_initialised", params)

    # -- exchanging records

    def push(self, community: str, device: str, docs: list[Doc], merge: Merge) -> int:
        """Send this laptop's versions of `docs`: each is merged with the
        server's row of its id (merge(kind, server's, pushed)), and stored
        with a new seq when that changes the row. The row's origin is
        `device` when it is exactly the pushed version (the laptop need not
        pull it back), '' when the merge made something new. One
        transaction; returns how many rows changed."""
        with self._errors():
            return self._push(community, device, docs, merge)

    def _push(self, community: str, device: str, docs: list[Doc], merge: Merge) -> int:
        # Every document is checked before anything is sent.
        versions: dict[str, list[tuple[Doc, str]]] = {}
        for doc in docs:
            encoded = encode(doc)
            versions.setdefault(doc["id"], []).append((doc, encoded))
        if not versions:
            return 0
        with self._conn.transaction():
            cur = self._conn.cursor()
            # Pushes commit one after another, in the order of their seq. A
            # laptop gone mid-push holds the lock until the server sees it
            # gone: the others give up after a while and say so.
            cur.execute("SELECT set_config('lock_timeout', %s, true)", (f"{PUSH_WAIT_S}s",))
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (PUSH_LOCK,))
            cur.execute(
                "SELECT id, doc::text FROM fielddesk_docs"
                " WHERE community = %s AND id = ANY(%s) FOR UPDATE",
                (community, list(versions)),
            )
            server = {ident: orjson.loads(text) for ident, text in cur}
            rows = list(self._changed_rows(device, versions, server, merge))
            if not rows:
                return 0
            cur.execute(
                "CREATE TEMP TABLE fielddesk_incoming (id text, kind text, doc jsonb,"
                " rev int, clock text, device text, origin text) ON COMMIT DROP"
            )
            with cur.copy(
                "COPY fielddesk_incoming (id, kind, doc, rev, clock, device, origin) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
            cur.execute(
                "INSERT INTO fielddesk_docs"
                " (community, id, kind, doc, rev, clock, device, origin, seq)"
                " SELECT %s, id, kind, doc, rev, clock, device, origin, nextval('fielddesk_seq')"
                " FROM fielddesk_incoming"
                " ON CONFLICT (community, id) DO UPDATE SET kind = EXCLUDED.kind,"
                " doc = EXCLUDED.doc, rev = EXCLUDED.rev, clock = EXCLUDED.clock,"
                " device = EXCLUDED.device, origin = EXCLUDED.origin, seq = EXCLUDED.seq",
                (community,),
            )
            return len(rows)

    @staticmethod
    def _changed_rows(
        device: str,
        versions: dict[str, list[tuple[Doc, str]]],
        server: dict[str, Doc],
        merge: Merge,
    ) -> Iterable[tuple[str, str, str, int, str, str, str]]:
        for ident, pushed in versions.items():
            before = server.get(ident)
            new = before
            for doc, _encoded in pushed:
                # Merging is idempotent: an equal version changes nothing.
                if new is None or new == doc:
                    new = doc
                else:
                    new = merge(doc["kind"], new, doc)
            if new is None or new == before:
                continue
            same = [encoded for doc, encoded in pushed if doc == new]
            held = len(same) == len(pushed)
            text = same[0] if same else encode(new)
            yield (
                ident,
                str(new.get("kind", pushed[-1][0]["kind"])),
                text,
                int(new.get("rev", 0) or 0),
                _text(new, "clock"),
                _text(new, "device"),
                device if held else "",
            )

    def pull(
        self, community: str | None, after: int, limit: int, skip_origin: str = ""
    ) -> tuple[list[tuple[int, str, Doc]], int]:
        """The rows numbered after `after`, in order, at most `limit` of them,
        of one community (or all with None): ([(seq, community, doc)], the
        highest seq looked at, else `after`). Rows whose origin is
        `skip_origin` (the pulling laptop's own, unchanged) are looked at but
        neither sent nor returned."""
        if limit < 1:
            raise ValueError("limit must be at least 1")
        from psycopg import sql

        doc = (
            sql.SQL("CASE WHEN origin = {} THEN NULL ELSE doc::text END").format(
                sql.Literal(skip_origin)
            )
            if skip_origin
            else sql.SQL("doc::text")
        )
        where = sql.SQL("seq > %(after)s")
        if community is not None:
            where = sql.SQL("community = %(community)s AND seq > %(after)s")
        query = sql.SQL(
            "SELECT seq, community, {doc} FROM fielddesk_docs WHERE {where}"
            " ORDER BY seq LIMIT %(limit)s"
        ).format(doc=doc, where=where)
        params = {"after": after, "community": community, "limit": limit}
        with self._errors():
            rows = self._conn.execute(query, params).fetchall()
        found = [(seq, name, orjson.loads(text)) for seq, name, text in rows if text is not None]
        return found, (rows[-1][0] if rows else after)

    def pending(self, community: str | None, after: int) -> int:
        """How many rows a pull from `after` would look at (a progress bar's total)."""
        query = "SELECT count(*) FROM fielddesk_docs WHERE seq > %s"
        params: tuple[Any, ...] = (after,)
        if community is not None:
            query += " AND community = %s"
            params = (after, community)
        with self._errors():
            row = self._conn.execute(query, params).fetchone()
        return int(row[0]) if row else 0

    def communities(self) -> list[str]:
        """Every community that has rows on the server, sorted."""
        with self._errors():
            rows = self._conn.execute(
                "SELECT DISTINCT community FROM fielddesk_docs ORDER BY community"
            ).fetchall()
        return [name for (name,) in rows]

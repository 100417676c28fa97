"""A real, throwaway PostgreSQL cluster for the hub's tests: no mocks.

One cluster per test process (each pytest-xdist worker starts its own, on its
own free port, with its own socket folder), made with `initdb` in a folder
under /tmp and stopped at the end of the session. Password authentication
(scram-sha-256) is on, so a wrong password is refused for real. PostgreSQL
refuses to run as root: as root (CI, this machine) the cluster is made and
run by the `postgres` user (`runuser -u postgres --`), which owns its folder.

Missing binaries fail the tests (they are not skipped): `.ci/run` installs
them; on a workstation `apt-get install postgresql` (or your system's
package) does.
"""

from __future__ import annotations

import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from tests.ui.conftest import app_on  # noqa: F401  (the app on a folder, for test_sync_app)
from tui.store.hub import Hub, connect

RUN_AS = "postgres"  # the unprivileged user that runs the cluster when we are root
SUPERUSER = "fd_admin"
DEBIAN_BINS = Path("/usr/lib/postgresql")
# libpq reads these: the tests name everything themselves.
PG_ENV = ("PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE", "PGSSLMODE")


@dataclass(frozen=True)
class PgServer:
    host: str
    port: int
    superuser: str
    password: str
    folder: Path

    def url(self, database: str = "postgres", user: str | None = None) -> str:
        """A URL without a password (libpq takes it from PGPASSWORD)."""
        return f"postgresql://{user or self.superuser}@{self.host}:{self.port}/{database}"

    def admin(self, database: str = "postgres") -> psycopg.Connection:
        """A superuser connection, autocommit, for setting tests up."""
        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.superuser,
            password=self.password,
            dbname=database,
            autocommit=True,
        )


def find_bin_dir() -> Path:
    """The folder holding initdb, pg_ctl and postgres: on PATH, else Debian's
    newest /usr/lib/postgresql/NN/bin. Fails the tests with what to install."""
    names = ("initdb", "pg_ctl", "postgres")
    on_path = shutil.which("initdb")
    if on_path:
        folder = Path(on_path).resolve().parent  # Debian links /usr/bin tools into NN/bin
        if all((folder / name).is_file() for name in names):
            return folder
    versions = []
    for candidate in DEBIAN_BINS.glob("*/bin"):
        if re.fullmatch(r"\d+(\.\d+)?", candidate.parent.name) and all(
            (candidate / name).is_file() for name in names
        ):
            versions.append((float(candidate.parent.name), candidate))
    if versions:
        return max(versions)[1]
    pytest.fail(
        "PostgreSQL server binaries (initdb, pg_ctl, postgres) were found neither on PATH "
        f"nor in {DEBIAN_BINS}/*/bin: install them (Debian: apt-get install postgresql; "
        ".ci/run does it) to run the hub's tests",
        pytrace=False,
    )


def _as_owner(command: list[str]) -> list[str]:
    """`command` as the cluster's owner: ourselves, or `postgres` when we are root."""
    if os.geteuid() != 0:
        return command
    if shutil.which("runuser") is None:
        pytest.fail("running as root needs runuser (util-linux) to start PostgreSQL", pytrace=False)
    return ["runuser", "-u", RUN_AS, "--", *command]


def _owner_ids() -> tuple[int, int] | None:
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(RUN_AS)
    except KeyError:
        pytest.fail(
            f"running as root, PostgreSQL must run as the user {RUN_AS!r}, which does not "
            "exist: install the postgresql package or create it (.ci/run does)",
            pytrace=False,
        )
    return entry.pw_uid, entry.pw_gid


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run(command: list[str], cwd: Path, what: str) -> None:
    done = subprocess.run(
        _as_owner(command),
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        pytest.fail(f"{what} failed ({done.returncode}): {done.stderr or done.stdout}")


def start_cluster(*, durable: bool = False) -> PgServer:
    """initdb and start a cluster on a free port of 127.0.0.1. `durable`
    keeps fsync on (for a measurement); tests run without it."""
    bins = find_bin_dir()
    owner = _owner_ids()
    # Not pytest's tmp_path: as root its parents may be 0700, and the
    # postgres user must reach the cluster's folder.
    base = "/tmp" if owner else None
    folder = Path(tempfile.mkdtemp(prefix="fielddesk-pg-", dir=base))
    os.chmod(folder, 0o755)
    password = secrets.token_urlsafe(18)
    pwfile = folder / "pwfile"
    pwfile.write_text(password + "\n", encoding="utf-8")
    sockets = folder / "sock"
    sockets.mkdir()
    if owner:
        for path in (folder, pwfile, sockets):
            os.chown(path, *owner)
    data = folder / "data"
    _run(
        [
            str(bins / "initdb"),
            "-D",
            str(data),
            "-U",
            SUPERUSER,
            f"--pwfile={pwfile}",
            "--auth=scram-sha-256",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        ],
        folder,
        "initdb",
    )
    pwfile.unlink()
    settings = [
        "-c listen_addresses=127.0.0.1",
        f"-k {sockets}",
        "-c max_connections=30",
        "-c shared_buffers=64MB",
    ]
    if not durable:
        settings += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
    last = ""
    for _attempt in range(5):  # another process may take the free port first
        port = _free_port()
        start = subprocess.run(
            _as_owner(
                [
                    str(bins / "pg_ctl"),
                    "-D",
                    str(data),
                    "-l",
                    str(folder / "server.log"),
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    " ".join([f"-p {port}", *settings]),
                    "start",
                ]
            ),
            cwd=folder,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if start.returncode == 0:
            return PgServer("127.0.0.1", port, SUPERUSER, password, folder)
        log = folder / "server.log"
        last = (start.stderr or start.stdout) + (
            log.read_text("utf-8", "replace") if log.exists() else ""
        )
    shutil.rmtree(folder, ignore_errors=True)
    pytest.fail(f"PostgreSQL did not start: {last}")


def stop_cluster(server: PgServer) -> None:
    bins = find_bin_dir()
    subprocess.run(
        _as_owner(
            [str(bins / "pg_ctl"), "-D", str(server.folder / "data"), "-m", "immediate", "stop"]
        ),
        cwd=server.folder,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=120,
    )
    shutil.rmtree(server.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    server = start_cluster()
    try:
        yield server
    finally:
        stop_cluster(server)


def hermetic_pg_env(monkeypatch: pytest.MonkeyPatch, password: str | None) -> None:
    """libpq sees only what the test gives it: no PGHOST or ~/.pgpass of the
    machine's, the password from PGPASSWORD (or none)."""
    for name in PG_ENV:
        monkeypatch.delenv(name, raising=False)
    # A file that is not there (libpq warns on stderr about /dev/null).
    monkeypatch.setenv("PGPASSFILE", "/nonexistent/fielddesk-tests/pgpass")
    monkeypatch.setenv("PGCONNECT_TIMEOUT", "5")
    if password is None:
        monkeypatch.delenv("PGPASSWORD", raising=False)
    else:
        monkeypatch.setenv("PGPASSWORD", password)


@pytest.fixture
def pg_database(pg_server: PgServer) -> Iterator[str]:
    """A fresh, empty database's name, dropped after the test."""
    name = f"t_{uuid.uuid4().hex}"
    with pg_server.admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with pg_server.admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url(pg_server: PgServer, pg_database: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """postgresql://user@127.0.0.1:PORT/t_<uuid>, a fresh database; the
    password is in PGPASSWORD, never in the URL."""
    hermetic_pg_env(monkeypatch, pg_server.password)
    return pg_server.url(pg_database)


@pytest.fixture
def hub(pg_url: str) -> Iterator[Hub]:
    """A connected client on a fresh database whose schema is set up."""
    with connect(pg_url) as client:
        client.init_schema()
        yield client

"""`fielddesk server init` as a user runs it, against a real server: one
line and exit 0 when the server is ready, else one line naming the server
(never its password), exit 1, and nothing written anywhere."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from tests.cli.test_cli import fielddesk, one_line
from tests.sync.conftest import PgServer, _free_port
from tui.domain.settings import SettingError, check_setting, without_password
from tui.messages import describe_error
from tui.store.hub import SCHEMA_VERSION, connect


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A data folder (as `init` leaves one) with no settings yet."""
    made = tmp_path / "data"
    made.mkdir()
    return made


def settings_of(folder: Path) -> dict[str, object]:
    return orjson.loads((folder / "settings.json").read_bytes())


def test_init_creates_the_schema_and_keeps_the_url(
    pg_url: str, pg_server: PgServer, pg_database: str, folder: Path
) -> None:
    done = fielddesk("--lang", "en", "server", "init", "--url", pg_url, data=folder)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.splitlines() == [
        f"Server ready: schema {SCHEMA_VERSION} created in database {pg_database} at "
        f"127.0.0.1:{pg_server.port}. This data folder syncs with it (sync_url = {pg_url})."
    ]
    assert settings_of(folder) == {"sync_url": pg_url}
    with connect(pg_url) as hub:
        hub.check_schema()
    # Again, from the folder's settings: nothing to do, said so.
    again = fielddesk("--lang", "zh", "server", "init", "--data", str(folder))
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines() == [
        f"服务器已就绪：127.0.0.1:{pg_server.port} 的数据库 {pg_database} 的结构版本 "
        f"{SCHEMA_VERSION} 已是最新。"
    ]
    assert fielddesk("config", "get", "sync_url", data=folder).stdout == f"{pg_url}\n"


def test_a_password_in_the_url_is_used_but_never_kept(
    pg_url: str, pg_server: PgServer, folder: Path
) -> None:
    with_password = pg_url.replace("@", f":{pg_server.password}@", 1)
    done = fielddesk("server", "init", "--url", with_password, data=folder, env={"PGPASSWORD": ""})
    assert done.returncode == 0, done.stderr
    assert settings_of(folder) == {"sync_url": pg_url}
    assert pg_server.password not in done.stdout + done.stderr
    assert pg_server.password.encode() not in (folder / "settings.json").read_bytes()
    # Nor is one kept by `config set`.
    refused = fielddesk("config", "set", "sync_url", with_password, data=folder)
    assert one_line(refused, 2) == (
        "fielddesk: sync_url must not hold a password (the data folder would keep it):"
        " give the password in PGPASSWORD or ~/.pgpass"
    )
    assert pg_server.password not in refused.stderr
    assert settings_of(folder) == {"sync_url": pg_url}


def test_a_schema_1_server_is_upgraded(pg_url: str, folder: Path) -> None:
    with connect(pg_url) as hub:
        hub.init_schema(target=1)
    done = fielddesk("--lang", "en", "server", "init", "--url", pg_url, data=folder)
    assert done.returncode == 0, done.stderr
    assert f"schema {SCHEMA_VERSION} (was 1)" in done.stdout


def test_without_a_data_folder_the_url_is_not_kept(pg_url: str, tmp_path: Path) -> None:
    missing = tmp_path / "none"
    done = fielddesk("server", "init", "--url", pg_url, data=missing)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Server ready: schema") and "sync_url" not in done.stdout
    assert not missing.exists()


def refused_lines(pg_server: PgServer, pg_database: str) -> list[tuple[str, dict[str, str], str]]:
    """(url, extra environment, the line said) for each way of getting it wrong."""
    host, port = pg_server.host, pg_server.port
    good = pg_server.url(pg_database)
    nobody = _free_port()
    return [
        (
            good,
            {"PGPASSWORD": "not-the-password"},
            f"the office server at {host}:{port} refused user fd_admin: wrong or missing"
            " password (give it in PGPASSWORD or ~/.pgpass)",
        ),
        (
            good.replace("@", ":wr0ng-secret@", 1),
            {},
            f"the office server at {host}:{port} refused user fd_admin: wrong or missing"
            " password (give it in PGPASSWORD or ~/.pgpass)",
        ),
        (
            pg_server.url(pg_database).replace(str(port), str(nobody)),
            {},
            f"cannot reach the office server at {host}:{nobody} (Connection refused); check"
            " the address, the network, and that PostgreSQL runs there",
        ),
        (
            pg_server.url("no_such_db"),
            {},
            f"the office server at {host}:{port} has no database no_such_db: create it"
            " (createdb) or correct the URL",
        ),
        *[
            (
                garbage,
                {},
                "the office server's address must be a URL like"
                " postgresql://USER@HOST:PORT/DATABASE",
            )
            for garbage in (
                "office-server",
                "http://127.0.0.1/fielddesk",
                f"postgresql://fd_admin@{host}:abc/db",
                f"postgresql://fd_admin@{host}/db?nonsense=1",
            )
        ],
    ]


def test_every_failure_is_one_line_naming_the_server_and_writes_nothing(
    pg_url: str, pg_server: PgServer, pg_database: str, folder: Path
) -> None:
    for url, env, line in refused_lines(pg_server, pg_database):
        failed = fielddesk("--lang", "en", "server", "init", "--url", url, data=folder, env=env)
        assert one_line(failed, 1) == f"fielddesk: {line}", url
        assert failed.stdout == ""
        assert "wr0ng-secret" not in failed.stderr and "not-the-password" not in failed.stderr
        assert not (folder / "settings.json").exists()
    with connect(pg_url) as hub:
        assert hub.schema_version() == 0  # the server was not touched either


def test_failures_are_said_in_chinese_too(
    pg_server: PgServer, pg_database: str, folder: Path
) -> None:
    failed = fielddesk(
        "--lang",
        "zh",
        "server",
        "init",
        "--url",
        pg_server.url(pg_database),
        data=folder,
        env={"PGPASSWORD": "not-the-password"},
    )
    assert one_line(failed, 1) == (
        f"fielddesk: {pg_server.host}:{pg_server.port} 上的办公室服务器拒绝了用户 fd_admin："
        "密码错误或没有密码（请在 PGPASSWORD 或 ~/.pgpass 中提供）"
    )


def test_without_a_url_anywhere_it_says_to_pass_one(folder: Path, tmp_path: Path) -> None:
    for data in (folder, tmp_path / "no-folder"):
        failed = fielddesk("--lang", "en", "server", "init", data=data)
        assert one_line(failed, 2) == (
            "fielddesk: which server? pass --url postgresql://USER@HOST:PORT/DATABASE"
            " (or keep it with fielddesk config set sync_url URL)"
        )
        assert not (folder / "settings.json").exists()
    assert not (tmp_path / "no-folder").exists()
    usage = fielddesk("server", data=folder)
    assert usage.returncode == 2 and "Traceback" not in usage.stderr
    helped = fielddesk("server", "init", "--help", data=folder)
    assert helped.returncode == 0 and "--url" in helped.stdout


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        (
            "postgresql://fielddesk@office-pc:5432/fielddesk",
            "postgresql://fielddesk@office-pc:5432/fielddesk",
        ),
        (" postgres://office-pc/fd?sslmode=require ", "postgres://office-pc/fd?sslmode=require"),
        ("postgresql:///fielddesk", "postgresql:///fielddesk"),  # the local socket
        ("postgresql://fd@[::1]:5432/fd", "postgresql://fd@[::1]:5432/fd"),
    ],
)
def test_sync_url_setting_keeps_a_url(typed: str, kept: str) -> None:
    assert check_setting("sync_url", typed) == kept
    assert without_password(kept) == kept


@pytest.mark.parametrize(
    ("typed", "code", "stripped"),
    [
        ("postgresql://fd:secret@office-pc/fd", "hub.url_password", "postgresql://fd@office-pc/fd"),
        ("postgresql://fd:@office-pc/fd", "hub.url_password", "postgresql://fd@office-pc/fd"),
        (
            "postgresql://fd@office-pc/fd?sslmode=require&password=secret",
            "hub.url_password",
            "postgresql://fd@office-pc/fd?sslmode=require",
        ),
        ("http://office-pc/fd", "hub.bad_sync_url", "http://office-pc/fd"),
        ("office-pc", "hub.bad_sync_url", None),
        ("postgresql://[::1/fd", "hub.bad_sync_url", None),
    ],
)
def test_sync_url_setting_refuses_passwords_and_other_urls(
    typed: str, code: str, stripped: str | None
) -> None:
    with pytest.raises(SettingError) as refused:
        check_setting("sync_url", typed)
    assert refused.value.code == code
    assert "secret" not in describe_error(refused.value)
    assert without_password(typed) == stripped

"""Per-laptop settings: this desk's number, who works at it, the language,
the theme, and the office server it syncs with. Kept so staff need not type
--desk/--staff/--lang at every start; a flag on the command line still wins."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from tui.domain.errors import CodedError
from tui.domain.text import clean_text

MAX_DESK = 9
LANGS = ("zh", "en")
THEMES = ("dark", "light", "contrast")
KEYS = ("desk", "staff", "lang", "theme", "sync_url", "printer")
SYNC_SCHEMES = ("postgresql", "postgres")


class SettingError(CodedError, ValueError):
    """A refusal with a message id (CodedError)."""


def check_setting(key: str, text: str) -> int | str:
    """The value to keep for `key`, typed, or SettingError saying why not."""
    value = clean_text(text)
    if key == "desk":
        if not value.isdigit() or not 1 <= int(value) <= MAX_DESK:
            raise SettingError("settings.bad_desk", value=value, max=MAX_DESK)
        return int(value)
    if key == "staff":
        # Here, not at the top: the app reads the settings before its first
        # frame, which needs none of the record rules that come with it.
        from tui.domain.validate import NAME_MAX

        if not value or len(value) > NAME_MAX:
            raise SettingError("settings.bad_staff", max=NAME_MAX)
        return value
    if key == "lang":
        if value not in LANGS:
            raise SettingError("settings.bad_choice", key=key, choices=", ".join(LANGS))
        return value
    if key == "theme":
        if value not in THEMES:
            raise SettingError("settings.bad_choice", key=key, choices=", ".join(THEMES))
        return value
    if key == "sync_url":
        return _sync_url(value)
    if key == "printer":
        from tui.domain.printer import parse_printer

        return str(parse_printer(value))
    raise SettingError("settings.unknown_key", key=key, keys=", ".join(KEYS))


def _sync_url(value: str) -> str:
    """The office server's URL, postgresql://USER@HOST:PORT/DATABASE. Never
    with a password: settings.json would keep it in the data folder, which
    is copied and backed up; libpq takes it from PGPASSWORD or ~/.pgpass."""
    try:
        parts = urlsplit(value)
        password = parts.password
    except ValueError:
        raise SettingError("hub.bad_sync_url") from None
    if parts.scheme.lower() not in SYNC_SCHEMES or not value.lower().startswith(
        tuple(f"{scheme}://" for scheme in SYNC_SCHEMES)
    ):
        raise SettingError("hub.bad_sync_url")
    if password is not None or "password" in _query_keys(parts.query):
        raise SettingError("hub.url_password")
    return value


def _query_keys(query: str) -> list[str]:
    return [pair.split("=", 1)[0].strip().lower() for pair in query.split("&") if pair]


def without_password(url: str) -> str | None:
    """`url` with any password taken out (user:secret@ and ?password=), or
    None when it cannot be read as a URL."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if not parts.scheme:
        return None
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, hostport = netloc.rsplit("@", 1)
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}@{hostport}" if user else hostport
    query = "&".join(
        pair
        for pair in parts.query.split("&")
        if pair and pair.split("=", 1)[0].strip().lower() != "password"
    )
    # Not urlunsplit: it drops the empty host of postgresql:///db (the local socket).
    return (
        f"{parts.scheme}://{netloc}{parts.path}"
        + (f"?{query}" if query else "")
        + (f"#{parts.fragment}" if parts.fragment else "")
    )


def usable(settings: dict[str, Any]) -> dict[str, Any]:
    """The stored settings that still pass (a file edited by hand may not)."""
    kept = {}
    for key in KEYS:
        if key in settings:
            try:
                kept[key] = check_setting(key, str(settings[key]))
            except SettingError:
                continue
    return kept

"""Per-laptop settings: this desk's number, who works at it, the language
and the theme. Kept so staff need not type --desk/--staff/--lang at every
start; a flag on the command line still wins."""

from __future__ import annotations

from typing import Any

from tui.domain.errors import CodedError
from tui.domain.text import clean_text

MAX_DESK = 9
LANGS = ("zh", "en")
THEMES = ("dark", "light", "contrast")
KEYS = ("desk", "staff", "lang", "theme")


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
    raise SettingError("settings.unknown_key", key=key, keys=", ".join(KEYS))


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

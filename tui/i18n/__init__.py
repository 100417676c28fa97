"""The translation catalogue: every text a user reads, in zh_CN and en.

Messages live in <lang>.toml beside this file; TOML tables become dotted ids
("[key] help = ..." is "key.help"). `t(id, **params)` formats with
str.format. The language is chosen once per process (CLI or app factory).
"""

from __future__ import annotations

import os
import sys
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES = {"zh": "zh_CN", "en": "en"}
_HERE = Path(__file__).parent
_current = "en"


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = str(value)
    return flat


@cache
def catalogue(lang: str) -> dict[str, str]:
    with open(_HERE / f"{LANGUAGES[lang]}.toml", "rb") as handle:
        return _flatten(tomllib.load(handle))


def detect_language(environ: Mapping[str, str] | None = None, os_locale: str | None = None) -> str:
    """zh or en, as gettext would choose: LANGUAGE (a list, "zh_CN:en") first,
    then LC_ALL, LC_MESSAGES, LANG. C and POSIX say nothing about a language,
    and Windows sets none of these: then the operating system's own language
    decides (`os_locale`, for tests; else system_locale())."""
    env = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for part in env.get(name, "").split(":"):
            found = _language_of(part)
            if found:
                return found
    system = system_locale() if os_locale is None else os_locale
    return _language_of(system) or "en"


def _language_of(locale_name: str) -> str | None:
    name = locale_name.strip().lower()
    if not name or name in ("c", "posix") or name.startswith(("c.", "posix.")):
        return None
    return "zh" if name.startswith(("zh", "chinese")) else "en"


def system_locale() -> str:
    """The operating system's language: on Windows the user's display language
    (GetUserDefaultUILanguage), elsewhere the C library's default locale."""
    import locale

    if sys.platform == "win32":
        import ctypes

        lcid = ctypes.windll.kernel32.GetUserDefaultUILanguage()  # type: ignore[attr-defined]
        return str(locale.windows_locale.get(lcid, ""))
    try:
        return locale.getlocale(locale.LC_MESSAGES)[0] or ""
    except (AttributeError, ValueError):
        return ""


def set_language(lang: str | None) -> str:
    global _current
    _current = lang if lang in LANGUAGES else detect_language()
    return _current


def language() -> str:
    return _current


def has(msgid: str) -> bool:
    return msgid in catalogue(_current)


def t(msgid: str, **params: Any) -> str:
    """The message in the current language; an unknown id shows as itself."""
    text = catalogue(_current).get(msgid) or catalogue("en").get(msgid) or msgid
    return text.format(**params) if params else text

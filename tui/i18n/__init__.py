"""The translation catalogue: every text a user reads, in zh_CN and en.

Messages live in <lang>.toml beside this file; TOML tables become dotted ids
("[key] help = ..." is "key.help"). `t(id, **params)` formats with
str.format. The language is chosen once per process (CLI or app factory).
"""

from __future__ import annotations

import os
import tomllib
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


def detect_language(environ: dict[str, str] | None = None) -> str:
    """zh for a zh_* locale (LC_ALL, LC_MESSAGES, LANG, LANGUAGE), else en."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(name, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


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

"""settings.json: this laptop's settings (tui/domain/settings.py). Like
device.json it belongs to the laptop: never exported, merged or backed up,
and written without the folder lock (only this laptop's staff change it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from tui.domain.settings import usable
from tui.durable import atomic_write, is_read_only
from tui.repository.errors import StoreWriteError

SETTINGS = "settings.json"


def load_settings(root: Path) -> dict[str, Any]:
    try:
        data = orjson.loads((root / SETTINGS).read_bytes())
    except (OSError, ValueError):
        return {}
    return usable(data) if isinstance(data, dict) else {}


def save_setting(root: Path, key: str, value: int | str | None) -> dict[str, Any]:
    """Keep (or with None, forget) one checked setting; returns them all."""
    if is_read_only(root):
        raise StoreWriteError(root / SETTINGS, "read_only")
    settings = load_settings(root)
    if value is None:
        settings.pop(key, None)
    else:
        settings[key] = value
    atomic_write(root / SETTINGS, orjson.dumps(settings, option=orjson.OPT_INDENT_2))
    return settings

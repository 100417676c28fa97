"""Daily backups: a copy of every data file under backups/YYYY-MM-DD/, 7 kept.

Copies, not hard links: a link would share the inode, so damage to the live
file's blocks would damage its backup too.
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

from tui.durable import ensure_dir, fsync_dir
from tui.store.layout import BACKUPS, data_files

KEEP = 7


def take_daily_backup(root: Path, day: str, keep: int = KEEP) -> Path | None:
    """Back up today's files once; returns the folder, or None if already done."""
    backups = root / BACKUPS
    target = backups / day
    if target.exists():
        return None
    partial = backups / f".{day}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    ensure_dir(partial)
    for rel in data_files(root):
        dest = partial / rel
        ensure_dir(dest.parent)
        with contextlib.suppress(FileNotFoundError):  # replaced meanwhile: next day's copy
            shutil.copy2(root / rel, dest)
    try:
        partial.rename(target)  # whole or not at all
    except OSError:
        shutil.rmtree(partial, ignore_errors=True)
        return None
    fsync_dir(backups)
    prune(root, keep)
    return target


def backup_days(root: Path) -> list[str]:
    folder = root / BACKUPS
    if not folder.exists():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def prune(root: Path, keep: int = KEEP) -> None:
    for day in backup_days(root)[:-keep]:
        shutil.rmtree(root / BACKUPS / day, ignore_errors=True)


def newest_backup_of(root: Path, rel: str) -> Path | None:
    """The most recent backed-up copy of one data file, if any."""
    for day in reversed(backup_days(root)):
        candidate = root / BACKUPS / day / rel
        if candidate.exists():
            return candidate
    return None

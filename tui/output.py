"""Where a command's --out may write: a new or replaced regular file only.

A path that is a folder, a device (`/dev/full`), a FIFO or a symbolic link
is refused, never replaced: `os.replace` would swap a plain file in for it
(as root even for a device). A symbolic link is refused rather than followed:
the link may point anywhere, including into the data folder; give the real
path. An existing file is replaced only after a yes on the terminal, or with
--force. The new file is written whole (temp file, fsync, replace), so a
failed write never leaves half a report.
"""

from __future__ import annotations

import stat
import sys
from pathlib import Path

from tui.i18n import t
from tui.store.errors import StoreWriteError
from tui.store.files import atomic_write


class OutRefused(Exception):
    """--out cannot be written as given; the message says why (exit 2)."""


def ask_overwrite(path: Path) -> bool:
    """Ask on the terminal; without one (a script, CI) the answer is no."""
    if not sys.stdin.isatty():
        return False
    print(t("out.ask_overwrite", file=path), end=" ", file=sys.stderr, flush=True)
    return sys.stdin.readline().strip().lower() in ("y", "yes", "是", "好")


def check_out(text: str, *, force: bool) -> Path:
    """The --out path, after refusing what must not be written. Called before
    the work, so a refused path costs nothing."""
    if not text.strip():
        raise OutRefused(t("out.empty"))
    path = Path(text).expanduser()
    try:
        info = path.lstat()
    except FileNotFoundError:
        if not path.parent.is_dir():
            raise OutRefused(t("cli.no_folder", folder=path.parent)) from None
        return path
    if stat.S_ISLNK(info.st_mode):
        raise OutRefused(t("out.symlink", file=path))
    if stat.S_ISDIR(info.st_mode):
        raise OutRefused(t("out.folder", file=path))
    if not stat.S_ISREG(info.st_mode):
        raise OutRefused(t("out.special", file=path))
    if not force and not ask_overwrite(path):
        raise OutRefused(t("out.exists", file=path))
    return path


def write_out(path: Path, payload: bytes) -> None:
    try:
        atomic_write(path, payload)
    except StoreWriteError as err:
        raise OutRefused(t("out.failed", file=path, reason=err.detail or err.reason)) from None

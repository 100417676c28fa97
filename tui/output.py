"""Where a command's --out may write: a new or replaced regular file only.

A path that is a folder, a device (`/dev/full`), a FIFO or a symbolic link
is refused, never replaced: `os.replace` would swap a plain file in for it
(as root even for a device). A symbolic link is refused rather than followed:
the link may point anywhere, including into the data folder; give the real
path. An existing file is replaced only after a yes on the terminal, or with
--force. The new file is written whole (temp file, fsync, replace), so a
failed write never leaves half a report.

os_reason() says why a path could not be used in the user's language, for
every command's one-line error.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path

from tui.durable import atomic_write
from tui.i18n import t
from tui.repository.errors import StoreWriteError


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
    if text.endswith(("/", os.sep)):
        # `--out reports/` means a folder; Path() would drop the slash and
        # write a file named "reports".
        if path.is_dir():
            raise OutRefused(t("out.folder", file=text))
        raise OutRefused(t("cli.no_folder", folder=text))
    if not refuse_unsafe(path):
        if not path.parent.is_dir():
            raise OutRefused(t("cli.no_folder", folder=path.parent))
        return path
    if not force and not ask_overwrite(path):
        raise OutRefused(t("out.exists", file=path))
    return path


def refuse_unsafe(path: Path) -> bool:
    """Raise OutRefused for a link, a folder, a device or a FIFO at `path`;
    return whether a regular file is there."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return False
    if stat.S_ISLNK(info.st_mode):
        raise OutRefused(t("out.symlink", file=path))
    if stat.S_ISDIR(info.st_mode):
        raise OutRefused(t("out.folder", file=path))
    if not stat.S_ISREG(info.st_mode):
        raise OutRefused(t("out.special", file=path))
    return True


def write_out(path: Path, payload: bytes) -> None:
    # Looked at again: while the report was made a link or a FIFO may have
    # been put there, and os.replace would swap our file in for it.
    refuse_unsafe(path)
    try:
        atomic_write(path, payload)
    except StoreWriteError as err:
        cause = err.__cause__
        reason = os_reason(cause) if isinstance(cause, OSError) else err.detail
        raise OutRefused(t("out.failed", file=path, reason=reason)) from None


def os_reason(err: OSError) -> str:
    """Why a path could not be used, in the user's language (strerror is the
    C library's English). For a path through a file ("cases/open.json" when
    "cases" is a file) the reason is about that file."""
    code = err.errno
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return t("cli.fs.no_space")
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return t("cli.fs.denied")
    if code == errno.EISDIR:
        return t("cli.fs.is_folder")
    if code in (errno.ENOTDIR, errno.EEXIST) and err.filename is not None:
        return t("cli.fs.not_folder")
    return t("cli.fs.other", detail=err.strerror or err)


def blamed_path(err: OSError) -> Path:
    """The path to name: for ENOTDIR the part of it that is a file, not the
    file that was asked for beneath it."""
    path = Path(os.fsdecode(err.filename))
    if err.errno == errno.ENOTDIR:
        for part in (path, *path.parents):
            if part.exists() and not part.is_dir():
                return part
    return path

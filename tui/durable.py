"""Durable file writes (atomic replace with fsync, folder fsync where the
system has it, retries while Windows readers hold a file), for the store and
for every file the app writes for people (--out, reports)."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
import time
from pathlib import Path

from tui.repository.errors import StoreWriteError

FILE_MODE = 0o600
DIR_MODE = 0o700
TEMP_SUFFIX = ".tmp"


def ensure_dir(path: Path) -> None:
    """Create a private folder (0700), parents included."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    # mkdir's mode is filtered by the umask; make sure others have no access.
    # Only ever take bits away: a folder someone made read-only stays so.
    mode = path.stat().st_mode & 0o777
    if mode & ~DIR_MODE:
        with contextlib.suppress(PermissionError):
            path.chmod(mode & DIR_MODE)


def is_read_only(folder: Path) -> bool:
    """A folder this process must not write: no permission, no owner write bit
    (as root, permissions alone would not stop us; `chmod a-w` is meant), or a
    read-only mount."""
    try:
        st = folder.stat()
        # statvfs is POSIX only; on Windows os.access sees a read-only share.
        statvfs = getattr(os, "statvfs", None)
        mounted_ro = bool(statvfs(folder).f_flag & os.ST_RDONLY) if statvfs else False
    except FileNotFoundError:
        return False
    return mounted_ro or not st.st_mode & 0o200 or not os.access(folder, os.W_OK)


REPLACE_TRIES = 200  # ~2 s in all: a reader holding the file on Windows lets go in ms
REPLACE_WAIT = 0.01


def fsync_dir(path: Path) -> None:
    """Make a rename in `path` durable. Where folders cannot be opened (Windows
    has no O_DIRECTORY; NTFS makes the rename durable itself) there is nothing
    to do."""
    flag = getattr(os, "O_DIRECTORY", None)
    if flag is None:
        return
    fd = os.open(path, os.O_RDONLY | flag)
    try:
        os.fsync(fd)
    except OSError as err:
        # Some file systems cannot fsync a folder; the replace itself stands.
        if err.errno not in (errno.EINVAL, errno.ENOTSUP):
            raise
    finally:
        os.close(fd)


def atomic_write(path: Path, payload: bytes) -> None:
    """Write `payload` to `path` so that a crash leaves the old or the new file.

    Temp file in the same folder, fsync, os.replace, fsync the folder. On any
    error the temp file is removed and StoreWriteError is raised; the old file
    is untouched.
    """
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent
        )
    except OSError as err:  # the folder cannot be written (read-only, gone, full)
        raise StoreWriteError.from_os_error(path, err) from err
    tmp = Path(tmp_name)
    try:
        try:
            view = memoryview(payload)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        replace(tmp, path)
    except OSError as err:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise StoreWriteError.from_os_error(path, err) from err
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    try:
        fsync_dir(path.parent)
    except OSError as err:
        raise StoreWriteError.from_os_error(path, err) from err


def replace(source: Path, target: Path) -> None:
    """os.replace, retried for a moment on PermissionError: on Windows a file
    another process has open (the display reading it) cannot be replaced
    (WinError 5 or 32) until that process closes it."""
    for attempt in range(REPLACE_TRIES):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if attempt == REPLACE_TRIES - 1:
                raise
            time.sleep(REPLACE_WAIT)


def remove_stale_temps(folder: Path, older_than: float = 0.0) -> list[Path]:
    """Delete temp files a killed writer left behind. Call with the lock held,
    or give an age for files written without it (drafts)."""
    removed = []
    now = time.time()
    for tmp in folder.glob(f".*{TEMP_SUFFIX}"):
        with contextlib.suppress(FileNotFoundError):
            if older_than and now - tmp.stat().st_mtime < older_than:
                continue
            tmp.unlink()
            removed.append(tmp)
    return removed

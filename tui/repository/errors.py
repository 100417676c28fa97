"""Errors any repository raises, whatever stores the records (a folder of
JSON files, a database). Each is a CodedError: a message id for the
translation catalogue, with the file (or table) and a detail as its values."""

from __future__ import annotations

import errno
from pathlib import Path

from tui.domain.errors import CodedError


class StoreError(CodedError):
    code = "store.error"

    def __init__(self, path: Path, detail: str = "") -> None:
        self.path = path
        self.detail = detail
        self.params = {"file": path.name, "detail": detail}
        Exception.__init__(self, f"{self.code}: {path}: {detail}".rstrip(": "))


class StoreWriteError(StoreError):
    """A save failed; nothing was changed on disk. `reason` says why."""

    def __init__(self, path: Path, reason: str, detail: str = "") -> None:
        self.reason = reason  # disk_full | read_only | io
        self.code = f"store.write.{reason}"
        super().__init__(path, detail)

    @classmethod
    def from_os_error(cls, path: Path, err: OSError) -> StoreWriteError:
        if err.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            reason = "disk_full"
        elif err.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            reason = "read_only"
        else:
            reason = "io"
        return cls(path, reason, err.strerror or str(err))


class StoreBusy(StoreError):
    """Another process held the file lock for too long."""

    code = "store.busy"


class CorruptFile(StoreError):
    """A data file could not be read. It was moved aside, never overwritten."""

    code = "store.corrupt"

    def __init__(self, path: Path, moved_to: Path | None, detail: str = "") -> None:
        self.moved_to = moved_to
        if moved_to is None:  # a read-only folder: reported, left where it is
            self.code = "store.corrupt_left"
        super().__init__(path, detail)


class SchemaTooNew(StoreError):
    """The data folder was written by a newer fielddesk."""

    code = "store.schema_too_new"


class StoreConflict(StoreError):
    """The record was changed by someone else since it was read."""

    code = "store.conflict"


class NoData(Exception):
    """The records cannot be read right now (a folder missing or being
    replaced, a file cut short): the display waits and looks again."""

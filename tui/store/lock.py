"""One lock per data folder, held by whoever writes, across threads and processes.

A single folder-wide lock keeps multi-file changes (a case moving from the
open file to its archive) whole as seen by the other process, and costs
little: writes take milliseconds. Readers never lock: files are only ever
replaced whole, so an open() sees the old or the new file.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from filelock import FileLock, Timeout

from tui.durable import FILE_MODE
from tui.repository.errors import StoreBusy, StoreWriteError

LOCK_TIMEOUT = 10.0
# How often a waiting process looks again. Short, so a desk waiting behind a
# busy one (a save retried on Windows) gets its turn instead of starving.
POLL_INTERVAL = 0.005


class StoreLock:
    """`on_acquire` runs whenever this process takes the folder lock from no one
    (the store finishes a commit a killed writer left half done). A read-only
    lock is never taken: every attempt to write is refused with one sentence."""

    def __init__(
        self, path: Path, timeout: float = LOCK_TIMEOUT, *, read_only: bool = False
    ) -> None:
        self.path = path
        self.timeout = timeout
        self.read_only = read_only
        self.on_acquire: Callable[[], None] | None = None
        # The file lock counts re-entries process-wide; the RLock keeps a second
        # thread of this process from slipping in through that counter.
        self._thread_lock = threading.RLock()
        self._file_lock = FileLock(path, timeout=timeout, mode=FILE_MODE, thread_local=False)
        self._depth = 0
        self.taken = 0  # how many times this process has taken the folder's lock

    @property
    def held(self) -> bool:
        return self._depth > 0

    def acquire(self) -> None:
        if self.read_only:
            raise StoreWriteError(self.path.parent, "read_only", "opened read-only")
        if not self._thread_lock.acquire(timeout=self.timeout):
            raise StoreBusy(self.path, "another thread holds the lock")
        first = self._depth == 0
        if first:
            self.taken += 1
            try:
                self._file_lock.acquire(poll_interval=POLL_INTERVAL)
            except Timeout:
                self._thread_lock.release()
                raise StoreBusy(self.path, "another process holds the lock") from None
            except OSError as err:  # the lock file cannot be created: no writing
                self._thread_lock.release()
                raise StoreWriteError.from_os_error(self.path.parent, err) from None
        self._depth += 1
        if first and self.on_acquire is not None:
            try:
                self.on_acquire()
            except BaseException:
                self.release()
                raise

    def release(self) -> None:
        self._depth -= 1
        if self._depth == 0:
            self._file_lock.release()
        self._thread_lock.release()

    def __enter__(self) -> StoreLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()

"""One lock per data folder, held by whoever writes, across threads and processes.

A single folder-wide lock keeps multi-file changes (a case moving from the
open file to its archive) whole as seen by the other process, and costs
little: writes take milliseconds. Readers never lock: files are only ever
replaced whole, so an open() sees the old or the new file.
"""

from __future__ import annotations

import threading
from pathlib import Path
from types import TracebackType

from filelock import FileLock, Timeout

from tui.store.errors import StoreBusy
from tui.store.files import FILE_MODE

LOCK_TIMEOUT = 10.0


class StoreLock:
    def __init__(self, path: Path, timeout: float = LOCK_TIMEOUT) -> None:
        self.path = path
        self.timeout = timeout
        # The file lock counts re-entries process-wide; the RLock keeps a second
        # thread of this process from slipping in through that counter.
        self._thread_lock = threading.RLock()
        self._file_lock = FileLock(path, timeout=timeout, mode=FILE_MODE, thread_local=False)
        self._depth = 0

    @property
    def held(self) -> bool:
        return self._depth > 0

    def acquire(self) -> None:
        if not self._thread_lock.acquire(timeout=self.timeout):
            raise StoreBusy(self.path, "another thread holds the lock")
        if self._depth == 0:
            try:
                self._file_lock.acquire()
            except Timeout:
                self._thread_lock.release()
                raise StoreBusy(self.path, "another process holds the lock") from None
        self._depth += 1

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

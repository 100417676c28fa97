"""Windows, as far as the store can tell, simulated on Linux.

- `os.O_DIRECTORY` does not exist (a folder cannot be opened to fsync it);
- `os.replace` onto a file fails with a sharing violation (WinError 32, a
  PermissionError) while another process has that file open: here every
  fourth replace fails once, as if the display were reading it just then.

The store tests run under it (tests/store/conftest.py); child processes
started by them install it too when FIELDDESK_SIMULATE_WINDOWS=1.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

ENV = "FIELDDESK_SIMULATE_WINDOWS"
EVERY = 4  # one replace in EVERY meets a reader holding the file


class SharingViolation(PermissionError):
    def __init__(self, target: Any) -> None:
        super().__init__(
            13,
            "The process cannot access the file because it is being used by another process",
            str(target),
        )
        self.winerror = 32


def sharing_replace(real: Callable[[Any, Any], None]) -> Callable[[Any, Any], None]:
    calls = [0]

    def replace(source: Any, target: Any) -> None:
        calls[0] += 1
        if calls[0] % EVERY == 0:
            calls[0] += 1  # the retry goes through: the reader has let go
            raise SharingViolation(target)
        real(source, target)

    return replace


def install() -> None:
    """For a child process: no way back (it ends with the test)."""
    if hasattr(os, "O_DIRECTORY"):
        del os.O_DIRECTORY
    os.replace = sharing_replace(os.replace)  # type: ignore[assignment]


def install_from_env() -> None:
    if os.environ.get(ENV) == "1":
        install()

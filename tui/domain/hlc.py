"""A hybrid logical clock (Kulkarni et al., 2014) for ordering writes made
on laptops whose wall clocks disagree.

A stamp is a fixed-width string, "0001732800000000-0000": wall-clock
milliseconds (16 digits) then a counter (4 digits), so plain string
comparison orders stamps. The clock never goes back, even when the wall
clock does, and a stamp seen from another laptop moves it past that stamp:
a write made after seeing another always carries a later stamp.

Pure: the wall time comes from the function the clock is given.
"""

from __future__ import annotations

import re
from collections.abc import Callable

ZERO = "0000000000000000-0000"
_STAMP = re.compile(r"^\d{16}-\d{4}$")
_COUNTER_MAX = 9999


class ClockError(ValueError):
    """A stamp that is not one of ours (a hand-edited or foreign file)."""


def stamp(millis: int, counter: int) -> str:
    return f"{millis:016d}-{counter:04d}"


def parse(text: str) -> tuple[int, int]:
    """(milliseconds, counter) of a stamp; "" (never stamped) is ZERO."""
    if not text:
        return (0, 0)
    if not _STAMP.match(text):
        raise ClockError(f"not a clock stamp: {text!r}")
    millis, counter = text.split("-")
    return (int(millis), int(counter))


def _bounded(millis: int, counter: int) -> tuple[int, int]:
    # A counter past 4 digits borrows a millisecond: still later, still sortable.
    if counter > _COUNTER_MAX:
        return (millis + 1, 0)
    return (millis, counter)


class Clock:
    """One laptop's clock. `last` is the latest stamp it gave or saw; the
    store keeps it across runs so a restart never reuses a stamp."""

    def __init__(self, wall_millis: Callable[[], int], last: str = "") -> None:
        self._wall = wall_millis
        self._millis, self._counter = parse(last)

    @property
    def last(self) -> str:
        return stamp(self._millis, self._counter)

    def now(self) -> str:
        """A stamp later than every stamp this clock gave or saw."""
        wall = self._wall()
        if wall > self._millis:
            self._millis, self._counter = wall, 0
        else:
            self._millis, self._counter = _bounded(self._millis, self._counter + 1)
        return self.last

    def seen(self, remote: str) -> str:
        """Take in a stamp from another laptop; returns a stamp later than it
        and than every stamp this clock gave before."""
        r_millis, r_counter = parse(remote)
        wall = self._wall()
        top = max(self._millis, r_millis, wall)
        if top == self._millis == r_millis:
            counter = max(self._counter, r_counter) + 1
        elif top == self._millis:
            counter = self._counter + 1
        elif top == r_millis:
            counter = r_counter + 1
        else:
            counter = 0
        self._millis, self._counter = _bounded(top, counter)
        return self.last

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.domain.hlc import ZERO, Clock, ClockError, parse, stamp


class Wall:
    """A wall clock the test sets, as a laptop's clock that jumps about."""

    def __init__(self, millis: int) -> None:
        self.millis = millis

    def __call__(self) -> int:
        return self.millis


def test_a_stamp_is_fixed_width_and_sorts_as_text() -> None:
    assert stamp(1732800000000, 0) == "0001732800000000-0000"
    assert parse("0001732800000000-0007") == (1732800000000, 7)
    assert parse("") == (0, 0) and parse(ZERO) == (0, 0)
    assert stamp(999, 9999) < stamp(1000, 0) < stamp(1000, 1)


def test_a_foreign_stamp_is_refused() -> None:
    with pytest.raises(ClockError):
        parse("2024-11-28T09:00:00+08:00")


def test_now_follows_the_wall_clock_and_never_goes_back() -> None:
    wall = Wall(5_000)
    clock = Clock(wall)
    first = clock.now()
    assert first == stamp(5_000, 0)
    wall.millis = 1_000  # the laptop's clock was set back
    second = clock.now()
    assert second > first and second == stamp(5_000, 1)
    wall.millis = 9_000
    assert clock.now() == stamp(9_000, 0)


def test_seen_moves_past_a_later_remote_stamp() -> None:
    wall = Wall(1_000)
    clock = Clock(wall)
    clock.now()
    remote = stamp(50_000, 3)  # a laptop whose clock runs ahead
    assert clock.seen(remote) == stamp(50_000, 4)
    assert clock.now() == stamp(50_000, 5)
    # an older remote stamp only advances the counter
    assert clock.seen(stamp(10, 0)) == stamp(50_000, 6)


def test_a_restarted_clock_continues_from_its_last_stamp() -> None:
    clock = Clock(Wall(0), last=stamp(7_000, 2))
    assert clock.now() == stamp(7_000, 3)


def test_a_full_counter_borrows_a_millisecond() -> None:
    clock = Clock(Wall(0), last=stamp(7_000, 9999))
    assert clock.now() == stamp(7_001, 0)
    assert clock.seen(stamp(7_001, 9999)) == stamp(7_002, 0)


@settings(deadline=None, max_examples=200)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 3_000), st.integers(0, 3_000))))
def test_stamps_only_grow_and_pass_every_stamp_seen(
    steps: list[tuple[bool, int, int]],
) -> None:
    wall = Wall(0)
    clock = Clock(wall)
    last = ""
    for receive, wall_millis, remote_millis in steps:
        wall.millis = wall_millis
        if receive:
            remote = stamp(remote_millis, remote_millis % 7)
            got = clock.seen(remote)
            assert got > remote
        else:
            got = clock.now()
        assert got > last
        last = got

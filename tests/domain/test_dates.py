"""One reading of a typed day for every date field (tui.domain.calendar.parse_day)."""

from __future__ import annotations

from datetime import date

import pytest

from tui.domain.calendar import DayError, parse_day

FRIDAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2026-12-03", "2026-12-03"),
        ("2026/12/3", "2026-12-03"),
        ("2026.12.3", "2026-12-03"),
        ("2026年12月3日", "2026-12-03"),
        ("２０２６－１２－０３", "2026-12-03"),  # full-width, as a Chinese IME types
        (" 12-03 ", "2026-12-03"),
        ("12/3", "2026-12-03"),
        ("12月3日", "2026-12-03"),
        ("11-26", "2026-11-26"),  # the day before: this year's, not next year's
        ("+1", "2026-11-30"),  # Friday + 1 working day is Monday
        ("+3", "2026-12-02"),
        ("+0", "2026-11-27"),
        ("", ""),
    ],
)
def test_days_as_staff_type_them(typed: str, day: str) -> None:
    assert parse_day(typed, FRIDAY) == day


def test_month_and_day_near_the_new_year_is_next_january() -> None:
    assert parse_day("01-05", date(2026, 12, 28)) == "2027-01-05"
    assert parse_day("12-28", date(2027, 1, 5)) == "2026-12-28"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("2026-13-01", "date.no_such_day"),
        ("2026-12-32", "date.no_such_day"),
        ("2026-02-30", "date.no_such_day"),
        ("13-01", "date.no_such_day"),
        ("02-29", "date.no_such_day"),  # no leap year near 2026
        ("next week", "date.bad"),
        ("20261203", "date.bad"),
        ("+", "date.bad"),
        ("-3", "date.bad"),
    ],
)
def test_no_impossible_day_gets_through(typed: str, code: str) -> None:
    with pytest.raises(DayError) as caught:
        parse_day(typed, FRIDAY)
    assert caught.value.code == code and caught.value.params == {"text": typed}

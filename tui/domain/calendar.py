"""Working days and quarters. Weekends are not working days; public holidays
are not modelled yet."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone


def is_day(text: str) -> bool:
    """YYYY-MM-DD and a real date (not 2026-02-30, not the compact 20261127)."""
    try:
        return len(text) == 10 and text[4] == "-" and bool(date.fromisoformat(text))
    except ValueError:
        return False


def add_working_days(start: date, days: int) -> date:
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


CST = timezone(timedelta(hours=8))


def fixed_clock(day: date, at: time = time(18, 0)) -> Callable[[], datetime]:
    """A clock stopped at one moment (China Standard Time), for reproducible data."""
    moment = datetime.combine(day, at, CST)
    return lambda: moment

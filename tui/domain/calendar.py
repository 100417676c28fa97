"""Working days and quarters. Weekends are not working days; public holidays
are not modelled yet."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone

from tui.domain.errors import CodedError


def is_day(text: str) -> bool:
    """YYYY-MM-DD and a real date (not 2026-02-30, not the compact 20261127)."""
    try:
        return len(text) == 10 and text[4] == "-" and bool(date.fromisoformat(text))
    except ValueError:
        return False


class DayError(CodedError, ValueError):
    """Text that names no day; `code` is the message id, `params` its values."""


_FULL = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_MONTH_DAY = re.compile(r"(\d{1,2})[-/.月](\d{1,2})日?")
_WORKING = re.compile(r"\+(\d{1,3})")


def parse_day(text: str, base: date) -> str:
    """The one reading of a day staff type, as YYYY-MM-DD ("" for nothing).

    2026-12-03, 2026/12/3, 2026年12月3日: that day. 12-03, 12/3, 12月3日: that
    day in the year that puts it nearest `base` (late in December, 01-05 is
    next January's). +3: three working days after `base`. Full-width digits
    count. A day that does not exist (2026-13-01, 2026-02-30) raises DayError,
    never rolls over.
    """
    typed = unicodedata.normalize("NFKC", text).strip()
    if not typed:
        return ""
    if found := _WORKING.fullmatch(typed):
        return add_working_days(base, int(found.group(1))).isoformat()
    if found := _FULL.fullmatch(typed):
        year, month, day = (int(g) for g in found.groups())
        return _real(year, month, day, text).isoformat()
    if found := _MONTH_DAY.fullmatch(typed):
        month, day = (int(g) for g in found.groups())
        near = []
        for year in (base.year - 1, base.year, base.year + 1):
            try:
                near.append(date(year, month, day))
            except ValueError:
                continue
        if not near:
            raise DayError("date.no_such_day", text=text)
        return min(near, key=lambda d: abs((d - base).days)).isoformat()
    raise DayError("date.bad", text=text)


def _real(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DayError("date.no_such_day", text=text) from None


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

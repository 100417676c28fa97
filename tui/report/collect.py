"""Reports gathered from a data folder, and written into it when a session closes."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

from tui.domain.intake import RECURRING_DAYS
from tui.domain.report import ReportError, day_report, month_days, month_report
from tui.report.render import RENDERERS
from tui.report.tables import Names, Report, day_tables, month_tables
from tui.store.files import atomic_write, ensure_dir
from tui.store.layout import REPORTS
from tui.store.repository import Store

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def names_of(store: Store) -> Names:
    return Names.of(store.compounds(), store.categories(), store.staff(), store.parties())


def build_day(store: Store, day: str, *, redact: bool = False) -> Report:
    _check_day(day)
    earlier_from = (date.fromisoformat(day) - timedelta(days=RECURRING_DAYS)).isoformat()
    earlier = [v for d in store.days() if earlier_from <= d < day for v in store.visits(d)]
    cases = [*store.open_cases(), *store.closed_cases(day[:7])]
    report = day_report(
        day,
        store.today(),
        store.sessions(day) if day in store.days() else [],
        store.visits(day) if day in store.days() else [],
        store.tickets(day) if day in store.days() else [],
        cases,
        earlier,
    )
    return day_tables(report, names_of(store), redact)


def build_month(store: Store, month: str, *, redact: bool = False) -> Report:
    first, last = month_days(month)
    days = [d for d in store.days() if first <= d <= last]
    cases = [*store.open_cases(), *store.closed_cases(month)]
    report = month_report(
        month,
        store.today(),
        store.compounds(),
        [s for d in days for s in store.sessions(d)],
        [v for d in days for v in store.visits(d)],
        cases,
    )
    return month_tables(report, names_of(store), redact)


def _check_day(day: str) -> None:
    try:
        if not _DAY.match(day):
            raise ValueError(day)
        date.fromisoformat(day)
    except ValueError:
        raise ReportError("report.bad_date", value=day) from None


def write_day_reports(store: Store, day: str) -> Path:
    """Every format of the day report into reports/DAY/; returns that folder."""
    report = build_day(store, day)
    folder = store.root / REPORTS / day
    ensure_dir(folder.parent)
    ensure_dir(folder)
    for fmt, render in RENDERERS.items():
        atomic_write(folder / f"report-{day}.{fmt}", render(report))
    return folder

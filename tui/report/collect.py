"""Reports gathered from a data folder, and written into it when a session closes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

from tui.domain.calendar import is_day
from tui.domain.intake import RECURRING_DAYS
from tui.domain.report import (
    LOOKBACK_DAYS,
    ReportError,
    day_report,
    month_days,
    month_report,
)
from tui.report.render import RENDERERS
from tui.report.tables import Names, Report, day_tables, month_tables
from tui.repository.interface import Repository


def names_of(store: Repository) -> Names:
    return Names.of(store.compounds(), store.categories(), store.staff(), store.parties())


def build_day(store: Repository, day: str, *, redact: bool = False) -> Report:
    if not is_day(day):
        raise ReportError("report.bad_date", value=day)
    recorded = day in store.days()
    report = day_report(
        day,
        store.today(),
        store.sessions(day) if recorded else [],
        store.visits(day) if recorded else [],
        store.tickets(day) if recorded else [],
        [*store.open_cases(), *store.closed_cases(day[:7])],
        store.visits_before(day, RECURRING_DAYS),
    )
    return day_tables(report, names_of(store), redact)


def last_outings(
    store: Repository, before: str, compounds: Iterable[str], lookback: int = LOOKBACK_DAYS
) -> dict[str, str]:
    """Compound id to the day of its last session before `before`, looking
    back `lookback` days at most: newest day files first, stopping once every
    one of `compounds` was found (5 years of history are not read for this)."""
    wanted = set(compounds)
    since = (date.fromisoformat(before) - timedelta(days=lookback)).isoformat()
    found: dict[str, str] = {}
    for day in reversed(store.days()):
        if day >= before:
            continue
        if day < since or wanted <= found.keys():
            break
        for session in store.sessions(day):
            found.setdefault(session.compound, day)
    return found


def build_month(store: Repository, month: str, *, redact: bool = False) -> Report:
    first, last = month_days(month)
    days = [d for d in store.days() if first <= d <= last]
    cases = [*store.open_cases(), *store.closed_cases(month)]
    compounds = store.compounds()
    earlier = last_outings(store, first, [c.id for c in compounds if c.active])
    report = month_report(
        month,
        store.today(),
        compounds,
        [s for d in days for s in store.sessions(d)],
        [v for d in days for v in store.visits(d)],
        cases,
        earlier,
    )
    return month_tables(report, names_of(store), redact)


def write_reports(
    store: Repository, report: Report, folder: str, stem: str, formats: Iterable[str] = RENDERERS
) -> Path:
    """The report in each format as reports/FOLDER/STEM.FORMAT (private files,
    written atomically); returns that folder. Every format is rendered before
    any is written: one that fails leaves no half set of files."""
    payloads = {f"{stem}.{fmt}": RENDERERS[fmt](report) for fmt in formats}
    return store.write_reports(folder, payloads)


def write_day_reports(store: Repository, day: str) -> Path:
    """Every format of the day report into reports/DAY/."""
    return write_reports(store, build_day(store, day), day, f"report-{day}")

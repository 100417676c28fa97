"""Reports gathered from a data folder, and written into it when a session closes.

A day's report (`fielddesk report --date`) holds every session of the day,
each also on its own row (tables.day_tables): after laptops' folders were
merged, another team's session at another compound may be among them. The
hand-over report written when a session closes (F5) is that session's: its
compound's sessions, visits, tickets and cases that day, never another
compound's."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

from tui.domain.calendar import is_day
from tui.domain.intake import RECURRING_DAYS
from tui.domain.queue import queue_at, visits_at
from tui.domain.records import ServiceSession
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


def build_session(store: Repository, session: ServiceSession, *, redact: bool = False) -> Report:
    """The hand-over report of `session`: its day at its compound only (the
    sessions there, their visits and those whose session is not known, their
    tickets and cases: queue.visits_at, queue.queue_at)."""
    day, compound = session.day, session.compound
    sessions, visits = store.sessions(day), store.visits(day)
    report = day_report(
        day,
        store.today(),
        [s for s in sessions if s.compound == compound] or [session],
        visits_at(visits, sessions, compound),
        queue_at(store.tickets(day), visits, sessions, compound),
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


def write_session_reports(store: Repository, session: ServiceSession) -> Path:
    """Every format of the session's hand-over report (build_session) into
    reports/DAY/: report-DAY.* while the day's sessions are all at its
    compound (the usual day), else report-DAY-COMPOUND.*, one set per
    compound, so one team's report never overwrites another's."""
    day = session.day
    stem = f"report-{day}"
    if {s.compound for s in store.sessions(day)} - {session.compound}:
        stem += "-" + _file_part(store.compound_name(session.compound), session.compound)
    return write_reports(store, build_session(store, session), day, stem)


def _file_part(name: str, fallback: str) -> str:
    """A compound's name as part of a file name: letters (Chinese ones too)
    and digits kept, anything else (a slash, a space, a control character)
    made "_"; its id when nothing is left."""
    kept = "".join(c if c.isalnum() or c == "-" else "_" for c in name.strip())[:40].strip("_")
    return kept or fallback[:8]

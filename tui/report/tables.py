"""Reports as a list of tables, the one layout every format is written from:
Markdown sections, CSV blocks, Excel sheets, JSON objects.

Redaction happens here, once, for every format: resident names masked
(吴**), phone numbers cut to their last four digits, and the same taken out
of free text (tui/domain/redact.py finds them however they were typed)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from tui.domain.cases import is_overdue
from tui.domain.phone import display_phone
from tui.domain.queue import LetterFigures, mask_name
from tui.domain.records import Case, Category, Compound, OutsideParty, StaffMember, Visit
from tui.domain.redact import last_four, redact_text
from tui.domain.report import NOT_VISITED_DAYS, SESSIONS_TARGET, DayReport, MonthReport
from tui.domain.review import glance
from tui.i18n import language, t

Cell = str | int | float


@dataclass
class Table:
    id: str  # summary, visits, owner-1 …: stable keys for JSON and sheet order
    title: str
    columns: list[str]  # column keys
    headers: list[str]  # what a reader sees
    rows: list[list[Cell]] = field(default_factory=list)
    sheet: str = ""  # the Excel sheet's name, when not the title


@dataclass
class Report:
    kind: str  # day | month
    period: str  # YYYY-MM-DD or YYYY-MM
    title: str
    tables: list[Table]


@dataclass(frozen=True)
class Names:
    """Ids to the names a reader knows."""

    compounds: dict[str, str]
    categories: dict[str, str]
    people: dict[str, str]  # staff and outside parties

    @classmethod
    def of(
        cls,
        compounds: Sequence[Compound],
        categories: Sequence[Category],
        staff: Sequence[StaffMember],
        parties: Sequence[OutsideParty],
    ) -> Names:
        zh = language() == "zh"
        return cls(
            compounds={c.id: c.name for c in compounds},
            categories={c.code: c.name_zh if zh else c.name_en for c in categories},
            people={**{s.id: s.name for s in staff}, **{p.id: p.name for p in parties}},
        )


class Privacy:
    def __init__(self, redact: bool) -> None:
        self.redact = redact

    def name(self, name: str) -> str:
        return mask_name(name) if self.redact else name

    def phone(self, e164: str) -> str:
        if not e164:
            return ""
        return last_four(e164) if self.redact else display_phone(e164)

    def text(self, text: str, name: str = "") -> str:
        """Free text with the resident's name and any phone number taken out."""
        return redact_text(text, name) if self.redact else text


def _minutes(value: float | None) -> Cell:
    return round(value, 1) if value is not None else "—"


def _table(table_id: str, title: str, columns: Sequence[str]) -> Table:
    return Table(table_id, title, list(columns), [t(f"report.col.{c}") for c in columns])


def _letters(figures: Sequence[LetterFigures], total: LetterFigures) -> Table:
    table = _table(
        "queue", t("report.queue"), ("letter", "issued", "served", "no_shows", "median", "longest")
    )
    for row in (*figures, total):
        table.rows.append(
            [
                row.letter or t("report.all"),
                row.issued,
                row.served,
                row.no_shows,
                _minutes(row.median_wait),
                _minutes(row.longest_wait),
            ]
        )
    return table


def _sessions(report: DayReport, names: Names) -> Table:
    """A day of several sessions (two compounds in one day, or another team's
    session merged in from its laptop): each on its own row with its own
    figures, its visits and their tickets; visits whose session is not known
    on a row of their own. The summary above adds them all up."""
    table = _table(
        "sessions",
        t("report.by_session"),
        (
            "compound",
            "on_duty",
            "session",
            "visits",
            "handled",
            "logged",
            "undecided",
            "issued",
            "served",
            "no_shows",
        ),
    )
    groups: list[tuple[str, str, str, list[Visit]]] = [
        (
            names.compounds.get(s.compound, s.compound),
            "、".join(dict.fromkeys(names.people.get(p, p) for p in s.staff)),
            t(f"session.status.{s.status}"),
            [v for v in report.visits if v.session == s.id],
        )
        for s in sorted(report.sessions, key=lambda s: s.opened_at)
    ]
    known = {s.id for s in report.sessions}
    loose = [v for v in report.visits if v.session not in known]
    if loose:
        groups.append((t("report.no_session"), "", "", loose))
    for place, on_duty, status, visits in groups:
        tickets = [report.tickets[v.ticket] for v in visits if v.ticket in report.tickets]
        day = glance(report.day, visits, tickets, ())
        table.rows.append(
            [
                place,
                on_duty or "—",
                status or "—",
                day.visits,
                day.handled,
                day.logged,
                day.undecided,
                day.queue.issued,
                day.queue.served,
                day.queue.no_shows,
            ]
        )
    return table


def _address(visit: Visit) -> str:
    return "-".join(part for part in (visit.building, visit.unit, visit.room) if part)


def day_tables(report: DayReport, names: Names, redact: bool = False) -> Report:
    privacy = Privacy(redact)
    glance = report.glance
    places = "、".join(names.compounds.get(s.compound, s.compound) for s in report.sessions)
    on_duty = "、".join(
        dict.fromkeys(names.people.get(p, p) for s in report.sessions for p in s.staff)
    )
    status = "、".join(t(f"session.status.{s.status}") for s in report.sessions) or "—"
    overrides = " / ".join(s.close_override for s in report.sessions if s.close_override)
    summary = _table("summary", t("report.summary"), ("item", "value"))
    summary.rows = [
        [t("report.day"), report.day],
        [t("report.compound"), places or "—"],
        [t("report.on_duty"), on_duty or "—"],
        [t("report.session_status"), status],
        [t("report.visits"), glance.visits],
        [t("report.handled"), glance.handled],
        [t("report.logged"), glance.logged],
        [t("report.undecided"), glance.undecided],
        [t("report.issued"), glance.queue.issued],
        [t("report.served"), glance.queue.served],
        [t("report.no_shows"), glance.queue.no_shows],
        [t("report.median_wait"), _minutes(glance.queue.median_wait)],
        [t("report.longest_wait"), _minutes(glance.queue.longest_wait)],
        [t("report.checks_failing"), len(report.checks)],
    ]
    if overrides:
        summary.rows.append([t("report.close_override"), overrides])
    tables = [summary]
    if len(report.sessions) > 1:
        tables.append(_sessions(report, names))
    categories = _table(
        "categories", t("report.by_category"), ("category", "visits", "handled", "logged")
    )
    categories.rows = [
        [names.categories.get(c.code, c.code or "—"), c.visits, c.handled, c.logged]
        for c in glance.by_category
    ]
    tables += [categories, _letters(glance.letters, glance.queue)]
    if glance.recurring:
        recurring = _table(
            "recurring", t("report.recurring"), ("compound", "category", "today", "before")
        )
        recurring.rows = [
            [
                names.compounds.get(r.compound, r.compound),
                names.categories.get(r.category, r.category),
                r.today,
                r.before,
            ]
            for r in glance.recurring
        ]
        tables.append(recurring)
    if report.checks:
        checks = _table("checks", t("report.checks"), ("problem", "who"))
        checks.rows = [[t(item.code), privacy.name(item.label)] for item in report.checks]
        tables.append(checks)
    visits = _table(
        "visits",
        t("report.visit_list"),
        (
            "time",
            "ticket",
            "name",
            "phone",
            "compound",
            "address",
            "category",
            "request",
            "decision",
            "outcome",
            "owner",
            "due",
        ),
    )
    for visit in report.visits:
        ticket = report.tickets.get(visit.ticket)
        case = report.cases.get(visit.case)
        visits.rows.append(
            [
                visit.created_at[11:16],
                ticket.number if ticket else "",
                privacy.name(visit.name),
                privacy.phone(visit.phone),
                names.compounds.get(visit.compound, ""),
                _address(visit),
                names.categories.get(visit.category, visit.category),
                privacy.text(visit.description, visit.name),
                t(f"report.decision.{visit.status}"),
                privacy.text(visit.outcome, visit.name),
                names.people.get(case.owner, "") if case else "",
                case.due if case else "",
            ]
        )
    tables.append(visits)
    for number, group in enumerate(report.groups, 1):
        owner = names.people.get(group.owner, "") or t("report.no_owner")
        table = _table(
            f"owner-{number}",
            t("report.owner_cases", owner=owner),
            (
                "name",
                "phone",
                "compound",
                "category",
                "summary",
                "status",
                "due",
                "reply_via",
                "chaser",
                "overdue",
            ),
        )
        table.rows = [_case_row(case, names, privacy, report.today) for case in group.cases]
        table.sheet = owner  # each body gets a sheet under its own name
        tables.append(table)
    return Report("day", report.day, t("report.day_title", day=report.day), tables)


def _case_row(case: Case, names: Names, privacy: Privacy, today: str) -> list[Cell]:
    return [
        privacy.name(case.name),
        privacy.phone(case.phone),
        names.compounds.get(case.compound, ""),
        names.categories.get(case.category, case.category),
        privacy.text(case.summary, case.name),
        t(f"case.status.{case.status}"),
        case.due,
        t(f"reply.{case.reply_via}"),
        names.people.get(case.chaser, ""),
        t("report.yes") if is_overdue(case, today) else "",
    ]


def _target(held: int) -> str:
    """Outings in the month against the community's target (3 a month)."""
    if held >= SESSIONS_TARGET:
        return t("report.target_met", held=held, target=SESSIONS_TARGET)
    return t(
        "report.target_short", held=held, target=SESSIONS_TARGET, missing=SESSIONS_TARGET - held
    )


def month_tables(report: MonthReport, names: Names, redact: bool = False) -> Report:
    privacy = Privacy(redact)
    share = report.handled_share
    summary = _table("summary", t("report.summary"), ("item", "value"))
    summary.rows = [
        [t("report.month"), report.month],
        [t("report.sessions"), report.sessions],
        [t("report.visits"), report.visits],
        [t("report.handled"), report.handled],
        [t("report.logged"), report.logged],
        [t("report.undecided"), report.undecided],
        [t("report.handled_share"), f"{share:.0%}" if share is not None else "—"],
        [t("report.closed"), report.closed],
        [t("report.median_close"), _minutes(report.median_days_to_close)],
        [t("report.overdue"), len(report.overdue)],
        [t("report.target"), _target(report.sessions)],
        [t("report.long_unvisited", days=NOT_VISITED_DAYS), len(report.long_unvisited)],
    ]
    compounds = _table(
        "compounds",
        t("report.sessions_by_compound"),
        ("compound", "sessions", "days", "last", "since", "note"),
    )
    for held in report.compounds:
        note = ""
        if held.since is None:
            note = t("report.no_outing")
        elif held.long_unvisited:
            note = t("report.over_days", days=NOT_VISITED_DAYS)
        compounds.rows.append(
            [
                names.compounds.get(held.compound, held.compound),
                held.sessions,
                "、".join(d[5:] for d in held.days),
                held.last if held.since is not None else "",
                held.since if held.since is not None else "",
                note,
            ]
        )
    categories = _table("categories", t("report.by_category"), ("category", "visits", "handled"))
    categories.rows = [
        [names.categories.get(code, code or "—"), n, h] for code, n, h in report.by_category
    ]
    overdue = _table(
        "overdue",
        t("report.overdue_cases"),
        ("day", "name", "compound", "category", "owner", "due", "status"),
    )
    overdue.rows = [
        [
            case.day,
            privacy.name(case.name),
            names.compounds.get(case.compound, ""),
            names.categories.get(case.category, case.category),
            names.people.get(case.owner, ""),
            case.due,
            t(f"case.status.{case.status}"),
        ]
        for case in report.overdue
    ]
    return Report(
        "month",
        report.month,
        t("report.month_title", month=report.month),
        [summary, compounds, categories, overdue],
    )

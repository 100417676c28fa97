"""The end-of-day review: the day at a glance, and the checklist that must
pass before a session closes — every logged case owned, dated and reachable,
every visit with a category and a decision, no ticket left at a desk."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from tui.domain.intake import RECURRING_DAYS
from tui.domain.queue import ACTIVE, LetterFigures, day_figures, letter_figures
from tui.domain.records import Case, ServiceSession, Ticket, Visit
from tui.domain.states import ReplyChannel, VisitStatus

# Checklist codes, in the order the list shows them; each is a catalogue id.
NO_CATEGORY = "review.check.no_category"
UNDECIDED = "review.check.undecided"
NO_OWNER = "review.check.no_owner"
NO_DUE = "review.check.no_due"
NO_CONTACT = "review.check.no_contact"
AT_DESK = "review.check.at_desk"
CHECK_ORDER = (NO_CATEGORY, UNDECIDED, NO_OWNER, NO_DUE, NO_CONTACT, AT_DESK)


@dataclass(frozen=True)
class CheckItem:
    code: str
    kind: str  # what to open to fix it: visit | case | ticket
    target: str  # that record's id
    label: str  # the resident's name, or the ticket number and name


@dataclass(frozen=True)
class CategoryCount:
    code: str
    visits: int
    handled: int
    logged: int


@dataclass(frozen=True)
class Recurring:
    compound: str
    category: str
    today: int  # visits about it today
    before: int  # visits about it in the RECURRING_DAYS before today


@dataclass(frozen=True)
class DayGlance:
    day: str
    visits: int
    handled: int
    logged: int
    undecided: int
    by_category: tuple[CategoryCount, ...]
    queue: LetterFigures  # the whole day (letter "")
    letters: tuple[LetterFigures, ...]
    recurring: tuple[Recurring, ...]


def session_visits(visits: Iterable[Visit], session: ServiceSession) -> list[Visit]:
    """The session's visits; visits saved before any session was open that day count too."""
    return [v for v in visits if v.day == session.day and v.session in (session.id, "")]


def session_tickets(tickets: Iterable[Ticket], visits: Sequence[Visit]) -> list[Ticket]:
    ids = {v.ticket for v in visits if v.ticket}
    return [t for t in tickets if t.id in ids]


def reachable(case: Case, visit: Visit | None) -> bool:
    """A way to tell the resident the outcome, by the channel promised."""
    if case.reply_via == ReplyChannel.HOME_VISIT:
        return bool(visit and visit.building and visit.room) or bool(case.phone)
    if case.reply_via == ReplyChannel.NEXT_SESSION:
        return bool(case.compound)
    return bool(case.phone)


def checklist(
    visits: Sequence[Visit], tickets: Sequence[Ticket], open_cases: Mapping[str, Case]
) -> list[CheckItem]:
    """What must be fixed before the session closes, in CHECK_ORDER.
    A logged visit whose case is not among the open ones has been closed since."""
    items: list[CheckItem] = []
    for visit in visits:
        if not visit.category:
            items.append(CheckItem(NO_CATEGORY, "visit", visit.id, visit.name))
        if visit.status == VisitStatus.OPEN:
            items.append(CheckItem(UNDECIDED, "visit", visit.id, visit.name))
        case = open_cases.get(visit.case) if visit.case else None
        if case is None:
            continue
        if not case.owner:
            items.append(CheckItem(NO_OWNER, "case", case.id, visit.name))
        if not case.due:
            items.append(CheckItem(NO_DUE, "case", case.id, visit.name))
        if not reachable(case, visit):
            items.append(CheckItem(NO_CONTACT, "case", case.id, visit.name))
    names = {v.ticket: v.name for v in visits if v.ticket}
    for ticket in sorted(tickets, key=lambda t: t.number):
        if ticket.status in ACTIVE:
            label = f"{ticket.number} {names.get(ticket.id, '')}".strip()
            items.append(CheckItem(AT_DESK, "ticket", ticket.id, label))
    return sorted(items, key=lambda item: CHECK_ORDER.index(item.code))


def recurring_today(
    visits: Sequence[Visit], earlier: Iterable[Visit], day: str, window: int = RECURRING_DAYS
) -> list[Recurring]:
    """Problems raised today at a compound that were raised there before, in
    the window before today; most frequent first. (Many residents with one
    problem on one day is the day's mix, not a recurrence.)"""
    since = (date.fromisoformat(day) - timedelta(days=window)).isoformat()
    today: dict[tuple[str, str], int] = {}
    for visit in visits:
        if visit.compound and visit.category:
            key = (visit.compound, visit.category)
            today[key] = today.get(key, 0) + 1
    before: dict[tuple[str, str], int] = {}
    for visit in earlier:
        key = (visit.compound, visit.category)
        if key in today and since <= visit.day < day:
            before[key] = before.get(key, 0) + 1
    found = [
        Recurring(compound, category, count, before.get((compound, category), 0))
        for (compound, category), count in today.items()
        if before.get((compound, category), 0)
    ]
    return sorted(found, key=lambda r: (-(r.today + r.before), r.category, r.compound))


def glance(
    day: str, visits: Sequence[Visit], tickets: Sequence[Ticket], earlier: Iterable[Visit]
) -> DayGlance:
    by_code: dict[str, list[Visit]] = {}
    for visit in visits:
        by_code.setdefault(visit.category, []).append(visit)
    categories = tuple(
        CategoryCount(
            code,
            len(group),
            sum(v.status == VisitStatus.HANDLED for v in group),
            sum(v.status == VisitStatus.LOGGED for v in group),
        )
        for code, group in sorted(by_code.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    )
    return DayGlance(
        day=day,
        visits=len(visits),
        handled=sum(v.status == VisitStatus.HANDLED for v in visits),
        logged=sum(v.status == VisitStatus.LOGGED for v in visits),
        undecided=sum(v.status == VisitStatus.OPEN for v in visits),
        by_category=categories,
        queue=letter_figures("", tickets),
        letters=tuple(day_figures(tickets)),
        recurring=tuple(recurring_today(visits, earlier, day)),
    )

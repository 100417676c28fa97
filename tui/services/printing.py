"""The printed documents from the repository's records, and printing them
on this laptop's receipt printer (the `printer` setting).

The app prints in a worker thread after a save (never before, never in its
way); `fielddesk print` (tui/print_cli.py) prints from the command line or
writes a PDF or an HTML page.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from tui.domain.printer import NONE, PrintError, PrinterTarget, parse_printer
from tui.domain.queue import call_order, queue_at
from tui.domain.records import Case, Ticket
from tui.domain.settings import SettingError
from tui.domain.states import OwnerKind
from tui.printing.documents import Document, card, receipt, slip
from tui.repository.interface import Repository

FORMATS = ("escpos", "pdf", "html")


# -- the documents ------------------------------------------------------------


def slip_document(repo: Repository, ticket: Ticket) -> Document:
    """The ticket's slip: its request, the waiting tickets ahead of it in its
    compound's queue (a count: no one else's number, name or request), the
    desk's compound and the office's phone."""
    visits = repo.visits(ticket.day)
    visit = next((v for v in visits if v.id == ticket.visit), None)
    sessions = repo.sessions(ticket.day)
    session = next((s for s in sessions if visit is not None and s.id == visit.session), None)
    compound = session.compound if session else (visit.compound if visit else "")
    queue = queue_at(repo.tickets(ticket.day), visits, sessions, compound)
    order = [t.id for t in call_order(queue)]
    ahead = order.index(ticket.id) if ticket.id in order else 0
    code = visit.category if visit else ""
    category = next((c for c in repo.categories() if c.code == code), None)
    return slip(
        ticket,
        category=category,
        category_code=code,
        ahead=ahead,
        compound=repo.compound_name(compound, ""),
        community=repo.community(),
    )


def receipt_document(repo: Repository, case: Case) -> Document:
    staff = {s.id: s for s in repo.staff()}
    names = {s.id: s.name for s in staff.values()}
    if case.owner_kind == OwnerKind.PARTY:
        names.update({p.id: p.name for p in repo.parties()})
    compound = next((c for c in repo.compounds() if c.id == case.compound), None)
    grid_worker = staff.get(compound.grid_worker) if compound and compound.grid_worker else None
    category = next((c for c in repo.categories() if c.code == case.category), None)
    return receipt(
        case,
        category=category,
        owner=names.get(case.owner, ""),
        chaser=names.get(case.chaser, "") if case.chaser else "",
        grid_worker=grid_worker,
        compound=compound.name if compound else "",
        next_session=_next_outing(repo, case.compound),
        community=repo.community(),
    )


def card_document(repo: Repository) -> Document:
    return card(repo.community(), repo.staff(), repo.compounds())


def _next_outing(repo: Repository, compound: str) -> str:
    """The day of the next desk planned at `compound` after today, this month
    or next ("" if none is planned)."""
    if not compound:
        return ""
    today = repo.today()
    first = date.fromisoformat(today).replace(day=1)
    months = (first.isoformat()[:7], (first + timedelta(days=32)).isoformat()[:7])
    days = sorted(o.day for month in months for o in repo.outings(month) if o.compound == compound)
    return next((d for d in days if d > today), "")


# -- finding what to print --------------------------------------------------------


def find_ticket(repo: Repository, wanted: str, day: str) -> Ticket:
    """A ticket of `day` by its number (A012, a012) or its id. A number given
    out twice that day (two compounds' queues) is refused: give the id."""
    text = wanted.strip()
    tickets = repo.tickets(day)
    by_id = [t for t in tickets if t.id == text]
    if by_id:
        return by_id[0]
    found = [t for t in tickets if t.number.upper() == text.upper()]
    if len(found) == 1:
        return found[0]
    if found:
        raise PrintError("print.ticket_twice", number=text, day=day)
    raise PrintError("print.no_ticket", number=text, day=day)


def find_case(repo: Repository, wanted: str) -> Case:
    """A case, open or closed, by its id or its number (case_number: the id's
    first characters, at least six). An open case is found before a closed
    one; a prefix two open cases (or, none open matching, two closed) share
    is refused."""
    text = wanted.strip().replace("-", "").upper()
    if len(text) < 6:
        raise PrintError("print.no_case", number=wanted.strip())

    def matching(cases: Iterable[Case]) -> list[Case]:
        return [c for c in cases if c.id.replace("-", "").upper().startswith(text)]

    # The open cases first: a receipt just logged is there, and the archive's
    # months are read only when it is not.
    found = matching(repo.open_cases())
    if not found:
        for month in repo.archive_months():
            found += matching(repo.closed_cases(month))
    if len(found) == 1:
        return found[0]
    if found:
        raise PrintError("print.case_twice", number=wanted.strip())
    raise PrintError("print.no_case", number=wanted.strip())


# -- the printer ------------------------------------------------------------------


def configured_printer(repo: Repository) -> PrinterTarget:
    """The laptop's printer; NONE when none is set. A setting that does not
    read (settings.json edited by hand) is said as such."""
    value = repo.settings().get("printer")
    if not value:
        return NONE
    try:
        return parse_printer(str(value))
    except SettingError as err:
        raise PrintError("print.bad_setting", **err.params) from None


def print_document(target: PrinterTarget, document: Document, printer: Any = None) -> None:
    """Render for a receipt printer and send; PrintError says why not.
    `printer`: a python-escpos printer object to use instead (tests)."""
    from tui.printing.connect import send
    from tui.printing.escpos import to_escpos

    if target.kind == "none" and printer is None:
        raise PrintError("print.no_printer")
    send(target, to_escpos(document), printer)


def render(document: Document, form: str) -> bytes:
    """The document's bytes as escpos, pdf or html."""
    if form == "pdf":
        from tui.printing.pdf import to_pdf

        return to_pdf(document)
    if form == "html":
        from tui.printing.html import to_html

        return to_html(document)
    from tui.printing.escpos import to_escpos

    return to_escpos(document)

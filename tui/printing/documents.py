"""What each printed document says, line by line, from the records and in
the user's language (tui.i18n). The renderers (escpos.py, pdf.py, html.py)
decide how a line looks on their paper; every field's text passes through
`printable` here, once.

- the ticket slip (排队小票): goes into the resident's hand, so it carries
  nothing about anyone: the number, the request, how many wait ahead (a
  count), the time, the place and the office's phone;
- the case receipt (登记回执): a request logged for later, who owns it, by
  when, how the resident will be told, and whom to ask meanwhile;
- the contact card (社区连心卡): the party secretary, the office's phone and
  each grid worker with a phone and the compounds they cover.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tui.domain.phone import display_phone
from tui.domain.records import Case, Category, Community, Compound, StaffMember, Ticket
from tui.domain.states import ReplyChannel, StaffRole
from tui.i18n import language, t
from tui.printing.text import printable

# Line styles; each renderer knows them all.
TITLE = "title"  # the community's name, centred
HEADING = "heading"  # the document's name, or a section's, centred and bold
NUMBER = "number"  # the ticket number, as large as the printer draws
FIELD = "field"  # "label: text"
ENTRY = "entry"  # a person: name (the label) and phone (the text), bold
DETAIL = "detail"  # indented under an entry
NOTE = "note"  # a smaller sentence at the end
RULE = "rule"  # a separating line


@dataclass(frozen=True)
class Line:
    style: str
    text: str = ""
    label: str = ""


@dataclass(frozen=True)
class Document:
    kind: str  # slip, receipt, card
    name: str  # the document's name, for messages and the PDF's title
    lines: tuple[Line, ...]
    lang: str = "en"  # zh or en: the HTML page's language

    def text_lines(self) -> list[str]:
        """The document as plain lines, as a receipt printer prints it."""
        return [line_text(line) for line in self.lines]


def line_text(line: Line) -> str:
    if line.style == RULE:
        return "-" * 32
    if line.style == FIELD:
        return t("print.field", label=line.label, text=line.text)
    if line.style == ENTRY:
        return f"{line.label}  {line.text}".rstrip()
    if line.style == DETAIL:
        return f"  {line.text}"
    return line.text


def case_number(case: Case) -> str:
    """The number a case is known by on paper and at `fielddesk print receipt`:
    the first eight characters of its id, in capitals (unique in practice;
    the command refuses a prefix two cases share)."""
    return case.id.replace("-", "")[:8].upper()


def category_name(category: Category | None, code: str = "") -> str:
    if category is None:
        return printable(code)
    return printable(category.name_zh if language() == "zh" else category.name_en)


def _phone(e164: str) -> str:
    return printable(display_phone(e164)) if e164 else "-"


def _field(label_id: str, text: str) -> Line:
    return Line(FIELD, text or "-", t(label_id))


def _top(community: Community | None, heading: str) -> list[Line]:
    name = printable(community.name) if community else ""
    lines = [Line(TITLE, name)] if name else []
    return [*lines, Line(HEADING, heading), Line(RULE)]


def _office(community: Community | None) -> Line:
    return _field("print.office_phone", _phone(community.phone) if community else "")


def slip(
    ticket: Ticket,
    *,
    category: Category | None,
    category_code: str,
    ahead: int,
    compound: str,
    community: Community | None,
) -> Document:
    """The slip handed over with a ticket. `ahead`: the waiting tickets to be
    called before it; `compound`: where the desk is."""
    issued = ticket.issued_at or ticket.created_at
    when = f"{issued[:10]} {issued[11:16]}".strip()
    lines = [
        *_top(community, t("print.slip.title")),
        Line(NUMBER, printable(ticket.number)),
        _field("print.slip.request", category_name(category, category_code)),
        _field("print.slip.ahead", t("print.slip.ahead_count", count=ahead)),
        _field("print.slip.time", when),
        _field("print.slip.place", printable(compound)),
        _office(community),
        Line(RULE),
        Line(NOTE, t("print.slip.note")),
    ]
    return Document(
        "slip", t("print.slip.name", number=printable(ticket.number)), tuple(lines), language()
    )


def receipt(
    case: Case,
    *,
    category: Category | None,
    owner: str,
    chaser: str,
    grid_worker: StaffMember | None,
    compound: str,
    next_session: str,
    community: Community | None,
) -> Document:
    """The receipt for a request logged for later. `owner`/`chaser`: names;
    `next_session`: the day of the next desk planned at the resident's
    compound ("" if none is planned), for a reply at the next session."""
    asked = category_name(category, case.category)
    summary = printable(case.summary, multiline=True)
    channel = t(f"reply.{case.reply_via}")
    due = case.due or "-"
    if case.reply_via == ReplyChannel.NEXT_SESSION and next_session:
        told = t("print.receipt.told_session", how=channel, day=next_session)
    else:
        told = t("print.receipt.told_by", how=channel, day=due)
    lines = [
        *_top(community, t("print.receipt.title")),
        _field("print.receipt.number", case_number(case)),
        _field("print.receipt.day", case.day),
        _field("print.receipt.asked", asked),
    ]
    lines += [Line(DETAIL, part) for part in summary.split("\n") if part.strip()]
    if compound:
        lines.append(_field("print.receipt.compound", printable(compound)))
    lines.append(_field("print.receipt.owner", printable(owner)))
    if chaser and chaser != owner:
        lines.append(_field("print.receipt.chaser", printable(chaser)))
    lines += [
        _field("print.receipt.due", due),
        _field("print.receipt.told", told),
        Line(RULE),
    ]
    if grid_worker is not None:
        lines.append(Line(HEADING, t("print.receipt.ask")))
        lines.append(Line(ENTRY, _phone(grid_worker.phone), printable(grid_worker.name)))
    lines += [_office(community), Line(RULE), Line(NOTE, t("print.receipt.note"))]
    name = t("print.receipt.name", number=case_number(case))
    return Document("receipt", name, tuple(lines), language())


def card(
    community: Community | None,
    staff: Sequence[StaffMember],
    compounds: Sequence[Compound],
) -> Document:
    """The contact card: the party secretary, the office's phone, and each grid
    worker (by role, or named by a compound) with the compounds they cover."""
    lines = _top(community, t("print.card.title"))
    if community is not None and community.secretary:
        lines.append(
            Line(
                FIELD,
                f"{printable(community.secretary)}  {_phone(community.secretary_phone)}",
                t("print.card.secretary"),
            )
        )
    lines.append(_office(community))
    workers = grid_workers(staff, compounds)
    if workers:
        lines += [Line(RULE), Line(HEADING, t("print.card.grid_workers"))]
    for worker, covered in workers:
        lines.append(Line(ENTRY, _phone(worker.phone), printable(worker.name)))
        if covered:
            lines.append(Line(DETAIL, t("print.card.covers", compounds=covered)))
    lines += [Line(RULE), Line(NOTE, t("print.card.note"))]
    return Document("card", t("print.card.name"), tuple(lines), language())


def grid_workers(
    staff: Iterable[StaffMember], compounds: Sequence[Compound]
) -> list[tuple[StaffMember, str]]:
    """Each active grid worker with the names of the active compounds they
    cover (Compound.grid_worker, and the member's own list), in the order of
    the staff list."""
    active = [c for c in compounds if c.active]
    workers = []
    for member in staff:
        if not member.active:
            continue
        covered = [c for c in active if c.grid_worker == member.id or c.id in member.compounds]
        if member.role != StaffRole.GRID_WORKER and not covered:
            continue
        names = t("print.list_sep").join(printable(c.name) for c in covered)
        workers.append((member, names))
    return workers

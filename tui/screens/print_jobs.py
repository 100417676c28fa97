"""Printing from the app: a screen asks for a document (PrintWanted, posted
to the app once its save is done) and the app prints it in a worker thread
(FieldDeskApp.print_in_background), so a slow or broken printer never holds
up a save or a key. What comes of it is one line: nothing when an automatic
print worked, a toast saying the record is saved and how to print it again
when it did not."""

from __future__ import annotations

from textual.message import Message

from tui.domain.errors import CodedError
from tui.domain.printer import PrintError
from tui.i18n import t
from tui.messages import describe_error
from tui.repository.interface import Repository

SLIP = "slip"
RECEIPT = "receipt"


class PrintWanted(Message):
    """Print a ticket's slip (SLIP, the ticket's id) or a case's receipt
    (RECEIPT, the case's id). `reprint`: asked for with a key, so the result
    is said either way, and a laptop without a printer is told so."""

    def __init__(self, kind: str, record_id: str, *, reprint: bool = False) -> None:
        super().__init__()
        self.kind = kind
        self.record_id = record_id
        self.reprint = reprint


def print_now(repo: Repository, wanted: PrintWanted) -> tuple[str, bool] | None:
    """Print what `wanted` names on the laptop's printer (in a worker thread).
    Returns what to tell staff, and whether it is an error; None: nothing."""
    from tui.services import printing

    name = ""
    number = ""
    try:
        target = printing.configured_printer(repo)
        if target.kind == "none" and not wanted.reprint:
            return None  # no receipt printer at this desk: nothing to print on
        if wanted.kind == SLIP:
            ticket = next((x for x in repo.tickets(repo.today()) if x.id == wanted.record_id), None)
            if ticket is None:
                raise PrintError("print.no_ticket", number=wanted.record_id, day=repo.today())
            number = ticket.number
            document = printing.slip_document(repo, ticket)
        else:
            document = printing.receipt_document(repo, printing.find_case(repo, wanted.record_id))
        name = document.name
        printing.print_document(target, document)
    except (CodedError, OSError) as err:  # the printer's, or the records' (a file gone)
        reason = describe_error(err) if isinstance(err, CodedError) else str(err)
        if wanted.reprint:
            return t("print.reprint_failed", name=name or wanted.kind, reason=reason), True
        if wanted.kind == SLIP:
            return t("print.slip_failed", number=number, reason=reason), True
        return t("print.receipt_failed", reason=reason), True
    return (t("print.sent", name=name), False) if wanted.reprint else None

"""A ticket still at a desk when the day is reviewed: finish it as served,
cancelled (the resident left) or a no-show (after its recalls), from
whichever desk reviews the day."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.domain.errors import CodedError
from tui.domain.queue import TRANSITIONS, refusal
from tui.domain.records import Ticket
from tui.domain.states import QueueAction, TicketStatus
from tui.i18n import t
from tui.messages import describe_error
from tui.repository.interface import Repository
from tui.screens.keys import translate_bindings
from tui.services.queue_desk import QueueDesk
from widgets.plain import plain


class TicketEndScreen(ModalScreen[bool]):
    """Dismisses True once the ticket is finished."""

    BINDINGS = [
        Binding("d", "finish('done')", "key.done", id="ticket-end-done"),
        Binding("c", "cancel", "key.cancel_ticket", id="ticket-end-cancel"),
        Binding("x", "finish('no_show')", "key.no_show", id="ticket-end-no-show"),
        Binding("escape", "leave", "key.back", id="ticket-end-back"),
    ]

    def __init__(self, store: Repository, ticket: Ticket) -> None:
        super().__init__(id="ticket-end")
        translate_bindings(self)
        self.store = store
        self.ticket = ticket

    def compose(self) -> ComposeResult:
        ticket = self.ticket
        with Vertical(id="ticket-end-box"):
            text = Text(f"{ticket.number}  ", style="bold")
            text.append(
                t(
                    "review.ticket_at_desk",
                    desk=ticket.desk,
                    state=t(f"ticket.status.{ticket.status}"),
                )
            )
            yield Static(text, markup=False)
            yield Static(t("review.ticket_end_keys"), markup=False)
            yield Static(id="ticket-end-error", classes="error", markup=False)

    def action_cancel(self) -> None:
        """Cancelled after a yes, as F3 asks before it cancels."""
        from tui.screens.confirm import ConfirmScreen

        if self.ticket.status not in TRANSITIONS[QueueAction.CANCEL][0]:
            # Said now, not after a yes.
            refused = refusal(self.ticket, QueueAction.CANCEL)
            self._error(describe_error(refused, desk=self.ticket.desk))
            return
        visit = next(
            (v for v in self.store.visits(self.ticket.day) if v.id == self.ticket.visit), None
        )
        question = t(
            "review.cancel_question", number=self.ticket.number, name=visit.name if visit else ""
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.action_finish(QueueAction.CANCEL)

        self.app.push_screen(
            ConfirmScreen(question, t("queue.cancel_yes"), t("review.cancel_no")), answered
        )

    def action_finish(self, how: str) -> None:
        # The desk it was called to finishes it; serving first if it was only called.
        desk = QueueDesk(self.store, self.ticket.desk or 1, self.ticket.day)
        try:
            if how == QueueAction.DONE and self.ticket.status == TicketStatus.CALLED:
                desk.act(self.ticket.id, QueueAction.SERVE)
            desk.act(self.ticket.id, how)
        except CodedError as err:
            self._error(describe_error(err, desk=self.ticket.desk))
            return
        self.dismiss(True)

    def _error(self, message: str) -> None:
        self.query_one("#ticket-end-error", Static).update(plain(message))

    def action_leave(self) -> None:
        self.dismiss(False)

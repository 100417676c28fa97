"""F3, the live queue at this desk: the ticket here now, and everyone waiting
with how long they have waited and may still wait. Only this desk's
compound's queue: another team's tickets at another compound, in the same
day file after laptops' folders were merged, are not shown. A number given
out twice, or another laptop giving out this desk's numbers, is warned of."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Digits, Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.domain.errors import CodedError
from tui.domain.queue import (
    Clashes,
    at_desk,
    call_order,
    clashes,
    day_figures,
    estimated_waits,
)
from tui.domain.records import Category, Ticket, Visit
from tui.domain.states import QueueAction, TicketStatus, VisitStatus
from tui.i18n import language, t
from tui.messages import describe_error
from tui.repository.events import Change
from tui.screens.base import SessionScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.keys import translate_bindings
from tui.screens.print_jobs import SLIP, PrintWanted
from tui.services.queue_desk import QueueDesk
from widgets.plain import fit, plain
from widgets.session_bar import SessionBar, SessionInfo
from widgets.status_line import StatusLine
from widgets.warning_line import WarningLine

REFRESH_SECONDS = 15  # waited minutes tick on even when nothing else changes
# The waiting list's text columns at 80 columns: longer text is cut, with "~".
NAME_CELLS = 10
REQUEST_CELLS = 22


class TransferScreen(ModalScreen[str]):
    """Ask where to: a letter A–F (the selected waiting ticket) or a desk number
    (the ticket at this desk)."""

    BINDINGS = [Binding("escape", "cancel", "key.back", id="transfer-cancel")]

    def __init__(self) -> None:
        super().__init__(id="transfer")  # F1 names the dialog by its id

    def compose(self) -> ComposeResult:
        with Vertical(id="transfer-box"):
            yield Static(t("queue.transfer_question"), markup=False)
            yield Input(id="transfer-to", max_length=2, compact=True)

    def on_mount(self) -> None:
        translate_bindings(self)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip().upper())

    def action_cancel(self) -> None:
        self.dismiss("")


class CurrentTicketScreen(ModalScreen[str]):
    """n while a ticket is still called or being served at this desk: finish it
    ("done") or send it back ("requeue") and call the next, or keep it and call
    no one (""). One desk, one resident: the display never shows two."""

    BINDINGS = [
        Binding("d", "answer('done')", "key.settle_done", id="queue-busy-done"),
        Binding("b", "answer('requeue')", "key.settle_requeue", id="queue-busy-requeue"),
        Binding("n,escape", "answer('')", "key.settle_keep", id="queue-busy-keep"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__(id="queue-busy")  # F1 names the dialog by its id
        translate_bindings(self)
        self._question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="queue-busy-box"):
            yield Static(plain(self._question), id="queue-busy-question", markup=False)
            with Vertical(id="queue-busy-buttons"):
                for key, answer, label in (
                    ("d", QueueAction.DONE, "key.settle_done"),
                    ("b", QueueAction.REQUEUE, "key.settle_requeue"),
                    ("n", "keep", "key.settle_keep"),
                ):
                    yield Button(f"{t(label)} ({key})", id=f"settle-{answer}", compact=True)

    def on_mount(self) -> None:
        self.query_one("#settle-keep", Button).focus()  # the safe answer is the default

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        answer = (event.button.id or "").removeprefix("settle-")
        self.dismiss("" if answer == "keep" else answer)


class RestoreScreen(ModalScreen[str]):
    """Today's cancelled tickets, the latest first: Enter puts the highlighted
    one back at its place in the queue. Dismisses its id, or "" for none."""

    BINDINGS = [Binding("escape", "leave", "key.back", id="queue-restore-back")]

    def __init__(self, lines: list[tuple[str, str]]) -> None:
        super().__init__(id="queue-restore")
        translate_bindings(self)
        self._lines = lines  # (ticket id, what the line says)

    def compose(self) -> ComposeResult:
        with Vertical(id="queue-restore-box"):
            yield Static(t("queue.restore_question"), markup=False)
            yield OptionList(
                *(Option(plain(line), id=ident) for ident, line in self._lines),
                id="restore-list",
                compact=True,
                markup=False,
            )
            yield Static(t("queue.restore_keys"), markup=False)

    def on_mount(self) -> None:
        self.query_one("#restore-list", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id or "")

    def action_leave(self) -> None:
        self.dismiss("")


class QueueScreen(SessionScreen):
    BINDINGS = [
        Binding("n", "call_next", "key.call_next", id="queue-call"),
        Binding("r", "act('recall')", "key.recall", id="queue-recall"),
        Binding("s", "act('serve')", "key.serve", id="queue-serve"),
        Binding("d", "act('done')", "key.done", id="queue-done"),
        Binding("x", "act('no_show')", "key.no_show", id="queue-no-show"),
        Binding("k", "reprint", "print.key.slip", id="queue-reprint"),
        Binding("b", "act('requeue')", "key.requeue", id="queue-requeue", show=False),
        Binding("p", "priority", "key.priority", id="queue-priority", show=False),
        Binding("t", "transfer", "key.transfer", id="queue-transfer", show=False),
        Binding("c", "cancel_ticket", "key.cancel_ticket", id="queue-cancel", show=False),
        Binding("u", "restore", "key.restore_ticket", id="queue-restore", show=False),
        Binding("escape", "back", "key.back", id="queue-back"),
    ]

    def __init__(self, queue: QueueDesk, session: SessionInfo) -> None:
        super().__init__(session, id="queue")
        translate_bindings(self)
        self.queue = queue
        self._tickets: list[Ticket] = []
        self._visits: dict[str, Visit] = {}
        self._categories: dict[str, Category] = {}

    def compose(self) -> ComposeResult:
        yield SessionBar(self._session, id="session-bar")
        with Horizontal(id="queue-top"):
            with Vertical(id="my-ticket"):
                yield Static(
                    t("queue.at_this_desk", desk=self.queue.desk), classes="heading", markup=False
                )
                yield Digits("----", id="my-number")
                yield Static(id="my-detail", markup=False)
            yield Static(id="queue-figures", markup=False)
        yield WarningLine(id="queue-clash")
        yield DataTable(id="waiting", cursor_type="row", zebra_stripes=True)
        yield StatusLine(id="queue-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#waiting", DataTable)
        # Widths that fit 80 columns; a long request name is cut, the numbers never are.
        for label, width in (
            ("queue.col_number", 5),
            ("queue.col_name", NAME_CELLS),
            ("queue.col_request", REQUEST_CELLS),
            ("queue.col_priority", 4),
            ("queue.col_waited", 8),
            ("queue.col_estimate", 8),
        ):
            table.add_column(t(label), width=width)
        self.set_interval(REFRESH_SECONDS, self.reload)
        self.reload()
        table.focus()

    def resumed(self, change: Change | None, missed: bool) -> None:
        self.reload()

    # -- data -------------------------------------------------------------------

    def reload(self) -> None:
        store = self.queue.repo
        day = store.today()
        self._tickets = self.queue.tickets()  # this compound's queue only
        self._visits = {v.id: v for v in store.visits(day)}
        self._categories = {c.code: c for c in store.categories()}
        self._show_mine()
        self._show_waiting()
        self._show_figures()
        self._show_clashes(clashes(self._tickets, desk=self.queue.desk, device=store.device))

    def _category_name(self, ticket: Ticket) -> str:
        visit = self._visits.get(ticket.visit)
        category = self._categories.get(visit.category) if visit else None
        if category is None:
            return ""
        return category.name_zh if language() == "zh" else category.name_en

    def _show_mine(self) -> None:
        mine = at_desk(self._tickets, self.queue.desk)
        self.query_one("#my-number", Digits).update(mine.number if mine else "----")
        detail = self.query_one("#my-detail", Static)
        if mine is None:
            detail.update(t("queue.nobody_here"))
            return
        visit = self._visits.get(mine.visit)
        text = Text(visit.name if visit else "", style="bold")
        text.append(f"  {self._category_name(mine)}  ")
        text.append(t(f"ticket.status.{mine.status}"))
        if mine.recalls:
            text.append("  " + t("queue.recalled", count=mine.recalls))
        detail.update(plain(text))

    def _show_waiting(self) -> None:
        table = self.query_one("#waiting", DataTable)
        selected = self.selected()
        table.clear()
        now = self.queue.repo.now()
        desks = max([t.desk for t in self._tickets] + [1])
        waits = estimated_waits(self._tickets, desks=desks)
        for ticket in call_order(self._tickets):
            visit = self._visits.get(ticket.visit)
            waited = _minutes_since(ticket.issued_at, now)
            estimate = waits.get(ticket.id)
            table.add_row(
                ticket.number,
                fit(visit.name if visit else "", NAME_CELLS),
                fit(self._category_name(ticket), REQUEST_CELLS),
                "*" if ticket.priority else "",
                f"{waited:.0f}",
                "-" if estimate is None else f"{estimate:.0f}",
                key=ticket.id,
            )
        order = [ticket.id for ticket in call_order(self._tickets)]
        if selected is not None and selected.id in order:
            table.move_cursor(row=order.index(selected.id))

    def _show_figures(self) -> None:
        waiting = sum(t.status == TicketStatus.WAITING for t in self._tickets)
        figures = day_figures(self._tickets)
        text = Text(t("queue.waiting_count", count=waiting) + "\n", style="bold")
        for f in figures:
            median = "-" if f.median_wait is None else f"{f.median_wait:.0f}"
            text.append(
                t(
                    "queue.letter_figures",
                    letter=f.letter,
                    issued=f.issued,
                    served=f.served,
                    no_shows=f.no_shows,
                    median=median,
                )
                + "\n"
            )
        self.query_one("#queue-figures", Static).update(text)

    def _show_clashes(self, found: Clashes) -> None:
        lines = []
        if found.numbers:
            numbers = ", ".join(found.numbers[:5]) + (" ..." if len(found.numbers) > 5 else "")
            lines.append(t("queue.clash_numbers", numbers=numbers))
        if found.devices:
            lines.append(
                t("queue.clash_desk", desk=self.queue.desk, devices=", ".join(found.devices))
            )
        self.query_one("#queue-clash", WarningLine).warn("\n".join(lines))

    def selected(self) -> Ticket | None:
        table = self.query_one("#waiting", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((t for t in self._tickets if t.id == key), None)

    # -- actions ----------------------------------------------------------------

    def _run(self, step: str, operation: Callable[[], Ticket | None]) -> bool:
        """Do one queue operation; say what happened or why not, then refresh.
        True if it was done."""
        try:
            result = operation()
        except CodedError as err:
            self._status(describe_error(err, desk=self.queue.desk), error=True)
            self.reload()  # a refusal often means another desk moved on: show it
            return False
        if isinstance(result, Ticket):
            self._status(t(f"queue.did.{step}", number=result.number, desk=result.desk))
        elif result is None and step == QueueAction.CALL:
            self._status(t("queue.none_waiting"))
        self.reload()
        return True

    def action_call_next(self) -> None:
        mine = self.queue.mine()
        if mine is None:
            self._run(QueueAction.CALL, self.queue.call_next)
            return
        # One resident at a time: ask what becomes of the one still here.
        question = t(
            "queue.busy_question",
            number=mine.number,
            status=t(f"ticket.status.{mine.status}"),
            desk=self.queue.desk,
        )
        self.app.push_screen(CurrentTicketScreen(question), lambda how: self._settle(mine, how))

    def _settle(self, mine: Ticket, how: str | None) -> None:
        """The answer to "a ticket is still here": finish it or send it back,
        and call the next, in one write; or leave everything as it is."""
        if how not in (QueueAction.DONE, QueueAction.REQUEUE):
            return
        try:
            called = self.queue.call_next(settle=(mine.id, how))
        except CodedError as err:
            self._status(describe_error(err, desk=self.queue.desk), error=True)
            self.reload()
            return
        after = next((t for t in self.queue.tickets() if t.id == mine.id), None)
        if after is None or after.status != (
            TicketStatus.DONE if how == QueueAction.DONE else TicketStatus.WAITING
        ):
            # Another desk moved it meanwhile: only the call was made here.
            self._run(QueueAction.CALL, lambda: called)
            return
        done = t(f"queue.did.{how}", number=mine.number, desk=self.queue.desk)
        if called is None:
            self._status(t("queue.settled_none", done=done))
        else:
            did = t("queue.did.call", number=called.number, desk=called.desk)
            self._status(t("queue.settled_call", done=done, called=did))
        self.reload()
        if how == QueueAction.DONE:
            self.triage(mine.visit)

    def action_act(self, action: str) -> None:
        mine = self.queue.mine()
        if action == QueueAction.REQUEUE and mine is None:
            target = self._latest_no_show()
        else:
            target = mine
        if target is None:
            self._status(t("queue.nobody_here"), error=True)
            return
        done = self._run(action, lambda: self.queue.act(target.id, action))
        if done and action == QueueAction.DONE:
            self.triage(target.visit)

    def triage(self, visit_id: str) -> None:
        """Serving ended: decide handle-now or log-for-later for the visit."""
        from tui.screens.triage import TriageScreen

        store = self.queue.repo
        visit = next((v for v in store.visits(store.today()) if v.id == visit_id), None)
        if visit is not None and visit.status == VisitStatus.OPEN:
            self.app.push_screen(TriageScreen(store, visit, store.by), lambda _: self.reload())

    def _latest_no_show(self) -> Ticket | None:
        gone = [
            t
            for t in self._tickets
            if t.status == TicketStatus.NO_SHOW and t.desk == self.queue.desk
        ]
        return max(gone, key=lambda t: t.called_at) if gone else None

    def action_priority(self) -> None:
        ticket = self.selected()
        if ticket is None:
            return
        self._run(QueueAction.PRIORITY, lambda: self.queue.toggle_priority(ticket.id))

    def action_cancel_ticket(self) -> None:
        """Cancel the selected waiting ticket, after a yes (u restores it today)."""
        ticket = self.selected()
        if ticket is None:
            return
        visit = self._visits.get(ticket.visit)
        question = t(
            "queue.cancel_question", number=ticket.number, name=visit.name if visit else ""
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._run(QueueAction.CANCEL, lambda: self.queue.act(ticket.id, QueueAction.CANCEL))

        self.app.push_screen(
            ConfirmScreen(question, t("queue.cancel_yes"), t("queue.cancel_no")), answered
        )

    def action_restore(self) -> None:
        """Put one of today's cancelled tickets back at its place in the queue."""
        cancelled = self.queue.cancelled()
        if not cancelled:
            self._status(t("queue.restore_none"), error=True)
            return
        lines = []
        for ticket in cancelled:
            visit = self._visits.get(ticket.visit)
            at = ticket.history[-1].get("at", "") if ticket.history else ""
            line = t(
                "queue.restore_line",
                number=ticket.number,
                name=visit.name if visit else "",
                time=str(at)[11:16],
            )
            lines.append((ticket.id, line))

        def chosen(ticket_id: str | None) -> None:
            if ticket_id:
                self._run(
                    QueueAction.RESTORE, lambda: self.queue.act(ticket_id, QueueAction.RESTORE)
                )

        self.app.push_screen(RestoreScreen(lines), chosen)

    def action_transfer(self) -> None:
        def chosen(where: str | None) -> None:
            if not where:
                return
            if where.isdigit():
                mine = self.queue.mine()
                if mine is None:
                    self._status(t("queue.nobody_here"), error=True)
                    return
                self._run(
                    QueueAction.TO_DESK,
                    lambda: self.queue.act(mine.id, QueueAction.TO_DESK, desk=int(where)),
                )
            elif where in "ABCDEF" and len(where) == 1:
                ticket = self.selected()
                if ticket is not None:
                    self._run(QueueAction.TRANSFER, lambda: self.queue.transfer(ticket.id, where))
            else:
                self._status(t("queue.transfer_bad", value=where), error=True)

        self.app.push_screen(TransferScreen(), chosen)

    def action_reprint(self) -> None:
        """The selected waiting ticket's slip (else the one at this desk) on
        the receipt printer again, its place in the queue counted now."""
        ticket = self.selected() or self.queue.mine()
        if ticket is None:
            self._status(t("print.choose_ticket"), error=True)
            return
        self.app.post_message(PrintWanted(SLIP, ticket.id, reprint=True))

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def _status(self, message: str, *, error: bool = False) -> None:
        self.query_one("#queue-status", StatusLine).say(message, error=error)


def _minutes_since(start: str, now: datetime) -> float:
    if not start:
        return 0.0
    return max((now - datetime.fromisoformat(start)).total_seconds() / 60, 0.0)

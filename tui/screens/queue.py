"""F3, the live queue at this desk: the ticket here now, and everyone waiting
with how long they have waited and may still wait."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Digits, Footer, Input, Static

from tui.domain.queue import QueueError, call_order, day_figures, estimated_waits
from tui.domain.records import Category, Ticket, Visit
from tui.i18n import language, t
from tui.messages import describe_error
from tui.screens.base import SessionScreen
from tui.screens.keys import translate_bindings
from tui.store.errors import StoreError
from tui.store.queue import QueueDesk
from widgets.plain import plain
from widgets.session_bar import SessionBar, SessionInfo

REFRESH_SECONDS = 15  # waited minutes tick on even when nothing else changes


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


class QueueScreen(SessionScreen):
    BINDINGS = [
        Binding("n", "call_next", "key.call_next", id="queue-call"),
        Binding("r", "act('recall')", "key.recall", id="queue-recall"),
        Binding("s", "act('serve')", "key.serve", id="queue-serve"),
        Binding("d", "act('done')", "key.done", id="queue-done"),
        Binding("x", "act('no_show')", "key.no_show", id="queue-no-show"),
        Binding("b", "act('requeue')", "key.requeue", id="queue-requeue", show=False),
        Binding("p", "priority", "key.priority", id="queue-priority", show=False),
        Binding("t", "transfer", "key.transfer", id="queue-transfer", show=False),
        Binding("c", "cancel_ticket", "key.cancel_ticket", id="queue-cancel", show=False),
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
        yield DataTable(id="waiting", cursor_type="row", zebra_stripes=True)
        yield Static(id="queue-status", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#waiting", DataTable)
        # Widths that fit 80 columns; a long request name is cut, the numbers never are.
        for label, width in (
            ("queue.col_number", 5),
            ("queue.col_name", 10),
            ("queue.col_request", 22),
            ("queue.col_priority", 4),
            ("queue.col_waited", 8),
            ("queue.col_estimate", 8),
        ):
            table.add_column(t(label), width=width)
        self.set_interval(REFRESH_SECONDS, self.reload)
        self.reload()
        table.focus()

    def on_screen_resume(self) -> None:
        self.reload()

    # -- data -------------------------------------------------------------------

    def reload(self) -> None:
        store = self.queue.store
        day = store.today()
        self._tickets = store.tickets(day)
        self._visits = {v.id: v for v in store.visits(day)}
        self._categories = {c.code: c for c in store.categories()}
        self._show_mine()
        self._show_waiting()
        self._show_figures()

    def _category_name(self, ticket: Ticket) -> str:
        visit = self._visits.get(ticket.visit)
        category = self._categories.get(visit.category) if visit else None
        if category is None:
            return ""
        return category.name_zh if language() == "zh" else category.name_en

    def _show_mine(self) -> None:
        mine = self.queue.mine()
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
        now = self.queue.store.now()
        desks = max([t.desk for t in self._tickets] + [1])
        waits = estimated_waits(self._tickets, desks=desks)
        for ticket in call_order(self._tickets):
            visit = self._visits.get(ticket.visit)
            waited = _minutes_since(ticket.issued_at, now)
            estimate = waits.get(ticket.id)
            table.add_row(
                ticket.number,
                plain(visit.name if visit else ""),
                plain(self._category_name(ticket)),
                "*" if ticket.priority else "",
                f"{waited:.0f}",
                "-" if estimate is None else f"{estimate:.0f}",
                key=ticket.id,
            )
        order = [ticket.id for ticket in call_order(self._tickets)]
        if selected is not None and selected.id in order:
            table.move_cursor(row=order.index(selected.id))

    def _show_figures(self) -> None:
        waiting = sum(t.status == "waiting" for t in self._tickets)
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
        except QueueError as err:
            self._status(t(err.code, **err.params), error=True)
            return False
        except StoreError as err:
            self._status(describe_error(err), error=True)
            return False
        if isinstance(result, Ticket):
            self._status(t(f"queue.did.{step}", number=result.number, desk=result.desk))
        elif result is None and step == "call":
            self._status(t("queue.none_waiting"))
        self.reload()
        return True

    def action_call_next(self) -> None:
        self._run("call", self.queue.call_next)

    def action_act(self, action: str) -> None:
        mine = self.queue.mine()
        if action == "requeue" and mine is None:
            target = self._latest_no_show()
        else:
            target = mine
        if target is None:
            self._status(t("queue.nobody_here"), error=True)
            return
        done = self._run(action, lambda: self.queue.act(target.id, action))
        if done and action == "done":
            self.triage(target.visit)

    def triage(self, visit_id: str) -> None:
        """Serving ended: decide handle-now or log-for-later for the visit."""
        from tui.screens.triage import TriageScreen

        store = self.queue.store
        visit = next((v for v in store.visits(store.today()) if v.id == visit_id), None)
        if visit is not None and visit.status == "open":
            self.app.push_screen(TriageScreen(store, visit, store.by), lambda _: self.reload())

    def _latest_no_show(self) -> Ticket | None:
        gone = [t for t in self._tickets if t.status == "no_show" and t.desk == self.queue.desk]
        return max(gone, key=lambda t: t.called_at) if gone else None

    def action_priority(self) -> None:
        ticket = self.selected()
        if ticket is None:
            return
        self._run("priority", lambda: self.queue.toggle_priority(ticket.id))

    def action_cancel_ticket(self) -> None:
        ticket = self.selected()
        if ticket is None:
            return
        self._run("cancel", lambda: self.queue.act(ticket.id, "cancel"))

    def action_transfer(self) -> None:
        def chosen(where: str | None) -> None:
            if not where:
                return
            if where.isdigit():
                mine = self.queue.mine()
                if mine is None:
                    self._status(t("queue.nobody_here"), error=True)
                    return
                self._run("to_desk", lambda: self.queue.act(mine.id, "to_desk", desk=int(where)))
            elif where in "ABCDEF" and len(where) == 1:
                ticket = self.selected()
                if ticket is not None:
                    self._run("transfer", lambda: self.queue.transfer(ticket.id, where))
            else:
                self._status(t("queue.transfer_bad", value=where), error=True)

        self.app.push_screen(TransferScreen(), chosen)

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def _status(self, message: str, *, error: bool = False) -> None:
        status = self.query_one("#queue-status", Static)
        status.update(plain(message))
        status.set_class(error, "-error")


def _minutes_since(start: str, now: datetime) -> float:
    if not start:
        return 0.0
    return max((now - datetime.fromisoformat(start)).total_seconds() / 60, 0.0)

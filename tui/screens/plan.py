"""The month's rotation plan: the proposed and accepted outings of this month
(of the next one once this month has no working day left), why each compound
is proposed, and the keys to accept, move or swap an outing and to write the
notice for the compounds' boards."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from tui.domain.calendar import parse_day
from tui.domain.category_match import match_compounds
from tui.domain.errors import CodedError
from tui.domain.plan import (
    MonthPlan,
    PlannedOuting,
    as_record,
    move,
    swap,
)
from tui.domain.records import Compound
from tui.domain.states import OutingStatus
from tui.i18n import t
from tui.messages import describe_error
from tui.report.plan import accept_plan, month_plan, notice, weekday
from tui.repository.interface import Repository
from tui.screens.base import SessionScreen
from tui.screens.keys import translate_bindings
from tui.screens.prompt import PromptScreen
from widgets.plain import plain, visible
from widgets.session_bar import SessionBar, SessionInfo
from widgets.status_line import StatusLine

NAME_WIDTH = 20  # cells for a compound's name in a row


def next_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:])
    return f"{year + number // 12}-{number % 12 + 1:02d}"


class PlanScreen(SessionScreen):
    BINDINGS = [
        Binding("a", "accept_all", "plan.key.accept", id="plan-accept"),
        Binding("m", "move", "plan.key.move", id="plan-move"),
        Binding("w", "swap", "plan.key.swap", id="plan-swap"),
        Binding("p", "print", "plan.key.print", id="plan-print"),
        Binding("escape", "back", "key.back", id="plan-back"),
    ]

    # Enter is the list's own key (a row chosen): listed in F1 all the same.
    HELP_EXTRA = (("enter", "plan.key.accept_one"),)

    def __init__(self, store: Repository, session: SessionInfo, month: str = "") -> None:
        super().__init__(session, id="plan")
        translate_bindings(self)
        self.store = store
        self.month = month
        self.plan: MonthPlan | None = None

    def compose(self) -> ComposeResult:
        yield SessionBar(self._session, id="session-bar")
        yield Static(id="plan-heading", classes="heading", markup=False)
        yield Static(t("plan.title_line"), id="plan-columns", markup=False)
        yield OptionList(id="plan-list", compact=True, markup=False)
        yield Static(id="plan-why", markup=False)
        yield StatusLine(id="plan-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#plan-list").focus()

    def reload(self) -> None:
        month = self.month or self.store.today()[:7]
        try:
            plan = month_plan(self.store, month)
        except CodedError as err:
            if self.month or err.code != "plan.no_days_left":
                self._status(describe_error(err), error=True)
                return
            month = next_month(month)  # this month is over: the next one
            plan = month_plan(self.store, month)
        self.month, self.plan = month, plan
        self.query_one("#plan-heading", Static).update(
            t(
                "plan.heading",
                month=month,
                count=len(plan.outings),
                held=plan.held,
                wanted=plan.wanted,
            )
        )
        names = {c.id: c.name for c in self.store.compounds()}
        staff = {s.id: s.name for s in self.store.staff()}
        table = self.query_one("#plan-list", OptionList)
        keep = table.highlighted
        table.clear_options()
        for number, outing in enumerate(plan.outings, 1):
            table.add_option(Option(self._line(number, outing, names, staff)))
        if plan.outings:
            table.highlighted = min(keep or 0, len(plan.outings) - 1)
        elif not any(c.active for c in self.store.compounds()):
            self._status(t("plan.no_compounds"))  # a new office: nothing to rotate among yet
        else:
            self._status(t("plan.empty"))
        self._show_why()

    @staticmethod
    def _line(
        number: int, outing: PlannedOuting, names: dict[str, str], staff: dict[str, str]
    ) -> Text:
        style = {OutingStatus.ACCEPTED: "green", OutingStatus.PLANNED: "yellow"}.get(
            outing.status, ""
        )
        line = Text(no_wrap=True, overflow="crop")
        line.append(f"{number} {outing.day[5:]} {weekday(outing.day)} ", style=style)
        name = plain(names.get(outing.compound, "-"))
        if name.cell_len > NAME_WIDTH:
            name.truncate(NAME_WIDTH - 1, overflow="crop")
            name.append("~")
        name.pad_right(NAME_WIDTH - name.cell_len)
        line.append_text(name)
        line.append(f" {t(f'plan.status.{outing.status}')} ", style=style)
        line.append_text(plain("、".join(staff.get(s, "") for s in outing.staff if staff.get(s))))
        return line

    @on(OptionList.OptionHighlighted, "#plan-list")
    def _moved(self) -> None:
        self._show_why()

    def _show_why(self) -> None:
        """Why the highlighted outing's compound is in the plan: its score's parts."""
        outing = self.highlighted()
        why = self.query_one("#plan-why", Static)
        if outing is None or self.plan is None:
            why.update("")
            return
        found = next((s for s in self.plan.ranking if s.compound == outing.compound), None)
        if found is None:
            why.update("")
            return
        why.update(
            t(
                "plan.score_line",
                since=t("plan.days_since", days=found.days_since)
                if found.last
                else t("plan.never"),
                cases=found.open_cases,
                overdue=found.overdue,
                requests=found.requests,
                uncertified=found.uncertified,
            )
        )

    def highlighted(self) -> PlannedOuting | None:
        table = self.query_one("#plan-list", OptionList)
        if self.plan is None or table.highlighted is None or not self.plan.outings:
            return None
        return self.plan.outings[min(table.highlighted, len(self.plan.outings) - 1)]

    # -- actions ------------------------------------------------------------------

    def action_accept_all(self) -> None:
        if self.plan is None:
            return
        try:
            saved = accept_plan(self.store, self.plan)
        except CodedError as err:
            self._status(describe_error(err), error=True)
            return
        self.reload()
        self._status(t("plan.accepted", count=len(saved)) if saved else t("plan.nothing_to_accept"))

    @on(OptionList.OptionSelected, "#plan-list")
    def _chosen(self) -> None:
        self.action_accept_one()

    def action_accept_one(self) -> None:
        outing = self.highlighted()
        if outing is None or self.plan is None:
            self._status(t("plan.pick"), error=True)
            return
        if outing.status == OutingStatus.ACCEPTED:
            self._status(t("plan.nothing_to_accept"))
            return
        try:
            self.store.save(as_record(outing, self.plan.month, OutingStatus.ACCEPTED))
        except CodedError as err:
            self._status(describe_error(err), error=True)
            return
        self.reload()
        self._status(t("plan.accepted", count=1))

    def action_move(self) -> None:
        outing, plan = self.highlighted(), self.plan
        if outing is None or plan is None:
            self._status(t("plan.pick"), error=True)
            return
        place = self.store.compound_name(outing.compound, "-")

        def answered(answer: str | None) -> None:
            if not answer or not answer.strip():
                return
            try:
                day = parse_day(answer, date.fromisoformat(outing.day))
                self.store.save(move(plan, outing, day))
            except CodedError as err:
                self._status(describe_error(err), error=True)
                return
            self.reload()
            self._status(t("plan.moved", compound=visible(place), day=day))

        question = t("plan.ask_move", compound=visible(place), day=outing.day)
        self.app.push_screen(PromptScreen(question, outing.day), answered)

    def action_swap(self) -> None:
        outing, plan = self.highlighted(), self.plan
        if outing is None or plan is None:
            self._status(t("plan.pick"), error=True)
            return

        def answered(answer: str | None) -> None:
            if not answer or not answer.strip():
                return
            compound = self._compound_named(answer.strip(), plan)
            if compound is None:
                self._status(t("plan.no_compound", text=visible(answer.strip())), error=True)
                return
            staff = [s.id for s in self.store.staff() if s.active]
            try:
                records = swap(plan, outing, compound, self.store.open_cases(), staff)
                self.store.save_many(list(records))
            except CodedError as err:
                self._status(describe_error(err), error=True)
                return
            self.reload()
            self._status(t("plan.swapped", compound=visible(compound.name), day=outing.day))

        self.app.push_screen(PromptScreen(t("plan.ask_swap", day=outing.day)), answered)

    def _compound_named(self, text: str, plan: MonthPlan) -> Compound | None:
        """A compound by the number of an outing in the list, its name as shown,
        or the one best match of what was typed (active compounds only)."""
        compounds = [c for c in self.store.compounds() if c.active]
        if text.isdigit() and 1 <= int(text) <= len(plan.outings):
            wanted = plan.outings[int(text) - 1].compound
            return next((c for c in compounds if c.id == wanted), None)
        exact = [c for c in compounds if visible(c.name).strip() == text]
        if exact:
            return exact[0]
        found = match_compounds(text, compounds)
        return found[0] if len(found) == 1 else None

    def action_print(self) -> None:
        from tui.report.collect import write_reports

        if self.plan is None:
            return
        stem = f"plan-{self.plan.month}"
        try:
            folder = write_reports(
                self.store, notice(self.store, self.plan), stem, stem, ("md", "xlsx")
            )
        except CodedError as err:
            self._status(describe_error(err), error=True)
            return
        except OSError as err:
            self._status(t("review.report_failed", reason=str(err)), error=True)
            return
        self._status(t("plan.written", folder=folder))

    def _status(self, message: str, *, error: bool = False) -> None:
        self.query_one("#plan-status", StatusLine).say(message, error=error)

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

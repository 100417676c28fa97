"""F5, the end-of-day review: the day at a glance, the checklist (Enter opens
the place to fix an item), requests for the next session at this compound,
and closing the session, which writes the hand-over reports."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from tui.domain.category_match import match_categories
from tui.domain.errors import CodedError, ValidationFailed
from tui.domain.intake import RECURRING_DAYS
from tui.domain.queue import desk_compounds, queue_at, visits_at
from tui.domain.records import Case, ServiceSession, SessionRequest, Ticket, Visit
from tui.domain.report import ReportError
from tui.domain.review import (
    NO_CATEGORY,
    CheckItem,
    DayGlance,
    checklist,
    glance,
)
from tui.domain.sessions import (
    mark_done,
    note_request,
    pending_requests,
    session_to_review,
)
from tui.domain.states import RequestStatus, SessionStatus
from tui.i18n import language, t
from tui.messages import describe_error
from tui.repository.events import Change
from tui.repository.interface import Repository
from tui.screens.base import SessionChanged, SessionScreen, SessionWanted
from tui.screens.confirm import ConfirmScreen
from tui.screens.keys import translate_bindings
from tui.screens.prompt import PromptScreen
from tui.services import sessions
from widgets.plain import plain, themed
from widgets.session_bar import SessionBar, SessionInfo
from widgets.status_line import StatusLine

R = TypeVar("R", Visit, Case, Ticket)
TOP_CATEGORIES = 5  # and recurring problems, on screen; the reports list every one


@dataclasses.dataclass(frozen=True)
class ReviewData:
    session: ServiceSession
    visits: list[Visit]
    tickets: list[Ticket]
    checks: list[CheckItem]
    glance: DayGlance
    asked: list[SessionRequest]  # noted in this session for next time
    earlier: list[SessionRequest]  # asked at earlier sessions here, for this one


class ReviewScreen(SessionScreen):
    BINDINGS = [
        Binding("n", "note_request", "key.note_request", id="review-request"),
        Binding("m", "request_done", "key.request_done", id="review-request-done"),
        Binding("c", "close_session", "key.close_session", id="review-close"),
        Binding("o", "reopen", "key.reopen_session", id="review-reopen"),
        Binding("w", "write_reports", "key.write_reports", id="review-reports"),
        Binding(
            "left_square_bracket",
            "step(-1)",
            "key.earlier_session",
            id="review-earlier",
            show=False,
        ),
        Binding(
            "right_square_bracket", "step(1)", "key.later_session", id="review-later", show=False
        ),
        Binding("escape", "back", "key.back", id="review-back"),
    ]
    HELP_EXTRA = (("enter", "key.fix"),)

    def __init__(self, store: Repository, session: SessionInfo, desk: int = 1) -> None:
        super().__init__(session, id="review")
        translate_bindings(self)
        self.store = store
        self.desk = desk
        self.data: ReviewData | None = None
        self._chosen = ""  # a session picked with [ and ]; "" for the default one
        self._others_open: list[ServiceSession] = []
        self._recent: list[ServiceSession] = []

    def compose(self) -> ComposeResult:
        yield SessionBar(self._session, id="session-bar")
        # Which day and session this is stays in view however far the body scrolls.
        yield Static(id="review-heading", classes="heading", markup=False)
        with VerticalScroll(id="review-body"):
            yield Static(id="review-glance", markup=False)
            yield Static(t("review.checklist"), classes="heading", markup=False)
            yield Static(id="review-check-summary", markup=False)
            yield OptionList(id="review-checklist", compact=True, markup=False)
            yield Static(id="review-requests-heading", classes="heading", markup=False)
            yield OptionList(id="review-requests", compact=True, markup=False)
        yield StatusLine(id="review-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        # The scrolling body never holds the focus: Enter there did nothing,
        # and staff took the checklist for broken until they pressed Tab.
        self.query_one("#review-body").can_focus = False
        self.reload()
        self.query_one("#review-checklist").focus(scroll_visible=False)

    def resumed(self, change: Change | None, missed: bool) -> None:
        """Shown again (back from fixing something, or F5): read the day again.
        The checklist has the focus when it lists anything, so Enter fixes
        the item staff see (the list may have been empty when they last
        looked, and the focus on the requests)."""
        self.reload()
        checks, requests = self.query_one("#review-checklist"), self.query_one("#review-requests")
        if checks.display:
            checks.focus(scroll_visible=False)
        elif self.focused is not requests:
            requests.focus(scroll_visible=False)

    @on(OptionList.OptionHighlighted)
    def _highlight_in_view(self, event: OptionList.OptionHighlighted) -> None:
        """The body scrolls so the highlighted line is on the screen: a list
        scrolls itself within its own height, but part of it may be below
        the body's edge (Down went to an item nobody could see)."""
        self._show_highlighted(event.option_list)

    def _show_highlighted(self, options: OptionList) -> None:
        index = options.highlighted
        if index is None or not options.is_mounted or not options.display:
            return
        try:
            line = options._index_to_line[index]  # its first line in the list
            height = options._heights[index]
        except (KeyError, IndexError):
            return
        top = options.virtual_region.y + line - round(options.scroll_y)
        body = self.query_one("#review-body", VerticalScroll)
        if top + height <= body.scrollable_content_region.height:
            body.scroll_home(animate=False, immediate=True)  # the day at a glance too
        else:
            body.scroll_to_region(Region(0, top, 1, height), animate=False, immediate=True)

    # -- reading ------------------------------------------------------------

    def load(self) -> ReviewData | None:
        store = self.store
        recent = store.recent_sessions()
        theirs = self._other_teams(recent)
        session = next((s for s in recent if s.id == self._chosen), None)
        # First this desk's: today's open one, else the latest still open (a
        # day someone forgot to close), else the latest, never another team's.
        session = session or session_to_review(
            [s for s in recent if s.id not in theirs], store.today()
        )
        if session is None:
            return None
        self._recent = recent
        self._others_open = [
            s
            for s in recent
            if s.status == SessionStatus.OPEN and s.id != session.id and s.id not in theirs
        ]
        # The session's compound's visits and tickets that day, whichever
        # laptop saved them; another team's at another compound, merged into
        # the same day, are not this session's (as F3 and the reports).
        day_sessions, day_visits = store.sessions(session.day), store.visits(session.day)
        visits = visits_at(day_visits, day_sessions, session.compound)
        tickets = queue_at(store.tickets(session.day), day_visits, day_sessions, session.compound)
        cases = {c.id: c for c in store.open_cases()}
        earlier_visits = store.visits_before(session.day, RECURRING_DAYS)
        requests = store.requests()
        return ReviewData(
            session=session,
            visits=visits,
            tickets=tickets,
            checks=checklist(visits, tickets, cases),
            glance=glance(session.day, visits, tickets, earlier_visits),
            asked=[r for r in requests if r.session == session.id],
            earlier=[
                *pending_requests(requests, session.compound, session.day),
                *(r for r in requests if r.done_session == session.id),
            ],
        )

    def _other_teams(self, recent: list[ServiceSession]) -> set[str]:
        """Today's sessions at compounds this desk did not work at
        (queue.desk_compounds): another team's, merged in from its laptop.
        Not shown first, nor said to be "still open"; [ and ] still reach them."""
        store = self.store
        today = store.today()
        todays = [s for s in recent if s.day == today]
        if len({s.compound for s in todays}) < 2:
            return set()
        ours = desk_compounds(
            todays, device=store.device, visits=store.visits(today), tickets=store.tickets(today)
        )
        return {s.id for s in todays if s.compound not in ours}

    def reload(self) -> None:
        self.data = data = self.load()
        heading = self.query_one("#review-heading", Static)
        checks = self.query_one("#review-checklist", OptionList)
        requests = self.query_one("#review-requests", OptionList)
        if data is None:
            heading.update(t("review.none"))
            for widget in ("#review-glance", "#review-check-summary", "#review-requests-heading"):
                self.query_one(widget, Static).update("")
            checks.clear_options()
            requests.clear_options()
            return
        session = data.session
        place = self._compound_name(session.compound)
        heading.update(
            plain(
                t(
                    "review.heading",
                    day=session.day,
                    compound=place,
                    status=t(f"session.status.{session.status}"),
                )
            )
        )
        glance_text = self._glance_text(data.glance)
        for other in self._others_open:
            glance_text.append(
                t(
                    "review.also_open",
                    day=other.day,
                    compound=self._compound_name(other.compound),
                )
                + "\n",
                style="bold yellow",
            )
        glance_text.rstrip()
        self.query_one("#review-glance", Static).update(themed(glance_text))
        self.query_one("#review-check-summary", Static).update(
            t("review.failing", count=len(data.checks)) if data.checks else t("review.all_pass")
        )
        highlighted = checks.highlighted
        checks.clear_options()
        width = max((cell_len(t(item.code)) for item in data.checks), default=0)
        checks.add_options(
            [
                Option(themed(self._check_label(item, width)), id=f"{n}")
                for n, item in enumerate(data.checks)
            ]
        )
        checks.display = bool(data.checks)
        if data.checks:
            checks.highlighted = min(highlighted or 0, len(data.checks) - 1)
        self.query_one("#review-requests-heading", Static).update(
            plain(t("review.requests", compound=place))
        )
        self._show_requests(requests, data)

    def _compound_name(self, compound_id: str) -> str:
        return self.store.compound_name(compound_id, "-")

    def _glance_text(self, day: DayGlance) -> Text:
        zh = language() == "zh"
        names = {c.code: c.name_zh if zh else c.name_en for c in self.store.categories()}
        text = Text(t("review.glance") + "\n", style="bold")
        text.append(
            t(
                "review.totals",
                visits=day.visits,
                handled=day.handled,
                logged=day.logged,
                undecided=day.undecided,
            )
            + "\n"
        )
        queue = day.queue

        def minutes(value: float | None) -> str:
            return f"{value:.0f}" if value is not None else "-"

        text.append(
            t(
                "review.queue_line",
                issued=queue.issued,
                served=queue.served,
                no_shows=queue.no_shows,
                median=minutes(queue.median_wait),
                longest=minutes(queue.longest_wait),
            )
            + "\n"
        )
        shown = [f"{names.get(c.code, c.code or '-')} {c.visits}" for c in day.by_category]
        if len(shown) > TOP_CATEGORIES:  # the rest are in the reports
            shown = [*shown[:TOP_CATEGORIES], "..."]
        text.append(" | ".join(shown) + "\n", style="dim")
        if day.recurring:
            text.append(t("review.recurring") + "\n", style="bold")
            for item in day.recurring[:TOP_CATEGORIES]:
                text.append(
                    t(
                        "review.recurring_line",
                        category=names.get(item.category, item.category),
                        compound=self._compound_name(item.compound),
                        today=item.today,
                        before=item.before,
                    )
                    + "\n",
                    style="yellow",
                )
            if len(day.recurring) > TOP_CATEGORIES:  # the rest are in the reports
                text.append("...\n", style="yellow")
        return text

    @staticmethod
    def _check_label(item: CheckItem, width: int) -> Text:
        """✗ what is wrong, padded so the names line up, then whose it is."""
        problem = t(item.code)
        label = Text("✗ ", style="bold red")
        label.append(problem + " " * (width - cell_len(problem)))
        label.append(f"  {item.label}", style="bold")
        return label

    def _show_requests(self, widget: OptionList, data: ReviewData) -> None:
        def heading(msgid: str) -> Option:
            return Option(themed(Text(t(msgid), style="dim")), disabled=True)

        options: list[Option] = []
        if data.earlier:
            options.append(heading("review.requests_earlier"))
            for request in data.earlier:
                mark = "✓ " if request.status == RequestStatus.DONE else "- "
                label = Text(
                    mark, style="green" if request.status == RequestStatus.DONE else "yellow"
                )
                label.append(f"{request.day}  ")
                label.append(request.text)
                options.append(Option(themed(label), id=request.id))
        options.append(heading("review.requests_asked"))
        if data.asked:
            options += [Option(plain(f"- {r.text}"), id=r.id) for r in data.asked]
        else:
            options.append(heading("review.no_requests"))
        widget.clear_options()
        widget.add_options(options)

    def action_step(self, delta: int) -> None:
        """[ and ]: the session before or after the one shown (recent ones)."""
        if self.data is None:
            return
        ordered = [s.id for s in self._recent]
        index = ordered.index(self.data.session.id) + delta
        if 0 <= index < len(ordered):
            self._chosen = ordered[index]
            self.reload()

    # -- fixing -------------------------------------------------------------

    @on(OptionList.OptionSelected, "#review-checklist")
    def _fix(self, event: OptionList.OptionSelected) -> None:
        if self.data is None or event.option.id is None:
            return
        item = self.data.checks[int(event.option.id)]
        if item.kind == "case":
            self._open_case(item.target)
        elif item.kind == "ticket":
            self._end_ticket(item.target)
        elif item.code == NO_CATEGORY:
            self._ask_category(item.target)
        else:
            self._triage(item.target)

    def _find(self, records: Iterable[R], record_id: str) -> R | None:
        """The record to fix, as stored now; if another desk changed it away,
        say so and read the list again."""
        found = next((r for r in records if r.id == record_id), None)
        if found is None:
            self._status(t("review.gone"), error=True)
            self.reload()
        return found

    def _visit(self, visit_id: str) -> Visit | None:
        day = self.data.session.day if self.data else self.store.today()
        return self._find(self.store.visits(day), visit_id)

    def _open_case(self, case_id: str) -> None:
        from tui.screens.case_detail import CaseScreen

        case = self._find(self.store.open_cases(), case_id)
        if case is not None:
            self.app.push_screen(CaseScreen(self.store, case))

    def _triage(self, visit_id: str) -> None:
        from tui.screens.triage import TriageScreen

        visit = self._visit(visit_id)
        if visit is not None:
            self.app.push_screen(
                TriageScreen(self.store, visit, self.store.by), lambda _: self.reload()
            )

    def _end_ticket(self, ticket_id: str) -> None:
        from tui.screens.ticket_end import TicketEndScreen

        if self.data is None:
            return
        ticket = self._find(self.store.tickets(self.data.session.day), ticket_id)
        if ticket is not None:
            self.app.push_screen(TicketEndScreen(self.store, ticket), lambda _: self.reload())

    def _ask_category(self, visit_id: str) -> None:
        visit = self._visit(visit_id)
        if visit is None:
            return

        def answered(text: str | None) -> None:
            if text is None or visit is None:
                return
            found = match_categories(text, [c for c in self.store.categories() if c.active])
            if not text.strip() or not found:
                self._status(t("review.no_such_category", text=text), error=True)
                return
            self._save(
                dataclasses.replace(visit, category=found[0].code), t("review.category_saved")
            )

        self.app.push_screen(PromptScreen(t("review.ask_category", name=visit.name)), answered)

    # -- requests -------------------------------------------------------------

    def action_note_request(self) -> None:
        if self.data is None:
            self._status(t("session.no_open"), error=True)
            return
        session = self.data.session
        place = self._compound_name(session.compound)

        def answered(text: str | None) -> None:
            if text is None:
                return
            try:
                request = note_request(session, text)
            except CodedError as err:
                self._status(describe_error(err), error=True)
                return
            self._save(request, t("review.request_saved", compound=place))

        self.app.push_screen(PromptScreen(t("review.ask_request", compound=place)), answered)

    def action_request_done(self) -> None:
        widget = self.query_one("#review-requests", OptionList)
        if self.data is None or widget.highlighted is None:
            self._status(t("review.pick_request"), error=True)
            return
        option_id = widget.get_option_at_index(widget.highlighted).id
        request = next(
            (r for r in self.data.earlier if r.id == option_id and r.status == RequestStatus.OPEN),
            None,
        )
        if request is None:
            self._status(t("review.pick_request"), error=True)
            return
        self._save(mark_done(request, self.data.session), t("review.request_done"))

    # -- the session --------------------------------------------------------

    def action_close_session(self) -> None:
        data = self.data
        if data is None:
            self._status(t("session.no_open"), error=True)
            return
        if data.session.status == SessionStatus.CLOSED:
            self._status(t("session.already_closed"), error=True)
            return
        failing = len(data.checks)
        if failing:

            def reason_given(reason: str | None) -> None:
                if reason is not None:
                    self._close(data.session, failing, reason)

            self.app.push_screen(
                PromptScreen(t("review.ask_override", count=failing)), reason_given
            )
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._close(data.session, 0, "")

        place = self._compound_name(data.session.compound)
        self.app.push_screen(
            ConfirmScreen(t("review.confirm_close", compound=place), t("key.yes"), t("key.no")),
            confirmed,
        )

    def _close(self, session: ServiceSession, failing: int, reason: str) -> None:
        self._chosen = session.id  # stay on it once closed
        try:
            closed = sessions.close(self.store, session, failing, reason)
        except CodedError as err:
            self._status(describe_error(err), error=True)
            self.reload()  # a refusal may mean another desk changed it: show it
            return
        self.reload()
        folder = self._write_reports(closed)
        if folder is not None:
            key = "review.closed_override" if failing else "review.closed"
            self._status(t(key, count=failing, folder=folder))
        self.post_message(SessionChanged())

    def action_reopen(self) -> None:
        """o: reopen the session shown when it is closed; otherwise open
        today's session if there is none yet."""
        data = self.data
        if data is None or data.session.status != SessionStatus.CLOSED:
            if self.store.open_session() is not None:
                self._status(t("session.not_closed"), error=True)
            else:
                self.post_message(SessionWanted())
            return
        session = data.session

        def answered(reason: str | None) -> None:
            if reason is None:
                return
            try:
                sessions.reopen(self.store, session, reason)
            except CodedError as err:
                self._status(describe_error(err), error=True)
                self.reload()
                return
            self.reload()
            self._status(t("review.reopened"))
            self.post_message(SessionChanged())

        self.app.push_screen(PromptScreen(t("review.ask_reopen")), answered)

    def action_write_reports(self) -> None:
        if self.data is None:
            self._status(t("session.no_open"), error=True)
            return
        folder = self._write_reports(self.data.session)
        if folder is not None:
            self._status(t("review.reports_written", folder=folder))

    def _write_reports(self, session: ServiceSession) -> Path | None:
        """The session's hand-over reports: its compound's day only."""
        from tui.report.collect import write_session_reports

        try:
            return write_session_reports(self.store, session)
        except ReportError as err:
            self._status(t("review.report_failed", reason=describe_error(err)), error=True)
        except CodedError as err:
            self._status(describe_error(err), error=True)
        except OSError as err:
            self._status(t("review.report_failed", reason=str(err)), error=True)
        return None

    # -- helpers ------------------------------------------------------------

    def _save(self, record: ServiceSession | SessionRequest | Visit, message: str) -> bool:
        try:
            self.store.save(record)
        except ValidationFailed as err:
            self._status(describe_error(err), error=True)
            return False
        except CodedError as err:
            self._status(describe_error(err), error=True)
            self.reload()
            return False
        if message:
            self._status(message)
        self.reload()
        return True

    def _status(self, message: str, *, error: bool = False) -> None:
        self.query_one("#review-status", StatusLine).say(message, error=error)

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

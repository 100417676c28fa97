"""The screen the app opens on: today at a glance and where everything is."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.domain.overview import count_cases, desk_day
from tui.domain.sessions import pending_requests
from tui.i18n import t
from tui.repository.events import Change
from tui.repository.interface import Repository
from tui.screens.base import SessionScreen
from tui.screens.keys import translate_bindings
from widgets.compact_footer import CompactFooter
from widgets.plain import plain, themed
from widgets.session_bar import SessionBar, SessionInfo
from widgets.stat_tiles import Stat, StatTiles


class HomeScreen(SessionScreen):
    # The app's keys, shown in this footer only: where everything is.
    BINDINGS = [
        Binding(f"f{n}", f"app.{name}", f"key.{name}", id=f"home-{name}", priority=True)
        for n, name in enumerate(("intake", "queue", "cases", "review", "certification"), 2)
    ]

    def __init__(self, store: Repository, session: SessionInfo) -> None:
        super().__init__(session, id="home")
        translate_bindings(self)
        self.store = store
        self._resumed = False

    def compose(self) -> ComposeResult:
        yield SessionBar(self._session, id="session-bar")
        with VerticalScroll(id="home-body"):
            yield Static(t("home.heading"), id="home-heading", classes="heading", markup=False)
            yield StatTiles(self._stats(), id="home-stats")
            yield Static(id="home-last-day", markup=False)
            yield Static(id="home-requests", markup=False)
            yield Static(t("home.keys"), id="home-keys", markup=False)
        yield CompactFooter()

    def on_mount(self) -> None:
        self._show_last_day()
        self._show_requests()

    def resumed(self, change: Change | None, missed: bool) -> None:
        """Back from another screen, where this desk may have saved something
        (not when first shown: on_mount has just filled it, in the first frame)."""
        if self._resumed:
            self.reload()
        self._resumed = True

    def reload(self) -> None:
        """Another process (or this one) changed the data: show it."""
        self.query_one(StatTiles).show(self._stats())
        self._show_last_day()
        self._show_requests()

    def _stats(self) -> list[Stat]:
        counts = count_cases(self.store.open_cases(), self.store.today())
        return [
            Stat("open", t("home.open_cases"), counts.open),
            Stat("due", t("home.due_today"), counts.due_today, alert=True),
            Stat("overdue", t("home.overdue"), counts.overdue, alert=True),
        ]

    def _show_last_day(self) -> None:
        widget = self.query_one("#home-last-day", Static)
        days = self.store.days()
        if not days:
            widget.update(t("home.no_sessions"))
            return
        day = days[-1]
        store = self.store
        # This desk's compound's figures; another team's session that day
        # (merged in from its laptop) is told apart, never added in.
        sessions = store.sessions(day)
        summary, *others = desk_day(
            day,
            sessions,
            store.visits(day),
            store.tickets(day) if len(sessions) > 1 else (),  # which session is this desk's
            device=store.device,
        )
        names = {c.id: c.name for c in store.compounds()}
        places = "、".join(names.get(c, c) for c in summary.compounds) or "-"
        text = plain(t("home.last_day", day=day, compounds=places))
        text.append("\n")
        text.append(
            t(
                "home.last_day_figures",
                visits=summary.visits,
                handled=summary.handled,
                logged=summary.logged,
                undecided=summary.undecided,
            )
        )
        for other in others:
            place = "、".join(names.get(c, c) for c in other.compounds)
            text.append("\n")
            text.append(t("home.last_day_other", compound=place, visits=other.visits))
        widget.update(text)

    def _show_requests(self) -> None:
        """What residents asked this session to bring, until staff mark it met."""
        widget = self.query_one("#home-requests", Static)
        session = self.store.open_session()
        pending = (
            pending_requests(self.store.requests(), session.compound, session.day)
            if session
            else []
        )
        widget.display = bool(pending)
        if session and pending:
            place = self.store.compound_name(session.compound)
            text = plain(t("session.requests_title", compound=place), style="bold yellow")
            for request in pending:
                text.append("\n")
                text.append_text(plain(f"- {request.day}  {request.text}"))
            widget.update(themed(text))

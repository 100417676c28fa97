"""F4, follow-up cases: the open cases (or one month of closed ones), filtered
and soonest due first; overdue ones stand out. Enter opens a case."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.widgets import Footer, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from tui.domain.cases import CaseFilter, filter_cases, is_overdue
from tui.domain.records import Case
from tui.domain.states import CaseStatus
from tui.i18n import language, t
from tui.repository.events import Change
from tui.repository.interface import Repository
from tui.screens.base import SessionScreen
from tui.screens.keys import translate_bindings
from tui.screens.print_jobs import RECEIPT, PrintWanted
from widgets.plain import plain, plain_options
from widgets.session_bar import SessionBar, SessionInfo

PAGE = 100  # rows shown at once; narrow the filters to see others
COLUMNS = (
    ("cases.col_due", 11),
    ("cases.col_status", 9),
    ("cases.col_name", 9),
    ("cases.col_category", 13),
    ("cases.col_owner", 13),
    ("cases.col_summary", 17),
)
STATUSES = tuple(CaseStatus)


class CasesScreen(SessionScreen):
    BINDINGS = [
        Binding("enter", "open_case", "key.open_case", id="cases-open"),
        Binding("slash", "search", "key.search", id="cases-search"),
        Binding("k", "reprint", "print.key.receipt", id="cases-reprint"),
        Binding("escape", "back", "key.back", id="cases-back"),
    ]
    HELP_EXTRA = (("tab/shift+tab", "cases.help_filters"),)

    def __init__(self, store: Repository, session: SessionInfo) -> None:
        super().__init__(session, id="cases")
        translate_bindings(self)
        self.store = store
        self._shown: list[Case] = []
        self.reloads = 0  # counted, so a benchmark can tell a reload happened
        self._lines: dict[tuple[str, int, bool], Text] = {}  # (case id, rev, overdue) -> row

    def compose(self) -> ComposeResult:
        store = self.store
        yield SessionBar(self._session, id="session-bar")
        yield Static(id="cases-summary", markup=False)
        zh = language() == "zh"
        with Horizontal(id="case-filters"):
            yield Select(
                [(t(f"case.status.{s}"), s) for s in STATUSES],
                id="f-status",
                prompt=t("cases.all_open"),
                compact=True,
            )
            owners = plain_options(
                [(s.name, s.id) for s in store.staff()] + [(p.name, p.id) for p in store.parties()]
            )
            yield Select(owners, id="f-owner", prompt=t("cases.any_owner"), compact=True)
            yield Select(
                plain_options((c.name, c.id) for c in store.compounds()),
                id="f-compound",
                prompt=t("cases.any_compound"),
                compact=True,
            )
            yield Select(
                plain_options((c.name_zh if zh else c.name_en, c.code) for c in store.categories()),
                id="f-category",
                prompt=t("cases.any_category"),
                compact=True,
            )
            yield Select(
                [(t("cases.overdue"), "overdue"), (t("cases.due_today"), "today")],
                id="f-due",
                prompt=t("cases.any_due"),
                compact=True,
            )
            months = store.archive_months()
            yield Select(
                plain_options((m, m) for m in months),
                id="f-month",
                compact=True,
                value=months[0] if months else Select.NULL,
                prompt="-",
            )
        yield Input(id="f-text", compact=True, placeholder=t("cases.search_hint"))
        yield Static(id="case-header", markup=False)
        yield OptionList(id="case-table", markup=False)
        yield Static(id="cases-status", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        try:
            self._first_fill()
        except NoMatches:
            # Composed ahead (app._compose_ahead) as the app was closing: Textual
            # mounted some or none of the widgets, but still sends the screen
            # Mount (seen in CI with the table there and the filters not).
            return

    def _first_fill(self) -> None:
        header = Text(style="bold")
        for label, width in COLUMNS:
            header.append_text(_cell(Text(t(label)), width))
        self.query_one("#case-header", Static).update(header)
        self.reload()
        self.query_one("#case-table", OptionList).focus()

    def resumed(self, change: Change | None, missed: bool) -> None:
        self.reload()

    def _value(self, select_id: str) -> str:
        value = self.query_one(select_id, Select).value
        return value if isinstance(value, str) else ""

    def current_filter(self) -> CaseFilter:
        return CaseFilter(
            status=self._value("#f-status"),
            owner=self._value("#f-owner"),
            compound=self._value("#f-compound"),
            category=self._value("#f-category"),
            due=self._value("#f-due"),
            text=self.query_one("#f-text", Input).value,
        )

    @on(Input.Changed, "#f-text")
    def _search_changed(self) -> None:
        self.reload()

    @on(Input.Submitted, "#f-text")
    def _search_done(self) -> None:
        self.query_one("#case-table", OptionList).focus()

    def action_search(self) -> None:
        self.query_one("#f-text", Input).focus()

    @on(Select.Changed)
    def _filter_changed(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.reloads += 1
        wanted = self.current_filter()
        today = self.store.today()
        open_cases = self.store.open_cases()
        self.query_one("#f-month", Select).display = wanted.status == CaseStatus.CLOSED
        if wanted.status == CaseStatus.CLOSED:
            month = self._value("#f-month")
            pool = self.store.closed_cases(month) if month else []
        else:
            pool = open_cases
        found = filter_cases(pool, wanted, today)
        due_today = sum(c.due == today for c in open_cases if c.status not in (CaseStatus.REPLIED,))
        overdue = sum(is_overdue(c, today) for c in open_cases)
        self.query_one("#cases-summary", Static).update(
            t("cases.summary", due_today=due_today, overdue=overdue, open=len(open_cases))
        )
        self._shown = found[:PAGE]
        self._fill(today)
        more = len(found) - len(self._shown)
        self.query_one("#cases-status", Static).update(
            t("cases.more", count=more) if more > 0 else t("cases.count", count=len(found))
        )

    def _fill(self, today: str) -> None:
        """One line of text a case: a sixth of the rendering a six-column table costs."""
        names = {s.id: s.name for s in self.store.staff()}
        names.update({p.id: p.name for p in self.store.parties()})
        zh = language() == "zh"
        categories = {c.code: (c.name_zh if zh else c.name_en) for c in self.store.categories()}
        rows = []
        for case in self._shown:
            overdue = is_overdue(case, today)
            key = (case.id, case.rev, overdue)
            cached = self._lines.get(key)
            if cached is not None:
                rows.append(Option(cached, id=case.id))
                continue
            style = "bold red" if overdue else ""
            cells = (
                case.due or "-",
                t(f"case.status.{case.status}"),
                case.name,
                categories.get(case.category, case.category),
                names.get(case.owner, ""),
                case.summary.replace("\n", " "),
            )
            line = Text(style=style, no_wrap=True, overflow="crop")
            for value, (_, width) in zip(cells, COLUMNS, strict=True):
                line.append_text(_cell(plain(value), width))
            self._lines[key] = line  # a filter change re-lists, it need not re-measure
            rows.append(Option(line, id=case.id))
        table = self.query_one("#case-table", OptionList)
        highlighted = table.highlighted
        table.clear_options()
        table.add_options(rows)
        if rows:
            table.highlighted = min(highlighted or 0, len(rows) - 1)

    @on(OptionList.OptionSelected, "#case-table")
    def _row_chosen(self) -> None:
        self.action_open_case()

    def action_open_case(self) -> None:
        from tui.screens.case_detail import CaseScreen

        table = self.query_one("#case-table", OptionList)
        if table.highlighted is None or not table.option_count:
            return
        key = table.get_option_at_index(table.highlighted).id
        case = next((c for c in self._shown if c.id == key), None)
        if case is not None:
            self.app.push_screen(CaseScreen(self.store, case))

    def action_reprint(self) -> None:
        """The highlighted case's receipt on the receipt printer again."""
        table = self.query_one("#case-table", OptionList)
        if table.highlighted is None or not table.option_count:
            self.query_one("#cases-status", Static).update(t("print.choose_case"))
            return
        case_id = table.get_option_at_index(table.highlighted).id or ""
        self.app.post_message(PrintWanted(RECEIPT, case_id, reprint=True))

    def action_back(self) -> None:
        search = self.query_one("#f-text", Input)
        if search.has_focus:  # Esc in the search: back to the list, the search kept
            self.query_one("#case-table", OptionList).focus()
            return
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()


def _cell(text: Text, width: int) -> Text:
    """Cut or pad to `width` terminal cells (Chinese characters take two). A
    cut shows "~", not "…": that one is two cells wide in a Chinese terminal."""
    if text.cell_len > width - 1:
        text.truncate(width - 2, overflow="crop")
        text.rstrip()  # the half of a Chinese character that did not fit
        text.append("~")
    text.truncate(width - 1, overflow="crop", pad=True)
    text.append(" ")
    return text

"""F2, quick intake: a resident's request typed in seconds, keyboard only.

The form never loses what was typed: a draft is written 0.4 s after the last
change and restored at the next start; Esc on a filled form asks first; a
failed save keeps every field as it was.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Input, Label, Static, TextArea

from tui.domain.address import format_address
from tui.domain.catalogue import RESIDENT_FLAGS
from tui.domain.category_match import match_categories, match_compounds
from tui.domain.certification import CERTIFICATION_CATEGORY, active, quarter_of
from tui.domain.errors import CodedError, ValidationFailed
from tui.domain.intake import IntakeForm, build_intake, recurring_visits
from tui.domain.lookup import Candidate, PersonIndex, candidates, same_contact
from tui.domain.phone import display_phone
from tui.domain.pinyin import keys
from tui.domain.records import Category, Compound, Visit
from tui.domain.states import VisitMode
from tui.i18n import language, t
from tui.messages import describe_error, describe_field_error
from tui.repository.events import REGISTRY_KINDS, Change, Kind
from tui.repository.interface import Repository
from tui.screens.base import SessionScreen, keep_loaded
from tui.screens.confirm import ConfirmScreen
from tui.screens.keys import translate_bindings
from tui.screens.print_jobs import SLIP, PrintWanted
from tui.services.intake import save_intake
from widgets.choice_bar import ChoiceBar
from widgets.plain import plain, visible
from widgets.session_bar import SessionBar, SessionInfo
from widgets.side_panel import Section, SidePanel
from widgets.status_line import StatusLine
from widgets.suggestions import Suggestions
from widgets.type_ahead import TypeAheadInput

DRAFT_DELAY = 0.4
HISTORY_DAYS = 365  # how far back returning residents' visits are looked up
FIELDS = ("name", "phone", "compound", "address", "category", "description")


@dataclass
class IndexReady(Message):
    index: PersonIndex
    recent: list[Visit]


class IntakeScreen(SessionScreen):
    BINDINGS = [
        # Not priority: Ctrl+S waits its turn behind the keys typed before it,
        # so a burst's last words are in the form when it saves.
        Binding("ctrl+s", "save", "key.save", id="intake-save"),
        Binding("escape", "back", "key.back", id="intake-back"),
        Binding("up", "suggest(-1)", show=False),
        Binding("down", "suggest(1)", show=False),
    ]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    HELP_EXTRA = (
        ("tab/shift+tab", "key.next_field"),
        ("up/down enter", "key.pick"),
        ("left/right space 1-5", "key.choices"),
    )

    def __init__(self, store: Repository, desk: int, session: SessionInfo) -> None:
        super().__init__(session, id="intake")
        translate_bindings(self)
        self.store = store
        self.desk = desk
        self._index: PersonIndex | None = None
        self._recent: list[Visit] = []
        self._resident = ""  # Resident id of the chosen returning resident
        self._compound = ""  # Compound id
        self._category = ""  # Category code
        self._base_compound = ""  # what an untouched form holds: default or kept compound
        self._new_anyway: IntakeForm | None = None  # warned of a known phone/address once
        self._saved_last = False  # the status says "Saved ..." for an untouched form
        # Values the screen itself put into fields: their Changed messages arrive
        # later and are not typing.
        self._set_by_screen: dict[str, str] = {}
        self._draft_timer: Timer | None = None
        self._person_sections: list[Section] = []
        self._recurring_sections: list[Section] = []
        self.reload_registry()

    # -- layout ---------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield SessionBar(self._session, id="session-bar")
        with Horizontal(id="intake-body"):
            with VerticalScroll(id="intake-form"):
                with Horizontal(classes="row"):
                    yield Label(t("intake.name"), classes="label")
                    # Not selected on focus: after a restored draft the next key
                    # added to the name instead of replacing it with another person.
                    yield TypeAheadInput(
                        id="name",
                        compact=True,
                        placeholder=t("intake.name_hint"),
                        select_on_focus=False,
                    )
                    yield Label(t("intake.phone"), classes="label")
                    yield TypeAheadInput(
                        id="phone", compact=True, placeholder=t("intake.phone_hint")
                    )
                yield Suggestions(id="name-suggestions")
                yield Static(id="name-error", classes="error", markup=False)
                yield Static(id="phone-error", classes="error", markup=False)
                with Horizontal(classes="row"):
                    yield Label(t("intake.compound"), classes="label")
                    yield TypeAheadInput(id="compound", compact=True)
                    yield Label(t("intake.address"), classes="label")
                    yield TypeAheadInput(
                        id="address", compact=True, placeholder=t("intake.address_hint")
                    )
                yield Suggestions(id="compound-suggestions")
                yield Static(id="compound-error", classes="error", markup=False)
                yield Static(id="address-error", classes="error", markup=False)
                with Horizontal(classes="row"):
                    yield Label(t("intake.category"), classes="label")
                    yield TypeAheadInput(
                        id="category", compact=True, placeholder=t("intake.category_hint")
                    )
                yield Suggestions(id="category-suggestions")
                yield Static(id="category-error", classes="error", markup=False)
                with Horizontal(classes="row tall"):
                    yield Label(t("intake.description"), classes="label")
                    yield TextArea(
                        id="description", compact=True, soft_wrap=True, tab_behavior="focus"
                    )
                yield Static(id="description-error", classes="error", markup=False)
                with Horizontal(classes="row"):
                    yield Label(t("intake.flags"), classes="label")
                    yield ChoiceBar(self._flag_options(), multi=True, id="flags")
                with Horizontal(classes="row"):
                    yield Label(t("intake.mode"), classes="label")
                    yield ChoiceBar(
                        [
                            (VisitMode.QUEUE, t("intake.mode_queue")),
                            (VisitMode.NOW, t("intake.mode_now")),
                        ],
                        multi=False,
                        id="mode",
                    )
                yield StatusLine(id="intake-status")
            yield SidePanel(id="intake-side")
        yield Footer(compact=True)

    @staticmethod
    def _flag_options() -> list[tuple[str, str]]:
        return [(flag, t(f"flag.{flag}")) for flag in (*RESIDENT_FLAGS, "priority")]

    def on_mount(self) -> None:
        self.query_one(SidePanel).show([])
        draft = self.store.load_draft(self.desk)
        self._base_compound = self.default_compound()
        if draft:
            self.fill(IntakeForm.from_dict(draft))
            self._status(t("intake.draft_restored"))
        else:
            self._set_compound(self._base_compound)
        self.query_one("#name", Input).focus()
        self._build_index()

    # -- data -----------------------------------------------------------------

    def reload_registry(self) -> None:
        self.categories: list[Category] = [c for c in self.store.categories() if c.active]
        self.compounds: dict[str, Compound] = {c.id: c for c in self.store.compounds()}

    def default_compound(self) -> str:
        """Today's open session's compound, if there is one."""
        session = self.store.open_session()
        return session.compound if session else ""

    @work(thread=True, exclusive=True, exit_on_error=False, group="intake-index")
    def _build_index(self) -> None:
        """Registry and a year of visits, indexed for look-up (pinyin loads here)."""
        from datetime import date, timedelta

        since = (date.fromisoformat(self.store.today()) - timedelta(days=HISTORY_DAYS)).isoformat()
        recent = self.store.visits_since(since)
        index = PersonIndex(candidates(self.store.residents(), recent))
        keys("预热")  # warm pypinyin in this thread, not on the first keystroke
        keep_loaded()
        self.post_message(IndexReady(index, recent))

    def on_index_ready(self, message: IndexReady) -> None:
        self._index = message.index
        self._recent = message.recent
        name = self.query_one("#name", Input)
        if name.has_focus and name.value and not self._resident:
            self._suggest_people(name.value)

    def shows(self, change: Change) -> bool:
        return change.touches(*REGISTRY_KINDS, Kind.RESIDENT) or change.touches_day(
            self.store.today()
        )

    def catch_up(self, change: Change | None) -> None:
        """Another process saved something: look-ups must see it. The lists
        (categories, compounds) are read again; residents of the compounds a
        change names are read in a worker and only those who changed go into
        the index (a whole rebuild, also in a worker, only when it cannot be
        told which); another desk's visits today refresh today's part of the
        recent visits."""
        if change is None or change.touches(*REGISTRY_KINDS):
            self.reload_registry()
        if change is None or (change.touches(Kind.RESIDENT) and not change.compounds):
            self._build_index()
            return
        if change.touches(Kind.RESIDENT):
            self._refresh_people(tuple(sorted(change.compounds)))
        today = self.store.today()
        if change.touches_day(today):
            self._recent = [v for v in self._recent if v.day != today]
            self._recent += self.store.visits(today)
            self._show_recurring()

    @work(thread=True, exit_on_error=False, group="intake-people")
    def _refresh_people(self, compounds: tuple[str, ...]) -> None:
        """The residents of these compounds who are new or changed, for the index."""
        index = self._index
        if index is None:  # not built yet: the build reads them anyway
            return
        fresh = []
        for compound in compounds:
            for person in candidates(self.store.residents(compound), []):
                known = index.get(person.key)
                if known is not None:
                    person = dataclasses.replace(person, last_seen=known.last_seen)
                if person != known:
                    fresh.append(person)
        if fresh:
            self.app.call_from_thread(self._add_people, fresh)

    def _add_people(self, people: list[Candidate]) -> None:
        if self._index is not None:
            for person in people:
                self._index.add(person)

    # -- the form -------------------------------------------------------------

    def form(self) -> IntakeForm:
        return IntakeForm(
            name=self.query_one("#name", Input).value,
            compound=self._compound,
            address=self.query_one("#address", Input).value,
            phone=self.query_one("#phone", Input).value,
            category=self._category,
            description=self.query_one("#description", TextArea).text,
            flags=list(self.query_one("#flags", ChoiceBar).selected),
            mode=self.query_one("#mode", ChoiceBar).selected[0],
            resident=self._resident,
        )

    def fill(self, form: IntakeForm) -> None:
        for field in ("name", "phone", "address"):
            self._put(field, getattr(form, field))
        self._put("description", form.description)
        self.query_one("#flags", ChoiceBar).select(form.flags, quiet=True)
        self.query_one("#mode", ChoiceBar).select((form.mode,), quiet=True)
        self._set_compound(form.compound)
        self._set_category(form.category)
        self._resident = form.resident

    def _put(self, field: str, value: str) -> None:
        """Set a field's text as the screen, not as typing (as a stored name
        shows: an imported one may hold an ESC)."""
        widget = self.query_one(f"#{field}")
        value = visible(value, multiline=isinstance(widget, TextArea))
        if isinstance(widget, TextArea):
            if widget.text != value:
                self._set_by_screen[field] = value
                widget.text = value
        elif isinstance(widget, Input) and widget.value != value:
            self._set_by_screen[field] = value
            widget.value = value

    def _by_screen(self, field: str, value: str) -> bool:
        if self._set_by_screen.get(field) == value:
            del self._set_by_screen[field]
            return True
        return False

    def _set_compound(self, compound_id: str) -> None:
        self._compound = compound_id if compound_id in self.compounds else ""
        self._put("compound", self.compounds[self._compound].name if self._compound else "")

    def _set_category(self, code: str) -> None:
        found = [c for c in self.categories if c.code == code]
        self._category = found[0].code if found else ""
        self._put("category", self._category_label(found[0]) if found else "")
        self._show_recurring()

    def _category_label(self, category: Category) -> str:
        number = self.categories.index(category) + 1
        name = category.name_zh if language() == "zh" else category.name_en
        return f"{number} {name}"

    # -- typing ---------------------------------------------------------------

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        field = event.input.id or ""
        if self._by_screen(field, event.value):
            return
        self._error(field, None)
        if field == "name":
            self._resident = ""
            self._suggest_people(event.value)
        elif field == "compound":
            self._compound = next(
                (c.id for c in self.compounds.values() if visible(c.name) == event.value.strip()),
                "",
            )
            self._suggest_compounds(event.value)
        elif field == "category":
            self._category = ""
            self._suggest_categories(event.value)
        self._schedule_draft()

    @on(TextArea.Changed)
    def _description_changed(self, event: TextArea.Changed) -> None:
        if not self._by_screen("description", event.text_area.text):
            self._error("description", None)
            self._schedule_draft()

    @on(ChoiceBar.Changed)
    def _choice_changed(self, event: ChoiceBar.Changed) -> None:
        self._schedule_draft()

    def _suggest_people(self, query: str) -> None:
        box = self.query_one("#name-suggestions", Suggestions)
        if self._index is None or not query.strip():
            box.hide()
            return
        found = self._index.search(query, compound=self._compound)
        box.show([(c.key, self._person_label(c)) for c in found])

    def _person_label(self, person: Candidate) -> Text:
        compound = self.compounds.get(person.compound)
        where = " ".join(
            p
            for p in (
                compound.name if compound else "",
                format_address(person.building, person.unit, person.room),
            )
            if p
        )
        label = Text(person.name, style="bold")
        label.append(f"  {where}  {display_phone(person.phone)}")
        if not person.resident:
            label.append(f"  ({t('intake.walk_in', day=person.last_seen)})", style="dim")
        return label

    def _suggest_compounds(self, query: str) -> None:
        box = self.query_one("#compound-suggestions", Suggestions)
        text = query.strip().lower()
        if not text or self._compound:
            box.hide()
            return
        found = match_compounds(text, [c for c in self.compounds.values() if c.active])
        box.show([(c.id, c.name) for c in found[:8]])

    def _suggest_categories(self, query: str) -> None:
        box = self.query_one("#category-suggestions", Suggestions)
        found = match_categories(query, self.categories)
        box.show([(c.code, self._category_label(c)) for c in found[:8]])

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """A match list belongs to its field: leaving the field closes it."""
        field = event.widget.id
        if field in ("name", "compound", "category"):
            self.query_one(f"#{field}-suggestions", Suggestions).hide()

    def action_suggest(self, step: int) -> None:
        for box in self.query(Suggestions):
            if box.is_open:
                box.move(step)
                return

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        field = event.input.id
        box = (
            self.query(f"#{field}-suggestions").first(Suggestions)
            if field in ("name", "compound", "category")
            else None
        )
        key = box.chosen() if box else None
        if box is not None:
            box.hide()
        person = self._index.get(key) if field == "name" and key and self._index else None
        if person is not None:
            self.choose_person(person)
            return
        if field == "compound" and key:
            self._set_compound(key)
            self._base_compound = key  # staff chose it: the next resident's too
            self._schedule_draft()
        if field == "category":
            if not key:
                found = match_categories(event.value, self.categories)
                key = found[0].code if len(found) == 1 else None
            if key:
                self._set_category(key)
                self._error("category", None)
                self._schedule_draft()
                self.query_one("#description", TextArea).focus()
                return
            if event.value.strip() and not self._category:
                # Nothing it could be: said here, not passed on to a save
                # that would call the request missing.
                self._error("category", self._unknown_category(event.value))
                return
        self.focus_next()

    @staticmethod
    def _unknown_category(typed: str) -> str:
        return t("intake.no_such_category", text=typed.strip())

    def _take_typed_category(self) -> None:
        """Ctrl+S with a request number typed and its match highlighted takes
        that match, as Enter would have (not "Request is required")."""
        typed = self.query_one("#category", Input).value
        if self._category or not typed.strip():
            return
        box = self.query_one("#category-suggestions", Suggestions)
        key = box.chosen()
        if not key:
            found = match_categories(typed, self.categories)
            key = found[0].code if len(found) == 1 else None
        if key:
            box.hide()
            self._set_category(key)
            self._error("category", None)

    def choose_person(self, person: Candidate) -> None:
        """Enter on a match: the form takes what the desk already knows."""
        form = self.form()
        form.name = person.name
        form.phone = display_phone(person.phone)
        form.compound = person.compound or form.compound
        form.address = format_address(person.building, person.unit, person.room)
        form.flags = list(person.flags) + [f for f in form.flags if f == "priority"]
        form.resident = person.resident
        self.fill(form)
        for field in ("name", "phone", "compound", "address"):
            self._error(field, None)
        self._show_person(person)
        self._schedule_draft()
        self.query_one("#category", Input).focus()

    # -- side panel -----------------------------------------------------------

    def _show_person(self, person: Candidate) -> None:
        def same(v: Visit) -> bool:
            if person.resident:
                return v.resident == person.resident
            return (v.name, v.phone) == (person.name, person.phone)

        earlier = sorted((v for v in self._recent if same(v)), key=lambda v: v.day, reverse=True)
        cases = [
            c
            for c in self.store.open_cases()
            if (
                c.resident == person.resident
                if person.resident
                else (c.name, c.phone) == (person.name, person.phone)
            )
        ]
        categories = {c.code: c for c in self.categories}
        visit_lines = tuple(
            Text(f"{v.day} {self._category_name(categories.get(v.category))} {v.description[:24]}")
            for v in earlier[:5]
        ) or (Text(t("intake.no_earlier")),)
        case_lines = tuple(
            Text(
                f"{t('intake.due', day=c.due)} | {t('case.status.' + c.status)} | {c.summary[:24]}"
            )
            for c in sorted(cases, key=lambda c: c.due)[:5]
        ) or (Text(t("intake.no_open_cases")),)
        self._person_sections = [
            Section(t("intake.earlier_visits", name=person.name), visit_lines),
            Section(t("intake.open_cases"), case_lines, alert=bool(cases)),
        ]
        self._refresh_side()

    def _show_recurring(self) -> None:
        found = recurring_visits(self._recent, self._compound, self._category, self.store.today())
        self._recurring_sections = []
        if found and self._compound in self.compounds:
            category = next(c for c in self.categories if c.code == self._category)
            lines = tuple(Text(f"{v.day} {v.name} {v.description[:30]}") for v in found[:5])
            self._recurring_sections = [
                Section(
                    t(
                        "intake.recurring",
                        compound=self.compounds[self._compound].name,
                        count=len(found),
                        category=self._category_name(category),
                    ),
                    lines,
                    alert=True,
                )
            ]
        self._refresh_side()

    def _certified_sections(self) -> list[Section]:
        """Asking for the elderly subsidy when already certified this quarter:
        said before a ticket is drawn for nothing."""
        if self._category != CERTIFICATION_CATEGORY or not self._resident:
            return []
        quarter = quarter_of(self.store.today())
        done = [
            c for c in active(self.store.certifications(quarter)) if c.resident == self._resident
        ]
        if not done:
            return []
        when = done[0]
        line = t("intake.certified_on", day=when.day, method=t(f"cert.method.{when.method}"))
        return [Section(t("intake.already_certified", quarter=quarter), (Text(line),), alert=True)]

    def _refresh_side(self) -> None:
        sections = [*self._certified_sections(), *self._recurring_sections, *self._person_sections]
        if self.is_mounted:
            self.query_one(SidePanel).show(sections)

    @staticmethod
    def _category_name(category: Category | None) -> str:
        if category is None:
            return ""
        return category.name_zh if language() == "zh" else category.name_en

    # -- saving ---------------------------------------------------------------

    def action_save(self) -> None:
        self._take_typed_category()
        form = self.form()
        if self._saved_last and not form.typed_anything(self._base_compound):
            return  # a second Ctrl+S after a save: "Saved ..." stays in view
        self._saved_last = False
        existing = self.store.resident(form.resident) if form.resident else None
        try:
            intake = build_intake(
                form,
                day=self.store.today(),
                session=session.id if (session := self.store.open_session()) else "",
                now=self.store.now(),
                by=self.store.by,
                categories={c.code: c for c in self.categories},
                compounds=self.compounds,
                existing=existing,
            )
        except ValidationFailed as failed:
            typed = self.query_one("#category", Input).value
            for error in failed.errors:
                message = describe_field_error(error)
                if error.field == "category" and typed.strip() and not self._category:
                    message = self._unknown_category(typed)  # typed, but matching none
                self._error(error.field, message)
            self.query_one(f"#{failed.errors[0].field}").focus()
            self._status(t("intake.fix_fields", count=len(failed.errors)), error=True)
            return
        if intake.resident is not None and not form.resident and self._new_anyway != form:
            known = same_contact(self.store.residents(), intake.resident)
            if known is not None:
                # Asked once: Ctrl+S again on the same form saves a new person.
                self._new_anyway = form
                place = self.store.compound_name(known.compound, "")
                address = format_address(known.building, known.unit, known.room)
                self._status(
                    t("intake.same_contact", name=known.name, place=f"{place} {address}".strip()),
                    error=True,
                )
                return
        try:
            saved = save_intake(self.store, intake, desk=self.desk)
        except CodedError as err:
            # A full letter, or no session open (closed a moment ago at another desk).
            self._status(describe_error(err), error=True)  # every field stays as typed
            return
        visit = saved.visit
        if saved.ticket is not None:
            # The slip prints after the save, in the app's worker (print_jobs.py).
            self.app.post_message(PrintWanted(SLIP, saved.ticket.id))
            done = t("intake.saved_ticket", name=visit.name, number=saved.ticket.number)
        else:
            done = t("intake.saved_now", name=visit.name)
        self._recent.append(visit)
        if self._index is not None:
            # The next intake finds this person (new or changed) at once.
            person = saved.resident or existing
            if person is not None:
                self._index.add(
                    Candidate(
                        person.id,
                        person.name,
                        person.compound,
                        person.building,
                        person.unit,
                        person.room,
                        person.phone,
                        tuple(person.flags),
                        person.id,
                        visit.day,
                    )
                )
        self.clear(keep_compound=True)
        self._status(done)
        self._saved_last = True
        self._discard_draft()
        if visit.mode == VisitMode.NOW:
            from tui.screens.triage import TriageScreen  # served on the spot: decide now

            self.app.push_screen(TriageScreen(self.store, visit, self.store.by))

    def clear(self, *, keep_compound: bool) -> None:
        # The compound staff set (the session's, or one typed in the field),
        # not the one that came with a resident picked from elsewhere.
        compound = self._base_compound if keep_compound else self.default_compound()
        self._base_compound = compound
        self._new_anyway = None
        self.fill(IntakeForm(compound=compound))
        self._person_sections = []
        self._recurring_sections = []
        self._refresh_side()
        for box in self.query(Suggestions):
            box.hide()
        for field in FIELDS:
            self._error(field, None)
        self.query_one("#name", Input).focus()

    def action_back(self) -> None:
        open_boxes = [box for box in self.query(Suggestions) if box.is_open]
        if open_boxes:
            for box in open_boxes:
                box.hide()
            return
        if not self.form().typed_anything(self._base_compound):
            self._discard_draft()
            self.dismiss_screen()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.clear(keep_compound=False)
                self._discard_draft()
                self._status("")
                self.dismiss_screen()

        self.app.push_screen(
            ConfirmScreen(t("intake.discard_question"), t("intake.discard"), t("intake.keep")),
            answered,
        )

    def dismiss_screen(self) -> None:
        if len(self.app.screen_stack) > 1 and self.app.screen is self:
            self.app.pop_screen()

    # -- drafts ---------------------------------------------------------------

    def _schedule_draft(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY, self._save_draft)

    def _save_draft(self) -> None:
        form = self.form()
        try:
            if form.typed_anything(self._base_compound):
                self.store.save_draft(self.desk, form.to_dict())
            else:
                self.store.clear_draft(self.desk)
        except CodedError as err:
            self._status(describe_error(err), error=True)

    def _discard_draft(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
        try:
            self.store.clear_draft(self.desk)
        except CodedError as err:
            self._status(describe_error(err), error=True)

    # -- messages -------------------------------------------------------------

    def _error(self, field: str, message: str | None) -> None:
        found = self.query(f"#{field}-error")
        if not found:
            return
        label = found.first(Static)
        if not message and not label.display:
            return  # nothing to clear: spare the restyle
        label.update(plain(message or ""))
        label.display = bool(message)
        widget: Widget = self.query_one(f"#{field}")
        widget.set_class(bool(message), "-invalid")

    def _status(self, message: str, *, error: bool = False) -> None:
        self.query_one("#intake-status", StatusLine).say(message, error=error)

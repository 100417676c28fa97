"""The dialog at start when today has no open session: the compound, the staff
on duty and the number of desks, prefilled from the last session, or from
today's accepted outing in the month's plan."""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, SelectionList, Static

from tui.domain.category_match import match_compounds
from tui.domain.records import Compound, Outing, ServiceSession, StaffMember
from tui.domain.sessions import MAX_DESKS
from tui.i18n import t
from tui.screens.keys import translate_bindings
from widgets.plain import plain, visible
from widgets.suggestions import Suggestions
from widgets.tick_list import TickList


@dataclass(frozen=True)
class SessionChoice:
    compound: str  # Compound id
    staff: tuple[str, ...]  # StaffMember ids
    desks: int


class SessionOpenScreen(ModalScreen[SessionChoice | None]):
    BINDINGS = [
        Binding("ctrl+s", "confirm", "key.save", id="session-save", priority=True),
        Binding("escape", "leave", "key.not_now", id="session-back"),
        Binding("up", "suggest(-1)", show=False),
        Binding("down", "suggest(1)", show=False),
    ]

    def __init__(
        self,
        compounds: list[Compound],
        staff: list[StaffMember],
        last: ServiceSession | None,
        me: str = "",
        planned: Outing | None = None,
    ) -> None:
        """`planned`: today's accepted outing; its compound and staff are suggested."""
        super().__init__(id="session-open")
        translate_bindings(self)
        self.compounds = [c for c in compounds if c.active]  # a retired one is not offered
        self.staff = [s for s in staff if s.active]
        self.last = last
        names = {c.id: c.name for c in self.compounds}
        self._compound = last.compound if last and last.compound in names else ""
        if not self._compound and len(self.compounds) == 1:
            self._compound = self.compounds[0].id  # a new office's first compound
        on_duty = set(last.staff) if last else set()
        on_duty |= {s.id for s in self.staff if s.name == me}
        self.planned = planned if planned and planned.compound in names else None
        if self.planned is not None:
            self._compound = self.planned.compound
            on_duty = set(self.planned.staff) | {s.id for s in self.staff if s.name == me}
        self._on_duty = on_duty

    def compose(self) -> ComposeResult:
        names = {c.id: c.name for c in self.compounds}
        with Vertical(id="session-box"):
            yield Static(t("session.open_title"), classes="heading", markup=False)
            if self.planned is not None:
                place = visible(names.get(self.planned.compound, ""))
                yield Static(
                    t("plan.suggested", compound=place),
                    id="session-planned",
                    classes="hint",
                    markup=False,
                )
            with Horizontal(classes="row"):
                yield Label(t("session.compound"), classes="label")
                yield Input(
                    visible(names.get(self._compound, "")), id="session-compound", compact=True
                )
            yield Suggestions(id="session-suggestions")
            with Horizontal(classes="row-tall"):
                yield Label(t("session.staff"), classes="label")
                # Those already ticked come first, so none is ticked out of sight.
                ordered = sorted(self.staff, key=lambda s: s.id not in self._on_duty)
                yield TickList(
                    *[(plain(s.name), s.id, s.id in self._on_duty) for s in ordered],
                    id="session-staff",
                    compact=True,
                )
            yield Static(id="session-ticked", classes="hint", markup=False)
            with Horizontal(classes="row"):
                yield Label(t("session.desks"), classes="label")
                yield Input(
                    str(self.last.desks if self.last else 1),
                    id="session-desks",
                    compact=True,
                    max_length=1,
                    restrict=r"[0-9]*",
                )
            yield Static(id="session-error", classes="error", markup=False)
            yield Static(t("session.open_keys"), classes="hint", markup=False)

    def on_mount(self) -> None:
        self._show_ticked()

    def on_selection_list_selected_changed(self, _: SelectionList.SelectedChanged[str]) -> None:
        self._show_ticked()

    def _show_ticked(self) -> None:
        """Who will be recorded on duty, in words: all of them, however long the list."""
        chosen = set(self.query_one("#session-staff", SelectionList).selected)
        names = [s.name for s in self.staff if s.id in chosen]
        text = (
            t("session.ticked", count=len(names), names=t("app.list_sep").join(names))
            if names
            else ""
        )
        self.query_one("#session-ticked", Static).update(plain(text or t("session.none_ticked")))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "session-compound":
            return
        typed = event.value.strip()
        # The field holds what a name shows (an imported one may hold an ESC).
        exact = [c for c in self.compounds if typed and visible(c.name).strip() == typed]
        self._compound = exact[0].id if exact else ""
        box = self.query_one(Suggestions)
        if self._compound or not typed:
            box.hide()
            return
        box.show([(c.id, c.name) for c in match_compounds(typed, self.compounds)[:6]])

    def on_input_submitted(self, event: Input.Submitted) -> None:
        box = self.query_one(Suggestions)
        if event.input.id == "session-compound":
            if box.is_open:
                self._take(box.chosen())
            else:
                # On to who is on duty: a stray Enter never opens a session (Ctrl+S does).
                self.query_one("#session-staff").focus()
            return
        self.action_confirm()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if event.widget.id == "session-compound":
            self.query_one(Suggestions).hide()

    def _take(self, compound_id: str | None) -> None:
        chosen = next((c for c in self.compounds if c.id == compound_id), None)
        if chosen is None:
            return
        self._compound = chosen.id
        field = self.query_one("#session-compound", Input)
        with field.prevent(Input.Changed):
            field.value = visible(chosen.name)
        self.query_one(Suggestions).hide()
        self.query_one("#session-staff").focus()

    def action_suggest(self, step: int) -> None:
        box = self.query_one(Suggestions)
        if box.is_open:
            box.move(step)
        else:
            self.focus_next() if step > 0 else self.focus_previous()

    def action_confirm(self) -> None:
        error = self.query_one("#session-error", Static)
        desks_text = self.query_one("#session-desks", Input).value.strip()
        if not self._compound:
            error.update(t("session.compound_required"))
            self.query_one("#session-compound").focus()
            return
        if not desks_text.isdigit() or not 1 <= int(desks_text) <= MAX_DESKS:
            error.update(t("session.desks_range", max=MAX_DESKS))
            self.query_one("#session-desks").focus()
            return
        staff = tuple(self.query_one("#session-staff", SelectionList).selected)
        self.dismiss(SessionChoice(self._compound, staff, int(desks_text)))

    def action_leave(self) -> None:
        self.dismiss(None)

"""The triage dialog: handle now (即办) with an outcome, or log for later (登记)
with an owner, a due date and how the resident will be told. Opens when a
ticket is done at the desk, or after a serve-now intake, with the category's
suggestion chosen."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from tui.domain.cases import (
    REPLY_CHANNELS,
    Owner,
    default_due,
    default_owner,
    handle_now,
    log_for_later,
)
from tui.domain.certification import (
    CERTIFICATION_CATEGORY,
    active,
    certify,
    is_eligible,
    quarter_of,
)
from tui.domain.errors import CodedError, ValidationFailed
from tui.domain.records import Certification, Resident, Visit
from tui.domain.states import CertMethod, OwnerKind, Triage
from tui.i18n import language, t
from tui.messages import describe_error
from tui.repository.interface import Repository
from tui.screens.base import CertificationsChanged
from tui.screens.case_detail import chaser_follows_owner
from tui.screens.keys import translate_bindings
from tui.screens.print_jobs import RECEIPT, PrintWanted
from tui.services.triage import save_triage
from widgets.choice_bar import ChoiceBar
from widgets.plain import offered, plain, plain_options

# The field that holds each refusal's fix.
FIELD_AT_FAULT = {
    "triage.outcome_required": "#outcome",
    "triage.owner_required": "#owner",
    "triage.chaser_required": "#chaser",
    "triage.due_required": "#due",
    "triage.due_in_past": "#due",
    "date.bad": "#due",
    "date.no_such_day": "#due",
    "triage.reply_via_required": "#reply-via",
    "triage.override_reason": "#override",
}


class TriageScreen(ModalScreen[bool]):
    """Dismisses True once the decision is saved, False if put off (Esc)."""

    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="triage-save", priority=True),
        Binding("escape", "later_decide", "key.decide_later", id="triage-back"),
    ]

    def __init__(self, store: Repository, visit: Visit, desk_staff: str = "") -> None:
        super().__init__(id="triage")
        translate_bindings(self)
        self.store = store
        self.visit = visit
        categories = {c.code: c for c in store.categories()}
        self.category = categories.get(visit.category)
        self.suggested = self.category.triage if self.category else Triage.NOW
        compounds = {c.id: c for c in store.compounds()}
        self.staff = [s for s in store.staff() if s.active]
        self.parties = [p for p in store.parties() if p.active]  # retired bodies are not offered
        staff_id = next((s.id for s in self.staff if s.name == desk_staff), "")
        self.certifiable = self._certifiable(store, visit)
        self.default = (
            default_owner(
                self.category, compounds.get(visit.compound), self.staff, self.parties, staff_id
            )
            if self.category
            else None
        )

    @staticmethod
    def _certifiable(store: Repository, visit: Visit) -> Resident | None:
        """The registered resident of a certification visit, when due this quarter."""
        if visit.category != CERTIFICATION_CATEGORY or not visit.resident:
            return None
        resident = store.resident(visit.resident)
        quarter = quarter_of(visit.day)
        if resident is None or not is_eligible(resident, quarter):
            return None
        done = active(store.certifications(quarter))
        return None if any(c.resident == resident.id for c in done) else resident

    def compose(self) -> ComposeResult:
        category = ""
        if self.category:
            category = self.category.name_zh if language() == "zh" else self.category.name_en
        with Vertical(id="triage-box"):
            summary = Text(f"{self.visit.name}  ", style="bold")
            summary.append(f"{category}  {self.visit.description[:60]}")
            yield Static(plain(summary), id="triage-visit", markup=False)
            with Horizontal(classes="row"):
                yield Label(t("triage.decision"), classes="label")
                yield ChoiceBar(
                    [(Triage.NOW, t("triage.now")), (Triage.LATER, t("triage.later"))],
                    multi=False,
                    selected=(self.suggested,),
                    id="decision",
                )
            with Horizontal(classes="row", id="row-outcome"):
                yield Label(t("triage.outcome"), classes="label")
                yield Input(id="outcome", compact=True)
            if self.certifiable is not None:
                with Horizontal(classes="row", id="row-certify"):
                    yield Label(t("triage.certify"), classes="label")
                    yield ChoiceBar(
                        [
                            ("yes", f"{t('key.yes')} | {t('triage.certify_note')}"),
                            ("no", t("key.no")),
                        ],
                        multi=False,
                        selected=("yes",),
                        id="certify",
                    )
            owners = plain_options((s.name, f"staff:{s.id}") for s in self.staff)
            owners += plain_options((p.name, f"party:{p.id}") for p in self.parties)
            default_owner_value = (
                f"{self.default.kind}:{self.default.id}" if self.default else Select.NULL
            )
            with Horizontal(classes="row later"):
                yield Label(t("triage.owner"), classes="label")
                yield Select(
                    owners,
                    value=offered(owners, default_owner_value),
                    id="owner",
                    compact=True,
                    prompt=t("triage.choose"),
                )
            chaser = self.default.chaser if self.default and self.default.chaser else Select.NULL
            chasers = plain_options((s.name, s.id) for s in self.staff)
            with Horizontal(classes="row later"):
                yield Label(t("triage.chaser"), classes="label")
                yield Select(
                    chasers,
                    value=offered(chasers, chaser),
                    id="chaser",
                    compact=True,
                    prompt=t("triage.choose"),
                )
            due = default_due(self.visit.day, self.category) if self.category else ""
            with Horizontal(classes="row later"):
                yield Label(t("triage.due"), classes="label")
                yield Input(due, id="due", compact=True, placeholder=t("date.placeholder"))
            with Horizontal(classes="row later"):
                yield Label(t("triage.reply_via"), classes="label")
                yield ChoiceBar(
                    [(c, t(f"reply.{c}")) for c in REPLY_CHANNELS], multi=False, id="reply-via"
                )
            with Horizontal(classes="row later"):
                yield Label(t("triage.note"), classes="label")
                yield Input(id="note", compact=True)
            with Horizontal(classes="row", id="row-override"):
                yield Label(t("triage.override"), classes="label")
                yield Input(id="override", compact=True, placeholder=t("triage.override_hint"))
            yield Static(id="triage-error", markup=False)
            yield Static(t("triage.keys"), id="triage-keys", markup=False)

    def on_mount(self) -> None:
        self._show_decision()
        self._owner_changed()
        # Where typing is expected (on the 即办/登记 choice, an outcome typed
        # at once went nowhere and a digit changed the decision): the outcome
        # when handled now; when logged, the owner if none is suggested,
        # else the note (the rest is filled in).
        if self.decision == Triage.NOW:
            first = "#outcome"
        elif not isinstance(self.query_one("#owner", Select).value, str):
            first = "#owner"
        else:
            first = "#note"
        self.query_one(first).focus()

    @on(Select.Changed, "#owner")
    def _owner_changed(self) -> None:
        chaser_follows_owner(self.query_one("#owner", Select), self.query_one("#chaser", Select))

    @property
    def decision(self) -> str:
        return self.query_one("#decision", ChoiceBar).selected[0]

    @on(ChoiceBar.Changed, "#decision")
    def _show_decision(self) -> None:
        later = self.decision == Triage.LATER
        for row in self.query(".later"):
            row.display = later
        self.query_one("#row-outcome").display = not later
        if self.certifiable is not None:
            self.query_one("#row-certify").display = not later
        self.query_one("#row-override").display = self.decision != self.suggested

    def _owner(self) -> Owner:
        owner = self.query_one("#owner", Select).value
        chaser = self.query_one("#chaser", Select).value
        if not isinstance(owner, str):
            return Owner(OwnerKind.STAFF, "", "")
        kind, _, ident = owner.partition(":")
        chaser_id = chaser if isinstance(chaser, str) else ""
        return Owner(kind, ident, ident if kind == OwnerKind.STAFF else chaser_id)

    def action_save(self) -> None:
        override = self.query_one("#override", Input).value
        try:
            if self.decision == Triage.NOW:
                visit = handle_now(
                    self.visit,
                    self.query_one("#outcome", Input).value,
                    suggested=self.suggested,
                    override_reason=override,
                )
                case = None
            else:
                visit, case = log_for_later(
                    self.visit,
                    self._owner(),
                    self.query_one("#due", Input).value.strip(),
                    self.query_one("#reply-via", ChoiceBar).selected[0],
                    self.query_one("#note", Input).value,
                    suggested=self.suggested,
                    now=self.store.now(),
                    by=self.store.by,
                    override_reason=override,
                )
            certification = self._certification(visit)
            _, saved_case = save_triage(self.store, visit, case, certification)  # one commit
            if certification is not None:
                self.post_message(CertificationsChanged())
            if saved_case is not None:  # the receipt prints after the save, in a worker
                self.app.post_message(PrintWanted(RECEIPT, saved_case.id))
        except ValidationFailed as err:
            fields = [f"#{e.field}" for e in err.errors]
            self._error(describe_error(err), fields[0] if fields else None)
            return
        except CodedError as err:  # what was typed stays in the dialog
            self._error(describe_error(err), FIELD_AT_FAULT.get(err.code))
            return
        self.dismiss(True)

    def _certification(self, visit: Visit) -> Certification | None:
        """Handled on the spot in the certification category: the resident's
        certification for this quarter, when ticked."""
        if self.certifiable is None or self.decision != Triage.NOW:
            return None
        if self.query_one("#certify", ChoiceBar).selected[0] != "yes":
            return None
        return certify(
            self.certifiable,
            self.store.certifications(quarter_of(visit.day)),
            day=visit.day,
            method=CertMethod.DESK,
            session=visit.session,
            visit=visit.id,
        )

    def action_later_decide(self) -> None:
        self.dismiss(False)

    def _error(self, message: str, field: str | None = None) -> None:
        self.query_one("#triage-error", Static).update(plain(message))
        # Focus goes where the fix is typed: left on a choice bar, the Chinese
        # typed next would go nowhere.
        if field and self.query(field):
            self.query_one(field).focus()

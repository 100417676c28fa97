"""One case: who, what, who owns it, when it is due, its whole timeline, and the
keys that move it along until the resident has been told."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, Label, Select, Static
from textual.widgets.select import InvalidSelectValueError

from tui.domain.cases import (
    LIFECYCLE,
    REPLY_CHANNELS,
    Owner,
    advance,
    check_step,
    is_overdue,
)
from tui.domain.errors import CodedError, ValidationFailed
from tui.domain.phone import display_phone
from tui.domain.records import Case
from tui.domain.states import CaseStep, OwnerKind, ReplyChannel
from tui.i18n import language, t
from tui.messages import describe_error
from tui.repository.errors import StoreError
from tui.repository.interface import Repository
from tui.screens.keys import footer_shows, translate_bindings
from tui.screens.prompt import PromptScreen
from widgets.choice_bar import ChoiceBar
from widgets.plain import offered, plain_options, themed
from widgets.status_line import StatusLine


def chaser_follows_owner(owner: Select[str], chaser: Select[str]) -> None:
    """A staff owner chases the case themselves (domain.cases.Owner): the
    chaser field shows them and cannot be changed, so what is shown is what
    is saved. An outside owner's chaser is chosen."""
    value = owner.value
    kind, _, ident = value.partition(":") if isinstance(value, str) else ("", "", "")
    chaser.disabled = kind == OwnerKind.STAFF
    if kind == OwnerKind.STAFF:
        try:
            chaser.value = ident
        except InvalidSelectValueError:
            chaser.clear()


class AssignScreen(ModalScreen[Owner | None]):
    BINDINGS = [
        Binding("ctrl+s", "confirm", "key.save", id="assign-save", priority=True),
        Binding("escape", "leave", "key.back", id="assign-back"),
    ]

    def __init__(self, store: Repository, case: Case) -> None:
        super().__init__(id="assign")
        translate_bindings(self)
        self.store, self.case = store, case

    def compose(self) -> ComposeResult:
        staff = plain_options((s.name, s.id) for s in self.store.staff() if s.active)
        owners = [(name, f"staff:{ident}") for name, ident in staff]
        owners += plain_options((p.name, f"party:{p.id}") for p in self.store.parties() if p.active)
        with Vertical(id="assign-box"):
            with Horizontal(classes="row"):
                yield Label(t("triage.owner"), classes="label")
                yield Select(
                    owners,
                    id="assign-owner",
                    compact=True,
                    prompt=t("triage.choose"),
                    value=offered(owners, f"{self.case.owner_kind}:{self.case.owner}"),
                )
            with Horizontal(classes="row"):
                yield Label(t("triage.chaser"), classes="label")
                yield Select(
                    staff,
                    id="assign-chaser",
                    compact=True,
                    prompt=t("triage.choose"),
                    value=offered(staff, self.case.chaser),
                )
            yield Static(t("case.assign_keys"), markup=False)

    def on_mount(self) -> None:
        self._owner_changed()

    @on(Select.Changed, "#assign-owner")
    def _owner_changed(self) -> None:
        chaser_follows_owner(
            self.query_one("#assign-owner", Select), self.query_one("#assign-chaser", Select)
        )

    def action_confirm(self) -> None:
        owner = self.query_one("#assign-owner", Select).value
        chaser = self.query_one("#assign-chaser", Select).value
        if not isinstance(owner, str):
            self.dismiss(None)
            return
        kind, _, ident = owner.partition(":")
        self.dismiss(
            Owner(
                kind,
                ident,
                ident if kind == OwnerKind.STAFF else (chaser if isinstance(chaser, str) else ""),
            )
        )

    def action_leave(self) -> None:
        self.dismiss(None)


class ReplyScreen(ModalScreen[dict[str, Any] | None]):
    """The resident was told: how, and were they satisfied."""

    BINDINGS = [
        Binding("ctrl+s", "confirm", "key.save", id="reply-save", priority=True),
        Binding("escape", "leave", "key.back", id="reply-back"),
    ]

    def __init__(self, case: Case) -> None:
        super().__init__(id="reply")
        translate_bindings(self)
        self.case = case

    def compose(self) -> ComposeResult:
        with Vertical(id="reply-box"):
            with Horizontal(classes="row"):
                yield Label(t("triage.reply_via"), classes="label")
                yield ChoiceBar(
                    [(c, t(f"reply.{c}")) for c in REPLY_CHANNELS],
                    multi=False,
                    selected=(self.case.reply_via,),
                    id="reply-channel",
                )
            with Horizontal(classes="row"):
                yield Label(t("case.satisfied"), classes="label")
                yield ChoiceBar(
                    [("yes", t("key.yes")), ("no", t("key.no"))], multi=False, id="reply-satisfied"
                )
            with Horizontal(classes="row"):
                yield Label(t("triage.note"), classes="label")
                yield Input(id="reply-note", compact=True)
            yield Static(t("case.reply_keys"), markup=False)

    def on_mount(self) -> None:
        self.query_one("#reply-channel", ChoiceBar).focus()

    def action_confirm(self) -> None:
        self.dismiss(
            {
                "channel": self.query_one("#reply-channel", ChoiceBar).selected[0],
                "satisfied": self.query_one("#reply-satisfied", ChoiceBar).selected[0] == "yes",
                "note": self.query_one("#reply-note", Input).value,
            }
        )

    def action_leave(self) -> None:
        self.dismiss(None)


class CaseScreen(Screen[None]):
    BINDINGS = [
        Binding("a", "assign", "key.assign", id="case-assign"),
        Binding("g", "step('start')", "key.start", id="case-start"),
        Binding("v", "ask('resolve')", "key.resolve", id="case-resolve"),
        Binding("y", "reply", "key.reply", id="case-reply"),
        Binding("c", "step('close')", "key.close_case", id="case-close"),
        Binding("o", "ask('reopen')", "key.reopen", id="case-reopen"),
        Binding("n", "ask('note')", "key.note", id="case-note"),
        Binding("e", "edit_contact", "key.edit_case", id="case-edit"),
        Binding("escape", "back", "key.back", id="case-back"),
    ]
    # The lifecycle step each key takes: the footer offers those the case can take now.
    STEP_KEYS = {
        "a": CaseStep.ASSIGN,
        "g": CaseStep.START,
        "v": CaseStep.RESOLVE,
        "y": CaseStep.REPLY,
        "c": CaseStep.CLOSE,
        "o": CaseStep.REOPEN,
    }
    # Always in the footer besides the steps the case can take now; "e" is in
    # F1 and the palette, so the footer fits 80 columns.
    FOOTER_ALWAYS = {"n", "escape"}

    def __init__(self, store: Repository, case: Case) -> None:
        super().__init__(id="case")
        translate_bindings(self)
        self.store = store
        self.case = case

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="case-body"):
            yield Static(id="case-facts", markup=False)
            yield Static(t("case.timeline"), classes="heading", markup=False)
            yield Static(id="case-timeline", markup=False)
            yield StatusLine(id="case-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.show()

    def _names(self) -> dict[str, str]:
        names = {s.id: s.name for s in self.store.staff()}
        names.update({p.id: p.name for p in self.store.parties()})
        return names

    def show(self) -> None:
        case, names = self.case, self._names()
        steps = {k for k, step in self.STEP_KEYS.items() if case.status in LIFECYCLE[step][0]}
        footer_shows(self, steps | self.FOOTER_ALWAYS)
        self.refresh_bindings()
        zh = language() == "zh"
        category = next(
            (
                c.name_zh if zh else c.name_en
                for c in self.store.categories()
                if c.code == case.category
            ),
            case.category,
        )
        compound = next((c.name for c in self.store.compounds() if c.id == case.compound), "")
        facts = Text(f"{case.name}  {display_phone(case.phone)}\n", style="bold")
        facts.append(f"{compound}  {category}\n{case.summary}\n\n")
        rows = [
            (t("case.state"), t(f"case.status.{case.status}")),
            (t("triage.owner"), names.get(case.owner, "-")),
            (t("triage.chaser"), names.get(case.chaser, "-")),
            (t("triage.due"), case.due or "-"),
            (t("triage.reply_via"), t(f"reply.{case.reply_via}")),
        ]
        if case.reply:
            told = t("key.yes") if case.reply.get("satisfied") else t("key.no")
            rows.append(
                (
                    t("case.replied"),
                    f"{case.reply.get('on')} "
                    f"{t('reply.' + str(case.reply.get('channel')))} | "
                    f"{t('case.satisfied')} {told}",
                )
            )
        for label, value in rows:
            facts.append(t("case.fact", label=label), style="dim")
            facts.append(f"{value}\n")
        if is_overdue(case, self.store.today()):
            facts.append(t("case.is_overdue") + "\n", style="bold red")
        if case.escalate:
            facts.append(t("case.escalate", count=case.reopen_count) + "\n", style="bold red")
        self.query_one("#case-facts", Static).update(themed(facts))
        timeline = Text()
        for entry in case.timeline:
            timeline.append(f"{entry.get('at', '')[:16].replace('T', ' ')}  ", style="dim")
            timeline.append(f"{entry.get('by', '')}  {t('case.action.' + entry.get('action', ''))}")
            if entry.get("note"):
                timeline.append(f"  {entry['note']}")
            timeline.append("\n")
        self.query_one("#case-timeline", Static).update(themed(timeline))

    def _apply(self, action: str, **kwargs: Any) -> None:
        try:
            moved = advance(self.case, action, now=self.store.now(), by=self.store.by, **kwargs)
            self.case = self.store.save(moved)
        except CodedError as err:
            self._status(describe_error(err), error=True)
            return
        self._status(t("case.saved"))
        self.show()

    def action_step(self, action: str) -> None:
        self._apply(action)

    def _refused(self, action: CaseStep | str) -> bool:
        """Say at once why the case cannot take this step now, before a
        dialog asks for what the step needs (typed, then lost to a refusal)."""
        try:
            check_step(self.case, action)
        except CodedError as err:
            self._status(describe_error(err), error=True)
            return True
        return False

    def action_ask(self, action: str) -> None:
        if action in LIFECYCLE and self._refused(action):
            return

        def answered(text: str | None) -> None:
            if text is not None:
                self._apply(action, note=text)

        self.app.push_screen(PromptScreen(t(f"case.ask.{action}")), answered)

    def action_assign(self) -> None:
        if self._refused(CaseStep.ASSIGN):
            return

        def chosen(owner: Owner | None) -> None:
            if owner is not None:
                self._apply(CaseStep.ASSIGN, owner=owner)

        self.app.push_screen(AssignScreen(self.store, self.case), chosen)

    def action_reply(self) -> None:
        if self._refused(CaseStep.REPLY):
            return

        def told(reply: dict[str, Any] | None) -> None:
            if reply is not None:
                self._apply(CaseStep.REPLY, reply=reply, note=str(reply.get("note", "")))

        self.app.push_screen(ReplyScreen(self.case), told)

    def action_edit_contact(self) -> None:
        from tui.screens.case_contact import CaseContactScreen

        def changed(amended: Case | None) -> None:
            if amended is None:
                return
            try:
                self.case = self.store.save(amended)
            except (ValidationFailed, StoreError) as err:
                self._status(describe_error(err), error=True)
                return
            self._status(t("case.amended"))
            self.show()

        # No number to call: straight to the phone; otherwise from the top.
        start = (
            "phone" if self.case.reply_via == ReplyChannel.PHONE and not self.case.phone else "due"
        )
        screen = CaseContactScreen(self.case, now=self.store.now, by=self.store.by, start=start)
        self.app.push_screen(screen, changed)

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def _status(self, message: str, *, error: bool = False) -> None:
        self.query_one("#case-status", StatusLine).say(message, error=error)

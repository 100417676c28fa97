"""Changing a logged case's due date and how the resident will be reached:
where the review sends staff when a case has no due date or no way to reach
the resident."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tui.domain.cases import REPLY_CHANNELS
from tui.domain.phone import display_phone
from tui.domain.records import Case
from tui.i18n import t
from tui.screens.keys import translate_bindings
from widgets.choice_bar import ChoiceBar


@dataclass(frozen=True)
class Contact:
    due: str
    phone: str
    reply_via: str


class CaseContactScreen(ModalScreen[Contact | None]):
    BINDINGS = [
        Binding("ctrl+s", "confirm", "key.save", id="contact-save", priority=True),
        Binding("escape", "leave", "key.back", id="contact-back"),
    ]

    def __init__(self, case: Case) -> None:
        super().__init__(id="case-contact")
        translate_bindings(self)
        self.case = case

    def compose(self) -> ComposeResult:
        case = self.case
        with Vertical(id="contact-box"):
            yield Static(t("case.edit_title"), classes="heading", markup=False)
            with Horizontal(classes="row"):
                yield Label(t("triage.due"), classes="label")
                yield Input(case.due, id="contact-due", compact=True, placeholder="YYYY-MM-DD")
            with Horizontal(classes="row"):
                yield Label(t("intake.phone"), classes="label")
                yield Input(display_phone(case.phone), id="contact-phone", compact=True)
            with Horizontal(classes="row"):
                yield Label(t("triage.reply_via"), classes="label")
                yield ChoiceBar(
                    [(c, t(f"reply.{c}")) for c in REPLY_CHANNELS],
                    multi=False,
                    selected=(case.reply_via,),
                    id="contact-reply-via",
                )
            yield Static(t("case.contact_keys"), markup=False)

    def on_mount(self) -> None:
        field = "#contact-due" if not self.case.due else "#contact-phone"
        self.query_one(field).focus()

    def on_input_submitted(self) -> None:
        self.action_confirm()

    def action_confirm(self) -> None:
        self.dismiss(
            Contact(
                due=self.query_one("#contact-due", Input).value.strip(),
                phone=self.query_one("#contact-phone", Input).value,
                reply_via=self.query_one("#contact-reply-via", ChoiceBar).selected[0],
            )
        )

    def action_leave(self) -> None:
        self.dismiss(None)

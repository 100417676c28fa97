"""Changing a logged case's due date and how the resident will be reached:
where the review sends staff when a case has no due date or no way to reach
the resident. What is typed is checked here, and a refusal keeps the dialog
open with everything in it; the dialog returns the amended case to save."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tui.domain.cases import REPLY_CHANNELS, amend
from tui.domain.errors import CodedError, ValidationFailed
from tui.domain.phone import display_phone
from tui.domain.records import Case
from tui.domain.validate import validate
from tui.i18n import t
from tui.messages import describe_amendment, describe_error
from tui.screens.keys import translate_bindings
from widgets.choice_bar import ChoiceBar


class CaseContactScreen(ModalScreen[Case | None]):
    BINDINGS = [
        Binding("ctrl+s", "confirm", "key.save", id="contact-save", priority=True),
        Binding("escape", "leave", "key.back", id="contact-back"),
    ]

    def __init__(
        self, case: Case, *, now: Callable[[], datetime], by: str, start: str = "due"
    ) -> None:
        super().__init__(id="case-contact")
        translate_bindings(self)
        self.case = case
        self.now = now
        self.by = by
        self.start = start  # the field to start in: due, or phone when none to call

    def compose(self) -> ComposeResult:
        case = self.case
        with Vertical(id="contact-box"):
            yield Static(t("case.edit_title"), classes="heading", markup=False)
            with Horizontal(classes="row"):
                yield Label(t("triage.due"), classes="label")
                yield Input(
                    case.due, id="contact-due", compact=True, placeholder=t("date.placeholder")
                )
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
            yield Static(id="contact-error", classes="error", markup=False)
            yield Static(t("case.contact_keys"), classes="hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(f"#contact-{self.start}").focus()

    def on_input_submitted(self) -> None:
        self.action_confirm()

    def action_confirm(self) -> None:
        try:
            amended = amend(
                self.case,
                due=self.query_one("#contact-due", Input).value,
                phone=self.query_one("#contact-phone", Input).value,
                reply_via=self.query_one("#contact-reply-via", ChoiceBar).selected[0],
                now=self.now(),
                by=self.by,
                describe=describe_amendment,
            )
            validate(amended)
        except ValidationFailed as err:
            field = "phone" if any(e.field == "phone" for e in err.errors) else "due"
            self._refuse(describe_error(err), field)
        except CodedError as err:
            field = "phone" if err.code == "case.phone_needed" else "due"
            self._refuse(describe_error(err), field)
        else:
            self.dismiss(amended)

    def _refuse(self, message: str, field: str) -> None:
        self.query_one("#contact-error", Static).update(message)
        self.query_one(f"#contact-{field}").focus()

    def action_leave(self) -> None:
        self.dismiss(None)

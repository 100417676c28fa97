"""Adding or editing one item of the community's lists (a compound, a staff
member, an outside body, a category) or the community's profile. What is
typed is checked here; a refusal names each field at fault in one sentence
and keeps the dialog open with everything in it. Dismisses the record to
save, or None."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from tui.domain.community import FIELDS, form_values, from_form
from tui.domain.errors import FieldError, ValidationFailed
from tui.domain.phone import display_phone
from tui.domain.records import Record
from tui.i18n import t
from tui.messages import field_label
from tui.screens.keys import translate_bindings
from widgets.plain import plain, plain_options
from widgets.tick_list import TickList

Choices = Mapping[str, Sequence[tuple[str, str]]]  # list name -> (label, value)


def label_of(kind: str, name: str) -> str:
    """A field's name on this form: a compound, a body or the community has a
    名称, a person a 姓名."""
    if name == "name" and kind != "staff":
        return t("community.col_name")
    return field_label(name)


def sentence(kind: str, error: FieldError) -> str:
    """One error in words, naming its field (two phones on one form)."""
    label = label_of(kind, error.field)
    text = t(error.code, field=label, **error.params)
    return text if text.startswith(label) else t("community.field_error", field=label, error=text)


class RegistryFormScreen(ModalScreen[Record | None]):
    BINDINGS = [
        Binding("ctrl+s", "confirm", "key.save", id="form-save", priority=True),
        Binding("escape", "leave", "key.back", id="form-back"),
    ]
    HELP_EXTRA = (("tab", "key.next_field"), ("space", "community.tick_help"))

    def __init__(
        self,
        record: Record,
        title: str,
        choices: Choices,
        siblings: Sequence[Record] = (),
        hint: str = "",
    ) -> None:
        super().__init__(id="registry-form")
        translate_bindings(self)
        self.record = record
        self.title_text = title
        self.choices = choices
        self.others = siblings
        self.hint = hint

    def compose(self) -> ComposeResult:
        values = form_values(self.record)
        kind = self.record.KIND
        with Vertical(id="form-box"):
            yield Static(plain(self.title_text), classes="heading", markup=False)
            if self.hint:
                yield Static(plain(self.hint), classes="hint", markup=False)
            with VerticalScroll(id="form-fields"):
                for spec in FIELDS[self.record.KIND]:
                    widget_id = f"form-{spec.name}"
                    value = values[spec.name]
                    if spec.kind == "many":
                        yield Label(label_of(kind, spec.name), classes="label many")
                        ticks = TickList(id=widget_id, compact=True)
                        ticks.add_options(
                            [
                                (plain(name), key, key in value)
                                for name, key in self.choices.get(spec.choices, ())
                            ]
                        )
                        yield ticks
                        continue
                    with Horizontal(classes="row"):
                        yield Label(label_of(kind, spec.name), classes="label")
                        if spec.kind == "choice":
                            options = plain_options(self.choices.get(spec.choices, ()))
                            known = {v for _, v in options}
                            yield Select(
                                options,
                                id=widget_id,
                                value=value if value in known else Select.NULL,
                                allow_blank=spec.name == "grid_worker",
                                prompt="-",
                                compact=True,
                            )
                        else:
                            shown = display_phone(value) if "phone" in spec.name else value
                            yield Input(shown, id=widget_id, compact=True)
            yield Static(id="form-error", classes="error", markup=False)
            has_ticks = any(spec.kind == "many" for spec in FIELDS[kind])
            keys = "community.form_keys" if has_ticks else "community.form_keys_plain"
            yield Static(t(keys), classes="hint", markup=False)

    def on_mount(self) -> None:
        first = FIELDS[self.record.KIND][0].name
        self.query_one(f"#form-{first}").focus()

    def on_input_submitted(self) -> None:
        self.action_confirm()

    def values(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for spec in FIELDS[self.record.KIND]:
            widget = self.query_one(f"#form-{spec.name}")
            if isinstance(widget, TickList):
                found[spec.name] = list(widget.selected)
            elif isinstance(widget, Select):
                found[spec.name] = widget.value if isinstance(widget.value, str) else ""
            elif isinstance(widget, Input):
                found[spec.name] = widget.value
        return found

    def action_confirm(self) -> None:
        # Ctrl+S is a priority key: it arrives before the keys typed just ahead
        # of it have reached their field. Read the form once they have.
        self.call_after_refresh(self._confirm)

    def _confirm(self) -> None:
        if not self.is_attached:
            return
        try:
            record = from_form(self.record, self.values(), self.others)
        except ValidationFailed as failed:
            message = " ".join(sentence(self.record.KIND, e) for e in failed.errors)
            self.query_one("#form-error", Static).update(plain(message))
            shown = {spec.name for spec in FIELDS[self.record.KIND]}
            at_fault = next((e.field for e in failed.errors if e.field in shown), None)
            if at_fault:
                self.query_one(f"#form-{at_fault}").focus()
            return
        self.dismiss(record)

    def action_leave(self) -> None:
        self.dismiss(None)

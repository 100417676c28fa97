"""Told at start when a data file could not be read: it was moved aside (never
overwritten) and the newest backup copy, if any, is offered."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.i18n import t
from tui.screens.keys import translate_bindings
from widgets.plain import plain


class RecoveryScreen(ModalScreen[bool]):
    """Dismisses with True when the user chose to restore the backup."""

    BINDINGS = [
        Binding("escape", "skip", "key.continue_without", id="skip-recovery"),
    ]

    def __init__(self, file: str, moved_to: str | None, backup_day: str | None) -> None:
        """`moved_to` None: the file is missing (deleted, or moved by hand)."""
        super().__init__(id="recovery")
        translate_bindings(self)
        self._file = file
        self._moved_to = moved_to
        self._backup_day = backup_day

    def compose(self) -> ComposeResult:
        with Vertical(id="recovery-box"):
            message = (
                t("recovery.moved", file=self._file, moved_to=self._moved_to)
                if self._moved_to is not None
                else t("recovery.missing", file=self._file)
            )
            yield Static(plain(message), id="recovery-message", markup=False)  # file names
            if self._backup_day is not None:
                yield Static(
                    t("recovery.offer", day=self._backup_day), id="recovery-offer", markup=False
                )
            else:
                yield Static(t("recovery.no_backup"), id="recovery-offer", markup=False)
            with Horizontal(id="recovery-buttons"):
                if self._backup_day is not None:
                    yield Button(t("recovery.restore"), id="restore", variant="primary")
                yield Button(t("recovery.skip"), id="skip")

    @on(Button.Pressed, "#restore")
    def restore(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#skip")
    def action_skip(self) -> None:
        self.dismiss(False)

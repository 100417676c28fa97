"""Before the office's workbook is taken in: what each sheet would add,
change and leave, and every rejected row by sheet and row number; then
write, write the good rows, or not."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.i18n import t
from tui.screens.keys import translate_bindings
from widgets.plain import plain


class SheetPreviewScreen(ModalScreen[str | None]):
    """Dismisses "all", "skip_bad" or None (nothing written)."""

    BINDINGS = [
        Binding("y", "answer('all')", "key.import_write", id="sheet-write"),
        Binding("s", "answer('skip_bad')", "key.import_skip_bad", id="sheet-skip-bad"),
        Binding("n,escape", "answer(None)", "key.no", id="sheet-cancel"),
    ]

    def __init__(self, lines: Sequence[str], *, rejected: bool) -> None:
        super().__init__(id="sheet-preview")
        translate_bindings(self)
        self.lines = lines
        self.rejected = rejected

    def compose(self) -> ComposeResult:
        with Vertical(id="import-box"):
            with VerticalScroll(id="import-lines"):
                # Names from the sheet, each line one line, shown literally.
                yield Static(Text("\n").join(plain(line) for line in self.lines), markup=False)
            keys = t("residents.keys_rejected") if self.rejected else t("residents.keys")
            yield Static(keys, id="import-keys", markup=False)

    def action_answer(self, answer: str | None) -> None:
        if answer == "all" and self.rejected:
            self.app.bell()  # all or nothing: with rejected rows only s writes (the hint says so)
            return
        if answer == "skip_bad" and not self.rejected:
            answer = "all"
        self.dismiss(answer)

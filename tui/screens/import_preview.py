"""Before residents are imported from a sheet: the column mapping, the first
rows, every rejected row, the counts; then write, write the good rows, or not."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.domain.records import Compound
from tui.domain.registry_import import ImportPlan
from tui.i18n import t
from tui.registry.summary import describe_plan, summary_line
from tui.screens.keys import translate_bindings
from widgets.plain import plain


class ImportPreviewScreen(ModalScreen[str | None]):
    """Dismisses "all", "skip_bad" or None (nothing written)."""

    BINDINGS = [
        Binding("y", "answer('all')", "key.import_write", id="import-write"),
        Binding("s", "answer('skip_bad')", "key.import_skip_bad", id="import-skip-bad"),
        Binding("n,escape", "answer(None)", "key.no", id="import-cancel"),
    ]

    def __init__(self, plan: ImportPlan, compounds: Sequence[Compound]) -> None:
        super().__init__(id="import-preview")
        translate_bindings(self)
        self.plan = plan
        self.compounds = compounds

    def compose(self) -> ComposeResult:
        with Vertical(id="import-box"):
            lines = describe_plan(self.plan, self.compounds)[:-1]  # the summary stays in view
            with VerticalScroll(id="import-lines"):
                # The sheet's names and addresses, each line one line.
                yield Static(Text("\n").join(plain(line) for line in lines), markup=False)
            yield Static(plain(summary_line(self.plan)), id="import-summary", markup=False)
            keys = t("residents.keys_rejected") if self.plan.rejected else t("residents.keys")
            yield Static(keys, id="import-keys", markup=False)

    def action_answer(self, answer: str | None) -> None:
        if answer == "all" and self.plan.rejected:
            self.app.bell()  # all or nothing: with rejected rows only s writes (the hint says so)
            return
        if answer == "skip_bad" and not self.plan.rejected:
            answer = "all"
        self.dismiss(answer)

"""Choosing a spreadsheet to import: the folders and sheets under a start
folder, walked with the arrow keys, or a path typed or pasted in the line at
the top. Only folders and the files fielddesk can read are listed."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DirectoryTree, Input, Static

from tui.i18n import t
from tui.registry.read import READABLE
from tui.screens.keys import translate_bindings
from widgets.plain import plain

SHEETS = READABLE  # what tui.registry.read opens


class SheetTree(DirectoryTree):
    """Folders and readable sheets; hidden entries left out. Plain marks, not
    emoji: the old Windows console draws those as boxes."""

    ICON_NODE = "+ "
    ICON_NODE_EXPANDED = "- "
    ICON_FILE = "  "

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [
            p
            for p in paths
            if not p.name.startswith(".") and (p.is_dir() or p.suffix.lower() in SHEETS)
        ]


class FilePickScreen(ModalScreen[Path | None]):
    BINDINGS = [
        Binding("escape", "leave", "key.back", id="pick-back"),
        Binding("backspace", "up", "key.parent_folder", id="pick-up"),
    ]
    HELP_EXTRA = (("up/down enter", "key.pick_file"), ("tab", "key.next_field"))

    def __init__(self, question: str, start: Path) -> None:
        super().__init__(id="file-pick")
        translate_bindings(self)
        self._question = question
        self._start = start

    def compose(self) -> ComposeResult:
        with Vertical(id="pick-box"):
            yield Static(plain(self._question), markup=False)
            yield Input(str(self._start), id="pick-path", compact=True, placeholder=t("pick.hint"))
            yield SheetTree(self._start, id="pick-tree")
            yield Static(id="pick-error", classes="error", markup=False)
            yield Static(t("pick.keys"), classes="hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(SheetTree).focus()

    @on(DirectoryTree.FileSelected)
    def _file_chosen(self, event: DirectoryTree.FileSelected) -> None:
        self.dismiss(event.path)

    @on(DirectoryTree.DirectorySelected)
    def _folder_opened(self, event: DirectoryTree.DirectorySelected) -> None:
        self.query_one("#pick-path", Input).value = str(event.path)

    @on(Input.Submitted, "#pick-path")
    def _typed(self, event: Input.Submitted) -> None:
        """A typed or pasted path: a sheet is taken, a folder is listed."""
        path = Path(event.value.strip().strip('"')).expanduser()
        if path.is_dir():
            self.query_one(SheetTree).path = path
            self.query_one(SheetTree).focus()
        elif path.is_file():
            self.dismiss(path)
        else:
            self.query_one("#pick-error", Static).update(plain(t("pick.missing", path=path)))

    def action_up(self) -> None:
        """Backspace in the list: the folder above (in the path line it deletes)."""
        tree = self.query_one(SheetTree)
        parent = Path(tree.path).parent
        tree.path = parent
        self.query_one("#pick-path", Input).value = str(parent)

    def action_leave(self) -> None:
        self.dismiss(None)

"""F8: the conflicts two laptops' edits left (docs/MERGE.md): each record and
field, the value kept and the other one, who wrote each and when. Staff
keep the value shown (1) or take the other (2); the choice is an edit like
any other, saved and synced, and settles the conflict on every laptop."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from tui.domain.errors import CodedError, ValidationFailed
from tui.i18n import t
from tui.messages import conflict_words, describe_error
from tui.repository.errors import StoreError
from tui.repository.interface import Repository
from tui.screens.base import SessionScreen
from tui.screens.keys import translate_bindings
from widgets.plain import plain
from widgets.session_bar import SessionBar, SessionInfo
from widgets.status_line import StatusLine

Found = tuple[str, dict[str, Any], dict[str, Any]]  # (file, record document, conflict)


def _label(doc: dict[str, Any]) -> str:
    """What staff know the record by: a name, a ticket number, a day."""
    for key in ("name", "number", "day", "quarter"):
        if doc.get(key):
            return str(doc[key])
    return str(doc.get("id", ""))[:8]


class ConflictsScreen(SessionScreen):
    BINDINGS = [
        Binding("1", "keep", "sync.key.keep", id="conflicts-keep"),
        Binding("2", "take_other", "sync.key.other", id="conflicts-other"),
        Binding("escape", "back", "key.back", id="conflicts-back"),
    ]

    def __init__(self, store: Repository, session: SessionInfo) -> None:
        super().__init__(session, id="conflicts")
        translate_bindings(self)
        self.store = store
        self.found: list[Found] = []

    def compose(self) -> ComposeResult:
        yield SessionBar(self._session, id="session-bar")
        yield Static(id="conflicts-heading", markup=False)
        yield OptionList(id="conflicts-list", compact=True, markup=False)
        yield StatusLine(id="conflicts-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#conflicts-list").focus()
        self.reload()

    def reload(self) -> None:
        self._look()

    @work(thread=True, exclusive=True, exit_on_error=False, group="conflicts", description="F8")
    def _look(self) -> None:
        """Every file is read: in a worker, the screen answers meanwhile."""
        found = self.store.conflicts()
        self.app.call_from_thread(self._show, found)

    def _show(self, found: list[Found]) -> None:
        if not self.is_mounted:
            return
        self.found = found
        heading = (
            t("sync.conflicts.heading", count=len(found)) if found else t("sync.conflicts.none")
        )
        self.query_one("#conflicts-heading", Static).update(heading)
        table = self.query_one("#conflicts-list", OptionList)
        keep = table.highlighted
        table.clear_options()
        for _rel, doc, conflict in found:
            table.add_option(Option(self._entry(doc, conflict)))
        if found:
            table.highlighted = min(keep or 0, len(found) - 1)

    @staticmethod
    def _entry(doc: dict[str, Any], conflict: dict[str, Any]) -> Text:
        words = conflict_words(doc, conflict)
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"{words['kind']} ", style="bold")
        text.append_text(plain(_label(doc)))
        text.append(f" / {words['field']}\n", style="bold")
        text.append_text(plain(t("sync.conflicts.kept", **words)))
        text.append("\n")
        text.append_text(plain(t("sync.conflicts.other", **words)))
        return text

    def _chosen(self) -> Found | None:
        index = self.query_one("#conflicts-list", OptionList).highlighted
        if index is None or not 0 <= index < len(self.found):
            return None
        return self.found[index]

    def action_keep(self) -> None:
        chosen = self._chosen()
        if chosen is not None:
            _rel, doc, conflict = chosen
            self._settle(chosen, doc.get(conflict["field"]))

    def action_take_other(self) -> None:
        chosen = self._chosen()
        if chosen is not None:
            self._settle(chosen, chosen[2]["value"])

    def _settle(self, chosen: Found, value: Any) -> None:
        rel, doc, conflict = chosen
        try:
            self.store.settle_conflict(
                rel, str(doc["kind"]), str(doc["id"]), int(doc["rev"]), conflict["field"], value
            )
        except (StoreError, ValidationFailed, CodedError) as err:  # stale copy, value refused
            self._say(describe_error(err), error=True)
            return
        self._say(t("sync.conflicts.settled", **conflict_words(doc, conflict)))
        self.reload()

    def _say(self, message: str, *, error: bool = False) -> None:
        self.query_one("#conflicts-status", StatusLine).say(message, error=error)

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

"""F9: sync with the office server, in a worker, with a progress bar for a
long pull. The dialog can be closed at once: the sync goes on and says in a
toast how it ended."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import ProgressBar, Static

from tui.domain.errors import CodedError
from tui.i18n import t
from tui.messages import describe_error
from tui.repository.interface import Repository
from tui.screens.keys import translate_bindings
from widgets.plain import plain


class SyncScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape", "close", "key.close", id="sync-close")]

    def __init__(self, store: Repository, url: str) -> None:
        super().__init__(id="sync")
        translate_bindings(self)
        self._store, self._url = store, url
        self.outcome = ""  # the line said when it ended (a toast too, if closed)

    def compose(self) -> ComposeResult:
        with Vertical(id="sync-box"):
            yield Static(t("sync.app.title"), id="sync-title", markup=False)
            yield Static(plain(t("sync.app.running", url=self._url)), id="sync-state", markup=False)
            yield ProgressBar(id="sync-progress", show_eta=False)
            yield Static(t("sync.app.close_hint"), id="sync-hint", markup=False)

    def on_mount(self) -> None:
        self._run()

    @work(thread=True, exclusive=True, exit_on_error=False, group="sync", description="sync")
    def _run(self) -> None:
        try:
            outcome = self._store.sync(progress=self._progress)
        except (CodedError, OSError) as err:  # the server, the folder: said in one line
            self.app.call_from_thread(self._ended, describe_error(err), True)
            return
        except Exception as err:  # anything else still ends the dialog, said, not spinning
            self.app.call_from_thread(self._ended, describe_error(err), True)
            raise
        said = t(
            "sync.app.done",
            pulled=outcome.pulled,
            pushed=outcome.pushed,
            conflicts=outcome.conflicts,
            folded=outcome.folded,
        )
        if outcome.conflicts:
            said += " " + t("sync.app.see_conflicts")
        self.app.call_from_thread(self._ended, said, False)

    def _progress(self, done: int, total: int) -> None:
        self.app.call_from_thread(self._show_progress, done, total)

    def _show_progress(self, done: int, total: int) -> None:
        if self.is_mounted:
            self.query_one(ProgressBar).update(total=max(total, 1), progress=done)

    def _ended(self, said: str, failed: bool) -> None:
        self.outcome = said
        app: Any = self.app
        app.synced()
        if not self.is_attached:
            app.notify(said, severity="error" if failed else "information", timeout=20)
            return
        self.query_one("#sync-state", Static).update(plain(said))
        self.query_one("#sync-hint", Static).update(t("sync.app.ended_hint"))
        bar = self.query_one(ProgressBar)
        if failed:
            self.query_one("#sync-state", Static).add_class("failed")
            bar.display = False  # a full bar would say it went through
        else:
            bar.update(total=max(bar.total or 1, 1), progress=bar.total or 1)

    def action_close(self) -> None:
        self.dismiss(None)

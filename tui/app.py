"""The staff app. It is handed a Repository (tui.launch.make_app opens the
data folder and builds it) and learns of every commit through its changes()."""

from __future__ import annotations

import asyncio
import gc
import os
import threading
import time
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen

from tui.domain.errors import CodedError
from tui.domain.states import OutingStatus, SessionStatus
from tui.i18n import has, t
from tui.messages import describe_error
from tui.repository import Change, Kind, Repository
from tui.repository.errors import CorruptFile, StoreError
from tui.screens.base import (
    CertificationsChanged,
    SessionChanged,
    SessionScreen,
    SessionWanted,
)
from tui.screens.home import HomeScreen
from tui.screens.keys import key_rows, translate_bindings
from tui.screens.print_jobs import PrintWanted
from tui.themes import THEME_NAMES, register_themes
from widgets.plain import visible
from widgets.session_bar import SessionInfo

if TYPE_CHECKING:
    from tui.domain.records import Record
    from tui.screens.session_open import SessionChoice

STARTUP_CHECK_DELAY = 0.4
AHEAD_WAIT = 1.0  # seconds Ctrl+Q waits for F4's screen being composed ahead

# Screens built once and kept while the app runs.
INSTALLED = ("intake", "queue", "cases", "review", "certification", "community")


class DataChanged(Message):
    """A commit another process made (sent from the change feed's thread)."""

    def __init__(self, change: Change) -> None:
        super().__init__()
        self.change = change


class FieldDeskApp(App[None]):
    CSS_PATH = "app.tcss"
    BINDINGS = [
        # priority: F1 answers on dialogs too (they are modal), with their keys.
        Binding("f1", "help", "key.help", id="help", priority=True),
        # Work anywhere; only the home screen's footer shows them (HomeScreen),
        # so every other footer fits its own keys in 80 columns. F1 lists all.
        # priority: the screen changes as the key arrives, so what is typed
        # straight after it goes to the new screen (_go does nothing over a dialog).
        Binding("f2", "intake", "key.intake", id="intake", show=False, priority=True),
        Binding("f3", "queue", "key.queue", id="queue", show=False, priority=True),
        Binding("f4", "cases", "key.cases", id="cases", show=False, priority=True),
        Binding("f5", "review", "key.review", id="review", show=False, priority=True),
        Binding(
            "f6",
            "certification",
            "key.certification",
            id="certification",
            show=False,
            priority=True,
        ),
        Binding("f7", "community", "key.community", id="community", show=False, priority=True),
        Binding("f8", "conflicts", "key.conflicts", id="conflicts", show=False, priority=True),
        Binding("f9", "sync", "key.sync", id="sync", show=False, priority=True),
        # priority: Ctrl+Q quits from a dialog too (a draft keeps what was typed).
        Binding("ctrl+q", "quit", "key.quit", id="quit", show=False, priority=True),
        # Ours, so the footer's "^p" is labelled in the user's language.
        Binding("ctrl+p", "command_palette", "key.palette_short", show=False, priority=True),
    ]

    def __init__(
        self,
        store: Repository,
        *,
        desk: int = 1,
        staff: str | None = None,
        ask_session: bool = True,
        theme: str = "dark",
        notifications: bool = True,
    ) -> None:
        """`notifications` False: learn of other processes' changes by polling
        the files' stamps, as where the OS cannot notify."""
        super().__init__()
        translate_bindings(self)
        self.store = store
        self.desk = desk
        self.staff = staff or ""
        self.ask_session = ask_session
        self._cert_alert = ""  # set by a worker near the quarter's end
        self._sync_line = ""  # last sync and changes not yet sent, when there is a server
        self.notice = ""  # said once the first screen is up (the demo's folder)
        self._composing_ahead = False  # F4's screen mounting off screen (_compose_ahead)
        self.title = t("app.title")
        self._use_notifications = notifications
        self._stop_feed = threading.Event()
        self._changes = store.changes(self._stop_feed, notifications=notifications)
        self.watching = ""  # "notifications" or "polling", once started
        register_themes(self)  # type: ignore[arg-type]
        self._start_with_theme(THEME_NAMES[theme])

    def on_mount(self) -> None:
        self.push_screen(HomeScreen(self.store, self.session_info()))
        if self.store.load_draft(self.desk):
            self.action_intake()  # an unsaved intake from before a crash or quit
        step = self._setup_step() if self.ask_session else ""
        if step:
            self.set_up(step)
        elif self.ask_session and not self.store.read_only and self.store.open_session() is None:
            self.ask_for_session()
        for problem in self.store.problems:
            self._offer_recovery(problem)
        told = {self._file_name(p) for p in self.store.problems}
        for rel, moved in self.store.missing_hot_files():
            if rel not in told:
                self._offer_restore(rel, moved.name if moved else None)
        if self.store.read_only:
            self.notify(t("app.read_only_notice"), severity="warning", timeout=15)
        if self.notice:
            self.notify(self.notice, timeout=15)
        # Checking the big files and the daily backup wait until the first screen
        # is up and idle: keys respond at once, the check follows a moment later.
        # So does watching for other processes' changes (anything they changed
        # meanwhile is read when it starts).
        self.set_timer(STARTUP_CHECK_DELAY, self._check_files)
        self.set_timer(STARTUP_CHECK_DELAY, self._watch_files)
        self.set_timer(STARTUP_CHECK_DELAY, self._compose_ahead)

    def _start_with_theme(self, name: str) -> None:
        """The theme to start with, set before any CSS is read. Setting `theme`
        (as `use_theme` does) is a change of theme: every stylesheet is parsed
        again (≈12 ms) and every widget restyled once the first screen is up.
        This does what that change does (Textual's App._watch_theme), without
        the second pass."""
        self.set_reactive(App.theme, name)
        dark = self.current_theme.dark
        self.update_classes({f"-theme-{name}": True, "-dark-mode": dark, "-light-mode": not dark})
        self._refresh_truecolor_filter(self.ansi_theme)
        self.stylesheet.set_variables(self.get_css_variables())

    @work(thread=True, exclusive=True, exit_on_error=False, group="startup")
    def _check_files(self) -> None:
        """After the first frame: find unreadable files, then take today's backup
        (of good files only, so a bad file never pushes out its last good copy)."""
        bad = self.store.unreadable_hot_files()
        if bad:
            self.call_from_thread(self._quarantine, bad)
            return
        self._count_certifications()
        self._count_unsent()
        try:
            self.store.backup_today()
        except OSError as err:
            self.call_from_thread(
                self.notify, t("backup.failed", reason=str(err)), severity="warning"
            )

    def _count_certifications(self) -> None:
        """In a worker: near the quarter's end, how many residents remain to certify."""
        from tui.services.certification import remaining_near_end

        found = remaining_near_end(self.store)
        alert = t("cert.header", count=found[0], days=found[1]) if found and found[0] else ""
        if alert != self._cert_alert:
            self._cert_alert = alert
            self.call_from_thread(self.reload_screens, None)

    def _count_unsent(self) -> None:
        """In a worker: when this folder last synced and what it has not sent."""
        try:
            found = self.store.sync_status()
        except (OSError, StoreError):
            return
        line = ""
        if found is not None:
            when = found[0][11:16] if found[0][:10] == self.store.today() else found[0][:10]
            line = t("sync.header", when=when or t("sync.never"), unsent=found[1])
        if line != self._sync_line:
            self._sync_line = line
            self.call_from_thread(self._show_session_bars)

    @work(thread=True, exclusive=True, exit_on_error=False, group="sync-status")
    def recount_unsent(self) -> None:
        self._count_unsent()

    def synced(self) -> None:
        """A sync (F9) ended: its writes reach the screens as another
        process's would; the header's count is taken again."""
        self.recount_unsent()

    def _show_session_bars(self) -> None:
        session = self.session_info()
        for screen in self.screen_stack:
            if isinstance(screen, SessionScreen) and screen.is_mounted:
                screen.show_session(session)

    @work(thread=True, exclusive=True, exit_on_error=False, group="certification")
    def recount_certifications(self) -> None:
        self._count_certifications()

    def on_certifications_changed(self, _: CertificationsChanged) -> None:
        self.recount_certifications()

    def on_print_wanted(self, message: PrintWanted) -> None:
        self.print_in_background(message)

    @work(thread=True, exit_on_error=False, group="print")
    def print_in_background(self, wanted: PrintWanted) -> None:
        """A slip or a receipt on the receipt printer, after its save: the
        printer may be slow, gone or out of paper; the save stands."""
        from tui.screens.print_jobs import print_now

        said = print_now(self.store, wanted)
        if said is not None:
            message, error = said
            severity: SeverityLevel = "error" if error else "information"
            self.call_from_thread(self.notify, message, severity=severity, timeout=20)

    def on_session_changed(self, _: SessionChanged) -> None:
        self.reload_screens()

    def on_session_wanted(self, _: SessionWanted) -> None:
        self.ask_for_session()

    def _quarantine(self, rels: list[str]) -> None:
        for rel in rels:
            problem = self.store.probe(rel)  # moves it aside, under the lock
            if problem is not None:
                self._offer_recovery(problem)

    def session_info(self) -> SessionInfo:
        today = self.store.today()
        # This desk's session (another team's at another compound, brought
        # in by a sync, is not): the open one, else the one it closed today.
        session = self.store.open_session()
        if session is None and self.store.sessions(today):
            from tui.domain.queue import desk_session  # only once a session closed

            session = desk_session(
                self.store.sessions(today),
                device=self.store.device,
                visits=self.store.visits(today),
                tickets=self.store.tickets(today),
            )
        names = {c.id: c.name for c in self.store.compounds()}
        place = t("session.none")
        if session is not None:
            place = names.get(session.compound, "")
            if session.status == SessionStatus.CLOSED:
                place = t("session.closed_place", compound=place)
        return SessionInfo(
            title=t("app.title"),
            day=today,
            compound=place,
            desk=t("session.desk", desk=self.desk),
            staff=self.staff or t("session.no_staff"),
            alert=self._cert_alert,
            mode=t("app.read_only") if self.store.read_only else "",
            sync=self._sync_line,
        )

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every toast shows its text literally, whatever a caller asks: messages
        carry names, files and values from the data (`[/red]` as a compound
        name is text, an ESC in it is left out)."""
        del markup
        super().notify(
            visible(message, multiline=True),
            title=visible(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    # -- first run ------------------------------------------------------------

    def _setup_step(self) -> str:
        if self.store.read_only or self.store.problems:
            return ""  # a damaged registry is restored from its backup, never set up again
        if self.store.missing_hot_files():
            return ""  # gone, with a backup: the recovery dialog offers it
        compounds = self.store.compounds()
        if compounds:
            return ""  # set up: the community module (and pinyin) can wait for F7
        from tui.domain.community import setup_step

        return setup_step(self.store.community(), compounds)

    def set_up(self, step: str = "profile") -> None:
        """A folder with no community: its profile first, then its lists (F7
        in setup mode: typed in, or the office's workbook), then the session."""
        from tui.domain.community import blank
        from tui.screens.community import CommunityScreen
        from tui.screens.registry_form import RegistryFormScreen

        def lists_done(_: None) -> None:
            self.reload_screens()
            if self.store.compounds():
                self.ask_for_session()
            else:
                self.notify(t("setup.no_compounds"), severity="warning", timeout=15)

        def profile_saved(profile: Record | None) -> None:
            from tui.domain.community import first_records
            from tui.domain.records import Community

            if not isinstance(profile, Community):
                self.notify(t("setup.later"), severity="warning", timeout=15)
                return
            try:
                self.store.save_many(first_records(profile, self.store.categories()))
            except CodedError as err:
                self.notify(describe_error(err), severity="error", timeout=30)
                return
            self.push_screen(
                CommunityScreen(self.store, self.session_info(), setup=True), lists_done
            )

        if step == "lists":
            lists = CommunityScreen(self.store, self.session_info(), setup=True)
            self.push_screen(lists, lists_done)
            return
        form = RegistryFormScreen(
            blank("community"), t("setup.title"), {}, hint=t("setup.profile_hint")
        )
        self.push_screen(form, profile_saved)

    # -- the session ----------------------------------------------------------

    def ask_for_session(self) -> None:
        """The dialog that opens today's session, prefilled from the last one."""
        from tui.screens.session_open import SessionOpenScreen

        if self.store.open_session() is not None or self.is_screen_installed("session-open"):
            return
        last = self.store.last_session()
        today = self.store.today()
        # Today's accepted outing in the month's plan is suggested (first frame:
        # plan.json is small, and tui.domain.plan is not loaded for this).
        planned = next(
            (
                o
                for o in self.store.outings(today[:7])
                if o.day == today and o.status == OutingStatus.ACCEPTED
            ),
            None,
        )
        screen = SessionOpenScreen(
            self.store.compounds(), self.store.staff(), last, self.staff, planned
        )
        self.push_screen(screen, self._session_chosen)

    def _session_chosen(self, choice: SessionChoice | None) -> None:
        from tui.domain.sessions import pending_requests
        from tui.services.sessions import open_today

        if choice is None:
            return
        try:
            session = open_today(self.store, choice.compound, choice.staff, choice.desks)
        except CodedError as err:
            self.notify(describe_error(err), severity="error", timeout=30)
            return
        if session is None:  # another desk opened it meanwhile
            self.reload_screens()
            return
        place = visible(self.store.compound_name(session.compound))  # one line in a toast
        self.notify(t("session.opened", compound=place))
        pending = pending_requests(self.store.requests(), session.compound, session.day)
        if pending:
            lines = "\n".join(f"- {r.day}  {visible(r.text)}" for r in pending)
            self.notify(
                lines,
                # The title on its own line, with no colon to wrap alone onto the next.
                title=t("session.requests_toast", compound=place),
                severity="warning",
                timeout=15,  # the home screen keeps listing them
            )
        self.reload_screens()

    # -- data changes -----------------------------------------------------

    def _watch_files(self) -> None:
        """Other processes' commits: the repository's change feed, followed in
        a thread from shortly after the first frame; what was committed
        since the app opened is reported then. A daemon thread of its own,
        not a worker: it runs as long as the app, and waiting for the
        workers to complete (as tests do) must not wait for it."""
        self.watching = "notifications" if self._use_notifications else "polling"
        threading.Thread(target=self._follow_changes, name="fielddesk-changes", daemon=True).start()

    def _follow_changes(self) -> None:
        for change in self._changes:
            if not change.mine:  # this process's screens showed their own saves
                self.post_message(DataChanged(change))
            elif self._sync_line:  # but one more record is waiting to be sent
                self.call_from_thread(self.recount_unsent)

    def on_data_changed(self, message: DataChanged) -> None:
        # Not while shutting down: the screens' widgets may already be gone.
        if self._exit or self._closing:
            return
        change = message.change
        self.reload_screens(change)
        if change.touches(Kind.RESIDENT, Kind.CERTIFICATION):
            self.recount_certifications()
        if self._sync_line:
            self.recount_unsent()

    def on_unmount(self) -> None:
        self._stop_feed.set()
        gc.enable()  # paused by a screen switch (_go) the app did not live to draw

    def reload_screens(self, changed: Change | None = None) -> None:
        """Show what another process (or a restore) changed; None: anything may have."""
        session = self.session_info()
        installed = [self.get_screen(n) for n in INSTALLED if self.is_screen_installed(n)]
        for screen in dict.fromkeys([*self.screen_stack, *installed]):
            if isinstance(screen, SessionScreen) and screen.is_mounted:
                screen.show_session(session)
                screen.data_changed(changed)

    def _file_name(self, problem: CorruptFile) -> str:
        """A damaged file's name as the repository knows it (relative to its folder)."""
        return os.path.relpath(problem.path, self.store.where()).replace(os.sep, "/")

    def _offer_recovery(self, problem: CorruptFile) -> None:
        rel = self._file_name(problem)
        if problem.moved_to is None:  # a read-only folder: said, left, nothing to restore
            self.notify(describe_error(problem), severity="error", timeout=30)
            return
        self._offer_restore(rel, problem.moved_to.name)

    def _offer_restore(self, rel: str, moved: str | None) -> None:
        """The recovery dialog for a file moved aside (`moved`) or missing (None)."""
        from tui.screens.recovery import RecoveryScreen

        backup_day = self.store.backup_day(rel)

        def chosen(restore: bool | None) -> None:
            if restore and backup_day is not None:
                self._restore(rel)

        self.push_screen(RecoveryScreen(rel, moved, backup_day), chosen)

    def _restore(self, rel: str) -> None:
        try:
            count = self.store.restore(rel)
        except (StoreError, ValueError) as err:
            self.notify(describe_error(err), severity="error", timeout=30)
            return
        self.notify(t("recovery.restored", file=rel, count=count))
        self.reload_screens()

    # -- actions ------------------------------------------------------------

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen  # loaded on first use: start-up stays quick

        if isinstance(self.screen, HelpScreen):  # F1 again closes it, as its footer says
            self.screen.dismiss(None)
            return
        rows = [(_key_label(k), d) for k, d in key_rows(self.screen)]
        for keys, msgid in getattr(self.screen, "HELP_EXTRA", ()):
            if (row := (_key_label(keys), t(msgid))) not in rows:
                rows.append(row)
        rows.append((_key_label("ctrl+p"), t("key.palette")))
        self.push_screen(HelpScreen(t(f"screen.{self.screen.id or 'home'}"), rows))

    def action_intake(self) -> None:
        from tui.screens.intake import IntakeScreen  # loaded on first use

        if not self.is_screen_installed("intake"):
            self.install_screen(IntakeScreen(self.store, self.desk, self.session_info()), "intake")
        self._go("intake")

    def action_queue(self) -> None:
        from tui.screens.queue import QueueScreen  # loaded on first use
        from tui.services.queue_desk import QueueDesk

        if not self.is_screen_installed("queue"):
            queue = QueueDesk(self.store, self.desk)
            self.install_screen(QueueScreen(queue, self.session_info()), "queue")
        self._go("queue")

    def action_cases(self) -> None:
        self._install_cases()
        self._go("cases")

    def _install_cases(self) -> None:
        from tui.screens.cases import CasesScreen  # loaded after start-up (_compose_ahead)

        if not self.is_screen_installed("cases"):
            self.install_screen(CasesScreen(self.store, self.session_info()), "cases")

    def _compose_ahead(self) -> None:
        """F4 opens as a switch: once the first screen is up, its screen is
        built, composed, filled, laid out and drawn (into its widgets' caches,
        not the terminal) while staff look at the home screen, so the first
        press only restyles and shows it (docs/BENCHMARKS.md). Done as
        push_screen and a resize would do it, with Textual's own internals
        (textual is pinned): it has no public way to do this off screen."""
        if self._exit or self._closing:
            return
        self._install_cases()
        screen = self.get_screen("cases")
        if not screen.is_running:
            self._register(self, screen)  # composes and mounts it, as push_screen would
            self._composing_ahead = True
        # An off-screen screen runs these once its queue is empty (Screen._on_idle).
        screen.call_after_refresh(self._lay_out_ahead, screen)

    async def action_quit(self) -> None:
        """Quit; while F4 is being composed ahead, first let it finish (a few
        milliseconds, at most AHEAD_WAIT): closing takes its widgets away
        half-mounted, and a Select then fails inside Textual, which ends the
        app with a traceback and exit code 1 (seen in CI: Ctrl+Q just after
        the first screen, on a loaded machine)."""
        deadline = time.monotonic() + AHEAD_WAIT
        while self._composing_ahead and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        self.exit()

    def _lay_out_ahead(self, screen: Screen[object]) -> None:
        self._composing_ahead = False  # its queue ran empty: every widget mounted
        if screen.is_current or not screen.is_mounted or self._exit:
            return
        screen._refresh_layout(self.size)  # sizes and places its widgets
        screen.call_after_refresh(self._draw_ahead, screen)

    def _draw_ahead(self, screen: Screen[object]) -> None:
        if screen.is_current or not screen.is_mounted or self._exit:
            return
        screen._compositor.render_update(full=True)  # each widget renders its lines once

    def action_review(self) -> None:
        from tui.screens.review import ReviewScreen  # loaded on first use

        if not self.is_screen_installed("review"):
            self.install_screen(ReviewScreen(self.store, self.session_info(), self.desk), "review")
        self._go("review")

    def action_certification(self) -> None:
        from tui.screens.certification import CertificationScreen  # loaded on first use

        if not self.is_screen_installed("certification"):
            screen = CertificationScreen(self.store, self.session_info())
            self.install_screen(screen, "certification")
        self._go("certification")

    def action_community(self) -> None:
        from tui.screens.community import CommunityScreen  # loaded on first use

        if not self.is_screen_installed("community"):
            self.install_screen(CommunityScreen(self.store, self.session_info()), "community")
        self._go("community")

    def action_conflicts(self) -> None:
        """F8: what two laptops' edits left for staff to settle."""
        from tui.screens.conflicts import ConflictsScreen  # loaded on first use

        if isinstance(self.screen, ConflictsScreen | ModalScreen):
            return
        self.push_screen(ConflictsScreen(self.store, self.session_info()))

    def action_sync(self) -> None:
        """F9: sync with the office server now (tui/store/sync.py)."""
        from tui.screens.sync import SyncScreen  # loaded on first use

        if isinstance(self.screen, ModalScreen):
            return
        url = self.store.settings().get("sync_url")
        if not url:
            self.notify(t("sync.app.no_url"), severity="warning", timeout=15)
            return
        if self.store.read_only:
            self.notify(t("app.read_only_notice"), severity="warning", timeout=15)
            return
        if any(w.group == "sync" and w.is_running for w in self.workers):
            return
        self.push_screen(SyncScreen(self.store, str(url)))

    def action_month_plan(self) -> None:
        """The month's rotation plan, over the screen it was asked from (the
        community screen opens it with a key; Esc goes back there)."""
        from tui.screens.plan import PlanScreen  # loaded on first use

        if isinstance(self.screen, PlanScreen | ModalScreen):
            return
        self.push_screen(PlanScreen(self.store, self.session_info()))

    def _go(self, name: str) -> None:
        """Show an installed top-level screen, coming back to home first: the
        stack is home and at most one of them (with its own dialogs or a
        case), so no screen is ever pushed twice (a second CaseScreen over
        the first raised DuplicateIds)."""
        target = self.get_screen(name)
        if isinstance(self.screen, ModalScreen):
            return  # a dialog is answered first (its draft or choice is not dropped)
        while self.screen is not target and not isinstance(self.screen, HomeScreen):
            self.pop_screen()
        if self.screen is not target:
            # No garbage collection in the middle of the switch (Textual does
            # the same while scrolling): it runs once the screen is drawn.
            if gc.isenabled():
                gc.disable()
                target.call_after_refresh(gc.enable)
            self.push_screen(target)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        from tui.domain.settings import THEMES  # loaded on first use, with validation

        yield SystemCommand(t("key.help"), t("palette.help"), self.action_help)
        yield SystemCommand(t("screen.intake"), t("palette.intake"), self.action_intake)
        yield SystemCommand(t("screen.queue"), t("palette.queue"), self.action_queue)
        yield SystemCommand(t("screen.cases"), t("palette.cases"), self.action_cases)
        yield SystemCommand(t("screen.review"), t("palette.review"), self.action_review)
        yield SystemCommand(
            t("screen.certification"), t("palette.certification"), self.action_certification
        )
        yield SystemCommand(t("screen.community"), t("palette.community"), self.action_community)
        yield SystemCommand(t("plan.palette"), t("plan.palette_help"), self.action_month_plan)
        # Every key of the screen the palette was opened on is a command too.
        for bindings in screen._bindings.key_to_bindings.values():
            for binding in bindings:
                if binding.id and binding.description:
                    yield SystemCommand(
                        binding.description,
                        t("palette.key", key=_key_label(binding.key)),
                        partial(self.run_action, binding.action, screen),
                    )
        for key in ("desk", "staff", "lang"):
            yield SystemCommand(
                t(f"settings.cmd.{key}"), t("settings.cmd.help"), partial(self.ask_setting, key)
            )
        for theme in THEMES:
            yield SystemCommand(
                t(f"settings.theme.{theme}"),
                t("settings.theme.help"),
                partial(self.use_theme, theme),
            )
        # Textual's own commands (theme, quit, keys, screenshot) in our language.
        for command in super().get_system_commands(screen):
            yield command._replace(
                title=_textual_text(command.title), help=_textual_text(command.help)
            )

    # -- this laptop's settings (fielddesk config) ------------------------------

    def ask_setting(self, key: str) -> None:
        from tui.screens.prompt import PromptScreen

        current = str(self.store.settings().get(key, ""))
        self.push_screen(
            PromptScreen(t(f"settings.ask.{key}"), current), partial(self._keep_setting, key)
        )

    def _keep_setting(self, key: str, answer: str | None) -> None:
        from tui.domain.settings import check_setting

        if answer is None:
            return
        try:
            value = check_setting(key, answer)
            self.store.save_setting(key, value)
        except CodedError as err:
            self.notify(describe_error(err), severity="error")
            return
        if key == "staff":  # who saves from now on
            self.staff = self.store.by = str(value)
            self.reload_screens(None)
            self.notify(t("settings.saved_now", key=key, value=value))
        else:
            self.notify(t("settings.saved_next_start", key=key, value=value))

    def use_theme(self, theme: str, *, keep: bool = True) -> None:
        self.theme = THEME_NAMES[theme]
        if keep:
            try:
                self.store.save_setting("theme", theme)
            except CodedError as err:
                self.notify(describe_error(err), severity="error")

    def action_command_palette(self) -> None:
        from tui.screens.palette import Palette

        if self.use_command_palette and not Palette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(Palette(placeholder=t("palette.placeholder"), id="--command-palette"))


def _textual_text(text: str) -> str:
    """A text Textual shows (a system command), translated when we have it."""
    return t(f"textual.{text}") if has(f"textual.{text}") else text


def _key_label(keys: str) -> str:
    """F1, Ctrl+Q, Esc: how staff read the keys on their keyboard. `keys` is a
    key ("ctrl+q") or a few, as a screen's HELP_EXTRA lists them: "up/down
    enter" (keys apart with spaces, either one with "/"). A key printed on
    the keyboard keeps that name; the others are named in the user's
    language (help.keyname: 空格, 回车, 上/下)."""

    def one(part: str) -> str:
        name = f"help.keyname.{part}"
        if has(name):
            return t(name)
        return part.upper() if len(part) <= 3 else part.title()

    return " ".join(
        "/".join("+".join(one(part) for part in key.split("+")) for key in group.split("/"))
        for group in keys.split()
    )

"""F6, the quarterly elderly-subsidy certification round: this quarter's
eligible residents by compound, certified or not yet; certifying at the desk
or after a home visit; the home-visit list and its export; importing the
office's resident sheets."""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from tui.domain.address import format_address
from tui.domain.certification import (
    CompoundRound,
    RoundEntry,
    days_left,
    quarter_days,
    quarter_of,
)
from tui.domain.errors import CodedError
from tui.domain.registry_import import ImportPlan
from tui.domain.states import CertMethod
from tui.i18n import t
from tui.messages import describe_error
from tui.repository.events import Change, Kind
from tui.repository.interface import Repository
from tui.screens.base import CertificationsChanged, SessionScreen, keep_loaded
from tui.screens.keys import translate_bindings
from tui.screens.prompt import PromptScreen
from tui.services.certification import (
    certify_resident,
    open_certification_cases,
    resolve_cases,
    withdraw_certification,
)
from widgets.plain import plain, themed, visible
from widgets.session_bar import SessionBar, SessionInfo
from widgets.status_line import StatusLine


class CertificationScreen(SessionScreen):
    BINDINGS = [
        Binding("enter", "certify('desk')", "key.certify_desk", id="cert-desk"),
        Binding("h", "certify('home_visit')", "key.certify_home", id="cert-home"),
        Binding("u", "withdraw", "key.withdraw", id="cert-withdraw"),
        Binding("v", "toggle_home_visits", "key.home_visit_list", id="cert-visits"),
        Binding("x", "export", "key.export_visits", id="cert-export"),
        Binding("i", "import_residents", "key.import_residents", id="cert-import", show=False),
        Binding("escape", "back", "key.back", id="cert-back"),
    ]

    HELP_EXTRA = (("enter", "key.certify_desk"), ("tab", "key.cert_lists"))

    def __init__(self, store: Repository, session: SessionInfo) -> None:
        super().__init__(session, id="certification")
        translate_bindings(self)
        self.store = store
        self.rounds: list[CompoundRound] = []
        self._import_folder: Path | None = None
        self.home_visits_only = False
        self._entries: list[RoundEntry] = []
        self._names: dict[str, str] = {}  # compound id -> name as shown
        self._name_width = 0
        # What another desk changed, still to work out (None: everything).
        self._wanted: frozenset[str] | None = frozenset()
        self._recertify = False
        self._counting = False  # a recount is under way in a worker

    def compose(self) -> ComposeResult:
        yield SessionBar(self._session, id="session-bar")
        yield Static(id="cert-heading", classes="heading", markup=False)
        with Horizontal(id="cert-lists"):
            yield OptionList(id="cert-compounds", compact=True, markup=False)
            yield OptionList(id="cert-residents", compact=True, markup=False)
        yield StatusLine(id="cert-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#cert-compounds").focus()

    @property
    def quarter(self) -> str:
        return quarter_of(self.store.today())

    def shows(self, change: Change) -> bool:
        return change.touches(Kind.RESIDENT, Kind.CERTIFICATION, Kind.COMPOUND)

    def reload(self) -> None:
        """The whole round, now (on showing, and after an import here)."""
        if self._counting:
            self._want(None)
            return
        from tui.report.certification import round_of

        self._show_rounds(round_of(self.store, self.quarter))
        keep_loaded()

    def catch_up(self, change: Change | None) -> None:
        """Another desk certified or changed residents: what changed is worked
        out again in a worker and shown when ready; the desk never waits. A
        resident's change reads that compound's residents alone; a
        certification's re-marks the entries already shown."""
        if (
            change is None
            or change.touches(Kind.COMPOUND)
            or not self.rounds
            or (change.touches(Kind.RESIDENT) and not change.compounds)  # which: not known
        ):
            self._want(None)
        else:
            self._want(change.compounds if change.touches(Kind.RESIDENT) else frozenset())
            self._recertify |= change.touches(Kind.CERTIFICATION)
        self._count_next()

    def _recount_here(self, compound: str) -> None:
        """This desk certified or withdrew: that compound's round, now (or
        after the recount under way, which would otherwise show it older)."""
        if self._counting:
            self._want(frozenset({compound}))
            return
        from tui.report.certification import compound_rounds

        self._show_compounds(compound_rounds(self.store, self.quarter, {compound}))

    # Recounts run one at a time, each on the rounds the one before showed,
    # so a slower, older one never hides a newer one's result.

    def _want(self, compounds: frozenset[str] | None) -> None:
        """Note compounds (None: all) to work out again."""
        if compounds is None or self._wanted is None:
            self._wanted = None
        else:
            self._wanted |= compounds

    def _count_next(self) -> None:
        if self._counting or (self._wanted == frozenset() and not self._recertify):
            return
        wanted, recertify = self._wanted, self._recertify
        self._wanted, self._recertify = frozenset(), False
        self._counting = True
        self._count(wanted, recertify, list(self.rounds))

    # A description given: Textual would otherwise repr the rounds (200 ms at 105,000).
    @work(thread=True, exit_on_error=False, group="cert-round", description="F6 recount")
    def _count(
        self, compounds: frozenset[str] | None, recertify: bool, rounds: list[CompoundRound]
    ) -> None:
        from tui.domain.certification import recertified
        from tui.report.certification import compound_rounds, round_of

        whole: list[CompoundRound] | None = None
        found: dict[str, CompoundRound | None] = {}
        try:
            if compounds is None:
                whole = round_of(self.store, self.quarter)
                keep_loaded()
            else:
                if recertify:
                    done = self.store.certifications(self.quarter)
                    found.update((r.compound, r) for r in recertified(rounds, done, self.quarter))
                found.update(compound_rounds(self.store, self.quarter, compounds))
        finally:  # shown, or on an error the next recount still runs
            self.app.call_from_thread(self._counted, whole, found)

    def _counted(
        self, whole: list[CompoundRound] | None, found: dict[str, CompoundRound | None]
    ) -> None:
        self._counting = False
        if whole is not None:
            self._show_rounds(whole)
        elif found:
            self._show_compounds(found)
        self._count_next()

    def _show_compounds(self, found: dict[str, CompoundRound | None]) -> None:
        """Some compounds' rounds worked out again."""
        known = {r.compound for r in self.rounds}
        if any((c in known) != (r is not None) for c, r in found.items()):
            # A compound gained its first eligible resident or lost its last.
            self._want(None)
            self._count_next()
            return
        shown = {id(r) for r in self.rounds}
        found = {c: r for c, r in found.items() if id(r) not in shown}  # the same: unchanged
        if not found:
            return
        self.rounds = [found.get(r.compound) or r for r in self.rounds]
        self._show_heading()
        compounds = self.query_one("#cert-compounds", OptionList)
        for compound_round in self.rounds:
            if compound_round.compound in found:
                compounds.replace_option_prompt(
                    compound_round.compound, self._compound_label(compound_round)
                )
        chosen = compounds.highlighted
        if chosen is not None and self.rounds[chosen].compound in found:
            self._show_residents()

    def _show_rounds(self, rounds: list[CompoundRound]) -> None:
        self.rounds = rounds
        names = {c.id: visible(c.name) for c in self.store.compounds()}  # as shown, to pad
        self._names = names
        self._name_width = max((cell_len(names.get(r.compound, "-")) for r in rounds), default=0)
        self._show_heading()
        compounds = self.query_one("#cert-compounds", OptionList)
        chosen = compounds.highlighted or 0
        compounds.clear_options()
        compounds.add_options([Option(self._compound_label(r), id=r.compound) for r in self.rounds])
        if self.rounds:
            compounds.highlighted = min(chosen, len(self.rounds) - 1)
        self._show_residents()

    def _show_heading(self) -> None:
        eligible = sum(r.eligible for r in self.rounds)
        done = sum(r.certified for r in self.rounds)
        last = quarter_days(self.quarter)[1]
        self.query_one("#cert-heading", Static).update(
            t(
                "cert.heading",
                quarter=self.quarter,
                last=last,
                days=days_left(self.quarter, self.store.today()),
                eligible=eligible,
                certified=done,
                remaining=eligible - done,
            )
            + ("  " + t("cert.home_visits_only") if self.home_visits_only else "")
        )

    def _compound_label(self, compound_round: CompoundRound) -> Text:
        name = self._names.get(compound_round.compound, "-")
        label = plain(name + " " * (self._name_width - cell_len(name) + 2))
        style = "green" if not compound_round.remaining else "yellow"
        label.append(f"{compound_round.certified}/{compound_round.eligible}", style=style)
        return label

    @on(OptionList.OptionHighlighted, "#cert-compounds")
    def _compound_moved(self) -> None:
        self._show_residents()

    def _show_residents(self) -> None:
        compounds = self.query_one("#cert-compounds", OptionList)
        residents = self.query_one("#cert-residents", OptionList)
        keep = residents.highlighted
        residents.clear_options()
        self._entries = []
        if compounds.highlighted is None or not self.rounds:
            return
        compound_round = self.rounds[compounds.highlighted]
        entries = [
            e for e in compound_round.entries if e.needs_home_visit or not self.home_visits_only
        ]
        self._entries = entries
        # Names and ages padded by their drawn width, so the columns line up.
        name_width = max((cell_len(e.resident.name) for e in entries), default=0)
        age_width = max((cell_len(self._age(e)) for e in entries), default=0)
        residents.add_options(
            [Option(themed(self._line(e, name_width, age_width))) for e in entries]
        )
        if entries:
            residents.highlighted = min(keep or 0, len(entries) - 1)

    @staticmethod
    def _age(entry: RoundEntry) -> str:
        return t("cert.age", age=entry.age) if entry.age is not None else "-"

    @classmethod
    def _line(cls, entry: RoundEntry, name_width: int, age_width: int) -> Text:
        person = entry.resident
        mark = Text("✓ ", style="green") if entry.certified else Text("- ", style="yellow")
        mark.append(person.name + " " * (name_width - cell_len(person.name)), style="bold")
        age = cls._age(entry)
        age += " " * (age_width - cell_len(age))
        mark.append(f"  {age}  {format_address(person.building, person.unit, person.room)}")
        if entry.certified:
            how = t(f"cert.method.{entry.certified.method}")
            mark.append(f"  {entry.certified.day[5:]} {how}", style="green")
        elif entry.needs_home_visit:
            mark.append(f"  {t('cert.needs_home_visit')}", style="yellow")
        return mark

    # -- certifying -----------------------------------------------------------

    def action_certify(self, method: str) -> None:
        residents = self.query_one("#cert-residents", OptionList)
        if residents.highlighted is None or not self._entries:
            self._status(t("cert.pick_resident"), error=True)
            return
        entry = self._entries[residents.highlighted]
        try:
            certify_resident(self.store, entry.resident, method)
        except CodedError as err:
            self._status(describe_error(err), error=True)
            return
        self._status(t("cert.done", name=entry.resident.name, method=t(f"cert.method.{method}")))
        self._recount_here(entry.resident.compound)
        self.post_message(CertificationsChanged())
        self._offer_to_resolve(entry.resident.id, entry.resident.name, method)

    def _offer_to_resolve(self, resident: str, name: str, method: str) -> None:
        """The resident's open certification case, logged at an intake, is
        done now: offered to be resolved, not left open to be chased."""
        from tui.screens.confirm import ConfirmScreen

        cases = open_certification_cases(self.store, resident)
        if not cases:
            return

        def answered(yes: bool | None) -> None:
            if not yes:
                return
            note = t("cert.case_note", method=t(f"cert.method.{method}"))
            try:
                resolve_cases(self.store, cases, note)
            except CodedError as err:
                self._status(describe_error(err), error=True)
                return
            self._status(t("cert.case_resolved", name=name, count=len(cases)))

        question = t("cert.resolve_question", name=name, count=len(cases))
        self.app.push_screen(ConfirmScreen(question, t("key.yes"), t("key.no")), answered)

    def action_withdraw(self) -> None:
        """u: a certification recorded by mistake is withdrawn, with a reason."""
        residents = self.query_one("#cert-residents", OptionList)
        if residents.highlighted is None or not self._entries:
            self._status(t("cert.pick_resident"), error=True)
            return
        entry = self._entries[residents.highlighted]
        record = entry.certified
        if record is None:
            self._status(t("cert.not_certified", name=entry.resident.name), error=True)
            return

        def answered(reason: str | None) -> None:
            if reason is None or record is None:
                return
            try:
                withdraw_certification(self.store, record, reason)
            except CodedError as err:
                self._status(describe_error(err), error=True)
                return
            self._status(t("cert.withdrawn", name=entry.resident.name))
            self._recount_here(entry.resident.compound)
            self.post_message(CertificationsChanged())

        question = t("cert.ask_withdraw", name=entry.resident.name, day=record.day)
        self.app.push_screen(PromptScreen(question), answered)

    @on(OptionList.OptionSelected, "#cert-residents")
    def _selected(self) -> None:
        self.action_certify(CertMethod.DESK)

    @on(OptionList.OptionSelected, "#cert-compounds")
    def _compound_chosen(self) -> None:
        self.query_one("#cert-residents").focus()

    def action_toggle_home_visits(self) -> None:
        self.home_visits_only = not self.home_visits_only
        self._show_heading()
        self._show_residents()

    def action_export(self) -> None:
        from tui.report.certification import home_visit_report
        from tui.report.collect import write_reports

        quarter = self.quarter
        try:
            folder = write_reports(
                self.store,
                home_visit_report(self.store, quarter),
                f"certification-{quarter}",
                f"home-visits-{quarter}",
                ("md", "xlsx"),
            )
        except CodedError as err:
            self._status(describe_error(err), error=True)
            return
        except OSError as err:
            self._status(t("review.report_failed", reason=str(err)), error=True)
            return
        self._status(t("cert.exported", folder=folder))

    # -- importing the office's sheets ------------------------------------------

    def action_import_residents(self) -> None:
        from tui.screens.file_pick import FilePickScreen

        def answered(path: Path | None) -> None:
            if path is not None:
                self._import_folder = path.parent  # the next import starts there
                self._status(t("cert.reading", file=path))
                self._plan(path)

        start = self._import_folder or Path.home()
        self.app.push_screen(FilePickScreen(t("cert.ask_file"), start), answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def _plan(self, path: Path) -> None:
        """Reading 10,000 rows takes a few seconds: not on the UI thread."""
        from tui.registry.apply import plan_file

        try:
            # The preview lists any compound the sheet would add; y is the consent.
            plan = plan_file(self.store, path, new_compounds=True)
        except CodedError as err:
            self.app.call_from_thread(self._status, describe_error(err), error=True)
            return
        self.app.call_from_thread(self._preview, plan)

    def _preview(self, plan: ImportPlan) -> None:
        from tui.registry.apply import write
        from tui.screens.import_preview import ImportPreviewScreen

        def chosen(answer: str | None) -> None:
            if answer is None:
                self._status(t("residents.not_written"))
                return
            try:
                written = write(self.store, plan, skip_bad=answer == "skip_bad")
            except CodedError as err:
                self._status(describe_error(err), error=True)
                return
            if written:
                self._status(
                    t("residents.written", count=plan.residents_written)
                    if plan.writes
                    else t("residents.nothing_new")
                )
                self.reload()
                self.post_message(CertificationsChanged())

        self.app.push_screen(ImportPreviewScreen(plan, self.store.compounds()), chosen)

    # -- helpers ----------------------------------------------------------------

    def _status(self, message: str, *, error: bool = False) -> None:
        self.query_one("#cert-status", StatusLine).say(message, error=error)

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

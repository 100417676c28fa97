"""F7, the community: its compounds, staff, outside bodies, request
categories and profile, one list at a time (1-5 or left/right). `a` adds,
Enter edits, `x` retires (or brings back) an item, `i` takes the office's
workbook. Retired items stay listed, marked, and in every record."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, OptionList, Static

from tui.domain.community import (
    SECTIONS,
    RegistryItem,
    blank,
    fixed_choices,
    label,
    linked_compounds,
    linked_staff,
    set_active,
)
from tui.domain.errors import CodedError
from tui.domain.phone import display_phone
from tui.domain.records import Category, Community, Compound, OutsideParty, Record, StaffMember
from tui.i18n import language, t
from tui.messages import describe_error
from tui.repository.events import Change
from tui.repository.interface import Repository
from tui.screens.base import SessionScreen
from tui.screens.keys import translate_bindings
from widgets.plain import plain
from widgets.session_bar import SessionBar, SessionInfo
from widgets.status_line import StatusLine

ORDER = tuple(SECTIONS)  # compounds, staff, parties, categories, profile


def cell(text: str, width: int) -> Text:
    """A column of a row: cut or padded to `width` terminal cells."""
    shown = plain(text)
    shown.truncate(width, overflow="ellipsis", pad=True)
    shown.append(" ")
    return shown


class CommunityScreen(SessionScreen):
    BINDINGS = [
        Binding("a", "add", "key.add", id="community-add"),
        Binding("enter", "edit", "key.edit", id="community-edit"),
        Binding("x", "retire", "key.retire", id="community-retire"),
        Binding("i", "import_sheet", "key.import_sheet", id="community-import"),
        Binding("p", "plan", "key.month_plan", id="community-plan"),
        Binding("left", "section(-1)", "key.section_prev", id="community-prev", show=False),
        Binding("right", "section(1)", "key.section_next", id="community-next", show=False),
        *(
            Binding(str(n), f"show('{name}')", f"community.section.{name}", show=False)
            for n, name in enumerate(ORDER, 1)
        ),
        Binding("escape", "back", "key.back", id="community-back"),
    ]
    HELP_EXTRA = (("enter", "key.edit"), ("1-5", "community.help_sections"))

    def __init__(self, store: Repository, session: SessionInfo, *, setup: bool = False) -> None:
        super().__init__(session, id="community")
        translate_bindings(self)
        self.store = store
        self.setup = setup  # first run: the hint says what to do next
        self.section = "compounds"
        self._shown: list[Record] = []

    def compose(self) -> ComposeResult:
        yield SessionBar(self._session, id="session-bar")
        yield Static(id="community-tabs", markup=False)
        if self.setup:
            yield Static(t("setup.lists_hint"), id="community-setup", markup=False)
        yield Static(id="community-header", markup=False)
        yield OptionList(id="community-list", markup=False)
        yield StatusLine(id="community-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#community-list", OptionList).focus()

    def resumed(self, change: Change | None, missed: bool) -> None:
        self.reload()

    # -- what is shown ------------------------------------------------------

    def items(self, section: str) -> list[Record]:
        store = self.store
        if section == "compounds":
            return list(store.compounds())
        if section == "staff":
            return list(store.staff())
        if section == "parties":
            return list(store.parties())
        if section == "categories":
            return list(store.categories())
        profile = store.community()
        return [profile] if profile else []

    def reload(self) -> None:
        counts = {s: len(self.items(s)) for s in ORDER[:-1]}
        tabs = Text()
        for number, name in enumerate(ORDER, 1):
            title = t(f"community.section.{name}")
            if name in counts:
                title = f"{title} {counts[name]}"
            style = "reverse bold" if name == self.section else ""
            tabs.append(f" {number} {title} ", style=style)
        self.query_one("#community-tabs", Static).update(tabs)
        self._shown = self.items(self.section)
        header, rows = self._rows(self._shown)
        self.query_one("#community-header", Static).update(Text(header, style="bold"))
        table = self.query_one("#community-list", OptionList)
        highlighted = table.highlighted
        table.clear_options()
        table.add_options(rows)
        if rows:
            table.highlighted = min(highlighted or 0, len(rows) - 1)
        if not rows:
            self._status(t(f"community.empty.{self.section}"))

    def _rows(self, items: Sequence[Record]) -> tuple[str, list[Text]]:
        zh = language() == "zh"
        names = {c.id: c.name for c in self.store.compounds()}
        staff = {s.id: s.name for s in self.store.staff()}
        rows: list[Text] = []
        if self.section == "profile":
            profile = items[0] if items else None
            if not isinstance(profile, Community):
                return "", [Text(t("community.no_profile"))]
            for name in ("name", "sub_district", "phone", "secretary", "secretary_phone"):
                value = getattr(profile, name)
                value = display_phone(value) if "phone" in name else value
                title = t("community.col_name") if name == "name" else t(f"field.name.{name}")
                rows.append(cell(title, 14) + plain(value))
            return "", rows
        headers = {
            # Wide enough for the English headings; the rest of a row is its tail.
            "compounds": (("name", 18), ("short", 10), ("households", 10), ("grid_worker", 11)),
            "staff": (("name", 10), ("role", 15), ("phone", 14), ("compounds", 30)),
            "parties": (("name", 22), ("type", 8), ("contact_person", 14), ("phone", 14)),
            "categories": (("letter", 6), ("name", 24), ("triage", 13), ("owner_rule", 14)),
        }[self.section]
        # A compound or a body has a 名称, a person a 姓名.
        titles = {"name": t("community.col_name")} if self.section != "staff" else {}
        head = "".join(cell(titles.get(n) or t(f"field.name.{n}"), w).plain for n, w in headers)
        head += {"compounds": t("field.name.address"), "categories": t("field.name.due_days")}.get(
            self.section, ""
        )
        for item in items:
            row = Text()
            if isinstance(item, Compound):
                worker = staff.get(item.grid_worker, "")
                values = (item.name, item.short, str(item.households or ""), worker)
                tail = item.address
            elif isinstance(item, StaffMember):
                covered = "、".join(names.get(c, "") for c in item.compounds)
                values = (item.name, t(f"role.{item.role}"), display_phone(item.phone), covered)
                tail = ""
            elif isinstance(item, OutsideParty):
                kind = t(f"party_type.{item.type}")
                values = (item.name, kind, item.contact_person, display_phone(item.phone))
                tail = ""
            elif isinstance(item, Category):
                rule = t(f"owner_rule.{item.owner_rule}")
                values = (item.letter, label(item, zh), t(f"triage.{item.triage}"), rule)
                tail = t("community.due_days", days=item.due_days)
            else:
                continue
            for value, (_, width) in zip(values, headers, strict=True):
                row.append_text(cell(value, width))
            row.append_text(plain(tail))
            if not getattr(item, "active", True):
                # Marked at the end, so the columns stay in line.
                row.append(" " + t("community.retired_mark").strip())
                row.stylize("dim")
            rows.append(row)
        return head, rows

    def _status(self, message: str, *, error: bool = False) -> None:
        self.query_one("#community-status", StatusLine).say(message, error=error)

    def _current(self) -> Record | None:
        index = self.query_one("#community-list", OptionList).highlighted
        if index is None or index >= len(self._shown):
            return None
        return self._shown[index]

    # -- keys ---------------------------------------------------------------

    def action_show(self, section: str) -> None:
        self.section = section
        self.query_one("#community-list", OptionList).highlighted = 0
        self._status("")
        self.reload()

    def action_section(self, step: int) -> None:
        self.action_show(ORDER[(ORDER.index(self.section) + step) % len(ORDER)])

    def choices(self) -> dict[str, list[tuple[str, str]]]:
        """The lists a form's pickers draw on: only items still in use."""
        found: dict[str, list[tuple[str, str]]] = {
            "staff": [(s.name, s.id) for s in self.store.staff() if s.active],
            "compounds": [(c.name, c.id) for c in self.store.compounds() if c.active],
        }
        names = {
            "roles": "role",
            "party_types": "party_type",
            "letters": "",
            "triage": "triage",
            "owner_rules": "owner_rule",
        }
        for name, prefix in names.items():
            found[name] = [(t(f"{prefix}.{v}") if prefix else v, v) for v in fixed_choices(name)]
        return found

    def action_add(self) -> None:
        kind = SECTIONS[self.section]
        if kind == "community" and self.store.community() is not None:
            self.action_edit()
            return
        self._open_form(blank(kind), t(f"community.add.{self.section}"))

    def action_edit(self) -> None:
        item = self._current()
        if item is None:
            if self.section == "profile":
                self._open_form(blank("community"), t("community.add.profile"))
            return
        self._open_form(item, t("community.edit", name=label(item, language() == "zh")))

    @on(OptionList.OptionSelected, "#community-list")
    def _chosen(self) -> None:
        self.action_edit()  # Enter on the list

    def _open_form(self, record: Record, title: str) -> None:
        from tui.screens.registry_form import RegistryFormScreen

        siblings = self.items(self.section)
        self.app.push_screen(
            RegistryFormScreen(record, title, self.choices(), siblings), self._save
        )

    def _save(self, record: Record | None) -> None:
        if record is None:
            return
        records: list[Record] = [record]
        if isinstance(record, Compound):
            records += linked_staff(record, self.store.staff())
        elif isinstance(record, StaffMember):
            records += linked_compounds(record, self.store.compounds())
        if isinstance(record, Community) and not self.store.categories():
            from tui.domain.community import first_records

            records = first_records(record, [])
        try:
            self.store.save_many(records)
        except CodedError as err:
            self._status(describe_error(err), error=True)
            return
        self._status(t("community.saved", name=label(record, language() == "zh")))
        self.reload()

    def action_retire(self) -> None:
        from tui.screens.confirm import ConfirmScreen

        item = self._current()
        if not isinstance(item, Compound | StaffMember | OutsideParty | Category):
            return
        name = label(item, language() == "zh")
        retiring = item.active
        question = t("community.retire_q" if retiring else "community.restore_q", name=name)
        yes = t("community.retire_yes" if retiring else "community.restore_yes")

        def answered(yes_: bool | None) -> None:
            if yes_:
                self._set_active(item, not retiring)

        self.app.push_screen(ConfirmScreen(question, yes, t("key.no")), answered)

    def _set_active(self, item: RegistryItem, active: bool) -> None:
        try:
            self.store.save(set_active(item, active))
        except CodedError as err:
            self._status(describe_error(err), error=True)
            return
        key = "community.restored" if active else "community.retired"
        self._status(t(key, name=label(item, language() == "zh")))
        self.reload()

    def action_import_sheet(self) -> None:
        from tui.screens.file_pick import FilePickScreen

        self.app.push_screen(FilePickScreen(t("community.pick_sheet"), Path.home()), self._import)

    def _import(self, path: Path | None) -> None:
        from tui.registry.community_io import (
            describe_community_plan,
            plan_community_file,
            write_community,
        )
        from tui.screens.sheet_preview import SheetPreviewScreen

        if path is None:
            return
        try:
            plan = plan_community_file(self.store, path)
        except CodedError as err:
            self._status(describe_error(err), error=True)
            return

        def chosen(answer: str | None) -> None:
            if answer is None:
                self._status(t("residents.not_written"))
                return
            try:
                write_community(self.store, plan, skip_bad=answer == "skip_bad")
            except CodedError as err:
                self._status(describe_error(err), error=True)
                return
            self._status(t("community.imported", file=path.name))
            self.reload()

        lines = describe_community_plan(plan)
        self.app.push_screen(SheetPreviewScreen(lines, rejected=bool(plan.rejected)), chosen)

    def action_plan(self) -> None:
        self.app.action_month_plan()  # type: ignore[attr-defined]

    def action_back(self) -> None:
        if self.setup:
            self.dismiss(None)  # first run goes on to today's session
        elif len(self.app.screen_stack) > 1:
            self.app.pop_screen()

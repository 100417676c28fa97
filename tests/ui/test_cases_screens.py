"""Triage and follow-up cases through Pilot, checked on disk."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Select, Static

from tests.conftest import PYTHON, ROOT, TODAY, open_today, python_env
from tests.ui.conftest import AppFactory, screen_text, show_case, shown, until, wait_for_screen
from tests.ui.imported_names import choose
from tests.ui.test_intake import open_intake, today_visits
from tui.domain.cases import CaseError, CaseFilter, check_step, filter_cases
from tui.domain.phone import display_phone
from tui.i18n import set_language
from tui.messages import describe_error
from tui.screens.case_contact import CaseContactScreen
from tui.screens.case_detail import AssignScreen, CaseScreen, ReplyScreen
from tui.screens.cases import CasesScreen
from tui.screens.home import HomeScreen
from tui.screens.prompt import PromptScreen
from tui.screens.queue import QueueScreen
from tui.screens.triage import TriageScreen
from tui.store.repository import Store

DAY = TODAY.isoformat()


def fresh(data: Path) -> Store:
    return Store(data, device="r", by="r")


async def test_done_at_the_desk_opens_triage_and_handles_now(
    app_on: AppFactory, sample_dir: Path
) -> None:
    app = app_on(sample_dir)
    open_today(app.store)  # a ticket is issued in an open session only
    async with app.run_test(size=(100, 30)) as pilot:
        await open_intake(app, pilot)
        await pilot.press(*"Zed", "tab", "tab", "tab", "tab", "1", "enter", "ctrl+s")
        await pilot.pause()
        await pilot.press("f3")
        await wait_for_screen(pilot, QueueScreen)
        await pilot.press("n", "s", "d")
        await wait_for_screen(pilot, TriageScreen)
        triage = app.screen
        assert triage.query_one("#decision").selected == ("now",)  # type: ignore[attr-defined]
        triage.query_one("#outcome", Input).focus()
        await pilot.press(*"done on the spot", "ctrl+s")
        await wait_for_screen(pilot, QueueScreen)
        (visit,) = today_visits(sample_dir)
        assert (visit["status"], visit["triage"], visit["outcome"]) == (
            "handled",
            "now",
            "done on the spot",
        )


async def test_serve_now_intake_logs_a_case_with_defaults(
    app_on: AppFactory, sample_dir: Path
) -> None:
    app = app_on(sample_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_intake(app, pilot)
        await pilot.press(*"Zed", "tab", *"13800138000", "tab", *"新宁路11", "enter", "tab")
        await pilot.press("8", "enter", *"drain")
        screen.query_one("#mode").focus()
        await pilot.press("2", "ctrl+s")
        await wait_for_screen(pilot, TriageScreen)
        assert app.screen.query_one("#decision").selected == ("later",)  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, type(screen))
        store = fresh(sample_dir)
        (visit,) = store.visits(DAY)
        (case,) = [c for c in store.open_cases() if c.visit == visit.id]
        compound = next(c for c in store.compounds() if c.id == visit.compound)
        party = next(p for p in store.parties() if p.id == case.owner)
        assert (visit.status, visit.case) == ("logged", case.id)
        assert (case.owner_kind, party.type, case.chaser) == (
            "party",
            "property",
            compound.grid_worker,
        )
        assert case.due == "2026-12-02" and case.reply_via == "phone"  # 3 working days


async def test_override_needs_and_keeps_a_reason(app_on: AppFactory, sample_dir: Path) -> None:
    app = app_on(sample_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_intake(app, pilot)
        await pilot.press(*"Zed", "tab", "tab", "tab", "tab", "8", "enter")
        screen.query_one("#mode").focus()
        await pilot.press("2", "ctrl+s")
        await wait_for_screen(pilot, TriageScreen)
        triage = app.screen
        triage.query_one("#decision").focus()
        await pilot.press("1")  # handle now, against the suggestion
        triage.query_one("#outcome", Input).value = "fixed it"
        await pilot.press("ctrl+s")
        assert shown(triage.query_one("#triage-error", Static)) == (
            "The decision differs from the suggestion: say why."
        )
        triage.query_one("#override", Input).value = "水暖工在场"
        await pilot.press("ctrl+s")
        await pilot.pause()
        (visit,) = today_visits(sample_dir)
        assert (visit["triage"], visit["triage_suggested"], visit["triage_override_reason"]) == (
            "now",
            "later",
            "水暖工在场",
        )


def rows(table: OptionList) -> int:
    return table.option_count


async def test_f4_filters_match_the_data(app_on: AppFactory, sample_dir: Path) -> None:
    app = app_on(sample_dir)
    store = fresh(sample_dir)
    cases = store.open_cases()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4")
        await wait_for_screen(pilot, CasesScreen)
        screen = app.screen
        table = screen.query_one("#case-table", OptionList)
        assert rows(table) == len(filter_cases(cases, CaseFilter(), DAY)) > 0
        summary = shown(screen.query_one("#cases-summary", Static))
        due_today = len(filter_cases(cases, CaseFilter(due="today"), DAY))
        assert f"Due today: {due_today}" in summary
        for select_id, value, wanted in (
            ("#f-due", "overdue", CaseFilter(due="overdue")),
            ("#f-status", "assigned", CaseFilter(status="assigned")),
            ("#f-owner", cases[0].owner, CaseFilter(owner=cases[0].owner)),
            ("#f-category", cases[0].category, CaseFilter(category=cases[0].category)),
        ):
            screen.query_one(select_id, Select).value = value
            await pilot.pause()
            expected = filter_cases(cases, wanted, DAY)
            assert rows(table) == len(expected) > 0, select_id
            assert table.get_option_at_index(0).id == expected[0].id
            screen.query_one(select_id, Select).clear()
            await pilot.pause()
        screen.query_one("#f-status", Select).value = "closed"
        await pilot.pause()
        closed = fresh(sample_dir).closed_cases(fresh(sample_dir).archive_months()[0])
        assert rows(table) == len(closed) > 0


async def test_a_case_followed_to_closure(app_on: AppFactory, sample_dir: Path) -> None:
    store = fresh(sample_dir)
    case = next(c for c in filter_cases(store.open_cases(), CaseFilter(status="assigned"), DAY))
    app = app_on(sample_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4")
        await wait_for_screen(pilot, CasesScreen)
        screen = app.screen
        screen.query_one("#f-status", Select).value = "assigned"
        await pilot.pause()
        table = screen.query_one("#case-table", OptionList)
        keys = [table.get_option_at_index(i).id for i in range(table.option_count)]
        table.highlighted = keys.index(case.id)
        table.focus()
        await pilot.press("enter")
        await wait_for_screen(pilot, CaseScreen)
        await pilot.press("c")  # cannot close yet: says why by name, and what comes first
        assert shown(app.screen.query_one("#case-status", Static)) == (
            "This case is assigned: it cannot be closed now. "
            "Start the work first (g), or mark it resolved (v)."
        )
        await pilot.press("g", "v")
        await wait_for_screen(pilot, PromptScreen)
        await pilot.press(*"pipe replaced", "enter")
        await wait_for_screen(pilot, CaseScreen)
        await pilot.press("y")
        await wait_for_screen(pilot, ReplyScreen)
        await pilot.press("ctrl+s")  # by phone, satisfied: the defaults
        await wait_for_screen(pilot, CaseScreen)
        await pilot.press("n")
        await wait_for_screen(pilot, PromptScreen)
        await pilot.press(*"thanked us", "enter")
        await wait_for_screen(pilot, CaseScreen)
        await pilot.press("c")
        await pilot.pause()
        timeline = shown(app.screen.query_one("#case-timeline", Static))
        assert "work started" in timeline and "pipe replaced" in timeline
    after = fresh(sample_dir)
    assert case.id not in {c.id for c in after.open_cases()}
    (closed,) = [c for c in after.closed_cases(case.day[:7]) if c.id == case.id]
    assert closed.status == "closed" and closed.reply and closed.reply["satisfied"] is True
    assert [e["action"] for e in closed.timeline][-5:] == [
        "start",
        "resolve",
        "reply",
        "note",
        "close",
    ]


async def test_assign_opens_when_the_owner_is_unknown(app_on: AppFactory, sample_dir: Path) -> None:
    """An owner who left or was never there (an import can bring either):
    the dialog opens with no owner chosen instead of crashing the app."""
    import orjson

    path = sample_dir / "cases" / "open.json"
    tables = orjson.loads(path.read_bytes())
    for case in tables["case"].values():
        case["owner_kind"], case["owner"], case["chaser"] = "party", "nope", "nope"
    path.write_bytes(orjson.dumps(tables))
    app = app_on(sample_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4")
        await wait_for_screen(pilot, CasesScreen)
        table = app.screen.query_one("#case-table", OptionList)
        table.highlighted = 0
        table.focus()
        await pilot.press("enter")
        await wait_for_screen(pilot, CaseScreen)
        await pilot.press("a")
        await pilot.pause()
        assert app.screen.id == "assign"
        assert app.screen.query_one("#assign-owner", Select).value is Select.NULL
        assert app.is_running


async def test_resolved_without_an_outcome_is_refused(app_on: AppFactory, sample_dir: Path) -> None:

    case = next(c for c in fresh(sample_dir).open_cases() if c.status == "assigned")
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await show_case(pilot, case)
        await pilot.press("v")
        await wait_for_screen(pilot, PromptScreen)
        await pilot.press("enter")  # nothing typed
        await wait_for_screen(pilot, CaseScreen)
        status = shown(app.screen.query_one("#case-status", Static))
        assert status == "Say what was done: the resident will be told."
    stored = next(c for c in fresh(sample_dir).open_cases() if c.id == case.id)
    assert (stored.status, stored.rev) == ("assigned", case.rev)


async def test_a_refused_triage_puts_the_cursor_where_the_fix_goes(
    app_on: AppFactory, sample_dir: Path
) -> None:
    app = app_on(sample_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_intake(app, pilot)
        await pilot.press(*"Zed", "tab", "tab", "tab", "tab", "1", "enter")
        screen.query_one("#mode").focus()
        await pilot.press("2", "ctrl+s")
        await wait_for_screen(pilot, TriageScreen)
        triage = app.screen
        triage.query_one("#decision").focus()
        await pilot.press("1", "ctrl+s")  # handle now, no outcome typed
        await pilot.pause()
        assert shown(triage.query_one("#triage-error", Static)) == "Write what was done."
        assert triage.focused is triage.query_one("#outcome")
        await pilot.press(*"已办好")  # typed straight on lands in the outcome
        assert triage.query_one("#outcome", Input).value == "已办好"
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, type(screen))
    (visit,) = today_visits(sample_dir)
    assert (visit["status"], visit["outcome"]) == ("handled", "已办好")


async def test_f4_search_by_pinyin_and_phone(app_on: AppFactory, sample_dir: Path) -> None:
    store = fresh(sample_dir)
    target = next(c for c in store.open_cases() if c.phone)
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await wait_for_screen(pilot, CasesScreen)
        table = app.screen.query_one("#case-table", OptionList)
        every = rows(table)
        await pilot.press("slash", *target.phone[-4:])
        await pilot.pause()
        shown_ids = [table.get_option_at_index(i).id for i in range(rows(table))]
        assert target.id in shown_ids and len(shown_ids) < every
        assert all(target.phone[-4:] in c.phone for c in store.open_cases() if c.id in shown_ids)
        await pilot.press("enter")  # back to the list, the search kept
        assert app.focused is table and rows(table) == len(shown_ids)
        await pilot.press("enter")
        await wait_for_screen(pilot, CaseScreen)


async def test_f4_composed_ahead_shows_what_another_desk_changed_meanwhile(
    app_on: AppFactory, sample_dir: Path
) -> None:
    """F4's screen is built while staff look at the home screen; a case another
    process changes after that is in it when F4 is pressed."""
    app = app_on(sample_dir)
    script = (
        "import sys, dataclasses\n"
        "from datetime import date\n"
        "from tui.store.repository import Store\n"
        "from tui.domain.calendar import fixed_clock\n"
        "s = Store(sys.argv[1], device='other', by='other', clock=fixed_clock(date(2026,11,27)))\n"
        "c = next(c for c in s.open_cases() if c.due != '2026-11-27')\n"
        "s.save(dataclasses.replace(c, due='2026-11-27'))\n"
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await until(
            pilot,
            lambda: app.is_screen_installed("cases") and app.get_screen("cases").is_mounted,
            what="F4's screen composed ahead, once the home screen is up",
        )
        assert not isinstance(app.screen, CasesScreen)
        subprocess.run(
            [PYTHON, "-c", script, str(sample_dir)],
            cwd=ROOT,
            env=python_env(),
            check=True,
            timeout=60,
        )
        cases = fresh(sample_dir).open_cases()
        due_today = len(filter_cases(cases, CaseFilter(due="today"), DAY))
        tile = app.screen.query_one("#stat-due", Static)
        await until(
            pilot,
            lambda: shown(tile) == f"Due today {due_today}",
            10,
            lambda: f"the change shown at home: Due today {due_today} (at {shown(tile)!r})",
        )
        await pilot.press("f4")
        await wait_for_screen(pilot, CasesScreen)
        summary = shown(app.screen.query_one("#cases-summary", Static))
        assert f"Due today: {due_today}" in summary
        table = app.screen.query_one("#case-table", OptionList)
        assert rows(table) == len(filter_cases(cases, CaseFilter(), DAY))


async def test_e_logs_only_what_changed_in_the_savers_words(
    app_on: AppFactory, sample_dir: Path
) -> None:
    """The dialog shows the stored +86… number as staff write it; unchanged, it
    is not logged as changed. Changing how the resident is told writes a
    note with the field's and the channel's names in zh, never
    'reply_via: next_session'."""
    set_language("zh")
    app = app_on(sample_dir, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        case = next(
            c for c in app.store.open_cases() if c.phone and c.reply_via == "phone" and c.due
        )
        await show_case(pilot, case)
        await pilot.press("e")
        await wait_for_screen(pilot, CaseContactScreen)
        assert app.screen.query_one("#contact-phone", Input).value == display_phone(case.phone)
        await pilot.press("ctrl+s")  # nothing changed: nothing logged
        await wait_for_screen(pilot, CaseScreen)
        stored = next(c for c in fresh(sample_dir).open_cases() if c.id == case.id)
        assert stored.timeline == case.timeline and stored.phone == case.phone
        await pilot.press("e")
        await wait_for_screen(pilot, CaseContactScreen)
        app.screen.query_one("#contact-reply-via").focus()
        await pilot.press("3")  # 下次服务时
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, CaseScreen)
        stored = next(c for c in fresh(sample_dir).open_cases() if c.id == case.id)
        assert (stored.phone, stored.reply_via) == (case.phone, "next_session")
        note = stored.timeline[-1]["note"]
        assert note == "答复方式改为下次服务时", note
        assert note in screen_text(app)


async def test_a_step_the_case_cannot_take_is_refused_before_anything_is_typed(
    app_on: AppFactory, sample_dir: Path
) -> None:
    """v on a logged case and y on a closed one said no only after the
    outcome or the reply was typed, and the text was lost: now at once."""
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        store = app.store
        closed = [c for month in store.archive_months() for c in store.closed_cases(month)]
        for status, key in (("logged", "v"), ("closed", "y"), ("closed", "v"), ("closed", "a")):
            case = next(c for c in [*store.open_cases(), *closed] if c.status == status)
            await show_case(pilot, case)
            screen = app.screen
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is screen, (status, key, app.screen)  # no dialog to type into
            said = shown(screen.query_one("#case-status", Static))
            step = CaseScreen.STEP_KEYS[key]
            with pytest.raises(CaseError) as refusal:
                check_step(case, step)
            assert said == describe_error(refusal.value), (status, key, said)
            assert "cannot" in said
            await pilot.press("escape")
            await pilot.pause()


async def test_triage_saves_the_chaser_it_shows(app_on: AppFactory, sample_dir: Path) -> None:
    """Desk 2: the visit goes to an outside body, chased by the compound's grid
    worker; the owner changed to a staff member, who chases it themselves:
    the chaser field says so (it showed the grid worker, and the save
    stored the staff member)."""
    set_language("zh")
    app = app_on(sample_dir, lang="zh", desk=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, HomeScreen)
        store = app.store
        undecided = [v for v in store.visits("2026-11-20") if v.status == "open"]
        screens = [TriageScreen(store, v, "李娜") for v in undecided]
        triage = next(
            s for s in screens if s.default and s.default.kind == "party" and s.suggested == "later"
        )
        app.push_screen(triage)
        await wait_for_screen(pilot, TriageScreen)
        chaser = triage.query_one("#chaser", Select)
        grid_worker = triage.default.chaser  # type: ignore[union-attr]
        assert chaser.value == grid_worker and not chaser.disabled
        staff = next(s for s in store.staff() if s.active and s.id != grid_worker)
        await choose(pilot, triage.query_one("#owner", Select), staff.name)
        assert chaser.value == staff.id and chaser.disabled  # shown: the owner chases it
        assert shown(chaser.query_one("SelectCurrent #label")) == staff.name
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, HomeScreen)
        case = next(c for c in fresh(sample_dir).open_cases() if c.visit == triage.visit.id)
        assert (case.owner, case.chaser) == (staff.id, staff.id)


async def test_assign_shows_a_staff_owner_as_the_chaser(
    app_on: AppFactory, sample_dir: Path
) -> None:
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        store = app.store
        case = next(
            c for c in store.open_cases() if c.owner_kind == "party" and c.status != "closed"
        )
        await show_case(pilot, case)
        await pilot.press("a")
        await wait_for_screen(pilot, AssignScreen)
        dialog = app.screen
        chaser = dialog.query_one("#assign-chaser", Select)
        assert chaser.value == case.chaser and not chaser.disabled
        staff = next(s for s in store.staff() if s.active and s.id != case.chaser)
        await choose(pilot, dialog.query_one("#assign-owner", Select), staff.name)
        assert chaser.value == staff.id and chaser.disabled
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, CaseScreen)
        saved = next(c for c in fresh(sample_dir).open_cases() if c.id == case.id)
        assert (saved.owner, saved.chaser) == (staff.id, staff.id)


async def test_zh_case_facts_use_the_chinese_colon(app_on: AppFactory, sample_dir: Path) -> None:
    set_language("zh")
    app = app_on(sample_dir, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await show_case(pilot, app.store.open_cases()[0])
        text = screen_text(app)
        assert "状态：" in text and "状态:" not in text, text


async def test_triage_starts_where_typing_is_expected(app_on: AppFactory, sample_dir: Path) -> None:
    """It started on the 即办/登记 choice: an outcome typed at once went
    nowhere, and a digit in it switched the decision."""
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, HomeScreen)
        store = app.store
        undecided = [v for v in store.visits("2026-11-20") if v.status == "open"]
        screens = [TriageScreen(store, v) for v in undecided]
        now = next(s for s in screens if s.suggested == "now")
        app.push_screen(now)
        await wait_for_screen(pilot, TriageScreen)
        await pilot.press(*"2 forms filled in")
        assert now.query_one("#outcome", Input).value == "2 forms filled in"
        assert now.decision == "now"
        await pilot.press("escape")
        await wait_for_screen(pilot, HomeScreen)
        later = next(s for s in screens if s.suggested == "later" and s.default)
        app.push_screen(later)
        await wait_for_screen(pilot, TriageScreen)
        await pilot.press(*"1 call first")
        assert later.query_one("#note", Input).value == "1 call first"
        assert later.decision == "later"

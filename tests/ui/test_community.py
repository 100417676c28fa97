"""First run on an empty folder, and F7: the community's lists edited at the desk."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select

from tests.conftest import HOSTILE
from tests.ui.conftest import AppFactory, screen_text, shown, until, wait_for_screen
from tui.domain.community import first_records
from tui.domain.records import Community
from tui.domain.text import clean_text
from tui.domain.validate import RULES
from tui.i18n import set_language
from tui.screens.community import CommunityScreen
from tui.screens.home import HomeScreen
from tui.screens.registry_form import RegistryFormScreen
from tui.screens.session_open import SessionOpenScreen
from tui.store.repository import Store
from widgets.tick_list import TickList


def registry(data: Path) -> dict[str, dict[str, dict[str, object]]]:
    return json.loads((data / "registry.json").read_text("utf-8"))


def named(data: Path, kind: str, name: str) -> dict[str, object]:
    (found,) = [d for d in registry(data)[kind].values() if d.get("name") == name]
    return found


async def test_first_run_sets_up_a_community_then_opens_a_session(
    app_on: AppFactory, tmp_path: Path
) -> None:
    data = tmp_path / "new"
    app = app_on(data, ask_session=True, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, RegistryFormScreen)
        assert "欢迎使用" in screen_text(app)
        await pilot.press("ctrl+s")  # nothing typed: the name is asked for
        await pilot.pause()
        assert "名称" in screen_text(app) and isinstance(app.screen, RegistryFormScreen)
        for text in ("新宁社区", "tab", "新宁街道", "tab", "0971-8123456"):
            await pilot.press(text) if text == "tab" else _type(app, text)
            await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, CommunityScreen)
        profile = next(iter(registry(data)["community"].values()))
        assert (profile["name"], profile["sub_district"], profile["phone"]) == (
            "新宁社区",
            "新宁街道",
            "+869718123456",
        )
        assert len(registry(data)["category"]) == 14  # the built-in catalogue
        assert "还没有小区" in screen_text(app)
        # A grid worker first, then the compound that names her.
        await pilot.press("2", "a")
        await wait_for_screen(pilot, RegistryFormScreen)
        _type(app, "王芳")
        app.screen.query_one("#form-role", Select).value = "grid_worker"
        _field(app, "#form-phone", "13800138000")
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, CommunityScreen)
        worker = named(data, "staff", "王芳")
        await pilot.press("1", "a")
        await wait_for_screen(pilot, RegistryFormScreen)
        _type(app, "新宁路11号院")
        _field(app, "#form-households", "１８６")  # full-width digits, as typed in Chinese
        app.screen.query_one("#form-grid_worker", Select).value = worker["id"]
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, CommunityScreen)
        compound = named(data, "compound", "新宁路11号院")
        assert (compound["households"], compound["short"], compound["grid_worker"]) == (
            186,
            "xnl11hy",
            worker["id"],
        )
        assert named(data, "staff", "王芳")["compounds"] == [compound["id"]]
        assert "新宁路11号院" in screen_text(app) and "王芳" in screen_text(app)
        await pilot.press("escape")  # the lists are done: today's session is next
        await wait_for_screen(pilot, SessionOpenScreen)
        await shows(pilot, "[ ] 王芳")
        assert app.screen.query_one("#session-compound", Input).value == "新宁路11号院"


async def shows(pilot: Pilot[None], text: str) -> str:
    """The screen once it shows `text` (a dialog's fields are drawn a moment after it)."""

    def found() -> str:
        return screen_text(pilot.app)  # type: ignore[arg-type]

    await until(pilot, lambda: text in found(), what=lambda: f"{text!r} shown:\n{found()}")
    return found()


def _type(app: object, text: str) -> None:
    """Into the focused field, as an input method commits it."""
    focused = app.screen.focused  # type: ignore[attr-defined]
    assert isinstance(focused, Input)
    focused.insert_text_at_cursor(text)


def _field(app: object, selector: str, text: str) -> None:
    app.screen.query_one(selector, Input).value = text  # type: ignore[attr-defined]


async def test_every_field_refused_in_one_sentence_and_nothing_saved(
    app_on: AppFactory, sample_dir: Path
) -> None:
    app = app_on(sample_dir)
    before = (sample_dir / "registry.json").read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, HomeScreen)
        await pilot.press("f7")
        await wait_for_screen(pilot, CommunityScreen)
        await pilot.press("a")
        await wait_for_screen(pilot, RegistryFormScreen)
        _field(app, "#form-households", "many")
        _field(app, "#form-name", "五四大街76号院")  # taken
        await pilot.press("ctrl+s")
        await shows(pilot, "Households must be a whole number")
        text = shown(app.screen.query_one("#form-error"))
        assert "Households must be a whole number: many." in text
        assert "五四大街76号院 is already in the list" in text
        await pilot.press("escape")
        await wait_for_screen(pilot, CommunityScreen)
    assert (sample_dir / "registry.json").read_bytes() == before


async def test_retiring_keeps_history_and_leaves_the_pickers(
    app_on: AppFactory, sample_dir: Path
) -> None:
    app = app_on(sample_dir, ask_session=True)
    cases = json.loads((sample_dir / "cases" / "open.json").read_text("utf-8"))["case"]
    with_cases = {c["compound"] for c in cases.values()}
    ordered = sorted(registry(sample_dir)["compound"].values(), key=lambda c: str(c["name"]))
    row = next(i for i, c in enumerate(ordered) if c["id"] in with_cases)
    first = str(ordered[row]["name"])
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, SessionOpenScreen)
        await pilot.press("escape")
        await wait_for_screen(pilot, HomeScreen)
        await pilot.press("f7")
        await wait_for_screen(pilot, CommunityScreen)
        app.screen.query_one("#community-list", OptionList).highlighted = row
        await pilot.press("x")
        await pilot.pause()
        assert "stays in every record" in screen_text(app)
        await pilot.press("y")
        await pilot.pause()
        assert f"Retired: {first}" in screen_text(app)
        assert "(retired)" in screen_text(app)
        stored = named(sample_dir, "compound", first)
        assert stored["active"] is False  # retired, still there
        # The session dialog no longer offers it; the cases it has keep its name.
        await pilot.press("escape")
        app.ask_for_session()
        await wait_for_screen(pilot, SessionOpenScreen)
        assert first not in [c.name for c in app.screen.compounds]  # type: ignore[attr-defined]
    # Its open cases still name it: nothing that refers to it changed.
    after = json.loads((sample_dir / "cases" / "open.json").read_text("utf-8"))["case"]
    assert after == cases and any(c["compound"] == stored["id"] for c in after.values())


# list key in F7, record kind, its text fields (phones have their own rules)
TEXT_FIELDS = (
    ("1", "compound", ("name", "short", "address", "note")),
    ("2", "staff", ("name",)),
    ("3", "party", ("name", "contact_person")),
    ("4", "category", ("name_zh", "name_en")),
)


async def test_hostile_text_in_every_field_is_stored_and_shown_literally(
    app_on: AppFactory, sample_dir: Path
) -> None:
    hostile = [str(s) for s in HOSTILE["strings"]]
    app = app_on(sample_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, HomeScreen)
        await pilot.press("f7")
        await wait_for_screen(pilot, CommunityScreen)
        for index, text in enumerate(hostile):
            for key, kind, fields in TEXT_FIELDS:
                if kind != "compound" and index % 4:
                    continue  # every string in a compound's four fields, some in the others
                await pilot.press(key, "a")
                await wait_for_screen(pilot, RegistryFormScreen)
                typed = {f: f"{index}{text}"[: 20 if f == "short" else 40] for f in fields}
                for name, value in typed.items():
                    _field(app, f"#form-{name}", value)
                if kind == "category":
                    app.screen.query_one("#form-letter", Select).value = "F"
                await pilot.press("ctrl+s")
                await pilot.pause()
                if isinstance(app.screen, RegistryFormScreen):  # refused: said, kept, no crash
                    assert shown(app.screen.query_one("#form-error"))
                    assert app.screen.query_one(f"#form-{fields[0]}", Input).value
                    await pilot.press("escape")
                    await wait_for_screen(pilot, CommunityScreen)
                    continue
                await wait_for_screen(pilot, CommunityScreen)
                label = fields[0]
                (stored,) = [
                    d
                    for d in registry(sample_dir)[kind].values()
                    if d[label] == clean_text(typed[label])
                ]
                for name, value in typed.items():
                    multiline = RULES[kind][name].multiline  # a note keeps its lines
                    expected = clean_text(value, multiline=multiline)
                    assert stored[name] == expected, (kind, name, value)
                # Opened again, the form holds exactly what was stored.
                screen = app.screen
                assert isinstance(screen, CommunityScreen)
                row = [r.id for r in screen._shown].index(stored["id"])
                screen.query_one("#community-list", OptionList).highlighted = row
                await pilot.press("enter")
                await wait_for_screen(pilot, RegistryFormScreen)
                for name in fields:
                    assert app.screen.query_one(f"#form-{name}", Input).value == stored[name]
                await pilot.press("escape")
                await wait_for_screen(pilot, CommunityScreen)
        # The profile's text fields too.
        await pilot.press("5", "enter")
        await wait_for_screen(pilot, RegistryFormScreen)
        for name in ("name", "sub_district", "secretary"):
            _field(app, f"#form-{name}", hostile[0])
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, CommunityScreen)
    (profile,) = registry(sample_dir)["community"].values()
    assert profile["name"] == profile["sub_district"] == clean_text(hostile[0])


async def test_f7_lists_fit_80_columns_in_zh(app_on: AppFactory, sample_dir: Path) -> None:
    app = app_on(sample_dir, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, HomeScreen)
        await pilot.press("f7")
        await wait_for_screen(pilot, CommunityScreen)
        for key in "12345":
            await pilot.press(key)
            await pilot.pause()
            text = screen_text(app)
            assert "小区" in text and "社区信息" in text
        assert "新宁社区" in text and "新宁街道" in text


async def test_a_folder_set_up_by_init_opens_on_its_lists(
    app_on: AppFactory, tmp_path: Path, clock: Callable[[], datetime]
) -> None:
    data = tmp_path / "office"
    store = Store(data, by="test", clock=clock)
    store.save_many(first_records(Community(name="新宁社区"), []))
    app = app_on(data, ask_session=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, CommunityScreen)
        await shows(pilot, "Now add the compounds")
        await pilot.press("escape")  # no compound yet: no session dialog, a word on what to do
        await wait_for_screen(pilot, HomeScreen)
        await pilot.pause()
        told = [n.message for n in app._notifications]
        assert "No compounds yet, so no session can open: F7 to add them." in told


async def test_a_damaged_registry_is_recovered_never_set_up_again(
    app_on: AppFactory, sample_dir: Path
) -> None:
    from tui.screens.recovery import RecoveryScreen
    from tui.store.backup import take_daily_backup

    take_daily_backup(sample_dir, "2026-11-26")
    (sample_dir / "registry.json").write_text("{broken")
    app = app_on(sample_dir, ask_session=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, RecoveryScreen)
        assert not any(isinstance(s, RegistryFormScreen) for s in app.screen_stack)
    (sample_dir / "registry.json").unlink(missing_ok=True)
    for moved in sample_dir.glob("registry.json.corrupt-*"):
        moved.unlink()
    app = app_on(sample_dir, ask_session=True)  # gone, with a backup
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, RecoveryScreen)
        assert not any(isinstance(s, RegistryFormScreen) for s in app.screen_stack)


async def test_space_ticks_a_compound_as_soon_as_the_list_is_tabbed_into(
    app_on: AppFactory, sample_dir: Path
) -> None:
    app = app_on(sample_dir, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, HomeScreen)
        await pilot.press("f7", "2", "a")
        await wait_for_screen(pilot, RegistryFormScreen)
        _type(app, "新来的")
        await pilot.press("tab", "tab", "tab", "space")  # name, role, phone, the list
        await pilot.pause()
        ticks = app.screen.query_one("#form-compounds", TickList)
        assert len(ticks.selected) == 1
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, CommunityScreen)
    assert named(sample_dir, "staff", "新来的")["compounds"] == list(ticks.selected)


async def test_each_phone_at_fault_is_named(app_on: AppFactory, sample_dir: Path) -> None:
    app = app_on(sample_dir, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, HomeScreen)
        await pilot.press("f7", "5", "enter")
        await wait_for_screen(pilot, RegistryFormScreen)
        _field(app, "#form-phone", "abc")
        _field(app, "#form-secretary_phone", "12")
        _field(app, "#form-name", "")
        await pilot.press("ctrl+s")
        await shows(pilot, "名称为必填项")
        error = shown(app.screen.query_one("#form-error"))
        assert "电话：" in error and "书记电话：" in error and "姓名" not in error


async def test_the_plan_of_a_new_office_says_why_it_is_empty(
    app_on: AppFactory, tmp_path: Path, clock: Callable[[], datetime]
) -> None:
    from tui.screens.plan import PlanScreen

    data = tmp_path / "office"
    Store(data, by="test", clock=clock).save_many(first_records(Community(name="新宁社区"), []))
    app = app_on(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f7")
        await wait_for_screen(pilot, CommunityScreen)
        await pilot.press("p")
        await wait_for_screen(pilot, PlanScreen)
        await pilot.pause()
        status = shown(app.screen.query_one("#plan-status"))
        assert status.startswith("No compounds yet, so no outing to plan: add them in F7")
        assert app.screen.query_one("#plan-list", OptionList).option_count == 0


async def test_f7_names_the_community_by_its_name_not_a_persons(
    app_on: AppFactory, sample_dir: Path
) -> None:
    """The community tab labelled the community's name 姓名 (a person's)."""
    set_language("zh")
    app = app_on(sample_dir, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, HomeScreen)
        await pilot.press("f7")
        await wait_for_screen(pilot, CommunityScreen)
        await pilot.press("5")
        await pilot.pause()
        line = next(line for line in screen_text(app).splitlines() if "新宁社区" in line)
        assert line.strip("▊▎ ").split()[0] == "名称", line

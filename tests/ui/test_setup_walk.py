"""A new office, end to end: an empty folder, the first-run form, the office's
workbook taken in from F7 (17 compounds, 14 staff, 10 outside bodies), a
10,500-row roster with --new-compounds, today's session, the first intake;
triage suggests the grid worker the workbook names for that compound."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from textual.widgets import Input, Select

from tests.cli.test_cli import fielddesk
from tests.registry.test_community_sheets import COMPOUND_NAMES, community_rows, filled
from tests.ui.conftest import AppFactory, screen_text, wait_for_screen
from tests.ui.test_intake import pick_returning, value
from tui.registry.community_io import write_template
from tui.screens.community import CommunityScreen
from tui.screens.file_pick import FilePickScreen
from tui.screens.home import HomeScreen
from tui.screens.registry_form import RegistryFormScreen
from tui.screens.session_open import SessionOpenScreen
from tui.screens.sheet_preview import SheetPreviewScreen
from tui.screens.triage import TriageScreen

ROSTER_ROWS = 10500


def registry(data: Path) -> dict[str, dict[str, dict[str, object]]]:
    return json.loads((data / "registry.json").read_text("utf-8"))


def roster(path: Path) -> Path:
    """The office's roster: one resident staff will know by name, the rest
    spread over the 17 compounds."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("居民花名册")
    sheet.append(["姓名", "性别", "小区", "楼栋", "单元", "门牌号", "联系电话"])
    sheet.append(["王秀兰", "女", COMPOUND_NAMES[0], 3, 2, 501, "13900139000"])
    for n in range(1, ROSTER_ROWS):
        sheet.append([f"居民{n:05d}", "", COMPOUND_NAMES[n % 17], n % 6 + 1, n % 4 + 1, 100 + n])
    book.save(path)
    return path


async def test_a_new_office_from_an_empty_folder_to_its_first_intake(
    app_on: AppFactory, tmp_path: Path
) -> None:
    data = tmp_path / "office"
    template = tmp_path / "template.xlsx"
    write_template(template)
    workbook = filled(template, tmp_path / "社区.xlsx", community_rows())

    # First run: the community's name, then its lists from the office's workbook.
    app = app_on(data, ask_session=True, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, RegistryFormScreen)
        app.screen.query_one("#form-name", Input).value = "幸福里社区"
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, CommunityScreen)
        await pilot.press("i")
        await wait_for_screen(pilot, FilePickScreen)
        path_line = app.screen.query_one("#pick-path", Input)
        path_line.focus()
        path_line.value = str(workbook)
        await pilot.press("enter")
        await wait_for_screen(pilot, SheetPreviewScreen)
        preview = app.screen
        assert isinstance(preview, SheetPreviewScreen)
        assert any(line.strip().startswith("新增（17）") for line in preview.lines)
        await pilot.press("y")
        await wait_for_screen(pilot, CommunityScreen)
        await pilot.pause()
        assert "小区 17" in screen_text(app) and "工作人员 14" in screen_text(app)
        await pilot.press("escape")  # the lists are done: today's session is asked for
        await wait_for_screen(pilot, SessionOpenScreen)
        await pilot.press("escape")  # not yet: the roster comes first
        await wait_for_screen(pilot, HomeScreen)
    stored = registry(data)
    assert (len(stored["compound"]), len(stored["staff"]), len(stored["party"])) == (17, 14, 10)
    (profile,) = stored["community"].values()
    assert (profile["name"], profile["sub_district"]) == ("幸福里社区", "新华街道")

    # The roster, 10,500 rows, from the command line.
    imported = fielddesk(
        "--lang", "en", "residents", "import", str(roster(tmp_path / "花名册.xlsx")),
        "--new-compounds", data=data,
    )  # fmt: skip
    assert imported.returncode == 0, imported.stdout[-2000:] + imported.stderr
    assert f"Written: {ROSTER_ROWS} residents added or updated." in imported.stdout
    assert len(registry(data)["compound"]) == 17  # every compound was known: none made

    # Today's session at the first compound, then the first intake and its triage.
    grid_worker = next(
        s for s in registry(data)["staff"].values() if s["name"] == "刘洋"
    )  # the workbook's 网格员 for 新华路小区
    app = app_on(data, ask_session=True, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, SessionOpenScreen)
        where = app.screen.query_one("#session-compound", Input)
        where.focus()
        where.value = COMPOUND_NAMES[0]
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, HomeScreen)
        screen = await pick_returning(app, pilot, "王秀兰", "王秀兰")
        assert value(screen, "compound") == COMPOUND_NAMES[0]
        await pilot.press(*"噪音", "enter")
        await pilot.press(*"楼上夜里装修")
        await pilot.press("ctrl+s")
        await pilot.pause()
        day = json.loads((data / "days" / f"{app.store.today()}.json").read_text("utf-8"))
        (visit_doc,) = day["visit"].values()
        assert (visit_doc["name"], visit_doc["category"]) == ("王秀兰", "noise")
        from tui.domain.records import Visit

        visit = Visit.from_dict(visit_doc)
        await app.push_screen(TriageScreen(app.store, visit, "李娜"))
        await wait_for_screen(pilot, TriageScreen)
        owner = app.screen.query_one("#owner", Select)
        assert owner.value == f"staff:{grid_worker['id']}"
        assert "刘洋" in screen_text(app)

"""The office's community workbook: template, import, re-import, export,
hostile text, bad rows, as `fielddesk community` and F7 use it."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.conftest import HOSTILE
from tui.domain.cases import default_owner
from tui.domain.community import short_name
from tui.domain.community_sheets import sheet_kind
from tui.domain.text import clean_text
from tui.registry.community_io import (
    describe_community_plan,
    export_bytes,
    plan_community_file,
    write_community,
    write_template,
)
from tui.store.repository import Store

ROADS = (
    "新华路",
    "和平路",
    "建设路",
    "幸福里",
    "光明路",
    "团结路",
    "胜利路",
    "文化路",
    "人民路",
    "解放路",
    "友谊路",
    "长青路",
    "东风路",
    "朝阳路",
    "春晖路",
    "滨河路",
    "青年路",
)
GRID = ("刘洋", "陈静", "杨帆", "黄磊", "周婷", "吴昊")
OTHERS = ("孙丽", "马超", "朱红", "胡军", "郭晶", "何平")
COMPOUND_NAMES = [f"{road}小区" for road in ROADS]


def grid_cell(index: int) -> str:
    """The 网格员 cell of compound `index`: its grid worker; compound 1 names
    two (陈静 first), so 刘洋 covers it as well."""
    if index == 1:
        return "陈静、刘洋"
    return GRID[index % len(GRID)]


def first_grid(index: int) -> str:
    return grid_cell(index).split("、")[0]


def community_rows() -> dict[str, list[list[object]]]:
    """17 compounds (3,179 households), 14 staff, 10 outside bodies."""
    compounds: list[list[object]] = [
        [name, f"c{i}", f"{ROADS[i]}{i + 1}号", 187, grid_cell(i), "1-6", ""]
        for i, name in enumerate(COMPOUND_NAMES)
    ]
    staff: list[list[object]] = [["张明", "书记", "138 0013 8000", ""]]
    for i, name in enumerate(GRID):
        covered = "、".join(COMPOUND_NAMES[j] for j in range(i, 17, 6)) if i == 2 else ""
        staff.append([name, "网格员", f"139 0013 {i:04d}", covered])
    staff.append(["郑凯", "综治", "137 0013 0001", ""])
    staff += [[name, "工作人员", f"136 0013 {i:04d}", ""] for i, name in enumerate(OTHERS)]
    parties: list[list[object]] = [
        ["新华路派出所", "派出所", "李警官", "0971-6110110", "、".join(COMPOUND_NAMES[:9])],
        ["和平路派出所", "派出所", "王警官", "0971-6110111", "、".join(COMPOUND_NAMES[9:])],
        ["安居物业公司", "物业", "赵经理", "137 0013 7000", "新华路小区、和平路小区"],
        ["康居物业公司", "物业", "钱经理", "137 0013 7001", "建设路小区"],
        ["宜居物业公司", "物业", "孙经理", "137 0013 7002", ""],
        ["明理律师事务所", "法律", "周律师", "137 0013 7003", ""],
        ["司法所", "法律", "吴律师", "137 0013 7004", ""],
        ["平安保险", "保险", "郑先生", "137 0013 7005", ""],
        ["自来水公司", "供水", "冯师傅", "137 0013 7006", ""],
        ["热力公司", "供暖", "陈师傅", "137 0013 7007", ""],
    ]
    return {"compound": compounds, "staff": staff, "party": parties}


PROFILE = {
    "社区名称 (Community name)": "幸福里社区",
    "所属街道 (Sub-district)": "新华街道",
    "办公电话 (Office phone)": "0971-6123456",
    "党委书记 (Party secretary)": "张明",
    "书记电话 (Secretary's phone)": "138 0013 8000",
}


def filled(
    template: Path,
    target: Path,
    rows: dict[str, list[list[object]]],
    edit: Callable[[Any], None] | None = None,
) -> Path:
    """The template with its example rows replaced by `rows` (kind -> rows);
    sheets not named keep theirs. `edit(book)` changes it further."""
    book = openpyxl.load_workbook(template)
    for sheet in book.worksheets:
        kind = sheet_kind(sheet.title)
        if kind in rows:
            sheet.delete_rows(2, sheet.max_row)
            for row in rows[kind]:
                sheet.append(row)
        elif kind == "community":
            for cells in sheet.iter_rows(min_row=2):
                cells[1].value = PROFILE.get(str(cells[0].value), cells[1].value)
    if edit is not None:
        edit(book)
    book.save(target)
    return target


@pytest.fixture
def template(tmp_path: Path) -> Path:
    path = tmp_path / "template.xlsx"
    write_template(path)
    return path


@pytest.fixture
def workbook(template: Path, tmp_path: Path) -> Path:
    return filled(template, tmp_path / "community.xlsx", community_rows())


def import_file(store: Store, path: Path, *, skip_bad: bool = False) -> Any:
    plan = plan_community_file(store, path)
    write_community(store, plan, skip_bad=skip_bad)
    return plan


def files(folder: Path) -> dict[str, bytes]:
    """Every data file's bytes (the lock file aside)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def counts(plan: Any) -> dict[str, tuple[int, int, int, int]]:
    return {
        kind: (len(p.added), len(p.updated), len(p.unchanged), len(p.rejected))
        for kind, p in plan.sheets.items()
    }


# -- the template --------------------------------------------------------------


def test_template_has_every_sheet_bold_headers_and_example_rows(template: Path) -> None:
    book = openpyxl.load_workbook(template)
    kinds = [sheet_kind(sheet.title) for sheet in book.worksheets]
    assert kinds == ["community", "compound", "staff", "party", "category"]
    for sheet in book.worksheets:
        header = [c.value for c in sheet[1]]
        assert all(header) and all(c.font.bold for c in sheet[1])
        assert sheet.max_row >= 3, sheet.title  # two example rows at least
        assert all(sheet.column_dimensions[c].width >= 8 for c in "AB")
    compounds = book.worksheets[1]
    assert [c.value for c in compounds[1]][:5] == [
        "名称 (Name)",
        "简称/拼音 (Short name)",
        "地址 (Address)",
        "户数 (Households)",
        "网格员 (Grid workers)",
    ]
    # The categories sheet holds the default catalogue to edit.
    assert book.worksheets[4].max_row == 15


def test_the_template_as_it_is_imports_cleanly(template: Path, store: Store) -> None:
    plan = import_file(store, template)
    assert plan.rejected == []
    assert [c.name for c in store.compounds()] == ["和平小区", "幸福里1号院"]
    assert len(store.categories()) == 14
    # Its profile sheet is blank: the community's own profile is never renamed by it.
    assert store.community() is None


# -- the community set up from the template ----------------------------------


def test_filled_template_sets_up_the_community(workbook: Path, store: Store) -> None:
    plan = import_file(store, workbook)
    assert plan.rejected == []
    assert counts(plan) == {
        "community": (1, 0, 0, 0),
        "compound": (17, 0, 0, 0),
        "staff": (14, 0, 0, 0),
        "party": (10, 0, 0, 0),
        "category": (14, 0, 0, 0),
    }
    compounds = {c.name: c for c in store.compounds()}
    staff = {s.id: s for s in store.staff()}
    by_name = {s.name: s for s in staff.values()}
    assert sorted(compounds) == sorted(COMPOUND_NAMES)
    assert sum(c.households for c in compounds.values()) == 3179
    assert compounds["新华路小区"].buildings == ["1", "2", "3", "4", "5", "6"]
    roles = sorted(s.role for s in staff.values())
    assert roles.count("grid_worker") == 6 and roles.count("staff") == 6
    assert roles.count("secretary") == 1 and roles.count("governance") == 1
    assert by_name["张明"].phone == "+8613800138000"
    types = sorted(p.type for p in store.parties())
    assert types == sorted(
        ["police"] * 2 + ["property"] * 3 + ["legal"] * 2 + ["insurer"] + ["other"] * 2
    )
    police = next(p for p in store.parties() if p.name == "新华路派出所")
    assert [c for c in police.compounds] == [compounds[n].id for n in COMPOUND_NAMES[:9]]
    community = store.community()
    assert community is not None
    assert (community.name, community.sub_district, community.secretary) == (
        "幸福里社区",
        "新华街道",
        "张明",
    )
    assert community.phone == "+869716123456"
    categories = store.categories()
    elderly = next(c for c in categories if c.code == "elderly_subsidy")
    for index, name in enumerate(COMPOUND_NAMES):
        compound = compounds[name]
        grid = by_name[first_grid(index)]
        assert compound.grid_worker == grid.id, name
        for named in grid_cell(index).split("、"):
            assert compound.id in by_name[named].compounds
        # The triage of a request at this compound suggests that grid worker.
        owner = default_owner(elderly, compound, list(staff.values()), store.parties())
        assert owner is not None and owner.id == grid.id
    # 杨帆's own 负责小区 and the compounds sheet agree: each compound once.
    assert by_name["杨帆"].compounds == [compounds[COMPOUND_NAMES[j]].id for j in (2, 8, 14)]


def test_reimport_changes_nothing_and_keeps_ids(workbook: Path, store: Store) -> None:
    import_file(store, workbook)
    before = files(store.root)
    ids = sorted(r.id for r in [*store.compounds(), *store.staff(), *store.parties()])
    again = import_file(store, workbook)
    assert again.writes == []
    assert counts(again) == {
        "community": (0, 0, 1, 0),
        "compound": (0, 0, 17, 0),
        "staff": (0, 0, 14, 0),
        "party": (0, 0, 10, 0),
        "category": (0, 0, 14, 0),
    }
    assert sorted(r.id for r in [*store.compounds(), *store.staff(), *store.parties()]) == ids
    assert files(store.root) == before
    assert describe_community_plan(again)[-1] == (
        "Summary: 0 to add, 0 to update, 56 unchanged, 0 rejected."
    )


def test_export_imports_back_unchanged(workbook: Path, store: Store, tmp_path: Path) -> None:
    import_file(store, workbook)
    exported = tmp_path / "export.xlsx"
    exported.write_bytes(export_bytes(store, "xlsx"))
    before = files(store.root)
    plan = import_file(store, exported)
    assert plan.writes == [] and plan.rejected == []
    assert files(store.root) == before
    # Into an empty folder, the export makes the same registry.
    other = Store(tmp_path / "other", device="test-2", by="测试员")
    import_file(other, exported)
    document = json.loads(export_bytes(store, "json"))
    assert json.loads(export_bytes(other, "json")) == document
    assert document["format"] == "fielddesk-community"
    first = next(c for c in document["compounds"] if c["name"] == COMPOUND_NAMES[1])
    assert first["grid_worker"] == "陈静"
    yang = next(s for s in document["staff"] if s["name"] == "杨帆")
    assert yang["compounds"] == [COMPOUND_NAMES[j] for j in (2, 8, 14)]
    assert len(document["categories"]) == 14


def test_an_update_merges_the_changed_fields(
    workbook: Path, template: Path, store: Store, tmp_path: Path
) -> None:
    import_file(store, workbook)
    xinhua = next(c for c in store.compounds() if c.name == "新华路小区")
    rows = community_rows()
    rows["compound"][0][2] = "新华路100号"
    rows["compound"][0][4] = "黄磊"
    changed = filled(template, tmp_path / "changed.xlsx", rows)
    plan = import_file(store, changed)
    assert counts(plan)["compound"] == (0, 1, 16, 0)
    lines = describe_community_plan(plan)
    assert "    新华路小区: address、grid worker" in lines
    after = next(c for c in store.compounds() if c.name == "新华路小区")
    huang = next(s for s in store.staff() if s.name == "黄磊")
    assert after.id == xinhua.id and after.address == "新华路100号"
    assert after.grid_worker == huang.id and after.id in huang.compounds


def test_a_retired_item_named_again_is_brought_back(
    workbook: Path, store: Store, tmp_path: Path
) -> None:
    import dataclasses

    import_file(store, workbook)
    member = next(s for s in store.staff() if s.name == "孙丽")
    store.save(dataclasses.replace(member, active=False))
    plan = import_file(store, workbook)
    assert counts(plan)["staff"] == (0, 1, 13, 0)
    assert "    孙丽: in use again" in describe_community_plan(plan)
    assert next(s for s in store.staff() if s.name == "孙丽").active
    # An export leaves a retired item out; importing that export leaves it retired.
    member = next(s for s in store.staff() if s.name == "孙丽")
    store.save(dataclasses.replace(member, active=False))
    exported = tmp_path / "export.xlsx"
    exported.write_bytes(export_bytes(store, "xlsx"))
    assert import_file(store, exported).writes == []
    assert not next(s for s in store.staff() if s.name == "孙丽").active


# -- messy sheets ----------------------------------------------------------------


def test_full_width_digits_title_rows_and_merged_cells(
    template: Path, store: Store, tmp_path: Path
) -> None:
    rows = community_rows()
    rows["compound"][0][3] = "１８７"
    rows["staff"][1][2] = "１３９ ００１３ ００００"
    for index in (6, 7, 8):
        rows["compound"][index][4] = None  # filled by the merged cell below

    def edit(book: Any) -> None:
        compounds = book.worksheets[1]
        compounds.insert_rows(1, 2)  # a title and a blank row above the header
        compounds["A1"] = "幸福里社区小区名单（２０２６年）"
        compounds.merge_cells("A1:G1")
        # Rows 3 (header) and 4.. hold compounds 0..: 6, 7, 8 are rows 10-12.
        compounds["E10"] = "杨帆"
        compounds.merge_cells("E10:E12")
        categories = book.worksheets[4]
        categories["D3"] = "Ｃ"
        categories["G3"] = "５个工作日"

    path = filled(template, tmp_path / "messy.xlsx", rows, edit)
    plan = import_file(store, path)
    assert plan.rejected == []
    assert plan.sheets["compound"].header_row == 3
    compounds = {c.name: c for c in store.compounds()}
    yang = next(s for s in store.staff() if s.name == "杨帆")
    assert compounds["新华路小区"].households == 187
    assert next(s for s in store.staff() if s.name == "刘洋").phone == "+8613900130000"
    for index in (6, 7, 8):
        assert compounds[COMPOUND_NAMES[index]].grid_worker == yang.id
    one_child = next(c for c in store.categories() if c.code == "one_child")
    assert (one_child.letter, one_child.due_days) == ("C", 5)


def test_english_sheet_and_column_names(store: Store, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "Staff"
    first.append(["Name", "Role", "Phone", "Compounds covered"])
    first.append(["Ma Lin", "grid worker", "+86 139 0013 0000", "Riverside"])
    compounds = book.create_sheet(" Compounds ")
    compounds.append(["Name", "Households", "Grid worker"])
    compounds.append(["Riverside", 120, "Ma Lin"])
    parties = book.create_sheet("Partners")
    parties.append(["Name", "Type", "Contact person", "Phone"])
    parties.append(["City Water", "utility", "Mr Feng", "0971-6110112"])
    categories = book.create_sheet("Categories")
    categories.append(["Chinese name", "English name", "Queue letter", "Triage", "Default owner"])
    categories.append(["停车", "Parking (cars, bikes)", "d", "later", "party:property"])
    book.create_sheet("Notes").append(["anything"])
    path = tmp_path / "english.xlsx"
    book.save(path)
    plan = import_file(store, path)
    assert plan.rejected == [] and plan.unused == ["Notes"]
    ma = store.staff()[0]
    riverside = store.compounds()[0]
    assert (ma.name, ma.role, ma.compounds) == ("Ma Lin", "grid_worker", [riverside.id])
    assert riverside.grid_worker == ma.id
    assert store.parties()[0].type == "other"
    parking = store.categories()[0]
    assert (parking.code, parking.letter, parking.triage, parking.owner_rule) == (
        "parking_cars_bikes",
        "D",
        "later",
        "party:property",
    )


# -- bad sheets: every problem named by sheet and row, nothing written ----------


def _break(kind: str, index: int, column: int, value: object) -> Callable[[dict[str, Any]], None]:
    def change(rows: dict[str, Any]) -> None:
        rows[kind][index][column] = value

    return change


BAD = {
    "unknown role": (
        _break("staff", 13, 1, "队长"),
        '工作人员 (Staff) row 15: role "队长" is not one of 书记, 网格员, 综治, 工作人员',
    ),
    "grid worker nobody has": (
        _break("compound", 3, 4, "王五"),
        "小区 (Compounds) row 5: grid worker 王五 is neither on the staff sheet"
        " nor in the registry",
    ),
    "phone abc": (
        _break("party", 2, 3, "abc"),
        "协办单位 (Outside bodies) row 4: phone: Phone must be digits",
    ),
    "too-long name": (
        _break("compound", 16, 0, "长" * 41),
        "小区 (Compounds) row 18: name is too long: 41 characters, at most 40.",
    ),
}


@pytest.mark.parametrize("case", [*BAD, "letter G"])
def test_a_bad_row_is_named_and_nothing_is_written(
    case: str, template: Path, store: Store, tmp_path: Path
) -> None:
    store.save_many([])  # the folder exists with its files
    before = files(store.root)
    rows = community_rows()

    def letter_g(book: Any) -> None:
        book.worksheets[4]["D4"] = "G"

    if case == "letter G":
        path = filled(template, tmp_path / "bad.xlsx", rows, letter_g)
        expected = '事项类别 (Categories) row 4: queue letter "G" is not one of A, B, C, D, E, F'
    else:
        change, expected = BAD[case]
        change(rows)
        path = filled(template, tmp_path / "bad.xlsx", rows)
    plan = plan_community_file(store, path)
    lines = describe_community_plan(plan)
    assert any(line.strip().startswith(expected) for line in lines), lines
    assert write_community(store, plan, skip_bad=False) is False
    assert files(store.root) == before


def test_a_rejected_grid_worker_takes_their_compounds_with_them(
    template: Path, store: Store, tmp_path: Path
) -> None:
    rows = community_rows()
    rows["staff"][4][1] = "队长"  # 黄磊, grid worker of compounds 3, 9, 15
    path = filled(template, tmp_path / "bad.xlsx", rows)
    plan = plan_community_file(store, path)
    rejected = {(r.sheet, r.row) for r in plan.rejected}
    # and the police stations serving those compounds
    police = {("协办单位 (Outside bodies)", 2), ("协办单位 (Outside bodies)", 3)}
    compounds = {("小区 (Compounds)", i + 2) for i in (3, 9, 15)}
    assert rejected == {("工作人员 (Staff)", 6), *compounds, *police}
    lines = describe_community_plan(plan)
    assert (
        "    小区 (Compounds) row 5: grid worker 黄磊: their row 6 on the staff sheet is rejected"
        in lines
    )
    # --skip-bad writes the rest, consistently.
    assert write_community(store, plan, skip_bad=True)
    assert len(store.compounds()) == 14 and len(store.staff()) == 13
    assert len(store.parties()) == 8
    assert "黄磊" not in {s.name for s in store.staff()}
    assert all(c.grid_worker for c in store.compounds())


def test_skip_bad_writes_the_good_rows(template: Path, store: Store, tmp_path: Path) -> None:
    rows = community_rows()
    for change, _expected in BAD.values():
        change(rows)
    path = filled(template, tmp_path / "bad.xlsx", rows)
    plan = plan_community_file(store, path)
    # the four, and the two police stations serving the rejected compounds
    assert len(plan.rejected) == 6
    assert write_community(store, plan, skip_bad=True)
    assert len(store.compounds()) == 15 and len(store.staff()) == 13
    assert len(store.parties()) == 7 and len(store.categories()) == 14


def test_a_workbook_without_our_sheets_is_refused(store: Store, tmp_path: Path) -> None:
    from tui.registry.errors import SheetError

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "名册"
    sheet.append(["姓名"])
    path = tmp_path / "residents.xlsx"
    book.save(path)
    with pytest.raises(SheetError) as err:
        plan_community_file(store, path)
    assert err.value.code == "community_sheet.no_sheets"


# -- hostile text -------------------------------------------------------------


TEXT_COLUMNS = {  # kind -> (column index, field, max length, multi-line)
    "compound": [
        (0, "name", 40, False),
        (1, "short", 20, False),
        (2, "address", 60, False),
        (6, "note", 1000, True),
    ],
    "staff": [(0, "name", 40, False)],
    "party": [(0, "name", 40, False), (2, "contact_person", 40, False)],
    "category": [(1, "name_zh", 60, False), (2, "name_en", 60, False)],
}
REQUIRED = {"name", "name_zh", "name_en"}


def printable(text: str) -> str:
    """openpyxl refuses control characters in cells (a CSV can carry them:
    the residents import tests that); what is left goes in."""
    return "".join(c for c in text if c.isprintable() or c in "\n\t")


def _base_row(kind: str, number: int) -> list[object]:
    rows: dict[str, list[object]] = {
        "compound": [f"小区{number}", "", "", 10, "", "", ""],
        "staff": [f"员工{number}", "工作人员", "", ""],
        "party": [f"单位{number}", "其他", "", "", ""],
        "category": [f"code{number}", f"类别{number}", f"Cat {number}", "F", "即办", "窗口", 5],
    }
    return rows[kind]


def test_hostile_strings_in_every_text_column_are_kept_or_named(
    template: Path, store: Store, tmp_path: Path
) -> None:
    strings = [printable(s) for s in HOSTILE["strings"]]
    rows: dict[str, list[list[object]]] = {kind: [] for kind in TEXT_COLUMNS}
    expect: list[tuple[str, int, str, str, int]] = []  # kind, row, field, text, max
    for kind, columns in TEXT_COLUMNS.items():
        for column, name, limit, multiline in columns:
            for text in strings:
                row = _base_row(kind, len(rows[kind]))
                row[column] = text
                rows[kind].append(row)
                cleaned = clean_text(text, multiline=multiline)
                expect.append((kind, len(rows[kind]) + 1, name, cleaned, limit))
    path = filled(template, tmp_path / "hostile.xlsx", rows)
    plan = plan_community_file(store, path)
    assert write_community(store, plan, skip_bad=True)
    lines = describe_community_plan(plan)
    stored: dict[str, list[Any]] = {
        "compound": store.compounds(),
        "staff": store.staff(),
        "party": store.parties(),
        "category": store.categories(),
    }
    labels = {"name": "name", "short": "short name", "address": "address", "note": "note"}
    labels |= {"contact_person": "contact person", "name_zh": "Chinese name"}
    labels |= {"name_en": "English name"}
    for kind, at, name, cleaned, limit in expect:
        sheet = plan.sheets[kind].sheet
        record_ids = [i for i, r in plan.sheets[kind].rows.items() if r == at]
        if not cleaned and name in REQUIRED:
            assert f"    {sheet} row {at}: {labels[name]} is required." in lines
        elif len(cleaned) > limit:
            assert any(
                line.startswith(f"    {sheet} row {at}: {labels[name]} is too long")
                for line in lines
            ), (kind, at, name)
        else:
            (record,) = [r for r in stored[kind] if r.id in record_ids]
            if name == "short" and not cleaned:  # an empty 简称 is the name's pinyin
                cleaned = short_name(record.name)
            assert getattr(record, name) == cleaned, (kind, at, name)
    assert not any("\x1b" in line or "\x00" in line for line in lines)


@pytest.mark.parametrize("name", ["name", "sub_district", "secretary"])
def test_hostile_strings_in_the_community_profile(
    name: str, template: Path, tmp_path: Path, clock: Callable[[], datetime]
) -> None:
    label = {"name": "社区名称 (Community name)", "sub_district": "所属街道 (Sub-district)"}
    label["secretary"] = "党委书记 (Party secretary)"
    for number, text in enumerate(HOSTILE["strings"]):
        store = Store(tmp_path / f"{name}-{number}", device="t", by="t", clock=clock)
        cell = printable(text)

        def edit(book: Any, cell: str = cell) -> None:
            for cells in book.worksheets[0].iter_rows(min_row=2):
                if cells[0].value == label[name]:
                    cells[1].value = cell

        path = filled(template, tmp_path / f"{name}-{number}.xlsx", {}, edit)
        plan = plan_community_file(store, path)
        write_community(store, plan, skip_bad=True)
        cleaned = clean_text(cell)
        community = store.community()
        if (not cleaned and name == "name") or len(cleaned) > 40 + 20 * (name == "sub_district"):
            assert community is None and plan.sheets["community"].rejected, text
        else:
            assert community is not None and getattr(community, name) == cleaned, text

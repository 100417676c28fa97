"""Every sheet of an .xlsx, .xls, .ods or .csv, as the imports read them."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.registry.sheet_writers import write_ods, write_xls
from tui.registry.read import SheetError, read_rows, read_sheets

ROSTER = [
    ["新宁路11号院居民花名册", None, None, None],
    ["姓名", "联系电话", "楼栋", "单元"],
    ["王芳", "13800138000", 3, 2],
    ["扎西措", "１３９００１３９０００", 5, 1],  # full-width digits, as typed
]


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        if rows is ROSTER:
            sheet.merge_cells("A1:D1")
    book.save(path)
    return path


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".ods"])
def test_every_sheet_in_order_with_its_rows(tmp_path: Path, suffix: str) -> None:
    sheets = {"居民": ROSTER, "Staff": [["姓名", "职务"], ["熊兰", "书记"]]}
    path = tmp_path / f"book{suffix}"
    if suffix == ".xlsx":
        write_xlsx(path, sheets)
    elif suffix == ".xls":
        write_xls(path, sheets, merged=["居民!0,0,0,3"])
    else:
        write_ods(path, sheets)
    read = read_sheets(path)
    assert [name for name, _ in read] == ["居民", "Staff"]
    (_, rows), (_, staff) = read
    assert [number for number, _ in rows] == [1, 2, 3, 4]
    assert rows[0][1][0] == "新宁路11号院居民花名册"
    assert [str(v) for v in rows[1][1]] == ["姓名", "联系电话", "楼栋", "单元"]
    name, phone, building, unit = rows[3][1]
    assert (name, phone) == ("扎西措", "１３９００１３９０００")
    assert (int(float(str(building))), int(float(str(unit)))) == (5, 1)
    assert staff == [(1, ["姓名", "职务"]), (2, ["熊兰", "书记"])]
    assert read_rows(path) == rows  # the first sheet, as residents import reads it


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_a_merged_cell_fills_every_cell_it_spans(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"m{suffix}"
    (write_xlsx if suffix == ".xlsx" else _xls)(path, {"居民": ROSTER})
    (_, rows), *_ = read_sheets(path)
    assert rows[0][1] == ["新宁路11号院居民花名册"] * 4


def _xls(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    return write_xls(path, sheets, merged=["居民!0,0,0,3"])


def test_a_csv_is_one_sheet_named_after_the_file(tmp_path: Path) -> None:
    path = tmp_path / "花名册.csv"
    path.write_text("姓名,电话\n王芳,13800138000\n", encoding="utf-8")
    assert read_sheets(path) == [("花名册", [(1, ["姓名", "电话"]), (2, ["王芳", "13800138000"])])]


@pytest.mark.parametrize("suffix", [".xls", ".ods"])
def test_a_broken_file_is_said_in_one_line(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"broken{suffix}"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(SheetError) as err:
        read_sheets(path)
    assert err.value.code == "residents.unreadable"
    assert err.value.params["file"] == path.name


@pytest.mark.parametrize("suffix", [".xls", ".ods"])
def test_residents_import_reads_xls_and_ods(sample_dir: Path, tmp_path: Path, suffix: str) -> None:
    from tests.registry.test_import import residents, residents_import

    rows: list[list[object]] = [
        ["新宁花苑居民花名册", None, None, None, None],
        ["姓名", "联系电话", "楼栋", "单元", "门牌号"],
        ["孙桂兰", "１３６００１３６０００", 2, 1, 301],
        ["Ma Lin", "13600136001", 2, 1, 302],
    ]
    path = tmp_path / f"花名册{suffix}"
    if suffix == ".xls":
        write_xls(path, {"Sheet1": rows}, merged=["Sheet1!0,0,0,4"])
    else:
        write_ods(path, {"Sheet1": rows})
    done = residents_import(str(path), data=sample_dir)
    assert done.returncode == 0, done.stdout + done.stderr
    stored = {r["name"]: r for r in residents(sample_dir)}
    sun = stored["孙桂兰"]
    assert (sun["phone"], sun["building"], sun["unit"], sun["room"]) == (
        "+8613600136000",
        "2",
        "1",
        "301",
    )
    assert stored["Ma Lin"]["compound"] == sun["compound"]  # from the title row

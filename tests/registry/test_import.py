"""Residents from messy office sheets, as `fielddesk residents import` does it."""

from __future__ import annotations

import json
import subprocess
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.cli.test_cli import fielddesk
from tests.conftest import resident_docs, residents_bytes
from tui.domain.registry_import import RowError, parse_birth

TITLE = "新宁路11号院高龄老人名册（2026年第四季度）"


def residents_import(*args: str, data: Path) -> subprocess.CompletedProcess[str]:
    """`fielddesk residents import ARGS` on `data`, answering in English."""
    return fielddesk("--lang", "en", "residents", "import", *args, data=data)


def residents(data: Path) -> list[dict[str, Any]]:
    return list(resident_docs(data).values())


def messy_sheet(path: Path, rows: list[list[object]] | None = None) -> Path:
    """Title row merged across, a blank row, a two-row header whose 住址 cell is
    merged over 楼栋/单元/门牌号, full-width digits, padded names, an empty row,
    a duplicate, a bad date and a row without a name. No compound column: the
    title names it."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([TITLE])
    sheet.merge_cells("A1:I1")
    sheet.append([])
    sheet.append(["序号", "姓 名", "性别", "出生日期", "联系电话", "住址", None, None, "备注"])
    sheet.merge_cells("F3:H3")
    sheet.append([None, None, None, None, None, "楼栋", "单元", "门牌号", None])
    wang = [
        "王  芳",
        "女",
        datetime(1940, 3, 5),
        "１３８００１３８０００",
        "３号楼",
        "2单元",
        "501室",
        "",
    ]
    for row in rows or [
        [1, *wang],
        [2, "李建国", "男", "1938/7/1", "139 1234 5678", "3", "2", "502", "行动不便，需上门"],
        [],
        [3, "张秀英", "女", "1945-13-40", "", "5", "1", "101", ""],
        [4, *wang],  # the same person again
        [5, "", "男", "1930", "", "1", "1", "1", ""],
        [6, "赵德胜", "男", 1936, "", "7", "3", "302", ""],
    ]:
        sheet.append(row)
    book.save(path)
    return path


def test_messy_sheet_is_refused_whole_with_every_bad_row_named(
    sample_dir: Path, tmp_path: Path
) -> None:
    before = residents_bytes(sample_dir)
    done = residents_import(
        str(messy_sheet(tmp_path / "m.xlsx")),
        data=sample_dir,
    )
    assert done.returncode == 1
    out = done.stdout
    assert "Columns (header on row 4):" in out
    for mapped in (
        "姓 名 -> name",
        "出生日期 -> birth date",
        "联系电话 -> phone",
        "楼栋 -> building",
        "门牌号 -> room",
        "备注 -> note",
    ):
        assert f"  {mapped}\n" in out
    assert "  not used: 序号\n" in out
    assert "compound from the sheet's title: 新宁路11号院" in out
    assert "  row 5: 王芳 | 新宁路11号院 3-2-501 | 1940-03-05 | 138 0013 8000\n" in out
    assert '  row 8: birth date "1945-13-40" is not a date\n' in out
    assert "  row 10: no name\n" in out
    assert "  row 9: duplicate of row 5, counted once\n" in out
    assert (
        "Summary: 3 to add, 0 to update, 0 unchanged, 2 rejected, 1 duplicate rows, 1 empty rows."
        in out
    )
    assert done.stderr == "Nothing written: 2 rows rejected (--skip-bad writes the good rows).\n"
    assert residents_bytes(sample_dir) == before


def test_skip_bad_writes_the_good_rows_cleaned(sample_dir: Path, tmp_path: Path) -> None:
    count = len(residents(sample_dir))
    sheet = messy_sheet(tmp_path / "m.xlsx")
    done = residents_import(str(sheet), "--skip-bad", data=sample_dir)
    assert done.returncode == 0, done.stderr
    stored = residents(sample_dir)
    assert len(stored) == count + 3
    new = {r["name"]: r for r in stored if r["name"] in ("王芳", "李建国", "赵德胜")}
    compound = next(
        c
        for c in json.loads((sample_dir / "registry.json").read_text("utf-8"))["compound"].values()
        if c["name"] == "新宁路11号院"
    )
    wang, li, zhao = new["王芳"], new["李建国"], new["赵德胜"]
    assert (wang["compound"], wang["building"], wang["unit"], wang["room"]) == (
        compound["id"],
        "3",
        "2",
        "501",
    )
    assert (wang["phone"], wang["gender"], wang["birth_date"], wang["birth_year"]) == (
        "+8613800138000",
        "f",
        "1940-03-05",
        1940,
    )
    assert (li["birth_date"], li["flags"], li["note"]) == (
        "1938-07-01",
        ["mobility"],
        "行动不便，需上门",
    )
    assert (zhao["birth_date"], zhao["birth_year"]) == ("", 1936)
    # Again: nothing to add, nothing written.
    before = residents_bytes(sample_dir)
    again = residents_import(str(sheet), "--skip-bad", data=sample_dir)
    assert "0 to add, 0 to update, 3 unchanged" in again.stdout
    assert "Nothing to write" in again.stdout
    assert residents_bytes(sample_dir) == before


def test_reimport_updates_instead_of_duplicating(sample_dir: Path, tmp_path: Path) -> None:
    good = [
        [1, "王芳", "女", "1940-03-05", "13800138000", "3", "2", "501", ""],
        [2, "李建国", "男", "1938-07-01", "13912345678", "3", "2", "502", ""],
    ]
    first = residents_import(str(messy_sheet(tmp_path / "a.xlsx", good)), data=sample_dir)
    assert first.returncode == 0, first.stderr
    count = len(residents(sample_dir))
    wang = next(r for r in residents(sample_dir) if r["name"] == "王芳")
    changed = [
        [
            1,
            "王芳",
            "女",
            "1940-03-05",
            "13700137000",
            "3",
            "2",
            "501",
            "独居",
        ],  # new phone, a note
        [
            2,
            "李建国",
            "男",
            "1938-07-01",
            "13912345678",
            "9",
            "1",
            "101",
            "",
        ],  # moved: matched by phone
    ]
    second = residents_import(
        str(messy_sheet(tmp_path / "b.xlsx", changed)),
        data=sample_dir,
    )
    assert second.returncode == 0, second.stderr
    assert "0 to add, 2 to update, 0 unchanged" in second.stdout
    stored = residents(sample_dir)
    assert len(stored) == count
    after = next(r for r in stored if r["id"] == wang["id"])
    assert (after["phone"], after["note"], after["rev"]) == (
        "+8613700137000",
        "独居",
        wang["rev"] + 1,
    )
    li = next(r for r in stored if r["name"] == "李建国")
    assert (li["building"], li["unit"], li["room"]) == ("9", "1", "101")


def test_csv_from_chinese_excel_and_english_headers(sample_dir: Path, tmp_path: Path) -> None:
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(
        "姓名,小区,楼栋,单元,门牌号,出生年份\r\n孙桂兰,新宁花苑,2,1,301,1941\r\n".encode("gb18030")
    )
    english = tmp_path / "en.csv"
    english.write_text(
        "\ufeffName;Compound;Building;Unit;Room;Date of birth;Phone\n"
        "Ma Lin;新宁花苑;2;1;302;1939-05-06;13600136000\n",
        encoding="utf-8",
    )
    for sheet in (gbk, english):
        done = residents_import(str(sheet), data=sample_dir)
        assert done.returncode == 0, done.stdout + done.stderr
    stored = {r["name"]: r for r in residents(sample_dir)}
    assert stored["孙桂兰"]["birth_year"] == 1941 and stored["孙桂兰"]["room"] == "301"
    assert stored["Ma Lin"]["phone"] == "+8613600136000"


def test_dry_run_writes_nothing(sample_dir: Path, tmp_path: Path) -> None:
    good = [[1, "王芳", "女", "1940-03-05", "13800138000", "3", "2", "501", ""]]
    before = residents_bytes(sample_dir)
    done = residents_import(
        str(messy_sheet(tmp_path / "a.xlsx", good)),
        "--dry-run",
        data=sample_dir,
    )
    assert done.returncode == 0
    assert done.stdout.endswith("Dry run: nothing written.\n")
    assert residents_bytes(sample_dir) == before


@pytest.mark.parametrize(
    ("header", "row", "args", "message"),
    [
        (
            ["姓名", "小区"],
            ["王芳", "不存在小区"],
            [],
            "  compound 不存在小区 is not in the registry (rows naming it: 1)",
        ),
        (
            ["姓名", "楼栋"],
            ["王芳", "3"],
            [],
            "  row 2: no compound (add a 小区 column, or use --compound)\n",
        ),
        (
            ["姓名", "性别", "小区"],
            ["王芳", "未知", "新宁花苑"],
            [],
            '  row 2: gender "未知" is not 男 or 女\n',
        ),
        (
            ["姓名", "电话", "小区"],
            ["王芳", "12345", "新宁花苑"],
            [],
            "  row 2: Phone: Not a valid phone number",
        ),
    ],
)
def test_row_problems_are_named(
    sample_dir: Path,
    tmp_path: Path,
    header: list[str],
    row: list[str],
    args: list[str],
    message: str,
) -> None:
    sheet = tmp_path / "s.csv"
    sheet.write_text(",".join(header) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    done = residents_import(str(sheet), *args, data=sample_dir)
    assert done.returncode == 1
    assert message in done.stdout


def test_a_compound_for_every_row(sample_dir: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "s.csv"
    sheet.write_text("姓名,楼栋\n王芳,3\n", encoding="utf-8")
    done = residents_import(str(sheet), "--compound", "新宁花苑", data=sample_dir)
    assert done.returncode == 0, done.stdout
    bad = residents_import(str(sheet), "--compound", "无此小区", data=sample_dir)
    assert (bad.returncode, bad.stderr) == (
        2,
        "fielddesk: --compound: no compound named 无此小区\n",
    )


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"a,b\n1,2\n", "s.csv", "no header row with a 姓名 (name) column in the first 15 rows"),
        (b"not a zip", "s.xlsx", "s.xlsx could not be read"),
        (b"x", "s.pdf", "s.pdf: not a sheet fielddesk reads (.xlsx, .xls, .ods or .csv)"),
    ],
)
def test_files_that_are_not_sheets(
    sample_dir: Path, tmp_path: Path, content: bytes, name: str, message: str
) -> None:
    (tmp_path / name).write_bytes(content)
    done = residents_import(str(tmp_path / name), data=sample_dir)
    assert done.returncode == 2
    assert done.stderr.startswith(f"fielddesk: {message}") and done.stderr.count("\n") == 1
    missing = residents_import(str(tmp_path / "nope.xlsx"), data=sample_dir)
    assert missing.returncode == 2 and "no such file" in missing.stderr


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(1940, 3, 5), ("1940-03-05", 1940)),
        (date(1940, 3, 5), ("1940-03-05", 1940)),
        ("1940-03-05", ("1940-03-05", 1940)),
        ("1940/3/5", ("1940-03-05", 1940)),
        ("1940.3.5", ("1940-03-05", 1940)),
        ("1940年3月5日", ("1940-03-05", 1940)),
        ("１９４０年３月５日", ("1940-03-05", 1940)),
        ("19400305", ("1940-03-05", 1940)),
        (14675, ("1940-03-05", 1940)),  # an Excel serial day number
        ("1940年3月", ("", 1940)),
        ("1940", ("", 1940)),
        (1940, ("", 1940)),
        ("", ("", None)),
        (None, ("", None)),
    ],
)
def test_birth_dates_as_offices_write_them(value: object, expected: tuple[str, int | None]) -> None:
    assert parse_birth(value, date(2026, 11, 27)) == expected


@pytest.mark.parametrize(
    "value", ["1945-13-40", "1940-02-30", "abc", "2030-01-01", "1890", "3月5日"]
)
def test_bad_birth_dates(value: str) -> None:
    with pytest.raises(RowError) as err:
        parse_birth(value, date(2026, 11, 27))
    assert err.value.code == "residents.bad_date"


def test_hostile_names_and_notes_are_kept_literally_or_named(
    sample_dir: Path, tmp_path: Path
) -> None:
    from tests.conftest import HOSTILE
    from tui.domain.text import clean_text

    strings = HOSTILE["strings"]
    sheet = tmp_path / "hostile.xlsx"
    book = openpyxl.Workbook()
    page = book.active
    assert page is not None
    page.append(["姓名", "小区", "门牌号", "备注"])
    for number, text in enumerate(strings):
        # openpyxl refuses control characters in cells; a CSV carries them below.
        cell = "".join(c for c in text if c.isprintable() or c in "\n\t")
        page.append([cell, "新宁花苑", str(number + 1), cell])
    book.save(sheet)
    done = residents_import(str(sheet), "--skip-bad", data=sample_dir)
    assert done.returncode == 0, done.stderr
    stored = {r["room"]: r for r in residents(sample_dir) if r["compound"] and r["room"].isdigit()}
    for number, text in enumerate(strings):
        cell = "".join(c for c in text if c.isprintable() or c in "\n\t")
        name = clean_text(cell)
        row = number + 2
        if not name.strip():
            assert f"  row {row}: no name\n" in done.stdout
        elif len(clean_text(cell)) > 40:
            assert f"  row {row}: Name is too long" in done.stdout
        else:
            assert str(number + 1) in stored, text
            assert stored[str(number + 1)]["note"] == clean_text(cell, multiline=True).strip()
    comma = tmp_path / "hostile.csv"
    with comma.open("w", encoding="utf-8", newline="") as handle:
        import csv

        writer = csv.writer(handle)
        writer.writerow(["姓名", "小区", "楼栋", "备注"])
        for text in strings:
            writer.writerow(["赵六", "新宁花苑", "99", text])
    done = residents_import(str(comma), "--skip-bad", data=sample_dir)
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "\x00" not in done.stdout

"""Sheet files as Excel and WPS write them, and as they arrive damaged:
quotes in CSV cells, an xlsx whose <dimension> lies."""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl

from tests.registry.test_import import residents, residents_import

MOBILE = '住"2号楼",行动不便'  # Excel writes it quoted: "住""2号楼"",行动不便"
SON = '儿子说"下周来"，电话打不通'  # no comma: some tools write it unquoted
# Enough ordinary rows that the quoted notes come after the first 4 KB, where
# a reader that guesses the quoting from a sample no longer looks.
PLAIN = [[f"居民{n}", "新宁花苑", "8", "1", str(100 + n), ""] for n in range(300)]
HEADER = ["姓名", "小区", "楼栋", "单元", "门牌号", "备注"]


def notes(data: Path) -> dict[str, tuple[str, list[str]]]:
    return {r["name"]: (r["note"], r["flags"]) for r in residents(data)}


def test_csv_as_excel_writes_it_keeps_quotes(sample_dir: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "excel.csv"
    with sheet.open("w", encoding="utf-8-sig", newline="") as handle:  # Excel's "CSV UTF-8"
        writer = csv.writer(handle)  # the default dialect is Excel's
        writer.writerows([HEADER, *PLAIN])
        writer.writerow(["王芳", "新宁花苑", "2", "1", "501", MOBILE])
        writer.writerow(["李建国", "新宁花苑", "2", "1", "502", SON])
    assert b'"\xe4\xbd\x8f""2' in sheet.read_bytes()  # "住""2…, as Excel writes it
    done = residents_import(str(sheet), data=sample_dir)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Summary: 302 to add, 0 to update" in done.stdout
    stored = notes(sample_dir)
    assert stored["王芳"] == (MOBILE, ["mobility"])
    assert stored["李建国"] == (SON, [])


def test_csv_written_by_hand_keeps_a_bare_quote(sample_dir: Path, tmp_path: Path) -> None:
    """GB18030 as Chinese Excel saves "CSV (逗号分隔)"; a quote inside an
    unquoted cell is a character of that cell."""
    lines = [",".join(row) for row in [HEADER, *PLAIN]]
    lines.append(f"李建国,新宁花苑,2,1,502,{SON}")
    lines.append('王芳,新宁花苑,2,1,501,"住""2号楼"",行动不便"')
    sheet = tmp_path / "wps.csv"
    sheet.write_bytes("\r\n".join(lines).encode("gb18030") + b"\r\n")
    done = residents_import(str(sheet), data=sample_dir)
    assert done.returncode == 0, done.stdout + done.stderr
    stored = notes(sample_dir)
    assert stored["王芳"] == (MOBILE, ["mobility"])
    assert stored["李建国"] == (SON, [])


def test_csv_delimiters_tab_and_semicolon(sample_dir: Path, tmp_path: Path) -> None:
    for number, delimiter in enumerate(("\t", ";")):
        sheet = tmp_path / f"d{number}.csv"
        with sheet.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=delimiter)
            writer.writerows([HEADER, *PLAIN])
            writer.writerow([f"王芳{number}", "新宁花苑", "2", "1", "501", MOBILE])
        done = residents_import(str(sheet), data=sample_dir)
        assert done.returncode == 0, done.stdout + done.stderr
        assert notes(sample_dir)[f"王芳{number}"] == (MOBILE, ["mobility"])


def test_csv_with_an_oversized_cell_is_refused_in_one_line(
    sample_dir: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "huge.csv"
    sheet.write_text("姓名,小区,备注\n王芳,新宁花苑," + "长" * 200_000 + "\n", encoding="utf-8")
    done = residents_import(str(sheet), data=sample_dir)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith("fielddesk: huge.csv could not be read: ")
    assert done.stderr.count("\n") == 1


def rewrite_sheet(path: Path, change: Callable[[str], str]) -> Path:
    """The xlsx again with its first sheet's XML changed, as another tool might write it."""
    out = path.with_name("changed-" + path.name)
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = change(data.decode("utf-8")).encode("utf-8")
            new.writestr(item, data)
    return out


def roster(path: Path, count: int) -> Path:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["序号", "姓名", "性别", "出生年份", "联系电话", "小区", "楼栋", "单元", "门牌号"])
    for n in range(1, count + 1):
        sheet.append([n, f"居民{n}", "女", 1940, "", "新宁花苑", 9, 1 + n // 100, n])
    book.save(path)
    return path


def test_xlsx_rows_beyond_a_wrong_dimension_are_read(sample_dir: Path, tmp_path: Path) -> None:
    count = len(residents(sample_dir))
    sheet = rewrite_sheet(
        roster(tmp_path / "r.xlsx", 200),
        lambda xml: re.sub(r"<dimension [^>]*>", "", xml).replace(
            "<sheetViews>", '<dimension ref="A1:I10"/><sheetViews>'
        ),
    )
    done = residents_import(str(sheet), data=sample_dir)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Summary: 200 to add, 0 to update, 0 unchanged, 0 rejected" in done.stdout
    stored = residents(sample_dir)
    assert len(stored) == count + 200
    assert {"居民1", "居民200"} <= {r["name"] for r in stored}

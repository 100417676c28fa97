"""Sheet files as Excel and WPS write them, and as they arrive damaged:
quotes in CSV cells, an xlsx whose <dimension> lies, a merged range running
to the sheet's last column."""

from __future__ import annotations

import csv
import re
import resource
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import PYTHON, ROOT, python_env, residents_bytes
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


def add_to_sheet(rows: str = "", merged: str = "") -> Callable[[str], str]:
    """A change to the sheet XML: rows after the last, a merged range after the cells."""
    merge = f'<mergeCells count="1"><mergeCell ref="{merged}"/></mergeCells>' if merged else ""
    return lambda xml: xml.replace("</sheetData>", f"{rows}</sheetData>{merge}")


def text_row(cell: str, text: str) -> str:
    number = cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return f'<row r="{number}"><c r="{cell}" t="inlineStr"><is><t>{text}</t></is></c></row>'


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


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def import_capped(sheet: Path, data: Path) -> subprocess.CompletedProcess[str]:
    """The import in 1 GiB of address space; a run past 5 s fails the test."""
    env = python_env() | {"FIELDDESK_DATA": str(data)}
    command = [PYTHON, "-m", "tui", "--lang", "en", "residents", "import", str(sheet)]
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=5, preexec_fn=_capped
    )


def test_a_merged_range_to_the_last_column_is_refused_in_bounded_memory(
    sample_dir: Path, tmp_path: Path
) -> None:
    """Ten thousand rows under a merge to XFD would be 16,384 cells each."""
    before = residents_bytes(sample_dir)
    sheet = rewrite_sheet(roster(tmp_path / "m.xlsx", 10_000), add_to_sheet(merged="A2:XFD100001"))
    done = import_capped(sheet, sample_dir)
    assert (done.returncode, done.stdout) == (2, ""), done.stderr[-2000:]
    assert done.stderr == (
        "fielddesk: changed-m.xlsx: the merged cells A2:XFD100001 hide the data in B2"
        " (unmerge them and save the sheet again)\n"
    )
    assert residents_bytes(sample_dir) == before


def test_a_compound_merged_down_past_the_last_resident(sample_dir: Path, tmp_path: Path) -> None:
    """Offices merge the 小区 cells of a block, often further than the rows
    filled in so far: the empty rows below are not residents."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["姓名", "小区", "楼栋", "门牌号"])
    for room in ("101", "102", "201"):
        sheet.append([f"住户{room}", "新宁花苑" if room == "101" else None, "6", room])
    sheet.merge_cells("B2:B500")
    book.save(tmp_path / "block.xlsx")
    done = residents_import(str(tmp_path / "block.xlsx"), data=sample_dir)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Summary: 3 to add, 0 to update, 0 unchanged, 0 rejected, 0 duplicate rows, 0 empty" in (
        done.stdout
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            add_to_sheet(rows=text_row("B200001", "王芳")),
            "more than 200,000 rows; split the sheet and import the parts",
        ),
        (
            add_to_sheet(rows=text_row("IW6", "x")),
            "a value in IW6, beyond the 256 columns a residents sheet may have"
            " (delete it and save the sheet again)",
        ),
        (  # rows 7 to 4999 are empty: nothing hidden, but a million cells to fill
            add_to_sheet(rows=text_row("IV5000", "x"), merged="J7:IV4999"),
            "merged cells cover more than 1,000,000 cells (unmerge them and save the sheet again)",
        ),
    ],
    ids=["rows", "columns", "merged"],
)
def test_sheets_beyond_the_limits_are_refused(
    sample_dir: Path, tmp_path: Path, change: Callable[[str], str], message: str
) -> None:
    before = residents_bytes(sample_dir)
    sheet = rewrite_sheet(roster(tmp_path / "r.xlsx", 4), change)
    done = residents_import(str(sheet), data=sample_dir)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"fielddesk: changed-r.xlsx: {message}\n"
    assert residents_bytes(sample_dir) == before

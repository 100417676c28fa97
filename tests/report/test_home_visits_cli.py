"""`fielddesk residents home-visits`: the certification round's home-visit list."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from tests.cli.test_cli import fielddesk
from tests.ui.test_certification import age, counted, eligible


def test_home_visit_list_for_a_quarter(sample_dir: Path, tmp_path: Path) -> None:
    done = {c["resident"] for c in counted(sample_dir)}
    home = [
        r
        for rid, r in eligible(sample_dir).items()
        if rid not in done and ("mobility" in r["flags"] or (age(r) or 0) >= 90)
    ]
    shown = fielddesk(
        "--lang", "en", "residents", "home-visits", "--quarter", "2026Q4", data=sample_dir
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("# Home visits for certification, 2026Q4\n")
    assert all(r["name"] in shown.stdout for r in home)
    out = tmp_path / "visits.xlsx"
    written = fielddesk(
        "residents",
        "home-visits",
        "--quarter",
        "2026Q4",
        "--format",
        "xlsx",
        "--out",
        str(out),
        data=sample_dir,
    )
    assert written.returncode == 0, written.stderr
    book = openpyxl.load_workbook(out)
    names = [
        row[3]
        for sheet in book.worksheets[1:]
        for row in sheet.iter_rows(min_row=2, values_only=True)
    ]
    assert sorted(names) == sorted(r["name"] for r in home)


def test_bad_quarter_and_xlsx_to_a_terminal_get_one_line(sample_dir: Path) -> None:
    bad = fielddesk(
        "--lang", "en", "residents", "home-visits", "--quarter", "2026Q5", data=sample_dir
    )
    assert (bad.returncode, bad.stderr) == (
        2,
        "fielddesk: not a quarter: 2026Q5 (YYYYQn, e.g. 2026Q4)\n",
    )
    excel = fielddesk(
        "--lang", "en", "residents", "home-visits", "--format", "xlsx", data=sample_dir
    )
    assert (excel.returncode, excel.stderr) == (
        2,
        "fielddesk: an Excel report needs --out FILE.xlsx\n",
    )

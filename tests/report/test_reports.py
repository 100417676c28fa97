"""Hand-over reports from a real data folder: what a reader finds in each format."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from syrupy.assertion import SnapshotAssertion

from tests.cli.test_cli import fielddesk
from tests.conftest import HOSTILE, issue_forms, resident_docs
from tui.domain.intake import IntakeForm
from tui.domain.text import clean_text
from tui.i18n import set_language
from tui.report.collect import build_day, build_month, write_day_reports
from tui.report.render import to_csv, to_json, to_markdown, to_xlsx
from tui.store.repository import Store

DAY = "2026-11-20"
MONTH = "2026-11"


@pytest.fixture
def sample_store(sample_dir: Path, clock: Callable[[], datetime]) -> Store:
    return Store(sample_dir, device="test-laptop", by="测试员", clock=clock)


def raw(folder: Path, rel: str) -> dict[str, dict[str, dict[str, object]]]:
    return json.loads((folder / rel).read_text("utf-8"))


def as_text(cell: object) -> str:
    """A cell as the report shows it: a date cell as its day."""
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    return "" if cell is None else str(cell)


def csv_blocks(payload: bytes) -> list[list[list[str]]]:
    """The CSV's tables: title row, header row, rows — split on blank rows."""
    rows = list(csv.reader(io.StringIO(payload.decode("utf-8-sig"), newline="")))
    blocks: list[list[list[str]]] = [[]]
    for row in rows[2:]:  # the report title and a blank row
        if row:
            blocks[-1].append(row)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


# -- the day report ---------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_day_report_markdown(sample_store: Store, lang: str, snapshot: SnapshotAssertion) -> None:
    set_language(lang)
    assert to_markdown(build_day(sample_store, DAY)).decode() == snapshot


def test_day_report_has_every_visit_and_one_list_per_owner(
    sample_store: Store, sample_dir: Path
) -> None:
    report = build_day(sample_store, DAY)
    tables = {table.id: table for table in report.tables}
    day = raw(sample_dir, f"days/{DAY}.json")
    visits = day["visit"]
    assert len(tables["visits"].rows) == len(visits)
    assert sorted(row[2] for row in tables["visits"].rows) == sorted(
        str(v["name"]) for v in visits.values()
    )
    # Open cases of the day's visits, grouped by owner as the open-case file has them.
    open_cases = raw(sample_dir, "cases/open.json")["case"].values()
    owners: dict[str, list[str]] = {}
    visit_ids = {v["id"] for v in visits.values()}
    for case in open_cases:
        if case["visit"] in visit_ids:
            owners.setdefault(str(case["owner"]), []).append(str(case["name"]))
    registry = raw(sample_dir, "registry.json")
    names = {
        str(doc["id"]): str(doc["name"])
        for kind in ("staff", "party")
        for doc in registry[kind].values()
    }
    owner_tables = [t for t in report.tables if t.id.startswith("owner-")]
    assert len(owner_tables) == len(owners) > 1
    for owner, cases in owners.items():
        (table,) = [t for t in owner_tables if t.title.endswith(names[owner])]
        assert sorted(row[0] for row in table.rows) == sorted(cases)


def test_csv_reads_back_as_the_report(sample_store: Store) -> None:
    report = build_day(sample_store, DAY)
    payload = to_csv(report)
    assert payload.startswith(b"\xef\xbb\xbf")  # Excel and WPS read UTF-8 with a BOM
    blocks = csv_blocks(payload)
    assert len(blocks) == len(report.tables)
    for block, table in zip(blocks, report.tables, strict=True):
        assert block[0] == [table.title]
        assert block[1] == table.headers
        assert block[2:] == [[as_text(c) for c in row] for row in table.rows]


def test_xlsx_holds_every_table_cell_by_cell(sample_store: Store) -> None:
    report = build_day(sample_store, DAY)
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))
    assert len(book.sheetnames) == len(report.tables)
    for sheet, table in zip(book.worksheets, report.tables, strict=True):
        # Each owner's list is a sheet named after the owner.
        assert sheet.title == (table.title[12:] if table.id.startswith("owner-") else table.title)
        # An empty cell reads back as None; numbers stay numbers; a day is a date.
        cells = [
            [
                "" if c is None else c.date().isoformat() if isinstance(c, datetime) else c
                for c in row
            ]
            for row in sheet.iter_rows(values_only=True)
        ]
        assert cells[0] == table.headers
        assert cells[1:] == [list(row) for row in table.rows]
        days = [
            c for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, datetime)
        ]
        assert all(c.is_date and c.number_format == "yyyy-mm-dd" for c in days)
        # Filter, print setup and widths for the hand-over.
        assert sheet.auto_filter.ref == (sheet.dimensions if table.rows else None)
        assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$1:$1"
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    # A column of Chinese names is as wide as they are drawn: two columns a character.
    visits = next(t for t in report.tables if t.id == "visits")
    widest = max(len(row[2]) for row in visits.rows)
    assert book[visits.title].column_dimensions["C"].width >= 2 * widest + 2
    # ... and a column of ticket numbers (A012) is not drawn twice as wide.
    assert visits.headers[1] == "Ticket"
    assert book[visits.title].column_dimensions["B"].width <= len("Ticket") + 2


def test_json_has_named_columns(sample_store: Store) -> None:
    report = build_day(sample_store, DAY)
    data = json.loads(to_json(report))
    assert (data["report"], data["period"]) == ("day", DAY)
    visits = next(t for t in data["tables"] if t["id"] == "visits")
    assert visits["columns"][:3] == ["time", "ticket", "name"]
    table = next(t for t in report.tables if t.id == "visits")
    assert [r["name"] for r in visits["rows"]] == [row[2] for row in table.rows]


def test_hostile_text_comes_out_as_typed_in_every_format(sample_store: Store) -> None:
    store = sample_store
    strings = [s for s in HOSTILE["strings"] if clean_text(s) and len(clean_text(s)) <= 40]
    issue_forms(
        store,
        [IntakeForm(name=s, description=s, category="repair", mode="queue") for s in strings],
    )
    report = build_day(store, store.today())
    expected = {clean_text(s) for s in strings}
    details = {clean_text(s, multiline=True) for s in strings}  # descriptions keep line breaks
    visits = next(t for t in report.tables if t.id == "visits")
    assert {row[2] for row in visits.rows} == expected
    assert {row[7] for row in visits.rows} == details
    # CSV
    block = next(b for b in csv_blocks(to_csv(report)) if b[0] == [visits.title])
    assert {row[2] for row in block[2:]} == expected
    assert {row[7] for row in block[2:]} == details
    # Excel
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))
    sheet = book[visits.title]
    assert {row[2] for row in sheet.iter_rows(min_row=2, values_only=True)} == expected
    assert {row[7] for row in sheet.iter_rows(min_row=2, values_only=True)} == details
    # JSON
    data = json.loads(to_json(report))
    rows = next(t for t in data["tables"] if t["id"] == "visits")["rows"]
    assert {r["name"] for r in rows} == expected
    assert {r["request"] for r in rows} == details
    # Markdown: every row keeps its columns, whatever the text holds.
    markdown = to_markdown(report).decode()
    section = markdown.split(f"## {visits.title}")[1].split("\n## ")[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    widths = {len(re.split(r"(?<!\\)\|", line)) for line in lines}
    assert widths == {len(visits.headers) + 2}


def test_a_formula_stays_text(sample_store: Store) -> None:
    store = sample_store
    forms = [
        IntakeForm(name="=1+1", description="@SUM(A1)", category="repair"),
        IntakeForm(name="-2+3", description="+cmd|' /C calc'!A0", category="repair"),
    ]
    issue_forms(store, forms)
    report = build_day(store, store.today())
    visits = next(t for t in report.tables if t.id == "visits")
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))[visits.title]
    rows = {row[2].value: row for row in sheet.iter_rows(min_row=2)}
    assert (rows["=1+1"][2].data_type, rows["=1+1"][7].value) == ("s", "@SUM(A1)")
    assert rows["-2+3"][7].value == "+cmd|' /C calc'!A0"
    (block,) = [b for b in csv_blocks(to_csv(report)) if b[0] == [visits.title]]
    # A spreadsheet would run these (OWASP: = + - @ tab CR); the leading ' makes them text.
    cells = {row[2]: row[7] for row in block[2:] if len(row) > 7}
    assert cells["'=1+1"] == "'@SUM(A1)"
    assert cells["'-2+3"] == "'+cmd|' /C calc'!A0"


# -- the month report ---------------------------------------------------------------


def test_month_report_counts_sessions_per_compound(sample_store: Store, sample_dir: Path) -> None:
    report = build_month(sample_store, MONTH)
    tables = {t.id: t for t in report.tables}
    compounds = raw(sample_dir, "registry.json")["compound"]
    rows = {row[0]: row for row in tables["compounds"].rows}
    assert set(rows) == {str(c["name"]) for c in compounds.values()}
    # Held on 11-20, seven days before the sample's today (11-27).
    assert rows["新宁路11号院"][1:] == [1, "11-20", "2026-11-20", 7, ""]
    not_visited = [name for name, row in rows.items() if row[1] == 0]
    assert len(not_visited) == len(compounds) - 1
    assert {rows[name][5] for name in not_visited} == {"no outing in the past year"}
    summary = dict((row[0], row[1]) for row in tables["summary"].rows)
    statuses = [v["status"] for v in raw(sample_dir, f"days/{DAY}.json")["visit"].values()]
    handled, logged = statuses.count("handled"), statuses.count("logged")
    assert summary["Visits"] == len(statuses)
    assert summary["Share handled on the spot"] == f"{handled / (handled + logged):.0%}"


def test_written_reports_land_in_the_data_folder(sample_store: Store, sample_dir: Path) -> None:
    folder = write_day_reports(sample_store, DAY)
    assert folder == sample_dir / "reports" / DAY
    assert sorted(p.name for p in folder.iterdir()) == [
        f"report-{DAY}.{ext}" for ext in ("csv", "json", "md", "xlsx")
    ]
    assert {p.stat().st_mode & 0o777 for p in folder.iterdir()} == {0o600}


# -- from the command line ---------------------------------------------------------------


def resident_names_and_phones(folder: Path) -> tuple[set[str], set[str]]:
    """Full names and phone digits of the residents in the sample (not staff)."""
    registry = raw(folder, "registry.json")
    staff = {str(d["name"]) for kind in ("staff", "party") for d in registry[kind].values()}
    names, phones = set(), set()
    for doc in [
        *raw(folder, f"days/{DAY}.json")["visit"].values(),
        *resident_docs(folder).values(),
    ]:
        if len(str(doc["name"])) > 1 and doc["name"] not in staff:
            names.add(str(doc["name"]))
        if doc.get("phone"):
            phones.add(str(doc["phone"])[-8:])  # the subscriber part, however formatted
    return names, phones


@pytest.mark.parametrize("fmt", ["md", "csv", "xlsx", "json"])
@pytest.mark.parametrize("period", [["--date", DAY], ["--month", MONTH]])
def test_redact_leaves_no_full_name_or_phone(
    sample_dir: Path, tmp_path: Path, fmt: str, period: list[str]
) -> None:
    out = tmp_path / f"report.{fmt}"
    done = fielddesk(
        "report", *period, "--format", fmt, "--out", str(out), "--redact", data=sample_dir
    )
    assert done.returncode == 0, done.stderr
    if fmt == "xlsx":
        book = openpyxl.load_workbook(out)
        text = "\n".join(
            as_text(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row
        )
    else:
        text = out.read_bytes().decode("utf-8-sig")
    digits = re.sub(r"\D", "", text)
    names, phones = resident_names_and_phones(sample_dir)
    assert [n for n in names if n in text] == []
    assert [p for p in phones if p in digits] == []
    # Without --redact the same report names them.
    plain = fielddesk("report", *period, "--format", "json", data=sample_dir)
    if period[0] == "--date":
        assert any(n in plain.stdout for n in names)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "2026-11-31"], "There is no such day: 2026-11-31"),
        (["--date", "20261120"], "not a day: 20261120 (YYYY-MM-DD)"),
        (["--date", "2026-11-21"], "nothing recorded on 2026-11-21"),
        (["--month", "2026-13"], "not a month: 2026-13 (YYYY-MM)"),
        (["--month", "2025-01"], "nothing recorded in 2025-01"),
        (["--date", DAY, "--format", "xlsx"], "an Excel report needs --out FILE.xlsx"),
    ],
)
def test_bad_periods_get_one_line(sample_dir: Path, args: list[str], message: str) -> None:
    done = fielddesk("--lang", "en", "report", *args, data=sample_dir)
    assert done.returncode == 2
    assert done.stderr == f"fielddesk: {message}\n"
    assert done.stdout == ""


def test_report_to_stdout_in_chinese(sample_dir: Path) -> None:
    done = fielddesk("--lang", "zh", "report", "--date", DAY, data=sample_dir)
    assert done.returncode == 0
    assert done.stdout.startswith(f"# 流动服务台 {DAY}\n")
    assert "## 全部来访" in done.stdout

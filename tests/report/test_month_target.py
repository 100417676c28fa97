"""The month report's target is outings a month for the whole community (3),
not 3 at each compound; each compound shows the days since its last outing
and is flagged past NOT_VISITED_DAYS."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest

from tui.domain.records import Compound, Record, ServiceSession
from tui.domain.report import NOT_VISITED_DAYS
from tui.report.collect import build_month
from tui.report.render import to_csv, to_json, to_markdown, to_xlsx
from tui.report.tables import Report
from tui.store.repository import Store

# The store's today is 2026-11-27 (tests/conftest.py).


def history(store: Store, held: dict[str, list[str]], retired: tuple[str, ...] = ()) -> None:
    """Compounds named by `held`'s keys (plus the retired), each with sessions on its days."""
    records: list[Record] = []
    for name in [*held, *retired]:
        records.append(Compound(id=f"c-{name}", name=name, active=name not in retired))
    for name, days in held.items():
        for day in days:
            records.append(ServiceSession(day=day, compound=f"c-{name}", status="closed"))
    store.save_all(records)


def rows(report: Report, table_id: str) -> list[list[object]]:
    return next(t for t in report.tables if t.id == table_id).rows


def test_three_outings_a_month_meet_the_target_for_the_whole_community(store: Store) -> None:
    history(
        store,
        {
            "甲": ["2026-10-05"],
            "乙": ["2026-10-14"],
            "丙": ["2026-10-28"],
            "丁": ["2026-03-02"],  # 243 days before the month's end
            "戊": ["2026-08-03"],  # 89 days
            "己": [],
        },
        retired=("旧院",),
    )
    report = build_month(store, "2026-10")
    summary = dict((row[0], row[1]) for row in rows(report, "summary"))
    assert summary["Sessions held"] == 3
    assert summary["Outings this month, for the community"] == "3, at least 3 wanted: met"
    assert summary[f"Compounds without an outing for over {NOT_VISITED_DAYS} days"] == 2
    table = rows(report, "compounds")
    # Longest without an outing first; the retired compound is not listed.
    assert [row[0] for row in table] == ["己", "丁", "戊", "甲", "乙", "丙"]
    by_name = {str(row[0]): row[1:] for row in table}
    assert by_name["己"] == [0, "", "", "", "no outing in the past year"]
    assert by_name["丁"] == [
        0,
        "",
        "2026-03-02",
        243,
        f"over {NOT_VISITED_DAYS} days since the last outing",
    ]
    assert by_name["戊"] == [0, "", "2026-08-03", 89, ""]
    assert by_name["丙"] == [1, "10-28", "2026-10-28", 3, ""]
    # No compound is "under 3": the old per-compound reading is gone.
    assert "under 3" not in to_markdown(report).decode()


def test_one_outing_is_short_of_the_target(store: Store) -> None:
    history(store, {"甲": ["2026-11-03"], "乙": ["2026-10-01"]})
    report = build_month(store, "2026-11")
    summary = dict((row[0], row[1]) for row in rows(report, "summary"))
    assert summary["Outings this month, for the community"] == "1, at least 3 wanted: 2 short"
    # This month, days since are counted to today (2026-11-27).
    by_name = {str(row[0]): row[1:] for row in rows(report, "compounds")}
    assert by_name["甲"][2:4] == ["2026-11-03", 24]
    assert by_name["乙"][2:4] == ["2026-10-01", 57]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_format_carries_the_corrected_lines(store: Store, lang: str) -> None:
    from tui.i18n import set_language

    set_language(lang)
    history(store, {"甲": ["2026-10-05"], "乙": ["2025-01-06"]})
    report = build_month(store, "2026-10")
    compounds = next(t for t in report.tables if t.id == "compounds")
    markdown = to_markdown(report).decode()
    assert f"| {' | '.join(compounds.headers)} |" in markdown
    assert "| 甲 | 1 | 10-05 | 2026-10-05 | 26 |" in markdown
    text = to_csv(report).decode("utf-8-sig")
    block = list(csv.reader(io.StringIO(text)))
    assert compounds.headers in block
    assert ["甲", "1", "10-05", "2026-10-05", "26", ""] in block
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))
    sheet = book[compounds.title]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0] == compounds.headers
    assert values[1][0] == "乙" and values[1][3] is None  # none within the year
    assert values[2][:2] == ["甲", 1] and values[2][4] == 26
    data = json.loads(to_json(report))
    table = next(t for t in data["tables"] if t["id"] == "compounds")
    assert table["columns"] == ["compound", "sessions", "days", "last", "since", "note"]
    assert table["rows"][1] == {
        "compound": "甲",
        "sessions": 1,
        "days": "10-05",
        "last": "2026-10-05",
        "since": 26,
        "note": "",
    }


def test_the_sample_month_from_the_command_line(sample_dir: Path) -> None:
    from tests.cli.test_cli import fielddesk

    done = fielddesk("--lang", "en", "report", "--month", "2026-11", data=sample_dir)
    assert done.returncode == 0, done.stderr
    assert "| Outings this month, for the community | 1, at least 3 wanted: 2 short |" in (
        done.stdout
    )

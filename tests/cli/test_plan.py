"""`fielddesk plan`: the month's outings as a notice (md, xlsx) or JSON, and
--accept storing them once. Run in subprocesses on a copy of the sample, on
the real today (so the month planned is the next one: never in the past)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl

from tests.cli.test_cli import fielddesk
from tests.conftest import HOSTILE, resident_docs
from tui.domain.text import clean_text
from tui.domain.validate import NAME_MAX


def next_month() -> str:
    today = date.today()
    return f"{today.year + today.month // 12}-{today.month % 12 + 1:02d}"


def raw(folder: Path, rel: str) -> dict[str, dict[str, dict[str, object]]]:
    return json.loads((folder / rel).read_text("utf-8"))


def residents_and_phones(folder: Path) -> tuple[set[str], set[str]]:
    names, phones = set(), set()
    for doc in resident_docs(folder).values():
        if len(str(doc["name"])) > 1:
            names.add(str(doc["name"]))
        if doc.get("phone"):
            phones.add(str(doc["phone"])[-8:])
    return names, phones


def plan_json(folder: Path, *args: str) -> dict[str, object]:
    done = fielddesk("plan", "--month", next_month(), "--format", "json", *args, data=folder)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_json_proposes_three_outings_on_working_days_of_the_month(sample_dir: Path) -> None:
    month = next_month()
    data = plan_json(sample_dir)
    outings = data["outings"]
    assert isinstance(outings, list) and len(outings) == 3
    for outing in outings:
        day = date.fromisoformat(outing["day"])
        assert outing["day"][:7] == month and day.weekday() < 5
        assert outing["status"] == "proposed" and outing["id"] is None
        assert outing["staff"]  # the grid worker at least
    assert len({o["compound"] for o in outings}) == 3  # rotating: three compounds
    ranking = data["ranking"]
    assert isinstance(ranking, list) and len(ranking) == 17
    assert [o["compound"] for o in outings] == [r["compound"] for r in ranking[:3]]
    more = plan_json(sample_dir, "--sessions", "5")
    assert len(more["outings"]) == 5  # type: ignore[arg-type]


def test_markdown_notice_names_no_resident(sample_dir: Path) -> None:
    done = fielddesk("--lang", "zh", "plan", "--month", next_month(), data=sample_dir)
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert text.startswith(f"# {next_month()} 流动服务台服务安排\n")
    assert "## 服务时间与地点" in text and "## 可办理的事项" in text
    assert "高龄补贴审核认证" in text  # what the desk offers
    names, phones = residents_and_phones(sample_dir)
    staff = {str(d["name"]) for d in raw(sample_dir, "registry.json")["staff"].values()}
    assert [n for n in names - staff if n in text] == []
    digits = "".join(c for c in text if c.isdigit())
    assert [p for p in phones if p in digits] == []
    rows = [
        line for line in text.split("## 可办理的事项")[0].splitlines() if line.startswith("| 20")
    ]
    assert len(rows) == 3


def test_xlsx_notice(sample_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    done = fielddesk(
        "--lang",
        "en",
        "plan",
        "--month",
        next_month(),
        "--format",
        "xlsx",
        "--out",
        str(out),
        data=sample_dir,
    )
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(out)
    sheet = book["When and where the desk comes"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("Day", "Weekday", "Compound", "Address", "Staff", "State")
    assert len(values) == 4 and all(row[5] == "proposed" for row in values[1:])
    # Without --out an Excel notice is refused in one line.
    refused = fielddesk("--lang", "en", "plan", "--month", next_month(), "--format", "xlsx")
    assert refused.returncode == 2
    assert refused.stderr == "fielddesk: an Excel report needs --out FILE.xlsx\n"


def test_accept_stores_the_plan_once(sample_dir: Path) -> None:
    first = fielddesk("--lang", "en", "plan", "--month", next_month(), "--accept", data=sample_dir)
    assert first.returncode == 0, first.stderr
    assert first.stderr == "Outings accepted: 3.\n"
    stored = raw(sample_dir, "plan.json")["outing"]
    assert len(stored) == 3
    assert {o["status"] for o in stored.values()} == {"accepted"}
    assert {o["month"] for o in stored.values()} == {next_month()}
    again = fielddesk("--lang", "en", "plan", "--month", next_month(), "--accept", data=sample_dir)
    assert again.returncode == 0, again.stderr
    assert again.stderr == "Every outing of the plan is already accepted.\n"
    assert raw(sample_dir, "plan.json")["outing"] == stored  # not one rev more
    # The accepted outings come first, the plan as stored.
    data = plan_json(sample_dir)
    assert [o["status"] for o in data["outings"]] == ["accepted"] * 3  # type: ignore[union-attr]
    assert {o["id"] for o in data["outings"]} == {o["id"] for o in stored.values()}  # type: ignore[union-attr]
    checked = fielddesk("check", data=sample_dir)
    assert checked.returncode == 0, checked.stdout


def test_hostile_compound_names_come_out_as_typed(sample_dir: Path, tmp_path: Path) -> None:
    import dataclasses

    from tui.domain.calendar import fixed_clock
    from tui.store.repository import Store

    store = Store(sample_dir, by="测试员", clock=fixed_clock(date.today()))
    strings = [clean_text(s) for s in HOSTILE["strings"]]
    strings = [s for s in dict.fromkeys(strings) if s and len(s) <= NAME_MAX]
    compounds = store.compounds()
    renamed = [dataclasses.replace(c, name=s) for c, s in zip(compounds, strings, strict=False)]
    store.save_many(list(renamed))
    names = {c.id: c.name for c in store.compounds()}
    data = plan_json(sample_dir, "--sessions", "17")
    assert {o["compound_name"] for o in data["outings"]} == set(names.values())  # type: ignore[union-attr]
    out = tmp_path / "plan.xlsx"
    done = fielddesk(
        "plan",
        "--month",
        next_month(),
        "--sessions",
        "17",
        "--format",
        "xlsx",
        "--out",
        str(out),
        data=sample_dir,
    )
    assert done.returncode == 0, done.stderr
    sheet = openpyxl.load_workbook(out).worksheets[0]
    assert {row[2] for row in sheet.iter_rows(min_row=2, values_only=True)} == set(names.values())


def test_bad_months_get_one_line(sample_dir: Path) -> None:
    for month, message in [
        ("2026-13", "not a month: 2026-13 (YYYY-MM)"),
        ("2020-01", "no working day of 2020-01 is left to plan"),
    ]:
        done = fielddesk("--lang", "en", "plan", "--month", month, data=sample_dir)
        assert (done.returncode, done.stderr) == (2, f"fielddesk: {message}\n")


def test_uncertified_counts_match_the_certification_round(sample_dir: Path) -> None:
    from tui.domain.calendar import fixed_clock
    from tui.domain.certification import round_for
    from tui.services.certification import uncertified_by_compound
    from tui.store.repository import Store

    store = Store(sample_dir, clock=fixed_clock(date(2026, 11, 27)), read_only=True)
    for quarter in ("2026Q3", "2026Q4", "2027Q1"):
        rounds = round_for(store.residents(), store.certifications(quarter), quarter)
        expected = {r.compound: r.remaining for r in rounds if r.remaining}
        assert uncertified_by_compound(store, quarter) == expected

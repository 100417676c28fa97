"""`fielddesk community import|template|export` in a real subprocess."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import openpyxl

from tests.cli.test_cli import fielddesk, one_line
from tests.conftest import PYTHON, python_env
from tests.registry.test_community_sheets import (
    BAD,
    COMPOUND_NAMES,
    community_rows,
    files,
    filled,
)


def community(*args: str, data: Path) -> subprocess.CompletedProcess[str]:
    return fielddesk("--lang", "en", "community", *args, data=data)


def registry(data: Path) -> dict[str, list[dict[str, object]]]:
    tables = json.loads((data / "registry.json").read_text("utf-8"))
    return {kind: list(table.values()) for kind, table in tables.items()}


def test_from_an_empty_folder_template_fill_import(tmp_path: Path) -> None:
    data = tmp_path / "office"
    template = tmp_path / "community.xlsx"
    done = fielddesk("--lang", "en", "community", "template", "--out", str(template))
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"Template written: {template}\n"
    book = filled(template, tmp_path / "filled.xlsx", community_rows())
    # A folder named by --data that does not exist yet: --create, as everywhere.
    done = fielddesk("--lang", "en", "community", "import", str(book), "--create", data=data)
    assert done.returncode == 0, done.stderr
    assert "Sheet 小区 (Compounds) (compounds), header on row 1:" in done.stdout
    assert (
        "  to add (17): 新华路小区、和平路小区、建设路小区、幸福里小区、光明路小区 and 12 more"
        in (done.stdout)
    )
    assert done.stdout.endswith(
        "Summary: 56 to add, 0 to update, 0 unchanged, 0 rejected.\n"
        "Written: 56 items added or updated.\n"
    )
    stored = registry(data)
    assert len(stored["compound"]) == 17 and len(stored["staff"]) == 14
    assert len(stored["party"]) == 10 and len(stored["category"]) == 14
    assert len(stored["community"]) == 1
    staff = {s["id"]: s["name"] for s in stored["staff"]}
    grid = {c["name"]: staff[str(c["grid_worker"])] for c in stored["compound"]}
    assert grid[COMPOUND_NAMES[1]] == "陈静" and grid[COMPOUND_NAMES[0]] == "刘洋"
    # Again: nothing to write, the files untouched.
    before = files(data)
    again = community("import", str(book), data=data)
    assert again.returncode == 0, again.stderr
    assert again.stdout.endswith("Nothing to write: the registry already holds every row.\n")
    assert files(data) == before


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "office"
    data.mkdir()
    template = tmp_path / "t.xlsx"
    assert community("template", "--out", str(template), data=data).returncode == 0
    book = filled(template, tmp_path / "filled.xlsx", community_rows())
    before = files(data)
    done = community("import", str(book), "--dry-run", data=data)
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith("Dry run: nothing written.\n")
    assert files(data) == before


def test_rejected_rows_exit_1_and_write_nothing_unless_skip_bad(tmp_path: Path) -> None:
    data = tmp_path / "office"
    data.mkdir()
    template = tmp_path / "t.xlsx"
    assert community("template", "--out", str(template), data=data).returncode == 0
    good = filled(template, tmp_path / "good.xlsx", community_rows())
    assert community("import", str(good), data=data).returncode == 0
    rows = community_rows()
    for change, _expected in BAD.values():
        change(rows)
    bad = filled(template, tmp_path / "bad.xlsx", rows)
    before = files(data)
    done = community("import", str(bad), data=data)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    for _change, expected in BAD.values():
        assert f"    {expected}" in done.stdout
    assert done.stderr == ("Nothing written: 5 rows rejected (--skip-bad writes the good rows).\n")
    # (the police station serving 青年路小区 is fine: that compound is in the registry)
    assert files(data) == before
    dry = community("import", str(bad), "--dry-run", data=data)
    assert dry.returncode == 1 and files(data) == before
    done = community("import", str(bad), "--skip-bad", data=data)
    assert done.returncode == 0, done.stderr
    names = {c["name"] for c in registry(data)["compound"]}
    assert "长" * 41 not in names and len(names) == 17  # the good import's stay


def test_export_xlsx_and_json(tmp_path: Path) -> None:
    data = tmp_path / "office"
    data.mkdir()
    template = tmp_path / "t.xlsx"
    assert community("template", "--out", str(template), data=data).returncode == 0
    book = filled(template, tmp_path / "filled.xlsx", community_rows())
    assert community("import", str(book), data=data).returncode == 0
    out = tmp_path / "export.xlsx"
    done = community("export", "--format", "xlsx", "--out", str(out), data=data)
    assert done.returncode == 0, done.stderr
    sheets = openpyxl.load_workbook(out).sheetnames
    assert sheets == [
        "社区 (Community)",
        "小区 (Compounds)",
        "工作人员 (Staff)",
        "协办单位 (Outside bodies)",
        "事项类别 (Categories)",
    ]
    again = community("import", str(out), data=data)
    assert again.returncode == 0 and "Nothing to write" in again.stdout
    # JSON to standard output, references by name.
    done = community("export", "--format", "json", data=data)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert len(document["compounds"]) == 17 and document["community"]["name"] == "幸福里社区"
    police = next(p for p in document["parties"] if p["name"] == "新华路派出所")
    assert police["compounds"] == COMPOUND_NAMES[:9]
    # An existing file is not replaced without --force; Excel needs --out.
    message = one_line(community("export", "--out", str(out), data=data), 2)
    assert str(out) in message
    assert community("export", "--out", str(out), "--force", data=data).returncode == 0
    message = one_line(community("export", data=data), 2)
    assert message == "fielddesk: an Excel workbook needs --out FILE.xlsx"


def test_user_mistakes_are_one_line(tmp_path: Path) -> None:
    data = tmp_path / "office"
    data.mkdir()
    message = one_line(community("import", str(tmp_path / "nope.xlsx"), data=data), 2)
    assert "nope.xlsx" in message
    other = tmp_path / "other.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "名册"
    book.save(other)
    message = one_line(community("import", str(other), data=data), 2)
    assert message.startswith("fielddesk: other.xlsx: none of its sheets is 社区")
    assert message.endswith("its sheets: 名册")
    help_zh = fielddesk("--lang", "zh", "community", "--help", data=data)
    assert help_zh.returncode == 0 and "社区工作簿" in help_zh.stdout


def test_template_to_standard_output_and_its_blank_profile_renames_nothing(
    tmp_path: Path,
) -> None:
    piped = subprocess.run(
        [PYTHON, "-m", "tui", "community", "template", "--out", "-"],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        cwd=tmp_path,
        env=python_env(),
    )
    assert piped.returncode == 0 and piped.stdout.startswith(b"PK")  # the workbook itself
    assert not (tmp_path / "-").exists()
    template = tmp_path / "t.xlsx"
    template.write_bytes(piped.stdout)
    data = tmp_path / "office"
    assert fielddesk("init", "--community", "新宁社区", data=data).returncode == 0
    done = fielddesk("community", "import", str(template), data=data)
    assert done.returncode == 0, done.stdout + done.stderr
    registry = json.loads((data / "registry.json").read_text("utf-8"))
    (profile,) = registry["community"].values()
    assert profile["name"] == "新宁社区"  # the template's examples add rows, never rename it

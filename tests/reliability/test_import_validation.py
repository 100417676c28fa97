"""Every record that arrives by `fielddesk import` passes the validator a
record typed at the desk passes, or the whole file is refused naming record
and field; nothing is written."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import orjson
import pytest
from openpyxl import load_workbook

from tests.cli.test_cli import fielddesk
from tui.domain import hlc
from tui.domain.merge import stamp_edit


def tree(folder: Path) -> dict[str, bytes]:
    """Every data file's content (the lock file, the device id and folder modes aside)."""
    files = sorted(p for p in folder.rglob("*.json") if p.name != "device.json")
    return {str(p.relative_to(folder)): p.read_bytes() for p in files}


@pytest.fixture
def export(sample_dir: Path) -> dict[str, Any]:
    result = fielddesk("export", data=sample_dir)
    assert result.returncode == 0
    payload: dict[str, Any] = orjson.loads(result.stdout)
    return payload


def import_changed(
    sample_dir: Path, tmp_path: Path, payload: dict[str, Any], kind: str, **changes: Any
) -> tuple[Any, dict[str, Any]]:
    """Change the first record of a kind as another laptop's later edit (a
    newer rev, stamped by the clock) and import the file."""
    payload = copy.deepcopy(payload)
    before = payload["records"][kind][0]
    later = hlc.stamp(hlc.parse(before.get("clock", ""))[0] + 1, 0)
    after = dict(before, **changes, rev=before["rev"] + 1)
    record = stamp_edit(kind, before, after, clock=later, device="laptop-b", by="x")
    payload["records"][kind][0] = record
    path = tmp_path / "changed.json"
    path.write_bytes(orjson.dumps(payload))
    return fielddesk("import", str(path), data=sample_dir), record


BAD = [
    ("staff", {"name": None}, "Name has the wrong type: None."),
    ("resident", {"birth_year": "nineteen"}, "Birth year has the wrong type: 'nineteen'."),
    ("visit", {"day": "2026-02-30"}, "day is not a day that exists (YYYY-MM-DD): '2026-02-30'."),
    ("ticket", {"status": "gone"}, "Status is 'gone'; it must be one of: waiting, called,"),
    (
        "case",
        {"due": "2026-13-01"},
        "Due date is not a day that exists (YYYY-MM-DD): '2026-13-01'.",
    ),
    ("session", {"desks": 0}, "desks is 0; it must be between 1 and 9."),
    ("compound", {"buildings": [1, 2]}, "buildings has the wrong type: [1, 2]."),
    ("resident", {"name": ""}, "Name is required."),
    ("staff", {"name": "长" * 41}, "Name is too long: 41 characters, at most 40."),
    ("resident", {"phone": "12345"}, "Not a valid phone number"),
]


@pytest.mark.parametrize(("kind", "changes", "message"), BAD)
def test_a_bad_record_refuses_the_whole_file(
    sample_dir: Path,
    tmp_path: Path,
    export: dict[str, Any],
    kind: str,
    changes: dict[str, Any],
    message: str,
) -> None:
    before = tree(sample_dir)
    result, record = import_changed(sample_dir, tmp_path, export, kind, **changes)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith("record ") and f"({record['id']}): " in lines[0]
    assert message in lines[0]
    assert lines[1].endswith("has 1 bad records; nothing was imported")
    assert tree(sample_dir) == before
    assert not (sample_dir / "days" / "2026-02-30.json").exists()


def test_duplicate_ids_are_named_not_counted_twice(
    sample_dir: Path, tmp_path: Path, export: dict[str, Any]
) -> None:
    payload = copy.deepcopy(export)
    first = payload["records"]["resident"][0]
    payload["records"]["resident"].append(dict(first, note="第二份"))
    path = tmp_path / "twice.json"
    path.write_bytes(orjson.dumps(payload))
    before = tree(sample_dir)
    result = fielddesk("import", str(path), data=sample_dir)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert re.fullmatch(rf"record \d+ \({first['id']}\): the same id as record \d+", lines[0])
    assert lines[1].endswith("has 1 bad records; nothing was imported")
    assert tree(sample_dir) == before


def test_control_characters_are_cleaned_as_at_the_desk(
    sample_dir: Path, tmp_path: Path, export: dict[str, Any]
) -> None:
    """A staff name holding ESC arrives as the desk would store it; the xlsx
    hand-over sheet (which cannot hold ESC) is then written whole."""
    result, record = import_changed(sample_dir, tmp_path, export, "staff", name="李\x1b[31m娜")
    assert result.returncode == 0, result.stderr
    registry = orjson.loads((sample_dir / "registry.json").read_bytes())
    stored = next(d for d in registry["staff"].values() if d["id"] == record["id"])
    assert stored["name"] == "李[31m娜"
    out = tmp_path / "day.xlsx"
    report = fielddesk(
        "report", "--date", "2026-11-20", "--format", "xlsx", "--out", str(out), data=sample_dir
    )
    assert report.returncode == 0, report.stderr
    assert load_workbook(out).sheetnames
    again = fielddesk("import", str(tmp_path / "changed.json"), data=sample_dir)
    assert again.stdout.strip().startswith("0 added, 0 updated")  # cleaned the same again


def test_a_rev_out_of_range_is_named(export: dict[str, Any]) -> None:
    """rev 0 (was a traceback) and 2**64-1 (crashed the next save)."""
    from tui.store.exchange import ImportRefused, check_docs

    ticket = export["records"]["ticket"][0]
    for rev in (0, 2**64 - 1):
        with pytest.raises(ImportRefused) as caught:
            check_docs([dict(ticket, rev=rev)])
        (problem,) = caught.value.problems
        assert [(e.field, e.code, e.params["value"]) for e in problem.errors] == [
            ("rev", "field.out_of_range", repr(rev))
        ]

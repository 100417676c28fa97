"""The `fielddesk` command as a user runs it: real processes, exit codes, one-line errors."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import PYTHON, ROOT, python_env
from tui import __version__


def fielddesk(
    *args: str, data: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m tui ARGS` from this checkout; `env` adds to (or, with "",
    takes out of) the child's environment."""
    env = {**python_env(), **(env or {})}
    env.pop("FIELDDESK_DATA", None)
    if data is not None:
        env["FIELDDESK_DATA"] = str(data)
    # No terminal on stdin, however pytest was started: nothing may wait for an answer.
    return subprocess.run(
        [PYTHON, "-m", "tui", *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )


def one_line(result: subprocess.CompletedProcess[str], code: int) -> str:
    """The one line a failed command says, after checking its exit code and
    that no traceback came with it."""
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_version_and_help() -> None:
    assert fielddesk("--version").stdout.strip() == f"fielddesk {__version__}"
    top = fielddesk("--help")
    assert top.returncode == 0
    for word in (
        "--data",
        "--lang",
        "--desk",
        "--staff",
        "demo",
        "check",
        "export",
        "import",
        "gen",
    ):
        assert word in top.stdout
    for command in ("demo", "check", "export", "import", "gen", "run"):
        result = fielddesk(command, "--help")
        assert result.returncode == 0 and "usage: fielddesk" in result.stdout


def test_help_in_chinese() -> None:
    assert "流动服务台" in fielddesk("--lang", "zh", "--help").stdout


@pytest.mark.parametrize(
    "args",
    [
        ("--desk", "two"),
        ("--lang", "fr"),
        ("nonsense",),
        ("gen", "--residents", "-5"),
        ("gen", "--until", "2026-13-01"),
        ("import", "/no/such/file.json"),
        ("export", "--format", "xml"),
        ("export", "--out", "/no/such/folder/x.json"),
    ],
)
def test_bad_input_gives_one_line_and_no_traceback(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = fielddesk(*args, data=tmp_path / "data")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("fielddesk"), result.stderr
    assert "Traceback" not in result.stderr


def test_check_sample_is_clean_and_broken_folder_fails(tmp_path: Path) -> None:
    data = tmp_path / "sample"
    shutil.copytree(ROOT / "sample_data", data)
    clean = fielddesk("check", data=data)
    assert clean.returncode == 0, clean.stdout
    assert clean.stdout.strip().endswith("problems: 0")
    (data / "registry.json").write_text("{")
    broken = fielddesk("check", data=data)
    assert broken.returncode == 1
    assert "problem: registry.json: file cannot be read" in broken.stdout
    assert (data / "registry.json").read_text() == "{"
    missing = fielddesk("check", data=tmp_path / "nowhere")
    assert missing.returncode == 1 and "does not exist" in missing.stdout


def test_gen_export_import_round_trip(tmp_path: Path) -> None:
    big = tmp_path / "big"
    made = fielddesk(
        "gen",
        "--residents",
        "400",
        "--years",
        "1",
        "--seed",
        "5",
        "--until",
        "2026-11-27",
        data=big,
    )
    assert made.returncode == 0, made.stderr
    assert "records" in made.stdout
    again = fielddesk("gen", "--residents", "10", "--years", "1", data=big)
    assert again.returncode == 2 and "already holds data" in again.stderr
    out = tmp_path / "all.json"
    assert fielddesk("export", "--out", str(out), data=big).returncode == 0
    records = json.loads(out.read_text(encoding="utf-8"))["records"]
    assert len(records["resident"]) == 400
    assert len(records["session"]) >= 40
    copy = tmp_path / "copy"
    mistyped = fielddesk("import", str(out), data=copy)  # a path nobody made: not created
    assert mistyped.returncode == 2 and not copy.exists()
    assert mistyped.stderr.strip() == (
        f"fielddesk: no data folder at {copy}; check the path, or add --create to start a new "
        "one there"
    )
    first = fielddesk("--create", "import", str(out), data=copy)
    assert first.returncode == 0, first.stderr
    total = sum(len(v) for v in records.values())
    assert first.stdout.strip().startswith(f"{total} added, 0 updated, 0 unchanged")
    second = fielddesk("import", str(out), data=copy)
    assert second.stdout.strip().startswith(f"0 added, 0 updated, {total} unchanged")
    assert fielddesk("export", data=copy).stdout.count('"id"') == out.read_text().count('"id"')
    assert fielddesk("check", data=copy).returncode == 0


def test_import_of_a_foreign_file_is_refused(tmp_path: Path) -> None:
    foreign = tmp_path / "foreign.json"
    foreign.write_text('{"hello": "world"}')
    result = fielddesk("import", str(foreign), data=tmp_path / "data")
    assert result.returncode == 2
    assert "is not a fielddesk export" in result.stderr


def test_demo_refuses_a_folder_with_data(tmp_path: Path) -> None:
    folder = tmp_path / "used"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine")
    result = fielddesk("demo", "--data", str(folder))
    assert result.returncode == 2 and "not empty" in result.stderr
    assert (folder / "keep.txt").read_text() == "mine"


def test_schema_too_new_is_one_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "sample_data", data)
    (data / "meta.json").write_text('{"meta": {"1": {"id": "meta", "kind": "meta", "schema": 99}}}')
    result = fielddesk("export", data=data)
    assert result.returncode == 1
    assert "newer fielddesk" in result.stderr and len(result.stderr.strip().splitlines()) == 1

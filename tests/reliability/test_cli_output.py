"""What the commands write and print: --out writes only regular files,
asks before replacing one, and every failure is one line with no traceback;
--redact finds phones and names however they were written."""

from __future__ import annotations

import os
import re
import stat
import subprocess
from pathlib import Path

import orjson
import pytest

from tests.cli.test_cli import fielddesk
from tests.conftest import PYTHON, ROOT, python_env
from tests.e2e.test_tmux_demo import Terminal

COMMANDS = {
    "export": ("export",),
    "report": ("report", "--date", "2026-11-20"),
    "home-visits": ("residents", "home-visits", "--quarter", "2026Q4"),
}


def one_line(result: subprocess.CompletedProcess[str], code: int) -> str:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


@pytest.mark.parametrize("command", COMMANDS)
def test_out_refuses_what_is_not_a_regular_file(
    sample_dir: Path, tmp_path: Path, command: str
) -> None:
    args = COMMANDS[command]
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    folder = tmp_path / "folder"
    folder.mkdir()
    target = tmp_path / "kept.txt"
    target.write_text("原来的内容")
    link = tmp_path / "link"
    link.symlink_to(target)
    for path, says in (
        (fifo, "is not a regular file (a device or a pipe)"),
        (Path(os.devnull), "is not a regular file (a device or a pipe)"),
        (folder, "is a folder; give a file name"),
        (link, "is a symbolic link"),
    ):
        line = one_line(fielddesk(*args, "--out", str(path), data=sample_dir), 2)
        assert line.startswith(f"fielddesk: {path} ") and says in line
    empty = one_line(fielddesk(*args, "--out", "", data=sample_dir), 2)
    assert empty == "fielddesk: --out needs a file name"
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and stat.S_ISCHR(os.stat(os.devnull).st_mode)
    assert list(folder.iterdir()) == [] and link.is_symlink()
    assert target.read_text() == "原来的内容"


@pytest.mark.parametrize("command", COMMANDS)
def test_out_replaces_a_file_only_when_told(sample_dir: Path, tmp_path: Path, command: str) -> None:
    args = COMMANDS[command]
    out = tmp_path / "out.file"
    first = fielddesk(*args, "--out", str(out), data=sample_dir)
    assert first.returncode == 0, first.stderr
    written = out.read_bytes()
    assert written and stat.S_IMODE(out.stat().st_mode) == 0o600
    out.write_text("手写的笔记")
    line = one_line(fielddesk(*args, "--out", str(out), data=sample_dir), 2)  # no terminal
    assert line == f"fielddesk: {out} exists; nothing was written (add --force to replace it)"
    assert out.read_text() == "手写的笔记"
    forced = fielddesk(*args, "--out", str(out), "--force", data=sample_dir)
    assert forced.returncode == 0 and without_time(out.read_bytes()) == without_time(written)


def without_time(payload: bytes) -> bytes:
    """An export names the second it was made."""
    return re.sub(rb'"exported_at": "[^"]*"', b"", payload)


def test_out_asks_on_a_terminal(terminal: Terminal, sample_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "day.md"
    out.write_text("昨天的")
    env = python_env()
    command = (
        f"cd {ROOT} && PYTHONPATH={env['PYTHONPATH']} {PYTHON} -m tui --data {sample_dir} "
        f"report --date 2026-11-20 --out {out}; echo EXIT=$?; sleep 30"
    )
    terminal.tmux("new-session", "-d", "-s", "demo", "-x", "250", "-y", "10", command)
    terminal.wait_for("exists. Overwrite it? [y/N]")
    terminal.keys("n", "Enter")
    terminal.wait_for("EXIT=2")
    assert out.read_text() == "昨天的"


def test_report_with_an_empty_date_is_one_line(sample_dir: Path) -> None:
    line = one_line(fielddesk("report", "--date", "", data=sample_dir), 2)
    assert line.startswith("fielddesk: ") and "YYYY-MM-DD" in line


@pytest.mark.parametrize("args", [("check",), ("export",)])
def test_a_reader_that_stops_early_is_no_error(sample_dir: Path, args: tuple[str, ...]) -> None:
    """`fielddesk check | head -3`: the pipe closes before everything is written."""
    env = python_env()
    env["FIELDDESK_DATA"] = str(sample_dir)
    proc = subprocess.Popen(
        [PYTHON, "-m", "tui", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the first line
    err = proc.stderr.read()
    proc.wait(timeout=60)
    assert err == "" and proc.returncode == 1


def test_standard_output_on_a_full_disk_is_one_line(sample_dir: Path) -> None:
    env = python_env()
    env["FIELDDESK_DATA"] = str(sample_dir)
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [PYTHON, "-m", "tui", "export"],
            cwd=ROOT,
            env=env,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert result.stderr == "fielddesk: cannot write the output: no space left on the disk\n"


def test_a_folder_where_a_data_file_should_be_is_one_line(sample_dir: Path) -> None:
    (sample_dir / "registry.json").rename(sample_dir / "registry.bak")
    (sample_dir / "registry.json").mkdir()
    for args in (("report", "--date", "2026-11-20"), ("export",)):
        line = one_line(fielddesk(*args, data=sample_dir), 1)
        assert line == (
            "fielddesk: The data file registry.json could not be read (a folder, not a file); "
            "it was left as it is."
        )
    assert (sample_dir / "registry.json").is_dir()


def test_a_crash_inside_the_app_exits_non_zero(
    terminal: Terminal, sample_dir: Path, tmp_path: Path
) -> None:
    """The real app in a real terminal, made to fail on its first screen (a
    sitecustomize module breaks the home screen): the shell sees exit 1."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import tui.screens.home as home\n"
        "def broken(self):\n"
        "    raise RuntimeError('home screen broke')\n"
        "home.HomeScreen.on_mount = broken\n"
    )
    env = python_env()
    command = (
        f"cd {ROOT} && PYTHONPATH={hook}:{env['PYTHONPATH']} {PYTHON} -m tui "
        f"--data {sample_dir} --lang en; echo EXIT=$?; sleep 30"
    )
    terminal.tmux("new-session", "-d", "-s", "demo", "-x", "100", "-y", "30", command)
    terminal.wait_for("EXIT=", seconds=60)
    assert "EXIT=1" in terminal.screen()


def test_redact_finds_phones_and_names_as_people_write_them(sample_dir: Path) -> None:
    """A visit's description naming the resident with a space and phones
    written with dots or a bracketed area code: none of it in the report."""
    day = sample_dir / "days" / "2026-11-20.json"
    tables = orjson.loads(day.read_bytes())
    visit = next(v for v in tables["visit"].values() if len(v["name"]) == 3)
    name = visit["name"]
    spaced = f"{name[0]} {name[1:]}"
    visit["description"] = f"{spaced}说儿子电话138.0013.8000，座机(0971) 6123456"
    day.write_bytes(orjson.dumps(tables))
    for fmt in ("md", "csv", "json"):
        result = fielddesk(
            "report", "--date", "2026-11-20", "--format", fmt, "--redact", data=sample_dir
        )
        assert result.returncode == 0, result.stderr
        text = result.stdout
        for secret in (spaced, name, "138.0013.8000", "0013", "6123456", "(0971)"):
            assert secret not in text, (fmt, secret)
        assert "8000" in text and "3456" in text  # the last four stay, to call back


def test_dash_is_standard_output_and_input(sample_dir: Path, tmp_path: Path) -> None:
    """`--out -` writes to the pipe (no file named "-"), `import -` reads one."""
    export = fielddesk("export", "--out", "-", data=sample_dir)
    assert export.returncode == 0 and not (ROOT / "-").exists()
    assert orjson.loads(export.stdout)["format"] == "fielddesk-export"
    xlsx = subprocess.run(
        [PYTHON, "-m", "tui", "--data", str(sample_dir), "report", "--date", "2026-11-20"]
        + ["--format", "xlsx", "--out", "-"],
        cwd=ROOT,
        env=python_env(),
        capture_output=True,
        timeout=60,
    )
    assert xlsx.returncode == 0 and xlsx.stdout.startswith(b"PK")  # a zip: the workbook
    copy = tmp_path / "copy"
    env = python_env()
    piped = subprocess.run(
        [PYTHON, "-m", "tui", "--data", str(copy), "--create", "import", "-"],
        cwd=ROOT,
        env=env,
        input=export.stdout,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout.startswith("556 added")  # every record of the sample, its profile too

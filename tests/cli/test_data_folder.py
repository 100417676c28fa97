"""A data folder is made only when meant: one named by --data or
FIELDDESK_DATA that is not there is asked about on a terminal and refused
without one (--create makes it); commands that only read never make one;
the platform's default folder is made on first run, as before."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.cli.test_cli import fielddesk, one_line
from tests.conftest import PYTHON, ROOT, python_env
from tests.e2e.test_tmux_demo import Terminal, terminal  # noqa: F401


def test_the_app_refuses_a_folder_that_is_not_there(tmp_path: Path) -> None:
    """No terminal to ask on: one line naming the path and the way to make it."""
    typo = tmp_path / "dta"
    for result in (fielddesk(data=typo), fielddesk("--data", str(typo))):
        line = one_line(result, 2)
        assert line == (
            f"fielddesk: no data folder at {typo}; check the path, or add --create to start "
            "a new one there"
        )
    assert not typo.exists()


@pytest.mark.parametrize(("answer", "made"), [("n", False), ("y", True)])
def test_the_app_asks_on_a_terminal(
    terminal: Terminal,  # noqa: F811
    tmp_path: Path,
    answer: str,
    made: bool,
) -> None:
    folder = tmp_path / "new"
    env = python_env()
    command = (
        f"cd {ROOT} && PYTHONPATH={env['PYTHONPATH']} {PYTHON} -m tui --lang en "
        f"--data {folder}; echo EXIT=$?; sleep 30"
    )
    # Wide enough that the question with a long tmp path stays on one line.
    terminal.tmux("new-session", "-d", "-s", "demo", "-x", "250", "-y", "30", command)
    terminal.wait_for(f"No data folder at {folder}. Create a new, empty one? [y/N]")
    terminal.keys(answer, "Enter")
    if made:
        terminal.wait_for("Welcome: first, your community")  # the app opened on the new folder
        terminal.keys("Escape")
        terminal.keys("C-q")
        terminal.wait_for("EXIT=0")
        assert (folder / "meta.json").exists()  # made as a data folder
    else:
        screen = terminal.wait_for("EXIT=2")
        assert f"fielddesk: no data folder at {folder}" in screen
        assert not folder.exists()


READERS = {
    "check": ("check",),
    "export": ("export",),
    "report": ("report", "--date", "2026-11-20"),
    "home-visits": ("residents", "home-visits"),
    "display": ("display",),
    "config get": ("config", "get"),
}


@pytest.mark.parametrize("command", READERS)
def test_commands_that_read_never_make_a_folder(tmp_path: Path, command: str) -> None:
    typo = tmp_path / "dta"
    result = fielddesk("--create", *READERS[command], data=typo)  # not even with --create
    assert "Traceback" not in result.stderr
    if command == "check":  # check reports it as a problem of the folder
        assert result.returncode == 1 and "the data folder does not exist" in result.stdout
    elif command == "config get":  # nothing kept: nothing shown
        assert result.returncode == 0 and result.stdout == ""
    else:
        assert one_line(result, 2) == f"fielddesk: no such folder: {typo}"
    assert not typo.exists()


@pytest.mark.parametrize("command", ["check", "export", "display"])
def test_a_file_given_as_the_data_folder_is_said(tmp_path: Path, command: str) -> None:
    given = tmp_path / "notes.txt"
    given.write_text("mine")
    line = one_line(fielddesk(*READERS[command], data=given), 2)
    assert line == f"fielddesk: {given} is not a folder"
    assert given.read_text() == "mine"


@pytest.mark.parametrize("args", [("export",), ("import", "all.json"), ("demo",), ()])
def test_an_empty_data_option_is_a_mistake(tmp_path: Path, args: tuple[str, ...]) -> None:
    """`--data "$DIR"` with DIR unset must not fall back to the default folder."""
    result = fielddesk("--data", "", *args, env={"XDG_DATA_HOME": str(tmp_path / "xdg")})
    assert one_line(result, 2) == "fielddesk: --data needs a folder name"
    assert not (tmp_path / "xdg").exists()


def test_the_default_folder_is_made_on_first_run(sample_dir: Path, tmp_path: Path) -> None:
    """No --data, no FIELDDESK_DATA: the user data folder, made without asking.
    (Guards the first run against the checks above; it passed before them too.)"""
    export = tmp_path / "all.json"
    assert fielddesk("export", "--out", str(export), data=sample_dir).returncode == 0
    env = python_env()
    env.pop("FIELDDESK_DATA", None)
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    result = subprocess.run(
        [PYTHON, "-m", "tui", "import", str(export)],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "xdg" / "fielddesk" / "registry.json").exists()

"""What goes wrong on disk or in the app is one line and an exit code, in the
user's language; a crashed app exits non-zero."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.test_cli import fielddesk, one_line
from tests.conftest import PYTHON, ROOT, python_env


def make_file(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    path.unlink(missing_ok=True)
    path.write_text("not a folder")


def make_folder(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.mkdir()


@pytest.mark.parametrize(
    ("where", "make", "args", "reason"),
    [
        ("cases", make_file, ("report", "--date", "2026-11-20"), "a file, not a folder"),
        ("certifications", make_file, ("residents", "home-visits"), "a file, not a folder"),
        ("journal.json", make_folder, ("export",), "a folder, not a file"),
        ("journal.json", make_folder, ("report", "--month", "2026-11"), "a folder, not a file"),
        ("days", make_file, ("import", "EXPORT"), "a file, not a folder"),
        ("days", make_file, (), "a file, not a folder"),  # the app, before it draws
    ],
)
def test_a_file_or_folder_in_the_wrong_place_is_one_line(
    sample_dir: Path,
    tmp_path: Path,
    where: str,
    make: Callable[[Path], None],
    args: tuple[str, ...],
    reason: str,
) -> None:
    if "EXPORT" in args:  # an export of the folder while it was whole
        export = tmp_path / "all.json"
        assert fielddesk("export", "--out", str(export), data=sample_dir).returncode == 0
        args = tuple(str(export) if a == "EXPORT" else a for a in args)
    path = sample_dir / where
    make(path)
    line = one_line(fielddesk(*args, data=sample_dir), 1)
    assert line == f"fielddesk: cannot use {path}: {reason}"
    assert path.is_dir() == (make is make_folder)  # left as it was


def test_said_in_chinese(sample_dir: Path) -> None:
    """The reasons come from the catalogue, not the C library's English."""
    (sample_dir / "registry.json").unlink()
    (sample_dir / "registry.json").mkdir()
    line = one_line(fielddesk("--lang", "zh", "export", data=sample_dir), 1)
    said = "数据文件 registry.json 无法读取（这是文件夹，不是文件），已原样保留。"
    assert line == f"fielddesk: {said}"
    env = python_env()
    env["FIELDDESK_DATA"] = str(sample_dir)
    (sample_dir / "registry.json").rmdir()
    shutil.copy(ROOT / "sample_data" / "registry.json", sample_dir / "registry.json")
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [PYTHON, "-m", "tui", "--lang", "zh", "export"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert result.stderr == "fielddesk: 无法写出输出：磁盘空间已满\n"


def test_an_empty_quarter_is_a_mistake(sample_dir: Path) -> None:
    """Like an empty --date: not taken for "this quarter"."""
    line = one_line(fielddesk("residents", "home-visits", "--quarter", "", data=sample_dir), 2)
    assert line == "fielddesk: not a quarter:  (YYYYQn, e.g. 2026Q4)"


BREAKS = {
    "app": ("tui.screens.home", "HomeScreen", ()),
    "display": ("tui.display_app", "DisplayApp", ("display",)),
}


@pytest.mark.parametrize("which", BREAKS)
def test_a_crash_inside_the_app_exits_1(sample_dir: Path, tmp_path: Path, which: str) -> None:
    """The real app, made to raise on mount by a sitecustomize module on the
    child's path (Textual runs headless without a terminal): the shell must
    see the failure, not 0."""
    module, cls, args = BREAKS[which]
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        f"import {module} as target\n"
        "def broken(self):\n"
        "    raise RuntimeError('broke on mount')\n"
        f"target.{cls}.on_mount = broken\n"
    )
    hooked = {"PYTHONPATH": f"{hook}:{python_env()['PYTHONPATH']}"}
    result = fielddesk("--data", str(sample_dir), "--lang", "en", *args, env=hooked)
    assert "broke on mount" in result.stderr  # the hook took: the app did crash
    assert result.returncode == 1


@pytest.mark.parametrize("args", [("check",), ("export",), ("report", "--date", "2026-11-20")])
def test_a_closed_standard_output_is_one_line(sample_dir: Path, args: tuple[str, ...]) -> None:
    """`fielddesk export >&-`: Python starts with no stdout object at all."""
    env = python_env()
    env["FIELDDESK_DATA"] = str(sample_dir)
    result = subprocess.run(
        [PYTHON, "-m", "tui", *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        preexec_fn=lambda: os.close(1),  # the child's fd 1, closed as `>&-` does
    )
    line = one_line(result, 1)
    assert line == "fielddesk: cannot write the output: standard output is closed"

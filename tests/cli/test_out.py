"""--out writes a regular file and nothing else (more in
tests/reliability/test_cli_output.py: FIFOs, devices, folders, links, --force)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.cli.test_cli import fielddesk, one_line
from tui.output import OutRefused, check_out, write_out

REPORT = ("report", "--date", "2026-11-20")


def test_a_new_file_is_the_report_whole(sample_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "day.md"
    written = fielddesk(*REPORT, "--out", str(out), data=sample_dir)
    assert written.returncode == 0 and written.stderr == f"Report written to {out}\n"
    shown = fielddesk(*REPORT, data=sample_dir)
    assert out.read_text(encoding="utf-8") == shown.stdout
    assert [p.name for p in tmp_path.iterdir()] == ["day.md", "sample"]  # no temp file left


@pytest.mark.parametrize("command", [REPORT, ("export",)])
def test_a_path_ending_in_a_slash_is_a_folder(
    sample_dir: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    """`--out reports/` means a folder: never a file named "reports"."""
    missing = f"{tmp_path}/reports/"
    line = one_line(fielddesk(*command, "--out", missing, data=sample_dir), 2)
    assert line == f"fielddesk: no such folder: {missing}"
    assert not (tmp_path / "reports").exists()
    there = f"{sample_dir}/"
    line = one_line(fielddesk(*command, "--out", there, data=sample_dir), 2)
    assert line == f"fielddesk: {there} is a folder; give a file name"


def test_what_appears_at_the_path_during_the_work_is_not_replaced(tmp_path: Path) -> None:
    """The path is looked at again just before the rename: a FIFO or a link
    put there while the report was made stays as it is."""
    fifo = tmp_path / "day.md"
    path = check_out(str(fifo), force=False)  # nothing there yet: accepted
    os.mkfifo(fifo)
    with pytest.raises(OutRefused, match="is not a regular file"):
        write_out(path, b"# report\n")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    kept = tmp_path / "kept.txt"
    kept.write_text("原来的")
    link = tmp_path / "month.md"
    path = check_out(str(link), force=False)
    link.symlink_to(kept)
    with pytest.raises(OutRefused, match="is a symbolic link"):
        write_out(path, b"# report\n")
    assert link.is_symlink() and kept.read_text() == "原来的"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["day.md", "kept.txt", "month.md"]

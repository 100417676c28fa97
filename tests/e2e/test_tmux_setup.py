"""One walk of a new office through the installed `fielddesk` in a real
terminal (tmux, 80x24, zh): an empty folder, the first-run form, the office's
workbook from F7, a roster from the command line, today's session, the first
intake, and its triage suggesting the grid worker the workbook names."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

from tests.conftest import resident_docs
from tests.e2e.test_tmux_demo import FIELDDESK, Terminal, terminal  # noqa: F401
from tests.registry.test_community_sheets import community_rows, filled
from tests.ui.test_setup_walk import ROSTER_ROWS, roster
from tui.registry.community_io import write_template


def typed(term: Terminal, *keys: str) -> None:
    """Keys one at a time, as a person types them: a loaded machine draws late."""
    for key in keys:
        term.keys(key)
        time.sleep(0.4)


def test_a_new_office_in_a_real_terminal(terminal: Terminal, tmp_path: Path) -> None:  # noqa: F811
    data = tmp_path / "office"
    template = tmp_path / "template.xlsx"
    write_template(template)
    workbook = filled(template, tmp_path / "社区.xlsx", community_rows())
    app = f"{FIELDDESK} --lang zh --staff 测试员 --data {data} --create"
    terminal.tmux(
        "new-session", "-d", "-s", "demo", "-x", "80", "-y", "24", "-e", "LANG=C.UTF-8",
        f"{app}; echo EXIT=$?; sleep 60",
    )  # fmt: skip
    terminal.wait_for("欢迎使用")
    typed(terminal, "幸福里社区", "C-s")
    terminal.wait_for("接下来添加小区")
    typed(terminal, "i")
    terminal.wait_for("办公室的表格")
    typed(terminal, "Tab", "C-u")  # the path line, emptied
    terminal.keys("-l", str(workbook))
    time.sleep(0.4)
    typed(terminal, "Enter")
    terminal.wait_for("y：写入")
    typed(terminal, "y")
    screen = terminal.wait_for("小区 17")
    assert "工作人员 14" in screen and "协办单位 10" in screen
    typed(terminal, "Escape")
    terminal.wait_for("开设今天的服务点")
    typed(terminal, "Escape", "C-q")
    assert "EXIT=0" in terminal.wait_for("EXIT=")

    imported = subprocess.run(
        [str(FIELDDESK), "--data", str(data), "residents", "import", "--new-compounds",
         str(roster(tmp_path / "花名册.xlsx"))],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert imported.returncode == 0, imported.stdout[-2000:] + imported.stderr

    terminal.tmux("kill-session", "-t", "demo")
    terminal.tmux(
        "new-session", "-d", "-s", "demo", "-x", "80", "-y", "24", "-e", "LANG=C.UTF-8",
        f"{app}; echo EXIT=$?; sleep 60",
    )  # fmt: skip
    terminal.wait_for("开设今天的服务点")
    typed(terminal, "新华路小区", "Tab", "C-s")
    terminal.wait_for("已在新华路小区开设服务点")
    typed(terminal, "F2")
    terminal.wait_for("排队取号")
    typed(terminal, "王秀兰")
    terminal.wait_for("王秀兰")
    time.sleep(1)  # the look-up lists her
    typed(terminal, "Enter", "噪音", "Enter", "楼上夜里装修", "C-s")
    terminal.wait_for("已保存：王秀兰")
    typed(terminal, "F3")
    terminal.wait_for("1号台当前")
    typed(terminal, "n", "s", "d")
    screen = terminal.wait_for("分办")
    assert "刘洋" in screen  # the grid worker the workbook names for 新华路小区
    typed(terminal, "C-s")
    terminal.wait_for("已办结")
    typed(terminal, "Escape", "C-q")
    assert "EXIT=0" in terminal.wait_for("EXIT=")

    registry = json.loads((data / "registry.json").read_text("utf-8"))
    worker = next(s for s in registry["staff"].values() if s["name"] == "刘洋")
    cases = json.loads((data / "cases" / "open.json").read_text("utf-8"))["case"]
    (case,) = cases.values()
    assert (case["name"], case["owner_kind"], case["owner"]) == ("王秀兰", "staff", worker["id"])
    residents = resident_docs(data)
    assert len(residents) == ROSTER_ROWS

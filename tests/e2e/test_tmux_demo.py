"""One walk through the installed `fielddesk demo` in a real terminal (tmux, 80x24)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import SAMPLE

FIELDDESK = Path(sys.executable).with_name("fielddesk")


class Terminal:
    def __init__(self, socket: str) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True
        ).stdout

    def screen(self, target: str = "demo:0") -> str:
        return self.tmux("capture-pane", "-p", "-t", target)

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "demo:0", *keys)

    def wait_for(self, text: str, seconds: float = 30, target: str = "demo:0") -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            screen = self.screen(target)
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen(target)}")


@pytest.fixture
def terminal() -> Iterator[Terminal]:
    assert shutil.which("tmux"), "tmux is needed for the end-to-end test (.ci/run installs it)"
    assert FIELDDESK.exists(), f"fielddesk is not installed beside {sys.executable}"
    term = Terminal(f"fielddesk-test-{os.getpid()}")
    yield term
    subprocess.run(["tmux", "-L", term.socket, "kill-server"], capture_output=True)


def test_installed_demo_in_a_real_terminal(terminal: Terminal, tmp_path: Path) -> None:
    data = tmp_path / "demo"
    command = f"{FIELDDESK} --lang zh --staff 测试员 demo --data {data}; echo EXIT=$?; sleep 60"
    terminal.tmux(
        "new-session", "-d", "-s", "demo", "-x", "80", "-y", "24", "-e", "LANG=C.UTF-8", command
    )
    # No session today: the dialog asks for one, prefilled from the last session.
    terminal.wait_for("开设今天的服务点")
    terminal.wait_for("演示使用示例社区的新副本")  # where the demo's data is, said at once
    screen = terminal.wait_for("服务台数  2")  # the fields are drawn a moment after the box
    assert "新宁路11号院" in screen and "测试员" not in screen
    terminal.keys("C-s")
    # The toast can be drawn a frame after the home screen: wait for each in turn.
    terminal.wait_for("已在新宁路11号院开设服务点")
    screen = terminal.wait_for("请法律工作者")  # asked for at the last session there
    assert "流动服务台" in screen and "1号台" in screen and "测试员" in screen
    assert "未办结事项" in screen and "新宁路11号院" in screen
    terminal.keys("F1")
    # The help's own last line: the home screen's key line may also name the
    # keys of each screen (本屏按键), and was matched before F1 was handled.
    screen = terminal.wait_for("按 Esc 或 F1 关闭帮助")
    assert "本屏按键：今日" in screen and "快速登记" in screen and "当日复核" in screen
    assert "Ctrl+Q" in screen and "F9" in screen
    terminal.keys("Escape")
    time.sleep(0.5)
    # Quick intake of a new resident, keyboard only.
    terminal.keys("F2")
    terminal.wait_for("排队取号")
    terminal.keys("赵")
    terminal.wait_for("赵")  # drawn: the form has the name before Tab moves on
    time.sleep(0.5)
    for keys in (
        "Tab",
        "13800138000",
        "Tab",
        "新宁花",
        "Enter",
        "3-2-501",
        "Tab",
        "8",
        "Enter",
        "楼道灯坏了",
        "C-s",
    ):
        terminal.keys(keys)
        time.sleep(0.5)  # a loaded machine draws late; typing must not outrun focus
    terminal.wait_for("排队号 D001")
    terminal.wait_for("已保存：赵")
    # The resident-facing display in a second terminal: numbers only.
    terminal.tmux(
        "new-window",
        "-d",
        "-t",
        "demo",
        "-n",
        "display",
        f"{FIELDDESK} --lang zh display --data {data}; sleep 60",
    )
    board = terminal.wait_for("下一位：  D001", target="demo:display")
    assert "赵" not in board and "13800138000" not in board
    # F3: call the ticket to this desk; the display shows it at desk 1.
    terminal.keys("F3")
    terminal.wait_for("1号台当前")
    terminal.keys("n")
    terminal.wait_for("已叫 D001 到 1号台")
    board = terminal.wait_for("1号台", target="demo:display")
    assert "尚未叫号" not in board
    terminal.keys("s")
    terminal.wait_for("开始办理 D001")
    terminal.keys("d")
    terminal.wait_for("分办")  # triage: a repair is logged for later by default
    terminal.keys("C-s")
    terminal.wait_for("D001 已办结")
    terminal.keys("Escape")  # F-keys lead from home: Esc goes back there
    terminal.wait_for("今日概览")
    terminal.keys("F4")
    terminal.wait_for("今日到期：")
    terminal.keys("Escape")
    terminal.wait_for("今日概览")
    # F5: the day's checks pass; close the session, which writes the reports.
    terminal.keys("F5")
    screen = terminal.wait_for("全部检查通过")
    assert "来访 1 | 即办 0 | 登记 1" in screen
    terminal.keys("c")
    terminal.wait_for("结束新宁路11号院的本场服务")
    terminal.keys("y")
    terminal.wait_for("报表在")
    terminal.keys("Escape")
    terminal.wait_for("今日概览")
    # F6: this quarter's certification round.
    terminal.keys("F6")
    screen = terminal.wait_for("应认证")
    assert "新宁路11号院" in screen
    terminal.keys("Escape")
    terminal.wait_for("今日概览")
    terminal.keys("C-q")
    screen = terminal.wait_for("EXIT=")
    assert "EXIT=0" in screen
    assert "演示数据保存在" in screen.replace("\n", "")
    # What landed on disk: a private copy of the sample, today's backup, this laptop's id.
    assert (data / "registry.json").read_bytes() == (SAMPLE / "registry.json").read_bytes()
    assert (data / "device.json").exists()
    assert list((data / "backups").iterdir())
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in (data / "residents").glob("*.json"))
    day = json.loads((data / "days" / f"{date.today().isoformat()}.json").read_text("utf-8"))
    (visit,) = day["visit"].values()
    (ticket,) = day["ticket"].values()
    (session,) = day["session"].values()
    assert (session["status"], session["close_override"]) == ("closed", "")
    assert visit["session"] == session["id"]
    report = data / "reports" / session["day"] / f"report-{session['day']}.md"
    assert "赵" in report.read_text("utf-8") and "楼道灯坏了" in report.read_text("utf-8")
    assert (visit["name"], visit["phone"], visit["description"]) == (
        "赵",
        "+8613800138000",
        "楼道灯坏了",
    )
    assert (visit["building"], visit["unit"], visit["room"]) == ("3", "2", "501")
    assert ticket["number"] == "D001" and ticket["visit"] == visit["id"]
    assert (ticket["status"], ticket["desk"]) == ("done", 1)
    assert (visit["status"], visit["triage"]) == ("logged", "later")
    cases = json.loads((data / "cases" / "open.json").read_text("utf-8"))["case"]
    (case,) = [c for c in cases.values() if c["visit"] == visit["id"]]
    assert case["owner_kind"] == "party" and case["chaser"] and case["due"]
    check = subprocess.run(
        [str(FIELDDESK), "check", "--data", str(data)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout

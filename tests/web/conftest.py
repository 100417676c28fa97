"""The web board, for real: `fielddesk display --web` in its own process on
a free port, and Debian's chromium driven by Playwright (no browser
download; .ci/run installs chromium with apt-get where it is missing).

The data is made with the real clock: the board shows today's queue."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PYTHON, python_env

# As root the sandbox cannot start; the network flags keep chromium from
# dialling Google's hosts, which this machine's closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "chromium is not installed: `apt-get install chromium` (.ci/run does it)"
    return found


class Board:
    """A running web board: its address, its output, its process."""

    def __init__(self, process: subprocess.Popen[str], url: str, lines: list[str]) -> None:
        self.process = process
        self.url = url
        self.lines = lines

    @property
    def token(self) -> str:
        return self.url.rstrip("/").rsplit("/", 1)[1]

    def stop(self) -> str:
        self.process.terminate()
        try:
            out, _ = self.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, _ = self.process.communicate()
        return "\n".join([*self.lines, out or ""])


def start_board(folder: Path, *args: str, lang: str = "en") -> Board:
    process = subprocess.Popen(
        [PYTHON, "-m", "tui", "display", "--web", "--port", "0", "--data", str(folder),
         "--lang", lang, *args],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=python_env(),
    )  # fmt: skip
    assert process.stdout is not None
    lines: list[str] = []
    url = ""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        found = re.search(r"http://\S+/", line)
        url = url or (found.group(0) if found else "")
        if url and "Ctrl+C" in line:  # the last line it prints once it listens
            return Board(process, url, lines)
    process.kill()
    raise AssertionError("the board printed no address:\n" + "\n".join(lines))


@pytest.fixture
def board_for(tmp_path: Path) -> Iterator[Any]:
    started: list[Board] = []

    def start(folder: Path, *args: str, lang: str = "en") -> Board:
        board = start_board(folder, *args, lang=lang)
        started.append(board)
        return board

    yield start
    for board in started:
        board.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One chromium per test module: Playwright's sync API keeps an event loop
    running while it is open, which no async (Pilot) test after it could share."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium(), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    # bypass_csp: the page allows no eval; Playwright's wait_for_function needs it.
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, bypass_csp=True)
    opened = context.new_page()
    yield opened
    context.close()

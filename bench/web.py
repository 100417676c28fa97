"""The web board (issue 16): a call's time to the page's DOM in Debian's
chromium, across processes (the desk's call in this process, the board in
its own, the page in the browser), and the board process's CPU while idle
with one browser connected.

    python -m bench.web
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from typing import Any

from bench.common import ROOT, ms, percentile
from bench.queue import _cpu_seconds, fresh
from tui.services.queue_desk import QueueDesk

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip

# Each change of the desks' numbers, with the browser's clock (the same
# machine's clock as time.time()).
OBSERVE = """
window.seen = [];
new MutationObserver(() => {
  const numbers = [...document.querySelectorAll('#desks .number')].map(n => n.textContent);
  window.seen.push({at: Date.now(), numbers});
}).observe(document.getElementById('desks'), {childList: true, subtree: true});
"""


def start_board(folder: str) -> tuple[subprocess.Popen[str], str]:
    child = subprocess.Popen(
        [sys.executable, "-m", "tui", "display", "--web", "--port", "0", "--data", folder],
        cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    assert child.stdout is not None
    url = ""
    for line in child.stdout:
        url = url or next(iter(re.findall(r"http://\S+/", line)), "")
        if url and "Ctrl+C" in line:
            return child, url
    raise RuntimeError("the board did not start")


def run(calls: int = 30, idle_seconds: float = 60) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    store = fresh("web-board", calls + 5)
    child, url = start_board(str(store.root))
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is needed: apt-get install chromium"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1920, "height": 1080}, bypass_csp=True)
            page.goto(url)
            page.wait_for_selector("#next li")
            page.evaluate(OBSERVE)
            desk = QueueDesk(store, 1)
            latencies = []
            for _ in range(calls):
                started = time.time()
                ticket = desk.call_next()
                assert ticket is not None
                page.wait_for_function(
                    f"window.seen.some(s => s.numbers.includes('{ticket.number}'))", timeout=10_000
                )
                shown = page.evaluate(
                    f"window.seen.find(s => s.numbers.includes('{ticket.number}')).at"
                )
                latencies.append(shown / 1000 - started)
                desk.act(ticket.id, "serve")
                desk.act(ticket.id, "done")
                time.sleep(0.3)  # staff take a moment between calls
            time.sleep(5)  # settled
            before = _cpu_seconds(child.pid)
            time.sleep(idle_seconds)
            idle = (_cpu_seconds(child.pid) - before) / idle_seconds
            browser.close()
    finally:
        child.kill()
        child.wait()
    return {
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "max": max(latencies),
        "idle": idle,
    }


def rows(figures: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (
            "Call to the web board's DOM, across processes (chromium)",
            f"p50 {ms(figures['p50'])}, p95 {ms(figures['p95'])}, max {ms(figures['max'])}",
            "p95 < 1 s",
        ),
        (
            "Idle web board CPU over 60 s, one browser connected",
            f"{figures['idle'] * 100:.2f} % of one core",
            "< 2 %",
        ),
    ]


if __name__ == "__main__":
    for name, figure, goal in rows(run()):
        print(f"| {name} | {figure} | {goal} |")

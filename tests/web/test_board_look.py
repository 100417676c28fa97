"""How the board looks on a TV: a screenshot at 1920x1080 kept as a snapshot
(`make snapshots` or `pytest tests/web --snapshot-update` takes a new one
after looking at it), and the numbers large and whole in landscape and
portrait, with several desks."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops

from tests.web.test_board import call_from_another_process, issue, today_store

SNAPSHOTS = Path(__file__).parent / "__snapshots__"
DIFFERENT_PIXELS = 0.002  # antialiasing may differ a little; a layout change moves far more


def ready_board(folder: Path, board_for: Any, page: Any, *args: str) -> None:
    store = today_store(folder)
    issue(store, [(name, "", "") for name in ("王建国", "李秀英", "张伟", "刘洋", "陈静", "杨磊")])
    call_from_another_process(folder, 1)
    # Calls are kept to the second: the next one in a later second, so the
    # board's "last called" order is the same at every run.
    time.sleep(1.05 - time.time() % 1)
    call_from_another_process(folder, 2)
    board = board_for(folder, *args, lang="zh")
    page.goto(board.url)
    page.wait_for_function("document.querySelectorAll('#desks .desk').length === 2")
    # The clock is the one thing that moves; the screenshot shows a fixed time.
    page.evaluate("document.getElementById('clock').textContent = '09:30'")


def same_picture(taken: Path, kept: Path) -> float:
    """The share of pixels that differ visibly (0: the same picture)."""
    a, b = Image.open(taken).convert("RGB"), Image.open(kept).convert("RGB")
    if a.size != b.size:
        return 1.0
    diff = ImageChops.difference(a, b).convert("L").point(lambda v: 255 if v > 40 else 0)
    return diff.histogram()[255] / (a.width * a.height)


def test_the_board_at_1920x1080_matches_its_snapshot(
    sample_dir: Path, board_for: Any, page: Any, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    ready_board(sample_dir, board_for, page, "--names")
    taken = tmp_path / "board.png"
    page.screenshot(path=str(taken), animations="disabled")
    kept = SNAPSHOTS / "board_1920x1080.png"
    if request.config.getoption("--snapshot-update", default=False):
        SNAPSHOTS.mkdir(exist_ok=True)
        kept.write_bytes(taken.read_bytes())
    assert kept.exists(), "no snapshot yet: look at the board, then --snapshot-update"
    share = same_picture(taken, kept)
    assert share <= DIFFERENT_PIXELS, f"{share:.2%} of the pixels differ: see {taken}"


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920), (1280, 720)])
def test_the_numbers_are_large_and_whole_in_any_shape(
    sample_dir: Path, board_for: Any, page: Any, size: tuple[int, int]
) -> None:
    page.set_viewport_size({"width": size[0], "height": size[1]})
    ready_board(sample_dir, board_for, page, "--contrast")
    assert page.evaluate("document.body.classList.contains('contrast')")
    for number in page.locator("#desks .number").all():
        box = number.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= size[0]
        assert box["y"] >= 0 and box["y"] + box["height"] <= size[1]
        # A number a fifth of the short side or more: readable across a courtyard.
        high = float(number.evaluate("n => parseFloat(getComputedStyle(n).fontSize)"))
        assert high >= min(size) / 8
    for line in page.locator("#next li").all():
        box = line.bounding_box()
        assert box is not None and box["y"] + box["height"] <= size[1]
    assert page.locator("#next li").all_inner_texts()[:2] == ["D003", "D004"]


DRAW = """([desks, name]) => {
  const entry = (number, desk, masked) => ({number, desk, name: masked});
  const now = Array.from({length: desks}, (_, i) => entry("D" + (888 - i), i + 1, "王**"));
  const next = [1, 2, 3, 4, 5].map((i) => entry("E00" + i, 0, i === 5 ? name : "李**"));
  draw({now, next, recent: next.slice(), last: null, compound: "五四大街76号院".repeat(3),
        time: "09:30", date: "", waiting: false});
}"""


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920), (1280, 720), (390, 844)])
def test_every_desk_s_number_stays_inside_its_card_and_both_lists_show(
    sample_dir: Path, board_for: Any, page: Any, size: tuple[int, int]
) -> None:
    """Three desks or six, a TV or a phone on its side: each number whole in
    its card; a long name or compound never pushes a list off the screen."""
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(board_for(sample_dir).url)
    page.wait_for_function("document.body.dataset.connected === 'yes'")
    for desks in (1, 2, 3, 4, 6):
        page.evaluate(DRAW, [desks, "%" + "*" * 26])
        for number in page.locator("#desks .number").all():
            inside = number.evaluate("n => n.scrollWidth <= n.clientWidth")
            assert inside, f"{desks} desks: {number.inner_text()} overflows its card"
        assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
        aside = page.locator("aside").bounding_box()
        assert aside is not None
        for items in ("#next li", "#recent li"):
            last = page.locator(items).last.bounding_box()
            assert last is not None
            assert last["x"] < size[0], f"{items} is off the screen"
            assert last["y"] + last["height"] <= aside["y"] + aside["height"], f"{items} is cut"

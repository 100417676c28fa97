"""The resident-facing display: what it shows, what it never shows, and how it
copes with the data folder going away."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from textual.geometry import Region
from textual.widgets import Digits

from tests.conftest import HOSTILE, PYTHON, ROOT, TODAY, issue_forms, python_env
from tests.ui.conftest import until
from tui.display_app import DisplayApp, make_display
from tui.domain.calendar import fixed_clock
from tui.domain.intake import IntakeForm
from tui.screens.display import DisplayScreen
from tui.services.queue_desk import QueueDesk
from tui.store.repository import Store

DAY = TODAY.isoformat()
CLOCK = fixed_clock(TODAY)


def screen_text(app: DisplayApp) -> str:
    """Everything drawn on the display, as plain text."""
    parts = []
    for widget in app.screen.walk_children():
        if widget.size.area:
            strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
            parts.append("\n".join(strip.text for strip in strips))
        if isinstance(widget, Digits):
            parts.append(widget.value)
    return "\n".join(parts)


def issue(store: Store, people: list[tuple[str, str, str]]) -> None:
    """(name, phone, description) each, as repair requests."""
    issue_forms(
        store, [IntakeForm(name=n, phone=p, description=d, category="repair") for n, p, d in people]
    )


async def settle(pilot: Any, app: DisplayApp, text: str, seconds: float = 5) -> str:
    await until(
        pilot,
        lambda: text in screen_text(app),
        seconds,
        lambda: f"{text!r} shown:\n{screen_text(app)}",
    )
    await pilot.pause()  # the rest of the same update drawn too
    return screen_text(app)


@pytest.mark.parametrize("how", ["notifications", "polling"])
async def test_display_shows_a_call_made_by_another_process(sample_dir: Path, how: str) -> None:
    """Told by the OS's file notifications (alone: no timer looks at the files
    besides), or, where those cannot be had, by polling the files' stamps."""
    store = Store(sample_dir, device="desk", by="x", clock=CLOCK)
    issue(store, [("王建国", "13800001234", "下水道堵塞")])
    if how == "notifications":
        app = make_display(sample_dir, lang="en", clock=CLOCK, backstop=None)
    else:
        app = make_display(sample_dir, lang="en", clock=CLOCK, notifications=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app, "Next:  D001")
        assert isinstance(app.screen, DisplayScreen) and app.screen.watching == how
        script = (
            "import sys; from datetime import date\n"
            "from tui.store.repository import Store\n"
            "from tui.services.queue_desk import QueueDesk\n"
            "from tui.domain.calendar import fixed_clock\n"
            "s = Store(sys.argv[1], device='d2', by='x', clock=fixed_clock(date(2026,11,27)))\n"
            "print(QueueDesk(s, 2).call_next().number)\n"
        )
        called = subprocess.run(
            [PYTHON, "-c", script, str(sample_dir)],
            cwd=ROOT,
            env=python_env(),
            capture_output=True,
            text=True,
            check=True,
        )
        assert called.stdout.strip() == "D001"
        text = await settle(pilot, app, "Desk 2")
        assert "D001" in text


async def test_display_never_shows_personal_data(sample_dir: Path) -> None:
    store = Store(sample_dir, device="desk", by="x", clock=CLOCK)
    people = [("王建国", "13800001234", "3号楼下水道堵塞"), ("欧阳小明", "0971-6123456", "噪音")]
    people += [
        (s, "13900004321", s)
        for s in HOSTILE["strings"]
        if 2 <= len(s.strip()) <= 40 and "\n" not in s
    ]
    issue(store, people)
    desk = QueueDesk(store, 1)
    desk.call_next()
    QueueDesk(store, 2).call_next()
    visits = store.visits(DAY)
    for names in (False, True):
        app = make_display(sample_dir, lang="en", names=names, clock=CLOCK)
        async with app.run_test(size=(160, 48)) as pilot:
            text = await settle(pilot, app, "Desk 2")
            for visit in visits:
                assert visit.phone[-8:] not in text.replace(" ", "")
                assert visit.description not in text or len(visit.description) < 2
                if len(visit.name) >= 2:
                    assert visit.name not in text, visit.name
            assert ("王**" in text) is names
            assert "13800001234" not in text and "138 0000 1234" not in text


async def test_display_waits_for_a_missing_or_replaced_folder(
    tmp_path: Path, sample_dir: Path
) -> None:
    data = tmp_path / "later"
    app = make_display(data, lang="en", clock=CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app, "Waiting for data")
        shutil.copytree(sample_dir, data)
        store = Store(data, device="desk", by="x", clock=CLOCK)
        issue(store, [("甲", "", "")])
        await settle(pilot, app, "D001")
        assert "Waiting for data" not in screen_text(app)
        shutil.rmtree(data)  # the folder goes away: the display waits, it does not crash
        await settle(pilot, app, "Waiting for data")
        shutil.copytree(sample_dir, data)  # and comes back, replaced by a fresh copy
        issue(Store(data, device="desk", by="x", clock=CLOCK), [("乙", "", ""), ("丙", "", "")])
        await settle(pilot, app, "D002")  # only the new data has a D002
        await until(
            pilot, lambda: "Waiting for data" not in screen_text(app), what="the waiting line gone"
        )
        assert "Waiting for data" not in screen_text(app)


async def test_bell_rings_on_each_new_call_when_asked(sample_dir: Path, monkeypatch: Any) -> None:
    store = Store(sample_dir, device="desk", by="x", clock=CLOCK)
    issue(store, [("甲", "", ""), ("乙", "", "")])
    for bell in (True, False):
        app = make_display(sample_dir, lang="en", bell=bell, clock=CLOCK)
        rings: list[int] = []
        monkeypatch.setattr(app, "bell", lambda rings=rings: rings.append(1))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app, "Next:")
            before = len(rings)
            ticket = QueueDesk(store, 1).call_next()
            assert ticket is not None
            await settle(pilot, app, f"Called:  {ticket.number}")
            assert len(rings) - before == (1 if bell else 0)
            QueueDesk(store, 1).act(ticket.id, "requeue")


async def test_every_desk_free_keeps_the_last_number_called(sample_dir: Path) -> None:
    """Calls were made and finished: the display said 尚未叫号 (nothing called
    yet). It keeps the last called number and its desk, and says it is the last."""
    store = Store(sample_dir, device="desk", by="x", clock=CLOCK)
    issue(store, [("王建国", "13800001234", "下水道堵塞"), ("李四", "13800004321", "暖气")])
    desk = QueueDesk(store, 2)
    for _ in range(2):
        called = desk.call_next()
        assert called is not None
        desk.act(called.id, "serve")
        desk.act(called.id, "done")
    app = make_display(sample_dir, lang="zh", clock=CLOCK)
    async with app.run_test(size=(80, 24)) as pilot:
        text = await settle(pilot, app, called.number)
        assert "尚未叫号" not in text
        assert "最近叫号" in text and "2号台" in text

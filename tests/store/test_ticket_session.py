"""A ticket is issued only while its session is open, checked under the data
folder's lock: a desk that closed the session a moment ago in another process
is seen, and nothing of the intake is written."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from datetime import datetime

import pytest

from tests.conftest import PYTHON, ROOT, TODAY, open_today, python_env
from tui.domain.catalogue import default_categories
from tui.domain.intake import IntakeForm, build_intake
from tui.domain.queue import QueueError
from tui.domain.sessions import open_session
from tui.services.intake import save_intake
from tui.store.repository import Store

CLOSE = """
import sys
from datetime import date
from tui.domain.calendar import fixed_clock
from tui.domain.sessions import close_session
from tui.store.repository import Store
clock = fixed_clock(date.fromisoformat(sys.argv[2]))
store = Store(sys.argv[1], device="desk-2", by="desk2", clock=clock)
store.save(close_session(store.open_session(), 0, now=store.now()))
"""


def queued(store: Store, session: str, name: str) -> object:
    return build_intake(
        IntakeForm(name=name, category="repair"),
        day=store.today(),
        session=session,
        now=store.now(),
        by="desk1",
        categories={c.code: c for c in store.categories()},
        compounds={},
        existing=None,
    )


def test_a_session_closed_by_another_process_issues_no_ticket(
    store: Store, clock: Callable[[], datetime]
) -> None:
    store.save_all(default_categories())
    session = open_today(store)
    first = save_intake(store, queued(store, session, "甲"))  # type: ignore[arg-type]
    assert first.ticket is not None and first.ticket.number == "D001"
    # The form for the next resident was filled while the session was open ...
    form = queued(store, session, "乙")
    # ... and desk 2, another process, closes the session before it is saved.
    subprocess.run(
        [PYTHON, "-c", CLOSE, str(store.root), TODAY.isoformat()],
        cwd=ROOT,
        env=python_env(),
        check=True,
        timeout=60,
    )
    with pytest.raises(QueueError) as refused:
        save_intake(store, form)  # type: ignore[arg-type]
    assert refused.value.code == "queue.no_session"
    fresh = Store(store.root, device="checker", by="checker", clock=clock)
    assert [t.number for t in fresh.tickets(fresh.today())] == ["D001"]
    assert [v.name for v in fresh.visits(fresh.today())] == ["甲"]  # nothing half-written


def test_no_session_or_another_days_session_issues_no_ticket(
    store: Store, clock: Callable[[], datetime]
) -> None:
    store.save_all(default_categories())
    with pytest.raises(QueueError):
        save_intake(store, queued(store, "", "甲"))  # type: ignore[arg-type]
    # A session left open on an earlier day does not issue today's tickets.
    earlier = store.save(open_session("2026-11-20", "c1", [], 1, now=clock()))
    with pytest.raises(QueueError):
        save_intake(store, queued(store, earlier.id, "甲"))  # type: ignore[arg-type]
    assert store.tickets(store.today()) == [] and store.visits(store.today()) == []

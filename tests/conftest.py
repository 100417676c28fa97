"""Shared fixtures: real data folders in tmp dirs, a fixed clock, the hostile strings."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from tui.domain.calendar import fixed_clock
from tui.domain.intake import IntakeForm, build_intake
from tui.domain.sessions import open_session
from tui.i18n import set_language
from tui.services.intake import save_intake
from tui.store.layout import RESIDENTS_DIR
from tui.store.repository import Store

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
VENDORED_HOSTILE = Path(__file__).parent / "data" / "hostile_inputs.json"
TODAY = date(2026, 11, 27)  # the sample community's "today"


def hostile() -> dict[str, Any]:
    """Our copy of ../shared/hostile_inputs.json (tests use nothing outside the
    repository; the copy swaps the one real person's name for a made-up one)."""
    return json.loads(VENDORED_HOSTILE.read_text(encoding="utf-8"))


HOSTILE = hostile()


@pytest.fixture(autouse=True)
def _english_by_default() -> None:
    set_language("en")


@pytest.fixture
def clock() -> Callable[[], datetime]:
    return fixed_clock(TODAY)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path, clock: Callable[[], datetime]) -> Store:
    return Store(data_dir, device="test-laptop", by="测试员", clock=clock)


@pytest.fixture
def sample_dir(tmp_path: Path) -> Path:
    """A fresh copy of sample_data/, as `fielddesk demo` makes it."""
    target = tmp_path / "sample"
    shutil.copytree(SAMPLE, target)
    return target


def resident_docs(folder: Path) -> dict[str, dict[str, Any]]:
    """id -> document of every resident on disk, whichever compound's file
    (residents/*.json) holds it."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted((folder / RESIDENTS_DIR).glob("*.json")):
        tables = json.loads(path.read_text("utf-8"))
        found.update({d["id"]: d for d in tables.get("resident", {}).values()})
    return found


def residents_bytes(folder: Path) -> dict[str, bytes]:
    """Every residents' file as it is on disk (to show nothing was written)."""
    return {p.name: p.read_bytes() for p in sorted((folder / RESIDENTS_DIR).glob("*.json"))}


def residents_file(folder: Path) -> Path:
    """One compound's residents' file (the first by name)."""
    return sorted((folder / RESIDENTS_DIR).glob("*.json"))[0]


def python_env() -> dict[str, str]:
    """Environment for child Python processes that import this checkout."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


PYTHON = sys.executable


def open_today(store: Store) -> str:
    """The id of today's open session, opened (at the first compound) when there
    is none: tickets are issued only while a session is open."""
    with store.lock:  # two processes starting at once open one session
        session = store.open_session()
        if session is None:
            compounds = store.compounds()
            compound = compounds[0].id if compounds else "test-compound"
            session = store.save(open_session(store.today(), compound, [], 2, now=store.now()))
    return session.id


def issue_forms(store: Store, forms: list[IntakeForm]) -> None:
    """Save intakes as the form would, on the store's today (tickets when queued),
    in today's session (opened when there is none)."""
    categories = {c.code: c for c in store.categories()}
    compounds = {c.id: c for c in store.compounds()}
    session = open_today(store)
    for form in forms:
        save_intake(
            store,
            build_intake(
                form,
                day=store.today(),
                session=session,
                now=store.now(),
                by=store.by or "x",
                categories=categories,
                compounds=compounds,
                existing=None,
            ),
        )

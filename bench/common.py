"""Shared helpers for the benchmarks: a cached 5-year data set, percentiles."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.store.repository import Store

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
HISTORY = OUT / "history-5y"
UNTIL = "2026-11-27"
GEN_VERSION = 5  # bump when `fielddesk gen` changes what it writes (5: residents/)


def history(residents: int = 10500, years: int = 5) -> Path:
    """`fielddesk gen` output, made once and reused (bench/out is git-ignored)."""
    target = OUT / f"history-{residents}-{years}y-v{GEN_VERSION}"
    if not (target / "registry.json").exists():
        shutil.rmtree(target, ignore_errors=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "tui",
                "--data",
                str(target),
                "gen",
                "--residents",
                str(residents),
                "--years",
                str(years),
                "--seed",
                "1",
                "--until",
                UNTIL,
            ],
            cwd=ROOT,
            check=True,
        )
    return target


def fresh_copy(source: Path, name: str) -> Path:
    target = OUT / name
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target)
    return target


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def median(values: list[float]) -> float:
    return statistics.median(values)


def open_today(store: Store) -> str:
    """The id of today's open session, opened when there is none: tickets are
    issued only while a session is open."""
    from tui.domain.sessions import open_session

    session = store.open_session()
    if session is None:
        compound = store.compounds()[0].id
        session = store.save(open_session(store.today(), compound, [], 2, now=store.now()))
    return session.id

"""Three laptops work offline and sync through one real server in random
orders and random batch sizes: they end with identical records, every note
and queue step once, and `fielddesk check` clean. A sync killed (SIGKILL)
or cut off by the server at any point is finished by the next one."""

from __future__ import annotations

import dataclasses
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.conftest import SAMPLE, TODAY
from tests.sync.conftest import PgServer, hermetic_pg_env, start_cluster, stop_cluster
from tui.domain.calendar import fixed_clock
from tui.domain.records import Certification, Resident
from tui.store.check import check_folder
from tui.store.exchange import collect
from tui.store.hub import connect
from tui.store.repository import Store
from tui.store.sync import STATE, sync

CLOCK = fixed_clock(TODAY)
NAMES = ["林晓梅", "王建国", "赵丽"]
PHONES = ["13912345678", "13800138000"]

Op = tuple[Any, ...]
ops = st.one_of(
    st.tuples(st.just("intake"), st.sampled_from(NAMES), st.sampled_from(PHONES)),
    st.tuples(st.just("note"), st.integers(0, 3), st.text("记录回访abc ", min_size=1, max_size=8)),
    st.tuples(st.just("due"), st.integers(0, 3), st.integers(1, 20)),
    st.tuples(st.just("step"), st.integers(0, 5), st.sampled_from(["recall", "note"])),
    st.tuples(st.just("certify"), st.integers(0, 30)),
    st.tuples(st.just("sync"), st.integers(1, 400)),
)


def laptop(folder: Path, name: str) -> Store:
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns(".lock", "device.json"))
    return Store(folder, device=f"laptop-{name}", by=f"staff-{name}", clock=CLOCK)


def apply(store: Store, op: Op, serial: int) -> str | None:
    """Do one thing at the desk; returns the text of an event it added."""
    what = op[0]
    if what == "intake":
        compound = store.compounds()[0].id
        store.save(Resident(name=op[1], phone=op[2], compound=compound))
    elif what in ("note", "due"):
        cases = sorted(store.open_cases(), key=lambda c: c.id)
        case = cases[op[1] % len(cases)]
        if what == "due":
            store.save(dataclasses.replace(case, due=f"2026-12-{op[2]:02d}"))
            return None
        text = f"{op[2]}#{store.device}#{serial}"
        entry = {"at": "2026-11-27T15:40:00+08:00", "by": store.by, "action": "note", "note": text}
        store.save(dataclasses.replace(case, timeline=[*case.timeline, entry]))
        return text
    elif what == "step":
        tickets = sorted(store.tickets("2026-11-20"), key=lambda t: t.id)
        ticket = tickets[op[1] % len(tickets)]
        text = f"{op[2]}#{store.device}#{serial}"
        entry = {"at": "2026-11-20T15:00:00+08:00", "by": store.by, "action": text}
        store.save(dataclasses.replace(ticket, history=[*ticket.history, entry]))
        return text
    elif what == "certify":
        residents = sorted(store.residents(), key=lambda r: r.id)
        resident = residents[op[1] % len(residents)]
        store.save(Certification(resident=resident.id, quarter="2026Q4", day="2026-11-27"))
    return None


@pytest.fixture
def database(pg_server: PgServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Makes a fresh database per hypothesis example; drops them after."""
    hermetic_pg_env(monkeypatch, pg_server.password)
    made: list[str] = []

    def fresh() -> str:
        name = f"t_{uuid.uuid4().hex}"
        with pg_server.admin() as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return pg_server.url(name)

    yield fresh
    with pg_server.admin() as admin:
        for name in made:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@settings(
    max_examples=8,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # a shrink would take minutes
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    work=st.lists(st.tuples(st.integers(0, 2), ops), min_size=3, max_size=14),
    seed=st.integers(0, 2**16),
)
def test_three_laptops_converge_whatever_the_order(
    tmp_path_factory: pytest.TempPathFactory, database: Any, work: list[tuple[int, Op]], seed: int
) -> None:
    shuffle = random.Random(seed)
    url = database()
    base = tmp_path_factory.mktemp("laptops")
    laptops = [laptop(base / name, name) for name in "abc"]
    events: list[str] = []
    with connect(url) as hub:
        hub.init_schema()
        for serial, (who, op) in enumerate(work):
            store = laptops[who]
            if op[0] == "sync":
                sync(store, hub, batch=op[1])
            elif (text := apply(store, op, serial)) is not None:
                events.append(text)
        for _round in range(2):
            for store in shuffle.sample(laptops, 3):
                sync(store, hub, batch=shuffle.randint(1, 500))
        sync(laptops[0], hub)
    seen = [collect(Store(s.root, read_only=True)) for s in laptops]
    assert seen[0] == seen[1] == seen[2]
    found = [e["note"] for d in seen[0]["case"] for e in d.get("timeline", []) if "note" in e]
    found += [e["action"] for d in seen[0]["ticket"] for e in d.get("history", [])]
    assert sorted(f for f in found if f in set(events)) == sorted(events)
    for store in laptops:
        assert check_folder(store.root).problems == []


def _sync_child(folder: Path, url: str, batch: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tui", "sync", "--url", url, "--batch", str(batch)],
        env={**os.environ, "FIELDDESK_DATA": str(folder)},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _run_sync(folder: Path, url: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tui", "sync", "--url", url],
        env={**os.environ, "FIELDDESK_DATA": str(folder)},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr


def test_a_sync_killed_at_random_points_is_finished_by_the_next(
    tmp_path: Path, pg_url: str
) -> None:
    with connect(pg_url) as hub:
        hub.init_schema()
    source = laptop(tmp_path / "a", "a")
    _run_sync(source.root, pg_url)
    fresh = tmp_path / "new"
    total = _count(source.root)
    chance = random.Random(15)
    partial = []
    for _attempt in range(6):
        child = _sync_child(fresh, pg_url, batch=1)
        _started(child, fresh)
        time.sleep(chance.uniform(0, 0.3))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
        partial.append(_count(fresh))
    assert any(0 < n < total for n in partial), partial  # killed half way, at least once
    _run_sync(fresh, pg_url)
    assert collect(Store(fresh, read_only=True)) == collect(Store(source.root, read_only=True))
    assert check_folder(fresh).problems == []


def _started(child: subprocess.Popen[bytes], folder: Path) -> None:
    """Once the child has taken in its first batch (or ended)."""
    deadline = time.monotonic() + 60
    while child.poll() is None and time.monotonic() < deadline:
        if (folder / STATE).exists():
            return
        time.sleep(0.01)


def _count(folder: Path) -> int:
    if not folder.is_dir():
        return 0
    return sum(len(docs) for docs in collect(Store(folder, read_only=True)).values())


def _pg_ctl(server: PgServer, *args: str) -> None:
    from tests.sync.conftest import _as_owner, find_bin_dir

    command = [str(find_bin_dir() / "pg_ctl"), "-D", str(server.folder / "data"), *args]
    subprocess.run(_as_owner(command), cwd=server.folder, capture_output=True, timeout=120)


def test_a_server_stopped_mid_sync_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = start_cluster(durable=True)  # what it acknowledged survives an immediate stop
    try:
        hermetic_pg_env(monkeypatch, server.password)
        url = server.url()
        with connect(url) as hub:
            hub.init_schema()
        source = laptop(tmp_path / "a", "a")
        _run_sync(source.root, url)
        fresh = tmp_path / "new"
        child = _sync_child(fresh, url, batch=1)
        _started(child, fresh)
        _pg_ctl(server, "-m", "immediate", "stop")
        _err = child.communicate(timeout=120)[1].decode()
        assert child.returncode == 1 and len(_err.splitlines()) == 1, _err
        assert "Traceback" not in _err
        assert 0 < _count(fresh) < _count(source.root)  # stopped half way
        settings_line = f"-p {server.port} -c listen_addresses=127.0.0.1 -k {server.folder}/sock"
        _pg_ctl(server, "-l", str(server.folder / "server.log"), "-w", "-o", settings_line, "start")
        _run_sync(fresh, url)
        assert collect(Store(fresh, read_only=True)) == collect(Store(source.root, read_only=True))
    finally:
        stop_cluster(server)

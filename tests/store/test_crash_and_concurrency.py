"""Real processes: killed with SIGKILL mid-write, writing at once, reading live."""

from __future__ import annotations

import random
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import PYTHON, ROOT, python_env
from tui.domain.records import Resident, Visit
from tui.store.check import check_folder
from tui.store.repository import Store

KILLS = 200


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [PYTHON, "-m", "tests.store.helpers", *args],
        cwd=ROOT,
        env=python_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_ready(proc: subprocess.Popen[str]) -> None:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.strip() == "ready", proc.stderr.read() if proc.stderr else line


def finish(proc: subprocess.Popen[str], timeout: float = 300) -> str:
    """The rest of a child's output. Reads through the same buffered stream that
    wait_ready used, so no line it already buffered is lost."""
    assert proc.stdout is not None
    out = proc.stdout.read()
    proc.wait(timeout=timeout)
    return out


def acked(lines: list[str]) -> dict[str, str]:
    """id -> name for every 'ack kind id name' line that was printed whole."""
    result = {}
    for line in lines:
        parts = line.split()
        if len(parts) == 4 and parts[0] == "ack" and line.endswith("\n"):
            result[parts[2]] = parts[3]
    return result


def stored(data: Path) -> dict[str, str]:
    store = Store(data, device="checker", by="checker")
    assert store.problems == []
    found = {r.id: r.name for r in store.residents()}
    for day in store.days():
        found.update({v.id: v.name for v in store.visits(day)})
    return found


def kill_at_random(mode: str, data: Path, seed: int, longest: float) -> str:
    """Start a helper child writing without end, SIGKILL it after a random
    moment (up to `longest` seconds), and return what it printed."""
    rng = random.Random(seed)
    proc = start(mode, str(data), "100000", f"{mode[0]}{seed}")
    wait_ready(proc)
    time.sleep(rng.uniform(0.0, longest))
    proc.send_signal(signal.SIGKILL)
    out = finish(proc, timeout=30)
    assert proc.returncode == -signal.SIGKILL
    return out


def kill_one_writer(data: Path, seed: int) -> tuple[int, int]:
    out = kill_at_random("writer", data, seed, 0.12)
    acks = acked(out.splitlines(keepends=True))
    found = stored(data)
    missing = {i: n for i, n in acks.items() if found.get(i) != n}
    assert missing == {}, f"seed {seed}: acknowledged writes lost: {missing}"
    return len(acks), len(found)


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_no_acknowledged_write(tmp_path: Path) -> None:
    """200 writers, each killed at a random moment, four data folders in turn."""
    folders = [tmp_path / f"data{n}" for n in range(4)]

    def run(index: int) -> tuple[int, int]:
        return kill_one_writer(folders[index % 4], index)

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(run, range(KILLS)))
    total_acks = sum(a for a, _ in results)
    assert total_acks > KILLS  # the writers really were writing when killed
    for folder in folders:
        report = check_folder(folder)
        assert report.problems == []


@pytest.mark.slow
def test_three_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    Store(data, device="setup", by="setup")
    procs = [start("writer", str(data), "300", tag) for tag in ("a", "b", "c")]
    results = [proc.communicate(timeout=300) for proc in procs]
    outputs = [out for out, _err in results]
    assert all(proc.returncode == 0 for proc in procs), [err for _out, err in results]
    acks: dict[str, str] = {}
    for out in outputs:
        acks.update(acked(out.splitlines(keepends=True)))
    assert len(acks) == 900
    found = stored(data)
    assert found == acks
    store = Store(data, device="checker", by="checker")
    residents = store.residents()
    assert len(residents) == 450 and all(r.rev == 1 for r in residents)
    assert len(store.visits(store.today())) == 450
    assert check_folder(data).problems == []


def test_a_reader_process_sees_each_commit(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = Store(data, device="writer", by="writer")
    reader = start("reader", str(data), "30")
    wait_ready(reader)
    assert reader.stdout is not None
    for n in range(10):
        saved = store.save(Resident(name=f"居民{n}"))
        line = reader.stdout.readline()  # blocks until the reader reports it
        assert line.split() == ["seen", saved.id]
    reader.kill()
    reader.communicate()


@pytest.mark.parametrize("how", ["notifications", "polling"])
def test_a_reader_process_told_by_the_os_sees_each_commit(tmp_path: Path, how: str) -> None:
    """The OS's file notifications alone wake the reader (it has no timer), and
    stat polling, the fallback where they cannot be had, still does it too."""
    data = tmp_path / "data"
    store = Store(data, device="writer", by="writer")
    reader = start("notified", str(data), "30", how)
    assert reader.stdout is not None
    assert reader.stdout.readline().split() == ["ready", how]
    for n in range(10):
        saved = store.save(Resident(name=f"居民{n}"))
        line = reader.stdout.readline()  # blocks until the reader reports it
        assert line.split() == ["seen", saved.id]
    reader.kill()
    reader.communicate()


def test_records_written_by_another_process_are_not_overwritten(tmp_path: Path) -> None:
    """TinyDB caches doc ids and query results; a stale cache must not clobber."""
    data = tmp_path / "data"
    mine = Store(data, device="one", by="one")
    theirs = Store(data, device="two", by="two")
    mine.save(Resident(name="甲"))
    theirs.save(Resident(name="乙"))  # same file, other process's view
    mine.save(Resident(name="丙"))
    day = mine.today()
    theirs.save(Visit(day=day, name="丁"))
    mine.save(Visit(day=day, name="戊"))
    assert sorted(r.name for r in Store(data, device="x", by="x").residents()) == ["丙", "乙", "甲"]
    assert sorted(v.name for v in theirs.visits(day)) == ["丁", "戊"]


def test_two_desks_never_issue_the_same_ticket(tmp_path: Path) -> None:
    from tui.domain.catalogue import default_categories

    data = tmp_path / "data"
    Store(data, device="setup", by="setup").save_all(default_categories())
    desks = [start("intake", str(data), "25", tag) for tag in ("desk1", "desk2")]
    outputs = [desk.communicate(timeout=120)[0] for desk in desks]
    assert all(desk.returncode == 0 for desk in desks)
    numbers = [
        line.split()[1] for out in outputs for line in out.splitlines() if line.startswith("ticket")
    ]
    assert sorted(numbers) == [f"D{n:03d}" for n in range(1, 51)]
    store = Store(data, device="checker", by="checker")
    assert sorted(t.number for t in store.tickets(store.today())) == sorted(numbers)


def test_two_desks_calling_at_once_never_call_one_ticket_twice(tmp_path: Path) -> None:
    from tui.domain.catalogue import default_categories

    data = tmp_path / "data"
    Store(data, device="setup", by="setup").save_all(default_categories())
    fill = start("intake", str(data), "120", "intake")
    fill.communicate(timeout=120)
    desks = [start("caller", str(data), str(desk), "70") for desk in (1, 2)]
    for desk in desks:
        wait_ready(desk)
    outputs = [finish(desk) for desk in desks]
    assert all(desk.returncode == 0 for desk in desks)
    called = [
        line.split()[1]
        for out in outputs
        for line in out.splitlines()
        if line.startswith("called") and line.split()[1] != "-"
    ]
    assert len(called) == 120 and len(set(called)) == 120
    store = Store(data, device="checker", by="checker")
    tickets = store.tickets(store.today())
    assert all(t.status == "done" for t in tickets)
    assert {t.desk for t in tickets} == {1, 2}
    # Every state change was kept: call, serve, done on each ticket.
    assert all([h["action"] for h in t.history][-3:] == ["call", "serve", "done"] for t in tickets)

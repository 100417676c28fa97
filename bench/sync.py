"""Syncing laptops through the office server (issue 15), on this machine's
own PostgreSQL: a throwaway cluster made with initdb and started as the
tests' start_cluster(durable=True) starts it (fsync on), reached over TCP on
127.0.0.1 with a password (scram-sha-256).

Side by side, in one run, on 5 years of a 10,500-resident community
(`fielddesk gen`, cached in bench/out):

- first sync of the whole history into the empty server, from the laptop
  that holds it (push), then into an empty folder (a fresh laptop's pull);
- a day's push: a synced copy makes 50 intakes through the services the app
  uses (resident, visit, ticket; the ticket called, served and done at a
  desk; the visit triaged: handled on the spot or a case logged, as its
  category suggests), then syncs;
- another laptop's pull of that day: another synced copy syncs;
- a sync with nothing to do: `sync()` on a settled laptop, and the
  `fielddesk sync` command as a process (Python start-up included);
- two laptops' copies, each with its own day, exported with `fielddesk
  export` and merged by `fielddesk import` into an empty folder; then the
  second file imported again (nothing should change).

Each `sync()` is timed on a freshly opened Store (nothing read yet) over an
open connection; connecting is reported apart. Every copy is a laptop of
its own (a new device id). Day rounds run on fresh copies: round i's laptop
works day i, and round i + 1 starts from the laptop that pulled day i.

    python -m bench.sync            # 10,500 residents, 5 years
    python -m bench.sync --small    # 1,000 residents, 1 year: a quick check
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.common import OUT, ROOT, history, median, percentile

FULL = (10500, 5)
SMALL = (1000, 1)
VISITS = 50  # a day's intakes
DAY_RUNS = 5  # day push and day pull, each on fresh copies
IDLE_RUNS = 20  # syncs with nothing to do, in this process
CLI_RUNS = 10  # the same, as `fielddesk sync` processes
FIRST_DAY = date(2026, 11, 28)  # the day after the generated history (bench.common.UNTIL)
GOALS = {"first": 60.0, "day": 2.0, "idle": 0.3, "import": 30.0}


# -- the server: as tests/sync/conftest.py's start_cluster(durable=True) -------

RUN_AS = "postgres"  # PostgreSQL refuses to run as root
SUPERUSER = "fd_admin"
DATABASE = "fielddesk"
PG_ENV = ("PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE", "PGSSLMODE")


@dataclass(frozen=True)
class Server:
    port: int
    password: str
    folder: Path
    bins: Path

    @property
    def url(self) -> str:
        """No password: libpq takes it from PGPASSWORD (set for this process)."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{DATABASE}"


def _bins() -> Path:
    names = ("initdb", "pg_ctl", "postgres")
    found = shutil.which("initdb")
    if found and all((Path(found).resolve().parent / n).is_file() for n in names):
        return Path(found).resolve().parent
    versions = sorted(
        (float(d.parent.name), d)
        for d in Path("/usr/lib/postgresql").glob("*/bin")
        if d.parent.name.replace(".", "").isdigit() and all((d / n).is_file() for n in names)
    )
    if not versions:
        raise RuntimeError("PostgreSQL's initdb, pg_ctl and postgres are needed (postgresql)")
    return versions[-1][1]


def _as_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", RUN_AS, "--", *command] if os.geteuid() == 0 else command


def _run(command: list[str], cwd: Path) -> None:
    done = subprocess.run(
        _as_owner(command), cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} failed: {done.stderr or done.stdout}")


def start_server() -> Server:
    """A new cluster under /tmp (the postgres user must reach it), fsync on."""
    import pwd
    import secrets

    bins = _bins()
    folder = Path(tempfile.mkdtemp(prefix="fielddesk-bench-pg-", dir="/tmp"))
    os.chmod(folder, 0o755)
    password = secrets.token_urlsafe(18)
    (folder / "pwfile").write_text(password + "\n", encoding="utf-8")
    (folder / "sock").mkdir()
    if os.geteuid() == 0:
        owner = pwd.getpwnam(RUN_AS)
        for path in (folder, folder / "pwfile", folder / "sock"):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    data = folder / "data"
    _run(
        [
            str(bins / "initdb"),
            *("-D", str(data), "-U", SUPERUSER, f"--pwfile={folder / 'pwfile'}"),
            *("--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"),
        ],
        folder,
    )
    (folder / "pwfile").unlink()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    options = (
        f"-p {port} -c listen_addresses=127.0.0.1 -k {folder / 'sock'}"
        " -c max_connections=30 -c shared_buffers=64MB"
    )
    log = folder / "server.log"
    _run(
        [str(bins / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-o", options, "start"],
        folder,
    )
    server = Server(port, password, folder, bins)
    # libpq, here and in the `fielddesk` processes, sees this server's password only.
    for name in PG_ENV:
        os.environ.pop(name, None)
    os.environ["PGPASSFILE"] = "/nonexistent/fielddesk-bench/pgpass"
    os.environ["PGPASSWORD"] = password
    import psycopg

    with psycopg.connect(
        host="127.0.0.1", port=port, user=SUPERUSER, dbname="postgres", autocommit=True
    ) as admin:
        admin.execute(f'CREATE DATABASE "{DATABASE}"')
    return server


def stop_server(server: Server) -> None:
    pg_ctl = [str(server.bins / "pg_ctl"), "-D", str(server.folder / "data"), "-m", "fast", "stop"]
    subprocess.run(_as_owner(pg_ctl), cwd=server.folder, capture_output=True, timeout=120)
    shutil.rmtree(server.folder, ignore_errors=True)


# -- laptops ----------------------------------------------------------------------


def laptop(source: Path | None, name: str) -> Path:
    """A copy of `source` as another laptop: its files (and their times, which
    tell the next sync what changed), its place on the server (sync.json),
    a device id of its own. None: a new laptop, no folder yet."""
    target = OUT / name
    shutil.rmtree(target, ignore_errors=True)
    if source is not None:
        shutil.copytree(source, target, ignore=shutil.ignore_patterns(".lock", "device.json"))
    return target


def store_of(folder: Path, day: date) -> Any:
    from tui.domain.calendar import fixed_clock
    from tui.store.repository import Store

    return Store(folder, by="bench", clock=fixed_clock(day))


def work_day(folder: Path, day: date, seed: int) -> None:
    """VISITS intakes on `day`, as a desk makes them: a returning resident
    (one in ten with a new phone) or a new one, a ticket called, served and
    done, the visit handled on the spot or logged as a case."""
    from bench.common import open_today
    from tui.domain.cases import default_due, default_owner, handle_now, log_for_later
    from tui.domain.intake import IntakeForm, build_intake
    from tui.domain.records import Triage
    from tui.services.intake import save_intake
    from tui.services.queue_desk import QueueDesk
    from tui.services.triage import save_triage

    rng = random.Random(seed)
    store = store_of(folder, day)
    session = open_today(store)
    categories = {c.code: c for c in store.categories()}
    compounds = {c.id: c for c in store.compounds()}
    staff, parties = store.staff(), store.parties()
    desk_staff = next((s.id for s in staff if s.active), "")
    people = [r for r in store.residents() if r.phone]
    desk = QueueDesk(store, 1)
    for n in range(VISITS):
        category = rng.choice(list(categories.values()))
        person = rng.choice(people) if rng.random() < 0.85 else None
        if person is None:
            form = IntakeForm(
                name=f"新居民{seed}-{n}",
                compound=rng.choice(list(compounds)),
                address=f"{rng.randint(1, 9)}-{rng.randint(1, 3)}-{rng.randint(101, 602)}",
                phone=f"139{rng.randrange(10**8):08d}",
                category=category.code,
                description="楼道灯不亮",
            )
        else:
            phone = f"137{rng.randrange(10**8):08d}" if rng.random() < 0.1 else person.phone
            form = IntakeForm(
                name=person.name,
                compound=person.compound,
                address="-".join(p for p in (person.building, person.unit, person.room) if p),
                phone=phone,
                category=category.code,
                description="楼道灯不亮",
                flags=list(person.flags),
                resident=person.id,
            )
        built = build_intake(
            form,
            day=store.today(),
            session=session,
            now=store.now(),
            by="bench",
            categories=categories,
            compounds=compounds,
            existing=person,
        )
        saved = save_intake(store, built)
        called = desk.call_next()
        assert called is not None and saved.ticket is not None and called.id == saved.ticket.id
        desk.act(called.id, "serve")
        owner = default_owner(
            category, compounds.get(saved.visit.compound), staff, parties, desk_staff
        )
        if category.triage == Triage.NOW or owner is None:
            visit = handle_now(saved.visit, "已处理", suggested=category.triage)
            save_triage(store, visit, None)
        else:
            visit, case = log_for_later(
                saved.visit,
                owner,
                default_due(saved.visit.day, category),
                "phone",
                "",
                suggested=category.triage,
                now=store.now(),
                by="bench",
            )
            save_triage(store, visit, case)
        desk.act(called.id, "done")


@dataclass
class Synced:
    seconds: float
    pulled: int
    pushed: int  # rows the server changed
    sent: int  # documents sent to the server (whole changed files)

    def __str__(self) -> str:
        return (
            f"{self.seconds:.3f} s, {self.pulled} records pulled, {self.sent} documents sent,"
            f" {self.pushed} rows changed on the server"
        )


def timed_sync(hub: Any, folder: Path, day: date) -> Synced:
    """One `sync()` on a freshly opened Store, timed from call to return."""
    from tui.store.sync import sync

    store = store_of(folder, day)
    sent = [0]
    push = hub.push

    def counting(community: str, device: str, docs: list[Any], merge: Any) -> int:
        sent[0] += len(docs)
        return int(push(community, device, docs, merge))

    hub.push = counting
    try:
        start = time.perf_counter()
        report = sync(store, hub)
        took = time.perf_counter() - start
    finally:
        del hub.push
    if report.refused:
        raise RuntimeError(f"the server sent records this laptop refused: {report.refused[:3]}")
    return Synced(took, report.pulled, report.pushed, sent[0])


def fielddesk(*args: str) -> tuple[float, str]:
    """A `fielddesk` command as a process: its wall time and its last line."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "tui", "--lang", "en", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"fielddesk {' '.join(args)} failed: {done.stderr}")
    lines = (done.stdout or done.stderr).strip().splitlines()
    return took, lines[-1] if lines else ""


def records_in(folder: Path) -> int:
    from tui.store.exchange import collect
    from tui.store.repository import Store

    return sum(len(docs) for docs in collect(Store(folder, read_only=True)).values())


def settle() -> None:
    """Wait out the margin within which a sync sends a file written just
    before its last push again (tui/store/sync.py MARGIN_NS)."""
    from tui.store.sync import MARGIN_NS

    time.sleep(MARGIN_NS / 1e9 + 0.5)


# -- the benchmark -------------------------------------------------------------------


def run(residents: int = FULL[0], years: int = FULL[1]) -> dict[str, Any]:
    from tui.store.hub import connect

    made = time.perf_counter()
    source = history(residents, years)
    gen_seconds = time.perf_counter() - made  # ~0 when cached
    tag = f"sync-{residents}-{years}y"
    found: dict[str, Any] = {
        "residents": residents,
        "years": years,
        "gen": gen_seconds,
        "records": records_in(source),
        "megabytes": sum(p.stat().st_size for p in source.rglob("*.json")) / 1e6,
    }
    server = start_server()
    try:
        connects = []
        for _ in range(5):
            start = time.perf_counter()
            connect(server.url).close()
            connects.append(time.perf_counter() - start)
        found["connect"] = median(connects)
        with connect(server.url) as hub:
            hub.init_schema()
            print(f"server: PostgreSQL at 127.0.0.1:{server.port}, fsync on", flush=True)
            # The laptop that holds the history sends it all; a new one takes it all.
            first = laptop(source, f"{tag}-first")
            found["first push"] = timed_sync(hub, first, FIRST_DAY)
            print(f"first push: {found['first push']}", flush=True)
            fresh = laptop(None, f"{tag}-fresh")
            found["first pull"] = timed_sync(hub, fresh, FIRST_DAY)
            print(f"first pull: {found['first pull']}", flush=True)
            if records_in(fresh) != found["records"]:
                print("note: the fresh laptop does not hold every record", flush=True)
            # Day rounds: one laptop works a day and sends it; another takes it in.
            base = first
            found["day push"], found["day pull"] = [], []
            for n in range(DAY_RUNS):
                day = FIRST_DAY + timedelta(days=n)
                worker, other = laptop(base, f"{tag}-worker"), laptop(base, f"{tag}-other")
                work_day(worker, day, seed=n)
                found["day push"].append(timed_sync(hub, worker, day))
                found["day pull"].append(timed_sync(hub, other, day))
                print(f"day {day}: push {found['day push'][-1]}", flush=True)
                print(f"day {day}: pull {found['day pull'][-1]}", flush=True)
                base = laptop(other, f"{tag}-base")
            # Nothing to do: the laptop that took the last day in, settled.
            idle_day = FIRST_DAY + timedelta(days=DAY_RUNS - 1)
            settle()  # base's files were written by the pull a moment ago
            timed_sync(hub, base, idle_day)  # sends them once more (the pull's files)
            found["idle"] = [timed_sync(hub, base, idle_day) for _ in range(IDLE_RUNS)]
            busy = [s for s in found["idle"] if s.pulled or s.sent]
            if busy:
                print(
                    f"note: {len(busy)} syncs with nothing to do exchanged: {busy[0]}", flush=True
                )
        found["idle cli"] = [
            fielddesk("--data", str(base), "sync", "--url", server.url)[0] for _ in range(CLI_RUNS)
        ]
    finally:
        stop_server(server)
    # Two laptops' copies, each with its own day, merged into an empty folder.
    exports = []
    for name, seed in (("a", 101), ("b", 102)):
        folder = laptop(source, f"{tag}-export-{name}")
        work_day(folder, FIRST_DAY, seed)
        out = OUT / f"{tag}-{name}.json"
        out.unlink(missing_ok=True)
        took, _ = fielddesk("--data", str(folder), "export", "--out", str(out))
        exports.append((out, took))
    found["export"] = [took for _, took in exports]
    found["export megabytes"] = exports[0][0].stat().st_size / 1e6
    target = laptop(None, f"{tag}-merged")
    for key, (out, _) in (
        ("import a", exports[0]),
        ("import b", exports[1]),
        ("again", exports[1]),
    ):
        found[key] = fielddesk("--data", str(target), "--create", "import", str(out))
        print(f"{key}: {found[key][0]:.2f} s, {found[key][1]}", flush=True)
    return found


def seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def spread(values: list[float]) -> str:
    return f"p50 {seconds(percentile(values, 50))}, p95 {seconds(percentile(values, 95))}"


def of_goal(value: float, goal: str) -> str:
    return f"{value / GOALS[goal]:.2f}x goal"


def rows(found: dict[str, Any]) -> list[tuple[str, str, str]]:
    size = f"{found['residents']:,} residents, {found['years']} y, {found['records']:,} records"
    push, pull = found["first push"], found["first pull"]
    day_push = [s.seconds for s in found["day push"]]
    day_pull = [s.seconds for s in found["day pull"]]
    idle = [s.seconds for s in found["idle"]]
    imports = found["import a"][0], found["import b"][0]
    sent = [s.sent for s in found["day push"]]
    pulled = [s.pulled for s in found["day pull"]]
    resent = [s.sent for s in found["day pull"]]
    cli = found["idle cli"]
    return [
        (
            f"First sync into an empty server, push ({size})",
            f"{seconds(push.seconds)} ({push.pushed:,} rows); {of_goal(push.seconds, 'first')}",
            "< 60 s",
        ),
        (
            "First sync of a fresh laptop, pull",
            f"{seconds(pull.seconds)} ({pull.pulled:,} records, {pull.sent:,} sent back); "
            f"{of_goal(pull.seconds, 'first')}",
            "< 60 s",
        ),
        (
            f"Day push, {VISITS} intakes with tickets and cases ({DAY_RUNS} days, fresh copies)",
            f"{spread(day_push)} ({min(sent):,}-{max(sent):,} documents sent); "
            f"p95 {of_goal(percentile(day_push, 95), 'day')}",
            "< 2 s",
        ),
        (
            "Day pull, another laptop's day",
            f"{spread(day_pull)} ({min(pulled)}-{max(pulled)} records, "
            f"{min(resent):,}-{max(resent):,} sent back); "
            f"p95 {of_goal(percentile(day_pull, 95), 'day')}",
            "< 2 s",
        ),
        (
            f"Sync with nothing to do, sync() ({IDLE_RUNS} runs)",
            f"{spread(idle)}; p95 {of_goal(percentile(idle, 95), 'idle')}",
            "< 300 ms",
        ),
        (
            f"Sync with nothing to do, `fielddesk sync` process ({CLI_RUNS} runs)",
            f"{spread(cli)}; p95 {of_goal(percentile(cli, 95), 'idle')} of sync()",
            "",
        ),
        (
            "Connecting to the server (scram-sha-256, 127.0.0.1), median",
            seconds(found["connect"]),
            "",
        ),
        (
            f"`fielddesk export`, two laptops' copies ({found['export megabytes']:.0f} MB each)",
            " / ".join(seconds(s) for s in found["export"]),
            "",
        ),
        (
            "`fielddesk import` of the first export, empty folder",
            f"{seconds(imports[0])}; {of_goal(imports[0], 'import')}",
            "< 30 s",
        ),
        (
            "`fielddesk import` of the second export (the merge)",
            f"{seconds(imports[1])}; {of_goal(imports[1], 'import')}",
            "< 30 s",
        ),
        (
            "Both imports",
            f"{seconds(sum(imports))}; {of_goal(sum(imports), 'import')}",
            "< 30 s",
        ),
        (
            "`fielddesk import` of the second export again (nothing changes)",
            seconds(found["again"][0]),
            "",
        ),
    ]


def headline(found: dict[str, Any]) -> list[tuple[str, str, str, bool]]:
    first = max(found["first push"].seconds, found["first pull"].seconds)
    day = max(percentile([s.seconds for s in found[k]], 95) for k in ("day push", "day pull"))
    idle = percentile([s.seconds for s in found["idle"]], 95)
    both = found["import a"][0] + found["import b"][0]
    size = f"{found['residents']:,} residents, {found['years']} years"
    return [
        (f"First sync, {size} (worse of push, pull)", seconds(first), "< 60 s", first < 60),
        ("Day push / pull p95 (worse)", seconds(day), "< 2 s", day < 2),
        ("Sync with nothing to do p95", seconds(idle), "< 300 ms", idle < 0.3),
        (f"Merge of two exports, {size} (both imports)", seconds(both), "< 30 s", both < 30),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--small", action="store_true", help="1,000 residents, 1 year: check it works"
    )
    residents, years = SMALL if parser.parse_args().small else FULL
    found = run(residents, years)
    print(
        f"\ndata: {found['residents']:,} residents, {found['years']} years, "
        f"{found['records']:,} records, {found['megabytes']:.0f} MB"
        + (f" (generated in {found['gen']:.0f} s)" if found["gen"] > 1 else " (cached)")
    )
    print("\n| measure | figure | goal |\n| --- | --- | --- |")
    for name, figure, goal in rows(found):
        print(f"| {name} | {figure} | {goal} |")
    print("\n| goal | figure | target | met |\n| --- | --- | --- | --- |")
    for name, figure, goal, met in headline(found):
        print(f"| {name} | {figure} | {goal} | {'yes' if met else 'NO'} |")


if __name__ == "__main__":
    sys.path[0] = str(ROOT)
    main()

"""Child-process programs for the crash and concurrency tests.

Run as `python -m tests.store.helpers MODE DATA ...`; each prints one line per
acknowledged write ("ack <id>") only after Store.save() has returned.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import time
from pathlib import Path

from tests.conftest import open_today
from tui.domain.records import Resident, Visit
from tui.repository.errors import StoreWriteError
from tui.services.intake import save_intake
from tui.services.triage import save_triage
from tui.store.repository import Store


def writer(data: Path, count: int, tag: str) -> None:
    """Save `count` records, alternating between two files, acking each."""
    store = Store(data, device=f"proc-{tag}", by=tag)
    print("ready", flush=True)
    day = store.today()
    for n in range(count):
        record: Resident | Visit
        if n % 2:
            record = Visit(day=day, name=f"{tag}-{n}", description="下水道堵塞" * 20)
        else:
            record = Resident(name=f"{tag}-{n}", note="独居老人" * 20)
        saved = store.save(record)
        print(f"ack {saved.KIND} {saved.id} {saved.name}", flush=True)


def intake(data: Path, count: int, tag: str) -> None:
    """Save `count` intakes of one category (one queue letter), acking tickets."""
    from tui.domain.intake import IntakeForm, build_intake

    store = Store(data, device=f"desk-{tag}", by=tag)
    categories = {c.code: c for c in store.categories()}
    session = open_today(store)
    print("ready", flush=True)
    for n in range(count):
        built = build_intake(
            IntakeForm(name=f"{tag}-{n}", category="repair"),
            day=store.today(),
            session=session,
            now=store.now(),
            by=tag,
            categories=categories,
            compounds={},
            existing=None,
        )
        saved = save_intake(store, built)
        assert saved.ticket is not None
        print(f"ticket {saved.ticket.number}", flush=True)


def reader(data: Path, seconds: float) -> None:
    """Print every resident id as soon as this process sees it."""
    store = Store(data, device="reader", by="reader")
    watcher = store.watcher()
    seen: set[str] = set()
    print("ready", flush=True)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if watcher.poll():
            for resident in store.residents():
                if resident.id not in seen:
                    seen.add(resident.id)
                    print(f"seen {resident.id}", flush=True)
        time.sleep(0.05)


def notified(data: Path, seconds: float, how: str) -> None:
    """As reader, woken by the OS's file notifications (no backstop: nothing but
    a notification wakes it), or with `how` "polling" by looking at the stamps."""
    import threading

    from tui.store.notify import Notifier

    store = Store(data, device="reader", by="reader")
    watcher = store.watcher()
    seen: set[str] = set()
    woken = threading.Event()
    failed: list[str] = []
    if how == "notifications":
        notifier = Notifier(data, woken.set, failed.append, backstop=None)
        notifier.start()
        while not notifier.watching and not failed:
            time.sleep(0.01)
    print(f"ready {how if not failed else 'failed: ' + failed[0]}", flush=True)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if how == "notifications":
            if not woken.wait(0.1):
                continue  # only a notification makes it look
            woken.clear()
        else:
            time.sleep(0.25)
        if watcher.poll():
            for resident in store.residents():
                if resident.id not in seen:
                    seen.add(resident.id)
                    print(f"seen {resident.id}", flush=True)


def full_disk(data: Path) -> None:
    """Try to save while the OS refuses to grow any file past 1 KiB."""
    store = Store(data, device="full", by="full")
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
    resource.setrlimit(resource.RLIMIT_FSIZE, (1024, resource.RLIM_INFINITY))
    try:
        store.save(Resident(name="磁盘已满时录入", note="x" * 900))
    except StoreWriteError as err:
        result = {"error": err.reason, "visible": len(store.residents())}
    else:
        result = {"error": None, "visible": len(store.residents())}
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    from tests.store.windows_sim import install_from_env

    install_from_env()
    mode, folder, *rest = sys.argv[1:]
    os.umask(0o022)
    if mode == "writer":
        writer(Path(folder), int(rest[0]), rest[1])
    elif mode == "reader":
        reader(Path(folder), float(rest[0]))
    elif mode == "notified":
        notified(Path(folder), float(rest[0]), rest[1])
    elif mode == "intake":
        intake(Path(folder), int(rest[0]), rest[1])
    elif mode == "full":
        full_disk(Path(folder))


def die_at_replace(nth: int) -> None:
    """SIGKILL this process at its `nth` os.replace: a file fully written and
    fsynced but not yet in place."""
    real_replace, replaces = os.replace, [0]

    def dying_replace(src: str, dst: str) -> None:
        replaces[0] += 1
        if replaces[0] == nth:
            os.kill(os.getpid(), signal.SIGKILL)
        real_replace(src, dst)

    os.replace = dying_replace  # type: ignore[assignment]


def caller(data: Path, desk: int, count: int) -> None:
    """Call next `count` times at one desk, printing each called number."""
    from tui.services.queue_desk import QueueDesk

    queue = QueueDesk(Store(data, device=f"desk-{desk}", by=f"desk{desk}"), desk)
    print("ready", flush=True)
    for _ in range(count):
        ticket = queue.call_next()
        print(f"called {ticket.number if ticket else '-'}", flush=True)
        if ticket is not None:
            queue.act(ticket.id, "serve")
            queue.act(ticket.id, "done")


def actions(data: Path, count: int, tag: str, kill_at: str = "") -> None:
    """Whole desk actions, each one commit over several files, acked after it
    returned: an intake (new resident, visit, ticket), its triage (visit and
    case), the case replied and closed (open.json to the month's archive).
    With `kill_at` N, the process SIGKILLs itself at its Nth os.replace after
    start-up: a file fully written and fsynced but not yet in place."""
    from tui.domain.cases import Owner, advance, log_for_later
    from tui.domain.intake import IntakeForm, build_intake

    store = Store(data, device=f"desk-{tag}", by=tag)
    categories = {c.code: c for c in store.categories()}
    session = open_today(store)  # the tests open it first: no write here to count
    compound = store.compounds()[0]
    staff_id = store.staff()[0].id
    owner = Owner("staff", staff_id, staff_id)
    if kill_at:
        die_at_replace(int(kill_at))
    print("ready", flush=True)
    # Lines in turn: hundreds of rounds fill one day of one folder, and a
    # desk's numbers of one line that day are a few hundred (docs/QUEUE.md).
    lines = ("repair", "legal", "errand", "job_assist")
    for n in range(count):
        form = IntakeForm(
            name=f"{tag}-{n}",
            category=lines[n % len(lines)],
            compound=compound.id,
            address=f"{n % 9 + 1}-1-101",
        )
        built = build_intake(
            form,
            day=store.today(),
            session=session,
            now=store.now(),
            by=tag,
            categories=categories,
            compounds={compound.id: compound},
            existing=None,
        )
        saved = save_intake(store, built)
        assert saved.ticket is not None and saved.resident is not None
        print(f"ack intake {saved.visit.id} {saved.ticket.id} {saved.resident.id}", flush=True)
        visit, case = log_for_later(
            saved.visit, owner, store.today(), "phone", "", suggested="", now=store.now(), by=tag
        )
        visit, case_saved = save_triage(store, visit, case)
        assert case_saved is not None
        print(f"ack triage {visit.id} {case_saved.id}", flush=True)
        now = store.now()
        done = case_saved
        for action in ("assign", "resolve"):
            done = advance(done, action, now=now, by=tag, owner=owner, note="fixed")
        reply = {"channel": "phone", "satisfied": True}
        done = advance(done, "reply", now=now, by=tag, reply=reply)
        closed = store.save(advance(done, "close", now=now, by=tag))
        print(f"ack close {closed.id}", flush=True)


if __name__ == "__main__" and sys.argv[1] == "actions":
    actions(Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4], *sys.argv[5:])


if __name__ == "__main__" and sys.argv[1] == "caller":
    caller(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))


def migrate(data: Path, kill_at: str = "") -> None:
    """Open a folder of an older schema (it is migrated on opening) and say
    so. With `kill_at` N, SIGKILL itself at its Nth os.replace: a file fully
    written and fsynced but not yet in place (1 is the journal)."""
    if kill_at:
        die_at_replace(int(kill_at))
    print("ready", flush=True)
    store = Store(data, device="migrate", by="migrate")
    print(f"opened {store.version}", flush=True)


if __name__ == "__main__" and sys.argv[1] == "migrate":
    migrate(Path(sys.argv[2]), *sys.argv[3:])

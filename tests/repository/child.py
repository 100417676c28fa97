"""Another process working on the same place: it opens its own repository from
the place's implementation and address (conftest.Place), as a second desk or
laptop would.

    python -m tests.repository.child KIND ADDRESS put DEVICE JSON
        save the records (a JSON list of Record.to_dict() documents) in one
        commit, then print "saved"
    python -m tests.repository.child KIND ADDRESS caller DESK
        print "ready", wait for a line on stdin, then call the next ticket to
        DESK until no one waits, serving and finishing each; print
        "called NUMBER" for each ticket called, "end" at the end
"""

from __future__ import annotations

import json
import sys
import time

from tests.repository.conftest import Place
from tui.domain.records import record_from_dict
from tui.services.queue_desk import QueueDesk


def put(place: Place, device: str, docs: str) -> None:
    repo = place.open(device=device, by=device)
    repo.save_many([record_from_dict(doc) for doc in json.loads(docs)])
    print("saved", flush=True)


def caller(place: Place, desk: int) -> None:
    queue = QueueDesk(place.open(device=f"desk-{desk}", by=f"desk{desk}"), desk)
    print("ready", flush=True)
    sys.stdin.readline()  # go: both desks start calling at once
    while (called := queue.call_next()) is not None:
        print(f"called {called.number}", flush=True)
        queue.act(called.id, "serve")
        queue.act(called.id, "done")
        # A desk is a person: a moment passes before the next call. Without
        # it, one process re-takes the folder lock within microseconds of
        # letting it go and, on a loaded machine, the other desk polling for
        # it may find it taken every time until the queue is empty (seen in CI).
        time.sleep(0.01)
    print("end", flush=True)


def main(argv: list[str]) -> None:
    kind, address, mode, *rest = argv
    place = Place(kind, address)
    if mode == "put":
        put(place, rest[0], rest[1])
    elif mode == "caller":
        caller(place, int(rest[0]))
    else:
        raise SystemExit(f"unknown mode: {mode}")


if __name__ == "__main__":
    main(sys.argv[1:])

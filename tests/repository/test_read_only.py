"""A repository opened read-only reads everything and refuses every write
with StoreWriteError (store.write.read_only), changing nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.repository.conftest import Place
from tests.repository.support import DAY, EARLIER, by_id, case, changed, resident, visit
from tui.repository.errors import StoreWriteError
from tui.repository.interface import Repository

FORM = {"name": "王小明", "category": "repair", "flags": ["alone"]}


@pytest.fixture
def stored(repo: Repository) -> dict[str, object]:
    """Records, a draft and a setting kept by a writable handle; what it reads."""
    repo.save(resident("王小明"))
    repo.save_many([visit(DAY), case(EARLIER)])
    repo.save_draft(1, FORM)
    repo.save_setting("desk", 2)
    return everything(repo)


def everything(repo: Repository) -> dict[str, object]:
    return {
        "residents": by_id(repo.residents()),
        "visits": by_id(repo.visits(DAY)),
        "cases": by_id(repo.open_cases()),
        "days": repo.days(),
        "draft 1": repo.load_draft(1),
        "draft 2": repo.load_draft(2),
        "settings": repo.settings(),
    }


WRITES: dict[str, Callable[[Repository], object]] = {
    "save a new record": lambda ro: ro.save(resident("新来的")),
    "save a stored record": lambda ro: ro.save(changed(ro.residents()[0], note="改")),
    "save_many": lambda ro: ro.save_many([visit(DAY), resident("李娜")]),
    "save_all": lambda ro: ro.save_all([resident("李娜")]),
    "save_all unstamped": lambda ro: ro.save_all([resident("李娜")], stamp=False),
    "save_draft": lambda ro: ro.save_draft(1, {"name": "改了"}),
    "save_draft of another desk": lambda ro: ro.save_draft(2, {"name": "新"}),
    "clear_draft": lambda ro: ro.clear_draft(1),
    "save_setting": lambda ro: ro.save_setting("desk", 3),
    "forget a setting": lambda ro: ro.save_setting("desk", None),
    "write_reports": lambda ro: ro.write_reports(DAY, {"交接.txt": "交接".encode()}),
}


def put_in_a_transaction(ro: Repository) -> None:
    with ro.transaction() as tx:
        tx.put(visit(DAY))


WRITES["transaction"] = put_in_a_transaction


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_write_is_refused_and_changes_nothing(
    place: Place, stored: dict[str, object], write: Callable[[Repository], object]
) -> None:
    ro = place.open(read_only=True)
    assert ro.read_only
    with pytest.raises(StoreWriteError) as refused:
        write(ro)
    assert refused.value.code == "store.write.read_only"
    assert everything(ro) == everything(place.open()) == stored


def test_reads_work(place: Place, repo: Repository, stored: dict[str, object]) -> None:
    ro = place.open(read_only=True)
    assert everything(ro) == stored
    (someone,) = ro.residents()
    assert ro.resident(someone.id) == someone
    assert ro.today() == DAY
    # What the writer commits later is read too.
    later = repo.save(changed(someone, note="后来改的"))
    assert ro.resident(someone.id) == later
    assert ro.residents() == [later]

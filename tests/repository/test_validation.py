"""Every record put is validated: an invalid one raises ValidationFailed
(naming each failing field) and nothing of its unit of work is written. Every
error the repository and the services on it raise is a CodedError with a
message people can read."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.repository.conftest import Place
from tests.repository.support import (
    DAY,
    by_id,
    case,
    category,
    certification,
    changed,
    outing,
    resident,
    session,
    ticket,
    visit,
)
from tui.domain.catalogue import default_categories
from tui.domain.errors import CodedError, ValidationFailed
from tui.domain.intake import IntakeForm, build_intake
from tui.domain.records import Record
from tui.i18n import has, set_language
from tui.messages import describe_error
from tui.repository.errors import StoreConflict, StoreWriteError
from tui.repository.interface import Repository
from tui.services.intake import save_intake
from tui.services.queue_desk import QueueDesk

INVALID: dict[str, Callable[[], Record]] = {
    "resident without a name": lambda: resident(""),
    "resident with a phone that is no number": lambda: resident(phone="12345"),
    "resident born in 1066": lambda: resident(birth_year=1066),
    "visit on a day that does not exist": lambda: visit("2026-02-30"),
    "visit with an unknown flag": lambda: visit(flags=["vip"]),
    "ticket in no known state": lambda: changed(ticket(), status="lost"),
    "ticket with a malformed number": lambda: changed(ticket(), number="A1"),
    "session with no desks": lambda: changed(session(), desks=0),
    "case in no known state": lambda: changed(case(), status="forgotten"),
    "certification of quarter 5": lambda: changed(certification("r1"), quarter="2026Q5"),
    "outing outside its month": lambda: changed(outing("2026-11-25"), month="2026-12"),
    "category with letter Z": lambda: category(letter="Z"),
}


def everything(repo: Repository) -> dict[str, object]:
    return {
        "residents": by_id(repo.residents()),
        "visits": by_id(repo.visits(DAY)),
        "tickets": by_id(repo.tickets(DAY)),
        "sessions": by_id(repo.sessions(DAY)),
        "cases": by_id(repo.open_cases()),
        "categories": by_id(repo.categories()),
        "days": repo.days(),
    }


@pytest.fixture
def before(repo: Repository) -> dict[str, object]:
    repo.save(resident("王小明"))
    return everything(repo)


@pytest.mark.parametrize("make", INVALID.values(), ids=INVALID.keys())
def test_an_invalid_record_is_refused_and_nothing_written(
    repo: Repository, place: Place, before: dict[str, object], make: Callable[[], Record]
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        repo.save(make())
    assert refused.value.errors
    with pytest.raises(ValidationFailed):
        with repo.transaction() as tx:
            tx.put(visit(DAY))
            tx.put(make())
    with pytest.raises(ValidationFailed):
        repo.save_many([resident("李娜"), make()])
    with pytest.raises(ValidationFailed):
        repo.save_all([resident("李娜"), make()])
    assert everything(repo) == everything(place.open()) == before


def test_every_failing_field_is_named(repo: Repository) -> None:
    with pytest.raises(ValidationFailed) as refused:
        repo.save(resident("", phone="12345", gender="x"))
    assert {e.field for e in refused.value.errors} == {"name", "phone", "gender"}
    named = refused.value.for_field("name")
    assert named is not None and named.code == "field.required"


def test_a_change_to_a_stored_record_is_validated_too(
    repo: Repository, place: Place, before: dict[str, object]
) -> None:
    (stored,) = repo.residents()
    with pytest.raises(ValidationFailed):
        repo.save(changed(stored, name="   "))
    assert everything(place.open()) == before


# -- every error is a CodedError ------------------------------------------------------


def invalid_record(repo: Repository, place: Place) -> None:
    repo.save(resident(""))


def stale_copy(repo: Repository, place: Place) -> None:
    stored = repo.save(resident())
    repo.save(changed(stored, note="新"))
    repo.save(changed(stored, note="旧"))


def read_only_write(repo: Repository, place: Place) -> None:
    place.open(read_only=True).save(resident())


def ticket_without_a_session(repo: Repository, place: Place) -> None:
    repo.save_all(default_categories())
    form = IntakeForm(name="李娜", category="repair")
    categories = {c.code: c for c in repo.categories()}
    built = build_intake(
        form,
        day=DAY,
        session="",
        now=repo.now(),
        by="t",
        categories=categories,
        compounds={},
        existing=None,
    )
    save_intake(repo, built)


def queue_step_refused(repo: Repository, place: Place) -> None:
    waiting = repo.save(ticket())
    QueueDesk(repo, 1).act(waiting.id, "done")  # never called


FAILURES: dict[str, tuple[Callable[[Repository, Place], None], type[CodedError]]] = {
    "invalid record": (invalid_record, ValidationFailed),
    "stale copy": (stale_copy, StoreConflict),
    "write to a read-only repository": (read_only_write, StoreWriteError),
    "ticket without an open session": (ticket_without_a_session, CodedError),
    "queue step refused": (queue_step_refused, CodedError),
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("fail,kind", FAILURES.values(), ids=FAILURES.keys())
def test_every_error_is_a_coded_error_with_a_message(
    repo: Repository,
    place: Place,
    fail: Callable[[Repository, Place], None],
    kind: type[CodedError],
    lang: str,
) -> None:
    set_language(lang)
    with pytest.raises(CodedError) as caught:
        fail(repo, place)
    err = caught.value
    assert isinstance(err, kind)
    codes = [e.code for e in err.errors] if isinstance(err, ValidationFailed) else [err.code]
    assert all(has(code) for code in codes), codes
    said = describe_error(err)
    assert said and not any(code in said for code in codes), said

"""The use cases on a Repository (tui/services): an intake numbers its ticket
inside its transaction, and only while its session is open; two desk
processes calling the next ticket at once never call the same one; a triage
writes the visit, its case and a certification together."""

from __future__ import annotations

from typing import Any

import pytest

from tests.repository.conftest import Place
from tests.repository.support import (
    DAY,
    EARLIER,
    WAIT,
    by_id,
    changed,
    save_elsewhere,
    session,
    start_child,
)
from tui.domain.cases import Owner, handle_now, log_for_later
from tui.domain.catalogue import default_categories
from tui.domain.certification import certify, quarter_of
from tui.domain.errors import ValidationFailed
from tui.domain.intake import Intake, IntakeForm, build_intake
from tui.domain.queue import QueueError
from tui.domain.records import Case, Certification, ServiceSession, Visit
from tui.domain.sessions import close_session
from tui.repository.interface import Repository
from tui.services.intake import save_intake
from tui.services.triage import save_triage

ELDERLY = "elderly_subsidy"  # queue letter A
REPAIR = "repair"  # queue letter D


@pytest.fixture
def desk(repo: Repository) -> ServiceSession:
    """The default categories and today's open session."""
    repo.save_all(default_categories())
    return repo.save(session(DAY, "c1"))


def intake(
    repo: Repository, session_id: str, name: str, code: str = ELDERLY, **form: Any
) -> Intake:
    return build_intake(
        IntakeForm(name=name, category=code, **form),
        day=repo.today(),
        session=session_id,
        now=repo.now(),
        by=repo.by,
        categories={c.code: c for c in repo.categories()},
        compounds={c.id: c for c in repo.compounds()},
        existing=None,
    )


def numbers(repo: Repository, day: str = DAY) -> list[str]:
    return sorted(t.number for t in repo.tickets(day))


# -- intake -----------------------------------------------------------------------


def test_intakes_number_their_tickets_in_order(
    repo: Repository, place: Place, desk: ServiceSession
) -> None:
    first = save_intake(repo, intake(repo, desk.id, "王小明"))
    second = save_intake(repo, intake(repo, desk.id, "李娜"))
    other_line = save_intake(repo, intake(repo, desk.id, "张三", REPAIR))
    desk2 = place.open(device="desk-2", by="二号台")  # another desk on the same records
    third = save_intake(desk2, intake(desk2, desk.id, "赵六"))
    assert [i.ticket.number if i.ticket else "" for i in (first, second, other_line, third)] == [
        "A001",
        "A002",
        "D001",
        "A003",
    ]
    fresh = place.open()
    assert numbers(fresh) == ["A001", "A002", "A003", "D001"]
    for saved in (first, second, other_line, third):
        assert saved.ticket is not None and saved.resident is not None
        assert saved.visit.ticket == saved.ticket.id and saved.ticket.visit == saved.visit.id
        assert saved.visit.resident == saved.resident.id
        assert fresh.resident(saved.resident.id) == saved.resident
    assert by_id(fresh.visits(DAY)) == by_id(i.visit for i in (first, second, other_line, third))


def test_an_intake_served_at_once_gets_no_ticket(repo: Repository, desk: ServiceSession) -> None:
    saved = save_intake(repo, intake(repo, desk.id, "王小明", mode="now"))
    assert saved.ticket is None
    assert repo.visits(DAY) == [saved.visit] and repo.tickets(DAY) == []


def refused_without_an_open_session(repo: Repository, built: Intake) -> None:
    before = {"visits": repo.visits(DAY), "tickets": repo.tickets(DAY), "people": repo.residents()}
    with pytest.raises(QueueError) as refused:
        save_intake(repo, built)
    assert refused.value.code == "queue.no_session"
    after = {"visits": repo.visits(DAY), "tickets": repo.tickets(DAY), "people": repo.residents()}
    assert after == before  # nothing of the intake: no visit, no ticket, no resident


def test_no_ticket_without_a_session(repo: Repository) -> None:
    repo.save_all(default_categories())
    refused_without_an_open_session(repo, intake(repo, "", "王小明"))
    assert numbers(repo) == [] and repo.visits(DAY) == []


def test_no_ticket_in_a_closed_session_or_another_days(
    repo: Repository, desk: ServiceSession
) -> None:
    forgotten = repo.save(session(EARLIER, "c1"))  # left open on an earlier day
    refused_without_an_open_session(repo, intake(repo, forgotten.id, "王小明"))
    save_intake(repo, intake(repo, desk.id, "李娜"))
    repo.save(close_session(desk, 0, now=repo.now()))
    refused_without_an_open_session(repo, intake(repo, desk.id, "张三"))
    assert numbers(repo) == ["A001"]


def test_no_ticket_once_another_process_closed_the_session(
    repo: Repository, place: Place, desk: ServiceSession
) -> None:
    save_intake(repo, intake(repo, desk.id, "王小明"))
    form = intake(repo, desk.id, "李娜")  # typed while the session was open ...
    save_elsewhere(place, [close_session(desk, 0, now=repo.now())])  # ... closed at desk 2
    refused_without_an_open_session(repo, form)
    assert numbers(place.open()) == ["A001"]


# -- two desks calling at once ----------------------------------------------------


def test_two_desk_processes_calling_at_once_never_call_one_ticket(
    repo: Repository, place: Place, desk: ServiceSession
) -> None:
    codes = [ELDERLY, REPAIR, "legal", ELDERLY, "other"]
    for n in range(40):
        flags = ["aged80"] if n % 7 == 0 else []
        save_intake(repo, intake(repo, desk.id, f"居民{n}", codes[n % len(codes)], flags=flags))
    issued = numbers(repo)
    assert len(issued) == 40
    callers = {n: start_child(place, "caller", str(n)) for n in (1, 2)}
    try:
        for proc in callers.values():
            assert proc.stdout is not None and proc.stdin is not None
            line = proc.stdout.readline()
            assert line.strip() == "ready", proc.stderr.read() if proc.stderr else line
        for proc in callers.values():
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        outputs = {}
        for n, proc in callers.items():
            assert proc.stdout is not None and proc.stderr is not None
            outputs[n] = proc.stdout.read().splitlines()
            proc.wait(timeout=120)
            assert proc.returncode == 0, proc.stderr.read()
    finally:
        for proc in callers.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=WAIT)
    called = {
        n: [line.split()[1] for line in out if line.startswith("called ")]
        for n, out in outputs.items()
    }
    assert all(out[-1] == "end" for out in outputs.values())
    every = called[1] + called[2]
    assert len(every) == len(set(every)) == 40, f"called twice: {sorted(every)}"
    assert sorted(every) == issued
    assert called[1] and called[2]  # both desks really called
    tickets = by_id(place.open().tickets(DAY))
    assert all(t.status == "done" for t in tickets.values())
    at = {t.number: t.desk for t in tickets.values()}
    assert all(at[number] == n for n, mine in called.items() for number in mine)
    # Every step of each ticket was kept: nobody's change overwrote another's.
    assert all(
        [h["action"] for h in t.history][-3:] == ["call", "serve", "done"] for t in tickets.values()
    )


# -- triage -----------------------------------------------------------------------


def logged_for_later(
    repo: Repository, desk: ServiceSession
) -> tuple[Intake, Visit, Case, Certification]:
    saved = save_intake(repo, intake(repo, desk.id, "王奶奶", ELDERLY, flags=["aged80"]))
    assert saved.resident is not None
    owner = Owner("staff", "staff-1", "staff-1")
    visit, case = log_for_later(
        saved.visit,
        owner,
        "2026-12-02",
        "phone",
        "先核实",
        suggested="now",
        now=repo.now(),
        by=repo.by,
        override_reason="需要上门核实",
    )
    done = repo.certifications(quarter_of(DAY))
    certification = certify(
        saved.resident, done, day=DAY, method="desk", session=desk.id, visit=visit.id
    )
    return saved, visit, case, certification


def test_a_triage_writes_visit_case_and_certification_together(
    repo: Repository, place: Place, desk: ServiceSession
) -> None:
    saved, visit, case, certification = logged_for_later(repo, desk)
    stored_visit, stored_case = save_triage(repo, visit, case, certification)
    assert stored_case is not None
    fresh = place.open()
    assert fresh.visits(DAY) == [stored_visit]
    assert (stored_visit.triage, stored_visit.status, stored_visit.case) == (
        "later",
        "logged",
        stored_case.id,
    )
    assert stored_visit.rev == saved.visit.rev + 1
    assert fresh.open_cases() == [stored_case]
    (certified,) = fresh.certifications(quarter_of(DAY))
    assert (certified.resident, certified.visit, certified.session, certified.rev) == (
        saved.resident.id if saved.resident else "",
        stored_visit.id,
        desk.id,
        1,
    )


def test_a_triage_that_fails_writes_none_of_it(
    repo: Repository, place: Place, desk: ServiceSession
) -> None:
    saved, visit, case, certification = logged_for_later(repo, desk)
    wrong = changed(certification, method="by_post")
    with pytest.raises(ValidationFailed):
        save_triage(repo, visit, case, wrong)
    fresh = place.open()
    assert fresh.visits(DAY) == [saved.visit]
    assert fresh.open_cases() == [] and fresh.certifications(quarter_of(DAY)) == []


def test_a_visit_handled_at_once_has_no_case(
    repo: Repository, place: Place, desk: ServiceSession
) -> None:
    saved = save_intake(repo, intake(repo, desk.id, "李娜", "other"))
    handled = handle_now(saved.visit, "当场办结", suggested="now")
    stored_visit, stored_case = save_triage(repo, handled, None)
    assert stored_case is None
    assert place.open().visits(DAY) == [stored_visit]
    assert stored_visit.status == "handled" and place.open().open_cases() == []


def test_a_session_closed_today_is_reopened_not_doubled(repo: Repository) -> None:
    """One session a compound a day, the rule the merge folds laptops'
    sessions by: opening again where today's closed is reopens it."""
    from tui.services.sessions import AGAIN, open_today

    first = open_today(repo, "c1", ["李娜"], 1)
    assert first is not None
    repo.save(close_session(first, 0, now=repo.now()))
    again = open_today(repo, "c1", ["王芳"], 2)
    assert again is not None and again.id == first.id
    assert again.status == "open" and again.reopen_reasons[-1].endswith(AGAIN)
    assert (again.staff, again.desks) == (["李娜", "王芳"], 2)
    assert [s.id for s in repo.sessions(repo.today())] == [first.id]
    repo.save(close_session(again, 0, now=repo.now()))
    elsewhere = open_today(repo, "c2", [], 1)  # another compound: a session of its own
    assert elsewhere is not None and elsewhere.id != first.id
    assert len(repo.sessions(repo.today())) == 2

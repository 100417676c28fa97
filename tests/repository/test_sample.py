"""The sample community (what `fielddesk demo` opens) read through the
interface: every query agrees with the others, and the records can be changed."""

from __future__ import annotations

from tests.repository.conftest import Place
from tests.repository.support import DAY, EARLIER, by_id, changed
from tui.domain.certification import quarter_of
from tui.domain.records import Resident
from tui.repository.interface import Repository


def born_by(resident: Resident, year: int) -> bool:
    born = resident.birth_date[:4]
    return (
        bool(resident.birth_year and resident.birth_year <= year)
        or (born.isdigit() and int(born) <= year)
        or "aged80" in resident.flags
    )


def test_the_registry(sample_repo: Repository) -> None:
    found = sample_repo.community()
    assert found is not None and found.name
    compounds = sample_repo.compounds()
    assert compounds and [c.name for c in compounds] == sorted(c.name for c in compounds)
    assert all(sample_repo.compound_name(c.id) == c.name for c in compounds)
    categories = sample_repo.categories()
    assert categories and [c.order for c in categories] == sorted(c.order for c in categories)
    assert sample_repo.staff() and sample_repo.parties()
    assert sample_repo.where()


def test_residents_one_by_one_and_the_elderly(sample_repo: Repository) -> None:
    everyone = by_id(sample_repo.residents())
    assert len(everyone) > 100
    assert all(sample_repo.resident(i) == r for i, r in list(everyone.items())[::10])
    compounds = {c.id for c in sample_repo.compounds()}
    assert {r.compound for r in everyone.values()} <= compounds | {""}
    for year in (1930, 1946, 1960):
        expected = {i for i, r in everyone.items() if born_by(r, year)}
        assert {r.id for r in sample_repo.elderly(year)} == expected


def test_session_days(sample_repo: Repository) -> None:
    days = sample_repo.days()
    assert EARLIER in days and days == sorted(days)
    for day in days:
        held = sample_repo.sessions(day) + sample_repo.visits(day) + sample_repo.tickets(day)
        assert held and all(r.day == day for r in held)
    last = sample_repo.last_session()
    latest = [d for d in days if sample_repo.sessions(d)][-1]
    assert last is not None and last.day == latest
    assert last.opened_at == max(s.opened_at for s in sample_repo.sessions(latest))
    recent = sample_repo.recent_sessions()
    assert last in recent and [s.day for s in recent] == sorted(s.day for s in recent)
    visits = sample_repo.visits(EARLIER)
    assert visits and by_id(sample_repo.visits_since(EARLIER)) == by_id(
        v for d in days if d >= EARLIER for v in sample_repo.visits(d)
    )
    assert by_id(sample_repo.visits_before(DAY, 7)) == by_id(visits)


def test_cases_and_certifications(sample_repo: Repository) -> None:
    open_cases = sample_repo.open_cases()
    assert open_cases and all(c.status != "closed" for c in open_cases)
    months = sample_repo.archive_months()
    assert months and months == sorted(months, reverse=True)
    for month in months:
        closed = sample_repo.closed_cases(month)
        assert closed and all(c.status == "closed" and c.day[:7] == month for c in closed)
    quarter = quarter_of(DAY)
    done = sample_repo.certifications(quarter)
    everyone = by_id(sample_repo.residents())
    assert done and all(c.quarter == quarter and c.resident in everyone for c in done)
    assert sample_repo.requests()


def test_the_sample_can_be_changed(sample_repo: Repository, sample_place: Place) -> None:
    someone = sample_repo.residents()[0]
    saved = sample_repo.save(changed(someone, note="样例里改的"))
    assert saved.rev == someone.rev + 1
    assert sample_place.open().resident(someone.id) == saved
    logged = sample_repo.open_cases()[0]
    noted = sample_repo.save(changed(logged, note="跟进中"))
    assert by_id(sample_place.open().open_cases())[logged.id] == noted

"""Each kind of record saved and read back by the query that serves it, and
read again through a second handle (nothing cached): through the Repository
interface only."""

from __future__ import annotations

from datetime import date

from tests.repository.conftest import Place
from tests.repository.support import (
    DAY,
    EARLIER,
    by_id,
    case,
    category,
    certification,
    changed,
    closed,
    community,
    compound,
    ids,
    outing,
    party,
    request,
    resident,
    session,
    staff,
    ticket,
    visit,
)
from tui.domain.sessions import close_session
from tui.repository.interface import Repository


def test_a_new_place_is_empty(repo: Repository) -> None:
    assert repo.community() is None
    assert repo.compounds() == repo.staff() == repo.parties() == repo.categories() == []
    assert repo.residents() == repo.requests() == repo.open_cases() == []
    assert repo.days() == repo.archive_months() == []
    assert repo.open_session() is None and repo.last_session() is None
    assert repo.sessions(DAY) == repo.visits(DAY) == repo.tickets(DAY) == []
    assert repo.closed_cases("2026-11") == repo.certifications("2026Q4") == []
    assert repo.outings("2026-11") == repo.elderly(2000) == []
    assert repo.today() == DAY and repo.now().date() == date(2026, 11, 27)


def test_community(repo: Repository, place: Place) -> None:
    saved = repo.save(community())
    assert repo.community() == saved
    assert place.open().community() == saved


def test_compounds_by_name_and_compound_name(repo: Repository, place: Place) -> None:
    saved = [repo.save(compound(name)) for name in ("Gamma", "Alpha", "Beta")]
    assert [c.name for c in repo.compounds()] == ["Alpha", "Beta", "Gamma"]
    assert by_id(place.open().compounds()) == by_id(saved)
    gamma = saved[0]
    assert repo.compound_name(gamma.id) == "Gamma"
    assert repo.compound_name("no-such-compound") == ""
    assert repo.compound_name("no-such-compound", "?") == "?"


def test_staff_and_outside_parties(repo: Repository, place: Place) -> None:
    people = repo.save_many([staff("张网格"), staff("李书记", role="secretary")])
    firms = repo.save_many([party("阳光物业"), party("平安保险")])
    fresh = place.open()
    assert by_id(repo.staff()) == by_id(fresh.staff()) == by_id(people)
    assert by_id(repo.parties()) == by_id(fresh.parties()) == by_id(firms)


def test_categories_in_their_order(repo: Repository, place: Place) -> None:
    saved = repo.save_many(
        [category("noise", "D", 3), category("repair", "D", 1), category("legal", "E", 2)]
    )
    assert [c.code for c in repo.categories()] == ["repair", "legal", "noise"]
    assert place.open().categories() == repo.categories()
    assert by_id(repo.categories()) == by_id(saved)


def test_residents_and_one_resident(repo: Repository, place: Place) -> None:
    home = repo.save(compound())
    first = repo.save(resident("王小明", home.id, phone="13800138000", birth_year=1950))
    second = repo.save(resident("李娜", home.id, flags=["alone"], note="独居"))
    assert by_id(repo.residents()) == by_id(place.open().residents()) == by_id([first, second])
    assert repo.resident(first.id) == first
    assert place.open().resident(second.id) == second
    assert repo.resident("no-such-resident") is None
    assert first.phone == "+8613800138000"  # stored as validated: E.164


def test_requests(repo: Repository, place: Place) -> None:
    saved = repo.save_many([request("c1", "请律师来"), request("c2", "带表格")])
    assert by_id(repo.requests()) == by_id(place.open().requests()) == by_id(saved)


def test_sessions_by_day_and_todays_open_one(repo: Repository, place: Place) -> None:
    morning = repo.save(session(DAY, "c1", opened="09:00"))
    afternoon = repo.save(session(DAY, "c2", opened="13:00"))
    late = repo.save(session(DAY, "c3", opened="15:00"))
    late = repo.save(close_session(late, 0, now=repo.now()))
    forgotten = repo.save(session(EARLIER, "c1"))  # left open on an earlier day
    assert by_id(repo.sessions(DAY)) == by_id([morning, afternoon, late])
    assert repo.sessions(EARLIER) == [forgotten]
    assert repo.sessions("2026-11-26") == []
    # Today's open session: the latest opened still open; an earlier day's never.
    assert repo.open_session() == afternoon
    assert place.open().open_session() == afternoon
    # The last session held: the latest opened on the latest day, open or not.
    assert repo.last_session() == late


def test_no_open_session_when_todays_are_closed(repo: Repository) -> None:
    repo.save(session(EARLIER, "c1"))
    today = repo.save(session(DAY, "c1"))
    repo.save(close_session(today, 0, now=repo.now()))
    assert repo.open_session() is None


def test_recent_sessions_oldest_first(repo: Repository) -> None:
    oldest = repo.save(session("2026-11-18", "c1"))
    earlier = repo.save(session(EARLIER, "c2"))
    today = repo.save(session(DAY, "c3"))
    assert repo.recent_sessions() == [oldest, earlier, today]
    assert repo.recent_sessions(2) == [earlier, today]


def test_last_session_is_on_the_latest_day(repo: Repository) -> None:
    repo.save(session("2026-11-18", "c1", opened="16:00"))
    latest = repo.save(session(EARLIER, "c2", opened="08:00"))
    assert repo.last_session() == latest


def test_visits_by_day_since_and_before(repo: Repository, place: Place) -> None:
    saved = {
        day: repo.save(visit(day, f"居民{n}"))
        for n, day in enumerate(["2026-11-10", EARLIER, "2026-11-26", DAY])
    }
    assert repo.visits(EARLIER) == [saved[EARLIER]]
    assert place.open().visits(DAY) == [saved[DAY]]
    assert repo.visits("2026-11-25") == []
    since = repo.visits_since(EARLIER)
    assert by_id(since) == by_id([saved[EARLIER], saved["2026-11-26"], saved[DAY]])
    # The 7 calendar days before today: 11-20 up to 11-26, not today.
    before = repo.visits_before(DAY, 7)
    assert by_id(before) == by_id([saved[EARLIER], saved["2026-11-26"]])
    assert repo.visits_before(DAY, 1) == [saved["2026-11-26"]]


def test_tickets_by_day(repo: Repository, place: Place) -> None:
    today = repo.save_many([ticket(DAY, "A", 1), ticket(DAY, "D", 1), ticket(DAY, "A", 2)])
    earlier = repo.save(ticket(EARLIER, "A", 1))
    assert by_id(repo.tickets(DAY)) == by_id(place.open().tickets(DAY)) == by_id(today)
    assert repo.tickets(EARLIER) == [earlier]
    assert sorted(t.number for t in repo.tickets(DAY)) == ["A001", "A002", "D001"]


def test_days_hold_sessions_visits_or_tickets_oldest_first(repo: Repository) -> None:
    repo.save(ticket(DAY))
    repo.save(visit(EARLIER))
    repo.save(session("2026-11-18", "c1"))
    repo.save(case("2026-11-05"))  # a case's day is its visit's: not a session day
    repo.save(certification("r1", "2026-11-04"))
    assert repo.days() == ["2026-11-18", EARLIER, DAY]


def test_open_and_closed_cases(repo: Repository, place: Place) -> None:
    logged = repo.save(case(EARLIER, "暖气不热"))
    done = repo.save(closed(case("2026-10-15", "楼道灯坏了")))
    older = repo.save(closed(case("2026-09-01", "噪音")))
    assert repo.open_cases() == [logged]
    assert repo.closed_cases("2026-10") == [done]
    assert place.open().closed_cases("2026-09") == [older]
    assert repo.closed_cases("2026-11") == []
    assert repo.archive_months() == ["2026-10", "2026-09"]  # newest first


def test_certifications_by_quarter(repo: Repository, place: Place) -> None:
    first = repo.save(resident("高龄甲", birth_year=1940))
    second = repo.save(resident("高龄乙", birth_year=1941))
    now = repo.save_many([certification(first.id, DAY), certification(second.id, "2026-10-09")])
    before = repo.save(certification(first.id, "2026-08-03"))
    assert by_id(repo.certifications("2026Q4")) == by_id(now)
    assert place.open().certifications("2026Q3") == [before]
    assert repo.certifications("2026Q2") == []


def test_outings_of_a_month_by_day(repo: Repository, place: Place) -> None:
    late = repo.save(outing("2026-11-25", "c1"))
    early = repo.save(outing("2026-11-03", "c2"))
    december = repo.save(outing("2026-12-01", "c1"))
    assert repo.outings("2026-11") == [early, late]
    assert place.open().outings("2026-12") == [december]
    assert repo.outings("2027-01") == []


def test_elderly_are_the_residents_born_by_or_flagged(repo: Repository) -> None:
    by_year = repo.save(resident("甲", "c1", birth_year=1940))
    by_date = repo.save(resident("乙", "c2", birth_date="1945-12-31"))
    flagged = repo.save(resident("丙", "c1", birth_year=1960, flags=["aged80"]))
    repo.save(resident("丁", "c1", birth_year=1946))
    repo.save(resident("戊", "c2", birth_date="1990-01-01"))
    repo.save(resident("己", "c2"))  # born when, nobody knows
    found = by_id(repo.elderly(1945))
    assert set(found) == ids([by_year, by_date, flagged])
    # Light records: enough to count who is due, by compound.
    for full in (by_year, by_date, flagged):
        light = found[full.id]
        assert (light.compound, light.birth_year, light.flags) == (
            full.compound,
            full.birth_year,
            full.flags,
        )
        assert light.birth_date == full.birth_date


def test_a_record_changed_is_read_back_changed(repo: Repository, place: Place) -> None:
    first = repo.save(resident("王小明", note="第一次"))
    second = repo.save(changed(first, note="第二次", flags=["mobility"]))
    assert repo.residents() == [second]
    assert place.open().resident(first.id) == second

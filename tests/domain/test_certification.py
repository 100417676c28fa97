"""The quarterly certification round, without the UI."""

from __future__ import annotations

import pytest

from tui.domain.certification import (
    CertError,
    age_on,
    certify,
    days_left,
    home_visit_list,
    is_eligible,
    quarter_days,
    quarter_of,
    remaining,
    round_for,
)
from tui.domain.records import Certification, Resident


def person(name: str = "王芳", **fields: object) -> Resident:
    defaults: dict[str, object] = {"compound": "c1", "building": "3", "unit": "2", "room": "501"}
    defaults.update(fields)
    return Resident(name=name, **defaults)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        ("2026-01-01", "2026Q1"),
        ("2026-03-31", "2026Q1"),
        ("2026-04-01", "2026Q2"),
        ("2026-06-30", "2026Q2"),
        ("2026-07-01", "2026Q3"),
        ("2026-09-30", "2026Q3"),
        ("2026-10-01", "2026Q4"),
        ("2026-12-31", "2026Q4"),
    ],
)
def test_quarter_boundaries(day: str, quarter: str) -> None:
    assert quarter_of(day) == quarter
    first, last = quarter_days(quarter)
    assert first <= day <= last


def test_quarter_days_and_days_left() -> None:
    assert quarter_days("2026Q1") == ("2026-01-01", "2026-03-31")
    assert quarter_days("2024Q1") == ("2024-01-01", "2024-03-31")
    assert quarter_days("2026Q4") == ("2026-10-01", "2026-12-31")
    assert days_left("2026Q4", "2026-12-31") == 1
    assert days_left("2026Q4", "2026-11-27") == 35
    for bad in ("2026Q5", "2026Q0", "2026-Q1", "26Q1", ""):
        with pytest.raises(CertError) as err:
            quarter_days(bad)
        assert err.value.code == "cert.bad_quarter"


def test_age_by_birth_date_then_by_year() -> None:
    born = person(birth_date="1946-12-31", birth_year=1946)
    assert age_on(born, "2026-12-30") == 79
    assert age_on(born, "2026-12-31") == 80
    assert age_on(person(birth_year=1946), "2026-01-01") == 80  # reached that year
    assert age_on(person(), "2026-01-01") is None


def test_eligible_at_80_on_the_quarters_last_day_or_when_flagged() -> None:
    turns_80_in_december = person(birth_date="1946-12-31", birth_year=1946)
    assert is_eligible(turns_80_in_december, "2026Q4")
    assert not is_eligible(turns_80_in_december, "2026Q3")
    assert is_eligible(person(birth_year=1946), "2026Q1")
    assert not is_eligible(person(birth_year=1947), "2026Q4")
    assert is_eligible(person(flags=["aged80"]), "2026Q4")  # flagged by staff, no birth known
    assert not is_eligible(person(), "2026Q4")


def test_certify_once_a_quarter() -> None:
    resident = person(birth_year=1930)
    first = certify(resident, [], day="2026-11-20", method="desk", session="s1", visit="v1")
    assert (first.quarter, first.method, first.session, first.visit) == (
        "2026Q4",
        "desk",
        "s1",
        "v1",
    )
    first = Certification.from_dict({**first.to_dict(), "by": "李娜"})
    with pytest.raises(CertError) as err:
        certify(resident, [first], day="2026-12-01", method="home_visit")
    assert (err.value.code, err.value.params) == (
        "cert.already",
        {"name": "王芳", "day": "2026-11-20", "by": "李娜"},
    )
    # Next quarter, again.
    assert certify(resident, [first], day="2027-01-05", method="home_visit").quarter == "2027Q1"
    with pytest.raises(CertError) as err:
        certify(person(birth_year=1990), [], day="2026-11-20", method="desk")
    assert err.value.code == "cert.not_eligible"
    with pytest.raises(CertError):
        certify(resident, [], day="2026-11-20", method="phone")


def test_round_and_home_visit_list() -> None:
    certified = person("甲", birth_year=1940, building="1")
    mobile_90 = person("乙", birth_year=1934, building="2", room="101")  # 92: home visit
    mobility = person("丙", birth_year=1944, building="2", room="102", flags=["mobility"])
    plain = person("丁", birth_year=1945, building="10")  # 81, can come to the desk
    young = person("戊", birth_year=1980)
    elsewhere = person("己", birth_year=1930, compound="c2", building="7")
    done = [certify(certified, [], day="2026-10-12", method="desk")]
    old = Certification(resident=plain.id, quarter="2026Q3", day="2026-08-01")  # last quarter
    rounds = round_for(
        [certified, mobile_90, mobility, plain, young, elsewhere], [*done, old], "2026Q4"
    )
    by_compound = {r.compound: r for r in rounds}
    assert set(by_compound) == {"c1", "c2"}
    c1 = by_compound["c1"]
    assert (c1.eligible, c1.certified, c1.remaining) == (4, 1, 3)
    assert [e.resident.name for e in c1.entries] == ["甲", "乙", "丙", "丁"]  # by building, room
    assert remaining(rounds) == 4
    visits = home_visit_list(rounds)
    assert [(v.compound, v.building, [e.resident.name for e in v.entries]) for v in visits] == [
        ("c1", "2", ["乙", "丙"]),
        ("c2", "7", ["己"]),
    ]


def test_a_withdrawn_certification_no_longer_counts() -> None:
    from datetime import datetime, timedelta, timezone

    from tui.domain.certification import withdraw

    now = datetime(2026, 11, 27, 16, 0, tzinfo=timezone(timedelta(hours=8)))
    resident = person(birth_year=1930)
    mistaken = certify(resident, [], day="2026-11-27", method="desk")
    with pytest.raises(CertError) as err:
        withdraw(mistaken, "  ", now=now)
    assert err.value.code == "cert.withdraw_reason"
    withdrawn = withdraw(mistaken, "按错了人", now=now)
    assert (withdrawn.withdrawn_at, withdrawn.withdrawn_reason) == (
        "2026-11-27T16:00:00+08:00",
        "按错了人",
    )
    with pytest.raises(CertError):
        withdraw(withdrawn, "again", now=now)
    (compound,) = round_for([resident], [withdrawn], "2026Q4")
    assert (compound.certified, compound.remaining) == (0, 1)
    # The resident can be certified again, and then counts once.
    again = certify(resident, [withdrawn], day="2026-11-28", method="home_visit")
    (compound,) = round_for([resident], [withdrawn, again], "2026Q4")
    assert compound.certified == 1 and compound.entries[0].certified == again

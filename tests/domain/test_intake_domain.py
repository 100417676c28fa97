"""Intake rules without the UI: addresses, look-up, categories, building records."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tui.domain.address import format_address, parse_address
from tui.domain.catalogue import default_categories
from tui.domain.category_match import match_categories
from tui.domain.errors import ValidationFailed
from tui.domain.intake import IntakeForm, build_intake, recurring_visits
from tui.domain.lookup import Candidate, PersonIndex, candidates
from tui.domain.pinyin import keys
from tui.domain.queue import MAX_SEQ, QueueFull, is_priority, next_seq, ticket_number
from tui.domain.records import Compound, Resident, Ticket, Visit

NOW = datetime(2026, 11, 27, 14, 30, tzinfo=timezone(timedelta(hours=8)))
CATEGORIES = {c.code: c for c in default_categories()}


@pytest.mark.parametrize(
    ("typed", "parts"),
    [
        ("3-2-501", ("3", "2", "501")),
        ("3/2/501", ("3", "2", "501")),
        ("3 2 501", ("3", "2", "501")),
        ("３－２－５０１", ("3", "2", "501")),
        ("3号楼2单元501", ("3", "2", "501")),
        ("3栋2单元501室", ("3", "2", "501")),
        ("3号楼", ("3", "", "")),
        ("501室", ("", "", "501")),
        ("", ("", "", "")),
    ],
)
def test_address_forms(typed: str, parts: tuple[str, str, str]) -> None:
    assert parse_address(typed) == parts


def test_unreadable_address_is_refused() -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_address("1-2-3-4")
    assert caught.value.errors[0].code == "address.format"
    assert format_address("3", "2", "501") == "3-2-501"
    assert format_address("3", "", "") == "3"


def test_pinyin_keys() -> None:
    assert keys("王建国") == (("wangjianguo", "wjg"),)
    assert keys("曾国强") == (("cengguoqiang", "cgq"), ("zengguoqiang", "zgq"))
    assert keys("Amy 2") == (("amy2", "amy2"),)  # Latin letters are their own initials


def person(name: str, phone: str = "", compound: str = "c1", pid: str = "") -> Candidate:
    return Candidate(pid or name, name, compound, "1", "1", "101", phone, (), pid or name)


def test_lookup_by_name_pinyin_initials_and_phone() -> None:
    index = PersonIndex(
        [
            person("王建国", "+8613800001234"),
            person("王建华", "+8613900005678"),
            person("汪洋", compound="c2"),
            person("李娜", "+8617700001299"),
        ]
    )
    assert [c.name for c in index.search("王建")] == ["王建华", "王建国"]
    assert [c.name for c in index.search("wjg")] == ["王建国"]
    assert [c.name for c in index.search("wangjian")] == ["王建华", "王建国"]
    assert [c.name for c in index.search("1234")] == ["王建国"]
    assert [c.name for c in index.search("12")] == ["李娜", "王建国"]  # ties by name
    assert [c.name for c in index.search("１２３４")] == ["王建国"]  # full-width digits
    assert index.search("zzz") == [] and index.search("  ") == []
    # This compound first among equals, exact name before prefix matches.
    assert [c.name for c in index.search("w", compound="c2")][0] == "汪洋"
    assert index.search("王建国")[0].name == "王建国"


def test_lookup_index_add_without_rebuild() -> None:
    index = PersonIndex([person("王建国")])
    index.add(person("赵敏", "+8613800009999", pid="r2"))
    assert [c.key for c in index.search("zm")] == ["r2"]
    assert [c.key for c in index.search("9999")] == ["r2"]
    index.add(person("赵敏", "+8613800008888", pid="r2"))  # phone changed
    assert index.get("r2") is not None and index.get("r2").phone.endswith("8888")  # type: ignore[union-attr]
    assert [c.key for c in index.search("8888")] == ["r2"]


def test_candidates_include_unregistered_walk_ins() -> None:
    resident = Resident(name="王建国", phone="+8613800001234")
    visits = [
        Visit(day="2026-10-01", name="王建国", resident=resident.id),
        Visit(day="2026-10-02", name="过路人", phone="+8613900000000"),
        Visit(day="2026-11-02", name="过路人", phone="+8613900000000"),
    ]
    found = {c.name: c for c in candidates([resident], visits)}
    assert found["王建国"].last_seen == "2026-10-01"
    assert found["过路人"].resident == "" and found["过路人"].last_seen == "2026-11-02"


def test_category_matching() -> None:
    categories = default_categories()
    assert match_categories("8", categories)[0].code == "repair"
    assert [c.code for c in match_categories("1", categories)] == [
        "elderly_subsidy",
        "sanitation",
        "pets",
        "legal",
        "dispute",
        "other",
    ]
    assert [c.code for c in match_categories("14", categories)] == ["other"]
    assert [c.code for c in match_categories("下水", categories)] == ["repair"]
    assert [c.code for c in match_categories("xiashui", categories)] == ["repair"]
    assert "repair" in [c.code for c in match_categories("wx", categories)]
    assert [c.code for c in match_categories("noise", categories)] == ["noise"]
    assert len(match_categories("", categories)) == 14


def build(form: IntakeForm, existing: Resident | None = None):  # type: ignore[no-untyped-def]
    return build_intake(
        form,
        day="2026-11-27",
        session="s1",
        now=NOW,
        by="李娜",
        categories=CATEGORIES,
        compounds={"c1": Compound(id="c1", name="新宁花苑")},
        existing=existing,
    )


def test_new_resident_intake_builds_visit_ticket_and_registry_entry() -> None:
    made = build(
        IntakeForm(
            name=" 王建国 ",
            phone="138 0000 1234",
            compound="c1",
            address="3-2-501",
            category="repair",
            description="下水道堵塞\r\n",
            flags=["aged80", "priority"],
        )
    )
    assert made.resident is not None and made.resident.flags == ["aged80"]
    assert made.visit.resident == made.resident.id
    assert (made.visit.name, made.visit.phone, made.visit.room) == (
        "王建国",
        "+8613800001234",
        "501",
    )
    assert made.visit.description == "下水道堵塞" and made.visit.triage_suggested == "later"
    assert made.ticket is not None and made.ticket.letter == "D" and made.ticket.priority
    assert made.visit.ticket == made.ticket.id and made.ticket.visit == made.visit.id
    assert made.ticket.history == [
        {
            "at": "2026-11-27T14:30:00+08:00",
            "status": "waiting",
            "desk": 0,
            "by": "李娜",
            "action": "issue",
        }
    ]


def test_returning_resident_unchanged_is_not_rewritten() -> None:
    existing = Resident(
        name="王建国",
        compound="c1",
        building="3",
        unit="2",
        room="501",
        phone="+8613800001234",
        flags=["aged80"],
    )
    same = build(
        IntakeForm(
            name="王建国",
            phone="13800001234",
            compound="c1",
            address="3-2-501",
            category="noise",
            flags=["aged80"],
            resident=existing.id,
        ),
        existing,
    )
    assert same.resident is None and same.visit.resident == existing.id
    moved = build(
        IntakeForm(
            name="王建国",
            compound="c1",
            address="4-1-101",
            category="noise",
            flags=[],
            mode="now",
            resident=existing.id,
        ),
        existing,
    )
    assert moved.resident is not None and moved.resident.building == "4"
    assert moved.resident.phone == existing.phone  # an empty field never erases
    assert moved.ticket is None and moved.visit.mode == "now"


def test_every_failing_field_is_named() -> None:
    with pytest.raises(ValidationFailed) as caught:
        build(
            IntakeForm(
                name="",
                phone="abc",
                compound="nope",
                address="1-2-3-4",
                category="spaceship",
                description="x" * 2001,
            )
        )
    assert {(e.field, e.code) for e in caught.value.errors} == {
        ("name", "field.required"),
        ("phone", "phone.not_a_number"),
        ("compound", "compound.unknown"),
        ("address", "address.format"),
        ("category", "category.unknown"),
        ("description", "field.too_long"),
    }


def test_draft_round_trip_and_typed_anything() -> None:
    form = IntakeForm(name="王", flags=["alone"], compound="c1")
    assert IntakeForm.from_dict(form.to_dict()) == form
    assert IntakeForm.from_dict({**form.to_dict(), "unknown": 1}) == form
    assert not IntakeForm(compound="c1").typed_anything("c1")
    assert IntakeForm(compound="c2").typed_anything("c1")
    assert form.typed_anything("c1")


def test_recurring_visits_window() -> None:
    visits = [
        Visit(day=d, name="x", compound="c1", category="repair")
        for d in ("2026-08-28", "2026-08-29", "2026-11-20")
    ]
    visits.append(Visit(day="2026-11-21", name="y", compound="c2", category="repair"))
    found = recurring_visits(visits, "c1", "repair", "2026-11-27")
    assert [v.day for v in found] == ["2026-11-20", "2026-08-29"]
    assert recurring_visits(visits, "", "repair", "2026-11-27") == []


def test_ticket_numbers() -> None:
    tickets = [
        Ticket(day="d", number="D001", letter="D", seq=1),
        Ticket(day="d", number="A004", letter="A", seq=4),
    ]
    assert next_seq(tickets, "D") == 2 and next_seq(tickets, "B") == 1
    assert ticket_number("D", 7) == "D007"
    with pytest.raises(QueueFull):
        next_seq([Ticket(day="d", number="A999", letter="A", seq=MAX_SEQ)], "A")
    assert is_priority(["mobility"]) and not is_priority(["alone"])

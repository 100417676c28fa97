"""The community's lists as forms fill them in: checks, links, retiring."""

from __future__ import annotations

import pytest

from tui.domain.category_match import match_compounds
from tui.domain.community import (
    blank,
    from_form,
    linked_compounds,
    linked_staff,
    set_active,
    setup_step,
    short_name,
)
from tui.domain.errors import ValidationFailed
from tui.domain.records import Category, Community, Compound, OutsideParty, StaffMember


def codes(err: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, str]:
    return {e.field: e.code for e in err.value.errors}


def test_a_compound_from_its_form() -> None:
    compound = from_form(
        blank("compound"),
        {"name": " 新宁路11号院 ", "households": "１８６", "address": "新宁路11号"},
    )
    assert isinstance(compound, Compound)
    assert (compound.name, compound.households, compound.short) == ("新宁路11号院", 186, "xnl11hy")
    assert from_form(blank("compound"), {"name": "a", "households": "200户"}).households == 200
    assert short_name("丽景花园") == "ljhy"


def test_every_field_at_fault_is_named_at_once() -> None:
    taken = Compound(name="新宁花苑")
    with pytest.raises(ValidationFailed) as err:
        from_form(blank("compound"), {"name": "新宁 花苑", "households": "many"}, [taken])
    assert codes(err) == {"households": "field.not_a_number", "name": "community.name_taken"}
    with pytest.raises(ValidationFailed) as err:
        from_form(blank("staff"), {"name": "", "phone": "abc", "role": "boss"})
    assert set(codes(err)) == {"name", "phone", "role"}
    with pytest.raises(ValidationFailed) as err:
        from_form(blank("compound"), {"name": "x", "households": "100001"})
    assert codes(err) == {"households": "field.out_of_range"}


def test_editing_an_item_keeps_its_own_name() -> None:
    mine = Compound(name="新宁花苑")
    edited = from_form(mine, {"name": "新宁花苑", "address": "新宁路31号"}, [mine])
    assert (edited.id, edited.address) == (mine.id, "新宁路31号")


def test_a_new_category_gets_a_code_of_its_own() -> None:
    others = [Category(code="repair", name_zh="维修", name_en="Repair")]
    made = from_form(
        blank("category"),
        {"name_zh": "电梯维修", "name_en": "Repair", "letter": "D", "triage": "later"},
        others,
    )
    assert isinstance(made, Category)
    assert (made.code, made.letter, made.owner_rule) == ("repair_2", "D", "grid_worker")
    only_zh = from_form(blank("category"), {"name_zh": "电梯", "name_en": ""})
    assert isinstance(only_zh, Category) and only_zh.name_en == "电梯"
    with pytest.raises(ValidationFailed) as err:
        from_form(blank("category"), {"name_zh": "x", "name_en": "y", "letter": "G"})
    assert codes(err) == {"letter": "field.not_one_of"}


def test_a_grid_worker_and_the_compounds_point_at_each_other() -> None:
    worker = StaffMember(name="王芳", role="grid_worker")
    compound = Compound(name="新宁花苑", grid_worker=worker.id)
    (updated,) = linked_staff(compound, [worker])
    assert updated.compounds == [compound.id]
    assert linked_staff(compound, [updated]) == []  # already so
    free = Compound(name="丽景花园")
    covering = StaffMember(name="李娜", role="grid_worker", compounds=[free.id, compound.id])
    (given,) = linked_compounds(covering, [free, compound])
    assert (given.id, given.grid_worker) == (free.id, covering.id)  # the other keeps its own
    assert linked_compounds(StaffMember(name="x", compounds=[free.id]), [free]) == []


def test_retiring_changes_only_active() -> None:
    party = OutsideParty(name="安和物业", type="property")
    retired = set_active(party, False)
    assert (retired.id, retired.name, retired.active) == (party.id, party.name, False)
    assert set_active(retired, True) == party


def test_what_a_folder_needs_before_a_session() -> None:
    assert setup_step(None, []) == "profile"
    assert setup_step(Community(name="新宁社区"), []) == "lists"
    assert setup_step(None, [Compound(name="a")]) == ""  # an older folder: ready


def test_a_compound_is_found_by_its_short_name() -> None:
    named = Compound(name="新宁路11号院", short="XN11")
    other = Compound(name="丽景花园")
    assert match_compounds("xn1", [named, other]) == [named]
    assert match_compounds("ljhy", [named, other]) == [other]

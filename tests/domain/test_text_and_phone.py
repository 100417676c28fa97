from __future__ import annotations

import pytest

from tests.conftest import HOSTILE
from tui.domain.errors import ValidationFailed
from tui.domain.phone import PhoneError, display_phone, mask_phone, normalise_phone
from tui.domain.records import Resident, Visit
from tui.domain.text import clean_text
from tui.domain.validate import DESCRIPTION_MAX, NAME_MAX, validate


def test_control_characters_are_stripped_and_text_kept() -> None:
    assert clean_text("\x1b[31m红色\x1b[0m") == "[31m红色[0m"
    assert clean_text("\x1b]0;window title\x07") == "]0;window title"
    assert clean_text("nul\x00byte") == "nulbyte"
    assert clean_text("\u202eevil.txt") == "evil.txt"
    assert clean_text("\ufeffbom") == "bom"


def test_single_line_folds_breaks_multiline_keeps_them() -> None:
    assert clean_text("第一行\n第二行") == "第一行 第二行"
    assert clean_text("第一行\r\n第二行\r第三行", multiline=True) == "第一行\n第二行\n第三行"
    assert clean_text("tab\there") == "tab here"


@pytest.mark.parametrize(
    "text",
    [
        "[bold red]x[/bold red]",
        "[/]",
        "[@click=app.quit]退出[/]",
        "ＡＢＣ１２３\u3000全角",
        "e\u0301 combining",
        "😀👨\u200d👩\u200d👧\u200d👦🇨🇳",
        "zero\u200bwidth",
        "null",
        "'; DROP TABLE residents; --",
        "%s %d {0} ${HOME} $(reboot)",
        "C:\\path\\to\\file",
    ],
)
def test_markup_and_unusual_text_is_kept_exactly(text: str) -> None:
    assert clean_text(text) == text


@pytest.mark.parametrize("raw", HOSTILE["strings"])
def test_every_hostile_string_in_a_multiline_field(raw: str) -> None:
    visit = Visit(day="2026-11-27", name="王小明", description=raw)
    expected = clean_text(raw, multiline=True)
    if len(expected) > DESCRIPTION_MAX:
        with pytest.raises(ValidationFailed) as caught:
            validate(visit)
        error = caught.value.for_field("description")
        assert error is not None and error.code == "field.too_long"
        assert error.params == {"max": DESCRIPTION_MAX, "length": len(expected)}
    else:
        assert validate(visit).description == expected


@pytest.mark.parametrize("raw", HOSTILE["strings"])
def test_every_hostile_string_as_a_name(raw: str) -> None:
    expected = clean_text(raw)
    resident = Resident(name=raw)
    if not expected:
        with pytest.raises(ValidationFailed) as caught:
            validate(resident)
        assert caught.value.errors[0].code == "field.required"
    elif len(expected) > NAME_MAX:
        with pytest.raises(ValidationFailed) as caught:
            validate(resident)
        assert caught.value.errors[0].code == "field.too_long"
    else:
        assert validate(resident).name == expected


@pytest.mark.parametrize("raw", HOSTILE["phones_valid"])
def test_valid_phones_normalise(raw: str) -> None:
    number = normalise_phone(raw)
    assert number.startswith("+86")
    assert normalise_phone(display_phone(number)) == number


def test_phone_forms() -> None:
    assert normalise_phone("138 0013 8000") == "+8613800138000"
    assert normalise_phone("１３８００１３８０００") == "+8613800138000"  # full-width digits
    assert normalise_phone("(0971) 6123456") == "+869716123456"
    assert display_phone("+8613800138000") == "138 0013 8000"
    assert mask_phone("+8613800138000") == "138****8000"


@pytest.mark.parametrize("raw", HOSTILE["phones_invalid"])
def test_invalid_phones_are_refused_with_a_reason(raw: str) -> None:
    with pytest.raises(PhoneError) as caught:
        normalise_phone(raw)
    assert caught.value.code in {"phone.invalid", "phone.not_a_number", "phone.too_long"}
    with pytest.raises(ValidationFailed) as failed:
        validate(Resident(name="王小明", phone=raw))
    assert failed.value.for_field("phone") is not None


def test_all_failing_fields_are_reported_at_once() -> None:
    with pytest.raises(ValidationFailed) as caught:
        validate(Visit(day="2026-11-27", name="  ", phone="电话", description="下" * 3000))
    assert {e.field for e in caught.value.errors} == {"name", "phone", "description"}


def test_phone_checks_come_without_geodata() -> None:
    """phonenumberslite: the same parsing and checks, not the 48 MB of
    place names and carriers the app never shows."""
    import importlib.metadata
    import importlib.util

    assert importlib.metadata.distribution("phonenumberslite")
    assert importlib.util.find_spec("phonenumbers.geodata") is None

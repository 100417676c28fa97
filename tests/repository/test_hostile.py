"""Every string of the hostile inputs (tests/data/hostile_inputs.json, the
list the UI tests use) stored as a resident's name and as a case's text reads
back identical to what was saved: the text as validation cleaned it (control
characters dropped, outer space trimmed; tui.domain.text.clean_text), so a
string with nothing to clean reads back exactly as typed. One too long for
the field, or empty where a name is required, is refused and nothing written."""

from __future__ import annotations

import pytest

from tests.conftest import HOSTILE
from tests.repository.conftest import Place
from tests.repository.support import EARLIER, case, resident
from tui.domain.errors import ValidationFailed
from tui.domain.text import clean_text
from tui.domain.validate import NAME_MAX, NOTE_MAX
from tui.repository.interface import Repository

STRINGS = [str(s) for s in HOSTILE["strings"]]


def test_the_list_is_the_one_the_ui_tests_use() -> None:
    assert len(STRINGS) >= 20 and "[/]" in STRINGS and "nul\x00byte" in STRINGS


@pytest.mark.parametrize("raw", STRINGS, ids=[f"hostile{n}" for n in range(len(STRINGS))])
def test_a_residents_name(repo: Repository, place: Place, raw: str) -> None:
    expected = clean_text(raw)
    if not expected or len(expected) > NAME_MAX:
        with pytest.raises(ValidationFailed):
            repo.save(resident(raw))
        assert place.open().residents() == []
        return
    saved = repo.save(resident(raw))
    assert saved.name == expected
    fresh = place.open()
    assert fresh.residents() == [saved]
    back = fresh.resident(saved.id)
    assert back is not None and back.name == expected
    if raw == expected:
        assert back.name == raw


@pytest.mark.parametrize("raw", STRINGS, ids=[f"hostile{n}" for n in range(len(STRINGS))])
def test_a_cases_text(repo: Repository, place: Place, raw: str) -> None:
    expected = clean_text(raw, multiline=True)
    record = case(EARLIER, summary=raw, note=raw)
    if len(expected) > NOTE_MAX:  # too long for a note (an empty text is allowed)
        with pytest.raises(ValidationFailed):
            repo.save(record)
        assert place.open().open_cases() == []
        return
    saved = repo.save(record)
    assert saved.summary == saved.note == expected
    (back,) = place.open().open_cases()
    assert back == saved
    assert back.summary == back.note == expected
    if raw == expected:
        assert back.summary == raw

"""The intake form as typed, kept per desk (load_draft/save_draft/clear_draft),
and this laptop's settings (settings/save_setting): what is kept reads back."""

from __future__ import annotations

from tests.conftest import HOSTILE
from tests.repository.conftest import Place
from tests.repository.support import DAY, resident
from tui.repository.interface import Repository

FORM = {
    "name": "王小明",
    "compound": "c1",
    "address": "3-2-101",
    "phone": "138 0013 8000",
    "category": "repair",
    "description": "下水道堵塞\n第二行",
    "flags": ["aged80", "priority"],
    "mode": "queue",
    "resident": "",
}


def test_a_draft_reads_back_per_desk(repo: Repository, place: Place) -> None:
    assert repo.load_draft(1) is None
    repo.save_draft(1, FORM)
    assert repo.load_draft(1) == FORM
    assert place.open().load_draft(1) == FORM
    assert repo.load_draft(2) is None
    repo.save_draft(2, {"name": "二号台"})
    repo.save_draft(1, {**FORM, "name": "王大明"})  # typed on
    fresh = place.open()
    assert fresh.load_draft(1) == {**FORM, "name": "王大明"}
    assert fresh.load_draft(2) == {"name": "二号台"}


def test_a_cleared_draft_is_gone_and_only_that_desks(repo: Repository, place: Place) -> None:
    repo.save_draft(1, FORM)
    repo.save_draft(2, {"name": "二号台"})
    repo.clear_draft(1)
    assert repo.load_draft(1) is None
    assert place.open().load_draft(1) is None
    assert place.open().load_draft(2) == {"name": "二号台"}
    repo.clear_draft(1)  # nothing there: nothing to do
    repo.clear_draft(9)


def test_a_draft_is_kept_as_typed_even_hostile(repo: Repository, place: Place) -> None:
    """A draft is what was typed, not yet validated: every character is kept."""
    texts = [str(s) for s in HOSTILE["strings"]]
    form = {"name": texts, "description": "".join(texts), "phone": HOSTILE["phones_invalid"]}
    repo.save_draft(3, form)
    assert place.open().load_draft(3) == form


def test_drafts_are_no_records(repo: Repository) -> None:
    repo.save_draft(1, FORM)
    assert repo.residents() == [] and repo.visits(DAY) == [] and repo.days() == []
    stored = repo.save(resident())
    repo.clear_draft(1)
    assert repo.residents() == [stored]


def test_settings_read_back(repo: Repository, place: Place) -> None:
    assert repo.settings() == {}
    repo.save_setting("desk", 2)
    repo.save_setting("staff", "王小明")
    repo.save_setting("lang", "zh")
    repo.save_setting("theme", "light")
    kept = {"desk": 2, "staff": "王小明", "lang": "zh", "theme": "light"}
    assert repo.settings() == kept
    assert place.open().settings() == kept
    repo.save_setting("theme", "contrast")
    repo.save_setting("desk", None)  # forgotten
    assert place.open().settings() == {"staff": "王小明", "lang": "zh", "theme": "contrast"}


def test_settings_are_no_records(repo: Repository) -> None:
    repo.save_setting("desk", 3)
    assert repo.residents() == [] and repo.days() == [] and repo.community() is None

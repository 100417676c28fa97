"""Issue 15's two laptops (A and B) that worked the same day at the same
compound, both imported into a third folder: one session, one resident per
person, the case's notes from both, and `fielddesk check` says what is left
to look at (two tickets with one number when both laptops kept desk 1, the
conflict to settle) instead of 0 problems."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from tests.conftest import issue_forms
from tests.laptops import laptop, open_at
from tui.domain.intake import IntakeForm
from tui.store.check import check_folder
from tui.store.exchange import collect, import_docs
from tui.store.repository import Store


def two_laptops_one_day(
    tmp_path: Path, clock: Callable[[], datetime], desks: tuple[int, int]
) -> Path:
    a = laptop(tmp_path, "a", clock, desk=desks[0])
    b = laptop(tmp_path, "b", clock, desk=desks[1])
    for store, name in ((a, "甲"), (b, "乙")):
        open_at(store, 0)
        issue_forms(store, [IntakeForm(name=f"{name}一", category="repair")])
        issue_forms(store, [IntakeForm(name="林晓梅", phone="13912345678", category="legal")])
    case = sorted(a.open_cases(), key=lambda c: c.id)[0]
    for store, due, note in (
        (a, "2026-12-02", "called the property company"),
        (b, "2026-12-09", "resident came back"),
    ):
        mine = next(c for c in store.open_cases() if c.id == case.id)
        entry = {"at": "2026-11-27T15:40:00+08:00", "by": store.by, "action": "note", "note": note}
        store.save(dataclasses.replace(mine, due=due, timeline=[*mine.timeline, entry]))
    office = Store(tmp_path / "office", device="office", clock=clock)
    for store in (a, b):
        import_docs(office, [d for docs in collect(store).values() for d in docs])
    return office.root


def test_two_laptops_imported_make_one_session_and_one_resident(
    tmp_path: Path, clock: Callable[[], datetime]
) -> None:
    folder = two_laptops_one_day(tmp_path, clock, (1, 2))
    office = Store(folder, read_only=True, clock=clock)
    today = office.today()
    assert len(office.sessions(today)) == 1
    (session,) = office.sessions(today)
    assert {v.session for v in office.visits(today)} == {session.id}
    assert [r.name for r in office.residents()].count("林晓梅") == 1
    numbers = [t.number for t in office.tickets(today)]
    assert len(numbers) == len(set(numbers)) == 4  # desk 2 numbers from 100
    report = check_folder(folder)
    assert report.problems == []
    notes = [(n.code, n.detail) for n in report.notes if n.code == "check.open_conflict"]
    assert len(notes) == 1 and notes[0][1].endswith(": due")


def test_check_names_two_tickets_with_one_number_when_both_kept_desk_1(
    tmp_path: Path, clock: Callable[[], datetime]
) -> None:
    folder = two_laptops_one_day(tmp_path, clock, (1, 1))
    found = [(p.code, p.detail) for p in check_folder(folder).problems]
    codes = sorted(code for code, _ in found)
    assert codes == ["check.duplicate_ticket", "check.duplicate_ticket"]
    assert {detail.split(" ")[0] for _, detail in found} == {"D001", "E001"}


def test_check_names_two_sessions_at_one_compound_and_a_dangling_redirect(
    tmp_path: Path, clock: Callable[[], datetime]
) -> None:
    a = laptop(tmp_path, "a", clock)
    open_at(a, 0)
    (session,) = a.sessions(a.today())
    twin = dataclasses.replace(session, id="twin-session", rev=0)
    a.save_all([twin], stamp=True)
    redirect = {"id": "gone-resident", "kind": "resident", "redirect": "nobody"}
    # Written as another program (or a hand edit) would: a redirect to no one.
    (a.root / "redirects.json").write_text(json.dumps({"resident": {"1": redirect}}), "utf-8")
    found = sorted((p.code, p.detail) for p in check_folder(a.root).problems)
    assert ("check.dangling", "gone-resident: redirect") in found
    assert any(code == "check.duplicate_session" for code, _ in found)

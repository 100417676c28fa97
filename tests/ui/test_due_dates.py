"""Due dates are read by one parser wherever they are typed (triage, the case's
`e` dialog): 12-03 and +3 are understood, an impossible day is refused with
the reason and nothing is written. The `e` dialog shows its labels and will
not keep "reply by phone" without a number."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from tests.ui.conftest import AppFactory, screen_text, show_case, shown, wait_for_screen
from tests.ui.test_cases_screens import fresh
from tests.ui.test_intake import open_intake, today_visits
from tui.screens.case_contact import CaseContactScreen
from tui.screens.case_detail import CaseScreen
from tui.screens.triage import TriageScreen


async def triage_with_due(app: object, pilot: object, due: str) -> TriageScreen:
    """A serve-now intake of a drain repair (logged for later), due as typed."""
    screen = await open_intake(app, pilot)  # type: ignore[arg-type]
    await pilot.press(*"Zed", "tab", *"13800138000", "tab", *"新宁路11", "enter", "tab")  # type: ignore[attr-defined]
    await pilot.press("8", "enter", *"drain")  # type: ignore[attr-defined]
    screen.query_one("#mode").focus()
    await pilot.press("2", "ctrl+s")  # type: ignore[attr-defined]
    await wait_for_screen(pilot, TriageScreen)  # type: ignore[arg-type]
    triage = app.screen  # type: ignore[attr-defined]
    triage.query_one("#due", Input).value = due
    await pilot.press("ctrl+s")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    return triage


@pytest.mark.parametrize(("typed", "saved"), [("12-03", "2026-12-03"), ("+1", "2026-11-30")])
async def test_triage_reads_a_short_due_date(
    app_on: AppFactory, sample_dir: Path, typed: str, saved: str
) -> None:
    app = app_on(sample_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await triage_with_due(app, pilot, typed)
        assert not isinstance(app.screen, TriageScreen)
    (visit,) = today_visits(sample_dir)
    (case,) = [c for c in fresh(sample_dir).open_cases() if c.visit == visit["id"]]
    assert case.due == saved


@pytest.mark.parametrize("typed", ["2026-13-01", "2026-12-32"])
async def test_triage_refuses_a_day_that_does_not_exist(
    app_on: AppFactory, sample_dir: Path, typed: str
) -> None:
    app = app_on(sample_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        triage = await triage_with_due(app, pilot, typed)
        assert app.screen is triage
        assert shown(triage.query_one("#triage-error", Static)) == f"There is no such day: {typed}"
    (visit,) = today_visits(sample_dir)
    assert visit["status"] != "logged" and visit["case"] == ""
    assert not [c for c in fresh(sample_dir).open_cases() if c.visit == visit["id"]]


async def test_the_e_dialog_has_labels_and_needs_a_phone_to_reply_by_phone(
    app_on: AppFactory, sample_dir: Path
) -> None:
    store = fresh(sample_dir)
    case = next(c for c in store.open_cases() if c.reply_via == "phone" and c.phone)
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await show_case(pilot, case)
        await pilot.press("e")
        await wait_for_screen(pilot, CaseContactScreen)
        dialog = app.screen
        text = screen_text(app)
        for label in ("Due", "Phone", "Tell by"):
            assert label in text, label
        assert dialog.focused is dialog.query_one("#contact-due")  # from the top
        dialog.query_one("#contact-due", Input).value = "12-24"
        dialog.query_one("#contact-phone", Input).value = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        assert "needs a phone number" in shown(dialog.query_one("#contact-error", Static))
        assert dialog.focused is dialog.query_one("#contact-phone")
        assert dialog.query_one("#contact-due", Input).value == "12-24"  # nothing lost
        await pilot.press(*"13912345678", "ctrl+s")
        await wait_for_screen(pilot, CaseScreen)
    saved = next(c for c in fresh(sample_dir).open_cases() if c.id == case.id)
    assert (saved.due, saved.phone) == ("2026-12-24", "+8613912345678")

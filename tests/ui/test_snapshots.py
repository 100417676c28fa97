"""How each screen looks, at the sizes staff use. `make snapshots` accepts changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.conftest import residents_file
from tests.ui.conftest import AppFactory, until, wait_for_screen
from tui.screens.recovery import RecoveryScreen
from tui.store.backup import take_daily_backup


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_home(snap_compare, app_on: AppFactory, sample_dir: Path, lang: str, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_on(sample_dir, lang=lang), terminal_size=size)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_help(snap_compare, app_on: AppFactory, sample_dir: Path, lang: str) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_on(sample_dir, lang=lang), press=["f1"], terminal_size=(80, 24))


def test_recovery(snap_compare, app_on: AppFactory, sample_dir: Path) -> None:  # type: ignore[no-untyped-def]
    take_daily_backup(sample_dir, "2026-11-26")
    residents_file(sample_dir).write_text("{broken")

    async def settle(pilot: Pilot[None]) -> None:
        await wait_for_screen(pilot, RecoveryScreen)
        # The moved-aside name carries the wall-clock time; hide it from the picture.
        message = pilot.app.screen.query_one("#recovery-message")
        message.update(message.visual.plain.split(".corrupt-")[0] + ".corrupt-…")  # type: ignore[attr-defined]

    assert snap_compare(app_on(sample_dir, lang="zh"), terminal_size=(80, 24), run_before=settle)


async def _intake(pilot: Pilot[None], *, filled: bool, data: Path) -> None:
    from tests.ui.test_intake import a_resident, open_intake

    screen = await open_intake(pilot.app, pilot)  # type: ignore[arg-type]
    for widget in screen.query("Input, TextArea"):
        widget.cursor_blink = False  # type: ignore[attr-defined]
    if filled:
        person = a_resident(data)
        await pilot.press(*person["name"], "enter", "8", "enter", *"楼道灯坏了，晚上看不清台阶")
    await pilot.pause()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("filled", [False, True], ids=["empty", "filled"])
def test_intake(
    snap_compare,
    app_on: AppFactory,
    sample_dir: Path,
    lang: str,
    size,  # type: ignore[no-untyped-def]
    filled: bool,
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await _intake(pilot, filled=filled, data=sample_dir)

    assert snap_compare(app_on(sample_dir, lang=lang), terminal_size=size, run_before=run_before)


async def _board_up(pilot: Pilot[None]) -> None:
    """The display's board showing _queue_day's two desks."""
    await until(
        pilot,
        lambda: len(pilot.app.screen.query(".desk-number")) == 2,
        what="the numbers called to desks 1 and 2 on the board",
    )


def _queue_day(data: Path) -> None:
    """Today: five tickets issued, two called to desks 1 and 2, one done."""
    from tests.conftest import TODAY, issue_forms
    from tui.domain.calendar import fixed_clock
    from tui.domain.intake import IntakeForm
    from tui.services.queue_desk import QueueDesk
    from tui.store.repository import Store

    store = Store(data, device="desk", by="李娜", clock=fixed_clock(TODAY))
    people = (
        ("王建国", "elderly_subsidy", ["aged80"]),
        ("李娜", "repair", []),
        ("张伟", "elderly_subsidy", []),
        ("赵敏", "legal", []),
        ("欧阳小明", "repair", []),
    )
    issue_forms(
        store, [IntakeForm(name=n, category=c, flags=f, phone="13800001234") for n, c, f in people]
    )
    first = QueueDesk(store, 1)
    done = first.call_next()
    assert done is not None
    first.act(done.id, "serve")
    first.act(done.id, "done")
    first.call_next()
    QueueDesk(store, 2).call_next()


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_display(snap_compare, sample_dir: Path, size, lang: str) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import TODAY
    from tui.display_app import make_display
    from tui.domain.calendar import fixed_clock

    _queue_day(sample_dir)

    app = make_display(sample_dir, lang=lang, names=size == (160, 48), clock=fixed_clock(TODAY))
    assert snap_compare(app, terminal_size=size, run_before=_board_up)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_queue_screen(snap_compare, app_on: AppFactory, sample_dir: Path, lang: str) -> None:  # type: ignore[no-untyped-def]
    _queue_day(sample_dir)
    assert snap_compare(app_on(sample_dir, lang=lang), press=["f3"], terminal_size=(80, 24))


def test_display_high_contrast(snap_compare, sample_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import TODAY
    from tui.display_app import make_display
    from tui.domain.calendar import fixed_clock

    _queue_day(sample_dir)

    app = make_display(sample_dir, lang="zh", contrast=True, clock=fixed_clock(TODAY))
    assert snap_compare(app, terminal_size=(80, 24), run_before=_board_up)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cases_screen(snap_compare, app_on: AppFactory, sample_dir: Path, lang: str) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_on(sample_dir, lang=lang), press=["f4"], terminal_size=(80, 24))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_triage_dialog(snap_compare, app_on: AppFactory, sample_dir: Path, lang: str) -> None:  # type: ignore[no-untyped-def]
    from tui.screens.triage import TriageScreen

    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        store = app.store  # type: ignore[attr-defined]
        visit = next(v for v in store.visits("2026-11-20") if v.status == "open")
        await app.push_screen(TriageScreen(store, visit, store.by))
        await pilot.pause()
        for widget in app.screen.query("Input"):
            widget.cursor_blink = False  # type: ignore[attr-defined]

    assert snap_compare(
        app_on(sample_dir, lang=lang), terminal_size=(80, 24), run_before=run_before
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_review_screen(snap_compare, app_on: AppFactory, sample_dir: Path, lang: str) -> None:  # type: ignore[no-untyped-def]
    from tui.screens.review import ReviewScreen

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("f5")
        await wait_for_screen(pilot, ReviewScreen)

    assert snap_compare(
        app_on(sample_dir, lang=lang), terminal_size=(80, 24), run_before=run_before
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_session_dialog(snap_compare, app_on: AppFactory, sample_dir: Path, lang: str) -> None:  # type: ignore[no-untyped-def]
    from tui.screens.session_open import SessionOpenScreen

    async def run_before(pilot: Pilot[None]) -> None:
        await wait_for_screen(pilot, SessionOpenScreen)
        for widget in pilot.app.screen.query("Input"):
            widget.cursor_blink = False  # type: ignore[attr-defined]

    app = app_on(sample_dir, lang=lang, ask_session=True)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_certification_round(snap_compare, app_on: AppFactory, sample_dir: Path, lang: str) -> None:  # type: ignore[no-untyped-def]
    from tui.screens.certification import CertificationScreen

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("f6")
        await wait_for_screen(pilot, CertificationScreen)

    assert snap_compare(
        app_on(sample_dir, lang=lang), terminal_size=(80, 24), run_before=run_before
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_community_screen(snap_compare, app_on: AppFactory, sample_dir: Path, lang: str) -> None:  # type: ignore[no-untyped-def]
    from tui.screens.community import CommunityScreen

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("f7")
        await wait_for_screen(pilot, CommunityScreen)

    assert snap_compare(
        app_on(sample_dir, lang=lang), terminal_size=(80, 24), run_before=run_before
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_compound_form(snap_compare, app_on: AppFactory, sample_dir: Path, lang: str) -> None:  # type: ignore[no-untyped-def]
    from tui.screens.community import CommunityScreen
    from tui.screens.registry_form import RegistryFormScreen

    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("f7")
        await wait_for_screen(pilot, CommunityScreen)
        await pilot.press("enter")
        await wait_for_screen(pilot, RegistryFormScreen)

    assert snap_compare(
        app_on(sample_dir, lang=lang), terminal_size=(80, 24), run_before=run_before
    )

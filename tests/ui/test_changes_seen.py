"""Another desk's saves reach this desk as typed change events: a screen in
view shows them, a hidden one catches up only when it is shown again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.ui.conftest import (
    AppFactory,
    changes_seen,
    open_screen,
    recording,
    run_elsewhere,
    screen_text,
    shown,
)
from tui.repository import Kind
from tui.screens.certification import CertificationScreen
from tui.screens.intake import IntakeScreen


async def open_f6(pilot: Any) -> CertificationScreen:
    f6 = await open_screen(pilot, "f6")
    assert isinstance(f6, CertificationScreen)
    return f6


def showings(f6: CertificationScreen, *methods: str) -> list[object]:
    """Each time F6 shows rounds worked out again, through the named methods."""
    seen: list[object] = []
    for name in methods:
        show = getattr(f6, name)
        setattr(f6, name, lambda found, show=show: (seen.append(found), show(found)))
    return seen


def turning_80(compound: str, birth: str) -> str:
    """Code for run_elsewhere: `person`, someone of the compound not 80 yet,
    now born on `birth`."""
    return (
        "import dataclasses\n"
        f"person = next(r for r in store.residents(compound={compound!r})\n"
        "              if r.birth_year and r.birth_year > 1960 and 'aged80' not in r.flags)\n"
        f"person = dataclasses.replace(person, birth_year={int(birth[:4])}, birth_date={birth!r})\n"
    )


async def test_a_hidden_screen_catches_up_when_shown(app_on: AppFactory, sample_dir: Path) -> None:
    app = recording(app_on(sample_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        f6 = await open_f6(pilot)
        rounds = showings(f6, "_show_rounds", "_show_compounds")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CertificationScreen)
        certified_before = sum(r.certified for r in f6.rounds)
        run_elsewhere(
            sample_dir,
            "from tui.domain.certification import certify\n"
            "from tui.report.certification import round_of\n"
            "rounds = round_of(store, '2026Q4')\n"
            "entry = next(e for r in rounds for e in r.entries if not e.certified)\n"
            "store.save(certify(entry.resident, [], day='2026-11-27', method='desk'))\n",
        )
        (change,) = await changes_seen(app, pilot, 1)
        assert change.kinds == {Kind.CERTIFICATION} and not change.mine
        assert rounds == []  # hidden: nothing read
        await pilot.press("f6")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(rounds) == 1  # shown: caught up once
        assert sum(r.certified for r in f6.rounds) == certified_before + 1


async def test_the_intake_finds_someone_another_desk_registered(
    app_on: AppFactory, sample_dir: Path
) -> None:
    app = recording(app_on(sample_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, IntakeScreen)
        run_elsewhere(
            sample_dir,
            "from tui.domain.records import Resident\n"
            "compound = store.compounds()[0].id\n"
            "store.save(Resident(name='欧阳春燕', compound=compound, phone='+8613912345678'))\n",
        )
        (change,) = await changes_seen(app, pilot, 1)
        assert Kind.RESIDENT in change.kinds
        await pilot.press(*"欧阳")
        await pilot.pause()
        box = screen.query_one("#name-suggestions")
        assert box.display
        labels = [str(box.get_option_at_index(i).prompt) for i in range(box.option_count)]  # type: ignore[attr-defined]
        assert any(label.startswith("欧阳春燕") for label in labels), labels
        assert shown(screen.query_one("#intake-status")) == ""


async def test_f6_in_view_shows_another_desks_resident_and_certification(
    app_on: AppFactory, sample_dir: Path
) -> None:
    """F6 in view: a resident turned 80 at another desk joins their compound's
    round, and their certification there is marked, without a reload."""
    app = recording(app_on(sample_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        f6 = await open_f6(pilot)
        compounds = f6.query_one("#cert-compounds")
        first = f6.rounds[0]
        label_before = str(compounds.get_option_at_index(0).prompt)  # type: ignore[attr-defined]
        whole = showings(f6, "_show_rounds")
        young = run_elsewhere(
            sample_dir,
            turning_80(first.compound, "1930-05-01")
            + "store.save(dataclasses.replace(person, name='新满八十'))\n"
            "print(person.id)\n",
        )
        (change,) = await changes_seen(app, pilot, 1)
        assert change.compounds == {first.compound}
        assert whole == []  # one compound worked out again, not the round
        now = f6.rounds[0]
        assert now.eligible == first.eligible + 1
        assert any(e.resident.id == young for e in now.entries)
        label = str(compounds.get_option_at_index(0).prompt)  # type: ignore[attr-defined]
        assert label != label_before and f"{now.certified}/{now.eligible}" in label
        assert "新满八十" in screen_text(app)
        run_elsewhere(
            sample_dir,
            "from tui.domain.certification import certify\n"
            f"person = store.resident({young!r})\n"
            "store.save(certify(person, store.certifications('2026Q4'), day='2026-11-27',"
            " method='desk'))\n",
        )
        await changes_seen(app, pilot, 2)
        assert whole == []
        after = f6.rounds[0]
        assert after.certified == now.certified + 1
        assert f"{after.certified}/{after.eligible}" in str(
            compounds.get_option_at_index(0).prompt  # type: ignore[attr-defined]
        )


async def test_f6_shows_a_resident_and_their_certification_saved_together(
    app_on: AppFactory, sample_dir: Path
) -> None:
    """A certification intake at another desk (the resident and the
    certification in one commit): F6 shows the new entry, certified."""
    app = recording(app_on(sample_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        f6 = await open_f6(pilot)
        first = f6.rounds[0]
        run_elsewhere(
            sample_dir,
            turning_80(first.compound, "1931-02-03")
            + "from tui.domain.certification import certify\n"
            "with store.transaction() as tx:\n"
            "    person = tx.put(person)\n"
            "    tx.put(certify(person, store.certifications('2026Q4'), day='2026-11-27',"
            " method='desk'))\n",
        )
        (change,) = await changes_seen(app, pilot, 1)
        assert change.kinds >= {Kind.RESIDENT, Kind.CERTIFICATION}
        now = f6.rounds[0]
        assert (now.eligible, now.certified) == (first.eligible + 1, first.certified + 1)
        assert f"{now.certified}/{now.eligible}" in str(
            f6.query_one("#cert-compounds").get_option_at_index(0).prompt  # type: ignore[attr-defined]
        )

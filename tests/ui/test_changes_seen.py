"""Another desk's saves reach this desk as typed change events: a screen in
view shows them, a hidden one catches up only when it is shown again."""

from __future__ import annotations

from pathlib import Path

from tests.ui.conftest import (
    AppFactory,
    changes_seen,
    recording,
    run_elsewhere,
    screen_text,
    shown,
)
from tui.repository import Kind
from tui.screens.certification import CertificationScreen
from tui.screens.intake import IntakeScreen


async def test_a_hidden_screen_catches_up_when_shown(app_on: AppFactory, sample_dir: Path) -> None:
    app = recording(app_on(sample_dir))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f6")
        await app.workers.wait_for_complete()
        await pilot.pause()
        f6 = app.screen
        assert isinstance(f6, CertificationScreen)
        rounds: list[object] = []  # each showing of rounds worked out again
        show_rounds, show_compounds = f6._show_rounds, f6._show_compounds
        f6._show_rounds = lambda found: (rounds.append(found), show_rounds(found))  # type: ignore[method-assign]
        f6._show_compounds = lambda found: (rounds.append(found), show_compounds(found))  # type: ignore[method-assign]
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
        await pilot.press("f6")
        await app.workers.wait_for_complete()
        await pilot.pause()
        f6 = app.screen
        assert isinstance(f6, CertificationScreen)
        compounds = f6.query_one("#cert-compounds")
        first = f6.rounds[0]
        label_before = str(compounds.get_option_at_index(0).prompt)  # type: ignore[attr-defined]
        whole: list[object] = []
        show_rounds = f6._show_rounds
        f6._show_rounds = lambda found: (whole.append(found), show_rounds(found))  # type: ignore[method-assign]
        young = run_elsewhere(
            sample_dir,
            "import dataclasses\n"
            f"person = next(r for r in store.residents(compound={first.compound!r})\n"
            "              if r.birth_year and r.birth_year > 1960 and 'aged80' not in r.flags)\n"
            "store.save(dataclasses.replace(\n"
            "    person, birth_year=1930, birth_date='1930-05-01', name='新满八十'))\n"
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
        await pilot.press("f6")
        await app.workers.wait_for_complete()
        await pilot.pause()
        f6 = app.screen
        assert isinstance(f6, CertificationScreen)
        first = f6.rounds[0]
        run_elsewhere(
            sample_dir,
            "import dataclasses\n"
            "from tui.domain.certification import certify\n"
            f"person = next(r for r in store.residents(compound={first.compound!r})\n"
            "              if r.birth_year and r.birth_year > 1960 and 'aged80' not in r.flags)\n"
            "person = dataclasses.replace(person, birth_year=1931, birth_date='1931-02-03')\n"
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

"""F6, the certification round, through Pilot, checked on disk."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
from textual.widgets import DirectoryTree, Input, OptionList, Static

from tests.conftest import TODAY, resident_docs, residents_bytes
from tests.registry.test_import import messy_sheet
from tests.ui.conftest import AppFactory, shown, until, wait_for_screen
from tui.app import FieldDeskApp
from tui.domain.calendar import fixed_clock
from tui.domain.records import Visit
from tui.screens.certification import CertificationScreen
from tui.screens.file_pick import FilePickScreen
from tui.screens.home import HomeScreen
from tui.screens.import_preview import ImportPreviewScreen
from tui.screens.prompt import PromptScreen
from tui.screens.triage import TriageScreen
from tui.store.backup import backup_days
from tui.store.repository import Store

QUARTER = "2026Q4"
LAST = date(2026, 12, 31)


def raw(data: Path, rel: str, kind: str) -> list[dict[str, Any]]:
    path = data / rel
    return list(json.loads(path.read_text("utf-8"))[kind].values()) if path.exists() else []


def age(doc: dict[str, Any]) -> int | None:
    if doc["birth_date"]:
        born = date.fromisoformat(doc["birth_date"])
        return LAST.year - born.year - ((LAST.month, LAST.day) < (born.month, born.day))
    return LAST.year - doc["birth_year"] if doc["birth_year"] else None


def eligible(data: Path) -> dict[str, dict[str, Any]]:
    """Residents due this quarter, worked out from the files."""
    return {
        r["id"]: r
        for r in resident_docs(data).values()
        if (age(r) or 0) >= 80 or "aged80" in r["flags"]
    }


def certified(data: Path) -> list[dict[str, Any]]:
    """This quarter's certification records, withdrawn ones too."""
    return raw(data, f"certifications/{QUARTER}.json", "certification")


def counted(data: Path) -> list[dict[str, Any]]:
    """The certifications that count: not withdrawn."""
    return [c for c in certified(data) if not c.get("withdrawn_at")]


async def open_round(app: FieldDeskApp, pilot: Any) -> CertificationScreen:
    await pilot.press("f6")
    await wait_for_screen(pilot, CertificationScreen)
    assert isinstance(app.screen, CertificationScreen)
    return app.screen


async def first_waiting(pilot: Any, screen: CertificationScreen, at_least: int = 1) -> int:
    """Keys as staff use them: a compound with residents left, Tab to its
    residents, the first not yet certified highlighted; its index."""
    compounds = screen.query_one("#cert-compounds", OptionList)
    compounds.highlighted = next(i for i, r in enumerate(screen.rounds) if r.remaining >= at_least)
    await pilot.press("tab")
    index = next(i for i, e in enumerate(screen._entries) if e.certified is None)
    screen.query_one("#cert-residents", OptionList).highlighted = index
    return index


def lines(widget: OptionList) -> list[str]:
    return [str(widget.get_option_at_index(i).prompt) for i in range(widget.option_count)]


async def test_f6_counts_the_quarter_from_the_files(app_on: AppFactory, sample_dir: Path) -> None:
    due = eligible(sample_dir)
    done = [c for c in counted(sample_dir) if c["resident"] in due]
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_round(app, pilot)
        heading = shown(screen.query_one("#cert-heading", Static))
        assert heading == (
            f"{QUARTER} (until 2026-12-31, 35 days left) | eligible {len(due)} | "
            f"certified {len(done)} | remaining {len(due) - len(done)}"
        )
        compounds = screen.query_one("#cert-compounds", OptionList)
        names = {c["id"]: c["name"] for c in raw(sample_dir, "registry.json", "compound")}
        expected = {}
        for resident in due.values():
            expected.setdefault(names[resident["compound"]], [0, 0])[0] += 1
        for cert in done:
            expected[names[due[cert["resident"]]["compound"]]][1] += 1
        assert sorted(" ".join(line.split()) for line in lines(compounds)) == sorted(
            f"{name} {n_done}/{n_due}" for name, (n_due, n_done) in expected.items()
        )


async def test_certify_at_the_desk_and_at_home_once_each(
    app_on: AppFactory, sample_dir: Path
) -> None:
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_round(app, pilot)
        residents = screen.query_one("#cert-residents", OptionList)
        first = await first_waiting(pilot, screen, at_least=2)
        assert app.focused is residents  # Tab moved from the compounds
        person = screen._entries[first].resident
        await pilot.press("enter")
        await pilot.pause()
        (record,) = [c for c in certified(sample_dir) if c["resident"] == person.id]
        assert (record["method"], record["day"], record["by"]) == (
            "desk",
            TODAY.isoformat(),
            "李娜",
        )
        assert (
            shown(screen.query_one("#cert-status", Static))
            == f"{person.name} certified (at the desk)."
        )
        assert lines(residents)[first].startswith(f"✓ {person.name}")
        # Twice in one quarter: refused, said why, nothing more stored.
        residents.highlighted = first
        await pilot.press("h")
        await pilot.pause()
        assert "already certified this quarter" in shown(screen.query_one("#cert-status", Static))
        assert len([c for c in certified(sample_dir) if c["resident"] == person.id]) == 1
        other = next(i for i, e in enumerate(screen._entries) if e.certified is None)
        residents.highlighted = other
        person = screen._entries[other].resident
        await pilot.press("h")
        await pilot.pause()
        (record,) = [c for c in certified(sample_dir) if c["resident"] == person.id]
        assert record["method"] == "home_visit"


async def test_home_visit_list_on_screen_and_exported(app_on: AppFactory, sample_dir: Path) -> None:
    due = eligible(sample_dir)
    done = {c["resident"] for c in counted(sample_dir)}
    home = {
        rid
        for rid, r in due.items()
        if rid not in done and ("mobility" in r["flags"] or (age(r) or 0) >= 90)
    }
    assert home
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_round(app, pilot)
        await pilot.press("v")
        await pilot.pause()
        shown_ids = set()
        compounds = screen.query_one("#cert-compounds", OptionList)
        for index in range(compounds.option_count):
            compounds.highlighted = index
            await pilot.pause()
            shown_ids |= {e.resident.id for e in screen._entries}
        assert shown_ids == home
        await pilot.press("x")
        await pilot.pause()
        folder = sample_dir / "reports" / f"certification-{QUARTER}"
        assert f"written to {folder}" in shown(screen.query_one("#cert-status", Static))
    book = openpyxl.load_workbook(folder / f"home-visits-{QUARTER}.xlsx")
    listed = [
        row[3]
        for sheet in book.worksheets[1:]
        for row in sheet.iter_rows(min_row=2, values_only=True)
    ]
    assert sorted(listed) == sorted(due[rid]["name"] for rid in home)
    markdown = (folder / f"home-visits-{QUARTER}.md").read_text("utf-8")
    assert all(due[rid]["name"] in markdown for rid in home)


async def test_header_counts_what_is_left_near_the_quarters_end(
    app_on: AppFactory, sample_dir: Path
) -> None:
    due = eligible(sample_dir)
    left = len(due) - len([c for c in counted(sample_dir) if c["resident"] in due])
    app = app_on(sample_dir, clock=fixed_clock(date(2026, 12, 20)))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for_screen(pilot, HomeScreen)

        def bar() -> str:
            return shown(app.screen.query_one("#session-bar", Static))

        await until(pilot, lambda: "Certification" in bar(), 10, "the count in the header")
        assert f"Certification: {left} left, 12 days" in bar()
        # Certified elsewhere (another desk's process): the count goes down.
        store = Store(sample_dir, device="other", by="other", clock=fixed_clock(date(2026, 12, 20)))
        from tui.domain.certification import certify
        from tui.domain.records import Resident

        person = next(
            Resident.from_dict(r)
            for rid, r in due.items()
            if rid not in {c["resident"] for c in counted(sample_dir)}
        )
        store.save(certify(person, [], day="2026-12-20", method="desk"))
        await until(
            pilot,
            lambda: f"{left - 1} left" in bar(),
            10,
            lambda: f"the header at {left - 1} left ({bar()!r})",
        )
        assert f"Certification: {left - 1} left, 12 days" in bar()
        # Certified here, in F6: the count goes down too.
        screen = await open_round(app, pilot)
        await first_waiting(pilot, screen)
        await pilot.press("enter")
        await until(
            pilot,
            lambda: f"{left - 2} left" in bar(),
            10,
            lambda: f"the header at {left - 2} left ({bar()!r})",
        )
        assert f"Certification: {left - 2} left, 12 days" in shown(
            screen.query_one("#session-bar", Static)
        )
    app = app_on(sample_dir)  # 27 November: 35 days left, no count
    async with app.run_test(size=(120, 30)) as pilot:
        # The start-up check counts, then backs up the day: once the backup is
        # there and the check's worker is done, a count would be shown.
        await until(
            pilot,
            lambda: TODAY.isoformat() in backup_days(sample_dir),
            10,
            "the start-up check's backup of the day",
        )
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Certification" not in shown(app.screen.query_one("#session-bar", Static))


async def test_import_from_the_app_shows_the_preview_and_asks(
    app_on: AppFactory, sample_dir: Path, tmp_path: Path
) -> None:
    sheet = messy_sheet(tmp_path / "office.xlsx")  # two rejected rows in it
    before = residents_bytes(sample_dir)
    app = app_on(sample_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_round(app, pilot)
        await pilot.press("i")
        await wait_for_screen(pilot, FilePickScreen)
        app.screen.query_one("#pick-path", Input).value = str(sheet)  # typed or pasted
        app.screen.query_one("#pick-path", Input).focus()
        await pilot.press("enter")
        await wait_for_screen(pilot, ImportPreviewScreen)
        text = shown(app.screen.query_one("#import-lines Static", Static))
        assert 'row 8: birth date "1945-13-40" is not a date' in text
        summary = shown(app.screen.query_one("#import-summary", Static))
        assert summary.startswith("Summary: 3 to add, 0 to update, 0 unchanged, 2 rejected")
        await pilot.press("y")  # all or nothing: refused while rows are rejected
        await pilot.pause()
        assert isinstance(app.screen, ImportPreviewScreen)
        await pilot.press("escape")
        await wait_for_screen(pilot, CertificationScreen)
        assert residents_bytes(sample_dir) == before
        await pilot.press("i")  # starts in the sheet's folder this time: picked from the list
        await wait_for_screen(pilot, FilePickScreen)
        tree = app.screen.query_one("#pick-tree", DirectoryTree)
        assert str(tree.path) == str(sheet.parent)
        await until(pilot, lambda: tree.root.children, what="the folder listed")  # in a worker

        def on_sheet() -> bool:
            node = tree.cursor_node
            return node is not None and node.data is not None and node.data.path == sheet

        while not on_sheet():
            line = tree.cursor_line
            await pilot.press("down")
            await until(
                pilot, lambda line=line: tree.cursor_line != line, what="the cursor moved down"
            )
        await pilot.press("enter")
        await wait_for_screen(pilot, ImportPreviewScreen)
        await pilot.press("s")
        await wait_for_screen(pilot, CertificationScreen)
        assert shown(screen.query_one("#cert-status", Static)) == (
            "Written: 3 residents added or updated."
        )
    names = {r["name"] for r in resident_docs(sample_dir).values()}
    assert {"王芳", "李建国", "赵德胜"} <= names


async def test_a_certification_visit_handled_now_certifies(
    app_on: AppFactory, sample_dir: Path
) -> None:
    store = Store(sample_dir, device="t", by="李娜", clock=fixed_clock(TODAY))
    done = {c["resident"] for c in counted(sample_dir)}
    person = next(r for rid, r in eligible(sample_dir).items() if rid not in done)
    visit = store.save(
        Visit(
            day=TODAY.isoformat(),
            name=person["name"],
            resident=person["id"],
            compound=person["compound"],
            category="elderly_subsidy",
            mode="now",
        )
    )
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(TriageScreen(app.store, visit, "李娜"))
        await wait_for_screen(pilot, TriageScreen)
        assert app.screen.query_one("#row-certify").display
        app.screen.query_one("#outcome", Input).value = "人脸识别已完成"
        await pilot.press("ctrl+s")
        await pilot.pause()
    (record,) = [c for c in certified(sample_dir) if c["resident"] == person["id"]]
    assert (record["visit"], record["method"], record["day"]) == (
        visit.id,
        "desk",
        TODAY.isoformat(),
    )


async def test_a_mistaken_certification_is_withdrawn_with_a_reason(
    app_on: AppFactory, sample_dir: Path
) -> None:
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_round(app, pilot)
        residents = screen.query_one("#cert-residents", OptionList)
        index = await first_waiting(pilot, screen)
        person = screen._entries[index].resident
        await pilot.press("u")  # nothing to withdraw yet
        await pilot.pause()
        assert "nothing to withdraw" in shown(screen.query_one("#cert-status", Static))
        await pilot.press("enter")  # certified by mistake
        await pilot.pause()
        residents.highlighted = index
        await pilot.press("u")
        await wait_for_screen(pilot, PromptScreen)
        await pilot.press(*"wrong person", "enter")
        await wait_for_screen(pilot, CertificationScreen)
        assert lines(residents)[index].startswith(f"- {person.name}")
        (record,) = [c for c in certified(sample_dir) if c["resident"] == person.id]
        assert record["withdrawn_reason"] == "wrong person" and record["withdrawn_at"]
        residents.highlighted = index
        await pilot.press("enter")  # now certified for real: a second record, the one that counts
        await pilot.pause()
        records = [c for c in certified(sample_dir) if c["resident"] == person.id]
        assert len(records) == 2 and sum(not c["withdrawn_at"] for c in records) == 1
        assert lines(residents)[index].startswith(f"✓ {person.name}")


async def test_resident_columns_line_up_whatever_the_name_length(
    app_on: AppFactory, sample_dir: Path
) -> None:
    """Two- and three-character names: the ages start in one column."""
    from rich.cells import cell_len

    app = app_on(sample_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_round(app, pilot)
        residents = screen.query_one("#cert-residents", OptionList)
        lines = [
            str(residents.get_option_at_index(i).prompt) for i in range(residents.option_count)
        ]
        names = {line.split()[1] for line in lines}
        assert {len(n) for n in names} >= {2, 3}  # the sample has both
        ages = [re.match(r"^. \S+\s+(\d+|-)", line) for line in lines]
        starts = {cell_len(line[: m.start(1)]) for line, m in zip(lines, ages, strict=True) if m}
        assert len(starts) == 1 and all(ages), starts


async def test_certifying_offers_to_resolve_the_residents_open_case(
    app_on: AppFactory, sample_dir: Path
) -> None:
    import dataclasses

    from tui.domain.certification import CERTIFICATION_CATEGORY
    from tui.screens.confirm import ConfirmScreen

    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_round(app, pilot)
        first = await first_waiting(pilot, screen)
        person = screen._entries[first].resident
        logged = next(c for c in app.store.open_cases() if c.status == "assigned")
        case = app.store.save(
            dataclasses.replace(logged, resident=person.id, category=CERTIFICATION_CATEGORY)
        )
        await pilot.press("enter")
        await wait_for_screen(pilot, ConfirmScreen)
        assert person.name in shown(app.screen.query_one("#confirm-question", Static))
        await pilot.press("y")
        await wait_for_screen(pilot, CertificationScreen)
        assert "1 case(s) resolved" in shown(screen.query_one("#cert-status", Static))
    (stored,) = [c for c in raw(sample_dir, "cases/open.json", "case") if c["id"] == case.id]
    assert stored["status"] == "resolved"
    assert stored["timeline"][-1]["note"] == "certified (at the desk)"


async def test_a_rule_stands_between_the_compounds_and_their_residents(
    app_on: AppFactory, sample_dir: Path
) -> None:
    from tests.ui.conftest import screen_text

    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_round(app, pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        compounds = screen.query_one("#cert-compounds", OptionList)
        residents = screen.query_one("#cert-residents", OptionList)
        assert residents.region.x > compounds.region.right  # a gap, not touching
        rows = screen_text(app).splitlines()[compounds.region.y : compounds.region.bottom]
        assert rows and all("│" in row for row in rows)


async def test_the_file_picker_lists_folders_and_sheets_from_home(
    app_on: AppFactory, sample_dir: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    from tests.ui.conftest import screen_text

    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    (home / ".cache").mkdir()
    (home / "花名册.xlsx").write_bytes(b"")
    (home / "photo.jpg").write_bytes(b"")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))  # where Windows keeps it
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_round(app, pilot)
        await pilot.press("i")
        await wait_for_screen(pilot, FilePickScreen)
        tree = app.screen.query_one("#pick-tree", DirectoryTree)
        await until(pilot, lambda: tree.root.children, what="the home folder listed")  # in a worker
        await pilot.pause()
        text = screen_text(app)
        assert "Documents" in text and "花名册.xlsx" in text
        assert "photo.jpg" not in text and ".cache" not in text
        path = app.screen.query_one("#pick-path", Input)
        path.value = str(home / "nowhere.xlsx")
        path.focus()
        await pilot.press("enter")
        await pilot.pause()
        error = shown(app.screen.query_one("#pick-error", Static))
        assert error == f"There is no file or folder at {home / 'nowhere.xlsx'}"
        await pilot.press("escape")
        await wait_for_screen(pilot, CertificationScreen)

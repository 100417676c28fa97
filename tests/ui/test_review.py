"""F5, the end-of-day review, and the session dialog, through Pilot, checked on disk."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from textual.widgets import Input, OptionList, SelectionList, Static

from tests.conftest import HOSTILE, TODAY, issue_forms
from tests.ui.conftest import AppFactory, recording, screen_text, shown, until, wait_for_screen
from tests.ui.test_intake import open_intake
from tui.app import FieldDeskApp
from tui.domain.calendar import fixed_clock
from tui.domain.cases import handle_now
from tui.domain.intake import IntakeForm
from tui.domain.sessions import open_session
from tui.domain.text import clean_text
from tui.i18n import set_language
from tui.screens.case_contact import CaseContactScreen
from tui.screens.case_detail import CaseScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.intake import IntakeScreen
from tui.screens.prompt import PromptScreen
from tui.screens.review import ReviewScreen
from tui.screens.session_open import SessionOpenScreen
from tui.screens.ticket_end import TicketEndScreen
from tui.screens.triage import TriageScreen
from tui.store.repository import Store
from widgets.key_table import KeyTable

DAY = "2026-11-20"  # the sample's session, never closed


def day_file(data: Path, day: str = DAY) -> dict[str, Any]:
    return json.loads((data / "days" / f"{day}.json").read_text("utf-8"))


def docs(data: Path, rel: str, kind: str) -> list[dict[str, Any]]:
    path = data / rel
    if not path.exists():
        return []
    return list(json.loads(path.read_text("utf-8")).get(kind, {}).values())


def expected_problems(data: Path) -> dict[str, int]:
    """What the checklist must list, counted from the files themselves."""
    day = day_file(data)
    visits = list(day["visit"].values())
    cases = {c["id"]: c for c in docs(data, "cases/open.json", "case")}
    logged = [cases[v["case"]] for v in visits if v["case"] in cases]
    return {
        "undecided": sum(v["status"] == "open" for v in visits),
        "no_category": sum(not v["category"] for v in visits),
        "no_owner": sum(not c["owner"] for c in logged),
        "no_due": sum(not c["due"] for c in logged),
        "no_contact": sum(c["reply_via"] == "phone" and not c["phone"] for c in logged),
        "at_desk": sum(t["status"] in ("called", "serving") for t in day["ticket"].values()),
    }


async def open_review(app: FieldDeskApp, pilot: Any) -> ReviewScreen:
    await pilot.press("f5")
    await wait_for_screen(pilot, ReviewScreen)
    assert isinstance(app.screen, ReviewScreen)
    return app.screen


def checklist(screen: ReviewScreen) -> OptionList:
    return screen.query_one("#review-checklist", OptionList)


async def pick(pilot: Any, screen: ReviewScreen, code: str) -> int:
    """Move to the first checklist item with this code; Enter it."""
    assert screen.data is not None
    index = next(i for i, item in enumerate(screen.data.checks) if item.code.endswith(code))
    checklist(screen).focus()
    checklist(screen).highlighted = index
    await pilot.press("enter")
    return index


async def test_f5_shows_the_day_at_a_glance_and_every_failing_check(
    app_on: AppFactory, sample_dir: Path
) -> None:
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(app, pilot)
        heading = shown(screen.query_one("#review-heading", Static))
        assert heading == f"{DAY} | 新宁路11号院 | session open"
        day = day_file(sample_dir)
        statuses = [v["status"] for v in day["visit"].values()]
        glance = shown(screen.query_one("#review-glance", Static))
        assert (
            f"Visits {len(statuses)} | handled now {statuses.count('handled')} | "
            f"logged {statuses.count('logged')} | undecided {statuses.count('open')}"
        ) in glance
        assert f"Tickets issued {len(day['ticket'])}" in glance
        problems = expected_problems(sample_dir)
        total = sum(problems.values())
        assert checklist(screen).option_count == total
        assert shown(screen.query_one("#review-check-summary", Static)) == (
            f"{total} to fix. Enter opens the place to fix it."
        )
        labels = [shown_text(checklist(screen), i) for i in range(checklist(screen).option_count)]
        assert sum("not yet handled or logged" in x for x in labels) == problems["undecided"]
        assert sum("still at a desk" in x for x in labels) == problems["at_desk"]
        assert sum("no way to reach" in x for x in labels) == problems["no_contact"]
        # F1 lists every key of the review; each is in the palette too.
        await pilot.press("f1")
        await pilot.pause()
        table = app.screen.query_one(KeyTable)
        rows = {table.get_row_at(i)[0]: table.get_row_at(i)[1] for i in range(table.row_count)}
        assert {k: rows[k] for k in ("Enter", "N", "C", "O", "W", "[", "]")} == {
            "Enter": "Fix this",
            "N": "Request",
            "C": "Close",
            "O": "Open/reopen",
            "W": "Reports",
            "[": "Earlier",
            "]": "Later",
        }
        await pilot.press("escape")
        titles = {c.title for c in app.get_system_commands(screen)}
        assert {"Close", "Request", "Met", "Reports", "End-of-day review"} <= titles


def shown_text(widget: OptionList, index: int) -> str:
    return str(widget.get_option_at_index(index).prompt)


async def test_enter_on_an_undecided_visit_opens_triage(
    app_on: AppFactory, sample_dir: Path
) -> None:
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(app, pilot)
        before = checklist(screen).option_count
        assert screen.data is not None
        target = screen.data.checks[0].target
        await pick(pilot, screen, "undecided")
        await wait_for_screen(pilot, TriageScreen)
        await pilot.press("ctrl+s")  # the category's suggestion, as staff most often take it
        await wait_for_screen(pilot, ReviewScreen)
        (visit,) = [v for v in day_file(sample_dir)["visit"].values() if v["id"] == target]
        assert visit["status"] in ("handled", "logged")
        assert checklist(screen).option_count == before - 1


async def test_a_ticket_left_at_a_desk_is_finished_from_the_review(
    app_on: AppFactory, sample_dir: Path
) -> None:
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(app, pilot)
        assert screen.data is not None
        at_desk = [i for i in screen.data.checks if i.code.endswith("at_desk")]
        tickets = {t["id"]: t for t in day_file(sample_dir)["ticket"].values()}
        called = next(i for i in at_desk if tickets[i.target]["status"] == "called")
        checklist(screen).focus()
        checklist(screen).highlighted = screen.data.checks.index(called)
        await pilot.press("enter")
        await wait_for_screen(pilot, TicketEndScreen)
        await pilot.press("x")  # a no-show only after two recalls: refused, said why
        await pilot.pause()
        assert "recall it 2 times" in shown(app.screen.query_one("#ticket-end-error", Static))
        end = app.screen
        await pilot.press("c")  # the resident left: asked first, as F3 asks
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("n")  # not after all: nothing changed
        await wait_for_screen(pilot, TicketEndScreen)
        assert app.screen is end
        ticket = next(
            t for t in day_file(sample_dir)["ticket"].values() if t["id"] == called.target
        )
        assert ticket["status"] == "called"
        await pilot.press("c")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        await wait_for_screen(pilot, ReviewScreen)
        ticket = next(
            t for t in day_file(sample_dir)["ticket"].values() if t["id"] == called.target
        )
        assert ticket["status"] == "cancelled"
        assert ticket["history"][-1]["action"] == "cancel"
        assert called.target not in {i.target for i in screen.data.checks}
        # The one being served: d finishes it as served (c cannot, and says so at once).
        serving = next(i for i in screen.data.checks if i.code.endswith("at_desk"))
        await pick(pilot, screen, "at_desk")
        await wait_for_screen(pilot, TicketEndScreen)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, TicketEndScreen)
        assert "cannot" in shown(app.screen.query_one("#ticket-end-error", Static))
        await pilot.press("d")
        await wait_for_screen(pilot, ReviewScreen)
        ticket = next(
            t for t in day_file(sample_dir)["ticket"].values() if t["id"] == serving.target
        )
        assert ticket["status"] == "done"


async def test_a_case_nobody_can_reach_gets_a_phone_from_the_case_screen(
    app_on: AppFactory, sample_dir: Path
) -> None:
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(app, pilot)
        before = checklist(screen).option_count
        assert screen.data is not None
        item = next(i for i in screen.data.checks if i.code.endswith("no_contact"))
        await pick(pilot, screen, "no_contact")
        await wait_for_screen(pilot, CaseScreen)
        await pilot.press("e")
        await wait_for_screen(pilot, CaseContactScreen)
        dialog = app.screen
        assert dialog.focused is dialog.query_one("#contact-phone")  # no number: starts there
        await pilot.press(*"12345", "ctrl+s")  # not a phone number: refused, nothing saved
        await pilot.pause()
        assert app.screen is dialog  # still open, what was typed still there
        assert "phone" in shown(dialog.query_one("#contact-error", Static)).lower()
        assert dialog.query_one("#contact-phone", Input).value == "12345"
        case = next(
            c for c in docs(sample_dir, "cases/open.json", "case") if c["id"] == item.target
        )
        assert case["phone"] == ""
        dialog.query_one("#contact-phone", Input).value = ""
        await pilot.press(*"13912345678", "ctrl+s")
        await wait_for_screen(pilot, CaseScreen)
        case = next(
            c for c in docs(sample_dir, "cases/open.json", "case") if c["id"] == item.target
        )
        assert case["phone"] == "+8613912345678"
        assert case["timeline"][-1]["action"] == "amend"
        await pilot.press("escape")
        await wait_for_screen(pilot, ReviewScreen)
        assert checklist(screen).option_count == before - 1


async def test_closing_is_refused_until_a_reason_is_given_and_the_reason_is_kept(
    app_on: AppFactory, sample_dir: Path
) -> None:
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(app, pilot)
        failing = checklist(screen).option_count
        await pilot.press("c")
        await wait_for_screen(pilot, PromptScreen)
        await pilot.press("enter")  # no reason: refused
        await wait_for_screen(pilot, ReviewScreen)
        assert shown(screen.query_one("#review-status", Static)) == (
            f"{failing} checks fail: fix them, or give a reason to close anyway."
        )
        (session,) = day_file(sample_dir)["session"].values()
        assert session["status"] == "open"
        assert not (sample_dir / "reports").exists()
        await pilot.press("c")
        await wait_for_screen(pilot, PromptScreen)
        await pilot.press("escape")  # changed their mind
        await wait_for_screen(pilot, ReviewScreen)
        assert next(iter(day_file(sample_dir)["session"].values()))["status"] == "open"
        await pilot.press("c")
        await wait_for_screen(pilot, PromptScreen)
        await pilot.press(*"rain, packed up early", "enter")
        await wait_for_screen(pilot, ReviewScreen)
        (session,) = day_file(sample_dir)["session"].values()
        assert (session["status"], session["close_override"]) == ("closed", "rain, packed up early")
        folder = sample_dir / "reports" / DAY
        assert sorted(p.suffix for p in folder.iterdir()) == [".csv", ".json", ".md", ".xlsx"]
        assert "rain, packed up early" in (folder / f"report-{DAY}.md").read_text("utf-8")
        assert f"closed over {failing} failing checks" in shown(
            screen.query_one("#review-status", Static)
        )
        assert "session closed" in shown(screen.query_one("#review-heading", Static))
        # Reopened with a reason, which is kept beside the earlier ones.
        await pilot.press("o")
        await wait_for_screen(pilot, PromptScreen)
        await pilot.press(*"one resident forgotten", "enter")
        await wait_for_screen(pilot, ReviewScreen)
        (session,) = day_file(sample_dir)["session"].values()
        assert session["status"] == "open" and session["closed_at"] == ""
        assert session["reopen_reasons"][-1].endswith("one resident forgotten")


async def test_a_clean_day_closes_after_a_confirmation(
    app_on: AppFactory, sample_dir: Path
) -> None:
    """Today's own session with one request handled on the spot passes every check."""
    app = app_on(sample_dir, ask_session=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, SessionOpenScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await open_intake(app, pilot)
        await pilot.press(*"Zed", "tab", "tab", "tab", "tab", "1", "enter")
        app.screen.query_one("#mode").focus()
        await pilot.press("2", "ctrl+s")  # serve now
        await wait_for_screen(pilot, TriageScreen)
        app.screen.query_one("#decision").focus()
        await pilot.press("1")
        app.screen.query_one("#outcome", Input).focus()
        await pilot.press(*"form filled in", "ctrl+s")
        await wait_for_screen(pilot, IntakeScreen)
        await pilot.press("escape")
        screen = await open_review(app, pilot)
        assert shown(screen.query_one("#review-heading", Static)).startswith(TODAY.isoformat())
        assert checklist(screen).option_count == 0
        assert "Every check passes" in shown(screen.query_one("#review-check-summary", Static))
        await pilot.press("c")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        await wait_for_screen(pilot, ReviewScreen)
        (session,) = day_file(sample_dir, TODAY.isoformat())["session"].values()
        assert (session["status"], session["close_override"]) == ("closed", "")
        assert (sample_dir / "reports" / TODAY.isoformat()).is_dir()
        bar = shown(screen.query_one("#session-bar", Static))
        assert "新宁路11号院 (closed)" in bar


async def test_a_request_for_next_session_is_shown_when_the_next_session_there_opens(
    app_on: AppFactory, sample_dir: Path
) -> None:
    text = "[bold]请律师[/bold] 下次来"
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(app, pilot)
        await pilot.press("n")
        await wait_for_screen(pilot, PromptScreen)
        await pilot.press(*text, "enter")
        await wait_for_screen(pilot, ReviewScreen)
        requests = screen.query_one("#review-requests", OptionList)
        assert any(text in shown_text(requests, i) for i in range(requests.option_count))
    stored = [r for r in docs(sample_dir, "requests.json", "request") if r["text"] == text]
    assert len(stored) == 1 and stored[0]["day"] == DAY and stored[0]["status"] == "open"
    # A week later a session opens at the same compound: the requests are shown.
    app = app_on(sample_dir, ask_session=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, SessionOpenScreen)
        await pilot.press("ctrl+s")
        await until(
            pilot,
            lambda: any("Asked for at earlier sessions" in n.title for n in app._notifications),
            what="the toast of the requests asked for at earlier sessions",
        )
        messages = "\n".join(f"{n.title}\n{n.message}" for n in app._notifications)
        assert "Asked for at earlier sessions at 新宁路11号院" in messages and text in messages
        screen = await open_review(app, pilot)
        requests = screen.query_one("#review-requests", OptionList)
        index = next(i for i in range(requests.option_count) if text in shown_text(requests, i))
        requests.focus()
        requests.highlighted = index
        await pilot.press("m")
        await pilot.pause()
        assert "✓" in shown_text(requests, index)
    (met,) = [r for r in docs(sample_dir, "requests.json", "request") if r["text"] == text]
    (session,) = day_file(sample_dir, TODAY.isoformat())["session"].values()
    assert (met["status"], met["done_day"], met["done_session"]) == (
        "done",
        TODAY.isoformat(),
        session["id"],
    )


async def test_hostile_requests_are_kept_and_shown_literally(
    app_on: AppFactory, sample_dir: Path
) -> None:
    app = app_on(sample_dir)
    strings = [s for s in HOSTILE["strings"] if clean_text(s) and len(clean_text(s)) <= 300]
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(app, pilot)
        for text in strings:
            await pilot.press("n")
            await wait_for_screen(pilot, PromptScreen)
            app.screen.query_one(Input).insert_text_at_cursor(text)
            await pilot.press("enter")
            await wait_for_screen(pilot, ReviewScreen)
        requests = screen.query_one("#review-requests", OptionList)
        labels = "\n".join(shown_text(requests, i) for i in range(requests.option_count))
        for text in strings:
            assert clean_text(text) in labels
        # Empty and blank ones are refused with a sentence, nothing stored.
        await pilot.press("n")
        await wait_for_screen(pilot, PromptScreen)
        await pilot.press("space", "space", "enter")
        await wait_for_screen(pilot, ReviewScreen)
        assert "Write what the next session should bring" in shown(
            screen.query_one("#review-status", Static)
        )
    stored = {r["text"] for r in docs(sample_dir, "requests.json", "request")}
    assert {clean_text(s) for s in strings} <= stored


# -- the session dialog ---------------------------------------------------------------


async def test_session_dialog_is_prefilled_from_the_last_session(
    app_on: AppFactory, sample_dir: Path
) -> None:
    (last,) = day_file(sample_dir)["session"].values()
    app = app_on(sample_dir, ask_session=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, SessionOpenScreen)
        dialog = app.screen
        assert dialog.query_one("#session-compound", Input).value == "新宁路11号院"
        assert dialog.query_one("#session-desks", Input).value == str(last["desks"])
        staff = dialog.query_one("#session-staff", SelectionList)
        assert set(staff.selected) == set(last["staff"])
        # Another compound, by its pinyin initials.
        compound = dialog.query_one("#session-compound", Input)
        compound.focus()
        compound.value = ""
        await pilot.press(*"xnhy")
        await pilot.press("enter")
        assert compound.value == "新宁花苑"
        desks = dialog.query_one("#session-desks", Input)
        desks.focus()
        desks.value = ""
        await pilot.press("3", "ctrl+s")
        await wait_for_screen(pilot, type(app.screen))
        await pilot.pause()
        bar = shown(app.screen.query_one("#session-bar", Static))
        assert "新宁花苑" in bar
    (session,) = day_file(sample_dir, TODAY.isoformat())["session"].values()
    store = Store(sample_dir, device="r", by="r")
    flower = next(c for c in store.compounds() if c.name == "新宁花苑")
    assert (session["compound"], session["desks"], session["status"]) == (flower.id, 3, "open")
    assert set(session["staff"]) == set(last["staff"])


async def test_session_dialog_refuses_a_missing_compound_and_esc_opens_nothing(
    app_on: AppFactory, sample_dir: Path
) -> None:
    app = app_on(sample_dir, ask_session=True, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, SessionOpenScreen)
        dialog = app.screen
        compound = dialog.query_one("#session-compound", Input)
        compound.value = "不存在的小区"
        await pilot.pause()
        await pilot.press("ctrl+s")
        assert shown(dialog.query_one("#session-error", Static)) == "请选择服务点所在的小区。"
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SessionOpenScreen)
        assert "未开设服务点" in shown(app.screen.query_one("#session-bar", Static))
    assert not (sample_dir / "days" / f"{TODAY.isoformat()}.json").exists()


async def test_o_in_the_review_opens_todays_session_when_there_is_none(
    app_on: AppFactory, sample_dir: Path
) -> None:
    app = app_on(sample_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(app, pilot)
        await pilot.press("o")  # the 11-20 session shown is open: o offers today's
        await wait_for_screen(pilot, SessionOpenScreen)
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, ReviewScreen)
        await pilot.pause()
        assert shown(screen.query_one("#review-heading", Static)).startswith(TODAY.isoformat())
        await pilot.press("o")  # today's is open now: nothing to open or reopen
        await pilot.pause()
        assert shown(screen.query_one("#review-status", Static)) == (
            "The session is open; there is nothing to reopen."
        )
    (session,) = day_file(sample_dir, TODAY.isoformat())["session"].values()
    assert session["status"] == "open"


# -- at 80x24, with a long day at a glance ----------------------------------------


def busy_day(data: Path, undecided: int = 3) -> list[str]:
    """Today at the sample session's compound: one visit for each request
    raised there at that session (each a recurring-problem line in the
    glance), all handled but `undecided` of them. Their names, in the
    checklist's order."""
    store = Store(data, device="other-desk", by="r", clock=fixed_clock(TODAY))
    earlier = list(day_file(data)["visit"].values())
    compound = earlier[0]["compound"]
    categories = sorted({v["category"] for v in earlier if v["compound"] == compound} - {""})
    assert len(categories) >= 6
    store.save(open_session(TODAY.isoformat(), compound, [], 2, now=store.now()))
    names = [f"测试{chr(0x4E00 + n)}{chr(0x4E00 + n)}" for n in range(len(categories))]
    forms = [
        IntakeForm(name=name, compound=compound, category=category, phone="13800138000")
        for name, category in zip(names, categories, strict=True)
    ]
    issue_forms(store, forms)
    for visit in store.visits(TODAY.isoformat()):
        if visit.name in names[undecided:]:
            store.save(handle_now(visit, "done", suggested="now"))
    return names[:undecided]


async def test_f5_at_80x24_keeps_the_heading_and_the_highlighted_item_in_view(
    app_on: AppFactory, sample_dir: Path
) -> None:
    """Many recurring-problem lines push the checklist to the bottom of the
    screen: moving through it (Down, PageDown, End) and into the requests
    scrolls the body so the highlighted line shows, and the line naming
    the day and the session never scrolls away."""
    left = busy_day(sample_dir)
    set_language("zh")
    app = app_on(sample_dir, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(app, pilot)
        assert screen.data is not None and len(screen.data.checks) == 3
        heading = shown(screen.query_one("#review-heading", Static))
        assert heading.startswith(TODAY.isoformat())
        assert app.focused is checklist(screen)
        for key in ("down", "down", "up", "pagedown", "home", "end"):
            await pilot.press(key)
            await pilot.pause()
            text = screen_text(app)
            highlighted = checklist(screen).highlighted
            assert highlighted is not None
            assert left[highlighted] in text, (key, highlighted, text)
            assert heading in text, (key, text)
        await pilot.press("tab")  # on to the requests: the heading stays
        await pilot.pause()
        assert app.focused is screen.query_one("#review-requests")
        assert heading in screen_text(app)


async def test_f5_gives_the_checklist_the_focus_when_it_has_items(
    app_on: AppFactory, sample_dir: Path
) -> None:
    """The last item fixed, the empty checklist hides and the focus goes to
    the requests. Another desk then saves a visit nobody decided on: at F5
    again, Enter on that one item opens its triage."""
    busy_day(sample_dir, undecided=1)
    app = recording(app_on(sample_dir))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_review(app, pilot)
        await pick(pilot, screen, "undecided")
        await wait_for_screen(pilot, TriageScreen)
        await pilot.press("ctrl+s")  # the suggestion taken
        await wait_for_screen(pilot, ReviewScreen)
        assert screen.data is not None and not screen.data.checks
        await pilot.press("escape")
        await pilot.pause()
        other = Store(sample_dir, device="other-desk", by="r", clock=fixed_clock(TODAY))
        compound = other.open_session().compound  # type: ignore[union-attr]
        category = other.categories()[0].code
        told = len(app.told)
        issue_forms(other, [IntakeForm(name="Late Visitor", compound=compound, category=category)])
        await until(
            pilot,
            lambda: any(c.touches_day(TODAY.isoformat()) for c in app.told[told:]),
            10,
            "the other desk's visit told to this desk",
        )
        screen = await open_review(app, pilot)
        assert screen.data is not None and len(screen.data.checks) == 1
        assert app.focused is checklist(screen)
        await pilot.press("enter")
        await wait_for_screen(pilot, TriageScreen)

"""The three documents as a receipt printer gets them (python-escpos's Dummy
printer, a device file), read back as the lines it prints."""

from __future__ import annotations

import dataclasses
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from escpos.printer import Dummy

from tests.conftest import HOSTILE
from tests.printing.conftest import issue, printed
from tui.domain.intake import IntakeForm
from tui.domain.printer import PrintError, PrinterTarget, parse_printer
from tui.domain.records import Case
from tui.i18n import set_language
from tui.printing import connect
from tui.printing.documents import Document, Line, card, case_number, receipt
from tui.printing.escpos import to_escpos
from tui.printing.text import printable
from tui.services import printing
from tui.store.repository import Store

DUMMY = PrinterTarget("file", device="(dummy)")


def on_dummy(document: Document) -> list[str]:
    """Print through the real sending path onto a Dummy printer; its lines."""
    dummy = Dummy()
    printing.print_document(DUMMY, document, printer=dummy)
    return printed(dummy.output)


def forms(store: Store, count: int) -> list[IntakeForm]:
    compound = store.compounds()[0].id
    return [
        IntakeForm(
            name=f"居民{i}",
            compound=compound,
            phone=f"1380013{i:04d}",
            category="noise",
            description=f"楼上噪音 第{i}次",
        )
        for i in range(count)
    ]


def test_the_slip_in_chinese(sample_store: Store) -> None:
    set_language("zh")
    tickets = issue(sample_store, *forms(sample_store, 3))
    third = tickets[2]
    lines = on_dummy(printing.slip_document(sample_store, third))
    session = sample_store.open_session()
    assert session is not None
    place = sample_store.compound_name(session.compound)
    assert lines == [
        "新宁社区",
        "排队小票",
        "-" * 32,
        third.number,
        "办理事项：噪音扰民",
        "前面等候：2 人",
        f"取号时间：2026-11-27 {third.issued_at[11:16]}",
        f"服务地点：{place}",
        "社区电话：0971 800 3278",
        "-" * 32,
        "请留意叫号，过号请与工作人员联系。",
    ]


def test_the_slip_carries_no_other_residents_data(sample_store: Store) -> None:
    """The slip goes into the resident's hand: no name, phone or request of
    anyone (its own resident's name and phone are not on it either)."""
    tickets = issue(sample_store, *forms(sample_store, 4))
    raw = b"".join(to_escpos(printing.slip_document(sample_store, t)) for t in tickets)
    text = "\n".join(printed(to_escpos(printing.slip_document(sample_store, tickets[3]))))
    for visit in sample_store.visits(sample_store.today()):
        for value in (visit.name, visit.description, visit.phone[-8:]):
            assert value.encode("gb18030") not in raw, value
            assert value not in text
    for other in tickets[:3]:
        assert other.number not in text
    assert "Waiting ahead: 3 people" in text


def test_the_receipt_and_the_card(sample_store: Store) -> None:
    set_language("zh")
    case = next(c for c in sample_store.open_cases() if c.owner_kind == "party" and c.chaser)
    lines = on_dummy(printing.receipt_document(sample_store, case))
    compound = next(c for c in sample_store.compounds() if c.id == case.compound)
    staff = {s.id: s for s in sample_store.staff()}
    worker = staff[compound.grid_worker]
    owner = next(p.name for p in sample_store.parties() if p.id == case.owner)
    assert lines[:4] == ["新宁社区", "登记回执", "-" * 32, f"登记编号：{case_number(case)}"]
    for line in (
        f"登记日期：{case.day}",
        f"  {case.summary}",
        f"所在小区：{compound.name}",
        f"承办：{owner}",
        f"督办人：{staff[case.chaser].name}",
        f"办理时限：{case.due}",
        "办理期间如有疑问，请联系网格员",
        f"{worker.name}  {worker.phone[3:6]} {worker.phone[6:10]} {worker.phone[10:]}",
        "社区电话：0971 800 3278",
    ):
        assert line in lines
    assert any(line.startswith("答复方式：") for line in lines)

    card = on_dummy(printing.card_document(sample_store))
    assert card[:5] == [
        "新宁社区",
        "社区连心卡",
        "-" * 32,
        "党委书记：熊兰  138 0000 9847",
        "社区电话：0971 800 3278",
    ]
    assert "网格员" in card
    for member in sample_store.staff():
        if member.role == "grid_worker":
            assert any(line.startswith(member.name + "  ") for line in card)
    covered = [line for line in card if line.startswith("  负责：")]
    assert len(covered) == 6 and all("、" in line for line in covered)


def test_a_reply_at_the_next_session_names_the_planned_day(sample_store: Store) -> None:
    """ "Told at the next session" names the day of the next desk planned at
    the resident's compound; with none planned, the due date."""
    from tui.domain.records import Outing

    case = next(c for c in sample_store.open_cases() if c.compound)
    case = dataclasses.replace(case, reply_via="next_session", due="2026-12-09")
    lines = "\n".join(printing.receipt_document(sample_store, case).text_lines())
    assert "You will be told: next session, by 2026-12-09" in lines
    sample_store.save(Outing(month="2026-12", day="2026-12-03", compound=case.compound))
    lines = "\n".join(printing.receipt_document(sample_store, case).text_lines())
    assert "You will be told: next session (2026-12-03)" in lines


@pytest.mark.parametrize("hostile", HOSTILE["strings"])
def test_hostile_text_prints_literally(sample_store: Store, hostile: str) -> None:
    """Markup, RTL overrides, emoji, 10,000 characters, control characters:
    printed as written minus the controls, and never a printer command."""
    community = sample_store.community()
    assert community is not None
    case = next(c for c in sample_store.open_cases())
    case = dataclasses.replace(case, summary=hostile, name=hostile)
    documents = [
        receipt(
            case,
            category=None,
            owner=hostile,
            chaser="",
            grid_worker=None,
            compound=hostile,
            next_session="",
            community=dataclasses.replace(community, name=hostile, secretary=hostile),
        ),
        card(
            dataclasses.replace(community, name=hostile, secretary=hostile),
            [dataclasses.replace(s, name=hostile) for s in sample_store.staff()],
            [dataclasses.replace(c, name=hostile) for c in sample_store.compounds()],
        ),
    ]
    shown = printable(hostile)
    for document in documents:
        lines = printed(to_escpos(document))  # no control byte in the text, no unknown command
        if shown:
            assert any(shown in line for line in lines)
        joined = "\n".join(lines)
        assert "\x1b" not in joined and "\x00" not in joined and "\u202e" not in joined


def test_text_gb18030_cannot_encode_prints_as_a_mark() -> None:
    """A lone surrogate (from a broken paste) has no GB18030 bytes: a field
    shows it as U+FFFD, and one left in any other text prints as "?"; the
    rest of the line is kept."""
    assert printable("ab\udc80cd") == "ab\ufffdcd"
    document = Document("card", "x", (Line("field", "ab\udc80cd", "k"),))
    assert printed(to_escpos(document)) == ["k: ab?cd"]


class BrokenPrinter(Dummy):  # type: ignore[misc]
    """A printer that takes the connection and then fails to print."""

    def _raw(self, msg: bytes) -> None:
        raise OSError(5, "Input/output error")


def test_a_failing_printer_is_one_line(sample_store: Store, tmp_path: Path) -> None:
    document = printing.card_document(sample_store)
    with pytest.raises(PrintError) as failed:
        printing.print_document(DUMMY, document, printer=BrokenPrinter())
    assert failed.value.code == "print.failed"
    assert failed.value.params["reason"] == "[Errno 5] Input/output error"
    target = parse_printer(f"file:{tmp_path}/no/such/folder/lp0")
    with pytest.raises(PrintError) as failed:
        printing.print_document(target, document)
    reason: Any = failed.value.params["reason"]
    assert "\n" not in reason and "No such file or directory" in reason


def test_a_device_file_gets_the_whole_document(sample_store: Store, tmp_path: Path) -> None:
    device = tmp_path / "lp0"
    document = printing.card_document(sample_store)
    printing.print_document(parse_printer(f"file:{device}"), document)
    assert device.read_bytes() == to_escpos(document)


def print_or_give_up(target: PrinterTarget, document: Document, pipe: Path) -> PrintError:
    """Print in a thread; the PrintError it ends with. One still waiting
    after a few seconds is a failure (its pipe is then read to let it go)."""
    outcome: list[PrintError] = []

    def attempt() -> None:
        try:
            printing.print_document(target, document)
        except PrintError as err:
            outcome.append(err)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(4)
    if worker.is_alive():
        reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)
        while worker.is_alive():
            try:
                os.read(reader, 65536)
            except BlockingIOError:
                time.sleep(0.01)
        os.close(reader)
        pytest.fail("the print waited for a device that takes nothing")
    assert outcome, "printed onto a device that takes nothing"
    return outcome[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX pipes")
def test_a_device_file_that_takes_nothing_fails_instead_of_waiting(
    sample_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A printer switched off behind /dev/usb/lp0 (or a pipe): the print
    gives up in one line, so it never holds the prints after it or the
    app's exit."""
    monkeypatch.setattr(connect, "FILE_TIMEOUT", 0.5, raising=False)
    pipe = tmp_path / "lp0"
    os.mkfifo(pipe)
    target = parse_printer(f"file:{pipe}")
    document = printing.card_document(sample_store)
    failed = print_or_give_up(target, document, pipe)  # no one reads
    assert failed.code == "print.failed" and "nothing reads" in str(failed.params["reason"])
    reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)  # one that reads nothing
    full = os.open(pipe, os.O_WRONLY | os.O_NONBLOCK)
    try:
        while True:
            os.write(full, b"x" * 4096)
    except BlockingIOError:
        pass
    started = time.monotonic()
    failed = print_or_give_up(target, document, pipe)
    assert "took no data for 0.5 s" in str(failed.params["reason"])
    assert time.monotonic() - started < 3
    os.close(full)
    os.close(reader)


def test_no_printer_set(sample_store: Store) -> None:
    assert printing.configured_printer(sample_store).kind == "none"
    with pytest.raises(PrintError) as failed:
        printing.print_document(printing.configured_printer(sample_store), empty_document())
    assert failed.value.code == "print.no_printer"


def empty_document() -> Document:
    return Document("card", "x", ())


def test_cases_and_tickets_are_found_by_number(sample_store: Store) -> None:
    tickets = issue(sample_store, *forms(sample_store, 2))
    today = sample_store.today()
    assert printing.find_ticket(sample_store, tickets[1].number.lower(), today) == tickets[1]
    assert printing.find_ticket(sample_store, tickets[0].id, today) == tickets[0]
    with pytest.raises(PrintError, match="print.no_ticket"):
        printing.find_ticket(sample_store, "F999", today)
    case: Case = sample_store.open_cases()[0]
    assert printing.find_case(sample_store, case_number(case).lower()) == case
    assert printing.find_case(sample_store, case.id) == case
    for short in ("", "A9B", "ZZZZZZZZ"):
        with pytest.raises(PrintError, match="print.no_case"):
            printing.find_case(sample_store, short)

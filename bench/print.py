"""Printing: a ticket's slip from the records to the printer's bytes, as the
app's worker does it after an intake (the day's queue read, the document
made, ESC/POS rendered, sent), onto python-escpos's Dummy printer; with 200
tickets issued that day. Also the contact card as a PDF (font embedding)
and as HTML, once each."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

if __name__ == "__main__":  # run as a script: the checkout, not bench/, first on the path
    sys.path[0] = str(Path(__file__).resolve().parents[1])

from escpos.printer import Dummy

from bench.common import ms, percentile
from bench.queue import fresh
from tui.domain.printer import PrinterTarget
from tui.services import printing

TICKETS = 200
DUMMY = PrinterTarget("file", device="(dummy)")


def run() -> dict[str, Any]:
    store = fresh("print", TICKETS)  # the queue benchmark's day: 200 intakes with tickets
    tickets = store.tickets(store.today())
    slips = []
    for ticket in tickets:
        start = time.perf_counter()
        dummy = Dummy()
        printing.print_document(DUMMY, printing.slip_document(store, ticket), printer=dummy)
        slips.append(time.perf_counter() - start)
        assert ticket.number.encode() in dummy.output
    card = printing.card_document(store)
    start = time.perf_counter()
    pdf = printing.render(card, "pdf")
    pdf_time = time.perf_counter() - start
    start = time.perf_counter()
    page = printing.render(card, "html")
    html_time = time.perf_counter() - start
    return {
        "slips": len(slips),
        "slip_p50": percentile(slips, 50),
        "slip_p95": percentile(slips, 95),
        "slip_first": slips[0],
        "pdf": pdf_time,
        "pdf_bytes": len(pdf),
        "html": html_time,
        "html_bytes": len(page),
    }


def rows(found: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (
            f"Ticket slip to printer bytes ({found['slips']} slips, {TICKETS} issued that day)",
            f"p50 {ms(found['slip_p50'])}, p95 {ms(found['slip_p95'])} "
            f"(first {ms(found['slip_first'])})",
            "p95 < 100 ms",
        ),
        (
            "Contact card as A4 PDF (CJK font embedded) / HTML",
            f"{ms(found['pdf'])} ({found['pdf_bytes'] // 1024} KB) / {ms(found['html'])}",
            "",
        ),
    ]


if __name__ == "__main__":
    for name, figure, goal in rows(run()):
        print(f"{name}: {figure} {goal}")

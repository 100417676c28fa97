"""`fielddesk print card|slip|receipt [ID] [--format escpos|pdf|html] [--out FILE]`.

Without --format and --out the document goes to this laptop's receipt
printer (`fielddesk config set printer ...`); with them it is written to
FILE (or standard output), as receipt-printer bytes, an A4 PDF or an A4
HTML page. The data folder is only read. docs/PRINTING.md.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tui.i18n import t

WHAT = ("card", "slip", "receipt")
FORMATS = ("escpos", "pdf", "html")
SUFFIXES = {".pdf": "pdf", ".html": "html", ".htm": "html"}
# Refusals that are a mistake on the command line (exit 2), not a printer's.
USAGE_CODES = frozenset(
    {
        "print.no_ticket",
        "print.ticket_twice",
        "print.no_case",
        "print.case_twice",
        "print.no_printer",
        "print.bad_setting",
    }
)


def add_print_command(
    commands: Any, global_options: Callable[[argparse.ArgumentParser, bool], None]
) -> None:
    sub = commands.add_parser(
        "print", help=t("print.cli.command"), description=t("print.cli.command")
    )
    global_options(sub, True)
    sub.add_argument("what", choices=WHAT, metavar="card|slip|receipt", help=t("print.cli.what"))
    sub.add_argument("id", nargs="?", metavar="ID", help=t("print.cli.id"))
    sub.add_argument("--format", choices=FORMATS, default=None, help=t("print.cli.format"))
    sub.add_argument("--out", metavar="FILE", help=t("print.cli.out"))
    sub.add_argument("--force", action="store_true", help=t("cli.opt.force"))
    sub.add_argument("--date", metavar="YYYY-MM-DD", help=t("print.cli.date"))


def cmd_print(args: argparse.Namespace) -> int:
    from tui.cli import EXIT_PROBLEMS, UserError, _open_store, _said, _typed_day
    from tui.domain.printer import PrintError
    from tui.output import check_out, write_out
    from tui.services import printing

    if args.what != "card" and not (args.id or "").strip():
        raise UserError(t("print.needs_ticket" if args.what == "slip" else "print.needs_case"))
    form = args.format
    if form is None and args.out not in (None, "-"):
        form = SUFFIXES.get(Path(args.out).suffix.lower(), "escpos")
    to_file = form is not None or args.out is not None
    form = form or "pdf"
    to_stdout = to_file and args.out in (None, "-")
    if to_stdout and form != "html" and sys.stdout.isatty():
        raise UserError(t("print.needs_out", format=form))
    out = check_out(args.out, force=args.force) if to_file and not to_stdout else None
    store = _open_store(args, reading=True)
    try:
        if args.what == "card":
            document = printing.card_document(store)
        elif args.what == "slip":
            day = _typed_day(args.date, store.today()) if args.date else store.today()
            document = printing.slip_document(store, printing.find_ticket(store, args.id, day))
        else:
            document = printing.receipt_document(store, printing.find_case(store, args.id))
        if not to_file:
            target = printing.configured_printer(store)
            printing.print_document(target, document)
            print(t("print.printed", name=document.name, printer=str(target)), file=sys.stderr)
            return 0
        payload = printing.render(document, form)
    except PrintError as err:
        if err.code in USAGE_CODES:
            raise UserError(_said(err)) from None
        print(f"fielddesk: {_said(err)}", file=sys.stderr)
        return EXIT_PROBLEMS
    if out is not None:
        write_out(out, payload)
        print(t("print.written", name=document.name, file=out), file=sys.stderr)
    else:
        sys.stdout.buffer.write(payload)
    return 0

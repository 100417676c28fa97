"""The `fielddesk` command: the staff app and its tools.

Every command has --help, exits non-zero with a one-line reason on bad input
and never prints a traceback for a user mistake.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from platformdirs import user_data_dir

from tui import __version__
from tui.i18n import LANGUAGES, has, set_language, t

if TYPE_CHECKING:
    from tui.report.tables import Report
    from tui.store.repository import Store
    from tui.store.sync import SyncReport
    from tui.voice import Voice

EXIT_PROBLEMS = 1
EXIT_USAGE = 2
CHECK_LINES = 40  # per kind; the summary line counts them all


class UserError(Exception):
    """A mistake on the command line: one line to stderr, exit 2."""


def _said(err: BaseException) -> str:
    """An error in the user's words (imported late: start-up stays light)."""
    from tui.messages import describe_error

    return describe_error(err)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} ({t('cli.see_help')})\n")


def default_data_dir() -> Path:
    env = os.environ.get("FIELDDESK_DATA")
    return Path(env) if env else Path(user_data_dir("fielddesk", appauthor=False))


def sample_data_dir() -> Path:
    """sample_data/ inside the wheel, or beside the package in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "sample_data", here.parent / "sample_data"):
        if (candidate / "registry.json").exists():
            return candidate
    raise UserError(t("demo.no_sample"))


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(t("cli.not_a_number", value=text)) from None
    if value < 0:
        raise argparse.ArgumentTypeError(t("cli.not_a_number", value=text))
    return value


def _day(text: str) -> date:
    """A day on the command line, read as in the app (2026-11-20, 11-20)."""
    from tui.domain.calendar import DayError, parse_day

    try:
        typed = parse_day(text, date.today())
    except DayError as err:
        raise argparse.ArgumentTypeError(_said(err)) from None
    if not typed:
        raise argparse.ArgumentTypeError(t("cli.not_a_date", value=text))
    return date.fromisoformat(typed)


def _global_options(parser: argparse.ArgumentParser, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--data", metavar="DIR", default=default, help=t("cli.opt.data"))
    parser.add_argument(
        "--lang", choices=sorted(LANGUAGES), default=default, help=t("cli.opt.lang")
    )
    parser.add_argument(
        "--desk",
        type=_positive,
        metavar="N",
        default=argparse.SUPPRESS if suppress else None,
        help=t("cli.opt.desk"),
    )
    parser.add_argument("--staff", metavar="NAME", default=default, help=t("cli.opt.staff"))
    parser.add_argument(
        "--create",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help=t("cli.opt.create"),
    )


def _translate_argparse() -> None:
    """argparse's own words (usage:, options:, its error sentences) come from
    gettext, which knows no Chinese here: give it our catalogue's."""

    def gettext(message: str) -> str:
        key = f"argparse.{message}"
        return t(key) if has(key) else message

    def ngettext(singular: str, plural: str, count: int) -> str:
        return gettext(singular if count == 1 else plural)

    argparse._ = gettext  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]


def build_parser() -> argparse.ArgumentParser:
    _translate_argparse()
    parser = _Parser(prog="fielddesk", description=t("cli.description"))
    parser.add_argument(
        "--version", action="version", version=f"fielddesk {__version__}", help=t("cli.opt.version")
    )
    _global_options(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=t(f"cli.cmd.{name}"), description=t(f"cli.cmd.{name}"))
        _global_options(sub, suppress=True)
        return sub

    command("run")
    command("demo")
    init = command("init")
    init.add_argument("--community", metavar="NAME", help=t("cli.opt.community_name"))
    init.add_argument("--sub-district", metavar="NAME", default="", help=t("cli.opt.sub_district"))
    init.add_argument("--phone", metavar="PHONE", default="", help=t("cli.opt.office_phone"))
    init.add_argument("--secretary", metavar="NAME", default="", help=t("cli.opt.secretary"))
    init.add_argument(
        "--secretary-phone", metavar="PHONE", default="", help=t("cli.opt.secretary_phone")
    )
    display = command("display")
    display.add_argument("--names", action="store_true", help=t("cli.opt.names"))
    display.add_argument("--bell", action="store_true", help=t("cli.opt.bell"))
    display.add_argument("--contrast", action="store_true", help=t("cli.opt.contrast"))
    display.add_argument("--web", action="store_true", help=t("cli.opt.web"))
    display.add_argument("--host", default="127.0.0.1", help=t("cli.opt.host"))
    display.add_argument("--port", type=int, default=8080, help=t("cli.opt.port"))
    display.add_argument("--token", help=t("cli.opt.token"))
    display.add_argument("--voice", action="store_true", help=t("cli.opt.voice"))
    display.add_argument("--voice-to", metavar="FOLDER", help=t("cli.opt.voice_to"))
    command("check")
    export = command("export")
    export.add_argument("--format", choices=["json"], default="json", help=t("cli.opt.format"))
    export.add_argument("--out", metavar="FILE", help=t("cli.opt.out"))
    export.add_argument("--force", action="store_true", help=t("cli.opt.force"))
    importer = command("import")
    importer.add_argument("file", metavar="FILE.json", help=t("cli.opt.import_file"))
    report = command("report")
    period = report.add_mutually_exclusive_group(required=True)
    period.add_argument("--date", metavar="YYYY-MM-DD", help=t("cli.opt.report_date"))
    period.add_argument("--month", metavar="YYYY-MM", help=t("cli.opt.report_month"))
    report.add_argument("--format", choices=["md", "csv", "xlsx", "json"], default="md")
    report.add_argument("--out", metavar="FILE", help=t("cli.opt.out"))
    report.add_argument("--force", action="store_true", help=t("cli.opt.force"))
    report.add_argument("--redact", action="store_true", help=t("cli.opt.redact"))
    # -- the month's plan (tui/domain/plan.py) --
    plan = commands.add_parser("plan", help=t("plan.cli.help"), description=t("plan.cli.help"))
    _global_options(plan, suppress=True)
    plan.add_argument("--month", metavar="YYYY-MM", required=True, help=t("plan.cli.month"))
    plan.add_argument(
        "--sessions", type=_positive, default=3, metavar="N", help=t("plan.cli.sessions")
    )
    plan.add_argument("--format", choices=["md", "xlsx", "json"], default="md")
    plan.add_argument("--out", metavar="FILE", help=t("cli.opt.out"))
    plan.add_argument("--force", action="store_true", help=t("cli.opt.force"))
    plan.add_argument("--accept", action="store_true", help=t("plan.cli.accept"))
    residents = command("residents")
    what = residents.add_subparsers(
        dest="residents_command", metavar="ACTION", required=True, parser_class=_Parser
    )
    importer_r = what.add_parser(
        "import", help=t("cli.cmd.residents_import"), description=t("cli.cmd.residents_import")
    )
    _global_options(importer_r, suppress=True)
    importer_r.add_argument("file", metavar="FILE", help=t("cli.opt.sheet"))
    importer_r.add_argument("--dry-run", action="store_true", help=t("cli.opt.dry_run"))
    importer_r.add_argument("--skip-bad", action="store_true", help=t("cli.opt.skip_bad"))
    importer_r.add_argument("--compound", metavar="NAME", default="", help=t("cli.opt.compound"))
    importer_r.add_argument("--new-compounds", action="store_true", help=t("cli.opt.new_compounds"))
    visits = what.add_parser(
        "home-visits", help=t("cli.cmd.home_visits"), description=t("cli.cmd.home_visits")
    )
    _global_options(visits, suppress=True)
    visits.add_argument("--quarter", metavar="YYYYQn", help=t("cli.opt.quarter"))
    visits.add_argument("--format", choices=["md", "csv", "xlsx", "json"], default="md")
    visits.add_argument("--out", metavar="FILE", help=t("cli.opt.out"))
    visits.add_argument("--force", action="store_true", help=t("cli.opt.force"))
    # -- community: the office's workbook (tui/registry/community_io.py) --
    community = commands.add_parser(
        "community",
        help=t("community_sheet.cli.command"),
        description=t("community_sheet.cli.command"),
    )
    _global_options(community, suppress=True)
    community_what = community.add_subparsers(
        dest="community_command", metavar="ACTION", required=True, parser_class=_Parser
    )
    for action in ("import", "template", "export"):
        sub = community_what.add_parser(
            action,
            help=t(f"community_sheet.cli.{action}"),
            description=t(f"community_sheet.cli.{action}"),
        )
        _global_options(sub, suppress=True)
        if action == "import":
            sub.add_argument("file", metavar="FILE", help=t("community_sheet.cli.file"))
            sub.add_argument("--dry-run", action="store_true", help=t("cli.opt.dry_run"))
            sub.add_argument("--skip-bad", action="store_true", help=t("cli.opt.skip_bad"))
            continue
        if action == "export":
            sub.add_argument(
                "--format",
                choices=["xlsx", "json"],
                default="xlsx",
                help=t("community_sheet.cli.format"),
            )
        sub.add_argument(
            "--out",
            metavar="FILE.xlsx" if action == "template" else "FILE",
            required=action == "template",
            help=t("community_sheet.cli.out"),
        )
        sub.add_argument("--force", action="store_true", help=t("cli.opt.force"))
    config = command("config")
    config_what = config.add_subparsers(
        dest="config_command", metavar="ACTION", required=True, parser_class=_Parser
    )
    getter = config_what.add_parser("get", help=t("cli.cmd.config_get"))
    getter.add_argument("key", nargs="?", metavar="KEY", help=t("cli.opt.config_key"))
    setter = config_what.add_parser("set", help=t("cli.cmd.config_set"))
    setter.add_argument("key", metavar="KEY", help=t("cli.opt.config_key"))
    setter.add_argument("value", metavar="VALUE", help=t("cli.opt.config_value"))
    # -- the office's PostgreSQL hub (tui/store/hub.py) --
    server = commands.add_parser(
        "server", help=t("hub.cli.command"), description=t("hub.cli.command")
    )
    _global_options(server, suppress=True)
    server_what = server.add_subparsers(
        dest="server_command", metavar="ACTION", required=True, parser_class=_Parser
    )
    server_init = server_what.add_parser(
        "init", help=t("hub.cli.init"), description=t("hub.cli.init")
    )
    _global_options(server_init, suppress=True)
    server_init.add_argument("--url", metavar="URL", help=t("hub.cli.url"))
    syncer = commands.add_parser(
        "sync", help=t("sync.cli.command"), description=t("sync.cli.command")
    )
    _global_options(syncer, suppress=True)
    syncer.add_argument("--url", metavar="URL", help=t("hub.cli.url"))
    syncer.add_argument("--community", metavar="ID", help=t("sync.cli.community"))
    syncer.add_argument("--all", action="store_true", help=t("sync.cli.all"))
    syncer.add_argument(
        "--batch", type=_positive, default=None, metavar="N", help=t("sync.cli.batch")
    )
    from tui.print_cli import add_print_command  # fielddesk print (docs/PRINTING.md)

    add_print_command(commands, _global_options)
    gen = command("gen")
    gen.add_argument("--residents", type=_positive, default=10500, metavar="N")
    gen.add_argument("--years", type=_positive, default=5, metavar="Y")
    gen.add_argument("--seed", type=int, default=1, metavar="S")
    gen.add_argument(
        "--until", type=_day, default=None, metavar="YYYY-MM-DD", help=t("cli.opt.until")
    )
    gen.add_argument("--sample", action="store_true", help=t("cli.opt.sample"))
    return parser


def _data_dir(args: argparse.Namespace) -> Path:
    return Path(args.data).expanduser() if args.data else default_data_dir()


def _folder_to_read(args: argparse.Namespace) -> Path:
    """The data folder for a command that only reads: it must be there (a
    reader never makes one)."""
    folder = _data_dir(args)
    if not folder.is_dir():
        key = "cli.not_a_folder" if folder.exists() else "cli.no_folder"
        raise UserError(t(key, folder=folder))
    return folder


def _folder_to_write(args: argparse.Namespace) -> Path:
    """The data folder for a command that writes. A folder named by --data or
    FIELDDESK_DATA that does not exist is more likely a typing mistake than a
    new community: asked on a terminal, refused without one (unless --create).
    The default folder is made on first run without asking."""
    folder = _data_dir(args)
    if folder.is_dir():
        return folder
    if folder.exists():
        raise UserError(t("cli.not_a_folder", folder=folder))
    named = args.data or os.environ.get("FIELDDESK_DATA")
    if not named or args.create:
        return folder
    if sys.stdin.isatty():
        print(t("cli.ask_create", folder=folder), end=" ", file=sys.stderr, flush=True)
        if sys.stdin.readline().strip().lower() in ("y", "yes", "是", "好"):
            return folder
    raise UserError(t("cli.no_data_folder", folder=folder))


def cmd_run(args: argparse.Namespace) -> int:
    from tui.launch import make_app  # Textual loads only for the commands that draw

    app = make_app(_folder_to_write(args), desk=args.desk, lang=args.lang, staff=args.staff)
    app.notice = getattr(args, "notice", "")
    app.run()
    # An exception inside the app ends it with return code 1 (Textual has
    # already shown the traceback): the shell and scripts must see a failure.
    return app.return_code or 0


PROFILE_OPTIONS = ("community", "sub_district", "phone", "secretary", "secretary_phone")


def cmd_init(args: argparse.Namespace) -> int:
    """A new community's data folder: its profile and the built-in request
    categories; asked for on a terminal when --community is not given. The
    lists come next, from `community import` or F7."""
    from tui.domain.community import first_records, from_form
    from tui.domain.errors import ValidationFailed
    from tui.domain.records import Community
    from tui.store.repository import Store

    folder = _data_dir(args)
    if folder.exists() and not folder.is_dir():
        raise UserError(t("cli.not_a_folder", folder=folder))
    values = {name: getattr(args, name) or "" for name in PROFILE_OPTIONS}
    if not values["community"]:
        if not sys.stdin.isatty():
            raise UserError(t("init.name_needed"))
        for name in PROFILE_OPTIONS:
            if not values[name]:
                print(t(f"init.ask.{name}"), end=" ", file=sys.stderr, flush=True)
                values[name] = sys.stdin.readline().strip()
    values["name"] = values.pop("community")
    try:
        profile = from_form(Community(name=""), values)
    except ValidationFailed as err:
        raise UserError(_said(err)) from None
    store = Store(folder, by=args.staff or "")
    if store.community() is not None or store.compounds():
        raise UserError(t("init.already", folder=folder))
    store.save_many(first_records(profile, store.categories()))
    print(t("init.done", community=profile.name, folder=folder))
    print(t("init.next", folder=folder))
    return 0


def cmd_display(args: argparse.Namespace) -> int:
    # A mistyped folder would show "Waiting for data…" for ever: said instead.
    folder = _folder_to_read(args)
    voice, voice_off = None, ""
    if args.voice or args.voice_to:
        from tui.voice import Voice

        voice, said = Voice.start(to_folder=Path(args.voice_to) if args.voice_to else None)
        print(said, file=sys.stderr if voice is None else sys.stdout, flush=True)
        voice_off = said if voice is None else ""
        if voice is not None and args.web:
            voice.on_failed = lambda line: print(line, file=sys.stderr, flush=True)
    if args.web:
        return _web_board(args, folder, voice)
    from tui.display_app import make_display

    display = make_display(
        folder,
        lang=args.lang,
        names=args.names,
        bell=args.bell,
        contrast=args.contrast,
        voice=voice,
        note=voice_off,  # the line above is gone once the display fills the screen
    )
    display.run()
    return display.return_code or 0


def _web_board(args: argparse.Namespace, folder: Path, voice: Voice | None) -> int:
    import asyncio
    import re

    from tui.store.repository import system_clock
    from tui.web.serve import BoardError, serve
    from tui.web.server import new_token

    token = args.token or new_token()
    if not re.fullmatch(r"[A-Za-z0-9_-]{16,}", token):
        raise UserError(t("web.bad_token"))
    if not 0 <= args.port <= 65535:
        raise UserError(t("web.cannot_listen", host=args.host, port=args.port, error="1-65535"))
    try:
        asyncio.run(
            serve(
                folder,
                host=args.host,
                port=args.port,
                token=token,
                clock=system_clock,
                names=args.names,
                contrast=args.contrast,
                voice=voice,
                out=sys.stdout,
            )
        )
    except BoardError as err:
        print(err, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    target = (
        Path(args.data).expanduser()
        if args.data
        else Path(tempfile.mkdtemp(prefix="fielddesk-demo-"))
    )
    if target.exists() and any(target.iterdir()):
        raise UserError(t("demo.not_empty", folder=target))
    copy_sample(target)
    args.data = str(target)
    # Said before the app takes the screen, and in it: where the copy lives.
    where = t("demo.where", folder=target)
    print(where, flush=True)
    args.notice = where
    code = cmd_run(args)
    print(t("demo.kept", folder=target))
    return code


def copy_sample(target: Path) -> None:
    from tui.durable import DIR_MODE, FILE_MODE

    shutil.copytree(sample_data_dir(), target, dirs_exist_ok=True)
    for folder, _dirs, files in os.walk(target):
        os.chmod(folder, DIR_MODE)
        for name in files:
            os.chmod(os.path.join(folder, name), FILE_MODE)


def cmd_check(args: argparse.Namespace) -> int:
    from tui.store.check import check_folder

    folder = _data_dir(args)
    if folder.exists() and not folder.is_dir():
        raise UserError(t("cli.not_a_folder", folder=folder))
    report = check_folder(folder)
    for kind, findings in (("check.line", report.problems), ("check.note", report.notes)):
        for finding in findings[:CHECK_LINES]:
            print(t(kind, file=finding.file, message=t(finding.code), detail=finding.detail))
        if len(findings) > CHECK_LINES:
            print(t("check.more", count=len(findings) - CHECK_LINES))
    print(
        t(
            "check.summary",
            files=report.files,
            records=report.records,
            problems=len(report.problems),
        )
    )
    return EXIT_PROBLEMS if report.problems else 0


def _open_store(
    args: argparse.Namespace, *, must_exist: bool = True, reading: bool = False
) -> Store:
    """`reading`: the command only reads, so it opens the folder read-only (no
    lock file, nothing moved aside), after completing a commit a killed
    writer left, if the folder can be written."""
    from tui.durable import is_read_only
    from tui.store import journal
    from tui.store.repository import Store

    folder = _folder_to_read(args) if must_exist else _data_dir(args)
    if reading:
        if journal.pending(folder) and not is_read_only(folder):
            Store(folder, by=args.staff or "")
        return Store(folder, by=args.staff or "", read_only=True)
    return Store(folder, by=args.staff or "")


def cmd_export(args: argparse.Namespace) -> int:
    from tui.output import check_out, write_out
    from tui.store.exchange import export_bytes

    to_stdout = args.out is None or args.out == "-"
    out = None if to_stdout else check_out(args.out, force=args.force)
    payload = export_bytes(_open_store(args, reading=True))
    if out is not None:
        write_out(out, payload)
        print(t("export.written", file=out), file=sys.stderr)
    else:
        sys.stdout.buffer.write(payload + b"\n")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from tui.store.exchange import ImportRefused, import_docs, read_payload

    # `-` is standard input: `ssh laptop fielddesk export | fielddesk import -`.
    source: Path | str = "-" if args.file == "-" else Path(args.file).expanduser()
    if isinstance(source, Path) and not source.is_file():
        raise UserError(t("import.no_file", file=source))
    try:
        docs = read_payload(sys.stdin.buffer.read() if source == "-" else Path(source))
        _folder_to_write(args)
        summary = import_docs(_open_store(args, must_exist=False), docs)
    except ImportRefused as err:
        from tui.messages import describe_field_error

        for problem in err.problems[:20]:
            message = "; ".join(describe_field_error(e) for e in problem.errors)
            ident = problem.record_id or "—"
            line = t("import.problem", number=problem.number, id=ident, message=message)
            print(line, file=sys.stderr)
        raise UserError(t(err.code, file=source, count=len(err.problems))) from None
    _say_conflicts(summary.conflicted)
    print(
        t(
            "import.summary",
            added=summary.added,
            updated=summary.updated,
            unchanged=summary.unchanged,
            conflicts=len(summary.conflicts),
            folded=summary.folded,
        )
    )
    return 0


def _typed_day(text: str, today: str) -> str:
    """--date as typed, read by the app's one parser; "" stays "" (refused by the report)."""
    from tui.domain.calendar import DayError, parse_day

    try:
        return parse_day(text, date.fromisoformat(today)) or text
    except DayError as err:
        if err.code == "date.bad":  # the report's own words: no "+3" for a past day
            raise UserError(t("report.bad_date", value=text)) from None
        raise UserError(_said(err)) from None


def cmd_report(args: argparse.Namespace) -> int:
    from tui.domain.report import ReportError
    from tui.report.collect import build_day, build_month

    _check_output(args)
    store = _open_store(args, reading=True)
    try:
        if args.date is not None:
            report = build_day(store, _typed_day(args.date, store.today()), redact=args.redact)
        else:
            report = build_month(store, args.month, redact=args.redact)
    except ReportError as err:
        raise UserError(_said(err)) from None
    _emit(report, args)
    return 0


def _check_output(args: argparse.Namespace) -> None:
    """Before any work: an Excel file is not written to a terminal, and --out
    is a path that may be written (tui/output.py)."""
    from tui.output import check_out

    to_stdout = args.out is None or args.out == "-"  # `--out -` is standard output
    # Excel needs --out: a file, or `-` into a pipe (never onto a terminal).
    if args.format == "xlsx" and (args.out is None or (to_stdout and sys.stdout.isatty())):
        raise UserError(t("report.xlsx_needs_out"))
    args.out_path = None if to_stdout else check_out(args.out, force=args.force)


def _emit(report: Report, args: argparse.Namespace) -> None:
    """A report in --format to --out (atomically), else to standard output."""
    from tui.output import write_out
    from tui.report.render import RENDERERS

    payload = RENDERERS[args.format](report)
    if args.out_path is not None:
        write_out(args.out_path, payload)
        print(t("report.written", file=args.out_path), file=sys.stderr)
    else:
        sys.stdout.buffer.write(payload + (b"" if payload.endswith(b"\n") else b"\n"))


def cmd_plan(args: argparse.Namespace) -> int:
    """The month's outings: proposed (accepted ones first), --accept stores them."""
    from tui.domain.plan import PlanError
    from tui.output import write_out
    from tui.report.plan import accept_plan, month_plan, notice, plan_json
    from tui.report.render import RENDERERS

    _check_output(args)
    store = _open_store(args, reading=not args.accept)
    try:
        plan = month_plan(store, args.month, args.sessions)
        if args.accept:
            saved = accept_plan(store, plan)
            print(
                t("plan.accepted", count=len(saved)) if saved else t("plan.nothing_to_accept"),
                file=sys.stderr,
            )
            plan = month_plan(store, args.month, args.sessions)
    except PlanError as err:
        raise UserError(_said(err)) from None
    if args.format == "json":
        payload = plan_json(store, plan)
    else:
        payload = RENDERERS[args.format](notice(store, plan))
    if args.out_path is not None:
        write_out(args.out_path, payload)
        print(t("report.written", file=args.out_path), file=sys.stderr)
    else:
        sys.stdout.buffer.write(payload + (b"" if payload.endswith(b"\n") else b"\n"))
    return 0


def cmd_residents(args: argparse.Namespace) -> int:
    if args.residents_command == "home-visits":
        return _home_visits(args)
    from tui.domain.registry_import import RowError
    from tui.registry.apply import plan_file, write
    from tui.registry.read import SheetError
    from tui.registry.summary import describe_plan

    store = _open_store(args, reading=args.dry_run)
    try:
        plan = plan_file(
            store, Path(args.file).expanduser(), args.compound, new_compounds=args.new_compounds
        )
    except (SheetError, RowError) as err:
        raise UserError(_said(err)) from None
    for line in describe_plan(plan, store.compounds()):
        print(line)
    if args.dry_run:
        print(t("residents.dry_run"))
        return EXIT_PROBLEMS if plan.rejected and not args.skip_bad else 0
    if not write(store, plan, skip_bad=args.skip_bad):
        print(t("residents.refused", count=plan.rejected_rows), file=sys.stderr)
        return EXIT_PROBLEMS
    if plan.new_compounds:
        print(t("residents.compounds_written", count=len(plan.new_compounds)))
    print(
        t("residents.written", count=plan.residents_written)
        if plan.writes
        else t("residents.nothing_new")
    )
    return 0


def _home_visits(args: argparse.Namespace) -> int:
    from tui.domain.certification import CertError, quarter_of
    from tui.report.certification import home_visit_report

    _check_output(args)
    store = _open_store(args, reading=True)
    try:
        # An empty --quarter is a mistake, not "this quarter".
        quarter = args.quarter if args.quarter is not None else quarter_of(store.today())
        report = home_visit_report(store, quarter)
    except CertError as err:
        raise UserError(_said(err)) from None
    _emit(report, args)
    return 0


def cmd_community(args: argparse.Namespace) -> int:
    """`community import FILE [--dry-run] [--skip-bad]`, `community template
    --out FILE.xlsx`, `community export [--format xlsx|json] [--out FILE]`."""
    from tui.output import check_out, write_out
    from tui.registry import community_io
    from tui.registry.errors import SheetError

    if args.community_command == "template":
        if args.out == "-":  # standard output, into a pipe (never onto a terminal)
            if sys.stdout.isatty():
                raise UserError(t("community_sheet.xlsx_needs_out"))
            sys.stdout.buffer.write(community_io.template_bytes())
            return 0
        template = check_out(args.out, force=args.force)
        community_io.write_template(template)
        print(t("community_sheet.template_written", file=template))
        return 0
    if args.community_command == "export":
        to_stdout = args.out is None or args.out == "-"
        if args.format == "xlsx" and (args.out is None or (to_stdout and sys.stdout.isatty())):
            raise UserError(t("community_sheet.xlsx_needs_out"))
        out = None if to_stdout else check_out(args.out, force=args.force)
        payload = community_io.export_bytes(_open_store(args, reading=True), args.format)
        if out is None:
            sys.stdout.buffer.write(payload + (b"\n" if args.format == "json" else b""))
            return 0
        write_out(out, payload)
        print(t("community_sheet.export_written", file=out), file=sys.stderr)
        return 0
    path = Path(args.file).expanduser()
    if args.dry_run:
        store = _open_store(args, reading=True)
    else:
        _folder_to_write(args)
        store = _open_store(args, must_exist=False)
    try:
        plan = community_io.plan_community_file(store, path)
    except SheetError as err:
        raise UserError(_said(err)) from None
    for line in community_io.describe_community_plan(plan):
        print(line)
    if args.dry_run:
        print(t("community_sheet.dry_run"))
        return EXIT_PROBLEMS if plan.rejected and not args.skip_bad else 0
    if not community_io.write_community(store, plan, skip_bad=args.skip_bad):
        print(t("community_sheet.refused", count=plan.rejected_rows), file=sys.stderr)
        return EXIT_PROBLEMS
    print(
        t("community_sheet.written", count=len(plan.writes))
        if plan.writes
        else t("community_sheet.nothing_new")
    )
    return 0


def cmd_config(args: argparse.Namespace) -> int:
    """This laptop's settings: `config get [KEY]`, `config set KEY VALUE`
    (an empty VALUE forgets the key)."""
    from tui.domain.settings import KEYS, SettingError, check_setting
    from tui.store.settings import load_settings, save_setting

    folder = _data_dir(args)
    if args.config_command == "get":
        settings = load_settings(folder)
        if args.key is not None and args.key not in KEYS:
            raise UserError(t("settings.unknown_key", key=args.key, keys=", ".join(KEYS)))
        for key in [args.key] if args.key else KEYS:
            if key in settings:
                print(f"{key} = {settings[key]}" if not args.key else settings[key])
        return 0 if args.key is None or args.key in settings else EXIT_PROBLEMS
    if not folder.is_dir():
        raise UserError(t("cli.no_folder", folder=folder))
    try:
        if args.key not in KEYS:
            raise SettingError("settings.unknown_key", key=args.key, keys=", ".join(KEYS))
        value = check_setting(args.key, args.value) if args.value.strip() else None
    except SettingError as err:
        raise UserError(_said(err)) from None
    save_setting(folder, args.key, value)
    return 0


def cmd_server(args: argparse.Namespace) -> int:
    """`server init [--url URL]`: fielddesk's tables on the office server,
    created or upgraded. The URL given is kept (without a password) as the
    data folder's sync_url, once the server has answered."""
    from tui.domain.settings import SettingError, check_setting, without_password
    from tui.repository.errors import StoreWriteError
    from tui.store.hub import HubError, connect
    from tui.store.settings import load_settings, save_setting

    folder = _data_dir(args)
    url = args.url if args.url is not None else load_settings(folder).get("sync_url")
    if not url:
        raise UserError(t("hub.cli.no_url"))
    try:
        with connect(str(url)) as hub:
            found, now = hub.init_schema()
            where = hub.where
    except HubError as err:
        print(f"fielddesk: {_said(err)}", file=sys.stderr)
        return EXIT_PROBLEMS
    state = "created" if found == 0 else "current" if found == now else "upgraded"
    ready = t(f"hub.init.{state}", found=found, version=now, **where)
    if args.url is None or not folder.is_dir():
        print(ready)
        return 0
    kept = without_password(args.url)
    try:
        value = check_setting("sync_url", kept or "")
        save_setting(folder, "sync_url", value)
    except (SettingError, StoreWriteError) as err:
        print(ready)
        print(t("hub.cli.url_not_kept", folder=folder, reason=_said(err)), file=sys.stderr)
        return 0
    print(t("hub.init.kept", ready=ready, url=value))
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    """`sync [--url URL] [--community ID] [--all]`: this folder and the office
    server brought to the same records (tui/store/sync.py). With --all (the
    office), every community on the server, each in its own folder under
    --data, named by the community's id."""
    from tui.durable import ensure_dir
    from tui.store.hub import HubError, connect
    from tui.store.repository import Store
    from tui.store.settings import load_settings
    from tui.store.sync import BATCH, SyncRefused, folder_name, sync

    folder = _data_dir(args)
    url = args.url or load_settings(folder).get("sync_url")
    if not url:
        raise UserError(t("sync.no_url"))
    if args.all and args.community:
        raise UserError(t("sync.all_or_one"))
    try:
        with connect(str(url)) as hub:
            hub.check_schema()
            if args.all:
                ensure_dir(folder)
                places = []
                for name in hub.communities():
                    safe = folder_name(name)
                    if safe is None:  # an id like "../x" names no folder of ours
                        print(t("sync.unsafe_community", id=name[:64]), file=sys.stderr)
                    else:
                        places.append((folder / safe, name))
                if not places:
                    print(t("sync.none_on_server"))
            else:  # a folder not there yet is a new laptop: it receives its community
                places = [(folder, args.community)]
            for place, community in places:
                store = Store(place, by=args.staff or "")
                report = sync(store, hub, community=community, batch=args.batch or BATCH)
                _say_synced(store, report)
                _keep_url(place, str(url))
    except HubError as err:
        print(f"fielddesk: {_said(err)}", file=sys.stderr)
        return EXIT_PROBLEMS
    except SyncRefused as err:
        raise UserError(t(err.code, **err.params)) from None
    return 0


def _keep_url(folder: Path, url: str) -> None:
    """A folder that synced with a URL given on the line keeps it (without a
    password) when it has none yet: F9 and the next sync need no --url."""
    from tui.domain.settings import SettingError, check_setting, without_password
    from tui.repository.errors import StoreWriteError
    from tui.store.settings import load_settings, save_setting

    if load_settings(folder).get("sync_url"):
        return
    try:
        save_setting(folder, "sync_url", check_setting("sync_url", without_password(url) or ""))
    except (SettingError, StoreWriteError):
        pass  # kept or not, the sync itself is done


def _say_synced(store: Store, report: SyncReport) -> None:
    merged = report.merged
    for doc_id, why in report.refused[:CHECK_LINES]:
        print(t("sync.refused", id=doc_id, why=why), file=sys.stderr)
    _say_conflicts(merged.conflicted)
    own = store.community()
    print(
        t(
            "sync.done",
            community=own.name if own is not None else report.community,
            folder=store.root,
            pulled=report.pulled,
            pushed=report.pushed,
            conflicts=len(merged.conflicts),
            folded=merged.folded,
        )
    )


def _say_conflicts(docs: list[dict[str, Any]]) -> None:
    """One line per conflict a merge left on those records (as it wrote
    them): which record and field, the value kept and the other, who wrote
    each and when."""
    from tui.domain.merge import open_conflicts
    from tui.messages import conflict_words

    latest = {(doc["kind"], doc["id"]): doc for doc in docs}  # a sync's batches: the last
    for doc in latest.values():
        for c in open_conflicts(doc):
            print(t("sync.conflict", **conflict_words(doc, c)))


def cmd_gen(args: argparse.Namespace) -> int:
    from tui.domain.calendar import fixed_clock
    from tui.domain.synth.generate import SAMPLE_TODAY, history, sample
    from tui.store.repository import Store

    folder = _data_dir(args)
    if folder.exists() and any(folder.glob("*.json")):
        raise UserError(t("gen.not_empty", folder=folder))
    until = args.until or date.today()
    if args.sample:
        store = Store(folder, by="gen", device="gen", clock=fixed_clock(SAMPLE_TODAY))
        community, day = sample()
        store.save_all([*community.records(), *day.records()], stamp=False)
        total = len(community.records()) + len(day.records())
    else:
        store = Store(folder, by="gen", device="gen", clock=fixed_clock(until))
        total = 0
        for batch in history(args.seed, args.residents, args.years, until):
            store.save_all(batch, stamp=False)
            total += len(batch)
    print(t("gen.done", count=total, folder=folder, days=len(store.days())))
    return 0


def cmd_print(args: argparse.Namespace) -> int:
    from tui.print_cli import cmd_print as print_document  # tui/print_cli.py

    return print_document(args)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "run": cmd_run,
    "demo": cmd_demo,
    "init": cmd_init,
    "display": cmd_display,
    "check": cmd_check,
    "export": cmd_export,
    "import": cmd_import,
    "gen": cmd_gen,
    "config": cmd_config,
    "report": cmd_report,
    "plan": cmd_plan,
    "residents": cmd_residents,
    "community": cmd_community,
    "server": cmd_server,
    "sync": cmd_sync,
    "print": cmd_print,
}


def _pre_language(argv: Sequence[str]) -> str | None:
    """The --lang given anywhere on the line, so --help is in that language."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def main(argv: Sequence[str] | None = None) -> int:
    from tui.messages import describe_error
    from tui.output import OutRefused, blamed_path, os_reason
    from tui.repository.errors import CorruptFile, StoreError, StoreWriteError

    argv = list(sys.argv[1:] if argv is None else argv)
    set_language(_pre_language(argv))
    if sys.stdout is None:
        # Started with standard output closed (`>&-`): Python has no stdout
        # object at all, and every print and flush would fail or be lost.
        reason = t("cli.fs.closed")
        print(f"fielddesk: {t('cli.stdout_failed', reason=reason)}", file=sys.stderr)
        return EXIT_PROBLEMS
    args = build_parser().parse_args(argv)
    set_language(args.lang)
    try:
        if args.data == "":
            # `--data "$DIR"` with DIR unset: not the default folder behind the user's back.
            raise UserError(t("cli.fs.data_empty"))
        code = COMMANDS[args.command or "run"](args)
        sys.stdout.flush()  # a full disk or a closed pipe is found here, not at exit
        return code
    except BrokenPipeError:
        # `fielddesk check | head -3`: the reader has what it wanted.
        _silence_stdout()
        return EXIT_PROBLEMS
    except OSError as err:
        if err.errno is None:
            raise
        if err.filename is not None:
            # A path the command used: `cases` a file, `journal.json` a folder,
            # a file it may not read. One line naming it, never a traceback.
            reason = os_reason(err)
            print(
                f"fielddesk: {t('cli.fs.cannot_use', file=blamed_path(err), reason=reason)}",
                file=sys.stderr,
            )
            return EXIT_PROBLEMS
        if sys.stdout.closed:
            raise
        # No file named: standard output (ENOSPC on /dev/full, EIO ...).
        _silence_stdout()
        print(f"fielddesk: {t('cli.stdout_failed', reason=os_reason(err))}", file=sys.stderr)
        return EXIT_PROBLEMS
    except OutRefused as err:
        print(f"fielddesk: {err}", file=sys.stderr)
        return EXIT_USAGE
    except UserError as err:
        print(f"fielddesk: {err}", file=sys.stderr)
        return EXIT_USAGE
    except StoreWriteError as err:
        # The app's sentence ends "what you typed is kept"; here nothing was typed.
        reason = t(f"cli.reason.{err.reason}", detail=err.detail)
        print(f"fielddesk: {t('cli.not_written', reason=reason)}", file=sys.stderr)
        return EXIT_PROBLEMS
    except StoreError as err:
        if isinstance(err, CorruptFile) and err.path.is_dir():
            # The store's detail is English; a folder left where a data file
            # should be is said in the user's language.
            err = CorruptFile(err.path, err.moved_to, t("cli.fs.is_folder"))
        print(f"fielddesk: {describe_error(err)}", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        return 130


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush at exit
    does not raise again (the recipe in Python's signal docs)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())

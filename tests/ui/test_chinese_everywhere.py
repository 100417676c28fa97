"""In Chinese, no English from Textual or argparse: the palette, its
commands, the footer, `--help` and argparse's error sentences."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette
from textual.widgets import Input

from tests.cli.test_cli import fielddesk
from tests.ui.conftest import AppFactory, screen_text, until

ENGLISH = ("Theme", "Quit", "Keys", "Screenshot", "Maximize", "Search for commands", "palette")


async def test_palette_and_footer_in_chinese(app_on: AppFactory, sample_dir: Path) -> None:
    app = app_on(sample_dir, lang="zh")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one("Footer")
        drawn = " ".join(str(w.render()) for w in footer.query("*"))
        assert "全部操作" in drawn and "palette" not in drawn
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        assert palette.query_one(Input).placeholder == "搜索操作..."
        titles = [str(title) for title, *_ in (c for c in app.get_system_commands(app.screen))]
        assert "主题" in titles and "退出" in titles and "截图" in titles
        assert not [t for t in titles if t in ENGLISH]


async def test_the_palette_says_it_found_nothing_in_chinese(
    app_on: AppFactory, sample_dir: Path
) -> None:
    app = app_on(sample_dir, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"theme")  # the commands have Chinese names: none matches
        commands = app.screen.query_one(CommandList)
        await until(  # Textual says so after half a second
            pilot,
            lambda: any(o.id == CommandPalette._NO_MATCHES for o in commands.options),
            what="the palette's line saying nothing matches",
        )
        await pilot.pause()
        text = screen_text(app)
        assert "没有找到匹配的操作" in text and "No matches" not in text, text


def test_help_and_argparse_errors_in_chinese() -> None:
    shown = fielddesk("--lang", "zh", "--help").stdout
    assert shown.startswith("用法：fielddesk")
    for english in ("usage:", "options", "show this help message", "positional arguments"):
        assert english not in shown
    missing = fielddesk("--lang", "zh", "report").stderr
    assert "必须给出其中一个" in missing and "required" not in missing
    unknown = fielddesk("--lang", "zh", "--bogus").stderr
    assert "无法识别的参数：--bogus" in unknown


# Words that are typed, not read: commands, config keys, formats.
TYPED = {"fielddesk", "run", "demo", "init", "display", "check", "export", "import", "report"}
TYPED |= {"residents", "config", "gen", "get", "set", "desk", "staff", "lang", "theme", "home"}
TYPED |= {"md", "csv", "xlsx", "json", "community"}
TYPED |= {"plan"}  # the month-plan command
TYPED |= {"server", "sync", "sync_url", "url", "PostgreSQL"}  # the office server (docs/SYNC.md)
TYPED |= {"espeak", "ng", "WAV"}  # the voice program and its files (docs/DISPLAY.md)
TYPED |= {"print", "printer", "card", "slip", "receipt", "escpos", "pdf", "html", "id"}
TYPED |= {"usb", "network", "serial", "file", "none", "PDF", "HTML", "ttf", "ttc"}  # printing


@pytest.mark.parametrize(
    "command",
    [[], ["report"], ["residents", "import"], ["config", "set"], ["display"], ["init"], ["print"]],
)
def test_every_help_line_is_chinese(command: list[str]) -> None:
    shown = fielddesk("--lang", "zh", *command, "--help").stdout
    # Flags, {choices}, METAVARS and $VARIABLES are typed as they are.
    prose = re.sub(r"--?[\w-]+|\{[^}]*\}|\b[A-Z][A-Z_-]*\b|\$\w+", "", shown)
    assert set(re.findall(r"[A-Za-z]{2,}", prose)) <= TYPED

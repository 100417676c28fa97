"""This laptop's settings: kept by `fielddesk config` or the palette, used
at start, a flag still wins."""

from __future__ import annotations

from pathlib import Path

import orjson

from tests.cli.test_cli import fielddesk
from tests.ui.conftest import AppFactory, shown
from tui.launch import make_app
from widgets.session_bar import SessionBar


def test_config_set_get_and_refusals(sample_dir: Path) -> None:
    for key, value in (("desk", "3"), ("staff", "李娜"), ("lang", "zh"), ("theme", "light")):
        assert fielddesk("config", "set", key, value, data=sample_dir).returncode == 0
    listed = fielddesk("config", "get", data=sample_dir).stdout.splitlines()
    assert listed == ["desk = 3", "staff = 李娜", "lang = zh", "theme = light"]
    assert fielddesk("config", "get", "desk", data=sample_dir).stdout == "3\n"
    stored = orjson.loads((sample_dir / "settings.json").read_bytes())
    assert stored == {"desk": 3, "staff": "李娜", "lang": "zh", "theme": "light"}
    for args, message in (
        (("desk", "12"), "desk must be a number from 1 to 9, not '12'"),
        (("theme", "pink"), "theme must be one of: dark, light, contrast"),
        (
            ("colour", "red"),
            "no setting 'colour'; the settings are: desk, staff, lang, theme, sync_url, printer",
        ),
    ):
        refused = fielddesk("--lang", "en", "config", "set", *args, data=sample_dir)
        assert refused.returncode == 2 and refused.stderr.strip() == f"fielddesk: {message}"
    assert orjson.loads((sample_dir / "settings.json").read_bytes()) == stored
    assert fielddesk("config", "set", "staff", "", data=sample_dir).returncode == 0
    assert "staff" not in orjson.loads((sample_dir / "settings.json").read_bytes())


async def test_the_app_starts_with_this_laptops_settings(sample_dir: Path) -> None:
    assert fielddesk("config", "set", "desk", "3", data=sample_dir).returncode == 0
    assert fielddesk("config", "set", "staff", "李娜", data=sample_dir).returncode == 0
    assert fielddesk("config", "set", "lang", "zh", data=sample_dir).returncode == 0
    app = make_app(sample_dir, ask_session=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        bar = shown(app.screen.query_one(SessionBar))
        assert "3号台" in bar and "李娜" in bar
    flagged = make_app(sample_dir, desk=2, staff="王芳", lang="en", ask_session=False)
    async with flagged.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        bar = shown(flagged.screen.query_one(SessionBar))
        assert "desk 2" in bar and "王芳" in bar


async def test_staff_set_from_the_palette_is_kept(app_on: AppFactory, sample_dir: Path) -> None:
    app = app_on(sample_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        app.ask_setting("staff")
        await pilot.pause()
        answer = app.screen.query_one("#prompt-answer")
        answer.value = ""  # type: ignore[attr-defined]
        await pilot.press(*"Zed", "enter")
        await pilot.pause()
        assert "Zed" in shown(app.screen.query_one(SessionBar))
    assert orjson.loads((sample_dir / "settings.json").read_bytes()) == {"staff": "Zed"}

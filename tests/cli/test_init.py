"""`fielddesk init`: a new community's folder from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import fielddesk, one_line


def test_init_writes_the_profile_and_the_built_in_categories(tmp_path: Path) -> None:
    data = tmp_path / "office"
    result = fielddesk(
        "--lang",
        "zh",
        "init",
        "--community",
        "新宁社区",
        "--sub-district",
        "新宁街道",
        "--phone",
        "０９７１-８１２３４５６",  # full-width, as typed with a Chinese input method
        "--secretary",
        "熊兰",
        data=data,
    )
    assert result.returncode == 0, result.stderr
    assert "已在" in result.stdout and "community template" in result.stdout
    registry = json.loads((data / "registry.json").read_text("utf-8"))
    (profile,) = registry["community"].values()
    assert (profile["name"], profile["sub_district"], profile["phone"], profile["secretary"]) == (
        "新宁社区",
        "新宁街道",
        "+869718123456",
        "熊兰",
    )
    assert len(registry["category"]) == 14
    assert "compound" not in registry
    # Once only: a second init would make a second community in one folder.
    before = (data / "registry.json").read_bytes()
    again = fielddesk("init", "--community", "Other", data=data)
    assert "already holds a community" in one_line(again, 2)
    assert (data / "registry.json").read_bytes() == before


def test_init_refuses_bad_values_in_one_sentence_and_makes_nothing(tmp_path: Path) -> None:
    data = tmp_path / "office"
    no_name = fielddesk("init", data=data)  # no terminal to ask on
    assert "--community NAME" in one_line(no_name, 2)
    bad_phone = fielddesk("init", "--community", "新宁社区", "--phone", "abc", data=data)
    assert "Phone" in one_line(bad_phone, 2)
    too_long = fielddesk("init", "--community", "社" * 41, data=data)
    assert "too long" in one_line(too_long, 2)
    assert not data.exists()


def test_an_initialised_folder_checks_clean_and_exports_its_profile(tmp_path: Path) -> None:
    data = tmp_path / "office"
    assert fielddesk("init", "--community", "[bold]新宁[/bold]", data=data).returncode == 0
    check = fielddesk("check", data=data)
    assert check.returncode == 0, check.stdout
    exported = json.loads(fielddesk("export", data=data).stdout)
    (profile,) = exported["records"]["community"]
    assert profile["name"] == "[bold]新宁[/bold]"  # stored literally

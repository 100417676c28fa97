"""`fielddesk report --redact`: a phone number or a resident's name typed into
free text is gone from every format, however it was written."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass

import orjson
import pytest

from tests.cli.test_cli import fielddesk
from tests.conftest import SAMPLE
from tui.domain.queue import mask_name

DAY = "2026-11-20"
FORMATS = ("md", "csv", "json")


@dataclass(frozen=True)
class Form:
    """A way of writing something private into a visit's request text."""

    marker: str  # finds the visit's row in the report
    text: Callable[[str], str]  # the text typed, given the resident's name
    hidden: Callable[[str], list[str]]  # must not be in the redacted row
    shown: Callable[[str], str]  # what the row shows instead


FORMS = {
    "phone with dots": Form(
        "记录甲",
        lambda name: "儿子电话138.0013.8000",
        lambda name: ["138.0013", "0013.8000"],
        lambda name: "儿子电话****8000",
    ),
    "landline with bracketed area code": Form(
        "记录乙",
        lambda name: "座机(0971) 6123456",
        lambda name: ["0971", "612345"],
        lambda name: "座机****3456",
    ),
    "name with a space inside": Form(
        "记录丙",
        lambda name: f"{name[0]} {name[1:]}本人来问",
        lambda name: [f"{name[0]} {name[1:]}", name[1:]],
        lambda name: f"{mask_name(name)}本人来问",
    ),
    "name with an ideographic space and a zero-width space": Form(
        "记录丁",
        lambda name: f"{name[0]}\u3000{name[1]}\u200b{name[2:]}本人",
        lambda name: [name[1:2] + "\u200b" + name[2:], name[1:]],
        lambda name: f"{mask_name(name)}本人",
    ),
    "a day then a phone": Form(
        "记录戊",
        lambda name: "2026-11-20 13912345678 回电",
        lambda name: ["13912345678", "1234567"],
        lambda name: "2026-11-20 ****5678 回电",
    ),
    "two phones side by side": Form(
        "记录己",
        lambda name: "13800138000 13900139000",
        lambda name: ["13800138000", "13900139"],
        lambda name: "****9000",
    ),
    "an ID card number": Form(
        "记录庚",
        lambda name: "身份证110101194003071234",
        lambda name: ["11010119400307"],
        lambda name: "身份证****1234",
    ),
    "full-width dashes": Form(
        "记录辛",
        lambda name: "138－0013－8000",
        lambda name: ["0013"],
        lambda name: "****8000",
    ),
    "a phone in brackets": Form(
        "记录壬",
        lambda name: "电话(13800138000)",
        lambda name: ["13800138000"],
        lambda name: "电话(****8000)",
    ),
}


@dataclass(frozen=True)
class Reports:
    names: dict[str, str]  # form -> the resident whose visit holds it
    redacted: dict[str, str]  # format -> the report
    plain: str  # the markdown report, not redacted


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Reports:
    """The sample community with each form typed into a different visit's
    request (a name form into the visit of a resident of three characters
    whose name is on no other visit)."""
    folder = tmp_path_factory.mktemp("redact") / "data"
    shutil.copytree(SAMPLE, folder)
    day_file = folder / "days" / f"{DAY}.json"
    tables = orjson.loads(day_file.read_bytes())
    visits = list(tables["visit"].values())
    count = {v["name"]: sum(w["name"] == v["name"] for w in visits) for v in visits}
    unique = [v for v in visits if len(v["name"]) == 3 and count[v["name"]] == 1]
    others = [v for v in visits if v not in unique]
    names = {}
    for key, form in FORMS.items():
        visit = (unique if "name" in key else others).pop()
        visit["description"] = form.marker + form.text(visit["name"])
        names[key] = visit["name"]
    day_file.write_bytes(orjson.dumps(tables))
    redacted = {}
    for fmt in FORMATS:
        result = fielddesk("report", "--date", DAY, "--format", fmt, "--redact", data=folder)
        assert result.returncode == 0, result.stderr
        redacted[fmt] = result.stdout
    plain = fielddesk("report", "--date", DAY, data=folder)
    assert plain.returncode == 0, plain.stderr
    return Reports(names, redacted, plain.stdout)


def row_of(report: str, marker: str) -> str:
    """The line holding the marked request, as a reader sees it (Markdown's
    escapes dropped)."""
    lines = [line for line in report.splitlines() if marker in line]
    assert len(lines) == 1, lines
    return lines[0].replace("\\", "")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("form", FORMS)
def test_redact_removes_it_from_every_format(reports: Reports, form: str, fmt: str) -> None:
    way = FORMS[form]
    name = reports.names[form]
    # Unredacted, the report has the text as typed: the test looks at the right row.
    assert way.text(name) in row_of(reports.plain, way.marker)
    row = row_of(reports.redacted[fmt], way.marker)
    for secret in way.hidden(name):
        assert secret not in row, (form, fmt, row)
    assert way.marker + way.shown(name) in row
    assert name not in reports.redacted[fmt]

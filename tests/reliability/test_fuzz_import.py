"""Random strings (markup, escapes, control and format characters, the
hostile list) as the fields of every record kind, through `fielddesk
import`: a file is imported or refused in clear sentences, and every screen
opens on what was imported."""

from __future__ import annotations

import copy
import dataclasses
import io
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import HOSTILE, SAMPLE
from tests.ui.conftest import AppFactory
from tui.cli import main
from tui.domain.record_rules import CHOICES, DAYS, MOMENTS, OPTIONAL_DAYS
from tui.domain.records import RECORD_TYPES

# Markup and escapes are the point; control and format characters (Cc, Cf)
# and surrogates-free Unicode besides.
MARKUP = st.sampled_from(["[", "]", "[/]", "[b]", "[/red]", "[@click=app.quit]", "\\", "=", "@"])
CHARS = st.characters(exclude_categories=("Cs",))
STRINGS = st.one_of(
    st.sampled_from(HOSTILE["strings"]),
    st.lists(
        st.one_of(MARKUP, CHARS, st.sampled_from(["\x1b[31m", "\u202e", "\u200b", "\x00"])),
        max_size=12,
    ).map("".join),
)
# For fields that take text: never blank, within the shortest limit (20), so
# the import goes through and the screens get the strings.
TEXT = STRINGS.map(lambda s: ("名" + s)[:20])
FIXED = {
    "id",
    "kind",
    "created_at",
    "updated_at",
    "device",
    "by",
    "rev",
    "phone",
    "secretary_phone",
}


def text_fields(kind: str) -> list[str]:
    """A kind's string fields that take any text (names, notes, references)."""
    cls = RECORD_TYPES[kind]
    rules = set(CHOICES.get(kind, {})) | set(DAYS) | set(OPTIONAL_DAYS) | set(MOMENTS)
    rules |= {"quarter", "number", "owner_rule", "letter", "code"}
    return [
        f.name
        for f in dataclasses.fields(cls)
        if f.type in ("str", str) and f.name not in FIXED | rules
    ]


def sample_export() -> dict[str, Any]:
    """The sample community as `fielddesk export` writes it, read once."""
    folder = Path(SAMPLE)
    out = io.BytesIO()
    with redirect_stdout(io.TextIOWrapper(out, encoding="utf-8")) as wrapper:
        main(["--data", str(folder), "export"])
        wrapper.flush()
    return orjson.loads(out.getvalue())


EXPORT = sample_export()


def run_import(data: Path, payload: dict[str, Any], tmp: Path) -> tuple[int, str]:
    path = tmp / "fuzz.json"
    path.write_bytes(orjson.dumps(payload))
    err = io.StringIO()
    with redirect_stderr(err), redirect_stdout(io.StringIO()):
        code = main(["--data", str(data), "--lang", "en", "import", str(path)])
    return code, err.getvalue()


def changed(draw: st.DrawFn, only_text: bool) -> dict[str, Any]:
    payload = copy.deepcopy(EXPORT)
    for kind, docs in payload["records"].items():
        if not docs:
            continue
        doc = docs[draw(st.integers(0, len(docs) - 1))]
        doc["rev"] += 1
        names = text_fields(kind) if only_text else [n for n in doc if n not in ("id", "kind")]
        for name in draw(st.lists(st.sampled_from(names), min_size=1, unique=True)):
            doc[name] = draw(TEXT if only_text else STRINGS)
    return payload


@st.composite
def text_changes(draw: st.DrawFn) -> dict[str, Any]:
    return changed(draw, only_text=True)


@st.composite
def any_changes(draw: st.DrawFn) -> dict[str, Any]:
    return changed(draw, only_text=False)


FUZZ = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(payload=any_changes())
def test_any_field_is_imported_or_refused_in_sentences(
    tmp_path: Path, payload: dict[str, Any]
) -> None:
    data = tmp_path / "data"
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(SAMPLE, data)
    before = {p: p.read_bytes() for p in data.rglob("*.json")}
    code, err = run_import(data, payload, tmp_path)
    assert "Traceback" not in err
    if code != 0:
        assert code == 2 and err.rstrip().endswith("nothing was imported"), err
        assert all(line.startswith(("record ", "fielddesk: ")) for line in err.splitlines())
        assert {p: p.read_bytes() for p in data.rglob("*.json") if p in before} == before


@FUZZ
@given(payload=text_changes())
async def test_every_screen_opens_on_imported_text(
    app_on: AppFactory, tmp_path: Path, payload: dict[str, Any]
) -> None:
    data = tmp_path / "data"
    shutil.rmtree(data, ignore_errors=True)
    shutil.copytree(SAMPLE, data)
    code, err = run_import(data, payload, tmp_path)
    assert code == 0, err
    app = app_on(data, ask_session=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("escape")  # the session dialog: staff and compounds listed
        for key in ("f2", "f3", "f4", "tab", "down", "enter", "escape", "f5", "f6", "f1"):
            await pilot.press(key)
            await pilot.pause()
        assert app.is_running
    assert app.return_code in (0, None)

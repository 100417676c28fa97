"""docs/RELIABILITY.md names the test behind each promise: every one exists."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def test_every_test_the_reliability_doc_names_exists() -> None:
    doc = (ROOT / "docs" / "RELIABILITY.md").read_text(encoding="utf-8")
    named = re.findall(r"`(tests/[\w/]+\.py)(?:::(\w+))?`", doc)
    assert len(named) > 20
    for path, name in named:
        source = (ROOT / path).read_text(encoding="utf-8")
        if name:
            assert re.search(rf"def {name}\(", source), f"{path}::{name}"

"""Every store test runs twice: on this system, and under a simulation of
Windows (tests/store/windows_sim.py), where most offices' laptops run."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.store import windows_sim


@pytest.fixture(autouse=True, params=["posix", "windows"])
def platform(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    if request.param == "windows":
        monkeypatch.delattr(os, "O_DIRECTORY", raising=False)
        monkeypatch.setattr(os, "replace", windows_sim.sharing_replace(os.replace))
        monkeypatch.setenv(windows_sim.ENV, "1")  # for the child processes
    yield request.param

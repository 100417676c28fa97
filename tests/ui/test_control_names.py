"""Control characters in imported names (written straight into registry.json,
where nothing cleaned them) never reach the terminal: an ESC would colour it,
an OSC retitle its window or swallow what follows. The names show without
them, as saving them would have left them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import HOSTILE
from tests.ui.conftest import AppFactory
from tests.ui.imported_names import STEERING, rename_everything, walk_through

# Each hostile string with such a character, and what the screen shows of it.
SHOWN = {
    "\x1b[31m红色\x1b[0m": "[31m红色[0m",
    "\x1b]0;window title\x07": "]0;window title",
    "第一行\n第二行": "第一行 第二行",
    "tab\there\rcarriage": "tab here carriage",
    "nul\x00byte": "nulbyte",
    "\u202eevil.txt": "evil.txt",
    "\ufeffbom": "bom",
}


def test_every_hostile_control_string_is_walked_through() -> None:
    controls = [s for s in HOSTILE["strings"] if STEERING.search(s) or "\n" in s]
    assert sorted(controls) == sorted(SHOWN)


@pytest.mark.parametrize("name", SHOWN)
async def test_imported_names_never_steer_the_terminal(
    app_on: AppFactory, sample_dir: Path, name: str
) -> None:
    ids = rename_everything(sample_dir, name)
    app = app_on(sample_dir, ask_session=True)
    async with app.run_test(size=(140, 45), notifications=True) as pilot:
        await walk_through(pilot, ids, SHOWN[name])
    assert app.return_code == 0

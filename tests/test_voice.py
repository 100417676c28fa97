"""The number called aloud: espeak-ng renders the phrase (the tests write WAV
files rather than play them), on both displays, once per call; without
espeak-ng voice is off and one line says why."""

from __future__ import annotations

import shutil
import subprocess
import time
import wave
from pathlib import Path

import pytest

from tests.conftest import PYTHON, python_env
from tests.ui.conftest import until
from tests.web.conftest import start_board
from tests.web.test_board import call_from_another_process, issue, today_store
from tui.display_app import make_display
from tui.i18n import set_language
from tui.voice import Voice, phrase


def sound(wav: Path) -> tuple[float, int]:
    """(seconds, loudest sample) of a 16-bit WAV file."""
    with wave.open(str(wav)) as audio:
        assert audio.getsampwidth() == 2
        frames = audio.readframes(audio.getnframes())
        seconds = audio.getnframes() / audio.getframerate()
    samples = memoryview(frames).cast("h")
    return seconds, max(abs(s) for s in samples)


@pytest.mark.parametrize(
    ("lang", "said"), [("zh", "请A001号到1号台"), ("en", "Number A001, desk 1")]
)
def test_the_call_is_spoken_in_the_language(tmp_path: Path, lang: str, said: str) -> None:
    set_language(lang)
    voice, line = Voice.start()
    assert voice is not None, line
    assert phrase("A001", 1) == said
    wav = tmp_path / f"{lang}.wav"
    voice.render("A001", 1, wav)
    seconds, loudest = sound(wav)
    # A phrase of six to eight syllables: a second or more, well under ten; not silence.
    assert 1.0 < seconds < 10.0
    assert loudest > 3000
    voice.close()


def wavs(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.wav"))


async def test_the_terminal_display_calls_each_new_number_once(
    sample_dir: Path, tmp_path: Path
) -> None:
    store = today_store(sample_dir)
    issue(store, [("王建国", "", ""), ("李秀英", "", "")])
    call_from_another_process(sample_dir, 1)  # at a desk before the display starts
    spoken = tmp_path / "spoken"
    set_language("zh")
    voice, _ = Voice.start(to_folder=spoken)
    assert voice is not None
    app = make_display(sample_dir, lang="zh", voice=voice)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.5)
        assert call_from_another_process(sample_dir, 2) == "D002"
        await until(pilot, lambda: len(wavs(spoken)) == 1, 20, what="the call spoken")
        await pilot.pause(1.0)  # no second one for the same call
    made = wavs(spoken)
    assert [p.name.split("-", 1)[1] for p in made] == ["D002.wav"]
    assert sound(made[0])[0] > 1.0


def test_the_web_board_calls_a_new_number(sample_dir: Path, tmp_path: Path) -> None:
    issue(today_store(sample_dir), [("王建国", "", "")])
    spoken = tmp_path / "spoken"
    board = start_board(sample_dir, "--voice-to", str(spoken), lang="en")
    try:
        assert any("Voice: numbers are called aloud" in line for line in board.lines)
        assert call_from_another_process(sample_dir, 1) == "D001"
        deadline = time.monotonic() + 30
        while not wavs(spoken) and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)  # the file written whole
    finally:
        board.stop()
    made = wavs(spoken)
    assert [p.name.split("-", 1)[1] for p in made] == ["D001.wav"]
    assert sound(made[0])[0] > 1.0


def test_without_espeak_voice_is_off_and_says_why(sample_dir: Path, tmp_path: Path) -> None:
    env = python_env() | {"PATH": str(tmp_path)}  # no espeak-ng on it
    process = subprocess.Popen(
        [PYTHON, "-m", "tui", "display", "--web", "--voice", "--port", "0",
         "--data", str(sample_dir), "--lang", "en"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        assert process.stderr is not None and process.stdout is not None
        said = process.stderr.readline().strip()
        assert said == "Voice is off: espeak-ng is not installed (see docs/DISPLAY.md)."
        assert process.stdout.readline().startswith("Queue board: http://127.0.0.1:")
    finally:
        process.terminate()
        process.wait(10)


def test_a_call_that_cannot_be_said_is_told_once_and_the_next_goes_on(tmp_path: Path) -> None:
    """A program that fails (as espeak-ng does with the sound device gone)."""
    failing = shutil.which("false")
    assert failing
    voice = Voice(failing, "cmn")
    told: list[str] = []
    voice.on_failed = told.append
    voice.say("A001", 1)
    voice.say("A002", 1)
    voice.close()
    assert len(told) == 1 and told[0].startswith("A call could not be spoken: ")


async def test_the_terminal_display_shows_why_voice_is_off(sample_dir: Path) -> None:
    """The line printed at start is gone once the display fills the screen."""
    said = "Voice is off: espeak-ng is not installed (see docs/DISPLAY.md)."
    app = make_display(sample_dir, lang="en", note=said)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: bool(app._notifications), what="the note shown")
        assert [n.message for n in app._notifications] == [said]

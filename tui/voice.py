"""The number called aloud: "请A001号到1号台" / "Number A001, desk 1",
spoken by espeak-ng on the laptop (its speakers, or the TV's over HDMI).

Each call is spoken once, in turn, by a worker thread: a display never waits
for a voice. Where espeak-ng is not installed, voice is off and `Voice.start`
says why in one line. `to_folder` writes each call to a WAV file there
instead of playing it (a laptop without a sound card, a test, a recording).
"""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from tui.i18n import language, t

PROGRAMS = ("espeak-ng", "espeak")
# Where the Windows installer of espeak-ng puts it (not on PATH by default).
WINDOWS_PATHS = (
    r"C:\Program Files\eSpeak NG\espeak-ng.exe",
    r"C:\Program Files (x86)\eSpeak NG\espeak-ng.exe",
)
# espeak-ng's Mandarin is cmn (old espeak: zh); its English is en-gb, en-us.
VOICES = {"zh": ("cmn", "zh"), "en": ("en-gb", "en-us", "en")}
SPEED = 140  # words a minute: slower than espeak's 175, for a courtyard
TIMEOUT = 30.0  # seconds one phrase may take


def phrase(number: str, desk: int) -> str:
    """What is said, as the display would write it."""
    return t("voice.call", number=number, desk=desk)


def _spoken(number: str, desk: int) -> str:
    """The phrase with the ticket's digits apart: "A 0 0 1" is read digit by
    digit (A零零一), where "A001" would be read as the number one."""
    return t("voice.call", number=" ".join(number), desk=desk)


def find_program() -> str | None:
    for name in PROGRAMS:
        found = shutil.which(name)
        if found:
            return found
    if os.name == "nt":
        return next((p for p in WINDOWS_PATHS if Path(p).is_file()), None)
    return None


def _voice_name(program: str, lang: str) -> str | None:
    """The first of the language's voices this espeak knows."""
    wanted = VOICES.get(lang, VOICES["en"])
    try:
        listed = subprocess.run(
            [program, "--voices"], capture_output=True, text=True, timeout=TIMEOUT, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    known = {line.split()[1] for line in listed.splitlines()[1:] if len(line.split()) > 1}
    return next((v for v in wanted if v in known), None)


def _first_line(err: BaseException) -> str:
    said = err.stderr if isinstance(err, subprocess.CalledProcessError) else None
    text = said.decode(errors="replace") if isinstance(said, bytes) else ""
    return (text.strip() or str(err)).splitlines()[0][:200]


class Voice:
    def __init__(self, program: str, voice: str, *, to_folder: Path | None = None) -> None:
        self.program = program
        self.voice = voice
        self.to_folder = to_folder
        # Told of a call that could not be said, with the line to show (from
        # the voice's thread); each failure once, until a call works again.
        self.on_failed: Callable[[str], object] = lambda _line: None
        self._failing = False
        self._calls: queue.Queue[tuple[str, int] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._speak_all, name="voice", daemon=True)
        self._thread.start()

    @classmethod
    def start(cls, *, to_folder: Path | None = None) -> tuple[Voice | None, str]:
        """A voice in the current language, or None and the line that says why."""
        program = find_program()
        if program is None:
            return None, t("voice.missing")
        lang = language()
        voice = _voice_name(program, lang)
        if voice is None:
            return None, t("voice.no_language", program=Path(program).name)
        if to_folder is not None:
            to_folder.mkdir(parents=True, exist_ok=True)
        return cls(program, voice, to_folder=to_folder), t("voice.on", voice=voice)

    def say(self, number: str, desk: int) -> None:
        self._calls.put((number, desk))

    def render(self, number: str, desk: int, wav: Path | None = None) -> None:
        """Says the call, or writes it to `wav` (raises OSError or
        CalledProcessError)."""
        to_file = ["-w", str(wav)] if wav is not None else []
        subprocess.run(
            [self.program, "-v", self.voice, "-s", str(SPEED), *to_file, _spoken(number, desk)],
            capture_output=True,
            timeout=TIMEOUT,
            check=True,
        )

    def close(self) -> None:
        """Says what was queued, then stops."""
        self._calls.put(None)
        self._thread.join(TIMEOUT)

    def _speak_all(self) -> None:
        while (call := self._calls.get()) is not None:
            number, desk = call
            try:
                wav = None
                if self.to_folder is not None:
                    moment = datetime.now().strftime("%H%M%S%f")
                    wav = self.to_folder / f"{moment}-{number}.wav"
                self.render(number, desk, wav)
                self._failing = False
            except (OSError, subprocess.SubprocessError) as err:
                if not self._failing:
                    self.on_failed(t("voice.failed", error=_first_line(err)))
                self._failing = True

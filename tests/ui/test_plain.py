"""widgets.plain: stored text shown as typed, less what steers a terminal."""

from __future__ import annotations

from rich.text import Text

from tests.conftest import HOSTILE
from widgets.plain import plain, themed, visible


def test_markup_is_text() -> None:
    for raw in HOSTILE["strings"]:
        if "[" in raw and "\x1b" not in raw:
            assert plain(raw).plain == raw
            assert plain(raw).spans == []


def test_control_characters_are_left_out_and_breaks_kept_only_when_asked() -> None:
    assert visible("\x1b]0;title\x07 a\tb\rc\x00d\u202ee\ufeff\x9b") == "]0;title a b cde"
    assert visible("一\n二") == "一 二"
    assert visible("一\n二", multiline=True) == "一\n二"


def test_a_screens_styles_stay_on_their_characters() -> None:
    text = Text("王", style="bold")
    text.append("\x1b[31m红\n", style="red")
    text.append("绿", style="green")
    shown = plain(text)
    assert shown.plain == "王[31m红 绿"
    assert shown.style == "bold"
    assert styles(shown) == ["", "red", "red", "red", "red", "red", "red", "green"]
    content = themed(text)  # notes keep their lines
    assert content.plain == "王[31m红\n绿"
    assert [s.style for s in content.spans if s.start <= 7 < s.end] == ["bold", "$success"]


def styles(text: Text) -> list[str]:
    """The span style over each character ("" where none)."""
    return [
        " ".join(str(s.style) for s in text.spans if s.start <= i < s.end) for i in range(len(text))
    ]

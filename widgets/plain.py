"""The one way fielddesk shows a stored piece of text: as it was typed.

Names, addresses and notes come from the desk, spreadsheets, imports and
other laptops. Textual reads a plain `str` given to a Select, SelectionList,
OptionList, DataTable cell, Label or notify() as content markup, so a staff
name `[/red]` would raise MarkupError and `[@click=app.quit]` would be a link;
and an ESC or BEL in it would reach the terminal as is and steer it (colour,
window title, or swallow what follows). plain() gives a rich Text: no widget
parses it (and a Select still finds it by typing its first letters), and the
characters that steer a terminal or a line's direction are left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from rich.text import Text
from textual.content import Content, Span

V = TypeVar("V")

# C0 and C1 controls, DEL, bidirectional overrides/isolates and the BOM: left
# out (as tui.domain.text.clean_text does on saving). Tabs and, on one line,
# line breaks become spaces, so nothing that was typed runs together.
_STEERING = [*range(0x20), *range(0x7F, 0xA0), *map(ord, "\u202a\u202b\u202c\u202d\u202e")]
_STEERING += [*map(ord, "\u2066\u2067\u2068\u2069\ufeff")]
_MULTILINE: dict[int, str | None] = {c: None for c in _STEERING if c != 10} | {9: " ", 13: " "}
_ONE_LINE = _MULTILINE | {10: " "}


def visible(text: str, *, multiline: bool = False) -> str:
    """The characters of `text` a terminal shows (see the table above)."""
    return text.translate(_MULTILINE if multiline else _ONE_LINE)


def plain(text: str | Text, *, style: str = "", multiline: bool = False) -> Text:
    """A name, a note or a message holding them, shown literally: never markup,
    never a control character. A Text built by a screen keeps its styles."""
    if isinstance(text, str):
        return Text(visible(text, multiline=multiline), style=style, end="")
    table = _MULTILINE if multiline else _ONE_LINE
    cuts = [i for i, ch in enumerate(text.plain) if ord(ch) in table]
    if not cuts:
        return text
    # Cut around each such character, replace it, and join the pieces: the
    # styles of the rest stay where they were.
    pieces = text.divide(sorted({*cuts, *(i + 1 for i in cuts)}))
    for piece in pieces:
        piece.style = ""  # the whole keeps it once
        if len(piece) == 1 and ord(piece.plain) in table:
            piece.plain = piece.plain.translate(table)
    return text.blank_copy().join(pieces)


CUT = "~"  # one cell wide in a Chinese terminal too, unlike "…"


def fit(text: str | Text, width: int) -> Text:
    """`text` (shown literally) in at most `width` terminal cells: cut, it
    ends in "~", so a reader sees that more was there."""
    text = plain(text).copy()
    if text.cell_len <= width:
        return text
    text.truncate(max(width - 1, 0), overflow="crop")
    text.rstrip()  # the half of a Chinese character that did not fit
    text.append(CUT)
    return text


def plain_options(pairs: Iterable[tuple[str, V]]) -> list[tuple[Text, V]]:
    """(label, value) pairs for a Select, labels shown literally."""
    return [(plain(label), value) for label, value in pairs]


# The colours screens give rich Text, as the theme's own: "yellow" on a light
# theme's white would be unreadable; $warning is chosen to read on each.
_TONES = {"red": "$error", "yellow": "$warning", "green": "$success", "dim": "$text-muted"}


def themed(text: Text) -> Content:
    """A rich Text (made plain()) shown with the current theme's colours."""
    text = plain(text, multiline=True)
    spans = []
    if text.style:
        spans.append(Span(0, len(text.plain), _tone(str(text.style))))
    spans += [Span(s.start, s.end, _tone(str(s.style))) for s in text.spans]
    return Content(text.plain, spans)


def _tone(style: str) -> str:
    return " ".join(_TONES.get(word, word) for word in style.split())


def offered(options: Iterable[tuple[object, V]], value: object) -> object:
    """`value` when the Select offers it, else no choice: an owner who left
    (inactive) or a reference to someone unknown must not crash the dialog."""
    from textual.widgets import Select

    return value if any(v == value for _label, v in options) else Select.NULL

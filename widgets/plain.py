"""The one way fielddesk shows a stored piece of text: as it was typed.

Names, addresses and notes come from the desk, spreadsheets, imports and
(later) other laptops. Textual reads a plain `str` given to a Select,
SelectionList, OptionList, DataTable cell or notify() as content markup, so
a staff name `[/red]` would raise MarkupError and `[@click=app.quit]` would
be a link. A rich `Text` is never parsed: every widget takes it as it is
(and a Select still finds it by typing its first letters).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from rich.text import Text
from textual.content import Content, Span

V = TypeVar("V")


def plain(text: str) -> Text:
    return Text(text, end="")


def plain_options(pairs: Iterable[tuple[str, V]]) -> list[tuple[Text, V]]:
    """(label, value) pairs for a Select, labels shown literally."""
    return [(plain(label), value) for label, value in pairs]


# The colours screens give rich Text, as the theme's own: "yellow" on a light
# theme's white would be unreadable; $warning is chosen to read on each.
_TONES = {"red": "$error", "yellow": "$warning", "green": "$success", "dim": "$text-muted"}


def themed(text: Text) -> Content:
    """A rich Text shown with the current theme's colours, never as markup."""
    spans = []
    if text.style:
        spans.append(Span(0, len(text.plain), _tone(str(text.style))))
    spans += [Span(s.start, s.end, _tone(str(s.style))) for s in text.spans]
    return Content(text.plain, spans)


def _tone(style: str) -> str:
    return " ".join(_TONES.get(word, word) for word in style.split())

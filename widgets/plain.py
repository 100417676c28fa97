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

V = TypeVar("V")


def plain(text: str) -> Text:
    return Text(text, end="")


def plain_options(pairs: Iterable[tuple[str, V]]) -> list[tuple[Text, V]]:
    """(label, value) pairs for a Select, labels shown literally."""
    return [(plain(label), value) for label, value in pairs]

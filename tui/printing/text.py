"""Text from the records as it may go onto paper: shown literally, minus the
characters that only steer a device or a text direction."""

from __future__ import annotations

import unicodedata

from tui.domain.text import clean_text

# Besides what clean_text drops: the left-to-right and right-to-left marks,
# which a receipt printer would print as a "?".
_MARKS = frozenset("\u200e\u200f")


def printable(value: object, *, multiline: bool = False) -> str:
    """`value` as staff text is kept (clean_text: control characters, the
    bidirectional controls and the byte-order mark left out; line breaks
    kept only where `multiline`), without direction marks, and with each
    surrogate left alone in a string (it cannot be encoded) as U+FFFD."""
    return "".join(
        "\ufffd" if unicodedata.category(ch) == "Cs" else ch
        for ch in clean_text(str(value), multiline=multiline)
        if ch not in _MARKS
    )

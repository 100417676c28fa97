"""Text from the records as it may go onto paper: shown literally, minus the
characters that only steer a device or a text direction."""

from __future__ import annotations

import unicodedata

# The bidirectional controls and the byte-order mark (as tui/domain/text.py
# drops them from what staff type): "\u202eevil.txt" must not print reversed.
_DIRECTION = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")


def printable(value: object, *, multiline: bool = False) -> str:
    """`value` as text with every control character left out (C0, C1, DEL:
    ESC would start a printer command, NUL ends a string somewhere), tabs as
    spaces, line breaks kept only where `multiline`, and each surrogate left
    alone in a string (it cannot be encoded) as U+FFFD."""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for ch in text:
        if ch == "\n":
            out.append("\n" if multiline else " ")
        elif ch == "\t":
            out.append(" ")
        elif ch in _DIRECTION:
            continue
        else:
            category = unicodedata.category(ch)
            if category == "Cc":
                continue
            out.append("\ufffd" if category == "Cs" else ch)
    return "".join(out).strip()

"""Cleaning of free text typed or pasted by staff.

The rule: keep what a person wrote exactly (Chinese, full-width forms, emoji,
combining marks, markup-looking brackets), but drop characters that only steer
a terminal or a text direction: C0/C1 control characters (ESC, BEL, NUL ...),
the byte-order mark and the bidirectional override/isolate controls, which
could make "‮evil.txt" display as something else. Single-line fields turn
line breaks and tabs into spaces; multi-line fields keep "\n".
"""

from __future__ import annotations

import unicodedata

# Invisible characters that change how the rest of the line is displayed.
_DIRECTION_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")


def _keep(ch: str, multiline: bool) -> str:
    if ch == "\n":
        return "\n" if multiline else " "
    if ch == "\t":
        return " "
    if ch in _DIRECTION_CONTROLS or unicodedata.category(ch) == "Cc":
        return ""
    return ch


def clean_text(value: str, *, multiline: bool = False) -> str:
    """Strip control characters, normalise line ends, trim outer white space."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    cleaned = "".join(_keep(ch, multiline) for ch in value)
    if multiline:
        # Trailing spaces on each line are noise; inner blank lines are kept.
        cleaned = "\n".join(line.rstrip() for line in cleaned.split("\n"))
    return cleaned.strip()


def has_control_chars(value: str) -> bool:
    """True if clean_text would drop something other than outer white space."""
    return any(
        ch in _DIRECTION_CONTROLS or (unicodedata.category(ch) == "Cc" and ch not in "\n\t\r")
        for ch in value
    )


def display_width(value: str) -> int:
    """Columns the text takes in a terminal or a spreadsheet: East Asian wide
    and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in value)

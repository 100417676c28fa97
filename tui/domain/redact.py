"""Redaction of free text for reports that leave the office (--redact).

One place finds what identifies a resident in text staff typed: their name,
also typed with spaces between its characters (王 大明), and every run of
digits long enough to be a phone or an ID number, however people write it
(138.0013.8000, (0971) 6123456, 138－0013－8000). Too much is masked rather
than too little: a run of 7 or more digits keeps only its last four, so a
resident can still be called back by whoever holds the full list.
"""

from __future__ import annotations

import re

from tui.domain.queue import mask_name

# What people put between the digits of a phone number: white space, dashes,
# dots and brackets, ASCII or full-width (an IME types those).
_SEPARATORS = r"[\s\-.()（）－．]"
# Days are kept: 2026-11-20 and 2026.11.20 are eight digits too. A day is
# tried first at each place, and a run stops before one, so a day and a phone
# number beside it are taken apart.
_DAY = r"\d{4}[-./]\d{1,2}[-./]\d{1,2}(?!\d)"
_RUN = re.compile(rf"(?P<day>(?<!\d){_DAY})|\+?[(（]?\d(?:\d|{_SEPARATORS}+(?!{_DAY})\d)*")
MIN_DIGITS = 7  # a local landline without its area code
KEPT_DIGITS = 4
# Between a name's characters: white space, zero-width characters and the
# middle dot of transcribed names (阿依古丽·买买提).
_NAME_GAP = r"[\s\u200b-\u200d\u2060·・]*"


def last_four(number: str) -> str:
    """****8000: the digits of a phone number but the last four hidden."""
    return "****" + re.sub(r"\D", "", number)[-KEPT_DIGITS:]


def mask_numbers(text: str) -> str:
    """Every phone-like or ID-like digit run cut to its last four digits."""

    def masked(match: re.Match[str]) -> str:
        found = match.group()
        if match.group("day") or len(re.sub(r"\D", "", found)) < MIN_DIGITS:
            return found
        # "电话(13800138000)": an opening bracket closed outside the run stays.
        opened = found[0] in "(（" and not any(c in found for c in ")）")
        return found[0] * opened + last_four(found)

    return _RUN.sub(masked, text)


def name_pattern(name: str) -> re.Pattern[str] | None:
    """The name as it may appear in text: gaps allowed between its characters,
    any case (Latin names). None for an empty name."""
    chars = [re.escape(c) for c in name if not c.isspace() and c not in "·・"]
    if not chars:
        return None
    return re.compile(_NAME_GAP.join(chars), re.IGNORECASE)


def redact_text(text: str, name: str = "") -> str:
    """Free text with the resident's name masked (王**) and numbers cut."""
    pattern = name_pattern(name)
    if pattern is not None:
        text = pattern.sub(mask_name(name), text)
    return mask_numbers(text)

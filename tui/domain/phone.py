"""Phone numbers: Chinese mobiles and landlines (with area code), stored as E.164.

phonenumbers does the numbering-plan work; we only refuse letters first,
because phonenumbers would read "1380013800a" as a vanity number (a -> 2).
It is imported on first use: its metadata costs ~25 ms that start-up need not pay.
"""

from __future__ import annotations

import re
import unicodedata

from tui.domain.errors import CodedError

_ALLOWED = re.compile(r"^[0-9+\-() .]+$")


class PhoneError(CodedError, ValueError):
    """The text is not a usable phone number; `code` is a message id."""


def normalise_phone(text: str) -> str:
    """Return the number in E.164 (+8613800138000), or raise PhoneError.

    Accepts full-width digits (１３８…), spaces, dashes, dots, brackets and +86.
    """
    raw = unicodedata.normalize("NFKC", text).strip()
    if not raw:
        raise PhoneError("phone.empty")
    if not _ALLOWED.match(raw) or not any(c.isdigit() for c in raw):
        raise PhoneError("phone.not_a_number")
    import phonenumbers

    digits = re.sub(r"\D", "", raw)
    if len(digits) > 15:
        raise PhoneError("phone.too_long")
    try:
        number = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        raise PhoneError("phone.invalid") from None
    if not phonenumbers.is_valid_number(number):
        raise PhoneError("phone.invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """How staff read a stored number: national form for China, else international."""
    if not e164:
        return ""
    import phonenumbers

    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 86
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, fmt)


def mask_phone(e164: str) -> str:
    """138****8000 style, for redacted output."""
    shown = display_phone(e164).replace(" ", "")
    if len(shown) < 7:
        return "*" * len(shown)
    return shown[:3] + "*" * (len(shown) - 7) + shown[-4:]

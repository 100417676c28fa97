"""Building / unit / room typed in one field: 3-2-501, 3号楼2单元501, 3栋2单元501室."""

from __future__ import annotations

import re
import unicodedata

from tui.domain.errors import FieldError, ValidationFailed

_MARKED = re.compile(
    r"^\s*(?:(?P<b>[\w]+?)\s*(?:号楼|栋|幢|楼|号院)\s*)?"
    r"(?:(?P<u>[\w]+?)\s*单元\s*)?"
    r"(?:(?P<r>[\w]+?)\s*(?:室|号)?\s*)?$"
)
_SEPARATORS = re.compile(r"[-/\\\s,，、]+")


def parse_address(text: str) -> tuple[str, str, str]:
    """(building, unit, room); raises ValidationFailed (address.format) if unreadable."""
    raw = unicodedata.normalize("NFKC", text).strip()
    if not raw:
        return ("", "", "")
    if re.search(r"号楼|栋|幢|楼|单元|室", raw):
        match = _MARKED.match(raw)
        if match:
            return (match["b"] or "", match["u"] or "", match["r"] or "")
        raise ValidationFailed([FieldError("address", "address.format")])
    parts = [p for p in _SEPARATORS.split(raw) if p]
    if len(parts) > 3 or any(len(p) > 20 for p in parts):
        raise ValidationFailed([FieldError("address", "address.format")])
    parts += [""] * (3 - len(parts))
    return (parts[0], parts[1], parts[2])


def format_address(building: str, unit: str, room: str) -> str:
    """The compact form staff type back: 3-2-501 (trailing empties dropped)."""
    parts = [building, unit, room]
    while parts and not parts[-1]:
        parts.pop()
    return "-".join(parts)

"""Validation of records before they are saved.

Each record kind lists its text fields with a rule. `validate` returns a
cleaned copy (control characters stripped, trimmed, phones in E.164) or
raises ValidationFailed naming every failing field at once, so a form can
mark all of them in one pass.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, TypeVar

from tui.domain.errors import FieldError, ValidationFailed
from tui.domain.phone import PhoneError, normalise_phone
from tui.domain.record_rules import (
    document_errors,
    metadata_errors,
    redirect_errors,
    value_errors,
)
from tui.domain.records import RECORD_TYPES, Record
from tui.domain.text import clean_text

R = TypeVar("R", bound=Record)

NAME_MAX = 40
LINE_MAX = 60
NOTE_MAX = 1000
DESCRIPTION_MAX = 2000


@dataclass(frozen=True)
class Rule:
    max_len: int = LINE_MAX
    required: bool = False
    multiline: bool = False
    phone: bool = False


NAME = Rule(max_len=NAME_MAX, required=True)
LINE = Rule()
SHORT = Rule(max_len=20)
PHONE = Rule(phone=True)
NOTE = Rule(max_len=NOTE_MAX, multiline=True)
DESCRIPTION = Rule(max_len=DESCRIPTION_MAX, multiline=True)

RULES: dict[str, dict[str, Rule]] = {
    "community": {
        "name": NAME,
        "sub_district": LINE,
        "phone": PHONE,
        "secretary": Rule(max_len=NAME_MAX),
        "secretary_phone": PHONE,
    },
    "compound": {"name": NAME, "short": SHORT, "address": LINE, "note": NOTE},
    "staff": {"name": NAME, "phone": PHONE},
    "party": {"name": NAME, "contact_person": Rule(max_len=NAME_MAX), "phone": PHONE},
    "category": {"name_zh": Rule(required=True), "name_en": Rule(required=True)},
    "resident": {
        "name": NAME,
        "building": SHORT,
        "unit": SHORT,
        "room": SHORT,
        "phone": PHONE,
        "note": NOTE,
    },
    "session": {"close_override": NOTE},
    "request": {"text": Rule(max_len=300, required=True)},
    "certification": {"note": NOTE, "withdrawn_reason": NOTE},
    "visit": {
        "name": NAME,
        "phone": PHONE,
        "building": SHORT,
        "unit": SHORT,
        "room": SHORT,
        "description": DESCRIPTION,
        "outcome": NOTE,
        "triage_override_reason": NOTE,
    },
    "ticket": {},
    "outing": {"note": NOTE},
    "case": {"name": Rule(max_len=NAME_MAX), "phone": PHONE, "summary": DESCRIPTION, "note": NOTE},
}


def check_field(name: str, value: str, rule: Rule) -> tuple[str, FieldError | None]:
    """Clean one value and say what is wrong with it, if anything."""
    cleaned = clean_text(value, multiline=rule.multiline)
    if not cleaned:
        if rule.required:
            return cleaned, FieldError(name, "field.required")
        return cleaned, None
    if rule.phone:
        try:
            return normalise_phone(cleaned), None
        except PhoneError as err:
            return cleaned, FieldError(name, err.code)
    if len(cleaned) > rule.max_len:
        return cleaned, FieldError(
            name, "field.too_long", {"max": rule.max_len, "length": len(cleaned)}
        )
    return cleaned, None


def validate(record: R) -> R:
    """Return a cleaned copy of `record`, or raise ValidationFailed."""
    rules = RULES.get(record.KIND, {})
    changes: dict[str, Any] = {}
    errors: list[FieldError] = []
    for name, rule in rules.items():
        value = getattr(record, name)
        cleaned, error = check_field(name, value, rule)
        changes[name] = cleaned
        if error:
            errors.append(error)
    errors += value_errors(record)
    if errors:
        raise ValidationFailed(errors)
    return dataclasses.replace(record, **changes)


def validate_document(doc: Any) -> Record:
    """A record document from outside (a JSON import, a backup, sync): the
    types and fields it must have, then the same rules as a record typed at
    the desk. Returns the cleaned record or raises ValidationFailed."""
    if not isinstance(doc, dict):
        raise ValidationFailed(
            [FieldError("record", "field.wrong_type", {"value": type(doc).__name__})]
        )
    cls = RECORD_TYPES.get(doc.get("kind"))  # type: ignore[arg-type]
    if cls is None:
        allowed = ", ".join(RECORD_TYPES)
        value = repr(doc.get("kind"))[:40]
        raise ValidationFailed(
            [FieldError("kind", "field.not_one_of", {"value": value, "allowed": allowed})]
        )
    errors = document_errors(cls, doc)
    if errors:
        raise ValidationFailed(errors)
    return validate(cls.from_dict(doc))


# The keys a merge adds to a stored document (docs/MERGE.md).
MERGE_KEYS = ("clock", "stamps", "conflicts", "redirect")


def validate_incoming(doc: Any) -> dict[str, Any]:
    """A document from another copy of the community (an export, a backup,
    the office server) as it is merged in: the record cleaned as
    validate_document cleans it, with its merge metadata checked and kept,
    or a record folded into another ({"id", "kind", "redirect"}). Raises
    ValidationFailed naming each bad field."""
    if isinstance(doc, dict) and "redirect" in doc and "rev" not in doc:
        errors = redirect_errors(doc)
        if errors:
            raise ValidationFailed(errors)
        return dict(doc)
    record = validate_document(doc)
    errors = metadata_errors(type(record), doc)
    rules = RULES.get(record.KIND, {})
    conflicts = []
    for item in doc.get("conflicts", []) if not errors else []:
        value = item["value"]
        if isinstance(value, str) and item["field"] in rules:
            value, error = check_field(item["field"], value, rules[item["field"]])
            if error:
                errors.append(error)
        conflicts.append({**item, "value": value})
    if errors:
        raise ValidationFailed(errors)
    clean = record.to_dict()
    clean.update({key: doc[key] for key in MERGE_KEYS if key in doc})
    if conflicts:
        clean["conflicts"] = conflicts
    return clean

"""What a record's values may be, beyond its text fields: types, the states a
field can take, real dates. Checked for every record however it arrives (the
desk, a spreadsheet, a JSON import, later sync), so a screen never meets a
`name: null`, a birth year "nineteen" or a day 2026-02-30.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from datetime import date, datetime
from enum import Enum
from typing import Any

from tui.domain.catalogue import QUEUE_LETTERS, VISIT_FLAGS
from tui.domain.errors import FieldError
from tui.domain.records import Record
from tui.domain.states import (
    STORED_OUTING,
    CaseStatus,
    CertMethod,
    OwnerKind,
    PartyType,
    ReplyChannel,
    RequestStatus,
    SessionStatus,
    StaffRole,
    TicketStatus,
    Triage,
    VisitMode,
    VisitStatus,
)

# kind -> field -> the values it may take (in the order a refusal lists them)
CHOICES: dict[str, dict[str, tuple[str, ...]]] = {
    "staff": {"role": tuple(StaffRole)},
    "party": {"type": tuple(PartyType)},
    "category": {"letter": tuple(QUEUE_LETTERS), "triage": tuple(Triage)},
    "resident": {"gender": ("", "f", "m")},
    "certification": {"method": tuple(CertMethod)},
    "session": {"status": tuple(SessionStatus)},
    "request": {"status": tuple(RequestStatus)},
    "visit": {
        "mode": tuple(VisitMode),
        "triage": ("", *Triage),
        "triage_suggested": ("", *Triage),
        "status": tuple(VisitStatus),
    },
    "ticket": {"letter": tuple(QUEUE_LETTERS), "status": tuple(TicketStatus)},
    "case": {
        "owner_kind": tuple(OwnerKind),
        "reply_via": tuple(ReplyChannel),
        "status": tuple(CaseStatus),
    },
    "outing": {"status": STORED_OUTING},
}
FLAGS: dict[str, tuple[str, ...]] = {"resident": VISIT_FLAGS[:-1], "visit": VISIT_FLAGS}
DAYS = ("day",)  # a required calendar day
OPTIONAL_DAYS = ("birth_date", "done_day", "due")
MOMENTS = (
    "opened_at",
    "closed_at",
    "issued_at",
    "called_at",
    "serving_at",
    "done_at",
    "withdrawn_at",
)
RANGES: dict[tuple[str, str], tuple[int, int]] = {
    ("category", "due_days"): (0, 365),
    ("compound", "households"): (0, 100_000),
    ("resident", "birth_year"): (1880, 2100),
    ("session", "desks"): (1, 9),
    ("ticket", "desk"): (0, 99),
    ("ticket", "seq"): (0, 999),
    ("ticket", "recalls"): (0, 99),
    ("case", "reopen_count"): (0, 999),
}
OWNER_RULE = re.compile(r"^(grid_worker|desk|role:[a-z_]+|party:[a-z_]+)$")
TICKET_NUMBER = re.compile(r"^([A-F]\d{3})?$")
QUARTER = re.compile(r"^\d{4}Q[1-4]$")
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
ID_MAX = 64
REV_MAX = 2**53  # far beyond any real count of saves; orjson writes up to 64 bits


def is_day(value: str) -> bool:
    """YYYY-MM-DD naming a day that exists."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def is_moment(value: str) -> bool:
    """ISO-8601 date and time with a UTC offset."""
    try:
        return datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def value_errors(record: Record) -> list[FieldError]:
    """What is wrong with a record's non-text values (types already right)."""
    kind = record.KIND
    values = vars(record)
    errors: list[FieldError] = []

    def bad(name: str, code: str = "field.bad_value", **params: Any) -> None:
        # repr: a value holding ESC or a line break is shown, not obeyed.
        value = repr(values[name])[:40]
        errors.append(FieldError(name, code, {"value": value, **params}))

    for name, allowed in CHOICES.get(kind, {}).items():
        if getattr(record, name) not in allowed:
            bad(name, "field.not_one_of", allowed=", ".join(a or '""' for a in allowed))
    if kind in FLAGS and any(flag not in FLAGS[kind] for flag in values["flags"]):
        bad("flags", "field.not_one_of", allowed=", ".join(FLAGS[kind]))
    for name in DAYS:
        if hasattr(record, name) and not is_day(getattr(record, name)):
            bad(name, "field.bad_day")
    for name in OPTIONAL_DAYS:
        value = getattr(record, name, "")
        if value and not is_day(value):
            bad(name, "field.bad_day")
    for name in MOMENTS:
        value = getattr(record, name, "")
        if value and not is_moment(value):
            bad(name, "field.bad_moment")
    for (range_kind, name), (low, high) in RANGES.items():
        value = getattr(record, name, None) if range_kind == kind else None
        if value is not None and not low <= value <= high:
            bad(name, "field.out_of_range", low=low, high=high)
    if kind == "category" and not OWNER_RULE.match(values["owner_rule"]):
        bad("owner_rule")
    if kind == "ticket" and not TICKET_NUMBER.match(values["number"]):
        bad("number")
    if kind == "certification" and not QUARTER.match(values["quarter"]):
        bad("quarter")
    if kind == "outing" and (
        not MONTH.match(values["month"]) or values["day"][:7] != values["month"]
    ):
        bad("month")
    return errors


# -- documents: a record as it arrives from outside (import, sync) ----------


_HINTS: dict[type[Record], dict[str, Any]] = {}


def _hints(cls: type[Record]) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _fits(value: Any, hint: Any) -> bool:
    """Does a JSON value fit a field's annotation (str, int, bool, X | None,
    list[str], list[dict[str, Any]], dict[str, Any] | None)?"""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_fits(value, arg) for arg in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is str or (isinstance(hint, type) and issubclass(hint, Enum)):
        # A state's value is checked by value_errors, with the values allowed.
        return isinstance(value, str)
    if origin is typing.Literal:
        return value in typing.get_args(hint)
    if origin is list:
        (item,) = typing.get_args(hint)
        return isinstance(value, list) and all(_fits(v, item) for v in value)
    if origin is dict:
        return isinstance(value, dict) and all(
            isinstance(k, str) and _scalar(v) for k, v in value.items()
        )
    return False


def _scalar(value: Any) -> bool:
    """Timeline and history entries hold plain values only."""
    return value is None or isinstance(value, str | int | float | bool)


def document_errors(cls: type[Record], doc: dict[str, Any]) -> list[FieldError]:
    """Type errors and missing fields of a stored or imported document."""
    errors: list[FieldError] = []
    hints = _hints(cls)
    for f in dataclasses.fields(cls):
        if f.name not in doc:
            required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            if required or f.name in ("id", "rev", "created_at", "updated_at"):
                errors.append(FieldError(f.name, "field.missing"))
            continue
        if not _fits(doc[f.name], hints[f.name]):
            errors.append(FieldError(f.name, "field.wrong_type", {"value": repr(doc[f.name])[:40]}))
    if errors:
        return errors
    ident = doc["id"]
    if not ident or len(ident) > ID_MAX or not ident.isprintable():
        errors.append(FieldError("id", "field.bad_value", {"value": repr(ident)[:40]}))
    if not 1 <= doc["rev"] <= REV_MAX:
        value = repr(doc["rev"])[:40]
        errors.append(
            FieldError("rev", "field.out_of_range", {"value": value, "low": 1, "high": REV_MAX})
        )
    for name in ("created_at", "updated_at"):
        if not is_moment(doc[name]):
            errors.append(FieldError(name, "field.bad_moment", {"value": repr(doc[name])[:40]}))
    return errors


# -- what a merge adds (tui/domain/merge.py, docs/MERGE.md) ----------------------

REDIRECTABLE = ("resident", "session")  # the kinds folded when entered twice


def _is_stamp(value: Any, *, empty: bool = True) -> bool:
    from tui.domain.hlc import ClockError, parse

    if not isinstance(value, str) or (not value and not empty):
        return False
    try:
        parse(value)
    except ClockError:
        return False
    return True


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= ID_MAX and value.isprintable()


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= ID_MAX * 4


def metadata_errors(cls: type[Record], doc: dict[str, Any]) -> list[FieldError]:
    """Type errors in a document's merge metadata: its clock, the stamps of
    its fields and the conflicts kept on it. A field named there must be one
    of the record's, and a kept value must fit that field's type."""
    errors: list[FieldError] = []
    hints = _hints(cls)

    def wrong(name: str, value: Any) -> None:
        errors.append(FieldError(name, "field.wrong_type", {"value": repr(value)[:40]}))

    if "clock" in doc and not _is_stamp(doc["clock"]):
        wrong("clock", doc["clock"])
    if "redirect" in doc and not _is_id(doc["redirect"]):
        wrong("redirect", doc["redirect"])
    stamps = doc.get("stamps", {})
    if not isinstance(stamps, dict):
        wrong("stamps", stamps)
        stamps = {}
    for name, entry in stamps.items():
        fits = (
            name in hints
            and isinstance(entry, list)
            and len(entry) == 4
            and _is_stamp(entry[0])
            and _is_text(entry[1])
            and (entry[2] is None or _is_stamp(entry[2]))
            and _is_text(entry[3])
        )
        if not fits:
            wrong("stamps", {name: entry})
    conflicts = doc.get("conflicts", [])
    if not isinstance(conflicts, list):
        wrong("conflicts", conflicts)
        conflicts = []
    for item in conflicts:
        fits = (
            isinstance(item, dict)
            and set(item) == {"field", "value", "clock", "device", "by", "base"}
            and item["field"] in hints
            and _fits(item["value"], hints[item["field"]])
            and _is_stamp(item["clock"])
            and _is_text(item["device"])
            and _is_text(item["by"])
            and (item["base"] is None or _is_stamp(item["base"]))
        )
        if not fits:
            wrong("conflicts", item)
    return errors


def redirect_errors(doc: dict[str, Any]) -> list[FieldError]:
    """A record folded into another keeps only {"id", "kind", "redirect"}."""
    errors = []
    if set(doc) != {"id", "kind", "redirect"} or doc["kind"] not in REDIRECTABLE:
        errors.append(FieldError("redirect", "field.wrong_type", {"value": repr(doc)[:40]}))
    for name in ("id", "redirect"):
        if not _is_id(doc.get(name)):
            errors.append(FieldError(name, "field.bad_value", {"value": repr(doc.get(name))[:40]}))
    return errors

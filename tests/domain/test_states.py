"""The closed sets of states (tui/domain/states.py): records carry members,
files keep the same strings, an unknown string is refused by the validator
with the message it always had, and every state the UI names has its name
in both catalogues."""

from __future__ import annotations

import json
import shutil
import typing
from enum import Enum, StrEnum
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.conftest import SAMPLE
from tui.domain import states
from tui.domain.cases import LIFECYCLE
from tui.domain.cases import NEXT_STEP as CASE_NEXT
from tui.domain.catalogue import PARTY_TYPES, STAFF_ROLES
from tui.domain.errors import FieldError, ValidationFailed
from tui.domain.queue import NEXT_STEP, TRANSITIONS
from tui.domain.record_rules import CHOICES
from tui.domain.records import RECORD_TYPES, Record, Ticket, record_from_dict
from tui.domain.states import (
    STORED_OUTING,
    CaseStatus,
    CaseStep,
    CertMethod,
    OutingStatus,
    OwnerKind,
    PartyType,
    QueueAction,
    ReplyChannel,
    RequestStatus,
    SessionStatus,
    StaffRole,
    TicketStatus,
    Triage,
    VisitMode,
    VisitStatus,
)
from tui.domain.validate import MERGE_KEYS, validate, validate_document
from tui.i18n import catalogue
from tui.store.storage import DUMP_OPTIONS

ENUMS = [
    v
    for v in vars(states).values()
    if isinstance(v, type) and issubclass(v, StrEnum) and v.__module__ == states.__name__
]


def state_fields(cls: type[Record]) -> dict[str, type[StrEnum]]:
    """field -> its enum, for each field of a record typed with a state."""
    found = {}
    for name, hint in typing.get_type_hints(cls).items():
        options = typing.get_args(hint) or (hint,)
        for option in options:
            if isinstance(option, type) and issubclass(option, StrEnum):
                found[name] = option
    return found


def plain(value: Any) -> bool:
    """JSON-like values with no enum member anywhere in them."""
    if isinstance(value, list):
        return all(plain(v) for v in value)
    if isinstance(value, dict):
        return all(plain(v) for v in value.values())
    return not isinstance(value, Enum)


# -- the sample data ---------------------------------------------------------


def test_every_kind_with_a_state_is_typed_with_it() -> None:
    typed = {kind: set(state_fields(cls)) for kind, cls in RECORD_TYPES.items()}
    assert typed == {
        "community": set(),
        "compound": set(),
        "staff": {"role"},
        "party": {"type"},
        "category": {"triage"},
        "resident": set(),
        "certification": {"method"},
        "session": {"status"},
        "request": {"status"},
        "visit": {"mode", "triage", "triage_suggested", "status"},
        "ticket": {"status"},
        "case": {"owner_kind", "reply_via", "status"},
        "outing": {"status"},
    }


def test_sample_data_loads_with_states_and_saves_back_the_same_bytes(tmp_path: Path) -> None:
    """Every record of today's sample_data/ loads, holds enum members, and its
    to_dict, written as the store writes, gives each file back byte for byte."""
    folder = tmp_path / "sample"
    shutil.copytree(SAMPLE, folder)
    files = sorted(folder.rglob("*.json"))
    loaded: dict[str, int] = {}
    members: set[Enum] = set()
    for path in files:
        raw = path.read_bytes()
        tables = orjson.loads(raw)
        for docs in tables.values():
            for key, doc in docs.items():
                if doc.get("kind") not in RECORD_TYPES:
                    continue  # meta.json
                record = record_from_dict(doc)
                for name, enum in state_fields(type(record)).items():
                    value = getattr(record, name)
                    assert isinstance(value, enum) or value == "", (path.name, name, value)
                    if value:
                        members.add(value)
                back = record.to_dict()
                assert plain(back), back
                merge_meta = {k: v for k, v in doc.items() if k in MERGE_KEYS}
                assert back == {k: v for k, v in doc.items() if k not in MERGE_KEYS}
                docs[key] = {**back, **merge_meta}
                loaded[record.KIND] = loaded.get(record.KIND, 0) + 1
        assert orjson.dumps(tables, option=DUMP_OPTIONS) == raw, path
    assert set(loaded) >= {"staff", "party", "category", "resident", "session", "visit"}
    assert set(loaded) >= {"ticket", "case", "certification", "request"}
    # The sample day holds every ticket, visit and case state.
    assert set(TicketStatus) | set(VisitStatus) | set(CaseStatus) <= members


def test_to_dict_gives_plain_strings_also_inside_history_and_replies() -> None:
    ticket = Ticket(
        day="2026-11-20",
        number="A001",
        letter="A",
        seq=1,
        status=TicketStatus.CALLED,
        history=[{"at": "", "status": TicketStatus.CALLED, "action": QueueAction.CALL}],
    )
    doc = ticket.to_dict()
    assert plain(doc)
    assert type(doc["status"]) is str and doc["status"] == "called"
    assert type(doc["history"][0]["action"]) is str
    assert orjson.dumps(doc) == orjson.dumps(json.loads(json.dumps(doc)))


def test_a_state_formats_as_its_string() -> None:
    """Catalogue ids such as ticket.status.{status} and every file see the value."""
    status = TicketStatus.NO_SHOW
    assert f"ticket.status.{status}" == "ticket.status.no_show"
    assert str(status) == "no_show" and f"{status:>8}" == " no_show"
    assert "case.step." + CaseStep.RESOLVE == "case.step.resolve"
    assert orjson.dumps({"s": status}) == b'{"s":"no_show"}'
    assert json.dumps({"s": status}) == '{"s": "no_show"}'
    assert status == "no_show" and "no_show" in (status,)


def test_a_record_given_strings_holds_members() -> None:
    """Forms and sheets give strings: the record holds members all the same."""
    ticket = Ticket(day="2026-11-20", number="", letter="A", seq=1, status="serving")
    assert ticket.status is TicketStatus.SERVING


# -- unknown states ---------------------------------------------------------


STATE_CHOICES = [
    (kind, name)
    for kind, fields in CHOICES.items()
    for name in fields
    if name in state_fields(RECORD_TYPES[kind])
]


@pytest.mark.parametrize(("kind", "name"), STATE_CHOICES)
def test_an_unknown_state_is_kept_for_the_validator_to_refuse(kind: str, name: str) -> None:
    """A hand-edited or imported file with a state no one knows: from_dict
    keeps the string, the validator refuses it naming the values allowed."""
    cls = RECORD_TYPES[kind]
    doc = _valid_doc(kind)
    doc[name] = "bogus"
    record = cls.from_dict(doc)
    assert getattr(record, name) == "bogus"
    allowed = CHOICES[kind][name]
    expected = FieldError(
        name,
        "field.not_one_of",
        {"value": "'bogus'", "allowed": ", ".join(a or '""' for a in allowed)},
    )
    with pytest.raises(ValidationFailed) as caught:
        validate_document(doc)
    assert expected in caught.value.errors
    with pytest.raises(ValidationFailed) as again:
        validate(record)
    assert expected in again.value.errors


def test_the_allowed_values_read_as_before() -> None:
    """The refusal lists the same plain strings, in the same order, as before the enums."""
    allowed = {
        (kind, name): ", ".join(a or '""' for a in values)
        for kind, fields in CHOICES.items()
        for name, values in fields.items()
    }
    assert allowed["ticket", "status"] == "waiting, called, serving, done, no_show, cancelled"
    assert allowed["case", "status"] == ("logged, assigned, in_progress, resolved, replied, closed")
    assert allowed["case", "reply_via"] == "phone, home_visit, next_session"
    assert allowed["case", "owner_kind"] == "staff, party"
    assert allowed["visit", "triage"] == '"", now, later'
    assert allowed["visit", "status"] == "open, handled, logged"
    assert allowed["visit", "mode"] == "queue, now"
    assert allowed["staff", "role"] == "secretary, grid_worker, governance, staff"
    assert allowed["party", "type"] == "police, property, legal, insurer, other"
    assert allowed["category", "triage"] == "now, later"
    assert allowed["certification", "method"] == "desk, home_visit"
    assert allowed["session", "status"] == "open, closed"
    assert allowed["request", "status"] == "open, done"
    assert allowed["outing", "status"] == "planned, accepted"


def test_a_state_of_the_wrong_type_is_still_a_type_error() -> None:
    doc = _valid_doc("ticket")
    doc["status"] = 3
    with pytest.raises(ValidationFailed) as caught:
        validate_document(doc)
    assert caught.value.errors == [FieldError("status", "field.wrong_type", {"value": "3"})]


def _valid_doc(kind: str) -> dict[str, Any]:
    """The first stored document of a kind in sample_data/ (plan.json: made up)."""
    if kind == "outing":
        return {
            "id": "o1",
            "kind": "outing",
            "rev": 1,
            "created_at": "2026-11-27T10:00:00+08:00",
            "updated_at": "2026-11-27T10:00:00+08:00",
            "month": "2026-12",
            "day": "2026-12-02",
            "compound": "c1",
            "status": "planned",
        }
    for path in sorted(SAMPLE.rglob("*.json")):
        docs = orjson.loads(path.read_bytes()).get(kind)
        if docs:
            return dict(next(iter(docs.values())))
    raise AssertionError(kind)


# -- defined once --------------------------------------------------------------


def test_the_rules_derive_from_the_enums() -> None:
    assert STAFF_ROLES == tuple(StaffRole) and PARTY_TYPES == tuple(PartyType)
    assert CHOICES["ticket"]["status"] == tuple(TicketStatus)
    assert CHOICES["case"]["status"] == tuple(CaseStatus)
    assert CHOICES["outing"]["status"] == STORED_OUTING
    assert OutingStatus.PROPOSED not in STORED_OUTING  # a proposal is never stored
    assert set(NEXT_STEP) == set(TicketStatus)
    assert {target for _, target in TRANSITIONS.values()} <= set(TicketStatus)
    assert set(CASE_NEXT) == set(CaseStatus)
    assert set(LIFECYCLE) | set(CASE_NEXT.values()) <= set(CaseStep)


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_each_value_is_defined_once(enum: type[StrEnum]) -> None:
    values = [m.value for m in enum]
    assert len(values) == len(set(values)) == len(enum.__members__)
    assert all(v == v.strip() and v for v in values)


# -- names in the catalogues -------------------------------------------------------


# enum -> the catalogue ids of its members' names, where the UI shows one
NAMES: dict[type[StrEnum], list[str]] = {
    TicketStatus: [f"ticket.status.{s}" for s in TicketStatus],
    CaseStatus: [f"case.status.{s}" for s in CaseStatus],
    CaseStep: [
        *(f"case.action.{a}" for a in CaseStep),  # the timeline
        *(f"case.step.{a}" for a in LIFECYCLE),  # a refusal
        *(f"case.next.{a}" for a in CASE_NEXT.values()),
    ],
    QueueAction: [
        f"{prefix}.{a}"
        for prefix in ("queue.action", "queue.did")
        for a in (*TRANSITIONS, QueueAction.TRANSFER, QueueAction.PRIORITY)
    ]
    + [f"queue.next.{a}" for a in NEXT_STEP.values() if a],
    ReplyChannel: [f"reply.{c}" for c in ReplyChannel],
    VisitStatus: [f"report.decision.{s}" for s in VisitStatus],
    VisitMode: [f"intake.mode_{m}" for m in VisitMode],
    Triage: [f"triage.{d}" for d in Triage],
    SessionStatus: [f"session.status.{s}" for s in SessionStatus],
    OutingStatus: [f"plan.status.{s}" for s in OutingStatus],
    StaffRole: [f"role.{r}" for r in StaffRole],
    PartyType: [f"party_type.{p}" for p in PartyType],
    CertMethod: [f"cert.method.{m}" for m in CertMethod],
    # Shown without a name: a request as ✓ or -, an owner by their own name.
    RequestStatus: [],
    OwnerKind: [],
}


def test_every_enum_is_accounted_for() -> None:
    assert set(NAMES) == set(ENUMS)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_every_state_has_its_name(lang: str, enum: type[StrEnum]) -> None:
    names = catalogue(lang)
    missing = [key for key in NAMES[enum] if not names.get(key, "").strip()]
    assert missing == []

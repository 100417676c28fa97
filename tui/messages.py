"""One clear sentence for each error a user can meet, in their language."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from tui.domain.errors import CodedError, FieldError, ValidationFailed
from tui.i18n import has, t

if TYPE_CHECKING:  # imported when an error is described, not before the first frame
    from tui.domain.cases import CaseError
    from tui.domain.queue import QueueError


def field_label(name: str) -> str:
    """A field's name for people; fields only imports can get wrong keep theirs."""
    key = f"field.name.{name}"
    label = t(key)
    return name if label == key else label


def describe_field_error(error: FieldError) -> str:
    return t(error.code, field=field_label(error.field), **error.params)


def describe_error(err: BaseException, *, desk: int = 0) -> str:
    """`desk`: the desk the user works at, for a queue refusal about a ticket
    that is at another desk now."""
    from tui.domain.cases import CaseError
    from tui.domain.queue import QueueError

    if isinstance(err, ValidationFailed):
        return "; ".join(describe_field_error(e) for e in err.errors)
    if isinstance(err, QueueError):
        return describe_queue_error(err, desk=desk)
    if isinstance(err, CaseError):
        return describe_case_error(err)
    if isinstance(err, CodedError):
        return t(err.code, **err.params)
    return t("error.unexpected", detail=str(err))


def _named(key: str) -> str:
    """A state's or a step's name in the user's language (the id's last part
    if the catalogue has none: never a crash over a name)."""
    return t(key) if has(key) else key.rsplit(".", 1)[-1]


def describe_queue_error(err: QueueError, *, desk: int = 0) -> str:
    """A queue refusal in the user's words: the ticket's state and the step by
    their translated names, and what to do instead."""
    from tui.domain.queue import ACTIVE

    params = dict(err.params)
    status = str(params.get("status", ""))
    if status:
        params["status"] = _named(f"ticket.status.{status}")
    if err.code == "queue.illegal":
        params["action"] = _named(f"queue.action.{params.get('action', '')}")
        at = int(params.get("desk") or 0)
        if desk and at and at != desk and status in ACTIVE:
            params["next"] = t("queue.next.elsewhere", desk=at)
        else:
            params["next"] = t(f"queue.next.{params.get('next') or 'finished'}")
    return t(err.code, **params)


def describe_case_error(err: CaseError) -> str:
    """A case refusal: the case's state and the step by their translated names,
    and the step to take instead."""
    params = dict(err.params)
    if err.code == "case.illegal":
        params["status"] = _named(f"case.status.{params.get('status', '')}")
        params["action"] = _named(f"case.step.{params.get('action', '')}")
        step = params.get("next") or ""
        params["next"] = t(f"case.next.{step}") if step else ""
    return t(err.code, **params).strip()


AMENDED_FIELDS = {"due": "triage.due", "phone": "intake.phone", "reply_via": "triage.reply_via"}


def describe_amendment(changes: dict[str, str]) -> str:
    """What the `e` dialog changed, for the case's timeline: the fields and
    their new values as the case screen shows them, in the user's language."""
    from tui.domain.phone import display_phone

    shown = {
        "due": lambda value: value,
        "phone": lambda value: display_phone(value) or "-",
        "reply_via": lambda value: _named(f"reply.{value}"),
    }
    return t("case.amend_sep").join(
        t("case.amend_change", field=t(AMENDED_FIELDS[name]), value=shown[name](value))
        for name, value in changes.items()
    )


def _shown(value: object) -> str:
    """A kept value as one line of text ("—" for none)."""
    if value in ("", None, [], {}):
        return "—"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return " ".join(str(text).split())[:80]


def _when(clock: str) -> str:
    """A clock stamp as the local time it was written ("" if unknown)."""
    from tui.domain.hlc import ClockError, parse

    try:
        millis, _ = parse(clock)
    except ClockError:
        return ""
    if not millis:
        return ""
    moment = datetime.fromtimestamp(millis / 1000, tz=timezone.utc).astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


def conflict_words(doc: dict[str, Any], conflict: dict[str, Any]) -> dict[str, str]:
    """The parts of one conflict as staff read them (tui.domain.merge):
    the record, the field, the value kept with its writer and time, and the
    other value with its writer and time."""
    stamp = doc.get("stamps", {}).get(conflict["field"])
    kept_clock, kept_device, _base, kept_by = stamp or (doc.get("created_at", ""), "", "", "")
    if stamp and not kept_clock:  # lifted from a copy entered apart: its id, not a laptop
        kept_device = ""
    words = {
        "kind": t(f"sync.kind.{doc.get('kind')}")
        if has(f"sync.kind.{doc.get('kind')}")
        else str(doc.get("kind")),
        "id": str(doc.get("id", ""))[:8],
        "field": field_label(str(conflict["field"])),
        "kept": _shown(doc.get(conflict["field"])),
        "kept_by": str(kept_by or "—"),
        "kept_device": str(kept_device or "—"),
        "kept_when": _when(str(kept_clock)) if stamp else "",
        "other": _shown(conflict["value"]),
        "other_by": str(conflict.get("by") or "—"),
        "other_device": str(conflict.get("device") or "—"),
        "other_when": _when(str(conflict.get("clock", ""))),
    }
    if not conflict.get("clock"):
        # A value a copy of the record was created with on another laptop
        # (the record entered twice): no writer or time of its own is known.
        words.update(other_by="—", other_device="—", other_when=t("sync.entered_apart"))
    if not words["kept_when"]:
        words["kept_when"] = "—"
    return words

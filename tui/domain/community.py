"""The community's own lists, edited at the desk (F7) and at first run: what
each kind of item asks for, turning a filled-in form into a record, keeping
compounds and their grid workers pointing at each other, and retiring.

Items are never deleted: visits, cases and reports keep their ids. A retired
item (active=False) keeps its name everywhere it is shown and only leaves the
pickers.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from tui.domain.catalogue import PARTY_TYPES, QUEUE_LETTERS, STAFF_ROLES, default_categories
from tui.domain.errors import FieldError, ValidationFailed
from tui.domain.pinyin import keys as pinyin_keys
from tui.domain.records import Category, Community, Compound, OutsideParty, Record, StaffMember
from tui.domain.states import StaffRole, Triage
from tui.domain.validate import validate

RegistryItem = Compound | StaffMember | OutsideParty | Category
R = TypeVar("R", bound=Record)

# section -> the record kind listed there
SECTIONS: dict[str, str] = {
    "compounds": "compound",
    "staff": "staff",
    "parties": "party",
    "categories": "category",
    "profile": "community",
}


@dataclass(frozen=True)
class Field:
    name: str  # the record's field
    kind: str  # text | number | choice | many (a list of ids to tick)
    choices: str = ""  # which list a choice or many draws on (see choices())


FIELDS: dict[str, tuple[Field, ...]] = {
    "community": (
        Field("name", "text"),
        Field("sub_district", "text"),
        Field("phone", "text"),
        Field("secretary", "text"),
        Field("secretary_phone", "text"),
    ),
    "compound": (
        Field("name", "text"),
        Field("short", "text"),
        Field("address", "text"),
        Field("households", "number"),
        Field("grid_worker", "choice", "staff"),
        Field("note", "text"),
    ),
    "staff": (
        Field("name", "text"),
        Field("role", "choice", "roles"),
        Field("phone", "text"),
        Field("compounds", "many", "compounds"),
    ),
    "party": (
        Field("name", "text"),
        Field("type", "choice", "party_types"),
        Field("contact_person", "text"),
        Field("phone", "text"),
        Field("compounds", "many", "compounds"),
    ),
    "category": (
        Field("name_zh", "text"),
        Field("name_en", "text"),
        Field("letter", "choice", "letters"),
        Field("triage", "choice", "triage"),
        Field("owner_rule", "choice", "owner_rules"),
        Field("due_days", "number"),
    ),
}

BLANK: dict[str, type[Record]] = {
    "community": Community,
    "compound": Compound,
    "staff": StaffMember,
    "party": OutsideParty,
    "category": Category,
}

OWNER_RULES = (
    "grid_worker",
    "desk",
    *(f"role:{r}" for r in STAFF_ROLES),
    *(f"party:{p}" for p in PARTY_TYPES),
)


def blank(kind: str) -> Record:
    """A new, empty item of a kind, as the add form starts from."""
    cls = BLANK[kind]
    if cls is Category:
        return Category(code="", name_zh="", name_en="")
    return cls(name="")  # type: ignore[call-arg]


def fixed_choices(name: str) -> tuple[str, ...]:
    """The values of a choice that does not come from the registry."""
    return {
        "roles": STAFF_ROLES,
        "party_types": PARTY_TYPES,
        "letters": tuple(QUEUE_LETTERS),
        "triage": tuple(Triage),
        "owner_rules": OWNER_RULES,
    }.get(name, ())


def form_values(record: Record) -> dict[str, Any]:
    """What the form shows for a record: text as stored, numbers as digits."""
    values: dict[str, Any] = {}
    for spec in FIELDS[record.KIND]:
        value = getattr(record, spec.name)
        values[spec.name] = str(value) if spec.kind == "number" else value
    return values


def from_form(
    record: R,
    values: Mapping[str, Any],
    siblings: Sequence[Record] = (),
) -> R:
    """The record with the form's values, cleaned and checked; else
    ValidationFailed naming every field at fault at once. `siblings` are the
    other items of the same kind (a name is used once among them)."""
    changes: dict[str, Any] = {}
    errors: list[FieldError] = []
    for spec in FIELDS[record.KIND]:
        if spec.name not in values:
            continue
        value = values[spec.name]
        if spec.kind == "number":
            text = unicodedata.normalize("NFKC", str(value)).strip()
            if not text:
                changes[spec.name] = 0
            elif found := re.fullmatch(r"(\d{1,9})\s*[户个天日]?", text):  # 200户 as written
                changes[spec.name] = int(found[1])
            else:
                errors.append(FieldError(spec.name, "field.not_a_number", {"value": text[:20]}))
        elif spec.kind == "many":
            changes[spec.name] = list(dict.fromkeys(str(v) for v in value))
        else:
            changes[spec.name] = str(value)
    updated = dataclasses.replace(record, **changes)
    if isinstance(updated, Category) and updated.name_zh.strip() and not updated.name_en.strip():
        # A Chinese office need not type English: the English list shows the Chinese name.
        updated = dataclasses.replace(updated, name_en=updated.name_zh)
    if isinstance(updated, Category) and not updated.code:
        updated = dataclasses.replace(updated, code=category_code(updated, siblings))
    if isinstance(updated, Compound) and not updated.short.strip():
        updated = dataclasses.replace(updated, short=short_name(updated.name))
    try:
        updated = validate(updated)
    except ValidationFailed as failed:
        errors += [e for e in failed.errors if e.field not in {x.field for x in errors}]
    if not any(e.field == label_field(updated) for e in errors):
        taken = {_key(label(s)) for s in siblings if s.id != updated.id}
        if _key(label(updated)) in taken:
            errors.append(
                FieldError(label_field(updated), "community.name_taken", {"name": label(updated)})
            )
    if errors:
        raise ValidationFailed(errors)
    return updated


def label_field(record: Record) -> str:
    return "name_zh" if isinstance(record, Category) else "name"


def label(record: Record, zh: bool = True) -> str:
    """The name an item is known by."""
    if isinstance(record, Category):
        return record.name_zh if zh else record.name_en
    return str(getattr(record, "name", ""))


def _key(name: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name)).casefold()


def short_name(name: str) -> str:
    """Pinyin initials typed to find a compound: 新宁路11号院 -> xnl11hy."""
    found = pinyin_keys(name)
    return found[0][1][:20] if found else ""


def category_code(category: Category, siblings: Sequence[Record]) -> str:
    """A code for a new category, from its English name, not used before."""
    base = re.sub(r"[^a-z0-9]+", "_", category.name_en.lower()).strip("_")[:24] or "category"
    taken = {s.code for s in siblings if isinstance(s, Category)}
    code, number = base, 2
    while code in taken:
        code, number = f"{base}_{number}", number + 1
    return code


def set_active(item: RegistryItem, active: bool) -> RegistryItem:
    return dataclasses.replace(item, active=active)


def linked_staff(compound: Compound, staff: Sequence[StaffMember]) -> list[StaffMember]:
    """The grid worker named for a compound covers it: the staff member to save
    with the compound (none when already so)."""
    worker = next((s for s in staff if s.id == compound.grid_worker), None)
    if worker is None or compound.id in worker.compounds:
        return []
    return [dataclasses.replace(worker, compounds=[*worker.compounds, compound.id])]


def linked_compounds(member: StaffMember, compounds: Sequence[Compound]) -> list[Compound]:
    """A grid worker covering compounds that have no grid worker yet becomes theirs."""
    if member.role != StaffRole.GRID_WORKER:
        return []
    return [
        dataclasses.replace(c, grid_worker=member.id)
        for c in compounds
        if c.id in member.compounds and not c.grid_worker
    ]


def setup_step(community: Community | None, compounds: Sequence[Compound]) -> str:
    """What a folder still needs before a session can open: "profile" (a new
    folder: the community first), "lists" (set up by `fielddesk init`, no
    compound yet), or "" (ready; an older folder without a profile is
    ready too, its profile can be filled in F7 at any time)."""
    if compounds:
        return ""
    return "profile" if community is None else "lists"


def first_records(profile: Community, existing: Sequence[Category]) -> list[Record]:
    """What a new folder is given with its profile: the built-in categories,
    unless it has some already (staff edit them in F7 later)."""
    return [profile, *([] if existing else default_categories())]

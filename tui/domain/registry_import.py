"""Residents from the office's spreadsheets: find the header under any title
rows, map the common Chinese and English column names, read each row into a
resident (or say why not), and match it against the registry.

Rows come in as (spreadsheet row number, cell values); reading the file is
tui.registry's job. Nothing here writes: the plan says what an import would
add, update, leave alone and reject.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from tui.domain.errors import CodedError, ValidationFailed
from tui.domain.records import Compound, Resident
from tui.domain.validate import validate

# field -> header names as offices write them (compared after normalising)
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "居民姓名", "老人姓名", "name", "fullname", "residentname"),
    "gender": ("性别", "gender", "sex"),
    "birth_date": (
        "出生日期",
        "出生年月日",
        "出生年月",
        "生日",
        "birthdate",
        "dateofbirth",
        "dob",
        "birthday",
    ),
    "birth_year": ("出生年份", "出生年", "birthyear", "yearofbirth"),
    "phone": (
        "联系电话",
        "电话",
        "手机",
        "手机号",
        "手机号码",
        "电话号码",
        "联系方式",
        "phone",
        "telephone",
        "mobile",
        "tel",
        "phonenumber",
    ),
    "compound": (
        "小区",
        "院落",
        "小区院落",
        "小区名称",
        "所在小区",
        "小区名",
        "compound",
        "community",
        "estate",
    ),
    "building": ("楼栋", "楼号", "楼栋号", "栋", "楼", "building", "block"),
    "unit": ("单元", "单元号", "unit"),
    "room": ("门牌号", "房号", "房间号", "室", "户号", "room", "door", "flat", "apartment"),
    "note": ("备注", "note", "notes", "remarks", "comment"),
}
_ALIASES = {alias: name for name, aliases in HEADERS.items() for alias in aliases}
HEADER_SCAN = 15  # rows looked at for the header
MOBILITY_WORDS = ("行动不便", "卧床", "瘫痪", "轮椅", "残疾")
MAX_AGE = 125
_GENDERS = {"男": "m", "女": "f", "m": "m", "f": "f", "male": "m", "female": "f"}


def as_text(value: object) -> str:
    """A cell as typed, trimmed ("" for empty; 3.0 read back from Excel is 3)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def normalise(value: object) -> str:
    """A cell for reading numbers and codes: full-width folded (１３８ → 138)."""
    return unicodedata.normalize("NFKC", as_text(value)).strip()


def header_key(value: object) -> str:
    """A header cell reduced for matching: no spaces, marks, bracketed notes."""
    text = normalise(value).lower()
    text = re.sub(r"[(（\[【].*?[)）\]】]", "", text)
    return re.sub(r"[\s_\-/\\:：*＊.。、]", "", text)


@dataclass(frozen=True)
class Header:
    row: int  # spreadsheet row number of the (last) header row
    index: int  # position of that row in the rows given
    columns: dict[str, int]  # field -> column index
    labels: dict[str, str]  # field -> the header as written
    ignored: tuple[str, ...]  # headers not used
    title: str = ""  # text above the header (a sheet title often names the compound)


def find_columns(
    rows: Sequence[tuple[int, Sequence[object]]],
    table: dict[str, str],
    required: str,
    *,
    least: int = 1,
    label: Callable[[object], str] = normalise,
) -> Header | None:
    """The row (or two rows, when a merged cell spans sub-headings) in the
    first HEADER_SCAN naming the most known columns, `required` among them
    and at least `least`. `table` maps header_key(alias) to field; `label`
    is how a header is quoted back. The residents' sheet and each sheet of
    the community workbook are found this way."""
    best: Header | None = None
    for index, (_number, cells) in enumerate(rows[:HEADER_SCAN]):
        candidates = [list(cells)]
        if index + 1 < len(rows):
            below = list(rows[index + 1][1])
            width = max(len(cells), len(below))
            candidates.append(
                [
                    below[i]
                    if i < len(below) and header_key(below[i]) in table
                    else (cells[i] if i < len(cells) else None)
                    for i in range(width)
                ]
            )
        for depth, labels in enumerate(candidates):
            columns: dict[str, int] = {}
            written: dict[str, str] = {}
            ignored: list[str] = []
            for column, cell in enumerate(labels):
                name = table.get(header_key(cell))
                if name and name not in columns:
                    columns[name] = column
                    written[name] = label(cell)
                elif normalise(cell):
                    ignored.append(label(cell))
            if required not in columns or len(columns) < least:
                continue
            if best is None or len(columns) > len(best.columns):
                best = Header(
                    row=rows[index + depth][0],
                    index=index + depth,
                    columns=columns,
                    labels=written,
                    ignored=tuple(dict.fromkeys(ignored)),
                )
    return best


def find_header(rows: Sequence[tuple[int, Sequence[object]]]) -> Header | None:
    """The residents' header (a name column and one more), with the text
    above it: rows above, and a title merged across the row right above it
    (read as the upper row of a two-row header)."""
    found = find_columns(rows, _ALIASES, "name", least=2)
    if found is None:
        return None
    above = [
        normalise(c)
        for _, row in rows[: found.index]
        for c in row
        if normalise(c) and header_key(c) not in _ALIASES
    ]
    return dataclasses.replace(found, title=" ".join(dict.fromkeys(above)))


@dataclass(frozen=True)
class Rejected:
    row: int
    code: str  # catalogue id
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Parsed:
    row: int
    resident: Resident  # as the sheet gives it (new id; matched later)
    cells: tuple[str, ...]  # the row as read, for the preview


class RowError(CodedError, ValueError):
    """A refusal with a message id (CodedError)."""


def parse_birth(value: object, today: date) -> tuple[str, int | None]:
    """(YYYY-MM-DD or "", year) from a date cell or text; RowError if unreadable."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return _plausible(value.isoformat(), value.year, today)
    text = normalise(value)
    if not text:
        return "", None
    if re.fullmatch(r"\d{5}(\.0+)?", text):  # an Excel serial day number
        moment = date(1899, 12, 30) + timedelta(days=int(float(text)))
        return _plausible(moment.isoformat(), moment.year, today)
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text)
    match = match or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if match:
        try:
            moment = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            raise RowError("residents.bad_date", value=text) from None
        return _plausible(moment.isoformat(), moment.year, today)
    match = re.fullmatch(r"(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?)?\s*年?", text)
    if match and (match[2] is None or 1 <= int(match[2]) <= 12):
        return _plausible("", int(match[1]), today)
    raise RowError("residents.bad_date", value=text)


def _plausible(day: str, year: int, today: date) -> tuple[str, int | None]:
    if not today.year - MAX_AGE <= year <= today.year or (day and day > today.isoformat()):
        raise RowError("residents.bad_date", value=day or str(year))
    return day, year


def _name(text: str) -> str:
    """王  芳 (padded to line up with three-character names) is 王芳; Ma  Lin is Ma Lin."""
    if re.fullmatch(r"[\u3400-\u9fff\u00b7·\s]+", text):
        return re.sub(r"\s+", "", text)
    return re.sub(r"\s+", " ", text)


def _address_part(text: str, marks: str) -> str:
    return re.sub(rf"(?:{marks})$", "", text).strip()


def parse_row(
    number: int,
    cells: Sequence[object],
    header: Header,
    compounds: dict[str, Compound],
    default_compound: str,
    today: date,
    new_compounds: dict[str, Compound] | None = None,
) -> Parsed:
    """One row as a resident, or RowError saying what is wrong with it.
    `new_compounds`: where a compound not known yet is made (keyed like
    `compounds`), when the import may create them; None refuses it."""

    def cell(name: str) -> object:
        column = header.columns.get(name)
        return cells[column] if column is not None and column < len(cells) else None

    name = _name(as_text(cell("name")))
    if not name:
        raise RowError("residents.no_name")
    compound_text = normalise(cell("compound"))
    compound = compounds.get(compound_key(compound_text)) if compound_text else None
    if compound_text and compound is None:
        if new_compounds is None:
            raise RowError("residents.unknown_compound", value=compound_text)
        compound = new_compound(as_text(cell("compound")), new_compounds)  # named as written
    compound_id = compound.id if compound else default_compound
    if not compound_id:
        raise RowError("residents.no_compound")
    gender_text = normalise(cell("gender")).lower()
    if gender_text and gender_text not in _GENDERS:
        raise RowError("residents.bad_gender", value=gender_text)
    birth_date, birth_year = parse_birth(cell("birth_date"), today)
    if birth_year is None and normalise(cell("birth_year")):
        _, birth_year = parse_birth(normalise(cell("birth_year"))[:4] + "年", today)
    note = as_text(cell("note"))
    flags = ["mobility"] if any(word in note for word in MOBILITY_WORDS) else []
    resident = Resident(
        name=name,
        compound=compound_id,
        building=_address_part(normalise(cell("building")), "号楼|栋|幢|楼|号"),
        unit=_address_part(normalise(cell("unit")), "单元"),
        room=_address_part(normalise(cell("room")), "室|号"),
        phone=normalise(cell("phone")),
        gender=_GENDERS.get(gender_text, ""),
        birth_year=birth_year,
        birth_date=birth_date,
        flags=flags,
        note=note,
    )
    try:
        resident = validate(resident)
    except ValidationFailed as err:
        first = err.errors[0]
        raise RowError(
            "residents.bad_field", field=first.field, reason=first.code, detail=dict(first.params)
        ) from None
    return Parsed(number, resident, tuple(as_text(c) for c in cells))


def compound_key(text: str) -> str:
    return re.sub(r"\s+", "", normalise(text)).removesuffix("小区") or text


def compound_index(compounds: Iterable[Compound]) -> dict[str, Compound]:
    return {compound_key(c.name): c for c in compounds}


def compound_in_title(title: str, compounds: Iterable[Compound]) -> str:
    """A compound named in the sheet's title (新宁路11号院高龄老人名册), if exactly one."""
    found = {c.id for c in compounds if c.name and c.name in title}
    return found.pop() if len(found) == 1 else ""


# What follows a compound's name in a roster's title: 新宁路11号院居民花名册,
# 新宁花苑高龄老人名册（2026年第四季度）. Longest first.
TITLE_WORDS = (
    "高龄老人花名册",
    "高龄老人名册",
    "老年人花名册",
    "老年人名册",
    "老人花名册",
    "老人名册",
    "居民花名册",
    "居民信息登记表",
    "居民信息表",
    "居民登记表",
    "居民名单",
    "居民名册",
    "人员花名册",
    "人员名单",
    "花名册",
    "信息登记表",
    "信息表",
    "登记表",
    "一览表",
    "名单",
    "名册",
)


def name_in_title(title: str) -> str:
    """The compound a roster's title names, by its own words: the first part of
    the title ending in one of TITLE_WORDS, without it ("" when none does)."""
    first = re.split(r"[(（\[【]", re.sub(r"\s+", "", normalise(title)), maxsplit=1)[0]
    for word in TITLE_WORDS:
        if first.endswith(word):
            return first.removesuffix(word)  # "" for a title that is only 花名册
    return ""


def new_compound(name: str, made: dict[str, Compound]) -> Compound:
    """The compound a roster names that the registry does not have, made once
    per name (raises RowError when the name itself is not valid)."""
    key = compound_key(name)
    if key not in made:
        try:
            made[key] = validate(Compound(name=name))
        except ValidationFailed as err:
            first = err.errors[0]
            raise RowError(
                "residents.bad_field",
                field="compound",
                reason=first.code,
                detail=dict(first.params),
            ) from None
    return made[key]


def identity(resident: Resident) -> tuple[str, ...]:
    return (resident.name, resident.compound, resident.building, resident.unit, resident.room)


@dataclass
class ImportPlan:
    header: Header
    compound_from_title: str  # compound id the title gave, "" if none
    new_compounds: list[Compound] = field(default_factory=list)  # made by this import
    rows_of_new: dict[str, int] = field(default_factory=dict)  # compound id -> rows naming it
    # compound name as written -> rows naming it, when new ones may not be made
    unknown: dict[str, list[int]] = field(default_factory=dict)
    parsed: list[Parsed] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    duplicates: list[tuple[int, int]] = field(default_factory=list)  # (row, same as row)
    empty: int = 0
    added: list[Resident] = field(default_factory=list)
    updated: list[tuple[Resident, Resident]] = field(default_factory=list)  # (before, after)
    unchanged: int = 0

    @property
    def writes(self) -> list[Compound | Resident]:
        """Saved together: the new compounds, then the residents."""
        return [*self.new_compounds, *self.added, *(after for _, after in self.updated)]

    @property
    def rejected_rows(self) -> int:
        """Rows refused: an unknown compound's line stands for every row naming it."""
        return sum(int(r.params.get("rows", 1)) for r in self.rejected)

    @property
    def residents_written(self) -> int:
        return len(self.added) + len(self.updated)


def plan_import(
    rows: Sequence[tuple[int, Sequence[object]]],
    compounds: Sequence[Compound],
    existing: Sequence[Resident],
    today: date,
    default_compound: str = "",
    *,
    new_compounds: bool = False,
) -> ImportPlan:
    """What importing these rows would do. Raises RowError("residents.no_header")
    when no row names a 姓名/name column. `new_compounds`: compounds the sheet
    names (in a column, or in its title) that are not known are made."""
    header = find_header(rows)
    if header is None:
        raise RowError("residents.no_header")
    index = compound_index(compounds)
    made: dict[str, Compound] = {}
    from_title = "" if "compound" in header.columns else compound_in_title(header.title, compounds)
    titled = ""  # a compound the title names that is not known
    if "compound" not in header.columns and not from_title and not default_compound:
        titled = name_in_title(header.title)
        if titled and new_compounds:
            try:
                from_title = new_compound(titled, made).id
            except RowError:
                titled = ""
    plan = ImportPlan(header=header, compound_from_title=from_title)
    seen: dict[tuple[str, ...], Parsed] = {}
    for number, cells in rows[header.index + 1 :]:
        if not any(normalise(c) for c in cells):
            plan.empty += 1
            continue
        try:
            parsed = parse_row(
                number,
                cells,
                header,
                index,
                default_compound or from_title,
                today,
                made if new_compounds else None,
            )
        except RowError as err:
            if err.code == "residents.unknown_compound":
                plan.unknown.setdefault(str(err.params["value"]), []).append(number)
            elif err.code == "residents.no_compound" and titled:
                plan.unknown.setdefault(titled, []).append(number)
            else:
                plan.rejected.append(Rejected(number, err.code, err.params))
            continue
        key = identity(parsed.resident)
        earlier = seen.get(key)
        if earlier is not None:
            if _same(earlier.resident, parsed.resident):
                plan.duplicates.append((number, earlier.row))
            else:
                plan.rejected.append(
                    Rejected(number, "residents.conflicting_row", {"other": earlier.row})
                )
            continue
        seen[key] = parsed
        plan.parsed.append(parsed)
    # One refusal per unknown compound (the name, how many rows), not one per row.
    for name, numbers in plan.unknown.items():
        rows_named = len(numbers)
        plan.rejected.append(
            Rejected(
                numbers[0], "residents.unknown_compound_rows", {"value": name, "rows": rows_named}
            )
        )
    plan.rejected.sort(key=lambda r: r.row)
    plan.new_compounds = list(made.values())
    made_ids = {c.id for c in plan.new_compounds}
    for parsed in plan.parsed:
        if parsed.resident.compound in made_ids:
            compound = parsed.resident.compound
            plan.rows_of_new[compound] = plan.rows_of_new.get(compound, 0) + 1
    # A made compound no row kept (every row naming it rejected) is not made.
    plan.new_compounds = [c for c in plan.new_compounds if c.id in plan.rows_of_new]
    _match(plan, existing)
    return plan


def _same(a: Resident, b: Resident) -> bool:
    return dataclasses.replace(a, id=b.id) == b


def _match(plan: ImportPlan, existing: Sequence[Resident]) -> None:
    """Match on name and address, or on phone with the same name (an elderly
    couple often shares one number)."""
    by_identity = {identity(r): r for r in existing}
    by_phone = {(r.phone, r.name): r for r in existing if r.phone}
    for parsed in plan.parsed:
        incoming = parsed.resident
        current = by_identity.get(identity(incoming))
        if current is None and incoming.phone:
            current = by_phone.get((incoming.phone, incoming.name))
        if current is None:
            plan.added.append(incoming)
            continue
        merged = merge(current, incoming)
        if merged == current:
            plan.unchanged += 1
        else:
            plan.updated.append((current, merged))


def merge(current: Resident, incoming: Resident) -> Resident:
    """The registry's resident with what the sheet says; an empty cell keeps
    what is known, flags are added to, never taken away."""
    changes: dict[str, Any] = {}
    for name in ("compound", "building", "unit", "room", "phone", "gender", "birth_date", "note"):
        value = getattr(incoming, name)
        if value and value != getattr(current, name):
            changes[name] = value
    if incoming.birth_year and incoming.birth_year != current.birth_year:
        changes["birth_year"] = incoming.birth_year
    flags = list(dict.fromkeys([*current.flags, *incoming.flags]))
    if flags != current.flags:
        changes["flags"] = flags
    return dataclasses.replace(current, **changes) if changes else current

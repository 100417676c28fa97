"""The office's community workbook: the sheets 社区 / 小区 / 工作人员 /
协办单位 / 事项类别 (English names too) read into registry records, and the
registry written back in the same layout.

Rows come in as (spreadsheet row number, cell values), sheet by sheet;
reading the file is tui.registry's job. Nothing here writes: the plan says
what an import would add, update, leave alone and reject.

The rules (docs/SETUP.md, "The office's sheets"):
- A sheet is found by its name, loosely: full-width folded, case, spaces and
  a bracketed note ignored ("小区 (Compounds)" is 小区). Other sheets are
  listed as not used. A missing sheet leaves that part of the registry alone.
- The header is the row (or two rows under a merged heading) in the first
  15 naming the most known columns, the name column among them; title rows
  above it are skipped.
- An item is matched by name (compounds as the residents import matches
  them: spaces and a trailing 小区 ignored; categories by code, else by
  Chinese name). A matched item takes the sheet's values for the columns the
  sheet has (an empty cell empties the field); a column the sheet lacks
  leaves the field as it is. Nothing is ever duplicated.
- Retired items: an item the sheet lists is active afterwards (a retired
  compound or person named again is brought back). Items the sheet does not
  list are left as they are, never retired by an import (retire them in F7).
- References are names: a compound's 网格员 (the first named becomes its
  grid worker; every one named covers it), a person's 负责小区, an outside
  body's 服务小区. A name must be on its sheet or already in the registry,
  else the row is rejected; a row that names a rejected row is rejected too.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from tui.domain.catalogue import QUEUE_LETTERS
from tui.domain.community import short_name
from tui.domain.errors import CodedError, ValidationFailed
from tui.domain.records import (
    Category,
    Community,
    Compound,
    OutsideParty,
    Record,
    StaffMember,
)
from tui.domain.registry_import import (
    HEADER_SCAN,
    as_text,
    compound_key,
    find_columns,
    header_key,
    normalise,
)
from tui.domain.states import PartyType, StaffRole, Triage
from tui.domain.text import clean_text
from tui.domain.validate import SHORT, check_field, validate

Cells = Sequence[object]
Rows = Sequence[tuple[int, Cells]]
R = TypeVar("R", bound=Record)
K = TypeVar("K", bound=str)  # a word table's names: a state, or an owner rule

KINDS = ("community", "compound", "staff", "party", "category")
VALUE_MAX = 40  # a cell quoted in a message is cut to this

# -- the layout: sheet names, columns and the words used in cells -----------

SHEET_NAMES: dict[str, tuple[str, ...]] = {
    "community": ("社区", "社区信息", "社区概况", "community", "communityprofile", "profile"),
    "compound": ("小区", "小区院落", "院落", "小区名单", "compounds", "compound", "estates"),
    "staff": ("工作人员", "人员", "社区工作人员", "staff", "staffmembers", "people"),
    "party": (
        "协办单位",
        "协作单位",
        "共建单位",
        "outsidebodies",
        "outsidebody",
        "partners",
        "partner",
        "parties",
    ),
    "category": ("事项类别", "事项", "类别", "服务事项", "categories", "category"),
}

_PHONE = ("电话", "联系电话", "手机", "手机号", "电话号码", "phone", "telephone", "mobile", "tel")
COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "compound": {
        "name": (
            "名称",
            "小区名称",
            "小区",
            "院落",
            "院落名称",
            "name",
            "compound",
            "compoundname",
        ),
        "short": (
            "简称",
            "拼音",
            "简称拼音",
            "缩写",
            "short",
            "shortname",
            "shortnamepinyin",
            "pinyin",
        ),
        "address": ("地址", "详细地址", "位置", "address", "location"),
        "households": ("户数", "总户数", "住户数", "households", "homes"),
        "grid_worker": ("网格员", "负责网格员", "网格员姓名", "gridworker", "gridworkers"),
        "buildings": ("楼栋", "楼号", "楼栋号", "buildings", "blocks", "building"),
        "note": ("备注", "说明", "note", "notes", "remarks", "comment"),
    },
    "staff": {
        "name": ("姓名", "名字", "name", "staffname"),
        "role": ("职务", "角色", "职务角色", "岗位", "职位", "role", "position", "job"),
        "phone": _PHONE,
        "compounds": (
            "负责小区",
            "包片小区",
            "联系小区",
            "分管小区",
            "小区",
            "compounds",
            "covers",
            "compoundscovered",
        ),
    },
    "party": {
        "name": ("名称", "单位名称", "单位", "name", "body", "organisation", "organization"),
        "type": ("类型", "单位类型", "类别", "type", "kind"),
        "contact_person": ("联系人", "负责人", "contact", "contactperson"),
        "phone": _PHONE,
        "compounds": ("服务小区", "负责小区", "小区", "compounds", "serves", "compoundsserved"),
    },
    "category": {
        "code": ("代码", "编码", "code"),
        "name_zh": ("中文名称", "名称", "事项", "事项名称", "类别名称", "chinesename", "namezh"),
        "name_en": ("英文名称", "英文", "englishname", "nameen", "english"),
        "letter": ("排队字母", "字母", "队列字母", "letter", "queueletter"),
        "triage": ("处理方式", "处理", "办理方式", "triage", "handling"),
        "owner_rule": ("默认承办", "承办", "默认承办人", "承办人", "owner", "defaultowner"),
        "due_days": ("办理时限", "时限", "办理期限", "duedays", "due", "workingdays", "duein"),
    },
}
REQUIRED = {"compound": "name", "staff": "name", "party": "name", "category": "name_zh"}
COMMUNITY_FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("社区名称", "名称", "name", "communityname"),
    "sub_district": ("所属街道", "街道", "subdistrict", "street"),
    "phone": ("办公电话", "社区电话", "电话", "联系电话", "phone", "officephone"),
    "secretary": ("党委书记", "书记", "社区书记", "党组织书记", "secretary", "partysecretary"),
    "secretary_phone": ("书记电话", "书记联系电话", "secretaryphone", "secretary'sphone"),
}

ROLE_WORDS: dict[StaffRole, tuple[str, ...]] = {
    StaffRole.SECRETARY: (
        "书记",
        "党委书记",
        "党总支书记",
        "党支部书记",
        "社区书记",
        "党组织书记",
        "secretary",
        "partysecretary",
    ),
    StaffRole.GRID_WORKER: ("网格员", "专职网格员", "网格长", "gridworker", "grid"),
    StaffRole.GOVERNANCE: ("综治", "综治专干", "综治干部", "综治专员", "综治员", "governance"),
    StaffRole.STAFF: (
        "工作人员",
        "社区工作者",
        "社工",
        "干事",
        "专干",
        "其他",
        "staff",
        "worker",
        "other",
    ),
}
PARTY_WORDS: dict[PartyType, tuple[str, ...]] = {
    PartyType.POLICE: ("派出所", "公安", "警务室", "民警", "社区民警", "police", "policestation"),
    PartyType.PROPERTY: ("物业", "物业公司", "物业服务", "物业管理", "property", "propertycompany"),
    PartyType.LEGAL: (
        "法律",
        "律师",
        "律所",
        "律师事务所",
        "法律工作者",
        "司法所",
        "法律服务",
        "legal",
        "lawyer",
        "law",
    ),
    PartyType.INSURER: ("保险", "保险公司", "insurer", "insurance"),
    PartyType.OTHER: (
        "其他",
        "供水",
        "自来水",
        "供电",
        "电力",
        "燃气",
        "供暖",
        "热力",
        "公用事业",
        "other",
        "utility",
        "water",
        "power",
        "gas",
        "heating",
    ),
}
TRIAGE_WORDS: dict[Triage, tuple[str, ...]] = {
    Triage.NOW: ("即办", "当场办", "现场办", "马上办", "now", "handlenow"),
    Triage.LATER: ("登记", "转办", "后办", "跟进", "later", "logforlater", "log"),
}
OWNER_WORDS: dict[str, tuple[str, ...]] = {
    "grid_worker": ("网格员", "小区网格员", "gridworker"),
    "desk": ("窗口", "接待人", "服务台", "前台", "desk"),
}
ROLE_PREFIXES = ("角色", "岗位", "职务", "role")
PARTY_PREFIXES = ("协办", "协办单位", "单位", "party", "outsidebody", "partner")

# What the template and an export write: the office's words, in Chinese.
ROLE_NAMES: dict[str, str] = {
    StaffRole.SECRETARY: "书记",
    StaffRole.GRID_WORKER: "网格员",
    StaffRole.GOVERNANCE: "综治",
    StaffRole.STAFF: "工作人员",
}
PARTY_NAMES: dict[str, str] = {
    PartyType.POLICE: "派出所",
    PartyType.PROPERTY: "物业",
    PartyType.LEGAL: "法律",
    PartyType.INSURER: "保险",
    PartyType.OTHER: "其他",
}
TRIAGE_NAMES: dict[str, str] = {Triage.NOW: "即办", Triage.LATER: "登记"}

# kind -> (sheet name, ((field, header), ...)); headers in both languages,
# the English in brackets (a bracketed note is ignored when reading).
LAYOUT: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "community": ("社区 (Community)", (("field", "项目 (Field)"), ("value", "内容 (Value)"))),
    "compound": (
        "小区 (Compounds)",
        (
            ("name", "名称 (Name)"),
            ("short", "简称/拼音 (Short name)"),
            ("address", "地址 (Address)"),
            ("households", "户数 (Households)"),
            ("grid_worker", "网格员 (Grid workers)"),
            ("buildings", "楼栋 (Buildings)"),
            ("note", "备注 (Note)"),
        ),
    ),
    "staff": (
        "工作人员 (Staff)",
        (
            ("name", "姓名 (Name)"),
            ("role", "职务 (Role)"),
            ("phone", "电话 (Phone)"),
            ("compounds", "负责小区 (Compounds covered)"),
        ),
    ),
    "party": (
        "协办单位 (Outside bodies)",
        (
            ("name", "名称 (Name)"),
            ("type", "类型 (Type)"),
            ("contact_person", "联系人 (Contact person)"),
            ("phone", "电话 (Phone)"),
            ("compounds", "服务小区 (Compounds served)"),
        ),
    ),
    "category": (
        "事项类别 (Categories)",
        (
            ("code", "代码 (Code)"),
            ("name_zh", "中文名称 (Chinese name)"),
            ("name_en", "英文名称 (English name)"),
            ("letter", "排队字母 (Queue letter A-F)"),
            ("triage", "处理方式 (即办 now / 登记 later)"),
            ("owner_rule", "默认承办 (Default owner)"),
            ("due_days", "办理时限(工作日) (Due, working days)"),
        ),
    ),
}
COMMUNITY_LABELS = {
    "name": "社区名称 (Community name)",
    "sub_district": "所属街道 (Sub-district)",
    "phone": "办公电话 (Office phone)",
    "secretary": "党委书记 (Party secretary)",
    "secretary_phone": "书记电话 (Secretary's phone)",
}

_SPLIT_ALL = re.compile(r"[、，,;；/／\n]+")
_SPLIT_EXPORT = re.compile(r"[、\n]+")  # what an export joins with
_PADDED_NAME = re.compile(r"[\u3400-\u9fff](?:[ \u3000]*[\u3400-\u9fff]){1,3}")
_RANGE = re.compile(r"(\d+)\s*[-~～至到]\s*(\d+)")
_CODE = re.compile(r"[a-z][a-z0-9_]{0,39}")
RANGE_MAX = 200  # buildings "1-12" are expanded; no more than this many


def _table(words: dict[K, tuple[str, ...]]) -> dict[str, K]:
    return {header_key(word): name for name, items in words.items() for word in items}


_SHEETS = _table(SHEET_NAMES)
_COLUMNS = {kind: _table(aliases) for kind, aliases in COLUMNS.items()}
_COMMUNITY = _table(COMMUNITY_FIELDS)
_ROLES = _table(ROLE_WORDS)
_PARTIES = _table(PARTY_WORDS)
_TRIAGE = _table(TRIAGE_WORDS)
_OWNERS = _table(OWNER_WORDS)


def sheet_kind(name: str) -> str | None:
    """Which of the sheets a sheet name means, if any."""
    text = unicodedata.normalize("NFKC", name).strip().lower()
    plain = re.sub(r"[\s_\-]", "", text)
    return _SHEETS.get(plain) or _SHEETS.get(header_key(name))


# -- reading cells ------------------------------------------------------------


class RowError(CodedError, ValueError):
    """A refusal with a message id (CodedError)."""


def shown(value: object) -> str:
    """A cell quoted in a message: control characters dropped, cut short."""
    text = clean_text(as_text(value))
    return text if len(text) <= VALUE_MAX else text[: VALUE_MAX - 3] + "..."


def person_name(value: object) -> str:
    """王  芳 (padded with spaces to line up with three-character names) is
    王芳; anything else is kept as written (validation cleans it)."""
    text = as_text(value)
    if _PADDED_NAME.fullmatch(text):
        return re.sub(r"[ \u3000]+", "", text)
    return text


def name_key(text: str) -> str:
    """A person's or a body's name for matching: full-width folded, no spaces."""
    return re.sub(r"\s+", "", normalise(clean_text(text)))


def _word(value: object, table: dict[str, K], code: str) -> K:
    text = normalise(value)
    found = table.get(header_key(text))
    if found is None:
        raise RowError(code, value=shown(value))
    return found


def number(value: object, field_name: str) -> int:
    """A whole number from a cell: 3, 3.0, "３", "1,234", "200户", "5个工作日"."""
    if isinstance(value, bool):
        raise RowError("community_sheet.bad_number", field=field_name, value=shown(value))
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = re.sub(r"[\s,，]", "", normalise(value))
    text = re.sub(r"(户|天|日|个?工作日|days?|workingdays?)$", "", text)
    if not re.fullmatch(r"\d{1,6}", text):
        raise RowError("community_sheet.bad_number", field=field_name, value=shown(value))
    return int(text)


def buildings(value: object) -> list[str]:
    """楼栋: "1号楼、2号楼、5栋" or "1-12" (expanded); numbers as residents are
    filed (号楼/栋/幢/楼/号 dropped, full-width folded)."""
    found: list[str] = []
    for part in _SPLIT_ALL.split(normalise(value)):
        part = part.strip()
        if not part:
            continue
        span = _RANGE.fullmatch(re.sub(r"(号楼|栋|幢|楼|号)", "", part))
        if span and 0 < int(span[2]) - int(span[1]) < RANGE_MAX:
            found += [str(n) for n in range(int(span[1]), int(span[2]) + 1)]
            continue
        found.append(re.sub(r"(?:号楼|栋|幢|楼|号)$", "", part).strip() or part)
    for item in found:
        _cleaned, error = check_field("buildings", item, SHORT)
        if error:
            raise RowError(
                "community_sheet.bad_field",
                field="buildings",
                reason=error.code,
                detail=dict(error.params),
            )
    return [clean_text(item) for item in dict.fromkeys(found)]


def owner_rule(value: object) -> str:
    """默认承办: 网格员, 窗口, 角色:书记, 协办:物业, or a bare role or body
    word (书记, 物业); the stored forms (role:secretary) are read too."""
    text = normalise(value)
    if not text:
        return "grid_worker"
    prefix, colon, rest = text.partition(":")
    if colon:
        head = header_key(prefix)
        if head in map(header_key, ROLE_PREFIXES):
            return "role:" + _word(rest, _ROLES, "community_sheet.unknown_role")
        if head in map(header_key, PARTY_PREFIXES):
            return "party:" + _word(rest, _PARTIES, "community_sheet.unknown_type")
        raise RowError("community_sheet.bad_owner", value=shown(value))
    key = header_key(text)
    if key in _OWNERS:
        return _OWNERS[key]
    if key in _ROLES:
        return "role:" + _ROLES[key]
    if key in _PARTIES:
        return "party:" + _PARTIES[key]
    raise RowError("community_sheet.bad_owner", value=shown(value))


def owner_words(rule: str) -> str:
    """A stored owner rule in the sheet's words (the inverse of owner_rule)."""
    if rule == "grid_worker":
        return "网格员"
    if rule == "desk":
        return "窗口"
    kind, _, value = rule.partition(":")
    if kind == "role":
        return "角色:" + ROLE_NAMES.get(value, value)
    if kind == "party":
        return "协办:" + PARTY_NAMES.get(value, value)
    return rule


def slug(text: str) -> str:
    """A category code from its English name: "Repairs (drains)" -> repairs_drains."""
    words = re.sub(r"[^a-z0-9]+", "_", normalise(text).lower()).strip("_")[:40].strip("_")
    if words and not words[0].isalpha():
        words = f"c_{words}"[:40]
    return words or "category"


# -- headers ------------------------------------------------------------------


# -- the plan -----------------------------------------------------------------


@dataclass(frozen=True)
class Rejected:
    sheet: str  # the sheet's name as written
    row: int  # spreadsheet row number; 0 for the sheet as a whole
    code: str  # catalogue id
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class SheetPlan:
    kind: str  # community | compound | staff | party | category
    sheet: str = ""  # the sheet's name as written; "" when the workbook has none
    header_row: int = 0
    labels: dict[str, str] = field(default_factory=dict)  # field -> header as written
    ignored: tuple[str, ...] = ()
    added: list[Record] = field(default_factory=list)
    updated: list[tuple[Record, Record]] = field(default_factory=list)  # (before, after)
    unchanged: list[Record] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    empty: int = 0
    rows: dict[str, int] = field(default_factory=dict)  # record id -> its row

    @property
    def writes(self) -> list[Record]:
        return [*self.added, *(after for _, after in self.updated)]


@dataclass
class CommunityPlan:
    sheets: dict[str, SheetPlan]  # kind -> plan, in KINDS order
    unused: list[str] = field(default_factory=list)  # sheets not read

    @property
    def rejected(self) -> list[Rejected]:
        return [item for plan in self.sheets.values() for item in plan.rejected]

    @property
    def rejected_rows(self) -> int:
        """Rows rejected (a row failing in two fields counts once)."""
        return len({(item.sheet, item.row) for item in self.rejected})

    @property
    def writes(self) -> list[Record]:
        return [record for plan in self.sheets.values() for record in plan.writes]

    @property
    def found(self) -> list[SheetPlan]:
        return [plan for plan in self.sheets.values() if plan.sheet]


@dataclass
class _Item:
    """One sheet row on its way to a record."""

    row: int
    key: str
    record: Record
    before: Record | None
    refs: str | None = None  # the reference cell as written; None: no such column
    resolved: list[str] = field(default_factory=list)  # ids named by refs
    rejected: bool = False
    alt_keys: tuple[str, ...] = ()  # other keys a second row must not repeat


@dataclass
class Registry:
    """What the data folder already holds."""

    community: Community | None = None
    compounds: Sequence[Compound] = ()
    staff: Sequence[StaffMember] = ()
    parties: Sequence[OutsideParty] = ()
    categories: Sequence[Category] = ()


def _index(records: Iterable[R], key: Callable[[R], str]) -> dict[str, R]:
    """key -> record; an active one wins over a retired one of the same name."""
    found: dict[str, R] = {}
    for record in records:
        k = key(record)
        if k not in found or (
            getattr(record, "active", True) and not getattr(found[k], "active", True)
        ):
            found[k] = record
    return found


def _compound_key(text: str) -> str:
    return compound_key(clean_text(text))


class _Rejections(Exception):
    def __init__(self, errors: list[tuple[str, dict[str, Any]]]) -> None:
        self.errors = errors
        super().__init__("rejected")


def _field_errors(err: ValidationFailed) -> _Rejections:
    return _Rejections(
        [
            (
                "community_sheet.bad_field",
                {"field": e.field, "reason": e.code, "detail": dict(e.params)},
            )
            for e in err.errors
        ]
    )


_KEYS: dict[str, Callable[[str], str]] = {
    "compound": _compound_key,
    "staff": name_key,
    "party": name_key,
}
_CLASSES: dict[str, type[Record]] = {
    "compound": Compound,
    "staff": StaffMember,
    "party": OutsideParty,
}
_REFS = {"compound": "grid_worker", "staff": "compounds", "party": "compounds"}


class _Planner:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.plans = {kind: SheetPlan(kind) for kind in KINDS}
        self.items: dict[str, list[_Item]] = {kind: [] for kind in KINDS}
        self.present: dict[str, set[str]] = {kind: set() for kind in KINDS}
        # kind -> name key -> row, for rows rejected before their references were read
        self.bad_rows: dict[str, dict[str, int]] = {kind: {} for kind in KINDS}

    def pool(self, kind: str) -> Sequence[Any]:
        return {
            "compound": self.registry.compounds,
            "staff": self.registry.staff,
            "party": self.registry.parties,
            "category": self.registry.categories,
        }[kind]

    def reject(self, kind: str, row: int, code: str, **params: Any) -> None:
        plan = self.plans[kind]
        plan.rejected.append(Rejected(plan.sheet, row, code, params))

    # -- rows to items ---------------------------------------------------------

    def read_table(self, kind: str, rows: Rows) -> None:
        plan = self.plans[kind]
        header = find_columns(rows, _COLUMNS[kind], REQUIRED[kind], label=shown)
        if header is None:
            wanted = COLUMNS[kind][REQUIRED[kind]][0]
            self.reject(kind, 0, "community_sheet.no_header", column=wanted, rows=HEADER_SCAN)
            return
        plan.header_row, plan.labels, plan.ignored = header.row, header.labels, header.ignored
        self.present[kind] = set(header.columns)
        seen: dict[str, int] = {}
        for number_, cells in rows[header.index + 1 :]:
            if not any(normalise(c) for c in cells):
                plan.empty += 1
                continue

            def cell(name: str, cells: Cells = cells) -> object:
                column = header.columns.get(name)
                return cells[column] if column is not None and column < len(cells) else None

            try:
                item = (
                    self.category(number_, cell)
                    if kind == "category"
                    else self.parse(kind, number_, cell)
                )
            except (RowError, _Rejections) as err:
                errors = err.errors if isinstance(err, _Rejections) else [(err.code, err.params)]
                for code, params in errors:
                    self.reject(kind, number_, code, **params)
                if kind in _KEYS:
                    key = _KEYS[kind](as_text(cell("name")))
                    if key:
                        self.bad_rows[kind].setdefault(key, number_)
                continue
            keys = [item.key, item.record.id, *item.alt_keys]
            other = next((seen[k] for k in keys if k in seen), None)
            if other is not None:
                self.reject(kind, number_, "community_sheet.same_as_row", other=other)
                continue
            seen.update(dict.fromkeys(keys, number_))
            self.items[kind].append(item)

    def values(self, kind: str, cell: Callable[[str], object]) -> dict[str, Any]:
        """The row's cells for the columns the sheet has, as record values."""
        values: dict[str, Any] = {}
        for name in self.present[kind]:
            raw = cell(name)
            given = bool(normalise(raw))
            if name in ("grid_worker", "compounds", "code"):
                continue
            if name == "contact_person" or (name == "name" and kind == "staff"):
                values[name] = person_name(raw)
            elif name == "role":
                values[name] = (
                    _word(raw, _ROLES, "community_sheet.unknown_role") if given else StaffRole.STAFF
                )
            elif name == "type":
                values[name] = (
                    _word(raw, _PARTIES, "community_sheet.unknown_type")
                    if given
                    else PartyType.OTHER
                )
            elif name == "triage":
                values[name] = (
                    _word(raw, _TRIAGE, "community_sheet.bad_triage") if given else Triage.NOW
                )
            elif name == "letter":
                letter = normalise(raw).upper() or "A"
                if len(letter) != 1 or letter not in QUEUE_LETTERS:
                    raise RowError("community_sheet.bad_letter", value=shown(raw))
                values[name] = letter
            elif name == "owner_rule":
                values[name] = owner_rule(raw)
            elif name == "households":
                values[name] = number(raw, name) if given else 0
            elif name == "due_days":
                values[name] = number(raw, name) if given else 5
            elif name == "buildings":
                values[name] = buildings(raw)
            elif name == "phone":
                values[name] = normalise(raw)
            else:
                values[name] = as_text(raw)
        return values

    def parse(self, kind: str, row: int, cell: Callable[[str], object]) -> _Item:
        values = self.values(kind, cell)
        refs_field = _REFS[kind]
        refs = as_text(cell(refs_field)) if refs_field in self.present[kind] else None
        key = _KEYS[kind](values["name"])
        existing = _index(self.pool(kind), lambda r: _KEYS[kind](r.name)).get(key) if key else None
        record = (
            dataclasses.replace(existing, **values, active=True)
            if existing is not None
            else _CLASSES[kind](**values)
        )
        if isinstance(record, Compound) and not record.short.strip():
            # As F7 does: an empty 简称 is the name's pinyin initials.
            record = dataclasses.replace(record, short=short_name(record.name))
        try:
            clean = validate(record)
        except ValidationFailed as err:
            raise _field_errors(err) from None
        return _Item(row, key, clean, existing, refs)

    def category(self, row: int, cell: Callable[[str], object]) -> _Item:
        values = self.values("category", cell)
        code = normalise(cell("code")).lower()
        if code and not _CODE.fullmatch(code):
            raise RowError("community_sheet.bad_code", value=shown(cell("code")))
        categories = self.registry.categories
        zh_key = name_key(as_text(values.get("name_zh", "")))
        if code:
            existing = next((c for c in categories if c.code == code), None)
        else:
            existing = _index(categories, lambda c: name_key(c.name_zh)).get(zh_key)
        record: Category
        if existing is not None:
            record = dataclasses.replace(existing, **values, active=True)
        else:
            if not code:
                taken = {c.code for c in categories} | {i.key for i in self.items["category"]}
                base = code = slug(as_text(values.get("name_en", "")))
                count = 2
                while code in taken:
                    code = f"{base[:36]}_{count}"
                    count += 1
            order = max((c.order for c in categories), default=0)
            order += 1 + sum(1 for i in self.items["category"] if i.before is None)
            record = Category(code=code, **{"name_zh": "", "name_en": "", **values}, order=order)
        try:
            clean = validate(record)
        except ValidationFailed as err:
            raise _field_errors(err) from None
        return _Item(row, clean.code, clean, existing, alt_keys=(f"zh:{zh_key}",))

    def read_community(self, rows: Rows) -> None:
        plan = self.plans["community"]
        values: dict[str, Any] = {}
        where: dict[str, int] = {}
        for number_, cells in rows:
            filled = [(i, c) for i, c in enumerate(cells) if normalise(c)]
            if not filled:
                continue
            column, label = filled[0]
            name = _COMMUNITY.get(header_key(label))
            if name is None:
                continue
            value = cells[column + 1] if column + 1 < len(cells) else None
            plan.labels[name] = shown(label)
            if not normalise(value):
                continue  # an empty value keeps what the profile says (the template's are empty)
            if name == "secretary":
                values[name] = person_name(value)
            elif name in ("phone", "secretary_phone"):
                values[name] = normalise(value)
            else:
                values[name] = as_text(value)
            where[name] = number_
        if not plan.labels:
            self.reject("community", 0, "community_sheet.no_fields")
            return
        if not values:
            return  # the sheet is there, left blank: nothing to change
        plan.header_row = min(where.values())
        existing = self.registry.community
        record = (
            dataclasses.replace(existing, **values)
            if existing is not None
            else Community(**{"name": "", **values})
        )
        try:
            clean = validate(record)
        except ValidationFailed as err:
            for error in err.errors:
                self.reject(
                    "community",
                    where.get(error.field, plan.header_row),
                    "community_sheet.bad_field",
                    field=error.field,
                    reason=error.code,
                    detail=dict(error.params),
                )
            return
        row = where.get("name", plan.header_row)
        self.items["community"].append(_Item(row, "", clean, existing))

    # -- references ----------------------------------------------------------

    def resolve(self) -> None:
        """Names to ids, rejecting rows that name someone or something nobody
        has, or a row that was rejected; again until nothing more falls."""
        while True:
            staff = self.names("staff")
            compounds = self.names("compound")
            fell = False
            for kind, names, what in (
                ("compound", staff, "staff"),
                ("staff", compounds, "compound"),
                ("party", compounds, "compound"),
            ):
                for item in self.items[kind]:
                    if item.rejected or item.refs is None:
                        continue
                    problem = self.refs(item, names, what)
                    if problem is not None:
                        self.reject(kind, item.row, problem[0], **problem[1])
                        item.rejected = fell = True
            if not fell:
                return

    def names(self, kind: str) -> dict[str, tuple[str, int, bool]]:
        """key -> (id, row of a rejected row or 0, retired): the registry,
        overridden by the sheet's rows."""
        key = _KEYS[kind]
        found = {
            k: (r.id, 0, not r.active)
            for k, r in _index(self.pool(kind), lambda r: key(r.name)).items()
        }
        for k, row in self.bad_rows[kind].items():
            found[k] = ("", row, False)
        for item in self.items[kind]:
            found[item.key] = (item.record.id, item.row if item.rejected else 0, False)
        return found

    def refs(
        self, item: _Item, names: dict[str, tuple[str, int, bool]], what: str
    ) -> tuple[str, dict[str, Any]] | None:
        """Resolve the item's reference cell; the first problem, or None. Split
        at every separator first; failing that at 、 only (names that hold a /),
        then the whole cell as one name."""
        key = _KEYS[what]
        text = item.refs or ""
        first: tuple[str, dict[str, Any]] | None = None
        for parts in (_SPLIT_ALL.split(text), _SPLIT_EXPORT.split(text), [text]):
            ids: list[str] = []
            problem: tuple[str, dict[str, Any]] | None = None
            for part in parts:
                name = person_name(part) if what == "staff" else part.strip()
                if not key(name):
                    continue
                found = names.get(key(name))
                if found is None:
                    problem = (f"community_sheet.unknown_{what}", {"name": shown(name)})
                elif found[1]:
                    params = {"name": shown(name), "other": found[1]}
                    problem = (f"community_sheet.rejected_{what}", params)
                elif found[2] and what == "staff":
                    problem = ("community_sheet.retired_staff", {"name": shown(name)})
                else:
                    ids.append(found[0])
                    continue
                break
            if problem is None:
                item.resolved = list(dict.fromkeys(ids))
                return None
            first = first or problem
        return first

    # -- ids into records ------------------------------------------------------

    def link(self) -> None:
        compounds = [i for i in self.items["compound"] if not i.rejected]
        staff = [i for i in self.items["staff"] if not i.rejected]
        # who covers which compound, as the compound sheet says
        named: dict[str, list[str]] = {}
        for item in compounds:
            for staff_id in item.resolved:
                named.setdefault(staff_id, []).append(item.record.id)
        members: dict[str, StaffMember] = {}
        for item in staff:
            member = item.record
            assert isinstance(member, StaffMember)
            base = item.resolved if item.refs is not None else list(member.compounds)
            item.record = members[member.id] = _covering(member, [*base, *named.get(member.id, [])])
        for member in self.registry.staff:
            if member.id in members or member.id not in named:
                continue
            changed = members[member.id] = _covering(member, [*member.compounds, *named[member.id]])
            if changed != member:
                self.items["staff"].append(_Item(0, name_key(member.name), changed, member))
        pool = [*members.values(), *(s for s in self.registry.staff if s.id not in members)]
        for item in compounds:
            compound = item.record
            assert isinstance(compound, Compound)
            if item.resolved:
                grid = item.resolved[0]
            elif item.refs is None and compound.grid_worker:
                grid = compound.grid_worker
            else:
                grid = next(
                    (
                        s.id
                        for s in pool
                        if s.role == StaffRole.GRID_WORKER
                        and s.active
                        and compound.id in s.compounds
                    ),
                    "",
                )
            item.record = dataclasses.replace(compound, grid_worker=grid)
        for item in self.items["party"]:
            party = item.record
            assert isinstance(party, OutsideParty)
            if item.refs is not None and set(party.compounds) != set(item.resolved):
                item.record = dataclasses.replace(party, compounds=item.resolved)

    def finish(self) -> None:
        for kind in KINDS:
            plan = self.plans[kind]
            plan.rejected.sort(key=lambda item: item.row)
            for item in self.items[kind]:
                if item.rejected:
                    continue
                if item.row:
                    plan.rows[item.record.id] = item.row
                if item.before is None:
                    plan.added.append(item.record)
                elif item.record == item.before:
                    plan.unchanged.append(item.record)
                else:
                    plan.updated.append((item.before, item.record))


def _covering(member: StaffMember, wanted: list[str]) -> StaffMember:
    """The member covering `wanted` (in order, once each); the stored order is
    kept when the set is the same, so a re-import changes nothing."""
    ids = list(dict.fromkeys(wanted))
    if set(ids) == set(member.compounds):
        return member
    return dataclasses.replace(member, compounds=ids)


def plan_community(sheets: Sequence[tuple[str, Rows]], registry: Registry) -> CommunityPlan:
    """What importing these sheets would do. RowError("community_sheet.no_sheets")
    when none of the workbook's sheets is one of ours."""
    planner = _Planner(registry)
    unused: list[str] = []
    given: dict[str, Rows] = {}
    for name, rows in sheets:
        kind = sheet_kind(name)
        if kind is None or kind in given:
            unused.append(shown(name))
            continue
        given[kind] = rows
        planner.plans[kind].sheet = shown(name)
    if not given:
        raise RowError("community_sheet.no_sheets", sheets="、".join(unused) or "-")
    if "community" in given:
        planner.read_community(given["community"])
    for kind in ("compound", "staff", "party", "category"):
        if kind in given:
            planner.read_table(kind, given[kind])
    planner.resolve()
    planner.link()
    planner.finish()
    return CommunityPlan(sheets=planner.plans, unused=unused)


# -- the workbook written back: the template and an export ---------------------

Table = tuple[str, list[str], list[list[object]]]  # sheet name, headers, rows

# The template's profile is left blank: imported as it is, it changes nothing
# (an example there renamed the office's own community).
COMMUNITY_EXAMPLE: dict[str, object] = {}
EXAMPLES: dict[str, list[list[object]]] = {
    "compound": [
        ["幸福里1号院", "xfl1", "幸福路1号", 180, "刘洋", "1-6", ""],
        ["和平小区", "hp", "和平路28号", 320, "刘洋", "1号楼、2号楼、3号楼", "老旧小区，无物业"],
    ],
    "staff": [
        ["张明", "书记", "138 0013 8000", ""],
        ["刘洋", "网格员", "139 0013 9000", "幸福里1号院、和平小区"],
    ],
    "party": [
        ["幸福路派出所", "派出所", "王警官", "0971-6110110", "幸福里1号院、和平小区"],
        ["安居物业公司", "物业", "赵经理", "137 0013 7000", "和平小区"],
    ],
}


def _headers(kind: str) -> list[str]:
    return [header for _field, header in LAYOUT[kind][1]]


def _community_rows(values: dict[str, object]) -> list[list[object]]:
    return [[COMMUNITY_LABELS[name], values.get(name, "")] for name in COMMUNITY_LABELS]


def template_tables(categories: Sequence[Category]) -> list[Table]:
    """The template: every sheet with its headers on row 1 and example rows;
    the categories sheet holds `categories` (the default catalogue), which an
    office edits rather than types from nothing."""
    tables: list[Table] = [
        (
            LAYOUT["community"][0],
            _headers("community"),
            _community_rows(COMMUNITY_EXAMPLE),
        )
    ]
    tables += [
        (LAYOUT[kind][0], _headers(kind), EXAMPLES[kind]) for kind in ("compound", "staff", "party")
    ]
    tables.append((LAYOUT["category"][0], _headers("category"), _category_rows(categories)))
    return tables


def _category_rows(categories: Iterable[Category]) -> list[list[object]]:
    return [
        [
            c.code,
            c.name_zh,
            c.name_en,
            c.letter,
            TRIAGE_NAMES.get(c.triage, c.triage),
            owner_words(c.owner_rule),
            c.due_days,
        ]
        for c in categories
    ]


def _active(records: Iterable[R]) -> list[R]:
    return [r for r in records if getattr(r, "active", True)]


def export_tables(registry: Registry, phone: Callable[[str], str] = str) -> list[Table]:
    """The registry as the template lays it out (active items only; names,
    not ids, for references), so the file imports back unchanged. `phone`
    turns a stored number into how the sheet shows it."""
    staff_names = {s.id: s.name for s in registry.staff}
    compound_names = {c.id: c.name for c in registry.compounds}

    def names(ids: Iterable[str], table: dict[str, str]) -> str:
        return "、".join(table[i] for i in ids if i in table)

    community = registry.community
    profile: dict[str, object] = {}
    if community is not None:
        profile = {
            "name": community.name,
            "sub_district": community.sub_district,
            "phone": phone(community.phone),
            "secretary": community.secretary,
            "secretary_phone": phone(community.secretary_phone),
        }
    compounds: list[list[object]] = [
        [
            c.name,
            c.short,
            c.address,
            c.households,
            staff_names.get(c.grid_worker, ""),
            "、".join(c.buildings),
            c.note,
        ]
        for c in sorted(_active(registry.compounds), key=lambda c: c.name)
    ]
    staff: list[list[object]] = [
        [s.name, ROLE_NAMES.get(s.role, s.role), phone(s.phone), names(s.compounds, compound_names)]
        for s in _active(registry.staff)
    ]
    parties: list[list[object]] = [
        [
            p.name,
            PARTY_NAMES.get(p.type, p.type),
            p.contact_person,
            phone(p.phone),
            names(p.compounds, compound_names),
        ]
        for p in _active(registry.parties)
    ]
    categories = sorted(_active(registry.categories), key=lambda c: c.order)
    return [
        (LAYOUT["community"][0], _headers("community"), _community_rows(profile)),
        (LAYOUT["compound"][0], _headers("compound"), compounds),
        (LAYOUT["staff"][0], _headers("staff"), staff),
        (LAYOUT["party"][0], _headers("party"), parties),
        (LAYOUT["category"][0], _headers("category"), _category_rows(categories)),
    ]


def export_document(registry: Registry) -> dict[str, Any]:
    """The registry as JSON: active items, references by name, phones in E.164."""
    staff_names = {s.id: s.name for s in registry.staff}
    compound_names = {c.id: c.name for c in registry.compounds}

    def names(ids: Iterable[str], table: dict[str, str]) -> list[str]:
        return [table[i] for i in ids if i in table]

    community = registry.community
    return {
        "format": "fielddesk-community",
        "format_version": 1,
        "community": None
        if community is None
        else {
            "name": community.name,
            "sub_district": community.sub_district,
            "phone": community.phone,
            "secretary": community.secretary,
            "secretary_phone": community.secretary_phone,
        },
        "compounds": [
            {
                "name": c.name,
                "short": c.short,
                "address": c.address,
                "households": c.households,
                "grid_worker": staff_names.get(c.grid_worker, ""),
                "buildings": list(c.buildings),
                "note": c.note,
            }
            for c in sorted(_active(registry.compounds), key=lambda c: c.name)
        ],
        "staff": [
            {
                "name": s.name,
                "role": s.role,
                "phone": s.phone,
                "compounds": names(s.compounds, compound_names),
            }
            for s in _active(registry.staff)
        ],
        "parties": [
            {
                "name": p.name,
                "type": p.type,
                "contact_person": p.contact_person,
                "phone": p.phone,
                "compounds": names(p.compounds, compound_names),
            }
            for p in _active(registry.parties)
        ],
        "categories": [
            {
                "code": c.code,
                "name_zh": c.name_zh,
                "name_en": c.name_en,
                "letter": c.letter,
                "triage": c.triage,
                "owner_rule": c.owner_rule,
                "due_days": c.due_days,
            }
            for c in sorted(_active(registry.categories), key=lambda c: c.order)
        ],
    }

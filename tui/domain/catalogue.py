"""The fixed vocabularies: request categories and flags. (Staff roles and
outside-party types are StrEnums in states.py; STAFF_ROLES and PARTY_TYPES
list them in order.)

The category list is the office's default catalogue, written into a new data
folder; staff may edit their own copy in the registry later.
"""

from __future__ import annotations

from tui.domain.records import Category
from tui.domain.states import PartyType, StaffRole, Triage

QUEUE_LETTERS = "ABCDEF"  # Textual's Digits draws hex letters large

RESIDENT_FLAGS = ("aged80", "mobility", "alone", "difficulty")
VISIT_FLAGS = (*RESIDENT_FLAGS, "priority")
STAFF_ROLES = tuple(StaffRole)
PARTY_TYPES = tuple(PartyType)

# (code, 中文, English, letter, triage, owner rule, due in working days)
_DEFAULTS: tuple[tuple[str, str, str, str, Triage, str, int], ...] = (
    (
        "elderly_subsidy",
        "高龄补贴审核认证",
        "Elderly subsidy certification",
        "A",
        Triage.NOW,
        "grid_worker",
        5,
    ),
    ("one_child", "独生子女费", "One-child allowance", "B", Triage.NOW, "desk", 5),
    ("unemployment", "就业失业登记", "Unemployment registration", "B", Triage.NOW, "desk", 5),
    ("job_assist", "就业援助", "Job assistance", "B", Triage.LATER, "grid_worker", 10),
    ("insurance", "保险咨询", "Insurance", "B", Triage.LATER, "party:insurer", 5),
    ("errand", "代办服务", "Errands done for residents", "C", Triage.LATER, "grid_worker", 3),
    (
        "micro_wish",
        "困难群众微心愿",
        "Micro-wishes of residents in difficulty",
        "C",
        Triage.LATER,
        "role:secretary",
        15,
    ),
    (
        "repair",
        "维修（下水道、暖气）",
        "Repairs (drains, heating)",
        "D",
        Triage.LATER,
        "party:property",
        3,
    ),
    ("noise", "噪音扰民", "Noise", "D", Triage.LATER, "grid_worker", 3),
    ("sanitation", "环境卫生", "Sanitation", "D", Triage.LATER, "party:property", 3),
    ("pets", "宠物与遛狗不拴绳", "Pets and unleashed dogs", "D", Triage.LATER, "grid_worker", 5),
    (
        "legal",
        "法律咨询（遗嘱、赡养、房产）",
        "Legal questions (wills, elder support, property)",
        "E",
        Triage.LATER,
        "party:legal",
        10,
    ),
    ("dispute", "矛盾纠纷调解", "Dispute mediation", "E", Triage.LATER, "role:governance", 5),
    ("other", "其他", "Other", "F", Triage.NOW, "desk", 5),
)


def default_categories() -> list[Category]:
    """A fresh copy of the default catalogue, in display order."""
    return [
        Category(
            code=code,
            name_zh=zh,
            name_en=en,
            letter=letter,
            triage=triage,
            owner_rule=owner,
            due_days=due,
            order=index,
        )
        for index, (code, zh, en, letter, triage, owner, due) in enumerate(_DEFAULTS, 1)
    ]

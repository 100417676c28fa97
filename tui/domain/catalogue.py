"""The fixed vocabularies: request categories, flags, roles, outside-party types.

The category list is the office's default catalogue, written into a new data
folder; staff may edit their own copy in the registry later.
"""

from __future__ import annotations

from tui.domain.records import Category

QUEUE_LETTERS = "ABCDEF"  # Textual's Digits draws hex letters large

RESIDENT_FLAGS = ("aged80", "mobility", "alone", "difficulty")
VISIT_FLAGS = (*RESIDENT_FLAGS, "priority")
STAFF_ROLES = ("secretary", "grid_worker", "governance", "staff")
PARTY_TYPES = ("police", "property", "legal", "insurer", "other")
TRIAGE = ("now", "later")

# (code, 中文, English, letter, triage, owner rule, due in working days)
_DEFAULTS: tuple[tuple[str, str, str, str, str, str, int], ...] = (
    (
        "elderly_subsidy",
        "高龄补贴审核认证",
        "Elderly subsidy certification",
        "A",
        "now",
        "grid_worker",
        5,
    ),
    ("one_child", "独生子女费", "One-child allowance", "B", "now", "desk", 5),
    ("unemployment", "就业失业登记", "Unemployment registration", "B", "now", "desk", 5),
    ("job_assist", "就业援助", "Job assistance", "B", "later", "grid_worker", 10),
    ("insurance", "保险咨询", "Insurance", "B", "later", "party:insurer", 5),
    ("errand", "代办服务", "Errands done for residents", "C", "later", "grid_worker", 3),
    (
        "micro_wish",
        "困难群众微心愿",
        "Micro-wishes of residents in difficulty",
        "C",
        "later",
        "role:secretary",
        15,
    ),
    (
        "repair",
        "维修（下水道、暖气）",
        "Repairs (drains, heating)",
        "D",
        "later",
        "party:property",
        3,
    ),
    ("noise", "噪音扰民", "Noise", "D", "later", "grid_worker", 3),
    ("sanitation", "环境卫生", "Sanitation", "D", "later", "party:property", 3),
    ("pets", "宠物与遛狗不拴绳", "Pets and unleashed dogs", "D", "later", "grid_worker", 5),
    (
        "legal",
        "法律咨询（遗嘱、赡养、房产）",
        "Legal questions (wills, elder support, property)",
        "E",
        "later",
        "party:legal",
        10,
    ),
    ("dispute", "矛盾纠纷调解", "Dispute mediation", "E", "later", "role:governance", 5),
    ("other", "其他", "Other", "F", "now", "desk", 5),
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

"""The month's plan gathered from a data folder (tui/domain/plan.py ranks and
proposes), the notice a compound's board carries (md, xlsx: days, compounds,
what the desk offers; no resident's name or phone) and the JSON for machines."""

from __future__ import annotations

from datetime import date
from typing import Any

import orjson

from tui.domain.certification import quarter_of
from tui.domain.plan import (
    DAYS_CAP,
    MonthPlan,
    PlannedOuting,
    check_month,
    propose,
    rank,
)
from tui.domain.records import Outing
from tui.domain.report import SESSIONS_TARGET
from tui.i18n import language, t
from tui.report.collect import last_outings
from tui.report.tables import Report, Table
from tui.repository.interface import Repository
from tui.services.certification import uncertified_by_compound


def month_plan(store: Repository, month: str, wanted: int = SESSIONS_TARGET) -> MonthPlan:
    """The plan of `month` as of the store's today (PlanError for a bad month
    or one with no working day left)."""
    first, last = check_month(month)
    today = store.today()
    compounds = store.compounds()
    active = [c.id for c in compounds if c.active]
    # Ranked as of today, or the month's first day when planning ahead.
    as_of = min(max(today, first), last)
    lasts = last_outings(store, first, active, DAYS_CAP)
    held = [s for d in store.days() if first <= d <= min(last, today) for s in store.sessions(d)]
    for session in held:  # an outing earlier this month is the last one there
        if session.day > lasts.get(session.compound, ""):
            lasts[session.compound] = session.day
    cases = store.open_cases()
    quarter = quarter_of(as_of)
    uncertified = uncertified_by_compound(store, quarter)
    ranking = rank(compounds, as_of, lasts, cases, store.requests(), uncertified)
    staff = [s.id for s in store.staff() if s.active]
    return propose(
        month,
        today,
        compounds,
        ranking,
        store.outings(month),
        cases,
        staff,
        held=held,
        wanted=wanted,
    )


def accept_plan(store: Repository, plan: MonthPlan) -> list[Outing]:
    """Store every outing of the plan not yet accepted as accepted, in one
    commit; nothing when all are (accepting twice changes nothing)."""
    from tui.domain.plan import accept

    records = accept(plan)
    if not records:
        return []
    return [o for o in store.save_many(list(records)) if isinstance(o, Outing)]


def weekday(day: str) -> str:
    return t("plan.weekdays").split()[date.fromisoformat(day).weekday()]


def notice(store: Repository, plan: MonthPlan) -> Report:
    """The notice for the compounds' boards: when the desk comes where, who
    comes, what it offers, the office's phone. Staff names only (no phones),
    never a resident."""
    compounds = {c.id: c for c in store.compounds()}
    staff = {s.id: s.name for s in store.staff()}
    outings = Table(
        "outings",
        t("plan.notice_outings"),
        ["day", "weekday", "compound", "address", "staff", "status"],
        [t(f"plan.col.{c}") for c in ("day", "weekday", "compound", "address", "staff", "status")],
    )
    for outing in plan.outings:
        compound = compounds.get(outing.compound)
        outings.rows.append(
            [
                outing.day,
                weekday(outing.day),
                compound.name if compound else outing.compound,
                compound.address if compound else "",
                "、".join(staff.get(s, "") for s in outing.staff if staff.get(s)),
                t(f"plan.status.{outing.status}"),
            ]
        )
    zh = language() == "zh"
    offers = Table("offers", t("plan.notice_offers"), ["service"], [t("plan.col.service")])
    offers.rows = [[c.name_zh if zh else c.name_en] for c in store.categories() if c.active]
    contact = Table(
        "contact",
        t("plan.notice_contact"),
        ["item", "value"],
        [
            t("plan.col.item"),
            t("plan.col.value"),
        ],
    )
    community = store.community()
    if community is not None:
        contact.rows.append([t("plan.office"), community.name])
        if community.phone:
            from tui.domain.phone import display_phone

            contact.rows.append([t("plan.office_phone"), display_phone(community.phone)])
    contact.rows.append([t("plan.target_line"), t("plan.target_value", target=SESSIONS_TARGET)])
    title = t("plan.notice_title", month=plan.month)
    return Report("plan", plan.month, title, [outings, offers, contact])


def plan_json(store: Repository, plan: MonthPlan) -> bytes:
    """The plan for machines: ids and names, the score of every compound."""
    names = {c.id: c.name for c in store.compounds()}
    staff = {s.id: s.name for s in store.staff()}

    def outing(o: PlannedOuting) -> dict[str, Any]:
        return {
            "day": o.day,
            "compound": o.compound,
            "compound_name": names.get(o.compound, ""),
            "staff": list(o.staff),
            "staff_names": [staff.get(s, "") for s in o.staff],
            "status": o.status,
            "id": o.outing.id if o.outing else None,
        }

    return orjson.dumps(
        {
            "plan": plan.month,
            "today": plan.today,
            "wanted": plan.wanted,
            "held": plan.held,
            "outings": [outing(o) for o in plan.outings],
            "ranking": [
                {
                    "compound": s.compound,
                    "compound_name": names.get(s.compound, ""),
                    "score": s.score,
                    "last": s.last,
                    "days_since": s.days_since,
                    "open_cases": s.open_cases,
                    "overdue": s.overdue,
                    "requests": s.requests,
                    "uncertified": s.uncertified,
                }
                for s in plan.ranking
            ],
        },
        option=orjson.OPT_INDENT_2,
    )

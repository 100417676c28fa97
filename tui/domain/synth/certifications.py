"""Synthetic elderly-subsidy certifications: for each quarter, most eligible
residents certified (at the desk, or at home for the mobility-impaired and the
very old); the quarter under way only as far as it has gone."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from tui.domain.calendar import CST
from tui.domain.certification import age_on, is_eligible, quarter_days, quarter_of
from tui.domain.records import Certification, iso
from tui.domain.states import CertMethod
from tui.domain.synth.community import Community, seeded_id

CERTIFIED_SHARE = 0.95  # of the eligible, by the end of a quarter


def quarters(start: date, until: date) -> list[str]:
    found: list[str] = []
    day = date(start.year, 3 * ((start.month - 1) // 3) + 1, 1)
    while day <= until:
        found.append(quarter_of(day.isoformat()))
        day = date(day.year + (day.month + 2) // 12, (day.month + 2) % 12 + 1, 1)
    return found


def certifications(
    rng: random.Random, community: Community, start: date, until: date
) -> Iterator[list[Certification]]:
    """One batch per quarter from `start`'s to `until`'s."""
    workers = {c.id: community.grid_worker_of(c.id).name for c in community.compounds}
    for quarter in quarters(start, until):
        first, last = (date.fromisoformat(d) for d in quarter_days(quarter))
        end = min(last, until)
        elapsed = ((end - first).days + 1) / ((last - first).days + 1)
        batch: list[Certification] = []
        for resident in community.residents:
            if not is_eligible(resident, quarter) or rng.random() >= CERTIFIED_SHARE * elapsed:
                continue
            day = first + timedelta(days=rng.randint(0, (end - first).days))
            age = age_on(resident, last.isoformat()) or 0
            at_home = "mobility" in resident.flags or age >= 90
            method = (
                CertMethod.HOME_VISIT
                if rng.random() < (0.85 if at_home else 0.05)
                else CertMethod.DESK
            )
            record = Certification(
                id=seeded_id(rng),
                resident=resident.id,
                quarter=quarter,
                day=day.isoformat(),
                method=method,
            )
            moment = datetime.combine(day, time(15, 0), CST)
            record.rev, record.created_at, record.updated_at = 1, iso(moment), iso(moment)
            record.device, record.by = "gen", workers.get(resident.compound, "gen")
            batch.append(record)
        yield batch

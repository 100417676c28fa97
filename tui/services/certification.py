"""Certifying a resident for the elderly subsidy (F6), and what follows."""

from __future__ import annotations

from tui.domain.cases import advance, resolvable
from tui.domain.certification import (
    CERTIFICATION_CATEGORY,
    ELIGIBLE_AGE,
    NEAR_END_DAYS,
    active,
    certify,
    days_left,
    is_eligible,
    quarter_days,
    quarter_of,
    withdraw,
)
from tui.domain.records import Case, Certification, Resident
from tui.domain.states import CaseStep
from tui.repository.interface import Repository


def certify_resident(repo: Repository, resident: Resident, method: str) -> Certification:
    """Certify today, at the open session if there is one. The quarter's
    certifications are read inside the transaction: two desks certifying the
    same resident at once give one certification and one refusal (CertError)."""
    with repo.transaction() as tx:
        session = repo.open_session()
        day = repo.today()
        record = certify(
            resident,
            repo.certifications(quarter_of(day)),
            day=day,
            method=method,
            session=session.id if session else "",
        )
        return tx.put(record)


def withdraw_certification(repo: Repository, record: Certification, reason: str) -> Certification:
    return repo.save(withdraw(record, reason, now=repo.now()))


def open_certification_cases(repo: Repository, resident: str) -> list[Case]:
    """The resident's open elderly-subsidy cases that can be resolved now."""
    return [
        c
        for c in repo.open_cases()
        if c.resident == resident and c.category == CERTIFICATION_CATEGORY and resolvable(c)
    ]


def resolve_cases(repo: Repository, cases: list[Case], note: str) -> list[Case]:
    """Resolve them, with the certification as the outcome, in one transaction."""
    with repo.transaction() as tx:
        return [
            tx.put(advance(c, CaseStep.RESOLVE, now=repo.now(), by=repo.by, note=note))
            for c in cases
        ]


def uncertified_by_compound(repo: Repository, quarter: str) -> dict[str, int]:
    """Eligible residents not yet certified in `quarter`, by compound: the
    count certification.round_for gives, from the repository's list of the old."""
    born_by = int(quarter_days(quarter)[1][:4]) - ELIGIBLE_AGE
    done = {c.resident for c in active(repo.certifications(quarter)) if c.quarter == quarter}
    counts: dict[str, int] = {}
    for person in repo.elderly(born_by):
        if person.id not in done and is_eligible(person, quarter):
            counts[person.compound] = counts.get(person.compound, 0) + 1
    return counts


def remaining_near_end(repo: Repository) -> tuple[int, int] | None:
    """(residents still to certify, days left) when the quarter's end is
    near, else None. May be called from a worker."""
    today = repo.today()
    quarter = quarter_of(today)
    left = days_left(quarter, today)
    if left > NEAR_END_DAYS:
        return None
    return sum(uncertified_by_compound(repo, quarter).values()), left

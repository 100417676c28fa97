"""Certifying a resident for the elderly subsidy (F6), and what follows."""

from __future__ import annotations

from tui.domain.cases import advance, resolvable
from tui.domain.certification import CERTIFICATION_CATEGORY, certify, quarter_of, withdraw
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

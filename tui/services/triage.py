"""Saving a triage decision: the visit, its case, a certification made on the spot."""

from __future__ import annotations

from tui.domain.records import Case, Certification, Visit
from tui.repository.interface import Repository


def save_triage(
    repo: Repository, visit: Visit, case: Case | None, certification: Certification | None = None
) -> tuple[Visit, Case | None]:
    """All of it in one transaction: never a case without its visit's decision,
    nor a certification without the case that records it."""
    with repo.transaction() as tx:
        saved_visit = tx.put(visit)
        saved_case = tx.put(case) if case is not None else None
        if certification is not None:
            tx.put(certification)
    return saved_visit, saved_case

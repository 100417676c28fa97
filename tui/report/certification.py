"""The certification round as a report: this quarter's counts by compound and
the home-visit list (not yet certified, mobility-impaired or 90+), one table
(one Excel sheet) per compound, by building."""

from __future__ import annotations

from collections.abc import Iterable

from tui.domain.certification import (
    CompoundRound,
    home_visit_list,
    quarter_days,
    round_for,
)
from tui.domain.phone import display_phone
from tui.i18n import t
from tui.report.tables import Report, Table
from tui.repository.interface import Repository


def round_of(store: Repository, quarter: str) -> list[CompoundRound]:
    quarter_days(quarter)  # CertError for a bad quarter
    names = {c.id: c.name for c in store.compounds()}
    rounds = round_for(store.residents(), store.certifications(quarter), quarter)
    return sorted(rounds, key=lambda r: names.get(r.compound, r.compound))


def compound_rounds(
    store: Repository, quarter: str, compounds: Iterable[str]
) -> dict[str, CompoundRound | None]:
    """The round of each of `compounds` alone (None: no one eligible there),
    each read from its compound's residents only."""
    done = store.certifications(quarter)
    found: dict[str, CompoundRound | None] = {}
    for compound in compounds:
        rounds = round_for(store.residents(compound=compound), done, quarter)
        found[compound] = rounds[0] if rounds else None
    return found


def home_visit_report(store: Repository, quarter: str) -> Report:
    rounds = round_of(store, quarter)
    names = {c.id: c.name for c in store.compounds()}
    summary = Table(
        "summary",
        t("cert.round_title", quarter=quarter),
        ["compound", "eligible", "certified", "remaining", "home_visits"],
        [
            t(f"cert.col.{c}")
            for c in ("compound", "eligible", "certified", "remaining", "home_visits")
        ],
    )
    visits = home_visit_list(rounds)
    for compound_round in rounds:
        summary.rows.append(
            [
                names.get(compound_round.compound, compound_round.compound),
                compound_round.eligible,
                compound_round.certified,
                compound_round.remaining,
                sum(len(v.entries) for v in visits if v.compound == compound_round.compound),
            ]
        )
    tables = [summary]
    columns = ["building", "unit", "room", "name", "age", "phone", "why", "note"]
    by_compound: dict[str, Table] = {}
    for group in visits:
        table = by_compound.get(group.compound)
        if table is None:
            place = names.get(group.compound, group.compound)
            table = by_compound[group.compound] = Table(
                f"compound-{len(by_compound) + 1}",
                t("cert.home_visits_at", compound=place),
                columns,
                [t(f"cert.col.{c}") for c in columns],
                sheet=place,
            )
            tables.append(table)
        for entry in group.entries:
            person = entry.resident
            why = [t("flag.mobility")] if "mobility" in person.flags else []
            if (entry.age or 0) >= 90:
                why.append(t("cert.aged90"))
            table.rows.append(
                [
                    person.building,
                    person.unit,
                    person.room,
                    person.name,
                    entry.age if entry.age is not None else "",
                    display_phone(person.phone),
                    "、".join(why),
                    person.note,
                ]
            )
    return Report("home_visits", quarter, t("cert.home_visit_title", quarter=quarter), tables)

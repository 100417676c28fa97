"""Reports of a day that holds another team's session, merged in from its
laptop: the hand-over report a session's close writes is that session's
compound's alone, in files of its own; the whole day's report
(`fielddesk report --date`) adds the sessions up and lists each on its own row."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from tests.laptops import day_docs, intakes, laptop, open_at
from tui.domain.records import ServiceSession
from tui.report.collect import _file_part, build_day, build_session, write_session_reports
from tui.report.render import to_markdown
from tui.report.tables import Report
from tui.services.queue_desk import QueueDesk
from tui.store.exchange import import_docs
from tui.store.repository import Store

DAY = "2026-11-20"  # the sample's session


def merged_day(
    tmp_path: Path, clock: Callable[[], datetime]
) -> tuple[Store, ServiceSession, ServiceSession]:
    """Team A at compound 0 (two intakes), team C at compound 1 (three, one
    of them called to C's desk 1), C's records put into A's folder."""
    here = laptop(tmp_path, "a", clock, desk=1)
    there = laptop(tmp_path, "c", clock, desk=1)
    open_at(here, 0, minutes_earlier=30)
    open_at(there, 1)
    intakes(there, 3, "丙")
    assert QueueDesk(there, 1).call_next() is not None
    intakes(here, 2, "甲")
    import_docs(here, day_docs(there))
    ours, theirs = here.open_session(), there.open_session()
    assert ours is not None and theirs is not None
    return here, ours, theirs


def table(report: Report, table_id: str) -> list[list[object]]:
    return next(t.rows for t in report.tables if t.id == table_id)


def summary(report: Report) -> dict[object, object]:
    return {row[0]: row[1] for row in table(report, "summary")}


def test_a_session_s_report_holds_its_compound_alone(
    tmp_path: Path, clock: Callable[[], datetime]
) -> None:
    here, ours, theirs = merged_day(tmp_path, clock)
    ours_name, theirs_name = here.compounds()[0].name, here.compounds()[1].name
    report = build_session(here, ours)
    figures = summary(report)
    assert figures["Compound"] == ours_name
    assert (figures["Visits"], figures["Tickets issued"], figures["Checks failing"]) == (2, 2, 2)
    assert sorted(str(row[2]) for row in table(report, "visits")) == ["甲0", "甲1"]
    text = to_markdown(report).decode()
    assert theirs_name not in text and "丙" not in text
    # C's own report, on A's laptop, is C's alone: its ticket still at its desk.
    other = summary(build_session(here, theirs))
    assert (other["Compound"], other["Visits"], other["Checks failing"]) == (theirs_name, 3, 4)


def test_each_session_s_report_lands_in_files_of_its_own(
    tmp_path: Path, clock: Callable[[], datetime]
) -> None:
    here, ours, theirs = merged_day(tmp_path, clock)
    day = here.today()
    folder = write_session_reports(here, ours)
    assert folder == here.root / "reports" / day
    write_session_reports(here, theirs)
    names = sorted(p.name for p in folder.iterdir())
    stems = [f"report-{day}-{c.name}" for c in here.compounds()[:2]]
    assert names == sorted(
        f"{stem}.{ext}" for stem in stems for ext in ("csv", "json", "md", "xlsx")
    )
    ours_md = (folder / f"{stems[0]}.md").read_text("utf-8")
    assert "甲0" in ours_md and "丙0" not in ours_md


def test_the_whole_day_s_report_lists_each_session(
    tmp_path: Path, clock: Callable[[], datetime]
) -> None:
    """`fielddesk report --date`: the day adds both sessions up, and shows each."""
    here, _, _ = merged_day(tmp_path, clock)
    report = build_day(here, here.today())
    assert summary(report)["Visits"] == 5
    rows = table(report, "sessions")
    assert [(r[0], r[2], r[3], r[7], r[8]) for r in rows] == [
        (here.compounds()[0].name, "open", 2, 2, 0),
        (here.compounds()[1].name, "open", 3, 3, 0),
    ]


def test_a_day_of_one_compound_keeps_its_report_and_its_file_names(
    sample_dir: Path, clock: Callable[[], datetime]
) -> None:
    store = Store(sample_dir, device="test-laptop", by="测试员", clock=clock)
    (session,) = store.sessions(DAY)
    day = build_day(store, DAY)
    assert to_markdown(build_session(store, session)) == to_markdown(day)
    assert all(t.id != "sessions" for t in day.tables)  # one session: no table of them
    folder = write_session_reports(store, session)
    assert sorted(p.name for p in folder.iterdir()) == [
        f"report-{DAY}.{ext}" for ext in ("csv", "json", "md", "xlsx")
    ]


def test_a_compound_s_name_in_a_file_name() -> None:
    assert _file_part("新宁花苑", "id") == "新宁花苑"
    assert _file_part("../东区 3/4\x07", "id") == "东区_3_4"
    assert _file_part("/// ", "0123456789ab") == "01234567"

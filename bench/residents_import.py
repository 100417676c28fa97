"""Importing the office's resident sheet: 10,500 rows (the 5-year history's
registry written out as an office would keep it), xlsx and csv, into a folder
holding the registry but no residents, then the same sheet again."""

from __future__ import annotations

import csv
import json
import shutil
import time
from datetime import date
from pathlib import Path

from bench.common import OUT, history, median
from tui.domain.calendar import fixed_clock
from tui.registry.apply import plan_file, write
from tui.registry.read import read_rows
from tui.store.layout import RESIDENTS_DIR
from tui.store.repository import Store

UNTIL = date(2026, 11, 27)
HEADER = ["序号", "姓名", "性别", "出生日期", "联系电话", "小区", "楼栋", "单元", "门牌号", "备注"]


def _rows(source: Path) -> list[list[object]]:
    registry = json.loads((source / "registry.json").read_text("utf-8"))
    names = {c["id"]: c["name"] for c in registry["compound"].values()}
    people = [
        person
        for path in sorted((source / RESIDENTS_DIR).glob("*.json"))
        for person in json.loads(path.read_text("utf-8"))["resident"].values()
    ]
    rows: list[list[object]] = []
    for number, person in enumerate(people, 1):
        born = person["birth_date"] or (str(person["birth_year"]) if person["birth_year"] else "")
        phone = person["phone"].removeprefix("+86")
        rows.append(
            [
                number,
                person["name"],
                {"f": "女", "m": "男"}.get(person["gender"], ""),
                born,
                phone,
                names[person["compound"]],
                f"{person['building']}号楼",
                f"{person['unit']}单元",
                person["room"],
                "行动不便" if "mobility" in person["flags"] else "",
            ]
        )
    return rows


def sheets(source: Path) -> tuple[Path, Path]:
    """The sheet as xlsx (a title row above the header) and as csv; made once."""
    from openpyxl import Workbook

    xlsx, comma = OUT / "residents-10500.xlsx", OUT / "residents-10500.csv"
    if not xlsx.exists() or not comma.exists():
        rows = _rows(source)
        book = Workbook(write_only=True)
        sheet = book.create_sheet("名册")
        sheet.append(["社区居民名册"])
        sheet.append(HEADER)
        for row in rows:
            sheet.append(row)
        book.save(xlsx)
        with comma.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            writer.writerows(rows)
    return xlsx, comma


def _empty_registry(source: Path, name: str) -> Path:
    target = OUT / name
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    shutil.copy(source / "registry.json", target / "registry.json")
    shutil.copy(source / "meta.json", target / "meta.json")
    return target


ROUNDS = 3


def run() -> dict[str, dict[str, float]]:
    """Per sheet: seconds to read it, to import it into a folder without
    residents (plan and write), and to import it again (all unchanged);
    median and worst of ROUNDS, and the counts."""
    source = history()
    xlsx, comma = sheets(source)
    figures: dict[str, dict[str, float]] = {}
    for label, sheet in (("xlsx", xlsx), ("csv", comma)):
        times: dict[str, list[float]] = {"read": [], "first": [], "write": [], "again": []}
        for round_ in range(ROUNDS):
            folder = _empty_registry(source, f"import-{label}-{round_}")
            store = Store(folder, device="bench", by="bench", clock=fixed_clock(UNTIL))
            start = time.perf_counter()
            read_rows(sheet)
            times["read"].append(time.perf_counter() - start)
            start = time.perf_counter()
            plan = plan_file(store, sheet)
            planned = time.perf_counter()
            write(store, plan, skip_bad=False)
            times["first"].append(time.perf_counter() - start)
            times["write"].append(time.perf_counter() - planned)
            start = time.perf_counter()
            again = plan_file(store, sheet)
            write(store, again, skip_bad=False)
            times["again"].append(time.perf_counter() - start)
            shutil.rmtree(folder)
        for name, values in times.items():
            figures[f"{label} {name}"] = {"median": median(values), "max": max(values)}
        figures[f"{label} counts"] = {
            "added": float(len(plan.added)),
            "rejected": float(len(plan.rejected)),
            "unchanged": float(again.unchanged),
        }
    return figures


if __name__ == "__main__":
    for name, values in run().items():
        print(name, ", ".join(f"{k} {v:.2f}" for k, v in values.items()))

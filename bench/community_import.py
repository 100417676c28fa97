"""Importing the office's community workbook (issue 13): the template filled
with 17 compounds (3,179 households), 14 staff, 10 outside bodies and the 14
categories, into an empty folder (read, plan, one commit), then again (all
unchanged, nothing written). Goal: under 1 s."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

if __name__ == "__main__":
    sys.path[0] = str(Path(__file__).resolve().parents[1])

from bench.common import OUT, median  # noqa: E402
from tui.domain.community_sheets import sheet_kind  # noqa: E402
from tui.registry.community_io import (  # noqa: E402
    plan_community_file,
    write_community,
    write_template,
)
from tui.store.repository import Store  # noqa: E402

ROUNDS = 5
ROADS = "新华 和平 建设 幸福 光明 团结 胜利 文化 人民 解放 友谊 长青 东风 朝阳 春晖 滨河 青年"
GRID = ("刘洋", "陈静", "杨帆", "黄磊", "周婷", "吴昊")
OTHERS = ("郑凯", "孙丽", "马超", "朱红", "胡军", "郭晶", "何平")


def rows() -> dict[str, list[list[object]]]:
    compounds = [f"{road}路小区" for road in ROADS.split()]
    households = [187] * 17  # 3,179
    staff: list[list[object]] = [["张明", "书记", "138 0013 8000", ""]]
    staff += [[name, "网格员", f"139 0013 {i:04d}", ""] for i, name in enumerate(GRID)]
    staff += [[name, "工作人员", f"136 0013 {i:04d}", ""] for i, name in enumerate(OTHERS)]
    return {
        "compound": [
            [name, "", f"{name}1号", households[i], GRID[i % 6], "1-8", ""]
            for i, name in enumerate(compounds)
        ],
        "staff": staff,
        "party": [
            [f"单位{i}", ("派出所", "物业", "法律", "保险", "供水")[i % 5], "联系人", "", c]
            for i, c in enumerate(compounds[:10])
        ],
    }


def workbook() -> Path:
    from openpyxl import load_workbook

    template, filled = OUT / "community-template.xlsx", OUT / "community-17-14-10.xlsx"
    OUT.mkdir(parents=True, exist_ok=True)
    write_template(template)
    book = load_workbook(template)
    data = rows()
    for sheet in book.worksheets:
        kind = sheet_kind(sheet.title)
        if kind in data:
            sheet.delete_rows(2, sheet.max_row)
            for row in data[kind]:
                sheet.append(row)
    book.save(filled)
    return filled


def run() -> dict[str, float]:
    """Seconds: the first import (read, plan, write) and the second (all
    unchanged), median and worst of ROUNDS, and the records written."""
    path = workbook()
    first: list[float] = []
    again: list[float] = []
    written = 0
    for round_ in range(ROUNDS):
        folder = OUT / f"community-{round_}"
        shutil.rmtree(folder, ignore_errors=True)
        store = Store(folder, device="bench", by="bench")
        start = time.perf_counter()
        plan = plan_community_file(store, path)
        assert not plan.rejected and write_community(store, plan, skip_bad=False)
        first.append(time.perf_counter() - start)
        written = len(plan.writes)
        start = time.perf_counter()
        second = plan_community_file(store, path)
        assert not second.writes and write_community(store, second, skip_bad=False)
        again.append(time.perf_counter() - start)
        shutil.rmtree(folder)
    return {
        "first_median": median(first),
        "first_max": max(first),
        "again_median": median(again),
        "again_max": max(again),
        "written": float(written),
    }


if __name__ == "__main__":
    figures = run()
    print(
        f"community import 17/14/10 + 14 categories ({figures['written']:.0f} records): "
        f"median {figures['first_median']:.3f} s, worst {figures['first_max']:.3f} s; "
        f"again (unchanged) median {figures['again_median']:.3f} s, "
        f"worst {figures['again_max']:.3f} s (goal < 1 s)"
    )

"""`make bench`: run every benchmark and print the figures as a Markdown table."""

from __future__ import annotations

import platform
import sys
from pathlib import Path

# The checkout, not bench/ itself: bench/queue.py would stand in for the standard
# library's queue, which Textual's Linux driver imports when the first app starts.
sys.path[0] = str(Path(__file__).resolve().parents[1])

from bench import (  # noqa: E402
    cases,
    commit,
    community,
    community_import,
    first_frame,
    intake,
    layout,
    plan,
    queue,
    report,
    residents_import,
    save_visit,
    scale,
    sync,
    web,
)
from bench import print as print_bench  # noqa: E402  (as: `print` is the built-in)
from bench.common import ms  # noqa: E402


def main() -> None:
    print(f"machine: {platform.machine()}, Python {platform.python_version()}", flush=True)
    save = save_visit.run()
    frame = first_frame.run()
    look10, look105 = intake.lookup(10500), intake.lookup(105000)
    typing = intake.save_latency()
    display, idle, call = queue.display_latency(), queue.idle_cpu(), queue.call_next_latency()
    polled = queue.display_latency(how="polling")
    f4 = cases.run()
    f7 = community.run()
    periods, reports = report.run()
    imports = residents_import.run()
    commits = commit.run()
    workbook = community_import.run()
    planned = plan.run()
    saves = layout.run()
    sizes = scale.run()
    syncs = sync.run()
    board = web.run()
    printed = print_bench.run()
    rows = [
        (
            "Save one visit, empty store",
            f"p50 {ms(save['empty_p50'])}, p95 {ms(save['empty_p95'])}",
            "p95 < 15 ms",
        ),
        (
            "Save one visit, 5 years (10,500 residents)",
            f"p50 {ms(save['5y_p50'])}, p95 {ms(save['5y_p95'])}",
            "p95 < 15 ms",
        ),
        ("Save p95 ratio 5 years / empty", f"{save['ratio_p95']:.2f}", "< 1.3"),
        ("First frame, minimal Textual app", ms(frame["minimal"]), ""),
        ("First frame, fielddesk on 5 years", ms(frame["fielddesk"]), ""),
        ("First frame ratio", f"{frame['ratio']:.2f}", "< 1.3"),
        (
            "Look-up per keystroke, 10,500 residents",
            f"p50 {ms(look10['p50'])}, p95 {ms(look10['p95'])}, max {ms(look10['max'])}",
            "p95 < 15 ms",
        ),
        (
            "Look-up per keystroke, 105,000 residents",
            f"p50 {ms(look105['p50'])}, p95 {ms(look105['p95'])}, max {ms(look105['max'])}",
            "",
        ),
        (
            "Look-up index build (worker), 10,500 / 105,000",
            f"{ms(look10['build'])} / {ms(look105['build'])}",
            "",
        ),
        (
            "Keys for a returning resident, besides a 10-character description",
            f"mean {typing['keys_mean']:.1f}, max {typing['keys_max']}",
            "<= 25",
        ),
        (
            "Ctrl+S to cleared form, returning resident, 5 years",
            f"p50 {ms(typing['returning_p50'])}, p95 {ms(typing['returning_p95'])}",
            "",
        ),
        (
            "Ctrl+S to cleared form, new resident, 5 years",
            f"p50 {ms(typing['new_p50'])}, p95 {ms(typing['new_p95'])}",
            "",
        ),
        (
            "Change to display, across processes (file notifications)",
            f"p50 {ms(display['p50'])}, p95 {ms(display['p95'])}, max {ms(display['max'])}",
            "p95 < 100 ms",
        ),
        (
            "Change to display, stat polling (the fallback)",
            f"p50 {ms(polled['p50'])}, p95 {ms(polled['p95'])}, max {ms(polled['max'])}",
            "",
        ),
        ("Idle display CPU over 60 s", f"{idle * 100:.2f} % of one core", "< 1 %"),
        (
            f"Call next with {call['waiting']}+ waiting",
            f"p50 {ms(call['p50'])}, p95 {ms(call['p95'])}",
            "",
        ),
        *(
            (
                f"F4 first press after start-up, {label} ({cases.FIRST_RUNS} starts)",
                f"p50 {ms(f4['first'][place]['p50'])}, p95 {ms(f4['first'][place]['p95'])}",
                "p95 < 100 ms",
            )
            for place, label in (("sample", "sample community"), ("5y", "5 years"))
        ),
        (
            "F4 opened 5 times in one app, 5 years",
            f"p50 {ms(f4['open_p50'])}, p95 {ms(f4['open_p95'])}",
            "",
        ),
        (
            "F4 filter change, 5 years",
            f"p50 {ms(f4['filter_p50'])}, p95 {ms(f4['filter_p95'])}",
            "p95 < 100 ms",
        ),
        (
            f"F7 first press after start-up, 5 years ({community.RUNS} starts)",
            f"p50 {ms(f7['p50'])}, p95 {ms(f7['p95'])}",
            "p95 < 150 ms",
        ),
    ]
    for name, figures in reports.items():
        build, fmt = name.split()
        rows.append(
            (
                f"{build.title()} report ({periods[build]}), {fmt}, fresh store, 5 years",
                f"p50 {ms(figures['p50'])}, p95 {ms(figures['p95'])}",
                "< 300 ms",
            )
        )
    for label in ("xlsx", "csv"):
        first, again = imports[f"{label} first"], imports[f"{label} again"]
        rows.append(
            (
                f"Import 10,500 residents from {label} (read, plan, write)",
                f"median {first['median']:.2f} s, worst {first['max']:.2f} s",
                "< 5 s",
            )
        )
        rows.append(
            (
                f"Import the same {label} again (all unchanged)",
                f"median {again['median']:.2f} s, worst {again['max']:.2f} s",
                "",
            )
        )
    for place, label in (("sample", "sample community"), ("5y", "5 years")):
        for action in ("intake", "triage", "close"):
            rows.append(
                (
                    f"One commit: {action}, {label}",
                    f"p50 {ms(commits[f'{place} {action} p50'])}, "
                    f"p95 {ms(commits[f'{place} {action} p95'])}",
                    "",
                )
            )
    rows.append(
        (
            "Community workbook import, 17 compounds / 14 staff / 10 bodies / 14 categories",
            f"median {workbook['first_median']:.3f} s, worst {workbook['first_max']:.3f} s",
            "< 1 s",
        )
    )
    rows.append(
        (
            "Community workbook import again (all unchanged)",
            f"median {workbook['again_median']:.3f} s, worst {workbook['again_max']:.3f} s",
            "",
        )
    )
    rows.append(
        (
            f"Month plan ({plan.MONTH}), ranked and proposed, fresh store, 5 years",
            f"p50 {ms(planned['p50'])}, p95 {ms(planned['p95'])}",
            "< 300 ms",
        )
    )
    rows += layout.rows(saves)
    rows += scale.rows(sizes)
    rows += sync.rows(syncs)
    rows += web.rows(board)
    rows += print_bench.rows(printed)
    print("\n| measure | figure | goal |\n| --- | --- | --- |")
    for name, figure, goal in rows:
        print(f"| {name} | {figure} | {goal} |")
    first_worst = max(f4["first"]["sample"]["p95"], f4["first"]["5y"]["p95"])
    headline = [
        (
            "F4 first press p95 (worse of sample, 5 years)",
            ms(first_worst),
            "< 100 ms",
            first_worst < 0.1,
        ),
        (
            "First frame ratio, 5 years / bare Textual",
            f"{frame['ratio']:.2f}x",
            "< 1.3x",
            frame["ratio"] < 1.3,
        ),
        ("Call to display p95", ms(display["p95"]), "< 100 ms", display["p95"] < 0.1),
        ("Idle display CPU", f"{idle * 100:.2f} %", "< 1 %", idle < 0.01),
        *layout.headline(saves),
        *scale.headline(sizes),
        *sync.headline(syncs),
    ]
    print("\n| goal | figure | target | met |\n| --- | --- | --- | --- |")
    for name, figure, goal, met in headline:
        print(f"| {name} | {figure} | {goal} | {'yes' if met else 'NO'} |")


if __name__ == "__main__":
    main()

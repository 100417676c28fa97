"""`make bench`: run every benchmark and print the figures as a Markdown table."""

from __future__ import annotations

import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import first_frame, save_visit  # noqa: E402
from bench.common import ms  # noqa: E402


def main() -> None:
    print(f"machine: {platform.machine()}, Python {platform.python_version()}", flush=True)
    save = save_visit.run()
    frame = first_frame.run()
    rows = [
        ("Save one visit, empty store", f"p50 {ms(save['empty_p50'])}, p95 {ms(save['empty_p95'])}",
         "p95 < 15 ms"),
        ("Save one visit, 5 years (10,500 residents)",
         f"p50 {ms(save['5y_p50'])}, p95 {ms(save['5y_p95'])}", "p95 < 15 ms"),
        ("Save p95 ratio 5 years / empty", f"{save['ratio_p95']:.2f}", "< 1.3"),
        ("First frame, minimal Textual app", ms(frame["minimal"]), ""),
        ("First frame, fielddesk on 5 years", ms(frame["fielddesk"]), ""),
        ("First frame ratio", f"{frame['ratio']:.2f}", "< 1.5"),
    ]
    print("\n| measure | figure | goal |\n| --- | --- | --- |")
    for name, figure, goal in rows:
        print(f"| {name} | {figure} | {goal} |")


if __name__ == "__main__":
    main()

"""Before and after issue 11, per scenario at baseline and with the six reforms: one table.

    python experiments/reach_residents/before_after.py > experiments/reach_residents/before_after.md

"Before" is ``before.jsonl`` (commit c400f5d, before issue 11's mechanisms); "after" is
``rerun.jsonl`` (every mechanism of issue 11; the default county's row is ``typical_county_own``
there, which is today's ``typical_county``, with the township's own work). Cells: mean over
seeds 1-5 and the half-width of the 95% t-interval.
"""
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from compare import cell, load, value  # noqa: E402

HERE = Path(__file__).parent
SCENARIOS = [("typical_county (default)", "typical_county", "typical_county_own"),
             *((s, s, s) for s in ("henan_county", "qujing_county", "puge", "baotou_street",
                                   "yangting_town"))]
FIGURES = [("h/cadre-week", "hours_per_cadre_week"), ("service share", "share:service"),
           ("tasks share", "share:tasks"), ("meetings share", "share:meetings"),
           ("own work + centre + grid share", "own"),
           ("resolution mean h", "resolution_hours_mean"),
           *((f"on time: {k}", f"ontime:{k}") for k in
             ("request", "complex", "utility", "emergency", "cross_department")),
           ("visit coverage", "visit_coverage"), ("escalations a year", "needs_escalated")]


def figure(rows, key):
    """The values of one figure over the seeds."""
    if key == "own":
        return [sum(r["hours_share"].get(c, 0.0) for c in ("own_work", "service_centre", "grid"))
                for r in rows]
    return [value(r, key) for r in rows]


def main() -> None:
    """Print the table."""
    before, after = load(HERE / "before.jsonl"), load(HERE / "rerun.jsonl")
    print("| scenario, policy | " + " | ".join(name for name, _ in FIGURES) + " |")
    print("|---" * (len(FIGURES) + 1) + "|")
    for label, old, new in SCENARIOS:
        for policy in ("baseline", "reforms"):
            cells = []
            for _, key in FIGURES:
                a = figure(before.get((old, policy), []), key)
                b = figure(after.get((new, policy), []), key)
                fmt = [cell(np.asarray(v, dtype=float)) for v in (a, b)]
                cells.append(f"{fmt[0]} → {fmt[1]}")
            print(f"| {label}, {policy} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()

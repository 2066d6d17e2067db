"""Two runs of figures.py side by side: per scenario and policy, mean ± 95% t half-width.

    python experiments/reach_residents/compare.py after.jsonl rerun.jsonl
"""
import json
import sys

import numpy as np
from scipy import stats

KEYS = ["hours_per_cadre_week", "proactive_hours_per_cadre_week", "share:service", "share:tasks",
        "share:meetings", "resolution_hours_mean", "kind:emergency", "ontime:emergency",
        "on_time_share", "overload_index_mean", "visit_coverage", "needs_escalated",
        "cadres_over_50h_share"]


def load(path):
    """Rows of a figures.py file, grouped by (scenario, policy)."""
    groups = {}
    for line in open(path):
        row = json.loads(line)
        groups.setdefault((row["scenario"], row["policy"]), []).append(row)
    return groups


def value(row, key):
    """One figure of one run (NaN when the run does not report it)."""
    if key.startswith("share:"):
        return row["hours_share"].get(key[6:], 0.0)
    if key.startswith("kind:"):
        return (row.get("resolution_hours_by_kind") or {}).get(key[5:], np.nan)
    if key.startswith("ontime:"):
        kind = (row.get("resolution_by_kind") or {}).get(key[7:]) or {}
        return kind.get("on_time_share_due", np.nan)
    value = row.get(key)
    return np.nan if value is None else value


def cell(values):
    """Mean ± half-width of the 95% t-interval over seeds."""
    values = np.asarray(values, dtype=float)
    if not len(values) or np.isnan(values).all():
        return "—"
    half = stats.t.ppf(0.975, len(values) - 1) * values.std(ddof=1) / np.sqrt(len(values))
    return f"{values.mean():.4g}±{half:.2g}"


if __name__ == "__main__":
    a, b = load(sys.argv[1]), load(sys.argv[2])
    print("| scenario, policy | figure | " + sys.argv[1] + " | " + sys.argv[2] + " |")
    print("|---|---|---|---|")
    for group in sorted(set(a) | set(b)):
        for key in KEYS:
            print(f"| {group[0]}, {group[1]} | {key} | "
                  f"{cell([value(r, key) for r in a.get(group, [])])} | "
                  f"{cell([value(r, key) for r in b.get(group, [])])} |")

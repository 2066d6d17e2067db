"""The township's own work (issue 11, item 9): typical_county_tasks_only against typical_county.

    python experiments/own_work/study.py [OUT_DIR]

Runs both scenarios at baseline policy, seeds 1-5, 365 days; writes ``runs.csv`` (one row per
run) and ``comparison.md`` (mean and 95% t-interval over the seeds, scipy.stats) to OUT_DIR
(default: this folder).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from sim.api import make_model
from sim.kernels.columns import HOURS_CATEGORIES
from sim.measures.definitions import t_interval
from sim.measures.metrics import summarize, task_table

SCENARIOS = ("typical_county_tasks_only", "typical_county")
SEEDS = range(1, 6)
KINDS = ("request", "complex", "utility", "emergency", "cross_department", "task", "own_work")


def measure(scenario: str, seed: int) -> dict:
    """One run's figures: hours, resolution and on-time share by kind, visits, escalations."""
    model = make_model(scenario, seed=seed, days=365)
    model.run()
    tasks = task_table(model)
    s = summarize(model, tasks)
    row = {"scenario": scenario, "seed": seed,
           "hours_per_cadre_week": s["hours_per_cadre_week"],
           "proactive_hours_per_cadre_week": s.get("proactive_hours_per_cadre_week", np.nan),
           "overload_index_mean": s["overload_index_mean"],
           "cadres_over_50h_share": s["cadres_over_50h_share"],
           "visit_coverage": s.get("visit_coverage", np.nan),
           "needs_escalated": s.get("needs_escalated", np.nan),
           "needs_found_early": s.get("needs_found_early", np.nan),
           "requests_resolution_hours_mean": s["resolution_hours_mean"],
           "requests_on_time_share_due": s["on_time_share_due"],
           "service_centre_requests_served": s.get("service_centre_requests_served", 0)}
    row.update({f"share_{c}": s["hours_share"][c] for c in HOURS_CATEGORIES})
    row["share_formalism"] = sum(s["hours_share"][c] for c in
                                 ("meetings", "documents", "inspections", "chat_groups"))
    end = model.day * 24.0
    for kind in KINDS:  # the same definitions for every kind: resolved by deadline, of those due
        group = tasks[tasks["kind"] == kind]
        due = group[group["deadline"] <= end]
        row[f"{kind}_arrived"] = len(group)
        row[f"{kind}_resolved_share"] = ((group["status"] == "resolved").mean() if len(group)
                                         else np.nan)
        row[f"{kind}_on_time_share_due"] = due["deadline_met"].mean() if len(due) else np.nan
        resolved = group[group["status"] == "resolved"]
        row[f"{kind}_resolution_hours_mean"] = (resolved["resolution_hours"].mean()
                                                if len(resolved) else np.nan)
    model.close()
    return row


def interval(values, fmt: str = ".4g") -> str:
    """Mean and 95% t-interval over the seeds (:func:`t_interval`), as text."""
    mean, low, high = t_interval(values)
    if np.isnan(mean):
        return "—"
    if np.isnan(low) or low == high:
        return f"{mean:{fmt}}"
    return f"{mean:{fmt}} [{low:{fmt}}, {high:{fmt}}]"


def main() -> None:
    """Run the study and write its tables."""
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent
    out.mkdir(parents=True, exist_ok=True)
    runs = pd.DataFrame([measure(sc, seed) for sc in SCENARIOS for seed in SEEDS])
    runs.to_csv(out / "runs.csv", index=False)
    figures = [c for c in runs.columns if c not in ("scenario", "seed")]
    table = pd.DataFrame({sc: [interval(runs.loc[runs["scenario"] == sc, f]) for f in figures]
                          for sc in SCENARIOS}, index=figures)
    lines = ["| figure (mean [95% t-interval], seeds 1-5, 365 days) | " + " | ".join(SCENARIOS)
             + " |", "|---" * (len(SCENARIOS) + 1) + "|"]
    lines += [f"| {f} | " + " | ".join(table.loc[f]) + " |" for f in figures]
    (out / "comparison.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

"""Paired lever studies of purchased services and residents' evaluation.

    python experiments/paired_study.py purchase --seeds 10     # writes experiments/purchase/
    python experiments/paired_study.py feedback --seeds 10     # writes experiments/feedback/
    python experiments/paired_study.py purchase --arms tasks_only   # one arm added to runs.csv

Each arm runs on the same seeds as its baseline (the same seed gives the same citizen demand
under every policy: common random numbers), one simulated year each. For every seed the arm's
value minus the baseline's is taken; the table gives the mean difference with its 95% interval
(Student's t on the paired differences, :func:`scipy.stats.ttest_rel`). Measures: residents'
resolution time (mean, first resolution, and final, reopened requests counted to their last
resolution), overload index, hours per cadre-week (the summary's: every hour booked to township
cadres per cadre-week worked), department utilisation, and each lever's own figures.

The default ``--scenario`` is ``typical_county``, today's default county (with the township's
own work), on which the committed purchase and feedback studies were measured;
``--scenario typical_county_tasks_only`` runs the former default (tasks from above only).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from sim.api import make_model
from sim.measures.metrics import summarize, task_table
from sim.policies.feedback import final_resolution_hours

HERE = Path(__file__).parent
#: Per lever: the arms (label, overrides) and the baseline each is paired with.
ARMS = {
    "purchase": {
        "baseline": [],
        "zhucheng": ["policy/purchase=zhucheng"],
        "capped": ["policy/purchase=capped"],
        "tasks_only": ["policy/purchase=zhucheng", "policy.purchase.request_share=0"],
    },
    "feedback": {
        "baseline": [],
        "zhucheng": ["policy/feedback=zhucheng"],
        "evaluation_baseline": ["scenario.discipline=evaluation"],
        "evaluation_zhucheng": ["scenario.discipline=evaluation", "policy/feedback=zhucheng"],
    },
}
#: Which baseline each arm is compared with.
PAIRS = {
    "purchase": {"zhucheng": "baseline", "capped": "baseline", "tasks_only": "baseline"},
    "feedback": {"zhucheng": "baseline", "evaluation_zhucheng": "evaluation_baseline",
                 "evaluation_baseline": "baseline"},
}
MEASURES = ("resolution_hours_mean", "final_resolution_hours_mean", "request_resolution_hours",
            "overload_index_mean", "hours_per_cadre_week", "overtime_hours_per_cadre_week",
            "department_utilisation", "on_time_share", "contracted_hours", "contract_cost_yuan",
            "contract_staff_fte", "contract_rework_items", "callbacks", "reopened", "care_hours")


def measure(scenario: str, seed: int, days: int, overrides: list[str]) -> dict:
    """One run's measures."""
    model = make_model(scenario, seed=seed, days=days, overrides=overrides)
    model.run()
    tasks = task_table(model)
    summary = summarize(model, tasks)
    requests = tasks[(tasks["kind"] == "request") & (tasks["status"] == "resolved")]
    out = {key: summary[key] for key in MEASURES if key in summary}
    out["final_resolution_hours_mean"] = float(final_resolution_hours(tasks).mean())
    out["request_resolution_hours"] = float(requests["resolution_hours"].mean())
    model.close()
    return out


def paired_effects(runs: pd.DataFrame, pairs: dict[str, str]) -> pd.DataFrame:
    """Mean paired difference (arm - baseline) of each measure with its 95% t interval."""
    rows = []
    for arm, base in pairs.items():
        a = runs[runs["arm"] == arm].set_index("seed").sort_index()
        b = runs[runs["arm"] == base].set_index("seed").sort_index()
        for key in MEASURES:
            if key not in a:
                continue
            x, y = a[key].to_numpy(float), b[key].to_numpy(float)
            if not (x.any() or y.any()):  # the other lever's figures
                continue
            diff = x - y
            if np.allclose(diff, 0.0):
                low = high = 0.0
            else:
                low, high = stats.ttest_rel(x, y).confidence_interval(0.95)
            rows.append({"arm": arm, "baseline": base, "measure": key, "seeds": len(diff),
                         "baseline_mean": float(y.mean()), "arm_mean": float(x.mean()),
                         "diff_mean": float(diff.mean()), "diff_ci_low": float(low),
                         "diff_ci_high": float(high),
                         "rel_change": float(diff.mean() / y.mean()) if y.mean() else np.nan})
    return pd.DataFrame(rows)


def to_markdown(effects: pd.DataFrame) -> str:
    """The effects as a Markdown table (difference and 95% interval)."""
    lines = ["| arm | vs | measure | baseline | arm | difference (95% CI) | change |",
             "|---|---|---|---|---|---|---|"]
    for r in effects.itertuples():
        lines.append(f"| {r.arm} | {r.baseline} | {r.measure} | {r.baseline_mean:.4g} | "
                     f"{r.arm_mean:.4g} | {r.diff_mean:+.4g} [{r.diff_ci_low:+.4g}, "
                     f"{r.diff_ci_high:+.4g}] | {100 * r.rel_change:+.1f}% |")
    return "\n".join(lines) + "\n"


def main() -> None:
    """Run the lever's arms over the seeds; write runs.csv, effects.csv and effects.md."""
    parser = argparse.ArgumentParser()
    parser.add_argument("lever", choices=sorted(ARMS))
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--scenario", default="typical_county")
    parser.add_argument("--arms", default=None,
                        help="comma-separated arms to run, added to the runs.csv already there")
    args = parser.parse_args()
    out = HERE / args.lever
    out.mkdir(exist_ok=True)
    arms = ARMS[args.lever] if args.arms is None else {
        arm: ARMS[args.lever][arm] for arm in args.arms.split(",")}
    rows = []
    for seed in range(1, args.seeds + 1):
        for arm, overrides in arms.items():
            rows.append({"arm": arm, "seed": seed,
                         **measure(args.scenario, seed, args.days, overrides)})
            print(arm, seed, flush=True)
    runs = pd.DataFrame(rows)
    if args.arms is not None:
        kept = pd.read_csv(out / "runs.csv")
        runs = pd.concat([kept[~kept["arm"].isin(list(arms))], runs], ignore_index=True)
    effects = paired_effects(runs, PAIRS[args.lever])
    runs.to_csv(out / "runs.csv", index=False)
    effects.to_csv(out / "effects.csv", index=False)
    (out / "effects.md").write_text(to_markdown(effects), encoding="utf-8")
    (out / "study.json").write_text(json.dumps({"scenario": args.scenario, "days": args.days,
                                                "seeds": list(range(1, args.seeds + 1)),
                                                "arms": ARMS[args.lever]}, indent=1))


if __name__ == "__main__":
    main()

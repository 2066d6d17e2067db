"""Kashgar's rotation (seed 003) against the baseline: paired differences over seeds.

Half of each township's own cadres (on duty, not leaders, not seconded) live and work in the
villages in 30-day turns (``policy/residence=kashgar``). Each scenario runs with and without it
on the same seeds (common random numbers: the same demand and the same latent needs), latent
needs on at 0.05 a day per 1000 residents as in ``configs/experiment/residence.yaml``; the
differences get 95% t-intervals (scipy.stats). Writes ``kashgar.csv`` and ``kashgar.md`` here.

The default scenarios are ``typical_county`` (today's default county, with the township's own
work, on which the committed tables were measured) and ``puge``; ``--scenarios
typical_county_tasks_only,puge`` runs the former default (tasks from above only).

Usage: ``.venv/bin/python experiments/residence/kashgar.py [--seeds 10] [--days 365]``;
``--both policy/secondment=banned --tag banned`` adds overrides to both arms and writes
``kashgar_banned.csv``/``.md``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from sim.api import make_model
from sim.measures.metrics import summarize, task_table

HERE = Path(__file__).parent
KEYS = ("visit_coverage", "needs_found_early_share", "needs_found_early", "needs_escalated",
        "resolution_hours_mean", "resolution_hours_p90", "on_time_share_due", "backlog_end",
        "overtime_hours_per_cadre_week", "hours_per_cadre_week", "overload_index_mean",
        "proactive_hours_per_cadre_week", "rotation_hours_per_cadre_week", "rotation_cadre_days")
BASE = ["scenario.latent_needs_per_1000_people_day=0.05"]


def summary(scenario: str, seed: int, days: int, overrides: list[str]) -> dict:
    """One run's summary."""
    model = make_model(scenario, seed=seed, days=days, overrides=[*BASE, *overrides])
    model.run()
    out = summarize(model, task_table(model))
    model.close()
    return out


def main() -> None:
    """Run the pairs and write the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--scenarios", default="typical_county,puge")
    parser.add_argument("--both", nargs="*", default=[], help="overrides for both arms")
    parser.add_argument("--tag", default="", help="suffix of the output files")
    args = parser.parse_args()
    both = list(args.both)
    name = "kashgar" + (f"_{args.tag}" if args.tag else "")
    rows = []
    for scenario in args.scenarios.split(","):
        pairs = [(summary(scenario, seed, args.days, both),
                  summary(scenario, seed, args.days, [*both, "policy/residence=kashgar"]))
                 for seed in range(1, args.seeds + 1)]
        for key in KEYS:
            base = np.array([a.get(key, 0.0) for a, _ in pairs], dtype=float)
            reform = np.array([b.get(key, 0.0) for _, b in pairs], dtype=float)
            diff = reform - base
            sem = stats.sem(diff)
            low, high = (stats.t.interval(0.95, len(diff) - 1, loc=diff.mean(), scale=sem)
                         if sem > 0 else (diff.mean(), diff.mean()))
            rows.append(dict(scenario=scenario, measure=key, seeds=len(diff),
                             baseline=base.mean(), kashgar=reform.mean(), diff=diff.mean(),
                             ci_low=low, ci_high=high))
    table = pd.DataFrame(rows)
    table.to_csv(HERE / f"{name}.csv", index=False)
    lines = ["| " + " | ".join(table.columns) + " |", "|" + "---|" * len(table.columns)]
    lines += ["| " + " | ".join(f"{v:.4g}" if isinstance(v, float) else str(v) for v in row)
              + " |" for row in table.itertuples(index=False)]
    (HERE / f"{name}.md").write_text("\n".join(lines) + "\n")
    print(table.to_string(index=False))


if __name__ == "__main__":
    main()

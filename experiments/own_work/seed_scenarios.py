"""The seed scenarios with the typical township's own work: do the reported directions hold?

    python experiments/own_work/seed_scenarios.py [OUT_DIR] [--seeds N] [--days D]

The scenarios of the five reports (henan_county, qujing_county, puge, baotou_street,
yangting_town) have no work of the township's own: no report gives the hours a township spends
on its statutory duties, its service hall or its grids. ``typical_county`` has them from public
figures and assumptions (``configs/scenario/typical_county.yaml``). Here each seed scenario runs
without that block, with it added on top of the scenario's own calibration (:data:`OWN_WORK`: own
statutory work, four service-centre windows, two grids a village), and with it and the tasks from
above scaled down as ``typical_county`` scaled its own when the block was added (2.3 to 1.1 a
department a township a week, :data:`TASK_SCALE`), at baseline and under the reform its report
describes, on the same seeds (common random numbers). For each, the paired difference reform
minus baseline (mean and 95% t-interval over the seeds,
:func:`sim.measures.definitions.t_interval`) shows whether the direction the report gives still
comes out when the township has work of its own.

Writes ``seed_scenarios.csv`` (one row per run) and ``seed_scenarios.md`` to OUT_DIR (default:
this folder).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from sim.api import compose_config, make_model
from sim.measures.metrics import summarize, task_table

sys.path.insert(0, str(Path(__file__).parent))
from study import interval  # noqa: E402  (the same folder's study)

#: The typical county's own-work block (configs/scenario/typical_county.yaml), as overrides.
OWN_WORK = ["scenario.own_work_per_township_week=35.1", "scenario.own_work_per_10k_people_week=2",
            "scenario.own_work_effort_mean_hours=8", "scenario.own_work_deadline_days=10",
            "scenario.service_centre_windows=4", "scenario.service_centre_hours_per_day=8",
            "scenario.service_centre_max_effort_hours=1.5", "scenario.grids_per_village=2",
            "scenario.grid_hours_per_week=5"]
#: typical_county's tasks from above with its own work, over those without (1.1 / 2.3).
TASK_SCALE = 1.1 / 2.3
#: The variants of each scenario: label, and whether own work is on and tasks scaled.
VARIANTS = (("without", False, False), ("with", True, False),
            ("with, tasks x 0.48", True, True))
#: Each seed scenario, the reform its report describes, and the report.
REFORMS = {
    "henan_county": (["policy/posts=henan"], "000"),
    "qujing_county": (["policy/posts=qujing"], "002"),
    "puge": (["reform=puge"], "004"),
    "baotou_street": (["policy/secondment=banned"], "003"),
    "yangting_town": (["policy/secondment=banned"], "003"),
}
#: Figures compared (summary keys), lower is better except the service share.
FIGURES = ("overload_index_mean", "resolution_hours_mean", "on_time_share_due",
           "hours_per_cadre_week", "service_share")


def measure(scenario: str, overrides: list[str], seed: int, days: int) -> dict:
    """One run's figures."""
    model = make_model(scenario, seed=seed, days=days, overrides=overrides)
    model.run()
    s = summarize(model, task_table(model))
    model.close()
    shares = s["hours_share"]
    return {**{f: s[f] for f in FIGURES[:-1]},
            "service_share": shares["service"] + shares["cross_department"]
            + shares.get("service_centre", 0.0)}


def main() -> None:
    """Run every scenario with and without own work, at baseline and reformed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", type=Path, default=Path(__file__).parent)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--days", type=int, default=365)
    args = parser.parse_args()
    rows = []
    for scenario, (reform, _) in REFORMS.items():
        tasks = compose_config([f"scenario={scenario}"]).scenario.tasks_per_department_township_week
        for variant, own, scaled in VARIANTS:
            base = [*(OWN_WORK if own else []), *(
                [f"scenario.tasks_per_department_township_week={tasks * TASK_SCALE:.4f}"]
                if scaled else [])]
            for arm, overrides in (("baseline", []), ("reform", reform)):
                for seed in range(1, args.seeds + 1):
                    run = measure(scenario, base + overrides, seed, args.days)
                    rows.append({"scenario": scenario, "variant": variant, "arm": arm,
                                 "seed": seed, "tasks_per_department_township_week":
                                 tasks * TASK_SCALE if scaled else tasks, **run})
    runs = pd.DataFrame(rows)
    args.out.mkdir(parents=True, exist_ok=True)
    runs.to_csv(args.out / "seed_scenarios.csv", index=False)
    lines = [f"Seeds 1-{args.seeds}, {args.days} days. Baseline level, then the reform's paired "
             "difference (reform - baseline, mean [95% t-interval]).", "",
             "| scenario (report), reform | own work | " + " | ".join(FIGURES) + " |",
             "|---" * (len(FIGURES) + 2) + "|"]
    for scenario, (reform, report) in REFORMS.items():
        for variant, _, _ in VARIANTS:
            part = runs[(runs["scenario"] == scenario) & (runs["variant"] == variant)]
            base = part[part["arm"] == "baseline"].set_index("seed")
            reformed = part[part["arm"] == "reform"].set_index("seed")
            cells = [f"{base[f].mean():.3g}; {interval((reformed[f] - base[f]).to_numpy(), '+.3g')}"
                     for f in FIGURES]
            lines.append(f"| `{scenario}` ({report}), `{' '.join(reform)}` | "
                         f"{variant} | " + " | ".join(cells) + " |")
    (args.out / "seed_scenarios.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

"""Re-allocation of township posts (seed 002) by population and by workload.

    .venv/bin/python -m sim.analysis.lever_effects --levers reallocation --seeds 10 \
        --scenario typical_county --out experiments/reallocation/effects  # none, qujing
    .venv/bin/python experiments/reallocation/study.py  # adds workload; writes study.md/csv

The second command runs ``policy/reallocation=workload`` on the same seeds and days, adds those
runs to ``effects/runs.csv`` and computes every group's paired differences against ``none``
with :func:`sim.analysis.lever_effects.paired_effects` (Student's t over seeds, scipy.stats).
The scenario is ``--scenario`` (default ``typical_county``, today's default county, with the
township's own work, on which the committed figures were measured; ``typical_county_tasks_only``
runs the former default); the first command must name the same one.
"""

import argparse
from pathlib import Path

import pandas as pd
from joblib import Parallel, delayed

from sim.analysis.lever_effects import markdown, paired_effects, run_one

HERE = Path(__file__).parent
SCENARIO = "typical_county"
GROUPS = {"workload": ["policy/reallocation=workload"]}

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default=SCENARIO)
    scenario = parser.parse_args().scenario
    runs = pd.read_csv(HERE / "effects" / "runs.csv")
    seeds = sorted(runs["seed"].unique().tolist())
    jobs = [(group, seed) for group in GROUPS for seed in seeds]
    results = Parallel(n_jobs=2)(delayed(run_one)(scenario, seed, 365, GROUPS[group])
                                 for group, seed in jobs)
    extra = pd.DataFrame([{"group": g, "seed": s, **r}
                          for (g, s), r in zip(jobs, results, strict=True)])
    runs = pd.concat([runs[~runs["group"].isin(GROUPS)], extra], ignore_index=True)
    effects = paired_effects(runs)
    runs.to_csv(HERE / "study_runs.csv", index=False)
    effects.to_csv(HERE / "study.csv", index=False)
    (HERE / "study.md").write_text(markdown(effects, scenario, seeds, 365))
    print((HERE / "study.md").read_text())

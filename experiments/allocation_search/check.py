"""Check the allocation found by the Optuna search against the three fixed rules.

    python experiments/allocation_search/check.py [--scenario typical_county]

Runs the search's seed and eight fresh seeds (out of sample) for each rule with the same 210
posts, and prints the worst township's overload index (the search's objective) and the mean.
The scenario is ``--scenario`` (default ``typical_county``, today's default county, with the
township's own work, on which the search and its check were run; ``typical_county_tasks_only``
runs the former default); it must be the one the search ran on.
"""

import argparse

import numpy as np
import yaml

from sim.api import make_model
from sim.measures.metrics import summarize

#: The county the committed search and check were run on (today's default).
SCENARIO = "typical_county"
parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--scenario", default=SCENARIO)
scenario = parser.parse_args().scenario

best = yaml.safe_load(open("multirun/allocation_search/optimization_results.yaml"))["best_params"]
rules = {
    "equal": ["policy.posts.allocation=equal"],
    "population": ["policy.posts.allocation=population"],
    "workload (by need)": ["policy.posts.allocation=workload"],
    "searched score": ["policy.posts.allocation=score", *(f"{k}={v}" for k, v in best.items())],
}
print("| rule | worst township, search seed | worst township, 8 new seeds (mean) "
      "| mean overload, 8 new seeds |")
print("|---|---|---|---|")
for name, overrides in rules.items():
    args = ["policy/posts=sink", "policy.posts.total=210", *overrides]
    results = []
    for seed in [20240328, *range(100, 108)]:
        model = make_model(scenario, seed=seed, overrides=args)
        model.run()
        s = summarize(model)
        results.append((s["overload_index_max"], s["overload_index_mean"]))
    r = np.array(results)
    print(f"| {name} | {r[0, 0]:.3f} | {r[1:, 0].mean():.3f} | {r[1:, 1].mean():.3f} |")

"""Issue 11 before/after figures: per scenario x policy (baseline, six reforms) x seeds 1-5, one JSON line each.

    python experiments/reach_residents/figures.py OUT.jsonl [scenario,scenario,...]
"""
import json, sys
import numpy as np
from sim.api import make_model
from sim.measures.metrics import summarize, _hours_since
MIX = ["policy/posts=sink", "policy/secondment=regulated", "policy/meetings=cut",
       "policy/coordination=whistle", "policy/tasks=access_list", "policy/pay=premium"]
SC = sys.argv[2].split(",") if len(sys.argv) > 2 else [
    "typical_county", "henan_county", "baotou_street", "qujing_county", "yangting_town", "puge"]
out = open(sys.argv[1], "a")
for sc in SC:
    for pol, ov in (("baseline", []), ("reforms", MIX)):
        for seed in range(1, 6):
            m = make_model(sc, seed=seed, overrides=ov)
            m.run()
            s = summarize(m)
            hours = _hours_since(m, 0)
            cadre_days = sum(t.cadre_days for t in m.townships)
            row = {"scenario": sc, "policy": pol, "seed": seed,
                   "hours_per_cadre_week": float(np.sum(hours) / cadre_days * 5),
                   **{k: s.get(k) for k in ("hours_share", "resolution_hours_mean", "on_time_share",
                      "resolution_by_kind", "resolution_hours_by_kind", "overload_index_mean",
                      "cadres_over_50h_share", "department_utilisation")},
                   **{k: v for k, v in s.items() if any(w in k for w in ("visit", "escalat", "proactive"))}}
            out.write(json.dumps(row, default=str) + "\n"); out.flush()

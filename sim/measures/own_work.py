"""What a run measures of the township's own work (issue 11, item 9).

Own statutory work (items of kind ``own_work``, :func:`sim.demand.own_work`): how many arrived,
were resolved and met their deadline, and how long they took (Kaplan-Meier, open items
censored, as for residents' requests in :mod:`sim.measures.resolution`); residents' simple
requests settled at the service-centre windows (:class:`sim.agents.duties.TownshipDuties`).
Their hours are in the summary's ``hours_share`` (``own_work``, ``service_centre``, ``grid``).
A run without own work and without windows has none of these keys, so its summary is as before.
"""

from __future__ import annotations

import pandas as pd

from sim.measures.definitions import deadline_met
from sim.measures.resolution import km_quantiles


def own_work_summary(model, tasks: pd.DataFrame, warmup_days: int = 0) -> dict:
    """The summary's own-work figures (empty when the run has neither own work nor windows)."""
    out = {}
    duties = model.townships.duties
    if duties is not None and duties.windows > 0:
        out["service_centre_requests_served"] = int(duties.served.sum())
    own = tasks[(tasks["kind"] == "own_work") & (tasks["arrival"] >= warmup_days * 24.0)]
    if not len(own):
        return out
    end = model.day * 24.0
    resolved = (own["status"] == "resolved").to_numpy()
    hours = own["resolution_hours"].to_numpy()
    p50, p90 = km_quantiles(hours[resolved], end - own["arrival"].to_numpy()[~resolved])
    due = own["deadline"].to_numpy() <= end
    met = resolved & deadline_met(own["finish"].to_numpy(), own["deadline"].to_numpy())
    return {
        **out,
        "own_work_arrived": int(len(own)),
        "own_work_resolved": int(resolved.sum()),
        "own_work_on_time_share_due": float(met[due].mean()) if due.any() else float("nan"),
        "own_work_resolution_hours_km_p50": p50,
        "own_work_resolution_hours_km_p90": p90,
        "own_work_resolution_hours_mean": (float(hours[resolved].mean()) if resolved.any()
                                           else float("nan")),
    }

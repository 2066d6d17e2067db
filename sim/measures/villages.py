"""What a run measures of villages, latent needs and proactive work (issue 11, items 1 and 6).

Derived from the arrays of :class:`sim.agents.villages.Villages` (every need's state, visits and
hours by village and township); definitions in :mod:`sim.measures.definitions`. A run without
latent needs (``scenario.latent_needs_per_1000_people_day: 0``, today's model) has none of these
keys, so its summary is as before.
"""

from __future__ import annotations

import numpy as np

from sim.agents.villages import Need
from sim.measures.definitions import found_early_share, hours_per_cadre_week, visit_coverage


def period_coverage(villages, days: int, period_days: int) -> float:
    """Mean visit coverage over the run's whole periods of ``period_days``.

    A run shorter than one period is one period of its own length.
    """
    periods = max(days // period_days, 1)
    length = min(period_days, days)
    return float(np.mean([visit_coverage(villages.visits_by_day[p * length:(p + 1) * length]
                                         .sum(axis=0), villages.households)
                          for p in range(periods)]))


def village_summary(model) -> dict:
    """The summary's village figures (empty when no latent needs arise in the run)."""
    villages = model.villages
    if not villages.active:
        return {}
    state = villages.need_state[: villages.arisen]
    counts = {need: int(np.count_nonzero(state == need)) for need in Need}
    cadre_days = sum(t.cadre_days for t in model.townships)
    return {
        "villages": len(villages),
        "households": int(villages.households.sum()),
        "visit_coverage": period_coverage(villages, model.day,
                                          model.scenario.visit_period_days),
        "household_visits": int(villages.visits.sum()),
        "needs_arisen": int(villages.arisen),
        "needs_latent_end": counts[Need.LATENT],
        "needs_found_early": counts[Need.FOUND],
        "needs_reported": counts[Need.REPORTED],
        "needs_escalated": counts[Need.ESCALATED],
        "needs_found_early_share": found_early_share(counts[Need.FOUND], counts[Need.REPORTED],
                                                     counts[Need.ESCALATED]),
        "proactive_hours": float(villages.proactive_hours.sum()),
        # Apart from hours_per_cadre_week and the hours shares (hours worked on mandatory work,
        # the queue and secondments): proactive work is done in idle regular hours.
        "proactive_hours_per_cadre_week": hours_per_cadre_week(villages.proactive_hours.sum(),
                                                               cadre_days),
        "township_plaque_hours": float(villages.township_burden_hours.sum()),
        "village_visit_hours": float(villages.village_hours.sum()),
        "village_plaque_hours": float(villages.village_burden_hours.sum()),
    }

"""Village-resident cadres (驻村干部; seeds 004, 003).

Puge (seed 004) sent 216 cadres to live and work in all 81 of its administrative villages;
Kashgar's townships (seed 003) rotate half their cadres to the villages. Here resident cadres
come from above the township (as Puge's selection does): they add ``hours_per_day`` each of
village work (visits door to door, the committee's ledgers) in every village on a working day
(:mod:`sim.agents.villages`), without taking hours from the township's queue. Kashgar's rotation
of the township's own cadres is not modelled (it would take hours from the township's day).
"""

from __future__ import annotations

from sim.config import ResidencePolicy


class VillageResidence:
    """Hours resident cadres add to each village's work on a working day.

    Args:
        policy: Residents per village and their hours.
    """

    def __init__(self, policy: ResidencePolicy):
        """Compute the hours once."""
        self.residents_per_village = policy.residents_per_village
        self.hours_per_village_day = policy.residents_per_village * policy.hours_per_day

"""Clearing plaques and burdens of village committees (清牌子、减担子; seeds 002, 004).

A village committee keeps plaques of institutions and duties, issues certificates and fills
ledgers (挂牌, 证明): Qujing (seed 002) removed about 10 plaques a village and limited the work
routed to villages to a list of 13 categories and 43 items, so that village cadres have more
time to serve residents; Puge (seed 004) cleared more than 560 plaques and signs at township and
village level. Each plaque a village keeps costs its committee
``scenario.plaque_committee_hours_week`` and the township ``scenario.plaque_township_hours_week``;
the lever clears ``cleared_per_village`` of them. The freed hours go to visits
(:mod:`sim.agents.villages`).
"""

from __future__ import annotations

from sim.agents.villages import WORKING_DAYS_PER_WEEK
from sim.config import PlaquesPolicy, ScenarioConfig


class PlaqueClearing:
    """The plaques each village keeps, and the hours they cost on a working day.

    Args:
        scenario: Today's plaques per village and their weekly hours.
        policy: Plaques cleared per village.
    """

    def __init__(self, scenario: ScenarioConfig, policy: PlaquesPolicy):
        """Compute the remaining plaques and their daily hours once."""
        self.remaining_per_village = max(scenario.plaques_per_village
                                         - policy.cleared_per_village, 0.0)
        self.committee_hours_per_village_day = (self.remaining_per_village
                                                * scenario.plaque_committee_hours_week
                                                / WORKING_DAYS_PER_WEEK)
        self.township_hours_per_village_day = (self.remaining_per_village
                                               * scenario.plaque_township_hours_week
                                               / WORKING_DAYS_PER_WEEK)

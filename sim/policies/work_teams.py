"""County work teams sent to villages (基层治理工作队; seed 002, Qujing).

Qujing (seed 002) sent 5,147 members of grassroots-governance work teams, drawn from county and
city cadres, village-resident teams and township cadres, to all 1,688 villages and communities;
a community's party secretary says the added hands left its cadres more time for residents.
Members add ``hours_per_day`` each of village work in every village on a working day
(:mod:`sim.agents.villages`); the rest of their day goes to rural revitalisation and projects.

:class:`AddedHands` is the one implementation of hands sent from above to every village, shared
with the resident cadres of :mod:`sim.policies.residence`.
"""

from __future__ import annotations

from sim.config import WorkTeamsPolicy


class AddedHands:
    """Hands sent from above the township to every village, and their hours on a working day.

    Args:
        per_village: People sent to each village.
        hours_per_day: Hours each gives to village work on a working day.
    """

    def __init__(self, per_village: float, hours_per_day: float):
        """Compute the hours once."""
        self.per_village = per_village
        self.hours_per_village_day = per_village * hours_per_day


class WorkTeams(AddedHands):
    """Hours work-team members add to each village's work on a working day.

    Args:
        policy: Members per village and their hours.
    """

    def __init__(self, policy: WorkTeamsPolicy):
        """Compute the hours once."""
        super().__init__(policy.members_per_village, policy.hours_per_day)
        self.members_per_village = policy.members_per_village

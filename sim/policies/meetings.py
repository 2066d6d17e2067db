"""Mandatory work and its cuts: meetings, documents, inspections, chat groups (精文减会).

Mandatory work is taken off a cadre's day before any service work (DESIGN.md section 3). Before
the reform a cadre sits in several meetings a week, each with a round trip to the county seat,
writes reports, prepares and hosts ad hoc inspections, and reads 10-40 work chat groups. Puge
(seed 004) merged meetings, sent deputies or staff to routine ones, closed 35 chat groups and
replaced ad hoc inspections with unified ones; public reporting puts the cuts at 35-40%.
"""

from __future__ import annotations

import numpy as np

from sim.config import MeetingsPolicy, ScenarioConfig
from sim.kernels.columns import Mandatory


class MandatoryWork:
    """Draws each cadre's mandatory hours for a working day.

    Args:
        scenario: Pre-reform levels of meetings, documents, inspections and chat groups.
        policy: The cuts in force.
        rng: The ``overhead`` stream.
    """

    def __init__(self, scenario: ScenarioConfig, policy: MeetingsPolicy, rng: np.random.Generator):
        """Combine the scenario's levels with the policy's cuts."""
        self.rng = rng
        self.enabled = not scenario.pure_queue
        keep = 1.0 - policy.meeting_cut
        self.meetings_per_day = scenario.meetings_per_cadre_week * keep / 5.0
        # Routine meetings go to deputies and staff: leaders attend no more than others (004).
        self.leader_multiplier = (
            1.0 if policy.deputies_attend_routine else scenario.leader_meeting_multiplier
        )
        self.meeting_hours = scenario.meeting_hours
        self.in_person_share = scenario.in_person_share * (1.0 - policy.video_share)
        self.travel_speed_kmh = scenario.travel_speed_kmh
        self.document_hours_per_day = (
            scenario.document_hours_per_cadre_week * (1.0 - policy.document_cut) / 5.0
        )
        batch = policy.inspection_batch_factor if policy.unified_inspections else 1.0
        self.inspections_per_day = (scenario.inspections_per_township_month * batch * 12
                                    / scenario.working_days_per_year)
        self.inspection_hours = scenario.inspection_hours_per_cadre
        self.chat_hours_per_day = (
            scenario.chat_groups_per_cadre
            * (1.0 - policy.chat_group_cut)
            * scenario.chat_hours_per_group_day
        )

    def hours(self, unit: np.ndarray, leader: np.ndarray, distance_km: np.ndarray) -> np.ndarray:
        """Hours of (meetings, documents, inspections, chat groups) for each cadre on duty.

        Args:
            unit: Township index of each cadre.
            leader: Whether each cadre holds a leadership post.
            distance_km: Distance of every township to the county seat.

        Returns:
            Array of shape (4, len(unit)), rows named by ``Mandatory``.
        """
        n = len(unit)
        out = np.zeros((len(Mandatory), n))
        if not self.enabled or n == 0:
            return out
        rng = self.rng
        rate = self.meetings_per_day * np.where(leader, self.leader_multiplier, 1.0)
        travel = 2.0 * distance_km[unit] / self.travel_speed_kmh
        out[Mandatory.MEETINGS] = rng.poisson(rate) * (
            self.meeting_hours + self.in_person_share * travel)
        if self.document_hours_per_day:
            out[Mandatory.DOCUMENTS] = rng.exponential(self.document_hours_per_day, n)
        # An inspection falls on a whole township: every cadre on duty prepares and hosts it.
        inspections = rng.poisson(self.inspections_per_day, len(distance_km))
        out[Mandatory.INSPECTIONS] = inspections[unit] * self.inspection_hours
        out[Mandatory.CHAT_GROUPS] = self.chat_hours_per_day
        return out

"""Mandatory work and its cuts: meetings, documents, inspections, chat groups (精文减会).

Mandatory work is taken off a cadre's day before any service work (DESIGN.md section 3). Before
the reform a cadre sits in several meetings a week, each with a round trip to the county seat,
writes reports, prepares and hosts ad hoc inspections, and reads 10-40 work chat groups. Puge
(seed 004) merged meetings, sent deputies or staff to routine ones, closed 35 chat groups and
replaced ad hoc inspections with unified ones; public reporting puts the cuts at 35-40%.

Formalism is charged per head and per unit. Per head: a cadre's own meetings, documents and share
of an inspection. Per unit: routine business meetings the township is called to (it sends
``routine_meeting_attendees`` cadres, one under Puge's rule that a designated deputy or staff
member goes, 004), documents issued to the township, and the preparation an inspection costs the
township as a whole; these are shared among the cadres on duty, so added staff do not add them.
"""

from __future__ import annotations

import numpy as np

from sim.config import MeetingsPolicy, ScenarioConfig
from sim.kernels.columns import Mandatory
from sim.kernels.mandatory import CrewTerms, Rates, draw_mandatory


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
        self.routine_per_day = scenario.routine_meetings_per_township_week * keep / 5.0
        self.routine_attendees = (policy.routine_attendees if policy.deputies_attend_routine
                                  else scenario.routine_meeting_attendees)
        self.meeting_hours = scenario.meeting_hours
        self.in_person_share = scenario.in_person_share * (1.0 - policy.video_share)
        self.travel_speed_kmh = scenario.travel_speed_kmh
        self.document_hours_per_day = (
            scenario.document_hours_per_cadre_week * (1.0 - policy.document_cut) / 5.0
        )
        self.unit_document_hours_per_day = (
            scenario.document_hours_per_township_week * (1.0 - policy.document_cut) / 5.0
        )
        batch = policy.inspection_batch_factor if policy.unified_inspections else 1.0
        self.inspections_per_day = (scenario.inspections_per_township_month * batch * 12
                                    / scenario.working_days_per_year)
        self.inspection_hours = scenario.inspection_hours_per_cadre
        self.unit_inspection_hours = scenario.inspection_hours_per_township
        self.chat_hours_per_day = (
            scenario.chat_groups_per_cadre
            * (1.0 - policy.chat_group_cut)
            * scenario.chat_hours_per_group_day
        )
        #: The rates as the compiled draw takes them (``sim/kernels/mandatory.py``).
        self.rates = Rates(routine=bool(self.routine_per_day),
                           document_hours=float(self.document_hours_per_day),
                           unit_document_hours=float(self.unit_document_hours_per_day),
                           inspections=float(self.inspections_per_day),
                           chat_hours=float(self.chat_hours_per_day))

    def hours(self, crew: CrewTerms) -> np.ndarray:
        """Hours of (meetings, documents, inspections, chat groups) for each cadre on duty.

        Per-head parts are drawn for each cadre; per-unit parts (routine meetings, the
        township's documents and inspection preparation) are drawn for each township and shared
        among its cadres on duty: a routine meeting's attendees are drawn in proportion to the
        meeting weight (leaders ``leader_meeting_multiplier``), so a township's expected routine
        attendance is ``min(attendees, on duty)`` per meeting, whatever its staff.

        Args:
            crew: The crew's terms (:meth:`crew_terms`), which the townships keep until their
                roster changes.

        Returns:
            Array of shape (len(Mandatory), cadres on duty), rows named by ``Mandatory`` (the
            township duties' rows are left at zero: sim/agents/duties.py).
        """
        out = np.zeros((len(Mandatory), len(crew.unit)))
        if self.enabled and len(crew.unit):
            draw_mandatory(self.rng, crew, self.rates, out)
        return out

    def crew_terms(self, unit: np.ndarray, leader: np.ndarray,
                   distance_km: np.ndarray) -> CrewTerms:
        """The parts of :meth:`hours` that only the crew sets: rates, travel and shares.

        Args:
            unit: Township index of each cadre on duty.
            leader: Whether each cadre holds a leadership post.
            distance_km: Distance of every township to the county seat.
        """
        n_townships = len(distance_km)
        weight = np.where(leader, self.leader_multiplier, 1.0)
        travel = 2.0 * distance_km[unit] / self.travel_speed_kmh
        on_duty = np.bincount(unit, minlength=n_townships)
        routine = np.zeros(len(unit))
        if self.routine_per_day:
            attendance = self.routine_per_day * np.minimum(self.routine_attendees, on_duty)
            weight_sum = np.bincount(unit, weight, minlength=n_townships)[unit]
            # Shares of the attendance by weight; equal shares where every weight is 0 (leaders
            # alone on duty with leader_meeting_multiplier = 0).
            routine = np.divide(attendance[unit] * weight, weight_sum,
                                out=attendance[unit] / on_duty[unit], where=weight_sum > 0)
        return CrewTerms(
            unit=unit, n_townships=n_townships, meetings=self.meetings_per_day * weight,
            routine=routine,
            per_meeting=self.meeting_hours + self.in_person_share * travel,
            on_duty=on_duty[unit],
            inspection=self.inspection_hours + self.unit_inspection_hours / on_duty[unit])

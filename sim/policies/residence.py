"""Village-resident cadres (驻村干部; seeds 004, 003): sent from above, and rotated from below.

Two kinds of cadre live and work in the villages:

- **Sent from above** (Puge, seed 004: 216 cadres for its 81 administrative villages): they add
  ``hours_per_day`` each of village work (visits door to door, the committee's ledgers) in every
  village on a working day (:mod:`sim.agents.villages`), without taking hours from the township
  (:class:`~sim.policies.work_teams.AddedHands`, shared with the county work teams).
- **Rotated from the township's own cadres** (轮换下沉; Kashgar, seed 003: half of a township's
  cadres rotate down to the villages to serve residents, which left the township stretched
  until its secondees came back). Each day ``rotation_share`` of each township's cadres on duty
  (not leaders, not seconded) are in the villages, in turns of ``rotation_days``: turn ``k``
  takes the next of them in the township's roster, in slot order, so who is away changes. A
  rotated cadre is off the township's crew (:meth:`Townships._crew_of_roster
  <sim.agents.township.Townships._crew_of_roster>`): no mandatory work, no queue, and no night or
  weekend duty, since it lives in the village, away from the township seat (an assumption: seed
  003 says where they live and work, not who keeps the township's duty). On a working day it
  gives ``rotation_hours_per_day`` to its township's village work, split among the villages by
  households like the township's proactive hours; those hours, and its cadre-days, are booked
  here, once (not in the township's hours by category nor in its cadre-days), and in its weekly
  hours.
"""

from __future__ import annotations

import numpy as np

from sim.agents.cadre import NOT_SECONDED
from sim.config import ResidencePolicy
from sim.measures.definitions import hours_per_cadre_week
from sim.policies.work_teams import AddedHands


class VillageResidence(AddedHands):
    """Resident cadres from above, and the rotation of the township's own cadres.

    Args:
        policy: Residents per village and their hours; the rotation's share, turn and hours.
        townships: Number of townships.
        pure_queue: A pure queue (the M/M/c check) rotates nobody.
    """

    def __init__(self, policy: ResidencePolicy, townships: int = 0, pure_queue: bool = False):
        """Compute the residents' hours once; no cadre is rotated yet."""
        super().__init__(policy.residents_per_village, policy.hours_per_day)
        self.residents_per_village = policy.residents_per_village
        self.rotation_share = 0.0 if pure_queue else policy.rotation_share
        self.rotation_days = policy.rotation_days
        self.rotation_hours_per_day = policy.rotation_hours_per_day
        self.n_townships = townships
        #: Per township: rotated cadres' hours of village work today (a working day), so far,
        #: and their cadre-days of working days so far.
        self.township_hours_today = np.zeros(townships)
        self.rotation_hours = np.zeros(townships)
        self.rotation_cadre_days = np.zeros(townships, dtype=np.int64)

    @property
    def rotating(self) -> bool:
        """Whether any of the township's own cadres rotate to the villages."""
        return self.rotation_share > 0

    def rotated_slots(self, roster, day: int) -> np.ndarray:
        """Mask of the slots whose holders are in the villages on ``day``.

        Per township, ``round(rotation_share * n)`` of its ``n`` cadres on duty, not leaders
        and not seconded, in slot order: turn ``k = day // rotation_days`` takes places
        ``k * r .. k * r + r - 1`` (mod ``n``) of them, ``r`` the number rotated.
        """
        n_townships = self.n_townships
        eligible = np.flatnonzero(roster.occupied & (roster.unit < n_townships)
                                  & ~roster.leader & (roster.seconded_to == NOT_SECONDED))
        eligible = eligible[np.argsort(roster.unit[eligible], kind="stable")]
        unit = roster.unit[eligible]
        n = np.bincount(unit, minlength=n_townships)
        r = np.floor(self.rotation_share * n + 0.5).astype(np.int64)
        place = np.arange(len(eligible)) - np.searchsorted(unit, unit)
        turn = day // self.rotation_days
        mask = np.zeros(len(roster), dtype=bool)
        mask[eligible] = (place - turn * r[unit]) % np.maximum(n[unit], 1) < r[unit]
        return mask

    def start_day(self, model, day: int) -> None:
        """Rotate the day's cadres to the villages; on a working day, book their hours."""
        if not self.rotating:
            return
        roster = model.roster
        rotated = self.rotated_slots(roster, day)
        roster.rotate(rotated)
        self.township_hours_today[:] = 0.0
        if not model.working[day]:
            return
        count = np.bincount(roster.unit[rotated], minlength=self.n_townships)
        self.township_hours_today[:] = count * self.rotation_hours_per_day
        self.rotation_hours += self.township_hours_today
        self.rotation_cadre_days += count
        roster.week_hours[rotated] += self.rotation_hours_per_day

    def summary_figures(self) -> dict:
        """The rotation's cadre-days and village hours (none without a rotation)."""
        if not self.rotating:
            return {}
        return {
            "rotation_cadre_days": int(self.rotation_cadre_days.sum()),
            "rotation_hours": float(self.rotation_hours.sum()),
            "rotation_hours_per_cadre_week": hours_per_cadre_week(
                self.rotation_hours.sum(), self.rotation_cadre_days.sum()),
        }

"""One enforcement team in each township (一支队伍管执法, 综合行政执法).

Seed 001 (Zhucheng) set up a comprehensive enforcement body in each of its 13 towns and had the
departments' stationed staff and the township's own work as one team; seed 002 (Qujing)
delegated 26 enforcement and approval items to townships; seed 004 (Puge) built 13 township
teams and 197 cadres won enforcement certificates after 630 person-times of training and 6 exams.

How enforcement matters appear: a share (``enforcement_share``) of the cross-department cases
are enforcement matters, and a share of those (``delegated_share``) fall within the powers
delegated to the township. Today every case goes to its county departments after the township's
own part (``sim/policies/coordination.py``). Under the reform the township's team keeps a
delegated matter and does the enforcement part itself (one item in the township's queue of
``effort_multiplier`` times a department's part): no department is asked, so there is no
answer delay and no bounce, and the request is resolved when the team's item is done.

Only certified staff may handle matters: certificates are won in ``certification_rounds`` equal
exam rounds spread over ``certification_months`` (none before the first exam), and the team
keeps a matter only while its certified staff's hours of the week
(``hours_per_certified_week`` each) last; the other matters are referred as before. Each round's
training and exam hours are booked in the township's queue when it is passed.

Which cases are enforcement matters, and the hours of the team's part, are drawn up front from
the ``enforcement`` stream (one row per case, whatever the policy), so runs with and without the
team meet the same matters (common random numbers).
"""

from __future__ import annotations

import numpy as np

from sim.config import EnforcementPolicy, ScenarioConfig
from sim.demand import Arrivals
from sim.kernels.answers import TEAM_PART
from sim.kernels.columns import TOWNSHIP_PART, Kind

__all__ = ["TEAM_PART", "EnforcementTeam"]

HOURS_PER_WEEK = 7 * 24.0


class EnforcementTeam:
    """The township enforcement teams: which cases they keep, and their certification.

    Args:
        scenario: The county's days per month and department part effort.
        policy: The reform's switch and parameters.
        rng: The ``enforcement`` stream.
        townships: Number of townships.
    """

    def __init__(self, scenario: ScenarioConfig, policy: EnforcementPolicy,
                 rng: np.random.Generator, townships: int):
        """Derive the certification schedule; the book of matters opens with the cases'."""
        self.on = bool(policy.team) and not scenario.pure_queue
        self.policy = policy
        self.rng = rng
        self.townships = townships
        self.round_days = policy.certification_months * scenario.days_per_month / max(
            policy.certification_rounds, 1)
        self.part_hours = scenario.department_part_effort_mean_hours * policy.effort_multiplier
        self.open(0)

    def open(self, n_cases: int) -> None:
        """Draw, for each of the run's ``n_cases`` cases, whether it is a delegated matter."""
        draws = self.rng.random((n_cases, 3)) if n_cases else np.zeros((0, 3))
        policy = self.policy
        self.matter = draws[:, 0] < policy.enforcement_share
        self.delegated = self.matter & (draws[:, 1] < policy.delegated_share)
        self.hours = -np.log1p(-draws[:, 2]) * self.part_hours
        self.kept = np.zeros(n_cases, dtype=bool)
        self._week = -1
        self._used = np.zeros(self.townships)

    def certified(self, day: float) -> float:
        """Certified cadres per township on ``day`` (rounds passed; none before the first)."""
        policy = self.policy
        rounds = min(int(day // self.round_days), policy.certification_rounds)
        return policy.certified_per_township * rounds / policy.certification_rounds

    def keep(self, cases: np.ndarray, k: np.ndarray, time: np.ndarray,
             township: np.ndarray) -> np.ndarray:
        """Which hand-overs the teams keep (in order, while the week's certified hours last).

        Only hand-overs of the township's own part (``k`` = ``TOWNSHIP_PART``) of delegated
        matters can be kept; ``township`` is each case's township.
        """
        keep = np.zeros(len(cases), dtype=bool)
        if not self.on:
            return keep
        for j in np.flatnonzero((k == TOWNSHIP_PART) & self.delegated[cases]):
            week = int(time[j] // HOURS_PER_WEEK)
            if week != self._week:
                self._week, self._used[:] = week, 0.0
            budget = self.certified(time[j] / 24.0) * self.policy.hours_per_certified_week
            t, c = township[j], cases[j]
            if self._used[t] + self.hours[c] <= budget:
                self._used[t] += self.hours[c]
                keep[j] = True
        self.kept[cases[keep]] = True
        return keep

    def training(self, *, townships: int, days: int, open_hour: float) -> Arrivals | None:
        """Each round's training and exam hours, one item per township on the day it is passed."""
        policy = self.policy
        if not self.on or policy.training_hours_per_certificate <= 0:
            return None
        per_round = policy.certified_per_township / policy.certification_rounds
        effort = per_round * policy.training_hours_per_certificate
        days_passed = np.ceil(self.round_days * np.arange(1, policy.certification_rounds + 1))
        days_passed = days_passed[days_passed < days]
        time = np.tile(days_passed * 24.0 + open_hour, townships)
        township = np.repeat(np.arange(townships), len(days_passed))
        n = len(time)
        return Arrivals(township=township, time=time, effort=np.full(n, effort),
                        kind=np.full(n, Kind.TASK, dtype=np.int8),
                        deadline=time + self.round_days * 24.0, extra={})

    def summary(self) -> dict:
        """Matters drawn, delegated and kept by the teams so far."""
        return {"matters": int(self.matter.sum()), "delegated": int(self.delegated.sum()),
                "kept": int(self.kept.sum())}

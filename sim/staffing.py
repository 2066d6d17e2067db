"""Fatigue, attrition, vacancies and hiring (DESIGN.md section 4).

Sustained overtime builds fatigue, a moving average of how much of the overtime cap a cadre uses.
Fatigue lowers productivity and raises the monthly hazard of leaving (a baseline of 1-2% a year,
public figures); the pay premium lowers it (seed 003). A cadre who leaves leaves a vacancy that is
filled after a hiring lag by a newcomer who ramps up over months.
"""

from __future__ import annotations

import numpy as np

from sim.agents.cadre import ATTRITION
from sim.config import ScenarioConfig


class Staffing:
    """Monthly attrition and daily hiring over the whole post ledger.

    Args:
        scenario: Hazards, fatigue response, hiring lag.
        townships: Number of townships (units below it are townships in the ledger).
        attrition_multiplier: The pay premium's effect on the hazard.
        attrition_rng: The ``attrition`` stream (one uniform per post each month).
        hiring_rng: The ``hiring`` stream (hiring lags).
    """

    def __init__(self, scenario: ScenarioConfig, *, townships: int, attrition_multiplier: float,
                 attrition_rng, hiring_rng):
        """Keep the rates."""
        self.enabled = not scenario.pure_queue
        self.township_units = townships
        self.monthly_hazard = scenario.attrition_rate_year / 12.0
        self.township_multiplier = attrition_multiplier
        self.fatigue_hazard_multiplier = scenario.fatigue_hazard_multiplier
        self.days_per_month = int(round(scenario.days_per_month))  # the monthly draw's cycle
        self.hiring_lag_days = scenario.hiring_lag_months * scenario.days_per_month
        self.attrition_rng = attrition_rng
        self.hiring_rng = hiring_rng

    def open_vacancies(self, roster, slots, day: int) -> None:
        """Start hiring for vacant ``slots``: each is filled after a hiring lag."""
        for slot in slots:
            roster.open_vacancy(int(slot), day, self.lag())

    def turnover(self, roster, day: int) -> None:
        """Fill due vacancies; on the first of each month, draw who leaves."""
        if not self.enabled:
            return
        due = np.flatnonzero(~roster.occupied & (roster.fill_day <= day))
        for slot in due:
            roster.hire(int(slot), day)
        if day % self.days_per_month or day == 0:
            return
        u = self.attrition_rng.random(len(roster))
        in_township = roster.unit < self.township_units
        hazard = self.monthly_hazard * np.where(
            in_township,
            (1.0 + self.fatigue_hazard_multiplier * roster.fatigue) * self.township_multiplier,
            1.0,
        )
        leaving = np.flatnonzero(roster.occupied & (u < hazard))
        for slot in leaving:
            roster.release(int(slot), day, ATTRITION)
            roster.open_vacancy(int(slot), day, self.lag())

    def lag(self) -> float:
        """Days until a vacancy is filled."""
        return float(self.hiring_rng.exponential(self.hiring_lag_days))

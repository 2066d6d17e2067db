"""Targeted training of township cadres (靶向培训; seeds 004, 001).

Puge (seed 004) ran 12 targeted courses with 680 person-times of attendance for its township
cadres; Zhucheng (seed 001) describes ageing staff whose skills lag the work. A course takes its
trainees off their day for its hours (before any service work, like a meeting, and booked with
the meetings' hours), and raises their productivity by a gain that halves every
``gain_half_life_days``. Courses fall evenly over the year, each on the next working day; each
takes ``trainee_share`` of the township cadres on duty that day, drawn at random or the least
productive first (newcomers still ramping up, the fatigued).
"""

from __future__ import annotations

import numpy as np

from sim.agents.cadre import NOT_SECONDED
from sim.config import ScenarioConfig, TrainingPolicy


class Training:
    """Schedules courses, picks the trainees and gives them their hours and gain.

    Args:
        scenario: Whether the run is a pure queue (no training there).
        policy: The programme.
        rng: The ``training`` stream.
        working: Which calendar days are working days.
    """

    def __init__(self, scenario: ScenarioConfig, policy: TrainingPolicy, rng, working):
        """Lay out the course days."""
        self.rng = rng
        self.policy = policy
        self.enabled = policy.courses_per_year > 0 and not scenario.pure_queue
        self.decay = 0.5 ** (1.0 / policy.gain_half_life_days)
        self.course_days = _course_days(policy.courses_per_year, np.asarray(working, dtype=bool))
        self.person_times = 0  # trainees over the run so far
        self.hours_given = 0.0  # hours asked of them (before the day's cap)

    def start_day(self, model, day: int) -> None:
        """End yesterday's course; if a course falls today, train its cadres."""
        if not self.enabled:
            return
        roster = model.roster
        roster.training_decay = self.decay
        roster.end_courses()
        if day not in self.course_days:
            return
        candidates = np.flatnonzero(roster.occupied & (roster.seconded_to == NOT_SECONDED)
                                    & (roster.unit < len(model.townships)))
        n = int(round(self.policy.trainee_share * len(candidates)))
        if n == 0:
            return
        if self.policy.selection == "least_productive":
            productivity = roster.productivity(candidates, day)
            picked = candidates[np.argsort(productivity, kind="stable")[:n]]
        else:
            picked = self.rng.choice(candidates, n, replace=False)
        roster.train(picked, day, self.policy.hours_per_course, self.policy.productivity_gain)
        self.person_times += n
        self.hours_given += n * self.policy.hours_per_course


def _course_days(courses: int, working: np.ndarray) -> frozenset[int]:
    """``courses`` a year, evenly spaced, each moved to the next working day (within the run)."""
    if courses <= 0 or len(working) == 0:
        return frozenset()
    interval = 365.0 / courses
    out = set()
    for k in range(int(np.ceil(len(working) / interval))):
        day = int(k * interval + interval / 2)
        while day < len(working) and not working[day]:
            day += 1
        if day < len(working):
            out.add(day)
    return frozenset(out)

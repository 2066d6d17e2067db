"""Secondment (借调) of township cadres to county departments, and the rules that limit it.

Seed 003: departments borrow township cadres for special projects (专班); a 3-month secondment
"ran to a year"; secondees "must do the work of both units". Weihai and Kashgar then capped a
secondment at 3 months, required re-approval for a renewal, and capped the total at 6 months;
from 2024 county organs may generally not borrow township staff at all, and Baotou returned its
street's secondees. Modes:

- ``unregulated``: a secondee stays for the project, and may stay on for the next one.
- ``regulated``: terms of ``term_months``; a renewal needs approval; at most
  ``max_cumulative_months`` in all.
- ``banned``: no new secondments; those in place return on the first day.

While seconded, a cadre works the borrowing department's day and still does a share of home work
after hours (the double burden), which counts as overtime and adds fatigue.
"""

from __future__ import annotations

import numpy as np

from sim.agents.cadre import NOT_SECONDED
from sim.config import ScenarioConfig, SecondmentPolicy


class SecondmentRule:
    """Starts and ends secondments under the rule in force.

    Args:
        scenario: Departments' demand for secondees (projects, sizes, lengths).
        policy: The rule in force.
        rng: The ``secondment`` stream.
        extension_multiplier: Pay premium's effect on the wish to stay on (seed 003).
    """

    def __init__(self, scenario: ScenarioConfig, policy: SecondmentPolicy, rng, *,
                 extension_multiplier: float = 1.0):
        """Keep the rule's parameters."""
        self.rng = rng
        self.mode = policy.mode
        self.enabled = not scenario.pure_queue
        self.term_days = policy.term_months * scenario.days_per_month
        self.max_days = policy.max_cumulative_months * scenario.days_per_month
        self.renewal_approval_probability = policy.renewal_approval_probability
        self.projects_per_day = scenario.projects_per_department_year / 365.0
        self.secondees_per_project = scenario.secondees_per_project
        self.project_days_mean = scenario.project_months_mean * scenario.days_per_month
        self.home_work_share = scenario.secondee_home_work_share
        self.regular_hours = scenario.regular_hours_per_day
        self.extension_probability = scenario.secondee_extension_probability * extension_multiplier

    def start_day(self, model, day: int) -> None:
        """End due secondments, then start the day's new projects' secondments."""
        if not self.enabled:
            return
        roster = model.roster
        seconded = roster.seconded_to != NOT_SECONDED
        roster.secondment_days[seconded] += 1.0
        if day == 0 and self.mode == "banned":
            model.roster.recall(np.flatnonzero(seconded))
        elif day == 0 and self.mode == "regulated":
            capped = np.minimum(roster.secondment_end[seconded], self.term_days)
            roster.secondment_end[seconded] = capped
        self._end_or_renew(model, day)
        self._start_projects(model, day)

    def _end_or_renew(self, model, day: int) -> None:
        roster = model.roster
        due = np.flatnonzero((roster.seconded_to != NOT_SECONDED) & (roster.secondment_end <= day))
        if len(due) == 0:
            return
        # Draws for every due secondee, whatever the mode, so streams stay aligned.
        stay = self.rng.random(len(due)) < self.extension_probability
        approved = self.rng.random(len(due)) < self.renewal_approval_probability
        more = self.rng.exponential(self.project_days_mean, len(due))
        for slot, wants, ok, extra in zip(due, stay, approved, more, strict=True):
            if self.mode == "unregulated" and wants:
                roster.secondment_end[slot] = day + extra
            elif (self.mode == "regulated" and wants and ok
                  and roster.secondment_days[slot] + self.term_days <= self.max_days):
                roster.secondment_end[slot] = day + self.term_days
            else:
                roster.recall([slot])

    def _start_projects(self, model, day: int) -> None:
        departments = model.departments
        starts = self.rng.random(len(departments)) < self.projects_per_day
        lengths = self.rng.exponential(self.project_days_mean, len(departments))
        for d in np.flatnonzero(starts):  # the project's work comes, whether or not it may borrow
            departments.start_project(d, self.secondees_per_project * self.regular_hours,
                                      day + lengths[d])
        if self.mode == "banned" or not starts.any():
            return
        roster = model.roster
        township_units = len(model.townships)
        for d in np.flatnonzero(starts):
            candidates = np.flatnonzero(
                roster.occupied & (roster.seconded_to == NOT_SECONDED) & ~roster.leader
                & (roster.unit < township_units)
            )
            if len(candidates) == 0:
                return
            picked = self.rng.choice(candidates, min(self.secondees_per_project, len(candidates)),
                                     replace=False)
            length = lengths[d] if self.mode == "unregulated" else min(lengths[d], self.term_days)
            if self.mode == "regulated":
                picked = picked[roster.secondment_days[picked] + length <= self.max_days]
            roster.second(picked, int(departments.units[d]), day, day + length)

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

The details of the rules (seed 003) apply in any mode, and their defaults change nothing: a
department's request goes ahead only with the lender's written consent (``consent_probability``)
and if the three prohibitions do not refuse it (``prohibited_request_share``: routine work,
across levels or systems); it starts ``approval_delay_days`` later (double registration and
approval), with the candidates free on that day. A share of secondments are for major projects
(``major_project_share``): when a ban or a term cap comes in on the first day they are neither
recalled nor cut short, and under the regulated mode they run their project's length. Those
draws come from their own stream (``secondment_rules``), so the ``secondment`` stream stays
aligned with the runs without them.

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
                 extension_multiplier: float = 1.0, rules_rng=None):
        """Keep the rule's parameters."""
        self.rng = rng
        self.rules_rng = rules_rng if rules_rng is not None else np.random.default_rng(0)
        self.go_ahead_probability = (policy.consent_probability
                                     * (1.0 - policy.prohibited_request_share))
        self.approval_delay_days = policy.approval_delay_days
        self.major_project_share = policy.major_project_share
        self.major = None  # per slot: seconded for a major project (set on the first day)
        self.pending: list[tuple[float, int, float, bool]] = []  # (start day, dept, length, major)
        self.requests = self.refused = 0
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
        if self.major is None:
            self.major = np.zeros(len(roster), dtype=bool)
            if self.major_project_share > 0:
                in_place = np.flatnonzero(seconded)
                self.major[in_place] = (self.rules_rng.random(len(in_place))
                                        < self.major_project_share)
        if day == 0 and self.mode == "banned":
            model.roster.recall(np.flatnonzero(seconded & ~self.major))
        elif day == 0 and self.mode == "regulated":
            cut = seconded & ~self.major
            roster.secondment_end[cut] = np.minimum(roster.secondment_end[cut], self.term_days)
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
        if self.mode == "banned":
            return
        today = self._requests_due(day, np.flatnonzero(starts), lengths)
        if not today:
            return
        roster = model.roster
        township_units = len(model.townships)
        for d, project_days, major in today:
            candidates = np.flatnonzero(
                roster.occupied & (roster.seconded_to == NOT_SECONDED) & ~roster.leader
                & (roster.unit < township_units)
            )
            if len(candidates) == 0:
                return
            picked = self.rng.choice(candidates, min(self.secondees_per_project, len(candidates)),
                                     replace=False)
            capped = self.mode == "regulated" and not major
            length = min(project_days, self.term_days) if capped else project_days
            if self.mode == "regulated":
                picked = picked[roster.secondment_days[picked] + length <= self.max_days]
            roster.second(picked, int(departments.units[d]), day, day + length)
            self.major[picked] = major

    def _requests_due(self, day: int, requested, lengths) -> list[tuple[int, float, bool]]:
        """Today's requests that go ahead, and earlier ones whose approval is through today.

        Returns (department, project days, major project) for the secondments to start today.
        With the defaults (consent, no prohibitions, no delay, no major projects) this is every
        request made today, in department order.
        """
        rules = self.rules_rng
        for d in requested:
            self.requests += 1
            goes_ahead = (self.go_ahead_probability >= 1.0
                          or rules.random() < self.go_ahead_probability)
            major = self.major_project_share > 0 and rules.random() < self.major_project_share
            if not goes_ahead:
                self.refused += 1
                continue
            self.pending.append((day + self.approval_delay_days, int(d), float(lengths[d]), major))
        due = [p for p in self.pending if p[0] <= day]
        if due:
            self.pending = [p for p in self.pending if p[0] > day]
        return [(d, length, major) for _, d, length, major in due]

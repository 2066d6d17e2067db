"""Cross-department cases: buck-passing versus "township whistles, departments report".

Seed 001 (Zhucheng) names the problem: cases that need several departments are "handled by many
heads or even kicked around like a ball" (踢皮球) and take long. Seeds 002 and 004 describe the
fixes: "township whistles, departments report" (乡镇吹哨、部门报到), joint handling of "one matter"
(一件事) with response deadlines, and two-way evaluation in which townships score departments
50/50 (双向考核).

Buck-passing (``mode: serial``): the township hands the case to one department at a time. Each
answers after a delay that grows with its backlog; with some probability it bounces the case
("not ours") and the township spends more hours re-handling it before trying again.
Whistle (``mode: parallel``): the departments work the case at once, must answer within the
response deadline, and bounce less. Two-way evaluation shortens delays and cuts bounces further.
"""

from __future__ import annotations

import math

from sim.config import CoordinationPolicy, ScenarioConfig
from sim.work import CASE_DRAWS, Kind


class Case:
    """A cross-department citizen request travelling between a township and departments."""

    __slots__ = ("item", "departments", "draws", "next_draw", "next_department", "accepted",
                 "bounces")

    def __init__(self, item, departments, draws):
        """Create a case for request ``item`` needing ``departments`` (indices)."""
        self.item = item
        self.departments = departments
        self.draws = draws
        self.next_draw = 0
        self.next_department = 0
        self.accepted = 0
        self.bounces = 0

    def draw(self) -> float:
        """The case's next pre-drawn uniform (common random numbers across policies)."""
        u = self.draws[self.next_draw % CASE_DRAWS]
        self.next_draw += 1
        return float(u)


class Coordination:
    """Routes cross-department cases between a township and county departments.

    Args:
        scenario: Pre-reform delays, bounce probability, efforts.
        policy: Serial or parallel handling, deadline, multipliers.
        model: The county model (departments, event calendar, township queues).
    """

    def __init__(self, scenario: ScenarioConfig, policy: CoordinationPolicy, model):
        """Derive the effective delay and bounce probability."""
        self.model = model
        self.parallel = policy.mode == "parallel"
        evaluation = policy.two_way_evaluation
        self.bounce_probability = (
            scenario.bounce_probability
            * policy.bounce_multiplier
            * (policy.evaluation_bounce_multiplier if evaluation else 1.0)
        )
        self.response_days_mean = scenario.department_response_days_mean * (
            policy.evaluation_delay_multiplier if evaluation else 1.0
        )
        deadline = policy.response_deadline_days
        self.response_deadline_days = math.inf if deadline is None else deadline
        self.max_bounces = scenario.max_bounces
        self.rework_effort_mean_hours = scenario.rework_effort_mean_hours
        self.part_effort_mean_hours = scenario.department_part_effort_mean_hours

    def township_part_done(self, case: Case, time: float) -> None:
        """The township has done its part: hand the case to the department(s)."""
        if self.parallel:
            for k in range(len(case.departments)):
                self.send(case, k, time)
        else:
            self.send(case, 0, time)

    def rework_done(self, case: Case, k: int, time: float) -> None:
        """The township has re-handled a bounced case: send it back to department ``k``."""
        self.send(case, k, time)

    def send(self, case: Case, k: int, time: float) -> None:
        """Ask department ``k`` of the case to act; its answer comes after a delay."""
        department = self.model.departments[case.departments[k]]
        base = -math.log(1.0 - case.draw()) * self.response_days_mean
        days = min(department.answer_delay_days(base), self.response_deadline_days)
        self.model.schedule(time + days * 24.0, self.answer, case, k)

    def answer(self, case: Case, k: int, time: float) -> None:
        """Department ``k`` answers: it bounces the case or does its part."""
        u = case.draw()
        if u < self.bounce_probability and case.bounces < self.max_bounces:
            case.bounces += 1
            effort = -math.log(1.0 - case.draw()) * self.rework_effort_mean_hours
            self.model.add_work(Kind.REWORK, case.item.township, time, effort,
                                deadline=case.item.deadline, case=case, department=k)
            return
        department = self.model.departments[case.departments[k]]
        department.absorb(-math.log(1.0 - case.draw()) * self.part_effort_mean_hours)
        case.accepted += 1
        if case.accepted == len(case.departments):
            self.model.resolve(case.item, time)
        elif not self.parallel:
            self.send(case, k + 1, time)

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

A case's delays and bounces are decided by uniforms drawn for it when the request was drawn
(``sim/work.py``), used in turn, so the same case meets the same luck under every policy.
The cases' state is kept in arrays and their calendar of department answers is run, a day at a
time, by compiled code (Numba, ``sim/kernels/answers.py``), as the townships' serving loop is
(``sim/kernels/day.py``).
"""

from __future__ import annotations

import math

import numpy as np

from sim.config import CoordinationPolicy, ScenarioConfig
from sim.demand import DRAWS_PER_SEND
from sim.kernels.answers import (
    Calendar,
    Cases,
    Count,
    Rules,
    answers_out,
    run_answers,
)
from sim.kernels.answers import Departments as DepartmentArrays
from sim.kernels.columns import TOWNSHIP_PART, HandOvers, ItemColumns, Kind
from sim.policies.enforcement import TEAM_PART, EnforcementTeam
from sim.policies.platform import Platform

__all__ = ["TOWNSHIP_PART", "Coordination"]


class Coordination:
    """Routes cross-department cases between townships and county departments.

    Case ``c`` (numbered in the order the cases arrive) needs departments
    ``departments[c, :n_departments[c]]``; ``item[c]`` is its citizen request. The model hands
    cases over when a township finishes its part or a re-handling (:meth:`hand_over`) and, at
    each day's end, :meth:`release` runs the departments' answers due that day.

    Under the one-stop platform (``platform``) departments bounce cases less often; under one
    enforcement team (``enforcement``) the township's team keeps delegated enforcement matters
    once the township has done its own part: the case becomes an item of the team's work in the
    township's queue, and its request is resolved when that is done, no department asked.

    Args:
        scenario: Pre-reform delays, bounce probability, efforts.
        policy: Serial or parallel handling, deadline, multipliers.
        platform: The one-stop platform, or None.
        enforcement: The township enforcement teams, or None.
    """

    def __init__(self, scenario: ScenarioConfig, policy: CoordinationPolicy, *,
                 platform: Platform | None = None, enforcement: EnforcementTeam | None = None):
        """Derive the effective delay and bounce probability; the case book opens empty."""
        self.parallel = policy.mode == "parallel"
        evaluation = policy.two_way_evaluation
        self.platform, self.enforcement = platform, enforcement
        bounce_probability = (
            scenario.bounce_probability
            * policy.bounce_multiplier
            * (policy.evaluation_bounce_multiplier if evaluation else 1.0)
        )
        self.bounce_probability = (bounce_probability if platform is None
                                   else platform.bounce_probability(bounce_probability))
        self.response_days_mean = scenario.department_response_days_mean * (
            policy.evaluation_delay_multiplier if evaluation else 1.0
        )
        deadline = policy.response_deadline_days
        self.response_deadline_days = math.inf if deadline is None else deadline
        self.max_bounces = scenario.max_bounces
        self.rework_effort_mean_hours = scenario.rework_effort_mean_hours
        self.part_effort_mean_hours = scenario.department_part_effort_mean_hours
        self._rules = Rules(parallel=self.parallel,
                            bounce_probability=float(self.bounce_probability),
                            response_days_mean=float(self.response_days_mean),
                            response_deadline_days=float(self.response_deadline_days),
                            max_bounces=int(self.max_bounces),
                            rework_effort_mean_hours=float(self.rework_effort_mean_hours),
                            part_effort_mean_hours=float(self.part_effort_mean_hours))
        self.open_book(n_departments=np.zeros(0, dtype=np.int64),
                       departments=np.zeros((0, 1), dtype=np.int64), draws=np.zeros((0, 1)))

    def open_book(self, *, n_departments: np.ndarray, departments: np.ndarray,
                  draws: np.ndarray) -> None:
        """Open the run's case book: per case, its departments and pre-drawn uniforms."""
        n = len(n_departments)
        self.n_departments = np.ascontiguousarray(n_departments, dtype=np.int64)
        self.departments = np.ascontiguousarray(departments, dtype=np.int64)
        self.draws = np.ascontiguousarray(draws, dtype=np.float64)
        need = DRAWS_PER_SEND * (int(self.n_departments.max(initial=0)) + self.max_bounces)
        if n and self.draws.shape[1] < need:
            raise ValueError(f"{self.draws.shape[1]} draws per case; {need} may be used")
        self.item = np.full(n, -1, dtype=np.int64)
        self.next_draw = np.zeros(n, dtype=np.int64)
        self.accepted = np.zeros(n, dtype=np.int64)
        self.bounces = np.zeros(n, dtype=np.int64)
        # The calendar of answers: a heap of event ids on (time, id), ids in scheduling order.
        self.calendar = Calendar(heap=np.empty(64, dtype=np.int64), time=np.empty(64),
                                 case=np.empty(64, dtype=np.int64),
                                 k=np.empty(64, dtype=np.int64),
                                 count=np.zeros(len(Count), dtype=np.int64))
        self._handed: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self._out = answers_out(64)
        # The arrays above keep their identity for the whole run: group them once.
        self._cases = Cases(departments=self.departments, n_departments=self.n_departments,
                            draws=self.draws, next_draw=self.next_draw, accepted=self.accepted,
                            bounces=self.bounces, item=self.item)
        if self.enforcement is not None:
            self.enforcement.open(n)

    def hand_over(self, cases: np.ndarray, k: np.ndarray, time: np.ndarray) -> None:
        """Townships finished parts of ``cases`` at ``time``: ask departments to act.

        ``k`` is :data:`TOWNSHIP_PART` where the township has done its own part (the case
        goes to its first department, or to all of them under the whistle), or the case's
        department ``k`` that bounced it, to which the re-handled case goes back. The requests
        are sent, in this order, when the day's answers are run (:meth:`release`).
        """
        if len(cases):
            self._handed.append((cases, k, time))

    def open_cases(self, cases: slice, items: np.ndarray) -> None:
        """The requests (item ids) of the day's new cases ``cases``."""
        self.item[cases] = items

    def answer_day(self, day: int, departments, table) -> tuple[np.ndarray, np.ndarray]:
        """The departments' answers due before the end of ``day``.

        A bounced case becomes a re-handling item at its township (created here in ``table``);
        a case every department has answered is resolved. Returns the re-handling items' ids
        and the resolution times of the requests resolved, in order.
        """
        kept = self._keep_enforcement(table)
        answers = self.release((day + 1) * 24.0, departments, table)
        if answers is None:
            return kept, _NO_TIMES
        (case, time, effort, k), resolution = answers
        ids = _NO_IDS
        if len(case):
            ids = self._add_rework(table, case, time, effort, k)
        return (np.concatenate([ids, kept]) if len(kept) else ids), resolution

    def _add_rework(self, table, case, time, effort, k) -> np.ndarray:
        """Township items for ``case`` (re-handlings, or team parts); their ids."""
        requests = self.item[case]
        first = table.add(len(case), kind=Kind.REWORK, township=table.township[requests],
                          arrival=time, deadline=table.deadline[requests], effort=effort,
                          department=k, case=case)
        return np.arange(first, first + len(case))

    def _keep_enforcement(self, table) -> np.ndarray:
        """Take the hand-overs the enforcement teams keep out of today's; their team items.

        A kept case becomes a township item of the team's hours (``k`` = ``TEAM_PART``) that
        hands the case back as done (:func:`~sim.kernels.answers.run_answers` resolves it).
        """
        team = self.enforcement
        if team is None or not team.on or not self._handed:
            return _NO_IDS
        kept, handed = [], []
        for cases, k, time in self._handed:
            keep = team.keep(cases, k, time, table.township[self.item[cases]])
            if keep.any():
                kept.append((cases[keep], time[keep]))
                cases, k, time = cases[~keep], k[~keep], time[~keep]
            if len(cases):
                handed.append((cases, k, time))
        self._handed = handed
        if not kept:
            return _NO_IDS
        case, time = (np.concatenate(c) for c in zip(*kept, strict=True))
        return self._add_rework(table, case, time, team.hours[case],
                                np.full(len(case), TEAM_PART))

    def pending(self) -> np.ndarray:
        """The cases that are waiting for a department's answer (one entry per answer)."""
        calendar = self.calendar
        return calendar.case[calendar.heap[: calendar.count[Count.PENDING]]]

    def release(self, end: float, departments, items):
        """Send the day's hand-overs and run every department answer due before ``end``.

        Reads and updates the departments' books (backlogs, answers, hours absorbed) and
        resolves, in the item table ``items``, the requests whose cases every department has
        answered. Returns the bounces, in order, as ``(case, time, effort, k)``
        (the township re-handles ``case`` for ``effort`` hours, then sends it back to its
        department ``k``), and the resolution times of the requests resolved, in order; the
        arrays are valid until the next call. None if nothing was sent or due.
        """
        handed, pending = self._handed, int(self.calendar.count[Count.PENDING])
        if not handed and (pending == 0 or self.calendar.time[self.calendar.heap[0]] >= end):
            return None
        if len(handed) == 1:
            cases, k, time = handed[0]
        elif handed:
            cases, k, time = (np.concatenate(c) for c in zip(*handed, strict=True))
        else:
            cases = k = np.zeros(0, dtype=np.int64)
            time = np.zeros(0)
        self._handed = []
        width = self.departments.shape[1]
        room = pending + len(cases) * width
        # Serially, a case answered today can be sent on to its next department today.
        self._reserve_events(room, (pending + 2 * len(cases)) * width)
        if room > len(self._out.case):
            self._out = answers_out(max(room, 2 * len(self._out.case)))
        out, book, table = self._out, departments, items
        n_rehandled, n_resolved = run_answers(
            handed=HandOvers(case=cases.astype(np.int64, copy=False),
                             k=k.astype(np.int64, copy=False), time=time),
            end=end,
            cases=self._cases,
            departments=DepartmentArrays(backlog=book.backlog, capacity=book.count_capacity(),
                                    answers=book.answers, answer_days=book.answer_days,
                                    incoming=book.incoming, case_hours=book.case_hours),
            calendar=self.calendar,
            items=ItemColumns.of(table),
            rules=self._rules, out=out)
        return (out.case[:n_rehandled], out.time[:n_rehandled], out.effort[:n_rehandled],
                out.k[:n_rehandled]), out.resolution[:n_resolved]

    def _reserve_events(self, pending: int, new: int) -> None:
        """Make room for ``pending`` events in the heap and ``new`` more events scheduled."""
        calendar = self.calendar
        scheduled = int(calendar.count[Count.SCHEDULED])
        heap, time, case, k = calendar.heap, calendar.time, calendar.case, calendar.k
        if pending > len(heap):
            heap = np.empty(max(2 * len(heap), pending), dtype=np.int64)
            heap[: calendar.count[Count.PENDING]] = calendar.heap[: calendar.count[Count.PENDING]]
        if scheduled + new > len(time):
            capacity = max(2 * len(time), scheduled + new)
            grown = []
            for column in (time, case, k):
                bigger = np.empty(capacity, dtype=column.dtype)
                bigger[:scheduled] = column[:scheduled]
                grown.append(bigger)
            time, case, k = grown
        self.calendar = Calendar(heap=heap, time=time, case=case, k=k, count=calendar.count)


_NO_IDS, _NO_TIMES = np.zeros(0, dtype=np.int64), np.zeros(0)

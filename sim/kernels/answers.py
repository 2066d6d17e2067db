"""The county departments' answers on cross-department cases, compiled with Numba.

Seed 001 (Zhucheng) describes cases "kicked around like a ball" (踢皮球) between departments;
seeds 002 and 004 the whistle (乡镇吹哨、部门报到) that has them work a case at once within a
response deadline. ``Coordination`` (``sim/policies/coordination.py``) keeps the cases' state
in arrays and, a day at a time, calls :func:`run_answers`: the hand-overs of the day are sent
and every answer due is taken from a calendar, in time order. The calendar is a heap of event
ids (``sim/kernels/heap.py``); an event's id is its sequence number, so answers due at the
same time come in the order they were scheduled. A case's delays and bounces use uniforms
drawn for it up front, in turn, so the same case meets the same luck under every policy.
"""

from __future__ import annotations

import math
from enum import IntEnum
from typing import NamedTuple

import numba
import numpy as np

from sim.kernels.columns import TOWNSHIP_PART, HandOvers, ItemColumns, Status
from sim.kernels.entry import kernel
from sim.kernels.heap import by_time, pop, push

#: ``k`` of a hand-over when the township's enforcement team has done the case's enforcement
#: part itself (one enforcement team, ``sim/policies/enforcement.py``): no department is asked.
TEAM_PART = -2


class Cases(NamedTuple):
    """Per cross-department case ``c`` (in the order the cases arrived).

    Attributes:
        departments: The departments it needs (row ``c``, padded).
        n_departments: How many departments it needs.
        draws: Its pre-drawn uniforms (row ``c``), used in turn.
        next_draw: Its next unused draw.
        accepted: Departments that have done their part.
        bounces: Times it was bounced ("not ours").
        item: Its citizen request's item id.
    """

    departments: np.ndarray
    n_departments: np.ndarray
    draws: np.ndarray
    next_draw: np.ndarray
    accepted: np.ndarray
    bounces: np.ndarray
    item: np.ndarray


class Departments(NamedTuple):
    """Per county department: backlog and capacity (read), answers and hours (added to).

    Attributes:
        backlog: Hours of work waiting.
        capacity: Hours of work it does per working day.
        answers: Answers scheduled.
        answer_days: Their delays in days, summed.
        incoming: Hours of case work it takes on today.
        case_hours: Hours of case work taken on so far.
    """

    backlog: np.ndarray
    capacity: np.ndarray
    answers: np.ndarray
    answer_days: np.ndarray
    incoming: np.ndarray
    case_hours: np.ndarray


class Count(IntEnum):
    """The entries of :attr:`Calendar.count`."""

    PENDING = 0  # events in the heap
    SCHEDULED = 1  # events ever scheduled: the next event's id


class Calendar(NamedTuple):
    """The answers due, by event id: a heap of ids and the events' columns.

    Attributes:
        heap: The pending events' ids, a heap on (``time``, id).
        time: When the event is due (hours).
        case: The case answered.
        k: Which of the case's departments answers.
        count: Pending and scheduled events (:class:`Count`).
    """

    heap: np.ndarray
    time: np.ndarray
    case: np.ndarray
    k: np.ndarray
    count: np.ndarray


class Rules(NamedTuple):
    """How departments handle cases under the policy in force.

    Attributes:
        parallel: The whistle: every department works the case at once (else one by one).
        bounce_probability: Chance that a department bounces the case.
        response_days_mean: Mean base delay of an answer (days).
        response_deadline_days: Longest delay allowed (days; infinite without a deadline).
        max_bounces: Bounces a case can take.
        rework_effort_mean_hours: Mean hours the township spends re-handling a bounced case.
        part_effort_mean_hours: Mean hours of a department's part.
    """

    parallel: bool
    bounce_probability: float
    response_days_mean: float
    response_deadline_days: float
    max_bounces: int
    rework_effort_mean_hours: float
    part_effort_mean_hours: float


class AnswersOut(NamedTuple):
    """What :func:`run_answers` lists: bounces (case, time, effort, k) and resolution times."""

    case: np.ndarray
    time: np.ndarray
    effort: np.ndarray
    k: np.ndarray
    resolution: np.ndarray


def answers_out(n: int) -> AnswersOut:
    """Room for ``n`` outputs of :func:`run_answers`."""
    return AnswersOut(case=np.empty(n, dtype=np.int64), time=np.empty(n), effort=np.empty(n),
                      k=np.empty(n, dtype=np.int64), resolution=np.empty(n))


@numba.njit(cache=True)
def schedule(calendar, time, case, k):
    """Schedule department ``k`` of ``case`` to answer at ``time`` (room is the caller's)."""
    event = calendar.count[Count.SCHEDULED]
    calendar.count[Count.SCHEDULED] += 1
    calendar.time[event], calendar.case[event], calendar.k[event] = time, case, k
    calendar.count[Count.PENDING] = push(calendar.heap, calendar.count[Count.PENDING], event,
                                         by_time(calendar.time))


@numba.njit(cache=True, inline="always")
def _draw(cases, c):
    """Case ``c``'s next pre-drawn uniform."""
    u = cases.draws[c, cases.next_draw[c]]  # enough are drawn for every send
    cases.next_draw[c] += 1
    return u


@numba.njit(cache=True)
def _send(c, k, time, cases, departments, calendar, rules):
    """Ask department ``k`` of case ``c`` to act; it answers after its delay.

    The delay is an exponential base delay plus the department's backlog in working days
    (seed 001's cases kicked around), capped by a response deadline under the whistle.
    """
    d = cases.departments[c, k]
    base = -math.log(1.0 - _draw(cases, c)) * rules.response_days_mean
    capacity = departments.capacity[d]
    queue_days = departments.backlog[d] / capacity if capacity > 0 else 30.0
    days = min(base + queue_days * 7 / 5, rules.response_deadline_days)  # as scheduled
    departments.answers[d] += 1
    departments.answer_days[d] += days
    schedule(calendar, time + days * 24.0, c, k)


@numba.njit(cache=True, inline="always")
def _resolve(items, i, t):
    """Resolve request ``i`` at ``t``; its resolution time."""
    items.status[i] = Status.RESOLVED
    items.finish[i] = t
    items.remaining[i] = 0.0
    return t - items.arrival[i]


@kernel
def run_answers(handed, end, cases, departments, calendar, items, rules, out):
    """Send the hand-overs, then answer every event due before ``end``, in time order.

    ``handed`` (:class:`~sim.kernels.columns.HandOvers`) are sent first, in order; a case
    handed back by the township's enforcement team (``k`` = :data:`TEAM_PART`) is resolved
    at once. A
    department bounces a case ("not ours") with the policy's probability while the case has
    bounces left: the township must re-handle it (listed in ``out``, :class:`AnswersOut`).
    Otherwise it does its part (hours added to its incoming work) and, once every department
    has, the case's request is resolved in ``items`` (its resolution time listed in
    ``out.resolution``); serially, the case then goes on to the next department. Returns the
    numbers of bounces and resolutions listed.
    """
    handed, cases, departments = HandOvers(*handed), Cases(*cases), Departments(*departments)
    calendar, items, rules = Calendar(*calendar), ItemColumns(*items), Rules(*rules)
    out = AnswersOut(*out)
    parallel = rules.parallel
    n_rehandled = n_resolved = 0
    for j in range(handed.case.shape[0]):
        c, k, t = handed.case[j], handed.k[j], handed.time[j]
        if k == TEAM_PART:
            out.resolution[n_resolved] = _resolve(items, cases.item[c], t)
            n_resolved += 1
        elif k != TOWNSHIP_PART:
            _send(c, k, t, cases, departments, calendar, rules)
        elif parallel:
            for kk in range(cases.n_departments[c]):
                _send(c, kk, t, cases, departments, calendar, rules)
        else:
            _send(c, 0, t, cases, departments, calendar, rules)
    count, order = calendar.count, by_time(calendar.time)
    while count[Count.PENDING] > 0 and calendar.time[calendar.heap[0]] < end:
        event, count[Count.PENDING] = pop(calendar.heap, count[Count.PENDING], order)
        t, c, k = calendar.time[event], calendar.case[event], calendar.k[event]
        if _draw(cases, c) < rules.bounce_probability and cases.bounces[c] < rules.max_bounces:
            cases.bounces[c] += 1
            out.case[n_rehandled], out.time[n_rehandled], out.k[n_rehandled] = c, t, k
            out.effort[n_rehandled] = (-math.log(1.0 - _draw(cases, c))
                                       * rules.rework_effort_mean_hours)
            n_rehandled += 1
            continue
        d = cases.departments[c, k]
        hours = -math.log(1.0 - _draw(cases, c)) * rules.part_effort_mean_hours
        departments.incoming[d] += hours
        departments.case_hours[d] += hours
        cases.accepted[c] += 1
        if cases.accepted[c] == cases.n_departments[c]:
            out.resolution[n_resolved] = _resolve(items, cases.item[c], t)
            n_resolved += 1
        elif not parallel:
            _send(c, k + 1, t, cases, departments, calendar, rules)
    return n_rehandled, n_resolved

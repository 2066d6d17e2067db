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
time, by compiled code (Numba), as the townships' serving loop is (``sim/kernels/day.py``).
"""

from __future__ import annotations

import math

import numba
import numpy as np

from sim.config import CoordinationPolicy, ScenarioConfig
from sim.demand import DRAWS_PER_SEND
from sim.work import RESOLVED, REWORK

#: ``k`` of a hand-over when the township has done its own part of a case.
TOWNSHIP_PART = -1


class Coordination:
    """Routes cross-department cases between townships and county departments.

    Case ``c`` (numbered in the order the cases arrive) needs departments
    ``departments[c, :n_departments[c]]``; ``item[c]`` is its citizen request. The model hands
    cases over when a township finishes its part or a re-handling (:meth:`hand_over`) and, at
    each day's end, :meth:`release` runs the departments' answers due that day.

    Args:
        scenario: Pre-reform delays, bounce probability, efforts.
        policy: Serial or parallel handling, deadline, multipliers.
        n_departments: Per case, how many departments it needs.
        departments: Per case, the departments it needs (row-wise, padded).
        draws: Per case, its pre-drawn uniforms.
    """

    def __init__(self, scenario: ScenarioConfig, policy: CoordinationPolicy):
        """Derive the effective delay and bounce probability; the case book opens empty."""
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
        # The calendar of answers: a heap on (time, sequence number) in four columns.
        self.event_time = np.empty(64)
        self.event_seq = np.empty(64, dtype=np.int64)
        self.event_case = np.empty(64, dtype=np.int64)
        self.event_k = np.empty(64, dtype=np.int64)
        self.counters = np.zeros(2, dtype=np.int64)  # events pending, last sequence number
        self._handed: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self._out = _outputs(64)

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
        answers = self.release((day + 1) * 24.0, departments, table)
        if answers is None:
            return _NO_IDS, _NO_TIMES
        (case, time, effort, k), resolution = answers
        ids = _NO_IDS
        if len(case):
            requests = self.item[case]
            first = table.add(len(case), kind=REWORK, township=table.township[requests],
                              arrival=time, deadline=table.deadline[requests], effort=effort,
                              department=k, case=case)
            ids = np.arange(first, first + len(case))
        return ids, resolution

    def pending(self) -> np.ndarray:
        """The cases that are waiting for a department's answer (one entry per answer)."""
        return self.event_case[: self.counters[0]].copy()

    def release(self, end: float, departments, items):
        """Send the day's hand-overs and run every department answer due before ``end``.

        Reads and updates the departments' books (backlogs, answers, hours absorbed) and
        resolves, in the item table ``items``, the requests whose cases every
        department has answered. Returns the bounces, in order, as ``(case, time, effort, k)``
        (the township re-handles ``case`` for ``effort`` hours, then sends it back to its
        department ``k``), and the resolution times of the requests resolved, in order; the
        arrays are valid until the next call. None if nothing was sent or due.
        """
        handed, pending = self._handed, int(self.counters[0])
        if not handed and (pending == 0 or self.event_time[0] >= end):
            return None
        if len(handed) == 1:
            cases, k, time = handed[0]
        elif handed:
            cases, k, time = (np.concatenate(c) for c in zip(*handed, strict=True))
        else:
            cases = k = np.zeros(0, dtype=np.int64)
            time = np.zeros(0)
        self._handed = []
        room = pending + len(cases) * self.departments.shape[1]
        self._reserve_events(room)
        if room > len(self._out[0]):
            self._out = _outputs(max(room, 2 * len(self._out[0])))
        out, book, table = self._out, departments, items
        n_rehandled, n_resolved = run_answers(
            cases.astype(np.int64, copy=False), k.astype(np.int64, copy=False), time, end,
            (self.departments, self.n_departments, self.draws, self.next_draw, self.accepted,
             self.bounces),
            (book.backlog, book.count_capacity(), book.answers, book.answer_days,
             book.incoming, book.case_hours),
            (self.event_time, self.event_seq, self.event_case, self.event_k, self.counters),
            (self.item, table.status, table.finish, table.remaining, table.arrival),
            (self.parallel, float(self.bounce_probability), float(self.response_days_mean),
             float(self.response_deadline_days), int(self.max_bounces),
             float(self.rework_effort_mean_hours), float(self.part_effort_mean_hours)),
            *out)
        return tuple(column[:n_rehandled] for column in out[:4]), out[4][:n_resolved]

    def _reserve_events(self, need: int) -> None:
        if need <= len(self.event_time):
            return
        size, capacity = int(self.counters[0]), max(2 * len(self.event_time), need)
        for name in ("event_time", "event_seq", "event_case", "event_k"):
            column = getattr(self, name)
            grown = np.empty(capacity, dtype=column.dtype)
            grown[:size] = column[:size]
            setattr(self, name, grown)


_NO_IDS, _NO_TIMES = np.zeros(0, dtype=np.int64), np.zeros(0)


def _outputs(n: int) -> tuple[np.ndarray, ...]:
    """Room for ``n`` outputs of :func:`run_answers`: bounces (case, time, effort, k), times."""
    return (np.empty(n, dtype=np.int64), np.empty(n), np.empty(n), np.empty(n, dtype=np.int64),
            np.empty(n))


# -- the compiled calendar ----------------------------------------------------------------------

@numba.njit(cache=True, inline="always")
def _earlier(time, seq, a, b):
    return time[a] < time[b] or (time[a] == time[b] and seq[a] < seq[b])


@numba.njit(cache=True, inline="always")
def _swap(events, a, b):
    """Swap events ``a`` and ``b`` of the heap (every column)."""
    ev_time, ev_seq, ev_case, ev_k = events[0], events[1], events[2], events[3]
    ev_time[a], ev_time[b] = ev_time[b], ev_time[a]
    ev_seq[a], ev_seq[b] = ev_seq[b], ev_seq[a]
    ev_case[a], ev_case[b] = ev_case[b], ev_case[a]
    ev_k[a], ev_k[b] = ev_k[b], ev_k[a]


@numba.njit(cache=True)
def _push(events, time, case, k):
    """Schedule department ``k`` of ``case`` to answer at ``time`` (ties: first scheduled)."""
    ev_time, ev_seq, ev_case, ev_k, counters = events
    counters[1] += 1
    i = counters[0]
    counters[0] += 1
    ev_time[i], ev_seq[i], ev_case[i], ev_k[i] = time, counters[1], case, k
    while i > 0:
        parent = (i - 1) >> 1
        if not _earlier(ev_time, ev_seq, i, parent):
            break
        _swap(events, i, parent)
        i = parent


@numba.njit(cache=True)
def _pop(events):
    """Remove the earliest event; return its time, case and department."""
    ev_time, ev_seq, ev_case, ev_k, counters = events
    time, case, k = ev_time[0], ev_case[0], ev_k[0]
    counters[0] -= 1
    size = counters[0]
    ev_time[0], ev_seq[0], ev_case[0], ev_k[0] = (ev_time[size], ev_seq[size], ev_case[size],
                                                  ev_k[size])
    i = 0
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and _earlier(ev_time, ev_seq, child + 1, child):
            child += 1
        if not _earlier(ev_time, ev_seq, child, i):
            break
        _swap(events, i, child)
        i = child
    return time, case, k


@numba.njit(cache=True, inline="always")
def _draw(cases, c):
    """Case ``c``'s next pre-drawn uniform."""
    draws, next_draw = cases[2], cases[3]
    u = draws[c, next_draw[c]]  # enough are drawn for every send (``case_draws_needed``)
    next_draw[c] += 1
    return u


@numba.njit(cache=True)
def _send(c, k, time, cases, departments, events, params):
    """Ask department ``k`` of case ``c`` to act; it answers after its delay.

    The delay is an exponential base delay plus the department's backlog in working days
    (seed 001's cases kicked around), capped by a response deadline under the whistle.
    """
    backlog, capacity, answers, answer_days = departments[0], departments[1], departments[2], \
        departments[3]
    d = cases[0][c, k]
    base = -math.log(1.0 - _draw(cases, c)) * params[2]
    queue_days = backlog[d] / capacity[d] if capacity[d] > 0 else 30.0
    days = min(base + queue_days * 7 / 5, params[3])  # the delay as scheduled
    answers[d] += 1
    answer_days[d] += days
    _push(events, time + days * 24.0, c, k)


@numba.njit(cache=True)
def run_answers(handed_case, handed_k, handed_time, end, cases, departments, events, items,
                params, out_case, out_time, out_effort, out_k, out_resolution):
    """Send the hand-overs, then answer every event due before ``end``, in time order.

    A department bounces a case ("not ours") with the policy's probability while the case has
    bounces left: the township must re-handle it (listed in ``out_*``). Otherwise it does its
    part (hours added to its incoming work) and, once every department has, the case's request
    is resolved (its resolution time listed in ``out_resolution``); serially, the case then goes
    on to the next department. Returns the numbers of bounces and resolutions listed.
    """
    parallel, bounce_probability, max_bounces = params[0], params[1], params[4]
    n_departments, accepted, bounces = cases[1], cases[4], cases[5]
    incoming, case_hours = departments[4], departments[5]
    item_of_case, status, finish, remaining, arrival = items
    for j in range(handed_case.shape[0]):
        c, k, t = handed_case[j], handed_k[j], handed_time[j]
        if k != TOWNSHIP_PART:
            _send(c, k, t, cases, departments, events, params)
        elif parallel:
            for kk in range(n_departments[c]):
                _send(c, kk, t, cases, departments, events, params)
        else:
            _send(c, 0, t, cases, departments, events, params)
    n_rehandled = n_resolved = 0
    ev_time, counters = events[0], events[4]
    while counters[0] > 0 and ev_time[0] < end:
        t, c, k = _pop(events)
        if _draw(cases, c) < bounce_probability and bounces[c] < max_bounces:
            bounces[c] += 1
            out_case[n_rehandled], out_time[n_rehandled], out_k[n_rehandled] = c, t, k
            out_effort[n_rehandled] = -math.log(1.0 - _draw(cases, c)) * params[5]
            n_rehandled += 1
            continue
        d = cases[0][c, k]
        hours = -math.log(1.0 - _draw(cases, c)) * params[6]
        incoming[d] += hours
        case_hours[d] += hours
        accepted[c] += 1
        if accepted[c] == n_departments[c]:
            i = item_of_case[c]
            status[i] = RESOLVED
            finish[i] = t
            remaining[i] = 0.0
            out_resolution[n_resolved] = t - arrival[i]
            n_resolved += 1
        elif not parallel:
            _send(c, k + 1, t, cases, departments, events, params)
    return n_rehandled, n_resolved

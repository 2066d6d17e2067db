"""The compiled calendar of department answers (sim/kernels/answers.py), built by name."""

import math

import numpy as np

from sim.kernels.answers import (
    Calendar,
    Cases,
    Count,
    Departments,
    Rules,
    answers_out,
    run_answers,
    schedule,
)
from sim.kernels.columns import TOWNSHIP_PART, HandOvers, ItemColumns, Kind, Status
from sim.kernels.heap import by_time, pop
from sim.work import ItemTable


def _calendar(n):
    return Calendar(heap=np.empty(n, dtype=np.int64), time=np.empty(n),
                    case=np.empty(n, dtype=np.int64), k=np.empty(n, dtype=np.int64),
                    count=np.zeros(len(Count), dtype=np.int64))


def test_calendar_answers_in_time_order_ties_in_scheduling_order():
    calendar = _calendar(8)
    for time, case in [(5.0, 0), (3.0, 1), (5.0, 2), (1.0, 3), (5.0, 4), (3.0, 5)]:
        schedule(calendar, time, case, 0)
    assert calendar.count[Count.SCHEDULED] == 6 and calendar.count[Count.PENDING] == 6
    cases = []
    while calendar.count[Count.PENDING]:
        event, calendar.count[Count.PENDING] = pop(calendar.heap, calendar.count[Count.PENDING],
                                                   by_time(calendar.time))
        cases.append(int(calendar.case[event]))
    assert cases == [3, 1, 5, 0, 2, 4]


def _cases(n_departments, draws, item):
    n = len(n_departments)
    return Cases(departments=np.tile(np.arange(max(n_departments)), (n, 1)),
                 n_departments=np.asarray(n_departments), draws=np.asarray(draws, float),
                 next_draw=np.zeros(n, dtype=np.int64), accepted=np.zeros(n, dtype=np.int64),
                 bounces=np.zeros(n, dtype=np.int64), item=np.asarray(item))


def _departments(n):
    return Departments(backlog=np.zeros(n), capacity=np.full(n, 8.0), answers=np.zeros(n),
                       answer_days=np.zeros(n), incoming=np.zeros(n), case_hours=np.zeros(n))


def _rules(**changes):
    rules = Rules(parallel=True, bounce_probability=0.0, response_days_mean=1.0,
                  response_deadline_days=math.inf, max_bounces=2, rework_effort_mean_hours=2.0,
                  part_effort_mean_hours=3.0)
    return rules._replace(**changes)


def test_simultaneous_answers_resolve_cases_in_the_order_they_were_handed_over():
    # Deadline 0: every answer is due the moment it is asked for.
    table = ItemTable()
    table.add(3, kind=Kind.CROSS_DEPARTMENT, township=0, arrival=np.array([1.0, 2.0, 3.0]),
              deadline=99.0, effort=1.0)
    cases = _cases([1, 1, 1], np.full((3, 6), 0.5), [0, 1, 2])
    out = answers_out(8)
    n_rehandled, n_resolved = run_answers(
        handed=HandOvers(case=np.array([2, 0, 1]), k=np.full(3, TOWNSHIP_PART),
                         time=np.full(3, 5.0)),
        end=6.0, cases=cases, departments=_departments(1), calendar=_calendar(8),
        items=ItemColumns.of(table), rules=_rules(response_deadline_days=0.0), out=out)
    assert (n_rehandled, n_resolved) == (0, 3)
    assert out.resolution[:3].tolist() == [5.0 - 3.0, 5.0 - 1.0, 5.0 - 2.0]
    assert [Status(s) for s in table.status[:3]] == [Status.RESOLVED] * 3
    assert cases.next_draw.tolist() == [3, 3, 3]  # delay, bounce decision, part's hours


def test_bounce_is_listed_with_its_rework_effort_and_department():
    table = ItemTable()
    table.add(1, kind=Kind.CROSS_DEPARTMENT, township=0, arrival=0.0, deadline=99.0, effort=1.0)
    # draws: delay 0.5, bounce 0.1 (< 0.5: bounced), rework effort 0.75
    cases = _cases([2], [[0.5, 0.1, 0.75, 0.5, 0.5, 0.5]], [0])
    departments, calendar, out = _departments(2), _calendar(8), answers_out(8)
    n_rehandled, n_resolved = run_answers(
        handed=HandOvers(case=np.array([0]), k=np.array([TOWNSHIP_PART]), time=np.array([0.0])),
        end=1e9, cases=cases, departments=departments, calendar=calendar,
        items=ItemColumns.of(table), rules=_rules(parallel=False, bounce_probability=0.5),
        out=out)
    delay = -math.log(0.5) * 24.0
    assert (n_rehandled, n_resolved) == (1, 0)
    assert out.case[0] == 0 and out.k[0] == 0 and out.time[0] == delay
    assert out.effort[0] == -math.log(0.25) * 2.0
    assert cases.bounces.tolist() == [1] and departments.answers.tolist() == [1.0, 0.0]
    assert calendar.count[Count.PENDING] == 0 and calendar.count[Count.SCHEDULED] == 1

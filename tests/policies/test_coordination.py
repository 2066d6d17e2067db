"""Cross-department cases (sim/policies/coordination.py): the compiled calendar of answers."""

import math
from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest

from sim.agents.department import Departments
from sim.config import CoordinationPolicy, ScenarioConfig
from sim.demand import case_draws_needed
from sim.policies.coordination import TOWNSHIP_PART, Coordination
from sim.work import STATUSES, ItemTable, Kind

SERIAL = CoordinationPolicy()
WHISTLE = CoordinationPolicy(name="whistle", mode="parallel", response_deadline_days=2.0)


def _setup(policy, departments, draws, *, bounce=0.0, response_days=1.0, max_bounces=4,
           backlog=None, capacity=8.0):
    """Cases needing ``departments`` (one row each) with pre-drawn ``draws``; 4 departments.

    Case ``c`` is request ``c`` of the table, which arrived at hour ``c``.
    """
    scenario = replace(ScenarioConfig(), bounce_probability=bounce, max_bounces=max_bounces,
                       department_response_days_mean=response_days,
                       rework_effort_mean_hours=2.0, department_part_effort_mean_hours=3.0)
    n, width = len(departments), max(len(d) for d in departments)
    padded = np.array([list(d) + [0] * (width - len(d)) for d in departments])
    draws = np.asarray(draws, float)
    need = case_draws_needed(width, max_bounces)  # unused draws padded at the end
    draws = np.hstack([draws, np.full((n, max(need - draws.shape[1], 0)), 0.5)])
    coordination = Coordination(scenario, policy)
    coordination.open_book(n_departments=np.array([len(d) for d in departments]),
                           departments=padded, draws=draws)
    table = ItemTable()
    coordination.item[:] = table.add(n, kind=Kind.CROSS_DEPARTMENT, township=0,
                                     arrival=np.arange(n, dtype=float), deadline=1e9,
                                     effort=1.0) + np.arange(n)
    book = Departments(np.arange(4) + 10, 8.0)
    book.capacity = np.full(4, capacity)
    book.capacity_counted = True  # no roster needed to count staff
    if backlog is not None:
        book.backlog = np.asarray(backlog, float)
    return coordination, SimpleNamespace(departments=book, table=table)


def _hand_over(coordination, cases, time, k=None):
    k = np.full(len(cases), TOWNSHIP_PART) if k is None else np.asarray(k)
    coordination.hand_over(np.asarray(cases), k, np.asarray(time, float))


def _delay(u, mean=1.0):
    return -math.log(1.0 - u) * mean * 24.0


def test_serial_case_goes_department_by_department_and_is_resolved_after_the_last():
    draws = [[0.5, 0.9, 0.1, 0.3, 0.9, 0.2, 0.7, 0.9, 0.4]]  # delay, bounce?, effort; x3
    coordination, model = _setup(SERIAL, [[2, 0, 3]], draws)
    _hand_over(coordination, [0], [10.0])
    (case, *_), resolution = coordination.release(1e9, model.departments, model.table)
    assert case.size == 0
    expected = 10.0 + _delay(0.5) + _delay(0.3) + _delay(0.7)
    assert resolution.tolist() == [pytest.approx(expected)]
    assert STATUSES[model.table.status[0]] == "resolved"
    assert model.table.finish[0] == pytest.approx(expected)
    book = model.departments
    assert book.answers.tolist() == [1, 0, 1, 1]
    parts = -np.log(1.0 - np.array([0.2, 0.1, 0.4])) * 3.0  # departments 0, 2, 3
    np.testing.assert_allclose(book.incoming[[0, 2, 3]], parts)
    np.testing.assert_allclose(book.case_hours, book.incoming)
    assert coordination.accepted[0] == 3 and coordination.pending().size == 0


def test_whistle_sends_to_every_department_at_once_with_a_response_deadline():
    draws = [[0.2, 0.999, 0.5, 0.9, 0.5, 0.9, 0.5, 0.9, 0.5]]
    coordination, model = _setup(WHISTLE, [[0, 1, 2]], draws)
    _hand_over(coordination, [0], [0.0])
    _, resolution = coordination.release(1e9, model.departments, model.table)
    # The draws are used in the order the events happen: three sends, then three answers.
    # Department 1 would take -ln(0.001) = 6.9 days; the deadline caps it at 2, as reported.
    assert resolution.tolist() == [pytest.approx(2 * 24.0)]
    assert model.departments.answer_days[1] == pytest.approx(2.0)  # as scheduled


def test_a_department_backlog_lengthens_its_answer():
    draws = [[0.5, 0.9, 0.5]] * 2
    coordination, model = _setup(SERIAL, [[0], [1]], draws, backlog=[16.0, 0.0, 0.0, 0.0])
    _hand_over(coordination, [0, 1], [0.0, 0.0])
    coordination.release(1e9, model.departments, model.table)
    finish = model.table.finish
    assert finish[0] - finish[1] == pytest.approx(16.0 / 8.0 * 7 / 5 * 24.0)


def test_bounces_come_back_as_rehandling_until_the_limit():
    coordination, model = _setup(SERIAL, [[3]], [[0.5] * 24], bounce=1.0, max_bounces=2)
    _hand_over(coordination, [0], [0.0])
    for bounce in (1, 2):
        (case, time, effort, k), resolution = coordination.release(1e9, model.departments,
                                                                   model.table)
        assert case.tolist() == [0] and k.tolist() == [0] and resolution.size == 0
        assert effort[0] == pytest.approx(-math.log(0.5) * 2.0)
        assert coordination.bounces[0] == bounce and model.departments.incoming.sum() == 0
        _hand_over(coordination, [0], time + 5.0, k=k.copy())  # the township re-handled it
    (case, *_), resolution = coordination.release(1e9, model.departments, model.table)
    assert case.size == 0 and resolution.size == 1
    assert model.departments.answers[3] == 3


def test_answers_wait_for_their_day_and_come_in_time_then_hand_over_order():
    # No base delay: cases 0 and 1 are answered at the same time; the first handed over goes
    # first. Case c's request arrived at hour c, so the resolution times show the order.
    coordination, model = _setup(SERIAL, [[0], [0], [2]], [[0.3] * 24] * 3, response_days=0.0,
                                 backlog=[8.0, 4.0, 0.0, 0.0])
    _hand_over(coordination, [1, 0, 2], [30.0, 30.0, 3.0])
    _, resolution = coordination.release(24.0, model.departments, model.table)
    assert resolution.tolist() == [3.0 - 2.0]
    assert sorted(coordination.pending().tolist()) == [0, 1]
    answered = 30.0 + 7 / 5 * 24.0
    # Due at the end: not yet.
    assert coordination.release(answered, model.departments, model.table) is None
    _, resolution = coordination.release(1e9, model.departments, model.table)
    assert resolution.tolist() == [answered - 1.0, answered - 0.0]


def test_answer_days_are_the_delays_as_scheduled_under_a_response_deadline():
    """The reported mean answer time is the capped delay, checked against the task table."""
    from sim.api import make_model
    from sim.measures.metrics import summarize, task_table

    model = make_model("typical_county", seed=2, days=120, overrides=[
        "policy/coordination=whistle", "scenario.bounce_probability=0",
        "scenario.max_departments_per_case=1", "scenario.department_response_days_mean=6"])
    model.run()
    tasks = task_table(model)
    summary = summarize(model, tasks)
    cases = tasks[tasks["kind"] == "cross_department"]
    resolved = cases[cases["status"] == "resolved"]
    delay_days = (resolved["finish"] - resolved["township_done"]) / 24.0
    assert len(resolved) > 100 and delay_days.max() <= 2.0 + 1e-9
    assert summary["department_answer_days_mean"] <= 2.0 + 1e-9
    # Answers still pending at the end are counted too: at most a few cases' worth.
    assert summary["department_answer_days_mean"] == pytest.approx(delay_days.mean(), abs=0.05)


@pytest.mark.parametrize("overrides", [
    [], ["scenario.max_bounces=12", "scenario.bounce_probability=0.9"],
    ["scenario.max_departments_per_case=6", "scenario.max_bounces=9",
     "scenario.bounce_probability=0.8", "policy/coordination=whistle"],
])
def test_no_case_ever_reuses_a_random_draw(overrides):
    """Raising max_bounces or max_departments_per_case draws more per case, never reuses one."""
    from sim.api import make_model

    model = make_model("classroom", seed=4, days=200, overrides=overrides)
    model.run()
    coordination = model.coordination
    used, width = coordination.next_draw, coordination.draws.shape[1]
    assert len(used) > 20 and used.max() <= width
    assert coordination.bounces.max() <= model.scenario.max_bounces
    if overrides:
        assert coordination.bounces.max() > 4  # the raised limit is reached on some cases

"""Evaluation pressure as a queue discipline (issue 11, item 2; seeds 001, 002, 004)."""

import numpy as np
import pytest

from sim.config import PolicyConfig, ScenarioConfig
from sim.policies.evaluation import priority_table
from sim.work import ItemTable, Kind
from tests.conftest import run
from tests.kernels.test_kernels_day import _day


def _table(scenario_kw=None, **policy):
    cfg = PolicyConfig()
    for lever, fields in policy.items():
        for key, value in fields.items():
            setattr(getattr(cfg, lever), key, value)
    return priority_table(ScenarioConfig(name="t", **(scenario_kw or {})), cfg)


def test_priority_and_fifo_keep_todays_order():
    for discipline in ("priority", "fifo"):
        table = _table({"discipline": discipline})
        assert table[Kind.EMERGENCY].tolist() == [0, 0]
        assert (np.delete(table, Kind.EMERGENCY, axis=0) == 1).all()


def test_evaluation_puts_evaluated_tasks_before_residents():
    table = _table({"discipline": "evaluation"})
    assert table[Kind.EMERGENCY, 0] == 0
    assert table[Kind.TASK, 0] == 1
    for kind in (Kind.REQUEST, Kind.COMPLEX, Kind.UTILITY, Kind.CROSS_DEPARTMENT, Kind.REWORK):
        assert table[kind, 0] == 2


@pytest.mark.parametrize(("policy", "task", "outside"), [
    # Two-way evaluation halves a task's weight: 0.5 = residents' 0.5, served by deadline.
    ({"coordination": {"two_way_evaluation": True}}, 1, 1),
    # Unified inspections: 0.75, still above residents.
    ({"meetings": {"unified_inspections": True}}, 1, 1),
    # Both: 0.375, below residents.
    ({"coordination": {"two_way_evaluation": True}, "meetings": {"unified_inspections": True}},
     2, 2),
    # Access list: tasks outside the list weigh 0, last; inside still first.
    ({"tasks": {"access_list": True}}, 1, 3),
])
def test_reforms_change_the_weights(policy, task, outside):
    table = _table({"discipline": "evaluation"}, **policy)
    assert table[Kind.TASK].tolist() == [task, outside]
    if task == 1 and outside == 1 and "coordination" in policy:  # tie with residents
        assert table[Kind.REQUEST, 0] == 1


def test_heap_serves_tasks_before_an_earlier_due_request():
    """Hand-made: one cadre, a request due first and a task due later; evaluation serves the
    task first, the priority discipline the request."""
    orders = {}
    for discipline in ("priority", "evaluation"):
        table = ItemTable(priority=_table({"discipline": discipline}))
        table.add(3, kind=np.array([Kind.REQUEST, Kind.TASK, Kind.EMERGENCY]), township=0,
                  arrival=np.zeros(3), deadline=np.array([20.0, 100.0, 200.0]),
                  effort=np.full(3, 1.0))
        orders[discipline], *_ = _day(table, [0, 1, 2], [], [8.0], [16.0], [16.0])
    assert orders["priority"] == [2, 0, 1]
    assert orders["evaluation"] == [2, 1, 0]


def test_evaluation_pressure_slows_residents_and_reforms_relieve_it():
    """Over seeds: serving evaluated tasks first lengthens residents' waits; two-way evaluation
    with unified inspections (tasks below residents) shortens them again."""
    base = ["scenario.discipline=evaluation"]
    reform = [*base, "policy.coordination.two_way_evaluation=true",
              "policy.meetings.unified_inspections=true",
              "policy.meetings.inspection_batch_factor=1.0"]  # same hours: only the weights
    waits = []
    for seed in (1, 2, 3):
        row = []
        for overrides in ([], base, reform):
            _, tasks, _ = run("classroom", seed=seed, days=150, overrides=overrides)
            requests = tasks[tasks["kind"].isin(["request", "complex"]) & tasks["start"].notna()]
            row.append(requests["wait_hours"].mean())
        waits.append(row)
    waits = np.array(waits)
    assert (waits[:, 1] > waits[:, 0]).all(), waits
    assert (waits[:, 2] < waits[:, 1]).all(), waits


def test_own_work_is_weighed_like_a_task_before_any_reform_unless_set():
    """The township's own statutory work (issue 11, item 9) under the evaluation discipline."""
    own = {"discipline": "evaluation", "own_work_per_township_week": 5.0}
    table = _table(own)
    assert table[Kind.OWN_WORK, 0] == table[Kind.TASK, 0] == 1
    assert table[Kind.REQUEST, 0] == 2
    # Two-way evaluation lowers the departments' tasks, not the township's own duties.
    table = _table(own, coordination={"two_way_evaluation": True})
    assert table[Kind.OWN_WORK, 0] == 1 and table[Kind.TASK, 0] == table[Kind.REQUEST, 0] == 2
    # A weight of its own: below residents' requests.
    table = _table({**own, "own_work_evaluation_weight": 0.25})
    assert table[Kind.OWN_WORK, 0] == 3 and table[Kind.REQUEST, 0] == 2

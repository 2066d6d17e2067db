"""Residents' evaluation (policy/feedback, seed 001): care, call-backs, reopened requests."""

from types import SimpleNamespace

import numpy as np
import pytest

from sim.config import FeedbackPolicy, PolicyConfig, ScenarioConfig
from sim.demand import DayArrivals
from sim.policies.evaluation import priority_table
from sim.policies.feedback import ResidentsEvaluation, final_resolution_hours
from sim.work import CALENDAR_HOURS_PER_WORKING_DAY, OPEN, RESOLVED, ItemTable, Kind
from tests.conftest import FixedDraws, paired, run

EMPTY = np.zeros(0, dtype=np.int64)


def test_care_call_backs_and_reopening_on_a_hand_made_day():
    table = ItemTable()
    kinds = np.array([Kind.REQUEST, Kind.CROSS_DEPARTMENT, Kind.TASK, Kind.EMERGENCY,
                      Kind.REQUEST], dtype=np.int8)
    arrival = np.array([8.0, 9.0, 10.0, 11.0, 12.0])
    first = table.add(5, kind=kinds, township=np.array([0, 1, 1, 0, 1]), arrival=arrival,
                      deadline=arrival + 100.0, effort=np.array([2.0, 4.0, 10.0, 6.0, 1.0]))
    ids = np.arange(first, first + 5)
    arrived = DayArrivals(ids=ids, cases=slice(0, 0), case_items=EMPTY,
                          refused_department=EMPTY, refused_hours=np.zeros(0),
                          created=slice(first, first + 5))
    # Columns: call-back, satisfaction. All but item 4 are called back (share 0.5).
    u = [[0.1, 0.3], [0.2, 0.25], [0.0, 0.0], [0.0, 0.0], [0.7, 0.0]]
    policy = FeedbackPolicy(callback_share=0.5, callback_delay_days=1.0, unsatisfied_base=0.2,
                            unsatisfied_per_wait_day=0.5, care_effort_multiplier=1.25,
                            care_elasticity=2.0, reopen_effort_share=0.5)
    scenario = ScenarioConfig(name="hand")
    evaluation = ResidentsEvaluation(scenario, policy, FixedDraws(u))
    model = SimpleNamespace(table=table, reforms={})
    assert evaluation.take_arrivals(model, 0, arrived, ids) is ids
    # Residents' requests (not tasks, not emergencies) get 1.25 times their effort.
    np.testing.assert_allclose(table.effort[:5], [2.5, 5.0, 10.0, 6.0, 1.25])
    np.testing.assert_allclose(table.remaining[:5], table.effort[:5])
    assert evaluation.care_hours == pytest.approx(0.25 * 7.0)
    # Requests 0 and 1 resolved after 2 days (48 h) and 4 days; all the others too.
    table.status[:5] = RESOLVED
    table.finish[:5] = arrival + np.array([48.0, 96.0, 10.0, 1.0, 5.0])
    reopened_all = []
    for day in range(8):
        reopened, times = evaluation.end_day(model, day)
        assert len(times) == 0
        reopened_all += reopened.tolist()
    # Unsatisfied chance: 0.2 x (1 + 0.5 x days) / 1.25^2 = 0.256 after 2 days (draw 0.3:
    # satisfied), 0.384 after 4 days (draw 0.25: unsatisfied).
    assert evaluation.callbacks == 2
    assert reopened_all == [5]
    assert table.kind[5] == Kind.REWORK and table.case[5] == -1
    assert table.status[5] == OPEN and table.township[5] == 1
    call = table.finish[1] + 24.0
    assert table.arrival[5] == call
    assert table.deadline[5] == call + 7 * CALENDAR_HOURS_PER_WORKING_DAY
    assert table.effort[5] == 0.5 * 5.0
    assert evaluation.reopened_from[5] == 1
    assert evaluation.first == 6  # everything is settled
    # The request's final resolution waits for its reopened item.
    table.status[5] = RESOLVED
    table.finish[5] = call + 30.0
    tasks = _tasks(table, evaluation)
    final = final_resolution_hours(tasks)
    assert final.loc[1] == pytest.approx(call + 30.0 - 9.0)
    assert final.loc[0] == pytest.approx(48.0)
    assert 5 not in final.index and 3 not in final.index


def _tasks(table, evaluation):
    import pandas as pd

    n = len(table)
    return pd.DataFrame({
        "kind": [Kind(k).name.lower() for k in table.column("kind")],
        "status": ["resolved" if s == RESOLVED else "open" for s in table.column("status")],
        "arrival": table.column("arrival"), "finish": table.column("finish"),
        "reopened_from": evaluation.item_columns(n)["reopened_from"],
    })


def test_feedback_raises_residents_requests_in_the_evaluation_queue_order():
    scenario = ScenarioConfig(name="hand", discipline="evaluation")
    off, on = PolicyConfig(), PolicyConfig()
    on.feedback.callback_share = 0.5
    before, after = priority_table(scenario, off), priority_table(scenario, on)
    # Tasks (weight 1) before requests (0.5) without it; with it requests weigh 1 too.
    assert before[Kind.TASK, 0] < before[Kind.REQUEST, 0]
    assert after[Kind.TASK, 0] == after[Kind.REQUEST, 0]
    assert after[Kind.EMERGENCY, 0] == 0
    # Under the default discipline the table does not move.
    plain = ScenarioConfig(name="hand")
    assert (priority_table(plain, off) == priority_table(plain, on)).all()


@pytest.fixture(scope="module")
def evaluated():
    return run("classroom", seed=4, days=120,
               overrides=["policy/feedback=zhucheng", "policy/purchase=zhucheng"])


def test_reopened_items_are_accounted_for(evaluated):
    model, tasks, summary = evaluated
    reopened = tasks[tasks["reopened_from"] >= 0]
    assert len(reopened) == summary["reopened"] > 0
    assert (reopened["kind"] == "rework").all()
    parents = tasks.loc[reopened["reopened_from"]]
    assert parents["kind"].isin(["request", "complex", "utility", "cross_department"]).all()
    assert (parents["status"] == "resolved").all()
    assert parents.index.is_unique  # a request reopens at most once
    assert (reopened["arrival"].to_numpy() > parents["finish"].to_numpy()).all()
    # Every item is in one state; the reopened ones are resolved or at their townships.
    townships = model.townships
    held = {int(i) for t in range(len(townships))
            for i in townships.queues[t, :townships.queue_size[t]]}
    held |= set(townships.carry[townships.carry >= 0].tolist())
    held |= set(townships.incoming.tolist())
    still = set(reopened.index[reopened["status"] != "resolved"].tolist())
    assert still <= held
    assert set(reopened["status"].astype(str)) <= {"resolved", "open"}
    # Demand and cadre hours include the reopened items' hours once.
    assert summary["requests_arrived"] == int(tasks["kind"].isin(
        ["request", "complex", "utility", "emergency", "cross_department"]).sum())
    assert summary["callbacks"] >= len(reopened)


def test_feedback_adds_township_hours_and_lengthens_final_resolution_over_seeds():
    def final_mean(summary, tasks):
        return final_resolution_hours(tasks).mean() if "reopened_from" in tasks else np.nan

    load = paired("classroom", ["policy/feedback=zhucheng"],
                  lambda s, t: s["overload_index_mean"], days=120, seeds=(1, 2, 3))
    assert (load[:, 1] > load[:, 0]).all(), load
    final = paired("classroom", ["policy/feedback=zhucheng"], final_mean, days=120,
                   seeds=(1, 2, 3))
    assert (final[:, 1] > final[:, 0]).all(), final

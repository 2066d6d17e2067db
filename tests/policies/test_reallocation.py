"""Periodic re-allocation of posts between townships (sim/policies/reallocation.py, seed 002).

Hand-made cases for the targets and the moves; a county run whose ledger is checked day by day
against the moves the reform recorded: township posts conserved, departments untouched, the
floor respected, posts moving toward the residents.
"""

import numpy as np
import pandas as pd
import pytest

from sim.agents.cadre import POST_MOVED_WITHOUT_HOLDER
from sim.api import ConfigError, build_model, compose_config, make_model
from sim.measures.metrics import summarize, task_table, township_table
from sim.policies.posts import PlanError
from sim.policies.reallocation import arrived_work, moves_toward, targets
from sim.runners.cli import precheck

QUJING = ["policy/reallocation=qujing"]


def test_targets_give_the_floor_then_the_rest_by_weight():
    # 30 posts, floor 8 each (24), the other 6 as 1:1:2 -> 1.5, 1.5, 3 -> 2, 1, 3 (largest
    # remainder, ties to the first).
    out = targets(np.array([10, 10, 10]), np.array([1.0, 1.0, 2.0]), 8)
    assert out.tolist() == [10, 9, 11] and out.sum() == 30


def test_targets_refuse_a_floor_the_townships_cannot_hold():
    with pytest.raises(PlanError) as error:
        targets(np.array([10, 10]), np.array([1.0, 1.0]), 11)
    assert error.value.key == "policy.reallocation.floor_posts"


def test_moves_go_from_furthest_above_to_furthest_below_within_the_limit():
    assert moves_toward(np.array([10, 10, 10]), np.array([8, 10, 12]), 10) == [(0, 2), (0, 2)]
    assert moves_toward(np.array([10, 10, 10]), np.array([8, 10, 12]), 1) == [(0, 2)]
    assert moves_toward(np.array([5, 5]), np.array([5, 5]), 10) == []


def test_a_floor_above_the_townships_posts_stops_before_the_run():
    cfg = compose_config(["scenario=classroom", *QUJING, "policy.reallocation.floor_posts=40"])
    with pytest.raises(ConfigError) as error:
        build_model(cfg)
    assert error.value.key == "policy.reallocation.floor_posts"


def test_a_floor_above_the_townships_posts_is_refused_before_any_work():
    """The validator counts the townships' posts from the scenario (4 x 30 = 120 < 4 x 40)."""
    problem = precheck(["scenario=classroom", *QUJING, "policy.reallocation.floor_posts=40"])
    assert problem == ("policy.reallocation.floor_posts: 40 is not allowed; 40 posts for each "
                       "of 4 townships needs 160, but the townships hold 120")
    assert precheck(["scenario=classroom", *QUJING, "policy.reallocation.floor_posts=30"]) is None
    # Off (no interval), the floor is not used and not checked.
    assert precheck(["scenario=classroom", "policy.reallocation.floor_posts=40"]) is None


@pytest.fixture(scope="module")
def county():
    """A classroom county re-allocated twice (days 60 and 240), every post free to move."""
    model = make_model("classroom", seed=4, days=250,
                       overrides=[*QUJING, "policy.reallocation.max_moved_share=1.0",
                                  "policy.reallocation.floor_posts=25"])
    start = np.array([t.posts for t in model.townships])
    departments = [len(d.slots) for d in model.departments]
    model.run()
    return model, start, departments


def test_posts_are_conserved_and_departments_untouched(county):
    model, start, departments = county
    daily = township_table(model).groupby("day")["posts"].sum()
    assert (daily == start.sum()).all()
    assert [len(d.slots) for d in model.departments] == departments
    assert summarize(model)["posts_total"] == len(model.roster)


def test_the_ledger_matches_the_recorded_moves(county):
    model, start, _ = county
    moves = model.reforms["reallocation"].moves
    assert len(moves) > 0 and set(moves[:, 0]) <= {60, 240}
    expected = start - np.bincount(moves[:, 2], minlength=len(start)) + np.bincount(
        moves[:, 3], minlength=len(start))
    assert [t.posts for t in model.townships] == expected.tolist()
    assert summarize(model)["posts_reallocated"] == len(moves)


def test_floor_respected_and_posts_follow_population(county):
    model, start, _ = county
    table = township_table(model)
    assert table["posts"].min() >= 25
    population = np.array([t.population for t in model.townships], dtype=float)
    end = np.array([t.posts for t in model.townships])
    # Targets by population with every post free to move: reached exactly on the first day.
    assert end.tolist() == targets(start, population, 25).tolist()
    share = population / population.sum()
    assert (np.abs(end / end.sum() - share).sum() < np.abs(start / start.sum() - share).sum())


def test_leaders_and_secondees_stay(county):
    model, _, _ = county
    moved = model.reforms["reallocation"].moves[:, 1]
    assert not model.roster.leader[moved].any()  # move_post clears it; no leader was picked
    assert (model.roster.unit[moved] < len(model.townships)).all()


def test_without_people_the_holders_leave_and_the_posts_are_hired_for():
    model = make_model("classroom", seed=4, days=70,
                       overrides=[*QUJING, "policy.reallocation.with_people=false",
                                  "policy.reallocation.max_moved_share=1.0"])
    model.run()
    moves = model.reforms["reallocation"].moves
    left = model.roster.departures
    left = left[left[:, 3] == POST_MOVED_WITHOUT_HOLDER]
    assert len(left) > 0 and set(left[:, 1]) <= set(moves[:, 1])
    assert (model.roster.fill_day[left[:, 1]] > 60).all()  # hiring under way, after the move


def test_workload_basis_counts_the_work_that_arrived_since_the_last_time():
    model = make_model("classroom", seed=2, days=50, overrides=["policy/tasks=access_list"])
    model.run()
    tasks = task_table(model)
    window = tasks[(tasks["arrival"] >= 10 * 24) & (tasks["arrival"] < 40 * 24)
                   & (tasks["status"] != "returned")]
    count = window.groupby("township")["effort"].sum().reindex(range(4), fill_value=0.0)
    assert arrived_work(model.table, 4, 10, 40) == pytest.approx(count.to_numpy())
    assert (tasks["status"] == "returned").any()  # the refusals were there to be left out


def test_workload_basis_moves_posts_toward_the_busiest():
    model = make_model("classroom", seed=4, days=61,
                       overrides=["policy/reallocation=workload",
                                  "policy.reallocation.max_moved_share=1.0"])
    start = np.array([t.posts for t in model.townships])
    model.run()
    work = arrived_work(model.table, 4, 0, 60)
    end = np.array([t.posts for t in model.townships])
    assert end.tolist() == targets(start, work, 20).tolist()
    assert pd.Series(end).corr(pd.Series(work)) > 0.9

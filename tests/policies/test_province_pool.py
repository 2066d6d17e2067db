"""The province pool (sim/policies/pool.py, seed 000): posts shared among counties by need,
cadres moved between counties in batches.

Hand-made provinces for the plan; a county sending and a county receiving, checked against the
post ledger; a tiny province run end to end, checked against its plan and its counties.
"""

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from sim.agents.cadre import LEFT_COUNTY
from sim.api import make_model
from sim.config import PoolPolicy
from sim.measures.metrics import summarize, township_table
from sim.policies.pool import need_scores, plan_province
from sim.policies.posts import PlanError
from sim.runners.cli import precheck


def _plan(policy, **overrides):
    columns = {"area": [1.0, 1.0, 2.0], "population": [1.0, 1.0, 2.0], "tasks": [1.0, 1.0, 2.0],
               "posts": [100, 100, 100], "releasable_posts": [500] * 3,
               "releasable_staff": [500] * 3}
    columns.update(overrides)
    return plan_province(policy, **{k: np.asarray(v) for k, v in columns.items()})


def test_need_is_the_weighted_mean_of_the_shares():
    measures = {"area": np.array([3.0, 1.0]), "population": np.array([1.0, 1.0]),
                "tasks": np.array([1.0, 3.0])}
    # shares: area .75/.25, population .5/.5, tasks .25/.75
    equal = need_scores(measures, {"area": 1, "population": 1, "tasks": 1})
    assert equal == pytest.approx([0.5, 0.5])
    assert need_scores(measures, {"area": 1, "population": 0, "tasks": 0}) == pytest.approx(
        [0.75, 0.25])
    assert need_scores(measures, {"area": 2, "population": 1, "tasks": 1}) == pytest.approx(
        [(1.5 + 0.5 + 0.25) / 4, (0.5 + 0.5 + 0.75) / 4])


def test_posts_are_shared_in_proportion_to_need_and_conserved():
    plan = _plan(PoolPolicy(province_posts=100))
    assert plan.need == pytest.approx([0.25, 0.25, 0.5])
    assert plan.posts.tolist() == [25, 25, 50]
    odd = _plan(PoolPolicy(province_posts=101))
    assert odd.posts.sum() == 101 and (np.abs(odd.posts - 101 * odd.need) < 1).all()
    assert not plan.staff_out.any() and not plan.staff_in.any()


def test_share_posts_shares_the_counties_own_plans_by_need():
    plan = _plan(PoolPolicy(share_posts=True), planned_posts=[15, 15, 15])
    assert plan.posts.tolist() == [11, 11, 23]  # 45 x (.25, .25, .5), largest remainder
    assert _plan(PoolPolicy(share_posts=True, province_posts=8),
                 planned_posts=[15, 15, 15]).posts.tolist() == [2, 2, 4]  # the total replaced


def test_a_county_that_cannot_release_its_share_stops_the_plan():
    with pytest.raises(PlanError) as error:
        _plan(PoolPolicy(province_posts=100), releasable_posts=[500, 500, 40])
    assert error.value.key == "policy.pool.province_posts"


def test_staff_flow_from_least_to_most_need_per_post():
    # Need 0.25, 0.25, 0.5 over posts 100, 80, 100: need per post lowest in county 0, highest
    # in county 2.
    plan = _plan(PoolPolicy(transfer_staff=200, batches=2), posts=[100, 80, 100])
    assert plan.staff_out.tolist() == [100, 0, 0] and plan.staff_in.tolist() == [0, 0, 100]
    assert plan.posts is None  # posts left to the counties' own presets


@pytest.mark.parametrize(("policy", "overrides", "key"), [
    (PoolPolicy(transfer_staff=201, batches=2), {}, "policy.pool.transfer_staff"),
    (PoolPolicy(transfer_staff=200, transfer_pairs=2), {}, "policy.pool.transfer_pairs"),
    (PoolPolicy(transfer_staff=200), {"releasable_staff": [150, 500, 500]},
     "policy.pool.transfer_staff"),
])
def test_flows_the_counties_cannot_make_stop_the_plan(policy, overrides, key):
    with pytest.raises(PlanError) as error:
        _plan(policy, **overrides)
    assert error.value.key == key


FLOW = ["policy.pool.batches=2", "policy.pool.first_batch_day=10",
        "policy.pool.batch_interval_days=20"]


def test_a_sending_county_loses_posts_with_their_cadres_from_its_departments():
    model = make_model("classroom", seed=3, days=40, overrides=[*FLOW, "policy.pool.staff_out=6"])
    departments = np.array([len(d.slots) for d in model.departments])
    posts = len(model.roster)
    model.run()
    left = model.roster.departures
    left = left[left[:, 3] == LEFT_COUNTY]
    assert sorted(set(left[:, 0])) == [10, 30] and len(left) == 12
    assert (left[:, 2] >= len(model.townships)).all()  # from departments, not townships
    after = np.array([len(d.slots) for d in model.departments])
    assert departments.sum() - after.sum() == 12
    assert (after >= model.scenario.department_min_posts).all()
    summary = summarize(model)
    assert summary["posts_total"] == posts - 12 == summary["posts_townships"] + summary[
        "posts_departments"]
    assert summary["pool_posts_out"] == 12 and summary["pool_posts_in"] == 0


def test_a_receiving_county_gains_filled_township_posts_on_the_batch_days():
    base = make_model("classroom", seed=3, days=40)
    model = make_model("classroom", seed=3, days=40, overrides=[*FLOW, "policy.pool.staff_in=5"])
    assert len(model.roster) == len(base.roster) + 10  # held outside the county until they come
    assert np.count_nonzero(model.roster.unit < model.pool_unit) == len(base.roster)
    model.run()
    table = township_table(model).groupby("day")[["posts", "on_duty"]].sum()
    start = table.loc[0, "posts"]
    assert table.loc[9, "posts"] == start and table.loc[10, "posts"] == start + 5
    assert table.loc[29, "posts"] == start + 5 and table.loc[30, "posts"] == start + 10
    moves = model.reforms["pool"].moves
    assert len(moves) == 10 and model.roster.occupied[moves[:, 1]].all()
    assert (model.roster.hired_day[moves[:, 1]] == moves[:, 0]).all()  # ramp up from arrival
    assert summarize(model)["pool_posts_in"] == 10


def test_a_pure_queue_holds_no_posts_for_the_pool():
    """The M/M/c validation scenario has no county to receive cadres: no reserve in its roster."""
    base = make_model("mmc", seed=3, days=5)
    model = make_model("mmc", seed=3, days=5, overrides=["policy.pool.staff_in=5"])
    assert len(model.roster) == len(base.roster) == base.scenario.townships * base.scenario.servers


def test_a_reserve_too_large_for_a_county_is_refused_before_any_work():
    problem = precheck(["scenario=classroom", "policy.pool.staff_in=100000",
                        "policy.pool.batches=3"])
    assert problem.startswith("policy.pool.staff_in: 100000 is not allowed; 3 batches of it "
                              "would bring the county to 300,")
    assert "(limit 200,000)" in problem and "\n" not in problem


TINY = ["scenario=henan_province", "scenario.counties=4", "scenario.townships=3",
        "scenario.departments=8", "days=40", "policy/posts=sink", "policy.posts.stages=1",
        "policy/pool=henan",
        "policy.pool.province_posts=150", "policy.pool.transfer_staff=20", "seed=5",
        "policy.pool.batch_interval_days=5",
        "output.figures=false"]


def test_a_province_shares_posts_by_need_and_moves_staff_between_counties(tmp_path):
    env = {**os.environ, "SIM_N_JOBS": "2"}
    result = subprocess.run([sys.executable, "-m", "sim", *TINY, f"hydra.run.dir={tmp_path}"],
                            capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    plan = summary["pool_plan"]
    need = np.array(plan["need"])
    assert sum(plan["posts"]) == 150 and (np.abs(np.array(plan["posts"]) - 150 * need) < 1).all()
    counties = pd.read_parquet(tmp_path / "counties.parquet")
    # One stage on day 0: each county sank its share.
    assert counties["posts_moved"].tolist() == plan["posts"]
    assert counties["pool_posts_out"].tolist() == [10 * 2 * (x > 0)
                                                   for x in plan["staff_out_per_batch"]]
    assert counties["pool_posts_in"].sum() == counties["pool_posts_out"].sum() == 20
    # The posts of the counties' units are conserved over the province, day by day.
    daily = pd.read_parquet(tmp_path / "daily.parquet")
    total = 4 * (3 * 55 + 8 * 45)
    assert ((daily["posts_townships"] + daily["posts_departments"]) == total).all()
    assert summary["posts_total"] == total

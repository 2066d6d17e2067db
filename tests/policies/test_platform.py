"""One-stop platform (sim/policies/platform.py): fewer bounces, merged repeats, upkeep hours."""

from dataclasses import replace

import numpy as np
import pytest

from sim.agents.department import Departments
from sim.config import CoordinationPolicy, PlatformPolicy, ScenarioConfig
from sim.demand import case_draws_needed
from sim.policies.coordination import TOWNSHIP_PART, Coordination
from sim.policies.platform import Platform
from sim.work import ItemTable, Kind
from tests.conftest import paired, run

ONE_INTAKE = PlatformPolicy(name="one_intake", platform=True, bounce_multiplier=0.5,
                            duplicate_share=0.2, merged_effort_share=0.1,
                            upkeep_hours_per_township_week=6.0)
SCENARIO = replace(ScenarioConfig(), bounce_probability=0.4, max_bounces=4)


def _bounces(policy, bounce_draw):
    """One single-department case whose first answer draws ``bounce_draw``: bounced or not."""
    coordination = Coordination(SCENARIO, CoordinationPolicy(),
                                platform=Platform(SCENARIO, policy))
    draws = np.full((1, case_draws_needed(1, 4)), 0.5)
    draws[0, 1] = bounce_draw  # delay, bounce?, effort
    coordination.open_book(n_departments=np.ones(1, dtype=np.int64),
                           departments=np.zeros((1, 1), dtype=np.int64), draws=draws)
    table = ItemTable()
    coordination.item[:] = table.add(1, kind=Kind.CROSS_DEPARTMENT, township=0, arrival=0.0,
                                     deadline=1e9, effort=1.0)
    book = Departments(np.arange(1) + 10, 8.0)
    book.capacity, book.capacity_counted = np.full(1, 8.0), True
    coordination.hand_over(np.array([0]), np.array([TOWNSHIP_PART]), np.array([0.0]))
    coordination.release(1e9, book, table)
    return int(coordination.bounces[0]), coordination.bounce_probability


def test_cases_dispatched_by_the_platform_are_bounced_less():
    # A draw of 0.3 bounces the case at 0.4; with the platform the chance is 0.4 x 0.5 = 0.2.
    assert _bounces(PlatformPolicy(), 0.3) == (1, pytest.approx(0.4))
    assert _bounces(ONE_INTAKE, 0.3) == (0, pytest.approx(0.2))
    assert _bounces(ONE_INTAKE, 0.1)[0] == 1  # below 0.2 it is still bounced


def test_repeats_of_township_only_requests_are_merged_at_a_fraction_of_their_effort():
    kinds = np.array([Kind.REQUEST, Kind.COMPLEX, Kind.UTILITY, Kind.CROSS_DEPARTMENT,
                      Kind.EMERGENCY] * 4000, dtype=np.int8)
    effort = np.linspace(1.0, 3.0, len(kinds))
    before = effort.copy()
    platform = Platform(SCENARIO, ONE_INTAKE)
    repeat = platform.merge(np.random.default_rng(4), kinds, effort)
    u = np.random.default_rng(4).random(len(kinds))
    township_only = np.isin(kinds, [Kind.REQUEST, Kind.COMPLEX, Kind.UTILITY])
    np.testing.assert_array_equal(repeat, (u < 0.2) & township_only)
    np.testing.assert_allclose(effort[repeat], before[repeat] * 0.1)
    np.testing.assert_array_equal(effort[~repeat], before[~repeat])
    assert platform.merged == repeat.sum()
    assert repeat[township_only].mean() == pytest.approx(0.2, abs=0.015)


def test_upkeep_is_one_item_per_township_each_monday():
    arrivals = Platform(SCENARIO, ONE_INTAKE).upkeep(townships=3, days=15, open_hour=8.5)
    assert arrivals.township.tolist() == [0] * 3 + [1] * 3 + [2] * 3
    assert arrivals.time.tolist() == [8.5, 7 * 24 + 8.5, 14 * 24 + 8.5] * 3
    assert arrivals.effort.tolist() == [6.0] * 9
    assert Platform(SCENARIO, PlatformPolicy()).upkeep(townships=3, days=15, open_hour=8.5) \
        is None


def test_a_run_merges_repeats_books_upkeep_and_leaves_other_demand_as_it_was():
    days = 56
    _, base, _ = run("classroom", seed=4, days=days)
    model, tasks, _ = run("classroom", seed=4, days=days, overrides=[
        "policy/platform=one_intake", "policy.platform.upkeep_hours_per_township_week=5"])
    upkeep = tasks[(tasks["kind"] == "task") & (tasks["department"] == -1)]
    assert len(upkeep) == len(model.townships) * days // 7
    assert upkeep["effort"].tolist() == [5.0] * len(upkeep)
    others = tasks.drop(upkeep.index)
    first = others[others["kind"] != "rework"].reset_index(drop=True)
    same = base[base["kind"] != "rework"].reset_index(drop=True)
    assert len(first) == len(same)
    np.testing.assert_array_equal(first["arrival"], same["arrival"])
    cut = ~np.isclose(first["effort"], same["effort"])
    share = model.policy.platform.merged_effort_share
    np.testing.assert_allclose(first.loc[cut, "effort"], same.loc[cut, "effort"] * share)
    assert cut.sum() == model.coordination.platform.merged > 0
    assert set(first.loc[cut, "kind"]) <= {"request", "complex", "utility"}


def _figures(summary, tasks):
    """Mean resolution hours of residents' requests, bounces of cross-department cases."""
    cases = tasks[tasks["kind"] == "cross_department"]
    return summary["resolution_hours_mean"], float(cases["bounces"].sum())


def test_direction_over_seeds_fewer_bounces_and_sooner_resolution():
    """Direct dispatch and merging (seeds 001, 002) shorten residents' waits."""
    values = paired("typical_county", ["policy/platform=one_intake"], _figures, days=150,
                    seeds=(1, 2, 3))
    resolution, bounces = values[:, :, 0], values[:, :, 1]
    assert (bounces[:, 1] < bounces[:, 0]).all(), bounces
    assert (resolution[:, 1] < resolution[:, 0]).all(), resolution

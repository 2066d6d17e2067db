"""One enforcement team (sim/policies/enforcement.py): matters kept by certified township teams."""

from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest

from sim.agents.department import Departments
from sim.config import CoordinationPolicy, EnforcementPolicy, ScenarioConfig
from sim.demand import case_draws_needed
from sim.policies.coordination import TOWNSHIP_PART, Coordination
from sim.policies.enforcement import TEAM_PART, EnforcementTeam
from sim.work import STATUSES, ItemTable, Kind
from tests.conftest import paired, run

SCENARIO = replace(ScenarioConfig(), days_per_month=30.0, bounce_probability=0.0,
                   department_part_effort_mean_hours=4.0)
#: Every case a delegated matter; 6 certified cadres won in 3 rounds over 3 months (30 days each).
ONE_TEAM = EnforcementPolicy(name="one_team", team=True, enforcement_share=1.0,
                             delegated_share=1.0, certified_per_township=6.0,
                             certification_months=3.0, certification_rounds=3,
                             hours_per_certified_week=1.0, effort_multiplier=1.5,
                             training_hours_per_certificate=10.0)


def _setup(policy, n_cases, township=0):
    """``n_cases`` one-department cases of requests arrived at hour ``c``, in two townships."""
    team = EnforcementTeam(SCENARIO, policy, np.random.default_rng(5), townships=2)
    coordination = Coordination(SCENARIO, CoordinationPolicy(), enforcement=team)
    coordination.open_book(n_departments=np.ones(n_cases, dtype=np.int64),
                           departments=np.zeros((n_cases, 1), dtype=np.int64),
                           draws=np.full((n_cases, case_draws_needed(1, 4)), 0.5))
    table = ItemTable()
    first = table.add(n_cases, kind=Kind.CROSS_DEPARTMENT, township=township,
                      arrival=np.arange(n_cases, dtype=float), deadline=1e9, effort=1.0)
    coordination.item[:] = first + np.arange(n_cases)
    book = Departments(np.arange(1) + 10, 8.0)
    book.capacity = np.full(1, 8.0)
    book.capacity_counted = True
    return coordination, team, SimpleNamespace(departments=book, table=table)


def _township_part_done(coordination, cases, time):
    coordination.hand_over(np.asarray(cases), np.full(len(cases), TOWNSHIP_PART),
                           np.asarray(time, float))


def test_certificates_come_in_rounds_none_before_the_first_exam():
    team = EnforcementTeam(SCENARIO, ONE_TEAM, np.random.default_rng(0), townships=2)
    assert team.round_days == pytest.approx(30.0)  # 3 months of 30 days, 3 rounds
    expected = {0: 0.0, 29.9: 0.0, 30: 2.0, 59: 2.0, 60: 4.0, 90: 6.0, 400: 6.0}
    for day, certified in expected.items():
        assert team.certified(day) == pytest.approx(certified), day


def test_a_kept_matter_is_the_teams_item_and_is_resolved_without_any_department():
    coordination, team, model = _setup(ONE_TEAM, 1)
    team.hours[:] = 3.0
    day = 100  # certification complete: 6 cadres x 1 hour a week
    _township_part_done(coordination, [0], [day * 24.0 + 10.0])
    ids, resolution = coordination.answer_day(day, model.departments, model.table)
    assert resolution.size == 0 and len(ids) == 1
    item = ids[0]
    table = model.table
    assert table.kind[item] == Kind.REWORK and table.department[item] == TEAM_PART
    assert table.effort[item] == pytest.approx(3.0) and table.case[item] == 0
    assert table.arrival[item] == pytest.approx(day * 24.0 + 10.0)
    assert model.departments.answers.sum() == 0 and coordination.pending().size == 0
    # The township's team does it; the case comes back as done and its request is resolved.
    done = day * 24.0 + 15.0
    coordination.hand_over(np.array([0]), np.array([TEAM_PART]), np.array([done]))
    _, resolution = coordination.answer_day(day, model.departments, model.table)
    assert resolution.tolist() == [pytest.approx(done - 0.0)]  # request 0 arrived at hour 0
    assert STATUSES[table.status[0]] == "resolved" and table.finish[0] == pytest.approx(done)
    assert model.departments.answers.sum() == 0 and model.departments.case_hours.sum() == 0
    assert team.summary() == {"matters": 1, "delegated": 1, "kept": 1}


def test_the_team_keeps_matters_only_while_its_certified_hours_of_the_week_last():
    coordination, team, model = _setup(ONE_TEAM, 4)
    team.hours[:] = [3.0, 3.5, 2.0, 3.0]
    # Day 35: one round passed, 2 certified cadres x 1 hour = 2 hours a week; day 70: 4 hours.
    _township_part_done(coordination, [0, 1, 2], [35 * 24.0 + 9, 35 * 24.0 + 10, 35 * 24.0 + 11])
    ids, _ = coordination.answer_day(35, model.departments, model.table)
    assert model.table.case[ids].tolist() == [2]  # 3 and 3.5 hours exceed 2; 2 hours fit
    assert sorted(coordination.pending().tolist()) == [0, 1]  # referred to the department
    assert model.departments.answers[0] == 2
    _township_part_done(coordination, [3], [70 * 24.0 + 9])  # a new week, more certified
    ids, _ = coordination.answer_day(70, model.departments, model.table)
    assert model.table.case[ids[model.table.department[ids] == TEAM_PART]].tolist() == [3]


def test_nothing_is_kept_before_the_first_exam_nor_outside_the_delegated_list_nor_when_off():
    for policy, day in ((ONE_TEAM, 10), (replace(ONE_TEAM, delegated_share=0.0), 100),
                        (replace(ONE_TEAM, team=False), 100)):
        coordination, team, model = _setup(policy, 2)
        _township_part_done(coordination, [0, 1], [day * 24.0 + 9, day * 24.0 + 10])
        ids, _ = coordination.answer_day(day, model.departments, model.table)
        assert len(ids) == 0 and model.departments.answers[0] == 2
        assert team.kept.sum() == 0


def test_matters_and_team_hours_are_drawn_from_their_own_stream():
    team = EnforcementTeam(SCENARIO, replace(ONE_TEAM, enforcement_share=0.3,
                                             delegated_share=0.5), np.random.default_rng(9), 2)
    team.open(20_000)
    draws = np.random.default_rng(9).random((20_000, 3))
    np.testing.assert_array_equal(team.matter, draws[:, 0] < 0.3)
    np.testing.assert_array_equal(team.delegated, (draws[:, 0] < 0.3) & (draws[:, 1] < 0.5))
    np.testing.assert_allclose(team.hours, -np.log(1 - draws[:, 2]) * 4.0 * 1.5)
    assert team.hours.mean() == pytest.approx(6.0, rel=0.03)


def test_each_round_books_its_training_hours_in_every_township():
    team = EnforcementTeam(SCENARIO, ONE_TEAM, np.random.default_rng(0), townships=2)
    arrivals = team.training(townships=2, days=80, open_hour=8.5)
    # Rounds passed on days 30 and 60 (day 90 is after the run): 2 certificates x 10 hours each.
    assert arrivals.township.tolist() == [0, 0, 1, 1]
    assert arrivals.time.tolist() == [30 * 24 + 8.5, 60 * 24 + 8.5] * 2
    assert arrivals.effort.tolist() == [20.0] * 4
    assert set(arrivals.kind.tolist()) == {Kind.TASK}


def test_a_run_books_the_training_and_keeps_matters_and_off_changes_nothing():
    days = 150
    team = ["policy/enforcement=one_team", "policy.enforcement.certification_months=2"]
    model, tasks, summary = run("classroom", seed=2, days=days, overrides=team)
    policy = model.policy.enforcement
    rounds = int(np.sum(np.ceil(np.arange(1, policy.certification_rounds + 1)
                                * 2 * model.scenario.days_per_month
                                / policy.certification_rounds) < days))
    training = tasks[(tasks["kind"] == "task") & (tasks["department"] == -1)]
    assert len(training) == rounds * len(model.townships) and rounds == 6
    kept = model.coordination.enforcement.kept
    team_items = tasks[(tasks["kind"] == "rework") & (tasks["department"] == TEAM_PART)]
    assert kept.sum() == len(team_items) > 0
    # Matters drawn (even all cases) change nothing while the team is off.
    _, _, base = run("classroom", seed=2, days=60)
    _, _, drawn = run("classroom", seed=2, days=60,
                      overrides=["policy.enforcement.enforcement_share=1.0"])
    skip = {"runtime_seconds"}
    assert {k: v for k, v in base.items() if k not in skip} == \
        {k: v for k, v in drawn.items() if k not in skip}


def _cases(summary, tasks):
    """Mean resolution hours and bounces of the cross-department requests resolved."""
    cases = tasks[(tasks["kind"] == "cross_department") & tasks["finish"].notna()]
    return float(cases["resolution_hours"].mean()), float(cases["bounces"].sum())


def test_direction_over_seeds_cases_resolve_sooner_with_fewer_bounces():
    """Kept matters skip the departments' delays and bounces (seeds 001, 002, 004)."""
    values = paired("typical_county", ["policy/enforcement=one_team"], _cases, days=150,
                    seeds=(1, 2, 3))  # (seed, baseline/reform, figure)
    resolution, bounces = values[:, :, 0], values[:, :, 1]
    assert (resolution[:, 1] < resolution[:, 0]).all(), resolution
    assert (bounces[:, 1] < bounces[:, 0]).all(), bounces

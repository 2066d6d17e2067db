"""Smoke, determinism, pinned values and common random numbers."""

import numpy as np
import pandas as pd
import pytest

from sim.agents import Cadre, CountyDepartment, Township
from sim.api import make_model
from tests.conftest import ALL_LEVERS, run


def test_agents_are_mesa_agents_of_each_kind(classroom_run):
    model, _, _ = classroom_run
    assert len(model.agents_by_type[Township]) == 4
    assert len(model.agents_by_type[CountyDepartment]) == 8
    cadres = model.agents_by_type[Cadre]
    assert len(cadres) == int(model.roster.occupied.sum())
    assert set(cadres.get("home_unit")) <= set(range(4 + 8))


def test_run_finishes_and_resolves_work(classroom_run):
    model, tasks, summary = classroom_run
    assert model.day == 120 and not model.running
    assert summary["requests_resolved"] > 0.9 * summary["requests_arrived"]
    assert 0 < summary["resolution_hours_mean"] < 24 * 30
    assert abs(sum(summary["hours_share"].values()) - 1) < 1e-9


def test_same_seed_same_run():
    _, tasks_a, summary_a = run("classroom", seed=11, days=60)
    _, tasks_b, summary_b = run("classroom", seed=11, days=60)
    summary_a.pop("runtime_seconds"), summary_b.pop("runtime_seconds")
    assert summary_a == summary_b
    pd.testing.assert_frame_equal(tasks_a, tasks_b)


def test_different_seed_different_run():
    _, _, a = run("classroom", seed=1, days=60)
    _, _, b = run("classroom", seed=2, days=60)
    assert a["requests_arrived"] != b["requests_arrived"]


def test_pinned_values_of_one_seeded_run():
    """Exact numbers of one run: any change to the mechanics or the streams shows up here.

    Update these in the same commit as a deliberate change, saying why.
    """
    _, _, summary = run("classroom", seed=1, days=60)
    assert summary["requests_arrived"] == PINNED["requests_arrived"]
    assert summary["tasks_arrived"] == PINNED["tasks_arrived"]
    assert summary["resolution_hours_mean"] == pytest.approx(PINNED["resolution_hours_mean"],
                                                             rel=1e-9)
    assert summary["overload_index_mean"] == pytest.approx(PINNED["overload_index_mean"],
                                                           rel=1e-9)


PINNED = {
    "requests_arrived": 1539,
    "tasks_arrived": 985,
    # Changed with the fixes of 2026-11-29: starting vacancies wait for hiring, case draws
    # derived from max_bounces and max_departments_per_case, mandatory hours capped before
    # they are booked (demand unchanged: same arrivals and tasks).
    # Changed with issue 11 item 7: secondees count for their borrowing department and special
    # projects bring it work, so department backlogs and answer times move (with
    # scenario.secondees_work_for_department=false the value is 41.12853507006994, as before).
    # Changed with issue 11 item 3: the scenarios put two cadres on call at nights and
    # weekends, emergencies interrupt other work and take two cadres (with
    # scenario.on_call_cadres=0 scenario.emergency_preempts=false
    # scenario.emergency_team_cadres=1 the values are 41.12269114505538 and 1.055172853515705,
    # as before).
    # Changed with on-call fatigue: hours worked on call are overtime that tires the cadre who
    # worked them (the overload index, computed from hours, does not move).
    "resolution_hours_mean": 41.00844343090029,
    "overload_index_mean": 1.055189512406532,
}


def _drawn(tasks):
    """Effort as drawn: a contracted item's hours (purchase), else effort before care (feedback)."""
    tasks = tasks.copy()
    contracted = tasks["contracted_hours"] > 0
    tasks["effort"] = np.where(contracted, tasks["contracted_hours"],
                               tasks["effort"] / tasks["care"])
    return tasks


def _demand(tasks):
    tasks = _drawn(tasks)
    citizen = tasks[tasks["kind"].isin(["request", "complex", "utility", "cross_department",
                                        "emergency"])]
    return citizen[["kind", "township", "arrival", "effort", "deadline"]].sort_values(
        ["township", "arrival"]).reset_index(drop=True)


def _assert_same_demand(base, reformed, model):
    """The same requests arrive; under the one-stop platform a merged repeat takes
    ``merged_effort_share`` of its drawn effort, and nothing else changes."""
    a, b = _demand(base), _demand(reformed)
    platform = model.reforms["platform"]
    if platform.on:
        cut = ~np.isclose(a["effort"], b["effort"])
        assert cut.sum() == platform.merged > 0
        np.testing.assert_allclose(b["effort"][cut],
                                   a["effort"][cut] * platform.policy.merged_effort_share)
        a, b = a.drop(columns="effort"), b.drop(columns="effort")
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize("lever", ALL_LEVERS + ["policy/secondment=regulated"])
def test_common_random_numbers_same_demand_under_every_policy(lever):
    _, base, _ = run("classroom", seed=5, days=60)
    model, reformed, _ = run("classroom", seed=5, days=60, overrides=[lever])
    _assert_same_demand(base, reformed, model)
    # Tasks pushed down by departments (a reform's own work, such as the platform's upkeep or
    # the enforcement teams' training, is booked as a task with no department).
    def pushed_down(tasks):
        return tasks[(tasks["kind"] == "task") & (tasks["department"] >= 0)][
            ["township", "arrival", "effort"]]

    tasks_base, tasks_reformed = pushed_down(_drawn(base)), pushed_down(_drawn(reformed))
    np.testing.assert_array_equal(tasks_base.to_numpy(), tasks_reformed.to_numpy())


def test_all_levers_together_change_the_outcome_but_not_the_demand():
    _, base, a = run("classroom", seed=5, days=90)
    model, reformed, b = run("classroom", seed=5, days=90, overrides=ALL_LEVERS)
    _assert_same_demand(base, reformed, model)
    assert a["resolution_hours_mean"] != b["resolution_hours_mean"]


def test_datacollector_has_one_row_per_day(classroom_run):
    model, _, _ = classroom_run
    daily = model.datacollector.get_model_vars_dataframe()
    assert len(daily) == 120
    assert {"backlog", "overload_index", "hours_service", "secondments_active"} <= set(daily)


def test_step_by_step_equals_run():
    a = make_model("classroom", seed=4, days=30)
    a.run()
    b = make_model("classroom", seed=4, days=30)
    while b.running:
        b.step()
    assert a.datacollector.get_model_vars_dataframe().equals(
        b.datacollector.get_model_vars_dataframe())


def test_the_daily_series_equal_mesas_own_collection():
    """The records' collector skips Mesa's deep copy of each number; the series are the same
    as Mesa's DataCollector gives with the same reporters, and a reporter that returns
    anything but a number is refused."""
    import mesa

    from sim.records import DAILY_REPORTERS, NumberCollector

    model = make_model("classroom", seed=4, days=12)
    mesas = mesa.DataCollector(model_reporters=DAILY_REPORTERS)
    while model.day < model.days:
        model.step()
        mesas.collect(model)
    ours = model.datacollector.get_model_vars_dataframe()
    pd.testing.assert_frame_equal(ours, mesas.get_model_vars_dataframe())
    assert len(ours) == 12 and ours["backlog"].iloc[-1] == model.records.backlog
    bad = NumberCollector(model_reporters={"queue": lambda m: [m.records.backlog]})
    with pytest.raises(TypeError, match="queue"):
        bad.collect(model)


def test_a_copied_config_is_equal_and_independent():
    from omegaconf import OmegaConf

    from sim.api import compose_config, copy_config, typed

    cfg = compose_config(["scenario=classroom"])
    copy = copy_config(cfg)
    assert typed(copy) == typed(cfg)
    assert OmegaConf.get_type(copy.policy.meetings) is OmegaConf.get_type(cfg.policy.meetings)
    copy.scenario.townships = cfg.scenario.townships + 1
    assert copy.scenario.townships != cfg.scenario.townships
    with pytest.raises(Exception, match="townships"):  # still typed: a text is refused
        copy.scenario.townships = "many"

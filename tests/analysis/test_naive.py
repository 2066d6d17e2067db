"""The naive hourly-tick baseline (sim.analysis.naive): works, conserves work, and matches its load.

The baseline is what ``make bench`` times the county model against, so it must be a faithful
model, not a strawman: it resolves work, loses none, keeps busy in proportion to the load offered,
and faces the same demand as the county model.
"""

import numpy as np
import pytest

from sim.analysis.naive import NaiveCountyWorkload
from sim.api import compose_config, make_model, typed
from sim.work import Kind


def scenario(name):
    return typed(compose_config([f"scenario={name}"])).scenario


def queue(*, cadres=6, requests_per_1000_people_day=1.0, population=40_000, days=200, seed=3):
    """One township, no mandatory work, no overtime, no tasks: a plain multi-server queue."""
    zero = dict.fromkeys(
        ["emergencies_per_township_month", "tasks_per_township_week", "meetings_per_cadre_week",
         "document_hours_per_cadre_week", "inspections_per_township_month",
         "chat_groups_per_cadre", "complex_share", "utility_share"], 0.0)
    return NaiveCountyWorkload(
        population=[population], distance_km=[20.0], cadres_per_township=cadres,
        leaders_per_township=0, requests_per_1000_people_day=requests_per_1000_people_day,
        request_effort_mean_hours=2.0, request_effort_sigma=0.8,
        emergency_effort_mean_hours=6.0, task_effort_mean_hours=10.0, task_effort_sigma=0.9,
        task_deadline_days=10, deadline_general_days=7, deadline_complex_days=15,
        deadline_utility_hours=24, deadline_emergency_hours=2, meeting_hours=1.5,
        leader_meeting_multiplier=2.0, in_person_share=0.8, travel_speed_kmh=40,
        inspection_hours_per_cadre=2.0, chat_hours_per_group_day=0.05,
        regular_hours_per_day=8.0, overtime_cap_hours_per_day=0.0, days=days, seed=seed, **zero)


@pytest.fixture(scope="module")
def classroom_naive():
    model = NaiveCountyWorkload.from_scenario(scenario("classroom"), days=5, seed=2)
    model.run()
    return model


def test_runs_a_few_days_and_resolves_work(classroom_naive):
    model = classroom_naive
    summary = model.summary()
    assert model.hour == 5 * 24 and not model.running
    assert summary["items_resolved"] > 50
    assert summary["items_resolved"] <= summary["items_arrived"]
    resolution = np.concatenate([t.resolution_hours for t in model.townships])
    assert (resolution >= 0).all() and np.isfinite(resolution).all()
    assert summary["mandatory_hours"] > 0 and summary["service_hours"] > 0


def test_work_is_conserved(classroom_naive):
    summary = classroom_naive.summary()
    done_or_left = summary["service_hours"] + summary["backlog_hours"]
    assert done_or_left == pytest.approx(summary["effort_arrived_hours"], rel=1e-9)


def test_same_seed_same_run():
    a = NaiveCountyWorkload.from_scenario(scenario("classroom"), days=3, seed=5)
    b = NaiveCountyWorkload.from_scenario(scenario("classroom"), days=3, seed=5)
    a.run()
    b.run()
    assert a.summary() == b.summary()


@pytest.mark.parametrize("load", [0.3, 0.7])
def test_long_run_utilisation_matches_offered_load(load):
    cadres, population = 6, 40_000
    capacity_per_week = cadres * 8.0 * 5  # cadre-hours
    # Requests per weekday such that the offered work is ``load`` of capacity (weekends half).
    per_week = load * capacity_per_week / 2.0
    rate = per_week / (5 + 2 * 0.5) / (population / 1000)
    model = queue(cadres=cadres, requests_per_1000_people_day=rate, population=population,
                  days=400)
    model.run()
    summary = model.summary()
    assert summary["utilisation"] == pytest.approx(load, rel=0.1)
    assert summary["backlog_hours"] < 0.02 * summary["effort_arrived_hours"]


def test_overload_leaves_a_backlog_and_caps_utilisation():
    model = queue(requests_per_1000_people_day=2.0, days=60)  # offered ~1.4x capacity
    model.run()
    summary = model.summary()
    assert summary["utilisation"] == pytest.approx(1.0, abs=0.01)
    assert summary["backlog_hours"] > 0.2 * summary["effort_arrived_hours"]


def test_same_demand_as_the_county_model():
    ours = make_model("classroom", seed=4, days=120)
    ours.run()
    arrived = sum(1 for item in ours.items if item.kind != Kind.REWORK)
    naive = NaiveCountyWorkload.from_scenario(ours.scenario, days=120, seed=4)
    naive.run()
    assert naive.summary()["items_arrived"] == pytest.approx(arrived, rel=0.06)
    assert [t.population for t in naive.townships] == [t.population for t in ours.townships]

"""The township's own statutory work (issue 11, item 9): its arrivals, service and measures.

Arrivals of kind ``own_work`` (sim/demand.py) come on working days in office hours at the rate
the config sets; in a run they compete in the queue, are served and resolved, every hour booked
to ``own_work`` is effort done on them, and the summary's figures (sim/measures/own_work.py)
match an independent count from the item table.
"""

import numpy as np
import pytest

from sim.demand import own_work
from sim.kernels.columns import Hours, Kind
from sim.measures.metrics import summarize, task_table
from sim.work import CALENDAR_HOURS_PER_WORKING_DAY, RESOLVED

OWN = ["scenario.own_work_per_township_week=8", "scenario.own_work_per_10k_people_week=1",
       "scenario.own_work_effort_mean_hours=3"]


def test_own_work_arrives_on_working_days_in_office_hours_at_the_set_rate():
    rng = np.random.default_rng(4)
    population = np.array([20_000, 50_000])
    days = 700
    working = np.arange(days) % 7 < 5
    arrivals = own_work(rng, population=population, working_days=working,
                        open_hours=(8.0, 17.0), per_township_week=5.0, per_10k_people_week=2.0,
                        effort_mean_hours=4.0, effort_sigma=0.8, deadline_days=10.0)
    day, hour = np.divmod(arrivals.time, 24.0)
    assert working[day.astype(int)].all()
    assert ((hour >= 8.0) & (hour < 17.0)).all()
    assert (arrivals.kind == Kind.OWN_WORK).all()
    assert np.allclose(arrivals.deadline - arrivals.time, 10.0 * CALENDAR_HOURS_PER_WORKING_DAY)
    weeks = days / 7
    for t, people in enumerate(population):
        expected = (5.0 + 2.0 * people / 10_000) * weeks
        count = np.count_nonzero(arrivals.township == t)
        assert abs(count - expected) < 4 * np.sqrt(expected)  # Poisson, 4 sd
    assert arrivals.effort.mean() == pytest.approx(4.0, rel=0.1)


@pytest.fixture(scope="module")
def own_run():
    """A classroom county with own work, every cadre at full productivity."""
    from sim.api import make_model

    model = make_model("classroom", seed=2, days=56, overrides=[
        *OWN, "scenario.ramp_up_start_productivity=1", "scenario.fatigue_productivity_loss=0"])
    model.run()
    return model


def test_own_work_is_served_resolved_and_its_hours_are_its_effort(own_run):
    model = own_run
    table = model.table
    n = len(table)
    own = table.kind[:n] == Kind.OWN_WORK
    assert own.sum() > 100
    resolved = own & (table.status[:n] == RESOLVED)
    assert resolved.sum() > 0.9 * own.sum()
    # Never lost: each is resolved, or still waiting or half done in its township.
    assert ((table.status[:n][own] == RESOLVED) | (table.remaining[:n][own] > 0)).all()
    # At full productivity, the hours booked to own work are the effort done on it.
    done = (table.effort[:n] - table.remaining[:n])[own].sum()
    assert model.townships.hours[:, Hours.OWN_WORK].sum() == pytest.approx(done)


def test_summary_figures_match_the_item_table(own_run):
    model = own_run
    summary = summarize(model)
    tasks = task_table(model)
    own = tasks[tasks["kind"] == "own_work"]
    assert summary["own_work_arrived"] == len(own)
    assert summary["own_work_resolved"] == int((own["status"] == "resolved").sum())
    due = own[own["deadline"] <= model.day * 24.0]
    met = (due["status"] == "resolved") & (due["finish"] <= due["deadline"])
    assert summary["own_work_on_time_share_due"] == pytest.approx(met.mean())
    assert summary["hours_share"]["own_work"] > 0
    # Residents' requests are the same draws with or without own work (common random numbers).
    from sim.api import make_model

    plain = make_model("classroom", seed=2, days=56, overrides=[
        "scenario.ramp_up_start_productivity=1", "scenario.fatigue_productivity_loss=0"])
    plain.run()
    before = task_table(plain)
    citizen = ["request", "complex", "utility", "cross_department", "emergency"]
    a = before[before["kind"].isin(citizen)][["arrival", "effort"]].to_numpy()
    b = tasks[tasks["kind"].isin(citizen)][["arrival", "effort"]].to_numpy()
    assert np.array_equal(np.sort(a, axis=0), np.sort(b, axis=0))
    assert "own_work_arrived" not in summarize(plain)

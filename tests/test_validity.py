"""Analytical checks: Erlang C, Little's law, conservation of posts and work items."""

import numpy as np
import pytest

from sim.analysis.erlang import erlang_c_wait
from sim.measures.metrics import summarize
from tests.conftest import ALL_LEVERS, run


@pytest.mark.parametrize(
    "servers, load, days, seeds",
    [(1, 0.5, 1000, 3), (2, 0.7, 1000, 3), (3, 0.8, 1000, 4), (5, 0.9, 1200, 4)],
)
def test_pure_queue_mean_wait_agrees_with_erlang_c(servers, load, days, seeds):
    rate = load * servers
    waits = []
    for seed in range(seeds):
        model, tasks, summary = run("mmc", seed=seed, days=days, overrides=[
            f"scenario.servers={servers}", f"scenario.arrival_rate_per_hour={rate}",
            "scenario.mean_service_hours=1.0"])
        waits.append(summary["wait_hours_mean"])
    expected = erlang_c_wait(servers, rate, 1.0)
    assert np.mean(waits) == pytest.approx(expected, rel=0.08)


def test_erlang_c_formula_known_value():
    # Textbook case: c=2, lambda=1, mu=1 (load 1): P(wait) = 1/3, Wq = 1/3.
    assert erlang_c_wait(2, 1.0, 1.0) == pytest.approx(1 / 3)
    assert erlang_c_wait(1, 0.5, 1.0) == pytest.approx(1.0)  # M/M/1: rho/(mu - lambda)


def test_pure_queue_service_time_is_the_configured_mean():
    _, tasks, summary = run("mmc", seed=2, days=600)
    resolved = tasks[tasks["status"] == "resolved"]
    service = resolved["finish"] - resolved["start"]
    assert service.mean() == pytest.approx(1.0, rel=0.03)
    assert summary["wait_hours_mean"] > 0


def _littles_law(tasks, horizon):
    in_system = tasks[tasks["status"] != "returned"]
    arrival = in_system["arrival"].to_numpy()
    end = np.minimum(np.nan_to_num(in_system["finish"].to_numpy(), nan=horizon), horizon)
    grid = np.arange(0.5, horizon, 1.0)  # the middle of every hour
    number = (np.searchsorted(np.sort(arrival), grid, side="right")
              - np.searchsorted(np.sort(end), grid, side="right"))
    time_average = number.mean()
    rate = len(arrival) / horizon
    mean_sojourn = (end - arrival).mean()
    return time_average, rate * mean_sojourn


@pytest.mark.parametrize("scenario, overrides", [
    ("classroom", []), ("typical_county", []), ("classroom", ALL_LEVERS), ("mmc", [])])
def test_littles_law(scenario, overrides):
    model, tasks, _ = run(scenario, seed=9, days=90, overrides=overrides)
    time_average, rate_times_sojourn = _littles_law(tasks, model.days * 24.0)
    assert time_average > 1
    assert time_average == pytest.approx(rate_times_sojourn, rel=0.02)


def test_records_agree_with_the_queue_state_every_day(county_run):
    """The backlog the townships hold at each day's end equals what the records say."""
    model, tasks, _ = county_run
    daily = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    township_work = tasks[tasks["status"] != "returned"]
    arrival = np.sort(township_work["arrival"].to_numpy())
    done = np.sort(np.nan_to_num(township_work["township_done"].to_numpy(), nan=np.inf))
    ends = (np.arange(model.days) + 1) * 24.0
    from_records = (np.searchsorted(arrival, ends, side="left")
                    - np.searchsorted(done, ends, side="left"))
    np.testing.assert_array_equal(daily["backlog"].to_numpy(), from_records)


@pytest.mark.parametrize("overrides", [[], ALL_LEVERS])
def test_work_items_are_conserved(overrides):
    model, tasks, summary = run("typical_county", seed=4, days=90, overrides=overrides)
    assert tasks["id"].is_unique and len(tasks) == len(model.items)
    counts = tasks["status"].value_counts()
    assert counts.sum() == len(tasks)
    open_in_townships = sum(t.backlog for t in model.townships)
    with_contractors = len(model.reforms["purchase"].pending)  # policies/purchase.py
    assert counts.get("open", 0) == open_in_townships + with_contractors
    # A case with the departments is waiting for an answer or being re-handled.
    with_departments = {item.case for item in model.items if item.status == "with_departments"}
    pending_cases = set(model.coordination.pending().tolist())
    assert with_departments
    assert with_departments <= pending_cases | {
        it.case for it in model.items if it.kind == 5 and it.status == "open"}
    assert (summary["requests_resolved"] + summary["requests_open"]
            == summary["requests_arrived"])
    resolved = tasks[tasks["status"] == "resolved"]
    assert (resolved["finish"] >= resolved["arrival"]).all()
    started = resolved[resolved["start"].notna()]  # a contractor's item may have no cadre start
    assert (started["start"] >= started["arrival"]).all()
    assert (resolved["start"].isna() == (resolved["contracted_hours"] > 0)
            & (resolved["effort"] == 0)).all()


@pytest.mark.parametrize("posts", ["sink", "henan", "puge", "qujing"])
def test_posts_are_conserved_and_moved_as_planned(posts):
    model, _, summary = run("typical_county", seed=2, days=300, overrides=[f"policy/posts={posts}"])
    daily = model.datacollector.get_model_vars_dataframe()
    totals = daily["posts_townships"] + daily["posts_departments"]
    assert (totals == summary["posts_total"]).all()
    moved = daily["posts_townships"].iloc[-1] - daily["posts_townships"].iloc[0] + (
        model.reforms["posts"].plan.moves[0].sum())
    assert moved == model.reforms["posts"].plan.total
    assert model.reforms["posts"].plan.total > 0


def test_qujing_floors_are_met():
    model, _, _ = run("qujing_county", seed=1, days=30, overrides=["policy/posts=qujing"])
    roster = model.roster
    for township in model.townships:
        assert roster.admin[township.slots].sum() >= 20
    in_townships = (roster.unit < len(model.townships)).sum()
    assert in_townships >= 0.12 * len(roster)


def test_summary_counts_match_the_records(county_run):
    model, tasks, summary = county_run
    assert summary == {**summarize(model, tasks), "runtime_seconds": summary["runtime_seconds"]}
    citizen = tasks[~tasks["kind"].isin(["task", "rework", "own_work"])]
    assert summary["requests_arrived"] == len(citizen)


@pytest.mark.parametrize("window", [(23.999999999999993, 24.0), (0.0, 24.0), (8.0, 17.5)])
def test_arrivals_stay_in_the_day_they_were_drawn_for(window):
    # Independent count: each (township, day) cell's draws must land in [d*24, (d+1)*24),
    # however the uniform rounds (a window closing at midnight, or a late day of a long run).
    from sim.demand import _times

    rng = np.random.default_rng(7)
    counts = rng.poisson(40.0, (3, 400))
    township, time = _times(rng, counts, 0.9, window)
    day = np.concatenate([np.repeat(np.arange(counts.shape[1]), row) for row in counts])
    assert np.all(time >= day * 24.0) and np.all(time < (day + 1) * 24.0)
    filed = np.searchsorted(np.arange(counts.shape[1] + 1) * 24.0, time, side="right") - 1
    assert np.array_equal(np.bincount(filed, minlength=400), counts.sum(axis=0))

"""Purchased services (policy/purchase, seed 001): contracting, returns, rework, cost, the cap."""

from types import SimpleNamespace

import numpy as np
import pytest
from scipy import stats

from sim.config import PurchasePolicy, ScenarioConfig
from sim.demand import DayArrivals
from sim.policies.purchase import TURNAROUND_SHAPE, PurchasedServices
from sim.work import OPEN, RESOLVED, ItemTable, Kind
from tests.conftest import FixedDraws, paired, run

EMPTY = np.zeros(0, dtype=np.int64)


def _day(table, kinds, township, arrival, effort):
    """Create a hand-made day of items in ``table``; its DayArrivals (all queued)."""
    n = len(kinds)
    first = table.add(n, kind=np.array(kinds, dtype=np.int8), township=np.array(township),
                      arrival=np.array(arrival, dtype=float), deadline=np.array(arrival) + 100.0,
                      effort=np.array(effort, dtype=float))
    ids = np.arange(first, first + n)
    return DayArrivals(ids=ids, cases=slice(0, 0), case_items=EMPTY, refused_department=EMPTY,
                       refused_hours=np.zeros(0), created=slice(first, first + n))


def _services(u, townships=2, days=7, **policy):
    scenario = ScenarioConfig(name="hand")
    return PurchasedServices(scenario, PurchasePolicy(**policy), FixedDraws(u),
                             townships=townships, days=days)


def test_contracted_items_leave_the_queue_and_come_back_resolved_or_for_rework():
    table = ItemTable()
    kinds = [Kind.TASK, Kind.REQUEST, Kind.COMPLEX, Kind.TASK, Kind.REQUEST]
    effort = [10.0, 2.0, 3.0, 8.0, 1.0]
    arrived = _day(table, kinds, [0, 0, 1, 1, 1], [9.0, 10.0, 11.0, 12.0, 13.0], effort)
    # Columns: contracted?, turnaround, rework?. Item 0 (task) and item 1 (request) are picked
    # (below their shares); item 2 is complex (never); item 3 is a task above the share; item 4
    # a request picked, and needs rework.
    u = [[0.1, 0.5, 0.9], [0.2, 0.1, 0.9], [0.0, 0.5, 0.0], [0.6, 0.5, 0.0], [0.29, 0.9, 0.05]]
    services = _services(u, task_share=0.5, request_share=0.3, price_yuan_per_hour=50.0,
                         price_yuan_per_item=7.0, turnaround_days_mean=2.0, rework_share=0.1,
                         rework_effort_share=0.25)
    model = SimpleNamespace(table=table)
    kept = services.take_arrivals(model, 0, arrived, arrived.ids)
    assert kept.tolist() == [2, 3]
    contracted = [0, 1, 4]
    assert table.effort[contracted].tolist() == [0.0, 0.0, 0.0]
    assert table.remaining[contracted].tolist() == [0.0, 0.0, 0.0]
    assert services.hours[:5].tolist() == [10.0, 2.0, 0.0, 0.0, 1.0]
    days = stats.gamma.ppf([0.5, 0.1, 0.9], TURNAROUND_SHAPE, scale=2.0 / TURNAROUND_SHAPE)
    np.testing.assert_allclose(services.due[contracted], np.array([9.0, 10.0, 13.0]) + 24 * days)
    # Day by day, each comes back on the day it is due; item 4 for 0.25 of its hour of rework.
    back, resolved = [], []
    for day in range(10):
        later, times = services.end_day(model, day)
        for i in later:
            assert services.due[i] < (day + 1) * 24 and (day == 0 or services.due[i] >= day * 24)
        back += later.tolist()
        resolved += times.tolist()
    assert back == [4]
    assert table.status[4] == OPEN and table.effort[4] == table.remaining[4] == 0.25
    assert table.status[[0, 1]].tolist() == [RESOLVED, RESOLVED]
    np.testing.assert_allclose(table.finish[[0, 1]], services.due[[0, 1]])
    # Only item 1 is a citizen request resolved by the contractor: its resolution time.
    np.testing.assert_allclose(resolved, [services.due[1] - 10.0])
    figures = services.summary_figures()
    assert figures["contracted_items"] == 3 and figures["contracted_hours"] == 13.0
    assert figures["contract_cost_yuan"] == 13.0 * 50.0 + 3 * 7.0
    assert figures["contract_rework_items"] == 1 and figures["contract_open_end"] == 0
    np.testing.assert_allclose(figures["contract_staff_fte"], 13.0 / 40.0)


def test_the_cap_on_contract_staff_stops_contracting_when_the_week_s_hours_are_used():
    table = ItemTable()
    arrived = _day(table, [Kind.TASK] * 4, [0, 0, 0, 1], [9.0, 10.0, 11.0, 12.0],
                   [30.0, 20.0, 5.0, 50.0])
    u = np.zeros((4, 3))
    u[:, 2] = 1.0
    # One contract staff at 40 hours a week: township 0 contracts 30 h, not the 20 h item
    # that would exceed 40, then the 5 h one; township 1's 50 h item does not fit.
    services = _services(u, task_share=1.0, contract_staff_cap=1.0)
    kept = services.take_arrivals(SimpleNamespace(table=table), 0, arrived, arrived.ids)
    assert kept.tolist() == [1, 3]
    assert services.budget.tolist() == [5.0, 40.0]


def test_the_baseline_contracts_nothing_and_draws_nothing():
    services = _services(np.zeros((0, 3)))
    assert not services.enabled
    table = ItemTable()
    arrived = _day(table, [Kind.TASK], [0], [9.0], [4.0])
    assert services.take_arrivals(SimpleNamespace(table=table), 0, arrived,
                                  arrived.ids) is arrived.ids


@pytest.fixture(scope="module")
def purchased():
    return run("classroom", seed=4, days=120, overrides=["policy/purchase=zhucheng"])


def test_every_item_is_accounted_for_and_the_cost_is_the_task_table_s_hours_times_price(
        purchased):
    model, tasks, summary = purchased
    contracted = tasks[tasks["contracted_hours"] > 0]
    assert len(contracted) == summary["contracted_items"] > 0
    policy = model.policy.purchase
    assert summary["contract_cost_yuan"] == pytest.approx(
        contracted["contracted_hours"].sum() * policy.price_yuan_per_hour
        + len(contracted) * policy.price_yuan_per_item)
    # Only tasks and routine requests are contracted.
    assert set(contracted["kind"].astype(str)) <= {"task", "request"}
    # Conservation: every item is resolved, returned, with departments, in a township's
    # queue or hands, or with a contractor; open items are exactly the last two.
    with_contractor = set(model.reforms["purchase"].pending.tolist())
    townships = model.townships
    queued = {int(i) for t in range(len(townships))
              for i in townships.queues[t, :townships.queue_size[t]]}
    queued |= set(townships.carry[townships.carry >= 0].tolist())
    queued |= set(townships.incoming.tolist())
    open_ids = set(np.flatnonzero(tasks["status"].to_numpy() == "open").tolist())
    assert open_ids == queued | with_contractor
    assert not queued & with_contractor
    assert summary["contract_open_end"] == len(with_contractor)
    # A contracted item took cadre hours only for its rework.
    reworked = contracted[contracted["effort"] > 0]
    assert len(reworked) == summary["contract_rework_items"]
    np.testing.assert_allclose(reworked["effort"],
                               policy.rework_effort_share * reworked["contracted_hours"])
    # Contractors' items without rework are resolved when they came back, after arrival.
    direct = contracted[(contracted["effort"] == 0) & (contracted["status"] == "resolved")]
    assert len(direct) and (direct["finish"] > direct["arrival"]).all()
    assert direct["start"].isna().all()  # no cadre touched them


def test_purchase_lowers_township_overload_over_seeds():
    pairs = paired("classroom", ["policy/purchase=zhucheng"],
                   lambda s, t: s["overload_index_mean"], days=120, seeds=(1, 2, 3))
    assert (pairs[:, 1] < pairs[:, 0]).all(), pairs


def test_the_cap_contracts_less_than_no_cap_on_the_same_demand():
    pairs = paired("classroom", ["policy/purchase=capped", "policy.purchase.contract_staff_cap=1"],
                   lambda s, t: s["contracted_hours"], days=60, seeds=(1, 2),
                   base=["policy/purchase=zhucheng"])
    assert (pairs[:, 1] < pairs[:, 0]).all(), pairs

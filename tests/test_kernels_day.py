"""The compiled serving loop and booking (sim/kernels/day.py) on small hand-made days."""

import numpy as np
import pytest

from sim.agents.township import CATEGORY_OF_KIND, HOURS_CATEGORIES
from sim.kernels.day import book_finished, finish_day, plan_windows, push, serve_day
from sim.policies.coordination import TOWNSHIP_PART
from sim.work import STATUSES, ItemTable, Kind


def _table(kind, arrival, deadline, effort):
    table = ItemTable(capacity=4)  # small, so that adding items has to grow it
    table.add(len(arrival), kind=np.asarray(kind), township=0, arrival=np.asarray(arrival),
              deadline=np.asarray(deadline), effort=np.asarray(effort))
    return table


def _day(table, queued, arrivals, start, regular_end, overtime_end, fifo=False, in_hand=None):
    """Serve one day; return (finished ids, finish times, worked, carry_out, hours, size)."""
    n = len(start)
    heap = np.empty(len(queued) + len(arrivals) + n, dtype=np.int64)
    size = 0
    for item in queued:
        size = push(heap, size, item, fifo, table.priority, table.deadline, table.arrival)
    worked, carry_out = np.empty(n), np.empty(n, dtype=np.int64)
    finished = np.empty(len(heap), dtype=np.int64)
    finished_time = np.empty(len(heap))
    hours = np.zeros(len(HOURS_CATEGORIES))
    size, done = serve_day(
        heap, size, fifo, np.asarray(arrivals, dtype=np.int64),
        np.full(n, -1, dtype=np.int64) if in_hand is None else np.asarray(in_hand),
        np.asarray(start, float), np.asarray(regular_end, float), np.asarray(overtime_end, float),
        np.ones(n), table.priority, table.deadline, table.arrival, table.kind, table.remaining,
        table.start, CATEGORY_OF_KIND, hours, worked, carry_out, finished, finished_time)
    return finished[:done].tolist(), finished_time[:done], worked, carry_out, hours, size


def test_queue_serves_emergencies_then_deadline_then_arrival_then_id():
    rng = np.random.default_rng(3)
    n = 200
    kind = np.where(rng.random(n) < 0.2, Kind.EMERGENCY, Kind.REQUEST)
    arrival = rng.integers(0, 5, n).astype(float)  # many ties, so every key is used
    deadline = arrival + rng.integers(1, 4, n)
    table = _table(kind, arrival, deadline, np.full(n, 0.01))
    order, *_ = _day(table, rng.permutation(n), [], [10.0], [1e9], [1e9])
    expected = sorted(range(n), key=lambda i: (kind[i] != Kind.EMERGENCY, deadline[i],
                                               arrival[i], i))
    assert order == expected
    fifo_table = _table(kind, arrival, deadline, np.full(n, 0.01))
    order, *_ = _day(fifo_table, rng.permutation(n), [], [10.0], [1e9], [1e9], fifo=True)
    assert order == sorted(range(n), key=lambda i: (arrival[i], i))


def test_parallel_cadres_finish_times_and_hours():
    # Two cadres from 8:00, three 2-hour requests waiting: two finish at 10, one at 12.
    table = _table([Kind.REQUEST] * 3, [0.0, 1.0, 2.0], [50.0] * 3, [2.0] * 3)
    order, times, worked, carry_out, hours, size = _day(table, [0, 1, 2], [], [8.0, 8.0],
                                                       [16.0, 16.0], [19.0, 19.0])
    assert order == [0, 1, 2]
    assert times.tolist() == [10.0, 10.0, 12.0]
    assert sorted(worked.tolist()) == [2.0, 4.0]
    assert hours[HOURS_CATEGORIES.index("service")] == 6.0
    assert size == 0 and (carry_out == -1).all()
    assert table.start[:3].tolist() == [8.0, 8.0, 10.0]


def test_unfinished_item_is_carried_with_its_remaining_effort():
    table = _table([Kind.TASK], [0.0], [500.0], [20.0])
    order, _, worked, carry_out, hours, size = _day(table, [0], [], [8.0], [16.0], [19.0])
    assert order == [] and size == 0
    assert carry_out.tolist() == [0]
    assert worked.tolist() == [11.0]  # 8:00 to the overtime cap at 19:00
    assert table.remaining[0] == 9.0
    assert hours[HOURS_CATEGORIES.index("tasks")] == 11.0


def test_idle_cadre_takes_arrivals_in_regular_hours_only():
    # Nothing waiting at 8:00; one request arrives at 12:00, another at 17:00 (after regular
    # hours, before the overtime cap): the first is served on arrival, the second waits.
    table = _table([Kind.REQUEST] * 2, [12.0, 17.0], [100.0] * 2, [1.0] * 2)
    order, times, worked, _, _, size = _day(table, [], [0, 1], [8.0], [16.0], [19.0])
    assert order == [0] and times.tolist() == [13.0]
    assert size == 1 and np.isnan(table.start[1])
    assert worked.tolist() == [1.0]


def test_booking_resolves_plain_items_and_hands_cases_over_in_order():
    kinds = [Kind.REQUEST, Kind.CROSS_DEPARTMENT, Kind.TASK, Kind.REWORK, Kind.EMERGENCY]
    table = _table(kinds, [1.0, 2.0, 3.0, 4.0, 5.0], [99.0] * 5, [1.0] * 5)
    table.case[[1, 3]] = [7, 8]
    table.department[3] = 2  # the re-handling goes back to the case's department 2
    ids, time = np.array([4, 3, 2, 1, 0]), np.array([10.0, 11.0, 12.0, 13.0, 14.0])
    resolution, handed_time = np.empty(5), np.empty(5)
    handed_case, handed_k = np.empty(5, dtype=np.int64), np.empty(5, dtype=np.int64)
    n_resolved, n_handed = book_finished(
        ids, time, table.kind, table.status, table.done, table.finish, table.remaining,
        table.arrival, table.case, table.department, resolution, handed_case, handed_k,
        handed_time)
    # Citizen requests (the emergency, then the request) count; the task does not.
    assert resolution[:n_resolved].tolist() == [10.0 - 5.0, 14.0 - 1.0]
    assert handed_case[:n_handed].tolist() == [8, 7]
    assert handed_k[:n_handed].tolist() == [2, TOWNSHIP_PART]
    assert handed_time[:n_handed].tolist() == [11.0, 13.0]
    status = [STATUSES[s] for s in table.column("status")]
    assert status == ["resolved", "with_departments", "resolved", "resolved", "resolved"]
    assert np.isnan(table.finish[1]) and table.done[1] == 13.0
    assert table.finish[3] == 11.0 and table.remaining[3] == 0.0


def test_windows_start_after_capped_mandatory_work_and_days_are_booked():
    # Crew: cadres 0 and 2 on duty in townships 0 and 1, cadre 1 seconded from township 0.
    unit, home = np.array([0, 0, 1]), np.array([True, False, True])
    mandatory = np.array([[1.0, 9.0], [0.5, 2.0], [0.0, 0.0], [0.25, 1.0]])  # on-duty cadres
    categories = np.array([3, 4, 5, 6])
    hours, mandatory_hours = np.zeros((2, len(HOURS_CATEGORIES))), np.zeros(2)
    start, regular_end, overtime_end, total = (np.empty(3) for _ in range(4))
    plan_windows(mandatory, np.flatnonzero(home), unit, np.array([8.0, 12.0, 8.0]),
                 np.array([3.0, 0.0, 3.0]), 32.0, 8.0, 11.0, categories, hours, start,
                 regular_end, overtime_end, total, mandatory_hours)
    assert total.tolist() == [1.75, 0.0, 11.0]  # 12 h of mandatory work capped at 8 + 3
    assert start.tolist() == [33.75, 40.0, 43.0]  # the secondee starts home work at 16:00
    assert regular_end.tolist() == [40.0, 44.0, 40.0]
    assert overtime_end.tolist() == [43.0, 44.0, 43.0]
    assert mandatory_hours.tolist() == [1.75, 11.0]
    # Hours booked are the hours worked: township 1's 12 h asked are cut to 11 in proportion.
    assert hours[:, 3].tolist() == pytest.approx([1.0, 9.0 * 11 / 12])
    assert hours[:, 6].tolist() == pytest.approx([0.25, 11 / 12])
    assert hours.sum(axis=1).tolist() == pytest.approx(mandatory_hours.tolist())
    overtime, township_overtime = np.empty(3), np.zeros(2)
    cadre_days, week_hours = np.zeros(2, dtype=np.int64), np.zeros(5)
    finish_day(home, total, 8.0, np.array([7.0, 2.0, 0.0]), unit, np.array([4, 0, 2]),
               overtime, township_overtime, cadre_days, week_hours)
    assert overtime.tolist() == [0.75, 2.0, 3.0]
    assert township_overtime.tolist() == [2.75, 3.0] and cadre_days.tolist() == [2, 1]
    assert week_hours.tolist() == [10.0, 0.0, 11.0, 0.0, 8.75]


def test_hours_booked_never_exceed_the_hours_cadres_can_work():
    """With mandatory work far above the daily cap, the hours shares count worked hours only."""
    from sim.api import make_model
    from sim.measures.metrics import township_table

    model = make_model("classroom", seed=1, days=21, overrides=[
        "scenario.meetings_per_cadre_week=40", "scenario.document_hours_per_cadre_week=40"])
    model.run()
    table = township_table(model)
    booked = table[[f"hours_{c}" for c in HOURS_CATEGORIES if c != "seconded"]].sum(axis=1)
    staff = table["on_duty"] + table["seconded"]  # secondees do home work after hours
    limit = model.scenario.regular_hours_per_day + model.scenario.overtime_cap_hours_per_day
    working = np.asarray(model.working)[table["day"].to_numpy()]
    assert (booked[working] > 0).all()
    assert (booked <= staff * limit + 1e-6).all()

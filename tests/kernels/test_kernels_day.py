"""The compiled serving loop and booking (sim/kernels/day.py) on small hand-made days."""

import numpy as np
import pytest

from sim.kernels.columns import (
    HOURS_CATEGORIES,
    TOWNSHIP_PART,
    HandOvers,
    Hours,
    ItemColumns,
    Mandatory,
    TownshipColumn,
)
from sim.kernels.day import (
    NO_SHARING,
    Cadres,
    Clock,
    CrewPlan,
    DayBook,
    DayOut,
    Posts,
    Shifts,
    TownshipDay,
    TownshipTotals,
    Windows,
    book_finished,
    finish_day,
    item_order,
    plan_windows,
    record_townships,
    serve_day,
)
from sim.kernels.heap import push
from sim.work import STATUSES, ItemTable, Kind


def _table(kind, arrival, deadline, effort):
    table = ItemTable(capacity=4)  # small, so that adding items has to grow it
    table.add(len(arrival), kind=np.asarray(kind), township=0, arrival=np.asarray(arrival),
              deadline=np.asarray(deadline), effort=np.asarray(effort))
    return table


def _day(table, queued, arrivals, start, regular_end, overtime_end, fifo=False, in_hand=None,
         sharing=NO_SHARING):
    """Serve one day; return (finished ids, finish times, worked, carry_out, hours, size)."""
    n = len(start)
    heap = np.empty(len(queued) + len(arrivals) + n, dtype=np.int64)
    size = 0
    items = ItemColumns.of(table)
    for item in queued:
        size = push(heap, size, item, item_order(fifo, items))
    out = DayOut(hours=np.zeros(len(HOURS_CATEGORIES)), worked=np.empty(n),
                 carry_out=np.empty(n, dtype=np.int64),
                 finished=np.empty(len(heap), dtype=np.int64), finished_time=np.empty(len(heap)))
    cadres = Cadres(
        in_hand=np.full(n, -1, dtype=np.int64) if in_hand is None else np.asarray(in_hand),
        start=np.asarray(start, float), regular_end=np.asarray(regular_end, float),
        overtime_end=np.asarray(overtime_end, float), productivity=np.ones(n))
    size, done = serve_day(heap, size, fifo, np.asarray(arrivals, dtype=np.int64), cadres,
                           items, out, sharing)
    return (out.finished[:done].tolist(), out.finished_time[:done], out.worked, out.carry_out,
            out.hours, size)


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
    assert hours[Hours.SERVICE] == 6.0
    assert size == 0 and (carry_out == -1).all()
    assert table.start[:3].tolist() == [8.0, 8.0, 10.0]


def test_unfinished_item_is_carried_with_its_remaining_effort():
    table = _table([Kind.TASK], [0.0], [500.0], [20.0])
    order, _, worked, carry_out, hours, size = _day(table, [0], [], [8.0], [16.0], [19.0])
    assert order == [] and size == 0
    assert carry_out.tolist() == [0]
    assert worked.tolist() == [11.0]  # 8:00 to the overtime cap at 19:00
    assert table.remaining[0] == 9.0
    assert hours[Hours.TASKS] == 11.0


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
    resolution = np.empty(5)
    handed = HandOvers(case=np.empty(5, dtype=np.int64), k=np.empty(5, dtype=np.int64),
                       time=np.empty(5))
    n_resolved, n_handed = book_finished(ids, time, items=ItemColumns.of(table),
                                         resolution=resolution, handed=handed)
    # Citizen requests (the emergency, then the request) count; the task does not.
    assert resolution[:n_resolved].tolist() == [10.0 - 5.0, 14.0 - 1.0]
    assert handed.case[:n_handed].tolist() == [8, 7]
    assert handed.k[:n_handed].tolist() == [2, TOWNSHIP_PART]
    assert handed.time[:n_handed].tolist() == [11.0, 13.0]
    status = [STATUSES[s] for s in table.column("status")]
    assert status == ["resolved", "with_departments", "resolved", "resolved", "resolved"]
    assert np.isnan(table.finish[1]) and table.done[1] == 13.0
    assert table.finish[3] == 11.0 and table.remaining[3] == 0.0


def test_windows_start_after_capped_mandatory_work_and_days_are_booked():
    # Crew: cadres 0 and 2 on duty in townships 0 and 1, cadre 1 seconded from township 0.
    unit, home = np.array([0, 0, 1]), np.array([True, False, True])
    mandatory = np.zeros((len(Mandatory), 2))  # the two on-duty cadres
    mandatory[Mandatory.MEETINGS] = [1.0, 9.0]
    mandatory[Mandatory.DOCUMENTS] = [0.5, 2.0]
    mandatory[Mandatory.CHAT_GROUPS] = [0.25, 1.0]
    township = TownshipDay(hours=np.zeros((2, len(Hours))), mandatory_hours=np.zeros(2))
    windows = Windows(*(np.empty(3) for _ in Windows._fields))
    plan_windows(mandatory,
                 crew=CrewPlan(home_index=np.flatnonzero(home), unit=unit,
                               regular_length=np.array([8.0, 12.0, 8.0]),
                               overtime_length=np.array([3.0, 0.0, 3.0])),
                 clock=Clock(day_start=32.0, regular=8.0, limit=11.0), windows=windows,
                 township=township)
    # 12 h of mandatory work capped at 8 + 3
    assert windows.mandatory_total.tolist() == [1.75, 0.0, 11.0]
    assert windows.start.tolist() == [33.75, 40.0, 43.0]  # the secondee's home work at 16:00
    assert windows.regular_end.tolist() == [40.0, 44.0, 40.0]
    assert windows.overtime_end.tolist() == [43.0, 44.0, 43.0]
    hours = township.hours
    assert township.mandatory_hours.tolist() == [1.75, 11.0]
    # Hours booked are the hours worked: township 1's 12 h asked are cut to 11 in proportion.
    assert hours[:, Hours.MEETINGS].tolist() == pytest.approx([1.0, 9.0 * 11 / 12])
    assert hours[:, Hours.DOCUMENTS].tolist() == pytest.approx([0.5, 2.0 * 11 / 12])
    assert hours[:, Hours.CHAT_GROUPS].tolist() == pytest.approx([0.25, 11 / 12])
    assert hours.sum(axis=1).tolist() == pytest.approx(township.mandatory_hours.tolist())
    book = DayBook(overtime=np.empty(3), township_overtime=np.zeros(2),
                   township_cadre_days=np.zeros(2, dtype=np.int64), week_hours=np.zeros(5))
    finish_day(Shifts(slots=np.array([4, 0, 2]), home=home, unit=unit,
                      mandatory_total=windows.mandatory_total),
               8.0, np.array([7.0, 2.0, 0.0]), book)
    assert book.overtime.tolist() == [0.75, 2.0, 3.0]
    assert book.township_overtime.tolist() == [2.75, 3.0]
    assert book.township_cadre_days.tolist() == [2, 1]
    assert book.week_hours.tolist() == [10.0, 0.0, 11.0, 0.0, 8.75]


def test_hours_booked_never_exceed_the_hours_cadres_can_work():
    """With mandatory work far above the daily cap, the hours shares count worked hours only.

    Nobody is on call here: on-call hours at night come on top of the day's cap.
    """
    from sim.api import make_model
    from sim.measures.metrics import township_table

    model = make_model("classroom", seed=1, days=21, overrides=[
        "scenario.meetings_per_cadre_week=40", "scenario.document_hours_per_cadre_week=40",
        "scenario.on_call_cadres=0"])
    model.run()
    table = township_table(model)
    booked = table[[f"hours_{c}" for c in HOURS_CATEGORIES if c != "seconded"]].sum(axis=1)
    staff = table["on_duty"] + table["seconded"]  # secondees do home work after hours
    limit = model.scenario.regular_hours_per_day + model.scenario.overtime_cap_hours_per_day
    working = np.asarray(model.working)[table["day"].to_numpy()]
    assert (booked[working] > 0).all()
    assert (booked <= staff * limit + 1e-6).all()


def test_township_records_count_backlog_and_posts_by_name():
    # Townships 0 and 1, then a department (unit 2). Posts: 0 on duty, 1 seconded away,
    # 2 vacant (township 0); 3 on duty carrying item 1 (township 1); 4 in the department.
    table = _table([Kind.REQUEST] * 3, [1.0, 2.0, 3.0], [99.0] * 3, [1.0] * 3)
    table.township[:3] = [0, 1, 1]
    posts = Posts(unit=np.array([0, 0, 0, 1, 2]),
                  occupied=np.array([True, True, False, True, True]),
                  seconded_to=np.array([-1, 2, -1, -1, -1]),
                  carry=np.array([-1, -1, -1, 1, -1]))
    totals = TownshipTotals(demand=np.array([5.0, 6.0]), capacity=np.array([7.0, 8.0]),
                            overtime=np.array([1.5, 2.5]),
                            hours=np.arange(2 * len(Hours), dtype=float).reshape(2, -1))
    record = np.full((2, len(TownshipColumn) - 1 + len(Hours)), -1.0)
    backlog, seconded, vacancies, held = record_townships(
        record, np.array([3, 0]), np.array([2]), table.township, posts, totals)
    column = TownshipColumn
    # waiting (3 and 0), carried (item 1, township 1), re-handling arrived late (item 2)
    assert record[:, column.BACKLOG].tolist() == [3.0, 2.0] and backlog == 5
    assert record[:, column.ON_DUTY].tolist() == [1.0, 1.0]
    assert record[:, column.SECONDED].tolist() == [1.0, 0.0]
    assert record[:, column.VACANCIES].tolist() == [1.0, 0.0]
    assert record[:, column.POSTS].tolist() == [3.0, 1.0]
    assert (seconded, vacancies, held) == (1, 1, 4)
    assert record[:, column.DEMAND_HOURS].tolist() == [5.0, 6.0]
    assert record[:, column.CAPACITY_HOURS].tolist() == [7.0, 8.0]
    assert record[:, column.OVERTIME_HOURS].tolist() == [1.5, 2.5]
    assert (record[:, column.HOURS:] == totals.hours).all()
    assert (record[:, [column.DAY, column.TOWNSHIP]] == -1.0).all()  # left to the model

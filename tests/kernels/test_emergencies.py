"""Emergencies handled as emergencies (issue 11, item 3): on call, preemption, teams.

Hand-made days of the compiled kernels (``sim/kernels/day.py``) with every figure worked out by
hand, then the on-call duty (值班) in whole runs, checked against the item table.
"""

import numpy as np
import pytest

from sim.kernels.columns import Hours, ItemColumns
from sim.kernels.day import NO_SHARING, OnCall, OnCallOut, Sharing, answer_on_call
from sim.work import Kind
from tests.conftest import run
from tests.kernels.test_kernels_day import _day, _table

PREEMPT = NO_SHARING._replace(preempt=True)


def _on_call(table, ids, slots, team=1, response=0.5, free_at=None, n_townships=1):
    """Answer emergencies ``ids`` of township 0 with on-call cadres ``slots``."""
    n_posts = max(slots) + 1
    out = OnCallOut(hours=np.zeros((n_townships, len(Hours))), overtime=np.zeros(n_townships),
                    week_hours=np.zeros(n_posts), finished=np.empty(len(ids), dtype=np.int64),
                    finished_time=np.empty(len(ids)))
    on_call = OnCall(slots=np.asarray(slots, dtype=np.int64),
                     bounds=np.array([0, len(slots)], dtype=np.int64),
                     free_at=np.full(n_posts, -np.inf) if free_at is None else free_at,
                     productivity=np.ones(len(slots)), response_hours=response, team=team)
    n = answer_on_call(np.asarray(ids, dtype=np.int64), np.array([0, len(ids)], dtype=np.int64),
                       on_call, ItemColumns.of(table), out)
    return n, out, on_call


def test_on_call_cadre_answers_a_night_emergency_after_the_response_time():
    # 22:00 call, 3 cadre-hours: the cadre on duty is there at 22:30 and done at 01:30.
    table = _table([Kind.EMERGENCY], [22.0], [24.0], [3.0])
    n, out, on_call = _on_call(table, [0], slots=[4])
    assert n == 1 and out.finished[0] == 0 and out.finished_time[0] == pytest.approx(25.5)
    assert table.start[0] == pytest.approx(22.5) and table.remaining[0] == 0.0
    assert out.hours[0, Hours.SERVICE] == pytest.approx(3.0)
    assert out.overtime[0] == pytest.approx(3.0)  # all outside regular hours
    assert out.week_hours[4] == pytest.approx(3.0) and out.week_hours.sum() == pytest.approx(3.0)
    assert on_call.free_at[4] == pytest.approx(25.5)


def test_one_cadre_on_call_takes_two_emergencies_one_after_the_other():
    table = _table([Kind.EMERGENCY] * 2, [22.0, 22.5], [24.0, 24.5], [2.0, 1.0])
    n, out, _ = _on_call(table, [0, 1], slots=[0])
    assert n == 2
    assert out.finished_time.tolist() == pytest.approx([24.5, 25.5])  # the second waits
    assert table.start[1] == pytest.approx(24.5)


def test_two_cadres_on_call_share_one_emergency():
    table = _table([Kind.EMERGENCY], [3.0], [5.0], [4.0])
    n, out, _ = _on_call(table, [0], slots=[0, 1], team=2, response=0.0)
    assert out.finished_time[0] == pytest.approx(5.0)  # 4 cadre-hours, two cadres
    assert out.week_hours.tolist() == pytest.approx([2.0, 2.0])
    assert out.hours[0, Hours.SERVICE] == pytest.approx(4.0)


def test_a_team_larger_than_those_on_call_is_cut_to_them():
    table = _table([Kind.EMERGENCY], [3.0], [5.0], [4.0])
    _, out, _ = _on_call(table, [0], slots=[0], team=3, response=0.0)
    assert out.finished_time[0] == pytest.approx(7.0)


def test_emergency_interrupts_a_cadre_whose_item_goes_back_with_its_remaining_effort():
    # One cadre from 8:00 on a 6-hour task; an emergency of 1 hour arrives at 10:00.
    table = _table([Kind.TASK, Kind.EMERGENCY], [0.0, 10.0], [500.0, 12.0], [6.0, 1.0])
    order, times, worked, carry_out, hours, size = _day(table, [0], [1], [8.0], [16.0], [19.0],
                                                       sharing=PREEMPT)
    # Interrupted at 10 with 4 hours left, the emergency 10-11, the task again 11-15.
    assert order == [1, 0] and times.tolist() == pytest.approx([11.0, 15.0])
    assert table.start[1] == 10.0 and table.start[0] == 8.0
    assert worked.tolist() == pytest.approx([7.0])
    assert hours[Hours.TASKS] == pytest.approx(6.0) and hours[Hours.SERVICE] == pytest.approx(1.0)
    assert table.remaining[:2].tolist() == [0.0, 0.0] and size == 0
    # Without preemption, the emergency waits for the task.
    table = _table([Kind.TASK, Kind.EMERGENCY], [0.0, 10.0], [500.0, 12.0], [6.0, 1.0])
    order, times, *_ = _day(table, [0], [1], [8.0], [16.0], [19.0])
    assert order == [0, 1] and times.tolist() == pytest.approx([14.0, 15.0])


def test_interrupting_a_long_item_changes_what_is_carried():
    # A 20-hour task would be carried with 9 hours left; interrupted at 10:00 for a 1-hour
    # emergency, it goes back with 18, is taken up again at 11:00 and carried with 10.
    table = _table([Kind.TASK, Kind.EMERGENCY], [0.0, 10.0], [500.0, 12.0], [20.0, 1.0])
    order, times, worked, carry_out, hours, size = _day(table, [0], [1], [8.0], [16.0], [19.0],
                                                       sharing=PREEMPT)
    assert order == [1] and times.tolist() == pytest.approx([11.0])
    assert carry_out.tolist() == [0] and size == 0
    assert table.remaining[0] == pytest.approx(10.0)
    assert worked.tolist() == pytest.approx([11.0])
    assert hours[Hours.TASKS] + hours[Hours.SERVICE] == pytest.approx(11.0)


def test_the_cadre_with_most_left_is_interrupted_and_emergencies_are_not():
    # Cadre 0 on a request ending 12:00, cadre 1 on an emergency, cadre 2 on a task ending
    # 15:00: a new emergency at 10:00 interrupts cadre 2.
    table = _table([Kind.REQUEST, Kind.EMERGENCY, Kind.TASK, Kind.EMERGENCY],
                   [0.0, 0.5, 1.0, 10.0], [100.0, 2.5, 500.0, 12.0], [4.0, 9.0, 7.0, 2.0])
    order, times, worked, *_ = _day(table, [0, 1, 2], [3], [8.0] * 3, [16.0] * 3, [19.0] * 3,
                                    sharing=PREEMPT)
    finished = dict(zip(order, times.tolist(), strict=True))
    assert finished[3] == pytest.approx(12.0) and finished[1] == pytest.approx(17.0)
    assert finished[0] == pytest.approx(12.0)
    assert finished[2] == pytest.approx(17.0)  # 2 hours done, 5 left after the emergency
    assert sum(worked) == pytest.approx(4.0 + 9.0 + 7.0 + 2.0)


def test_several_cadres_work_one_emergency_in_parallel():
    # Three idle cadres; an emergency of 6 cadre-hours at 9:00 with a team of three: 2 hours.
    table = _table([Kind.EMERGENCY], [9.0], [11.0], [6.0])
    order, times, worked, _, hours, size = _day(
        table, [], [0], [8.0] * 3, [16.0] * 3, [19.0] * 3,
        sharing=NO_SHARING._replace(emergency_team=3))
    assert order == [0] and times.tolist() == pytest.approx([11.0])
    assert worked.tolist() == pytest.approx([2.0, 2.0, 2.0])
    assert hours[Hours.SERVICE] == pytest.approx(6.0) and size == 0


def test_a_team_emergency_interrupts_as_many_cadres_as_it_needs():
    # Two cadres busy on long requests; an emergency of 2 cadre-hours, team of two, preempts.
    table = _table([Kind.REQUEST, Kind.REQUEST, Kind.EMERGENCY], [0.0, 0.0, 10.0],
                   [100.0, 100.0, 12.0], [6.0, 6.0, 2.0])
    order, times, worked, *_ = _day(table, [0, 1], [2], [8.0] * 2, [16.0] * 2, [19.0] * 2,
                                    sharing=Sharing(True, 2, np.inf, np.inf))
    finished = dict(zip(order, times.tolist(), strict=True))
    assert finished[2] == pytest.approx(11.0)
    assert finished[0] == pytest.approx(15.0) and finished[1] == pytest.approx(15.0)
    assert sum(worked) == pytest.approx(14.0)


DUTY = ["scenario.on_call_cadres=1", "scenario.on_call_response_hours=0.5"]
# Latent needs off too: needs found on visits depend on the hours left, so with them on the
# items created differ between runs whose duty differs.
OFF = ["scenario.on_call_cadres=0", "scenario.emergency_preempts=false",
       "scenario.emergency_team_cadres=1", "scenario.team_split_above_hours=null",
       "scenario.latent_needs_per_1000_people_day=0"]


def _outside_office(model, tasks):
    day = (tasks["arrival"] // 24).astype(int)
    hour = tasks["arrival"] - day * 24
    start = model.scenario.day_start_hour
    weekday = model.working[day.to_numpy()]
    return ~weekday | (hour < start) | (hour >= start + model.scenario.regular_hours_per_day)


def test_on_call_answers_night_and_weekend_emergencies_on_the_same_demand():
    model_off, off, _ = run("typical_county", seed=5, days=60, overrides=OFF)
    model_on, on, _ = run("typical_county", seed=5, days=60, overrides=[*OFF, *DUTY])
    emergencies_off = off[off["kind"] == "emergency"]
    emergencies_on = on[on["kind"] == "emergency"]
    # The same emergencies arrive (common random numbers).
    np.testing.assert_array_equal(emergencies_off["arrival"], emergencies_on["arrival"])
    night = _outside_office(model_on, emergencies_on).to_numpy()
    assert night.sum() > 10
    answered = emergencies_on[night & (emergencies_on["arrival"] < 59 * 24).to_numpy()]
    assert (answered["status"] == "resolved").all()
    wait = answered["wait_hours"].to_numpy()
    assert (wait >= 0.5 - 1e-9).all()  # nobody is there before the response time
    assert np.median(wait) == pytest.approx(0.5)  # mostly the cadre on call is free
    wait_off = emergencies_off[night]["wait_hours"].dropna().to_numpy()
    assert np.median(wait_off) > 5.0  # without: the next working morning at the soonest


def test_on_call_hours_are_booked_to_the_cadres_and_items_are_conserved():
    model, tasks, summary = run("typical_county", seed=6, days=45, overrides=[*OFF, *DUTY])
    off_model, off_tasks, _ = run("typical_county", seed=6, days=45, overrides=OFF)
    # The same demand arrives with and without the duty (re-handlings of bounced cases are
    # created when the departments answer, so their number by the last day follows timing).
    arrived, off_arrived = (t[t["kind"] != "rework"] for t in (tasks, off_tasks))
    np.testing.assert_array_equal(arrived["arrival"], off_arrived["arrival"])
    np.testing.assert_array_equal(arrived["kind"], off_arrived["kind"])
    counts = tasks["status"].value_counts()
    assert counts.sum() == len(tasks)
    assert counts.get("open", 0) == sum(t.backlog for t in model.townships)
    emergencies = tasks[tasks["kind"] == "emergency"]
    night = _outside_office(model, emergencies).to_numpy()
    # On-call hours are all outside regular hours: overtime rises on the same demand.
    assert model.townships.overtime.sum() > off_model.townships.overtime.sum()
    resolved_night = emergencies[night & (emergencies["status"] == "resolved").to_numpy()]
    assert len(resolved_night) > 0
    assert summary["requests_resolved"] + summary["requests_open"] == summary["requests_arrived"]


def test_hours_on_call_tire_the_cadre_at_the_next_working_day():
    from sim.agents.cadre import Roster

    roster = Roster(unit=[0, 0, 0], admin=[True] * 3, leader=[False] * 3, occupied=[True] * 3)
    roster.bind(None, ramp_days=0.0, ramp_start=1.0, fatigue_loss=0.5, fatigue_decay=0.75)
    roster.on_call_hours[:] = [2.0, 0.0, 9.0]  # a night on duty, none, a whole weekend
    roster.tire(np.array([0, 1, 2]), np.array([0.0, 1.0, 0.0]), cap_hours=4.0)
    # load: 2/4 on call alone, 1/4 of overtime alone, and 9 h capped at the 4-hour cap
    np.testing.assert_allclose(roster.fatigue, [0.25 * 0.5, 0.25 * 0.25, 0.25 * 1.0])
    assert not roster.on_call_hours.any()  # counted once
    roster.on_call_hours[0] = 3.0
    roster.release(0, day=1, reason=0)
    assert roster.on_call_hours[0] == 0.0  # a newcomer does not inherit the duty's hours


def test_every_hour_on_call_reaches_the_fatigue_of_the_cadre_who_worked_it(monkeypatch):
    from sim.agents import cadre, township

    booked, counted = [0.0], [0.0]
    answer, tire = township.answer_on_call, cadre.Roster.tire

    def answer_and_count(ids, bounds, on_call, items, out):
        before = out.week_hours.sum()
        n = answer(ids, bounds, on_call, items, out)
        booked[0] += out.week_hours.sum() - before
        return n

    def tire_and_count(self, slots, overtime_hours, cap_hours):
        counted[0] += self.on_call_hours[slots].sum()
        tire(self, slots, overtime_hours, cap_hours)

    monkeypatch.setattr(township, "answer_on_call", answer_and_count)
    monkeypatch.setattr(cadre.Roster, "tire", tire_and_count)
    model, tasks, _ = run("typical_county", seed=6, days=40, overrides=[*OFF, *DUTY])
    pending = model.roster.on_call_hours.sum()  # worked since the last working day
    emergencies = tasks[tasks["kind"] == "emergency"]
    assert booked[0] > 0.0 and counted[0] > 0.0
    assert counted[0] + pending == pytest.approx(booked[0])
    # The hours on call are the effort of the emergencies answered on call (productivity <= 1
    # makes hours at least the effort): an independent lower bound from the task table.
    night = _outside_office(model, emergencies).to_numpy()
    answered = emergencies[night & (emergencies["status"] == "resolved").to_numpy()]
    assert booked[0] >= answered["effort"].sum() * 0.999

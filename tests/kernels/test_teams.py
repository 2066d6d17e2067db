"""Work shared in teams (issue 11, item 4): a large item worked in pieces by whoever is free.

Hand-made days of the compiled serving loop (``sim/kernels/day.py``), worked out by hand, then
whole runs checked for conservation of items and hours.
"""

import numpy as np
import pytest

from sim.kernels.columns import Hours
from sim.kernels.day import NO_SHARING
from sim.work import Kind
from tests.conftest import run
from tests.kernels.test_kernels_day import _day, _table

PIECES = NO_SHARING._replace(split_above=8.0, piece_hours=4.0)


def test_a_task_shared_by_three_cadres_takes_a_third_of_the_time():
    table = _table([Kind.TASK], [0.0], [500.0], [12.0])
    order, times, worked, carry_out, hours, size = _day(table, [0], [], [8.0] * 3, [16.0] * 3,
                                                       [19.0] * 3, sharing=PIECES)
    assert order == [0] and times.tolist() == pytest.approx([12.0])  # 12 h / 3 cadres
    assert worked.tolist() == pytest.approx([4.0, 4.0, 4.0])
    assert hours[Hours.TASKS] == pytest.approx(12.0)
    assert table.remaining[0] == 0.0 and table.unassigned[0] == 0.0 and size == 0
    assert (carry_out == -1).all()
    # One cadre alone: works it to the overtime cap and carries 1 hour.
    table = _table([Kind.TASK], [0.0], [500.0], [12.0])
    order, _, worked, carry_out, *_ = _day(table, [0], [], [8.0], [16.0], [19.0])
    assert order == [] and carry_out.tolist() == [0] and worked.tolist() == [11.0]


def test_items_at_or_below_the_threshold_are_not_split():
    table = _table([Kind.TASK], [0.0], [500.0], [8.0])
    order, times, worked, *_ = _day(table, [0], [], [8.0] * 3, [16.0] * 3, [19.0] * 3,
                                    sharing=PIECES)
    assert times.tolist() == [16.0] and sorted(worked.tolist()) == [0.0, 0.0, 8.0]
    assert np.isnan(table.unassigned[0])


def test_pieces_go_to_cadres_as_they_become_free_and_the_item_ends_with_its_last_piece():
    # Two cadres, a 2-hour request and a 10-hour task (pieces of 4, 4 and 2).
    table = _table([Kind.REQUEST, Kind.TASK], [0.0, 1.0], [20.0, 500.0], [2.0, 10.0])
    order, times, worked, *_ = _day(table, [0, 1], [], [8.0, 8.0], [16.0, 16.0],
                                    [19.0, 19.0], sharing=PIECES)
    finished = dict(zip(order, times.tolist(), strict=True))
    # The request (deadline 20) comes first: cadre 0 does it 8-10.
    assert finished[0] == pytest.approx(10.0)
    # Pieces: cadre 1 8-12, cadre 0 10-14, cadre 1 12-14 (the last 2 hours): ends at 14.
    assert finished[1] == pytest.approx(14.0)
    assert sum(worked) == pytest.approx(12.0)


def test_a_piece_not_done_by_the_end_of_the_window_goes_back_for_anyone_to_take():
    # One cadre, window 8-11: of a 12-hour task it does 3 hours of its first piece of 4.
    table = _table([Kind.TASK], [0.0], [500.0], [12.0])
    order, _, worked, carry_out, _, size = _day(table, [0], [], [8.0], [10.0], [11.0],
                                                sharing=PIECES)
    assert order == [] and worked.tolist() == [3.0] and (carry_out == -1).all()
    assert size == 1  # the item waits in the queue with all that is left
    assert table.remaining[0] == pytest.approx(9.0) and table.unassigned[0] == pytest.approx(9.0)


def test_hours_and_effort_are_conserved_over_random_days():
    rng = np.random.default_rng(11)
    for _ in range(20):
        n = int(rng.integers(3, 30))
        kind = rng.choice([Kind.REQUEST, Kind.TASK, Kind.EMERGENCY], n)
        arrival = np.sort(rng.uniform(0, 18, n))
        effort = rng.exponential(5.0, n)
        table = _table(kind, arrival, arrival + 50, effort)
        cadres = int(rng.integers(1, 6))
        queued = [i for i in range(n) if arrival[i] < 8]
        arriving = [i for i in range(n) if arrival[i] >= 8]
        sharing = NO_SHARING._replace(preempt=True, emergency_team=2, split_above=6.0,
                                      piece_hours=3.0)
        order, times, worked, carry_out, hours, size = _day(
            table, queued, arriving, [8.0] * cadres, [16.0] * cadres, [19.0] * cadres,
            sharing=sharing)
        done_effort = effort.sum() - table.remaining[:n].sum()
        assert sum(worked) == pytest.approx(done_effort)  # productivity 1
        assert hours.sum() == pytest.approx(sum(worked))
        assert max(worked) <= 11.0 + 1e-9
        assert len(set(order)) == len(order)
        finished = np.zeros(n, dtype=bool)
        finished[order] = True
        np.testing.assert_allclose(table.remaining[:n][finished], 0.0)
        carried = set(carry_out[carry_out >= 0].tolist())
        # Every unfinished item is waiting or carried, never lost (and never both).
        assert len(order) + size + len(carried) == n
        assert all(times >= arrival[order] - 1e-9)


OFF = ["scenario.on_call_cadres=0", "scenario.emergency_preempts=false",
       "scenario.emergency_team_cadres=1", "scenario.team_split_above_hours=null"]
TEAMS = ["scenario.team_split_above_hours=8", "scenario.team_piece_hours=4"]


def test_items_are_conserved_in_a_county_run_with_teams():
    model, tasks, summary = run("typical_county", seed=4, days=60, overrides=[*OFF, *TEAMS])
    counts = tasks["status"].value_counts()
    assert counts.sum() == len(tasks)
    assert counts.get("open", 0) == sum(t.backlog for t in model.townships)
    resolved = tasks[tasks["status"] == "resolved"]
    assert (resolved["finish"] >= resolved["start"]).all()
    split = tasks[tasks["effort"] > 8]
    assert len(split) > 0
    # Shared items' remaining effort is never negative and never above the effort.
    remaining = model.table.remaining[split["id"].to_numpy()]
    assert (remaining >= -1e-9).all() and (remaining <= split["effort"].to_numpy() + 1e-9).all()

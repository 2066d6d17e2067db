"""The township's service-centre windows and grid duty (sim/agents/duties.py; issue 11, item 9).

Hand-made cases: windows served first come first served within their staffed hours; window
staff drawn from the staff in turn, leaders never; grid hours shared among the cadres on duty;
and, in a model run, hours booked to ``service_centre`` and ``grid`` each working day equal to an
independent count from the config and the roster, with every hour of the day accounted for.
"""

import numpy as np
import pytest

from sim.agents.duties import TownshipDuties
from sim.kernels.columns import Hours, Kind, Mandatory
from sim.measures.metrics import summarize, township_table
from sim.work import RESOLVED, ItemTable

#: No formalism: the only mandatory work is the duties (nothing is cut by the daily cap).
NO_FORMALISM = ["scenario.meetings_per_cadre_week=0",
                "scenario.routine_meetings_per_township_week=0",
                "scenario.document_hours_per_cadre_week=0",
                "scenario.document_hours_per_township_week=0",
                "scenario.inspections_per_township_month=0", "scenario.chat_groups_per_cadre=0"]


def _duties(windows=2, window_hours=4.0, max_effort=1.5, grids=(3.0,), grid_hours=5.0):
    return TownshipDuties(grids=np.array(grids), grid_hours_per_week=grid_hours, windows=windows,
                          window_hours=window_hours, max_effort_hours=max_effort,
                          day_start_hour=8.0)


def test_window_staff_are_staff_in_turn_and_grid_hours_are_shared():
    duties = _duties(windows=2, window_hours=4.0, grids=(3.0, 0.0))
    # Township 0: a leader and three staff; township 1: one staff member only.
    unit = np.array([0, 0, 0, 0, 1])
    leader = np.array([True, False, False, False, False])
    seen, crew = set(), duties.crew_terms(unit, leader)
    for day in range(3):
        hours = duties.hours(day, crew)
        assert hours[0, 0] == 0.0  # leaders never sit at a window
        assert hours[0, :4].sum() == 2 * 4.0 and hours[0, 4] == 4.0  # 2 windows; 1 (one staff)
        assert duties.staffed.tolist() == [2, 1]
        seen |= set(np.flatnonzero(hours[0, :4]).tolist())
        # 3 grids x 5 h a week = 3 h a working day, shared by township 0's four cadres.
        assert hours[1].tolist() == [0.75] * 4 + [0.0]
    assert seen == {1, 2, 3}  # the turn goes round all the staff


def test_duties_are_added_to_the_mandatory_rows():
    duties = _duties(windows=1, window_hours=6.0, grids=(2.0,), grid_hours=10.0)
    mandatory = np.zeros((len(Mandatory), 2))
    duties.mandatory(0, mandatory, duties.crew_terms(np.array([0, 0]), np.array([False, False])))
    assert mandatory[Mandatory.SERVICE_CENTRE].sum() == 6.0
    assert mandatory[Mandatory.GRID].tolist() == [2.0, 2.0]
    assert not mandatory[:Mandatory.SERVICE_CENTRE].any()


def test_windows_serve_simple_requests_first_come_first_served_while_open():
    table = ItemTable(capacity=16)
    # Day 1; windows open 32.0-36.0 (8:00-12:00), two of them.
    arrival = [32.0, 32.5, 32.6, 33.0, 33.0, 35.5, 31.0, 36.5]
    effort = [1.0, 1.0, 1.0, 2.0, 1.0, 1.0, 1.0, 1.0]
    kind = [Kind.REQUEST, Kind.UTILITY, Kind.REQUEST, Kind.REQUEST, Kind.TASK, Kind.REQUEST,
            Kind.REQUEST, Kind.REQUEST]
    table.add(len(arrival), kind=np.array(kind, dtype=np.int8), township=0,
              arrival=np.array(arrival), deadline=np.array(arrival) + 99, effort=np.array(effort))
    duties = _duties(windows=2, window_hours=4.0, max_effort=1.5)
    duties.staffed[:] = 2
    ids = np.arange(len(arrival))
    served, finish, left = duties.serve_at_windows(1, ids, table)
    # 0 at window A 32-33; 1 at B 32.5-33.5; 2 waits for A, 33-34; 3 too large; 4 a task;
    # 5 would end at 36.5, after closing; 6 came before opening; 7 after closing.
    assert served.tolist() == [0, 1, 2]
    assert finish.tolist() == [33.0, 33.5, 34.0]
    assert left.tolist() == [3, 4, 5, 6, 7]
    assert table.start[[0, 1, 2]].tolist() == [32.0, 32.5, 33.0]
    assert (table.remaining[served] == 0).all()
    assert duties.served.tolist() == [3]
    # The windows never do more than their staffed hours.
    assert table.effort[served].sum() <= duties.staffed.sum() * duties.window_hours


def test_no_window_and_no_grid_is_off():
    from sim.api import make_model

    model = make_model("classroom", seed=3, days=7)
    model.run()
    assert model.townships.duties is None
    assert "service_centre_requests_served" not in summarize(model)


@pytest.fixture(scope="module")
def duty_run():
    """A classroom county with windows and grids on and no other mandatory work."""
    from sim.api import make_model

    model = make_model("classroom", seed=5, days=28, overrides=[
        *NO_FORMALISM, "scenario.service_centre_windows=2",
        "scenario.service_centre_hours_per_day=5", "scenario.service_centre_max_effort_hours=2",
        "scenario.grids_per_village=1.5", "scenario.grid_hours_per_week=4",
        "scenario.attrition_rate_year=0"])
    expected = []  # per working day, per township: (window hours, grid hours)
    worked, served = [], []  # per day: hours the township cadres worked; window effort served
    roster, duties = model.roster, model.townships.duties
    n = len(model.townships)
    villages = np.array([t.villages for t in model.townships])
    grids = np.rint(villages * 1.5)
    township_posts = roster.unit < n
    while model.running:
        before = roster.week_hours[township_posts].sum(), duties.served_hours.copy()
        if model.working[model.day]:
            at_home = roster.occupied & (roster.unit < n) & (roster.seconded_to < 0)
            at_home &= ~roster.rotated
            staff = np.bincount(roster.unit[at_home & ~roster.leader], minlength=n)
            anyone = np.bincount(roster.unit[at_home], minlength=n) > 0
            expected.append((np.minimum(2, staff) * 5.0, np.where(anyone, grids * 4 / 5, 0.0)))
        else:
            expected.append((np.zeros(n), np.zeros(n)))
        model.step()
        worked.append(roster.week_hours[township_posts].sum() - before[0])
        served.append(duties.served_hours - before[1])
    return model, expected, worked, served


def test_hours_booked_to_each_duty_match_the_count_from_config_and_roster(duty_run):
    model, expected, _, served = duty_run
    table = township_table(model)
    window = table.pivot(index="day", columns="township", values="hours_service_centre")
    grid = table.pivot(index="day", columns="township", values="hours_grid")
    assert np.allclose(window.to_numpy(), [e[0] for e in expected])
    assert np.allclose(grid.to_numpy(), [e[1] for e in expected])
    assert window.to_numpy().sum() > 0 and grid.to_numpy().sum() > 0
    # The windows never settle more effort in a day than their staffed hours.
    assert (np.array(served) <= window.to_numpy() + 1e-9).all()
    assert np.array(served).sum() > 0


def test_requests_served_at_windows_are_resolved_and_hours_are_conserved(duty_run):
    model, _, worked, _ = duty_run
    summary = summarize(model)
    served = summary["service_centre_requests_served"]
    assert served == model.townships.duties.served.sum() > 0
    table = model.table
    n = len(table)
    kind, status = table.kind[:n], table.status[:n]
    at_window = (status == RESOLVED) & np.isclose(table.finish[:n] - table.start[:n],
                                                  table.effort[:n])
    at_window &= np.isin(kind, [Kind.REQUEST, Kind.UTILITY])
    at_window &= table.effort[:n] <= model.scenario.service_centre_max_effort_hours
    assert np.count_nonzero(at_window) >= served
    # Every hour the township cadres worked is booked to one category: each day, the hours
    # booked equal the growth of the cadres' weekly hours (not on Sundays, when they reset).
    townships = township_table(model)
    booked = townships[[c for c in townships.columns if c.startswith("hours_")]]
    booked = booked.groupby(townships["day"]).sum().sum(axis=1).to_numpy()
    days = np.arange(len(worked)) % 7 != 6
    assert np.allclose(booked[days], np.array(worked)[days])
    assert sum(summary["hours_share"].values()) == pytest.approx(1.0)
    assert summary["hours_share"]["service_centre"] > 0 and summary["hours_share"]["grid"] > 0


def test_the_default_county_books_its_own_work_service_centre_and_grids():
    """Issue 11, item 9: the default scenario has the township's own work on."""
    from sim.api import make_model

    model = make_model("typical_county", seed=2, days=14)
    model.run()
    summary = summarize(model)
    shares = summary["hours_share"]
    assert shares["own_work"] > 0 and shares["service_centre"] > 0 and shares["grid"] > 0
    # Every township staffs all its windows; the hours booked to them are at most the staffed
    # hours (a window cadre's mandatory work is capped with the rest of the day's).
    s = model.scenario
    assert (model.townships.duties.staffed == s.service_centre_windows).all()
    staffed_hours = (s.service_centre_windows * s.service_centre_hours_per_day
                     * int(model.working[:14].sum()))
    window_hours = model.townships.hours[:, Hours.SERVICE_CENTRE]
    assert (window_hours <= staffed_hours + 1e-9).all()
    assert (window_hours > 0.5 * staffed_hours).all()
    assert summary["own_work_arrived"] > 0 and summary["service_centre_requests_served"] > 0


def test_the_kept_crew_terms_follow_the_roster():
    """The townships keep the meeting terms and the window rota until the roster changes.

    After a departure and a secondment (roster verbs), the kept terms equal terms built afresh
    from the roster's own arrays; before, the township had one more cadre at home.
    """
    from sim.api import make_model

    model = make_model("typical_county", seed=2, days=3)
    model.step()
    townships, roster = model.townships, model.roster
    townships._plan_crew(1)  # a working day's plan adds the terms to the kept crew
    before = townships._crew_of_roster()
    assert townships._crew_of_roster() is before  # kept while the roster is the same
    slots = np.flatnonzero(roster.occupied & (roster.unit == 0) & ~roster.leader)
    roster.release(int(slots[0]), day=1, reason=0)
    roster.second([int(slots[1])], unit=len(townships), day=1.0, until=30.0)
    assert townships._crew_of_roster()["meeting_terms"] is None  # until a working day
    townships._plan_crew(2)
    after = townships._crew_of_roster()
    at_home = (roster.occupied & (roster.unit < len(townships)) & ~roster.rotated
               & (roster.seconded_to < 0))
    unit, leader = roster.unit[at_home], roster.leader[at_home]
    order = np.argsort(unit, kind="stable")
    unit, leader = unit[order], leader[order]
    fresh = model.townships.mandatory_work.crew_terms(unit, leader, townships.distance_km)
    for kept, built in zip(after["meeting_terms"], fresh, strict=True):
        np.testing.assert_array_equal(kept, built)
    assert np.count_nonzero(after["meeting_terms"].unit == 0) == (
        np.count_nonzero(before["meeting_terms"].unit == 0) - 2)
    rota = townships.duties.crew_terms(unit, leader)
    np.testing.assert_array_equal(after["duty_terms"].grid, rota.grid)
    for kept, built in zip(after["duty_terms"].windows, rota.windows, strict=True):
        np.testing.assert_array_equal(kept, built)

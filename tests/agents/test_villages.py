"""Villages as units: latent needs, door-to-door visits, reports, escalations (agents/villages).

Hand-made villages whose needs are set by hand, checked against counts made here; then the
levers that add or free village hours (驻村, work teams, plaques) on a small county, against the
hours a hand count gives; then conservation of needs and the layout of villages.
"""

import numpy as np
import pytest

from sim.agents.villages import Need, Villages
from sim.api import ConfigError, make_model
from sim.county import spread_villages, village_layout
from sim.kernels.columns import Kind
from sim.measures.metrics import summarize
from sim.work import CALENDAR_HOURS_PER_WORKING_DAY, ItemTable

ON = ["scenario.latent_needs_per_1000_people_day=0.05"]


def _villages(*, households=10, hours=4.0, report_days=5.0, burden=0.0, township_burden=0.0,
              share=0.0, distance=0.0):
    """One village of ``households`` households (2 people each) in one township, no needs yet."""
    return Villages(township=[0], population=[2 * households], distance_km=[distance],
                    townships=1, days=30, rng=np.random.default_rng(0), household_size=2.0,
                    needs_per_1000_day=0.0, report_days=report_days, escalation_share=0.0,
                    effort_mean_hours=2.0, effort_sigma=0.5, found_effort_multiplier=0.5,
                    escalation_effort_multiplier=3.0, deadline_general_days=7.0,
                    deadline_complex_days=15.0, proactive_share=share, visit_hours=1.0,
                    visits_per_trip=4.0, travel_speed_kmh=20.0, village_hours_per_day=hours,
                    village_burden_per_day=burden, township_burden_per_day=township_burden,
                    day_start_hour=8.0, regular_hours=8.0)


def _needs(villages, days, households, escalates=None, effort=2.0):
    """Set the run's needs by hand (village 0)."""
    n = len(days)
    villages.need_day = np.asarray(days, dtype=np.int64)
    villages.need_village = np.zeros(n, dtype=np.int64)
    villages.need_household = np.asarray(households, dtype=np.int64)
    villages.need_effort = np.full(n, effort)
    villages.need_escalates = np.asarray(escalates if escalates is not None else [False] * n)
    villages.need_state = np.full(n, Need.LATENT, dtype=np.int8)
    villages.need_end_day = np.full(n, -1, dtype=np.int64)
    villages.need_item = np.full(n, -1, dtype=np.int64)


def test_a_latent_need_left_too_long_is_reported_or_escalates_after_its_threshold():
    villages = _villages(hours=0.0, report_days=5.0)
    _needs(villages, days=[0, 0], households=[3, 4], escalates=[False, True])
    table = ItemTable()
    for day in range(5):  # nobody visits: still latent up to day 4
        assert len(villages.work_day(day, idle_hours=lambda: np.zeros(1), working=True,
                                     table=table)) == 0
    assert list(villages.need_state) == [Need.LATENT, Need.LATENT]
    ids = villages.work_day(5, idle_hours=lambda: np.zeros(1), working=True, table=table)
    assert list(villages.need_state) == [Need.REPORTED, Need.ESCALATED]
    assert list(villages.need_item) == list(ids) == [0, 1]
    assert table.kind[0] == Kind.REQUEST and table.kind[1] == Kind.COMPLEX
    assert table.effort[0] == pytest.approx(2.0) and table.effort[1] == pytest.approx(6.0)
    start = 5 * 24.0 + 8.0
    assert table.arrival[0] == pytest.approx(start)
    assert table.deadline[0] - start == pytest.approx(7 * CALENDAR_HOURS_PER_WORKING_DAY)
    assert table.deadline[1] - start == pytest.approx(15 * CALENDAR_HOURS_PER_WORKING_DAY)


def test_visits_go_door_to_door_and_find_needs_early():
    # 4 hours a day at 1 hour a visit (no travel): households 0-3 on day 0, 4-7 on day 1, ...
    villages = _villages(households=10, hours=4.0, report_days=30.0)
    _needs(villages, days=[0, 0, 0, 2], households=[2, 6, 9, 1], effort=3.0)
    table = ItemTable()
    found = [list(villages.work_day(day, idle_hours=lambda: np.zeros(1), working=True, table=table))
             for day in range(3)]
    assert [len(f) for f in found] == [1, 1, 2]  # 2 on day 0, 6 on day 1, 9 and 1 on day 2
    assert list(villages.need_end_day[:3]) == [0, 1, 2]
    # The need arising on day 2 in household 1: the round (8, 9, 0, 1) reaches it the same day.
    assert villages.need_state[3] == Need.FOUND
    assert villages.visits[0] == 12
    assert table.effort[0] == pytest.approx(1.5)  # found early: half a request's effort
    assert table.arrival[0] == pytest.approx(8.0 + 8.0)  # at the end of the working day
    # A day off: no visit; the needs arise, wait.
    assert len(villages.work_day(3, idle_hours=lambda: np.zeros(1), working=False,
                                 table=table)) == 0
    assert villages.visits[0] == 12


def test_travel_part_visits_and_burdens_come_before_visits():
    # 10 km at 20 km/h, 4 visits a trip: each visit costs 1 + 2 * 10 / 20 / 4 = 1.25 hours.
    villages = _villages(households=100, hours=6.0, burden=1.0, township_burden=2.0, share=0.5,
                         distance=10.0)
    assert villages.visit_cost[0] == pytest.approx(1.25)
    _needs(villages, days=[0], households=[99])
    villages.work_day(0, idle_hours=lambda: np.array([6.0]), working=True, table=ItemTable())
    # Village: 6 - 1 = 5 h; township: 0.5 * (6 - 2) = 2 h; 7 h / 1.25 = 5.6 visits -> 5.
    assert villages.village_hours[0] == pytest.approx(5.0)
    assert villages.village_burden_hours[0] == pytest.approx(1.0)
    assert villages.township_burden_hours[0] == pytest.approx(2.0)
    assert villages.proactive_hours[0] == pytest.approx(2.0)
    assert villages.visits[0] == 5 and villages.credit[0] == pytest.approx(0.6)


def _run(scenario, overrides, days=40, seed=3):
    model = make_model(scenario, seed=seed, days=days, overrides=[*ON, *overrides])
    model.run()
    return model, summarize(model)


def test_needs_are_conserved_and_each_one_that_came_to_light_is_one_request():
    model, summary = _run("classroom", [])
    villages = model.villages
    assert summary["needs_arisen"] == (summary["needs_latent_end"] + summary["needs_found_early"]
                                       + summary["needs_reported"] + summary["needs_escalated"])
    assert summary["needs_arisen"] == int((villages.need_day < model.day).sum())
    lit = villages.need_state[: villages.arisen] != Need.LATENT
    items = villages.need_item[: villages.arisen]
    assert (items[lit] >= 0).all() and (items[~lit] == -1).all()
    assert len(np.unique(items[lit])) == lit.sum()
    kinds = model.table.kind[items[lit]]
    escalated = villages.need_state[: villages.arisen][lit] == Need.ESCALATED
    assert (kinds[escalated] == Kind.COMPLEX).all() and (kinds[~escalated] == Kind.REQUEST).all()
    assert summary["needs_escalated"] > 0 and summary["needs_found_early"] > 0


def test_work_teams_and_residents_add_their_hours_and_plaques_free_committee_hours():
    days = 40
    base, a = _run("classroom", [], days)
    teams, b = _run("classroom", ["policy/work_teams=qujing"], days)
    resident, c = _run("classroom", ["policy/residence=puge"], days)
    cleared, d = _run("classroom", ["policy/plaques=qujing"], days)
    working_days = int(base.working[:days].sum())
    villages = len(base.villages)
    assert villages == 4 * 8  # classroom: 4 townships of 8 villages
    assert b["village_visit_hours"] - a["village_visit_hours"] == pytest.approx(
        3.05 * 2.0 * villages * working_days)
    assert c["village_visit_hours"] - a["village_visit_hours"] == pytest.approx(
        2.67 * 4.0 * villages * working_days)
    s = base.scenario
    freed = 10 * s.plaque_committee_hours_week / 5 * villages * working_days
    assert a["village_plaque_hours"] - d["village_plaque_hours"] == pytest.approx(freed)
    assert d["village_visit_hours"] - a["village_visit_hours"] == pytest.approx(freed)
    assert d["township_plaque_hours"] < a["township_plaque_hours"]
    # More hands make more visits over the same needs.
    assert b["household_visits"] > a["household_visits"] < c["household_visits"]
    assert d["household_visits"] > a["household_visits"]


def test_proactive_hours_never_exceed_the_share_of_idle_regular_hours():
    model = make_model("classroom", seed=5, days=20, overrides=ON)
    share, total_idle = model.scenario.proactive_idle_share, 0.0
    for _ in range(20):
        before = model.villages.proactive_hours.copy()
        capacity_before = model.townships.capacity.copy()
        model.step()
        if model.working[model.day - 1]:
            idle = model.townships.idle_regular_hours()
            capacity = model.townships.capacity - capacity_before  # today's regular hours
            assert (idle >= 0).all() and (idle <= capacity + 1e-9).all()
            assert (model.villages.proactive_hours - before <= share * idle + 1e-9).all()
            total_idle += idle.sum()
    assert total_idle > 0


def test_villages_off_leave_the_summary_as_before():
    model = make_model("classroom", seed=1, days=10)
    model.run()
    summary = summarize(model)
    assert not model.villages.active and "needs_arisen" not in summary
    assert len(model.villages) == 32  # laid out, but nothing arises


def test_puge_has_its_81_villages_spread_by_population():
    drawn = make_model("puge", seed=1, days=1)
    assert len(drawn.villages) == 81
    per = np.bincount(drawn.villages.township, minlength=13)
    assert per.sum() == 81 and (per == drawn.layout.villages).all()
    assert (np.bincount(drawn.villages.township, drawn.villages.population, minlength=13)
            <= drawn.layout.population).all()
    tables = make_model("puge_county", seed=1, days=1)
    assert len(tables.villages) == 81
    assert tables.villages.distance_km[0] == pytest.approx(2.1)  # counties/puge/villages.csv


def test_spread_villages_is_exact_and_proportional():
    class S:
        villages_total, villages_per_township = 10, 3

    out = spread_villages(S, np.array([100, 300, 600]))
    assert list(out) == [1, 3, 6]
    S.villages_total = None
    assert list(spread_villages(S, np.array([1, 2]))) == [3, 3]


def test_village_layout_draws_from_its_own_stream_only():
    model = make_model("classroom", seed=2, days=1)
    again = village_layout(model.layout, model.scenario, np.random.default_rng(9))
    assert len(again.names) == 32 and (again.distance_km <= model.scenario.village_distance_km_max
                                      ).all()


@pytest.mark.parametrize("override", [
    "scenario.latent_needs_per_1000_people_day=-1",
    "scenario.latent_escalation_share=1.5",
    "policy.residence.residents_per_village=-2",
    "scenario.proactive_rule=always",
])
def test_bad_village_keys_are_refused(override):
    with pytest.raises(ConfigError) as error:
        make_model("classroom", seed=1, days=1, overrides=[override])
    assert override.split("=")[0] in str(error.value)


def test_coverage_counts_households_visited_at_least_once_in_each_period():
    from sim.measures.villages import period_coverage

    villages = _villages(households=10, hours=4.0)
    _needs(villages, days=[29], households=[0])  # active; arises only on the last day
    for day in range(4):  # 4 visits a day
        villages.work_day(day, idle_hours=lambda: np.zeros(1), working=True, table=ItemTable())
    assert period_coverage(villages, 4, 2) == pytest.approx(0.8)  # 8 of 10 in each 2 days
    assert period_coverage(villages, 4, 4) == pytest.approx(1.0)  # 16 visits, 10 households
    assert period_coverage(villages, 4, 1) == pytest.approx(0.4)

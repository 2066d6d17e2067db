"""Hours per cadre-week: every booked hour over the cadre-days that worked them, times five."""

import numpy as np
import pytest

from sim.kernels.columns import TownshipColumn
from sim.measures.definitions import hours_per_cadre_week
from tests.conftest import run

#: A county where the only work is a fixed 1 h a day of chat groups (10 groups x 0.1 h):
#: no requests, no tasks, no meetings, documents, inspections, secondments or projects.
QUIET = ["scenario.requests_per_1000_people_day=0", "scenario.tasks_per_department_township_week=0",
         "scenario.meetings_per_cadre_week=0", "scenario.document_hours_per_cadre_week=0",
         "scenario.inspections_per_township_month=0", "scenario.initial_secondees_per_township=0",
         "scenario.projects_per_department_year=0", "scenario.chat_groups_per_cadre=10",
         "scenario.chat_hours_per_group_day=0.1", "scenario.emergencies_per_township_month=0"]


def test_definition_on_numbers():
    assert hours_per_cadre_week(200.0, 50) == pytest.approx(20.0)
    assert hours_per_cadre_week(10.0, 0) == 0.0


def test_fixed_daily_work_gives_five_times_the_day():
    """Hand-made: 1 h of chat a day on every working day is 5 h a cadre-week, whatever the staff."""
    model, _, summary = run("classroom", seed=3, days=60, overrides=QUIET)
    assert summary["requests_arrived"] == 0
    assert summary["hours_per_cadre_week"] == pytest.approx(5.0, rel=1e-9)


def test_matches_the_township_records(county_run):
    """Against the daily records: the last day's running hours over the cadres counted each day.

    The records count the cadres on duty and seconded at the end of each working day, so they
    differ from the cadres who worked it only by the day's departures and hires (under 0.1%).
    """
    model, _, summary = county_run
    record = model.townships.record[: model.townships.days_recorded]
    hours = record[-1, :, TownshipColumn.HOURS:].sum()
    working = np.asarray(model.working)[: len(record)].astype(bool)
    cadre_days = (record[working][:, :, TownshipColumn.ON_DUTY]
                  + record[working][:, :, TownshipColumn.SECONDED]).sum()
    assert summary["hours_per_cadre_week"] == pytest.approx(hours / cadre_days * 5, rel=1e-3)
    assert 20 < summary["hours_per_cadre_week"] < 60

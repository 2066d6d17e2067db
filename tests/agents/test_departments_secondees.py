"""Secondees work for their borrowing department; results per department (issue 11, item 7)."""

import numpy as np

from sim.agents.cadre import Roster
from sim.agents.department import Departments
from sim.measures.departments import DEPARTMENT_COLUMNS, department_table
from tests.conftest import run


def _book():
    # Units 0-1 are townships, 2-3 departments; 3 department posts each, 4 township posts.
    units = [0, 0, 1, 1, 2, 2, 2, 3, 3, 3]
    roster = Roster(units, [True] * 10, [False] * 10, [True] * 10)
    book = Departments(np.array([2, 3]), 8.0, roster=roster,
                       noise_rng=np.random.default_rng(0), noise_shape=1e6)
    book.secondees_count = True
    return book, roster


def test_secondee_adds_capacity_to_the_borrowing_department():
    book, roster = _book()
    assert book.regular_capacity().tolist() == [24.0, 24.0]
    roster.second([0, 2], 3, day=0, until=30)  # two township cadres to department 1 (unit 3)
    assert book.secondees_held().tolist() == [0, 2]
    assert book.regular_capacity().tolist() == [24.0, 40.0]
    book.secondees_count = False
    assert book.regular_capacity().tolist() == [24.0, 24.0]


def test_project_work_arrives_until_its_end_and_is_done_by_whoever_is_there():
    book, roster = _book()
    book.start_project(1, 16.0, until=2.0)  # two secondees' hours for days 0 and 1
    roster.second([0, 2], 3, day=0, until=30)
    book.work_day(True, 0)
    assert book.project_hours.tolist() == [0.0, 16.0]
    assert np.isclose(book.worked[1], 16.0) and np.isclose(book.capacity_total[1], 40.0)
    roster.recall([0, 2])  # recalled (a ban): the project's work stays
    book.work_day(True, 1)
    assert book.project_hours.tolist() == [0.0, 32.0]
    assert np.isclose(book.capacity_total[1], 64.0) and np.isclose(book.worked[1], 32.0)
    book.work_day(True, 2)  # the project has ended
    assert book.project_hours.tolist() == [0.0, 32.0]
    assert book.secondee_days.tolist() == [0, 2]


def test_department_table_agrees_with_the_summary():
    model, tasks, summary = run("typical_county", seed=2, days=120)
    table = department_table(model)
    assert tuple(table.columns) == DEPARTMENT_COLUMNS
    assert len(table) == len(model.departments)
    # Secondees held per day, summed over departments = the county's secondments per day.
    assert np.isclose(table["secondees_held_mean"].sum(), summary["secondments_active_mean"])
    assert np.isclose(table["refused_task_hours"].sum(), summary["department_refused_task_hours"])
    answered = table["answers"] > 0
    assert np.isclose((table["answer_days_mean"][answered] * table["answers"][answered]).sum()
                      / table["answers"].sum(), summary["department_answer_days_mean"])
    book = model.departments
    assert np.isclose(np.nansum(table["utilisation"] * book.capacity_total)
                      / book.capacity_total.sum(), summary["department_utilisation"])


def test_banning_secondment_costs_the_departments():
    """Over seeds: without secondees, the departments' utilisation and answer times rise."""
    rows = []
    for seed in (1, 2, 3):
        _, _, a = run("typical_county", seed=seed, days=150)
        _, _, b = run("typical_county", seed=seed, days=150,
                      overrides=["policy/secondment=banned"])
        rows.append((a["department_utilisation"], b["department_utilisation"]))
    rows = np.array(rows)
    assert (rows[:, 1] > rows[:, 0]).all(), rows

"""Results by name: one row per township and one per county department, for the whole run.

A county official reads results by unit: which township is overloaded, which department slow.
:func:`township_summary` and :func:`department_summary` carry each unit's name, population and
posts (as the county tables gave them, :mod:`sim.county`) beside what the run measured; each
figure is derived from the same records as ``summary.json`` (:mod:`sim.measures.metrics`), so
the rows add up to the county's totals. :data:`UNITS` gives each column's unit, for the
spreadsheet export's headers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.agents.township import HOURS_CATEGORIES
from sim.measures.metrics import task_table, township_table
from sim.work import CITIZEN_KINDS

CITIZEN_NAMES = [k.name.lower() for k in CITIZEN_KINDS]

#: Unit of each column of the by-unit tables (and of the county's daily and township tables).
UNITS = {
    "population": "people", "area_km2": "km2", "distance_km": "km", "villages": "villages",
    "village_population": "people",
    "admin_posts_start": "posts", "institutional_posts_start": "posts", "posts_start": "posts",
    "staff_start": "people", "secondees_start": "people", "leaders": "people",
    "posts_end": "posts", "on_duty_end": "people", "seconded_end": "people",
    "vacancies_end": "posts", "staff_end": "people", "secondees_held_end": "people",
    "requests_arrived": "count", "requests_resolved": "count", "requests_open": "count",
    "resolution_hours_mean": "calendar hours", "resolution_hours_p90": "calendar hours",
    "on_time_share": "share", "tasks_arrived": "count", "tasks_returned": "count",
    "backlog_end": "items", "demand_hours": "cadre-hours", "capacity_hours": "cadre-hours",
    "overload_index": "ratio", "overtime_hours": "cadre-hours",
    "overtime_hours_per_cadre_week": "hours", "own_workload_share": "share",
    "own_work_hours_per_day": "hours/day", "worked_hours": "hours", "utilisation": "share",
    "refused_task_hours": "hours", "case_hours": "hours", "answers": "count",
    "answer_days_mean": "days", "backlog_hours_end": "hours",
    **{f"hours_{c}": "cadre-hours" for c in HOURS_CATEGORIES},
    **{f"share_{c}": "share" for c in HOURS_CATEGORIES},
    "backlog": "items", "on_duty": "people", "seconded": "people", "vacancies": "posts",
    "posts": "posts", "resolved": "count", "secondments_active": "people",
    "posts_townships": "posts", "posts_departments": "posts",
    "department_backlog_hours": "hours", "overload_index_mean": "ratio",
    "day": "day", "seed": "",
}


def township_summary(model, tasks: pd.DataFrame | None = None,
                     townships: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per township: who it is (name, population, posts) and how the run went for it.

    Args:
        model: A run model (finished or not).
        tasks: Its task table (:func:`~sim.measures.metrics.task_table`), if already made.
        townships: Its township-day table (:func:`~sim.measures.metrics.township_table`).
    """
    tasks = task_table(model) if tasks is None else tasks
    townships = township_table(model) if townships is None else townships
    layout, n = model.layout, len(model.townships)
    rows = pd.DataFrame({
        "township": np.arange(n),
        "name": [t.name for t in model.townships],
        "population": [t.population for t in model.townships],
        "area_km2": np.asarray(layout.area_km2, dtype=float),
        "distance_km": [t.distance_km for t in model.townships],
        "villages": [t.villages for t in model.townships],
        "admin_posts_start": np.asarray(layout.admin_posts),
        "institutional_posts_start": np.asarray(layout.institutional_posts),
        "posts_start": np.asarray(layout.township_posts),
        "staff_start": model.staff_start[:n],
        "secondees_start": np.asarray(layout.secondees),
    })
    if layout.village_table is not None and "population" in layout.village_table:
        by = layout.village_table.groupby("township")["population"].sum(min_count=1)
        rows["village_population"] = rows["name"].map(by).astype(float)
    if len(townships):
        last = townships[townships["day"] == townships["day"].max()].set_index("township")
        for column, source in (("posts_end", "posts"), ("on_duty_end", "on_duty"),
                               ("seconded_end", "seconded"), ("vacancies_end", "vacancies"),
                               ("backlog_end", "backlog")):
            rows[column] = last[source].reindex(rows["township"]).to_numpy()
    citizen = tasks[tasks["kind"].isin(CITIZEN_NAMES)]
    resolved = citizen[citizen["status"] == "resolved"]
    grouped = resolved.groupby("township")["resolution_hours"]
    index = rows["township"]
    rows["requests_arrived"] = citizen.groupby("township").size().reindex(index, fill_value=0
                                                                           ).to_numpy()
    rows["requests_resolved"] = resolved.groupby("township").size().reindex(
        index, fill_value=0).to_numpy()
    rows["requests_open"] = rows["requests_arrived"] - rows["requests_resolved"]
    rows["resolution_hours_mean"] = grouped.mean().reindex(index).to_numpy()
    rows["resolution_hours_p90"] = grouped.quantile(0.9).reindex(index).to_numpy()
    rows["on_time_share"] = resolved.groupby("township")["deadline_met"].mean().reindex(
        index).to_numpy()
    pushed = tasks[tasks["kind"] == "task"]
    rows["tasks_arrived"] = pushed.groupby("township").size().reindex(index, fill_value=0
                                                                      ).to_numpy()
    rows["tasks_returned"] = pushed[pushed["status"] == "returned"].groupby(
        "township").size().reindex(index, fill_value=0).to_numpy()
    rows["demand_hours"] = [t.demand_hours for t in model.townships]
    rows["capacity_hours"] = [t.capacity_hours for t in model.townships]
    capacity = rows["capacity_hours"].where(rows["capacity_hours"] > 0)
    rows["overload_index"] = rows["demand_hours"] / capacity
    rows["overtime_hours"] = [t.overtime_hours for t in model.townships]
    cadre_days = np.array([t.cadre_days for t in model.townships], dtype=float)
    rows["overtime_hours_per_cadre_week"] = np.where(
        cadre_days > 0, rows["overtime_hours"] / np.where(cadre_days > 0, cadre_days, 1) * 5,
        np.nan)
    hours = np.array([t.hours for t in model.townships]).reshape(n, len(HOURS_CATEGORIES))
    total = hours.sum(axis=1)
    for i, category in enumerate(HOURS_CATEGORIES):
        rows[f"hours_{category}"] = hours[:, i]
    for i, category in enumerate(HOURS_CATEGORIES):
        rows[f"share_{category}"] = np.where(total > 0, hours[:, i] / np.where(total > 0,
                                                                              total, 1), np.nan)
    return rows


def department_summary(model) -> pd.DataFrame:
    """One row per county department: name, posts, staff and what the run asked of it."""
    layout, roster = model.layout, model.roster
    departments = model.departments
    seconded = roster.seconded_to
    rows = pd.DataFrame({
        "department": [d.index for d in departments],
        "name": list(layout.department_names),
        "posts_start": np.asarray(layout.department_posts),
        "staff_start": model.staff_start[len(model.townships):],
        "own_workload_share": np.asarray(layout.department_utilisation, dtype=float),
        "posts_end": [len(d.slots) for d in departments],
        "staff_end": [d.staff for d in departments],
        "secondees_held_end": [int(np.count_nonzero(roster.occupied & (seconded == d.unit)))
                               for d in departments],
        "own_work_hours_per_day": [d.own_work_hours_per_day for d in departments],
        "worked_hours": [d.worked_hours for d in departments],
        "capacity_hours": [d.capacity_hours for d in departments],
        "utilisation": [d.utilisation for d in departments],
        "refused_task_hours": [d.refused_task_hours for d in departments],
        "case_hours": [d.case_hours for d in departments],
        "answers": [d.answers for d in departments],
        "answer_days_mean": [d.answer_days_total / d.answers if d.answers else np.nan
                             for d in departments],
        "backlog_hours_end": [d.backlog_hours for d in departments],
    })
    return rows

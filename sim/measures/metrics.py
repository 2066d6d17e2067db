"""What every run measures (DESIGN.md section 5), from the model's final state.

One function, :func:`summarize`, returns the end-of-run scalars written to ``summary.json``;
:func:`task_table` and :func:`township_table` turn the model's records into the per-item and
per-township-day tables. Units: hours are calendar hours for waits and resolution times (what a
resident experiences) and cadre-hours for work.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.agents.cadre import ATTRITION, POST_MOVED_WITHOUT_HOLDER, TRANSFERRED
from sim.agents.township import HOURS_CATEGORIES, TOWNSHIP_COLUMNS
from sim.kernels.columns import Hours
from sim.measures.definitions import (
    OVERLOAD_THRESHOLD,
    deadline_met,
    hours_per_cadre_week,
    hours_shares,
    overload_index,
    utilisation,
)
from sim.measures.own_work import own_work_summary
from sim.measures.resolution import resolution_stats
from sim.measures.villages import village_summary
from sim.policies import LEVER_NAMES
from sim.work import CITIZEN_KINDS, STATUSES, Kind

#: Numeric summary keys a run can return to a Hydra sweeper (``output.objective``).
OBJECTIVES = ("resolution_hours_mean", "resolution_hours_p50", "resolution_hours_p90",
              "resolution_hours_p99", "wait_hours_mean", "on_time_share", "overload_index_mean",
              "overload_index_max", "overloaded_township_share", "overtime_hours_per_cadre_week",
              "cadres_over_50h_share", "department_utilisation", "department_answer_days_mean",
              "resolution_hours_km_p50", "resolution_hours_km_p90", "on_time_share_due")

def task_table(model) -> pd.DataFrame:
    """One row per work item: kind, township, departments, times, wait, resolution, bounces."""
    table, coordination = model.table, model.coordination
    n = len(table)
    case = table.column("case")
    has_case = case >= 0
    bounces = np.zeros(n, dtype=np.int16)
    bounces[has_case] = coordination.bounces[case[has_case]]
    departments = np.zeros(n, dtype=np.int8)
    departments[has_case] = coordination.n_departments[case[has_case]]
    df = pd.DataFrame({
        "id": np.arange(n, dtype=np.int64),
        "kind": pd.Categorical.from_codes(table.column("kind"), [k.name.lower() for k in Kind]),
        "township": table.column("township").copy(),
        "department": table.column("department").copy(),
        **{name: table.column(name).copy() for name in ("arrival", "start", "finish")},
        "township_done": table.column("done").copy(),
        **{name: table.column(name).copy() for name in ("effort", "deadline")},
        "status": pd.Categorical.from_codes(table.column("status"), list(STATUSES)),
        "bounces": bounces,
        "departments": departments,
    })
    for reform in model.reforms.values():  # columns a reform keeps per item (purchase, feedback)
        if hasattr(reform, "item_columns"):
            for name, column in reform.item_columns(n).items():
                df[name] = column
    df["wait_hours"] = df["start"] - df["arrival"]
    df["resolution_hours"] = df["finish"] - df["arrival"]
    df["deadline_met"] = deadline_met(df["finish"], df["deadline"])
    return df


def township_table(model) -> pd.DataFrame:
    """One row per township per day; cumulative counters turned into daily amounts."""
    rows = model.townships.record[: model.day].reshape(-1, len(TOWNSHIP_COLUMNS))
    df = pd.DataFrame(rows, columns=list(TOWNSHIP_COLUMNS))
    counts = ["day", "township", "backlog", "on_duty", "seconded", "vacancies", "posts"]
    df[counts] = df[counts].astype(np.int64)
    names = np.array([t.name for t in model.townships], dtype=object)
    df.insert(2, "name", names[df["township"].to_numpy()])
    cumulative = ["demand_hours", "capacity_hours", "overtime_hours",
                  *[f"hours_{c}" for c in HOURS_CATEGORIES]]
    df[cumulative] = df.groupby("township")[cumulative].diff().fillna(df[cumulative])
    df["overload_index"] = overload_index(df["demand_hours"], df["capacity_hours"])
    return df


#: The task table's columns the summary reads (the rest are not copied when it filters rows).
_SUMMARY_COLUMNS = ["kind", "status", "arrival", "start", "effort", "resolution_hours",
                    "wait_hours", "deadline_met"]


def _citizen(tasks: pd.DataFrame) -> pd.DataFrame:
    """The citizen requests of the task table, with the columns the summary reads."""
    return tasks.loc[tasks["kind"].isin([k.name.lower() for k in CITIZEN_KINDS]),
                     _SUMMARY_COLUMNS]


def _hours_since(model, warmup_days: int) -> np.ndarray:
    """Township cadre hours by category, from the end of the warm-up to the last day."""
    hours = model.townships.hours.sum(axis=0)
    if warmup_days <= 0 or model.day <= warmup_days:
        return hours
    first = TOWNSHIP_COLUMNS.index(f"hours_{HOURS_CATEGORIES[0]}")
    before = model.townships.record[warmup_days - 1, :, first:first + len(HOURS_CATEGORIES)]
    return hours - before.sum(axis=0)


def _total_hours(hours: np.ndarray) -> float:
    """All township cadre hours booked (per township by category, ``hours``).

    Summed in two blocks, the categories before the township's own work (issue 11, item 9)
    first: a run without own work then gives the total of the model before those categories to
    the last bit (a flat sum over more columns pairs the numbers differently).
    """
    own = Hours.OWN_WORK
    return float(np.ascontiguousarray(hours[:, :own]).sum() + hours[:, own:].sum())


def summarize(model, tasks: pd.DataFrame | None = None, runtime_seconds: float = 0.0,
              warmup_days: int = 0) -> dict:
    """End-of-run scalars of one run (the contents of ``summary.json``).

    With ``warmup_days``, citizen requests that arrived before it are left out of the request
    figures (counts, resolution, wait, on-time, by kind) and hours shares count from it; the
    other figures cover the whole run.
    """
    tasks = task_table(model) if tasks is None else tasks
    citizen = _citizen(tasks)
    if warmup_days:
        citizen = citizen[citizen["arrival"] >= warmup_days * 24.0]
    departures = model.roster.departures
    resolved = citizen[citizen["status"] == "resolved"]
    started = citizen[citizen["start"].notna()]
    res = resolved["resolution_hours"].to_numpy()
    hours = _hours_since(model, warmup_days)
    records = model.records
    secondment_days = float(sum(
        model.datacollector.model_vars["secondments_active"])) if model.day else 0.0
    township_load = overload_index(model.townships.demand, model.townships.capacity)
    loaded = not np.isnan(township_load).all()
    cadre_days = sum(t.cadre_days for t in model.townships)
    departments = model.departments
    dept_capacity = sum(d.capacity_hours for d in departments)
    by_kind = {
        kind: float(group["resolution_hours"].mean())
        for kind, group in resolved.groupby("kind", observed=True)
    }

    def q(p):
        return float(np.percentile(res, p)) if len(res) else float("nan")

    return {
        "scenario": model.scenario.name,
        "seed": int(model.seed),
        "days": int(model.days),
        "warmup_days": int(warmup_days),
        "policy": {name: getattr(model.policy, name).name for name in LEVER_NAMES},
        "requests_arrived": int(len(citizen)),
        "requests_resolved": int(len(resolved)),
        "requests_open": int(len(citizen) - len(resolved)),
        "resolution_hours_mean": float(res.mean()) if len(res) else float("nan"),
        "resolution_hours_p50": q(50),
        "resolution_hours_p90": q(90),
        "resolution_hours_p99": q(99),
        "resolution_hours_by_kind": by_kind,
        **resolution_stats(tasks, model.day * 24.0, warmup_days),
        "wait_hours_mean": float(started["wait_hours"].mean()) if len(started) else float("nan"),
        "service_hours_mean": float(resolved["effort"].mean()) if len(resolved) else float("nan"),
        "on_time_share": float(resolved["deadline_met"].mean()) if len(resolved) else float("nan"),
        "backlog_end": int(sum(t.backlog for t in model.townships)),
        "tasks_arrived": int((tasks["kind"] == "task").sum()),
        "tasks_returned": int((tasks["status"] == "returned").sum()),
        # NaN, without NumPy's warning, when no township had any staff hours (said in
        # ``not_computed``).
        "overload_index_mean": (float(np.nanmean(township_load)) if loaded else float("nan")),
        "overload_index_max": (float(np.nanmax(township_load)) if loaded else float("nan")),
        "overloaded_township_share": float(np.mean(township_load > OVERLOAD_THRESHOLD)),
        "overtime_hours_per_cadre_week": (
            float(sum(t.overtime_hours for t in model.townships) / cadre_days * 5)
            if cadre_days else 0.0),
        "hours_per_cadre_week": hours_per_cadre_week(
            _total_hours(model.townships.hours), cadre_days),
        "cadres_over_50h_share": (records.week_over_50 / records.cadre_weeks
                                  if records.cadre_weeks else 0.0),
        "hours_share": hours_shares(hours, HOURS_CATEGORIES),
        "secondments_active_mean": secondment_days / max(model.day, 1),
        "secondment_months_total": secondment_days / model.scenario.days_per_month,
        "attrition": int(np.count_nonzero((departures[:, 3] == ATTRITION)
                                          & (departures[:, 2] < len(model.townships)))),
        "vacancies_end": int(records.vacancies) if model.day else 0,
        "department_utilisation": utilisation(sum(d.worked_hours for d in departments),
                                              dept_capacity),
        "department_refused_task_hours": float(sum(d.refused_task_hours for d in departments)),
        "department_answer_days_mean": (
            sum(d.answer_days_total for d in departments)
            / max(sum(d.answers for d in departments), 1)),
        "department_backlog_hours_end": float(sum(d.backlog_hours for d in departments)),
        # Posts of the county's units (the province pool's posts outside them are not counted).
        "posts_total": int(np.count_nonzero(model.roster.unit < model.pool_unit)),
        "posts_townships": int(records.posts_townships) if model.day else 0,
        "posts_departments": int(records.posts_departments) if model.day else 0,
        "posts_moved": int(len(model.reforms["posts"].moves)),
        "posts_stages_planned": model.reforms["posts"].stages(model.day)[0],
        "posts_stages_applied": model.reforms["posts"].stages(model.day)[1],
        "holders_released": int(np.count_nonzero(departures[:, 3] == POST_MOVED_WITHOUT_HOLDER)),
        "secondees_transferred": int(np.count_nonzero(departures[:, 3] == TRANSFERRED)),
        "posts_reallocated": int(len(model.reforms["reallocation"].moves)),
        "pool_posts_out": model.reforms["pool"].counts()[0],
        "pool_posts_in": model.reforms["pool"].counts()[1],
        **{key: value for reform in model.reforms.values()  # purchase, feedback
           if hasattr(reform, "summary_figures")
           for key, value in reform.summary_figures().items()},
        **village_summary(model),  # only when latent needs arise (sim/measures/villages.py)
        **own_work_summary(model, tasks, warmup_days),  # only with own work or windows
        "runtime_seconds": float(runtime_seconds),
    }

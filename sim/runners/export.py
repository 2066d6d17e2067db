"""A run's tables for people who work in a spreadsheet: CSV files and one Excel workbook.

Beside the Parquet files, :func:`export_run` writes into the run's folder (``export/``):

- ``results.xlsx``: one sheet per table (``summary``, ``townships``, ``departments``, ``daily``),
  written with openpyxl; every header carries its unit, e.g. ``population [people]``; the first
  row is frozen and columns are sized to their headers;
- one CSV per table (UTF-8 with a byte-order mark, so Excel shows Chinese names), same headers,
  and ``township_days.csv`` (a row per township and day, names added).

The township-day table is left out of the workbook: openpyxl takes about 5 s for its 5,000 rows
of a county-year, ten times the simulation. The item-level table (one row per work item,
~100,000 a county-year) stays in ``tasks.parquet``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.measures.by_unit import UNITS, department_summary, township_summary

#: Units of the ``summary.json`` keys (nested keys as ``parent.child``), for the summary sheet.
SUMMARY_UNITS = {
    "requests_arrived": "count", "requests_resolved": "count", "requests_open": "count",
    "resolution_hours_mean": "calendar hours", "resolution_hours_p50": "calendar hours",
    "resolution_hours_p90": "calendar hours", "resolution_hours_p99": "calendar hours",
    "resolution_hours_by_kind": "calendar hours", "wait_hours_mean": "calendar hours",
    "service_hours_mean": "cadre-hours", "on_time_share": "share", "backlog_end": "items",
    "tasks_arrived": "count", "tasks_returned": "count", "overload_index_mean": "ratio",
    "overload_index_max": "ratio", "overloaded_township_share": "share",
    "overtime_hours_per_cadre_week": "hours", "cadres_over_50h_share": "share",
    "hours_share": "share", "secondments_active_mean": "people",
    "secondment_months_total": "months", "attrition": "people", "vacancies_end": "posts",
    "department_utilisation": "share", "department_refused_task_hours": "hours",
    "department_answer_days_mean": "days", "department_backlog_hours_end": "hours",
    "posts_total": "posts", "posts_townships": "posts", "posts_departments": "posts",
    "holders_released": "people", "runtime_seconds": "s", "days": "days",
}


def with_units(df: pd.DataFrame, units: dict[str, str] = UNITS) -> pd.DataFrame:
    """``df`` with each header followed by its unit in brackets (``population [people]``)."""
    return df.rename(columns={c: f"{c} [{units[c]}]" if units.get(c) else c
                              for c in df.columns})


def summary_rows(summary: dict) -> pd.DataFrame:
    """The run's scalars as rows of key, value, unit (nested dicts flattened; config left out)."""
    rows = []

    def add(key, value, unit):
        if isinstance(value, dict):
            for k, v in value.items():
                add(f"{key}.{k}", v, unit)
        elif isinstance(value, list):
            rows.append((key, " ".join(map(str, value)), unit))
        else:
            rows.append((key, value, unit))

    for key, value in summary.items():
        if key not in ("config", "provenance"):
            add(key, value, SUMMARY_UNITS.get(key, ""))
    return pd.DataFrame(rows, columns=["key", "value", "unit"])


#: Tables written as CSV only, not as sheets of the workbook.
CSV_ONLY = ("township_days",)


def run_tables(model, summary: dict, *, daily: pd.DataFrame, townships: pd.DataFrame,
               tasks: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """A run's export tables, by name, headers with units."""
    names = {t.index: t.name for t in model.townships}
    days = townships.copy()
    if "name" not in days:
        days.insert(2, "name", days["township"].map(names))
    return {
        "summary": summary_rows(summary),
        "townships": with_units(township_summary(model, tasks, townships)),
        "departments": with_units(department_summary(model)),
        "daily": with_units(daily),
        "township_days": with_units(days),
    }


def write_workbook(sheets: dict[str, pd.DataFrame], path: Path) -> Path:
    """Write each table to its own sheet of one ``.xlsx`` workbook (openpyxl, write-only)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    for name, df in sheets.items():
        sheet = book.create_sheet(title=name[:31])
        sheet.freeze_panes = "A2"
        for i, header in enumerate(df.columns, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = max(10, min(len(header) + 2,
                                                                                40))
        sheet.append([str(c) for c in df.columns])
        # Python values, NaN and infinities as empty cells, converted column by column.
        plain = df.astype(object).where(df.notna() & ~df.isin([np.inf, -np.inf]), None)
        for row in plain.to_numpy().tolist():
            sheet.append(row)
    book.save(path)
    return path


def export_run(model, summary: dict, folder: Path, *, daily: pd.DataFrame,
               townships: pd.DataFrame, tasks: pd.DataFrame) -> list[Path]:
    """Write ``export/results.xlsx`` and one CSV per table into ``folder``; return the paths."""
    out = Path(folder) / "export"
    out.mkdir(parents=True, exist_ok=True)
    sheets = run_tables(model, summary, daily=daily, townships=townships, tasks=tasks)
    paths = []
    for name, df in sheets.items():
        path = out / f"{name}.csv"
        df.to_csv(path, index=False, encoding="utf-8-sig")
        paths.append(path)
    paths.append(write_workbook({k: v for k, v in sheets.items() if k not in CSV_ONLY},
                                out / "results.xlsx"))
    return paths

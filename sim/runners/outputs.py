"""Writing a run's results: whole or not at all.

Every file is first written into a hidden staging folder inside the run directory and moved into
place only when all of them exist; ``summary.json`` is moved last, so its presence marks a
complete run (the sweeps' resume relies on it).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from omegaconf import OmegaConf

from sim.measures.by_unit import township_summary
from sim.measures.departments import department_table
from sim.measures.metrics import summarize, task_table, township_table
from sim.runners.export import export_run
from sim.runners.rerun import provenance
from sim.work import CITIZEN_KINDS


def _clean(value):
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


#: Why a measure has no value, by the count that is zero: (measures, count, reason).
_UNDEFINED = (
    (("resolution_hours_mean", "resolution_hours_p50", "resolution_hours_p90",
      "resolution_hours_p99", "service_hours_mean", "on_time_share"), "requests_resolved",
     "no citizen request was resolved in the run"),
    (("wait_hours_mean",), "requests_started", "no citizen request was started in the run"),
    (("overload_index_mean", "overload_index_max", "overloaded_township_share"),
     "township_capacity_hours", "no township had a cadre-hour on duty"),
    (("overtime_hours_per_cadre_week",), "cadre_days", "no cadre was on duty in a township"),
    (("cadres_over_50h_share",), "cadre_weeks", "no cadre worked a full week in a township"),
    (("department_utilisation",), "department_capacity_hours",
     "no county department had staff on duty"),
    (("department_answer_days_mean",), "department_answers",
     "no county department answered a case"),
)


def _counts(model, summary: dict, tasks: pd.DataFrame) -> dict[str, float]:
    """The counts the measures are divided by (what makes a measure undefined when zero)."""
    citizen = (tasks["kind"].isin([k.name.lower() for k in CITIZEN_KINDS])
               & (tasks["arrival"] >= summary.get("warmup_days", 0) * 24.0))
    return {
        "requests_resolved": summary.get("requests_resolved", 0),
        "requests_started": int((citizen & tasks["start"].notna()).sum()),
        "township_capacity_hours": sum(float(t.capacity_hours) for t in model.townships),
        "cadre_days": sum(t.cadre_days for t in model.townships),
        "cadre_weeks": model.records.cadre_weeks,
        "department_capacity_hours": sum(d.capacity_hours for d in model.departments),
        "department_answers": sum(d.answers for d in model.departments),
    }


def mark_not_computed(model, summary: dict, tasks: pd.DataFrame) -> dict:
    """Replace measures that a run cannot define by null, and say why in ``not_computed``.

    A run with nothing to divide by (no request resolved, no cadre on duty, no department with
    staff) has no resolution time, overload index or utilisation: the summary says so rather
    than reporting NaN, or 0 where 0 would be read as a measurement. Any other value that is not
    a finite number is nulled with a reason too. Returns ``summary``, changed in place.
    """
    counts = _counts(model, summary, tasks)
    reasons: dict[str, str] = {}
    for keys, count, reason in _UNDEFINED:
        if not counts[count]:
            for key in keys:
                if key in summary:
                    summary[key] = None
                    reasons[key] = reason
    for key, value in summary.items():
        if key not in reasons and isinstance(value, float) and not math.isfinite(value):
            summary[key] = None
            reasons[key] = "not a finite number for this run"
    summary["not_computed"] = reasons
    return summary


def finished_summary(model, tasks: pd.DataFrame, runtime_seconds: float,
                     warmup_days: int = 0) -> dict:
    """The run's summary as written: undefined measures null with a reason, no NaN or inf."""
    with warnings.catch_warnings():  # NumPy warns on the means it cannot take; they are named
        warnings.simplefilter("ignore", RuntimeWarning)
        summary = summarize(model, tasks, runtime_seconds, warmup_days=warmup_days)
    return _clean(mark_not_computed(model, summary, tasks))


def daily_table(model) -> pd.DataFrame:
    """County series per day from the model's DataCollector."""
    daily = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    daily.insert(0, "day", range(len(daily)))
    return daily


def _equals(column: pd.Series, value: str) -> np.ndarray:
    """``column == value`` as a boolean array, through the codes when the column is categorical."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        categories = list(column.cat.categories)
        if value not in categories:
            return np.zeros(len(column), dtype=bool)
        return column.cat.codes.to_numpy() == categories.index(value)
    return column.to_numpy() == value


def requests_by_kind(tasks: pd.DataFrame) -> dict:
    """Per kind of citizen request: arrived, resolved, on-time share and resolution percentiles.

    Resolution times are calendar hours of resolved requests; the on-time share is of resolved
    requests, as for the run's ``on_time_share``.
    """
    resolved = _equals(tasks["status"], "resolved")
    hours = tasks["resolution_hours"].to_numpy()
    met = tasks["deadline_met"].to_numpy()
    out = {}
    for kind in (k.name.lower() for k in CITIZEN_KINDS):
        mine = _equals(tasks["kind"], kind)
        if not mine.any():
            continue
        done = mine & resolved
        times = hours[done]
        p50, p90 = np.percentile(times, [50, 90]) if len(times) else (math.nan, math.nan)
        out[kind] = {
            "arrived": int(mine.sum()), "resolved": int(done.sum()),
            "on_time_share": float(met[done].mean()) if len(times) else math.nan,
            "resolution_hours_p50": float(p50), "resolution_hours_p90": float(p90)}
    return out


def run_title(summary: dict) -> str:
    """A run's figure title: scenario, the presets of its policy, and its seed."""
    presets = [f"{lever}={preset}" for lever, preset in summary["policy"].items()]
    lines = [" ".join(presets[i:i + 3]) for i in range(0, len(presets), 3)]
    return "\n".join([*lines, f"{summary['scenario']}, seed {summary['seed']}"])


def write_run(model, cfg, out_dir: Path, *, runtime_seconds: float, tables: bool = True,
              figures: bool = True, overrides: list[str] | None = None,
              tasks_table: bool | None = None, export: bool | None = None,
              config: dict | None = None) -> dict:
    """Write the run's tables, figures and ``summary.json`` into ``out_dir``; return the summary.

    ``tables`` writes the daily and township tables; ``tasks_table`` the one-row-per-item table
    (zstd-compressed; default: as ``tables``); ``export`` the CSV files and Excel workbook
    (default: ``output.export`` of ``cfg``, on when that is null). ``config`` is ``cfg`` as a
    resolved container, when the caller has it (a block of runs resolves it once).
    """
    if export is None:
        chosen = cfg.output.get("export") if cfg is not None and "output" in cfg else None
        export = True if chosen is None else bool(chosen)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tasks = task_table(model)
    warmup = int(cfg.output.get("warmup_days", 0)) if cfg is not None and "output" in cfg else 0
    summary = finished_summary(model, tasks, runtime_seconds, warmup_days=warmup)
    summary["requests_by_kind"] = _clean(requests_by_kind(tasks))
    summary["overrides"] = list(overrides or [])
    if config is None and cfg is not None:
        config = OmegaConf.to_container(cfg, resolve=True)
    summary["config"] = config
    summary["provenance"] = provenance()  # code and library versions, for reruns
    stage = Path(tempfile.mkdtemp(prefix=".partial-", dir=out_dir))
    try:
        daily = daily_table(model)
        townships = township_table(model)
        if tables:
            for name, df in (("daily", daily), ("townships", townships),
                             ("departments", department_table(model))):
                df.assign(seed=model.seed).to_parquet(stage / f"{name}.parquet", index=False)
            if export:  # CSV + Excel, by name
                export_run(model, summary, stage, daily=daily, townships=townships, tasks=tasks)
        if tables if tasks_table is None else tasks_table:
            tasks.assign(seed=model.seed).to_parquet(stage / "tasks.parquet", index=False,
                                                     compression="zstd")
        if figures:
            from sim.measures.figures import plot_run  # Matplotlib only where figures are drawn

            plot_run(daily, townships, run_title(summary), stage / "figures",
                     units=township_summary(model, tasks, townships))
        (stage / "summary.json").write_text(
            json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8"
        )
        for path in sorted(stage.rglob("*"), key=lambda p: p.name == "summary.json"):
            if path.is_file():
                target = out_dir / path.relative_to(stage)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(path, target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return summary


def print_summary(summary: dict, out_dir: Path) -> None:
    """Print the headline numbers of a run as a short table."""
    def f(key: str, spec: str, scale: float = 1.0) -> str:
        value = summary.get(key)
        return "n/a" if value is None else format(value / scale, spec)

    rows = [
        ("scenario", summary["scenario"]),
        ("policy", ", ".join(f"{k}={v}" for k, v in summary["policy"].items())),
        ("days simulated (warm-up left out)",
         f"{summary['days']} ({summary.get('warmup_days', 0)})"),
        ("requests arrived / resolved / open",
         f"{summary['requests_arrived']} / {summary['requests_resolved']} / "
         f"{summary['requests_open']}"),
        ("resolution time mean / p50 / p90 (days)",
         " / ".join(f(k, ".1f", 24) for k in
                    ("resolution_hours_mean", "resolution_hours_p50", "resolution_hours_p90"))),
        ("wait before work starts, mean (h)", f("wait_hours_mean", ".1f")),
        ("resolved on time", f("on_time_share", ".0%")),
        ("due in the run and met, p50 / p90 (h, open counted)",
         f"{f('on_time_share_due', '.0%')}, {f('resolution_hours_km_p50', '.1f')} / "
         f"{f('resolution_hours_km_p90', '.1f')}"),
        *[(f"  {kind}", "{}, {} / {}".format(*(
            "n/a" if v.get(k) is None else format(v[k], spec)
            for k, spec in (("on_time_share_due", ".0%"), ("resolution_hours_p50", ".1f"),
                            ("resolution_hours_p90", ".1f")))))
          for kind, v in summary.get("resolution_by_kind", {}).items()],
        ("overload index mean (share of townships > 1)",
         f"{f('overload_index_mean', '.2f')} ({f('overloaded_township_share', '.0%')})"),
        ("hours / overtime per cadre per week (h)",
         f"{f('hours_per_cadre_week', '.1f')} / {f('overtime_hours_per_cadre_week', '.1f')}"),
        ("hours: service / tasks / meetings / chat groups",
         " / ".join(f"{summary['hours_share'][k]:.0%}" for k in
                    ("service", "tasks", "meetings", "chat_groups"))),
        *([("hours: own work / service centre / grid (requests at windows)",
            " / ".join(f"{summary['hours_share'][k]:.0%}" for k in
                       ("own_work", "service_centre", "grid"))
            + f" ({summary.get('service_centre_requests_served', 0)})")]
          if "own_work_arrived" in summary or "service_centre_requests_served" in summary
          else []),
        *([("villages: visit coverage / needs found early / escalated",
            f"{f('visit_coverage', '.0%')} / {summary['needs_found_early']} / "
            f"{summary['needs_escalated']}"),
           ("proactive hours per cadre per week", f("proactive_hours_per_cadre_week", ".1f"))]
          if "visit_coverage" in summary else []),
        ("secondments active (mean)", f"{summary['secondments_active_mean']:.1f}"),
        ("department utilisation", f("department_utilisation", ".0%")),
        ("runtime (s)", f"{summary['runtime_seconds']:.2f}"),
    ]
    if summary.get("not_computed"):
        rows.append(("not computed", "; ".join(
            f"{k}: {v}" for k, v in summary["not_computed"].items())))
    width = max(len(r[0]) for r in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    print(f"outputs: {out_dir}")

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
from pathlib import Path

import numpy as np
import pandas as pd
from omegaconf import OmegaConf

from sim.measures.metrics import summarize, task_table, township_table
from sim.work import CITIZEN_KINDS


def _clean(value):
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


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
              tasks_table: bool | None = None) -> dict:
    """Write the run's tables, figures and ``summary.json`` into ``out_dir``; return the summary.

    ``tables`` writes the daily and township tables; ``tasks_table`` the one-row-per-item table
    (zstd-compressed; default: as ``tables``).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tasks = task_table(model)
    summary = _clean(summarize(model, tasks, runtime_seconds))
    summary["requests_by_kind"] = _clean(requests_by_kind(tasks))
    summary["overrides"] = list(overrides or [])
    summary["config"] = OmegaConf.to_container(cfg, resolve=True) if cfg is not None else None
    stage = Path(tempfile.mkdtemp(prefix=".partial-", dir=out_dir))
    try:
        daily = daily_table(model)
        townships = township_table(model)
        if tables:
            for name, df in (("daily", daily), ("townships", townships)):
                df.assign(seed=model.seed).to_parquet(stage / f"{name}.parquet", index=False)
        if tables if tasks_table is None else tasks_table:
            tasks.assign(seed=model.seed).to_parquet(stage / "tasks.parquet", index=False,
                                                     compression="zstd")
        if figures:
            from sim.measures.figures import plot_run  # Matplotlib only where figures are drawn

            plot_run(daily, townships, run_title(summary), stage / "figures")
        (stage / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
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
    rows = [
        ("scenario", summary["scenario"]),
        ("policy", ", ".join(f"{k}={v}" for k, v in summary["policy"].items())),
        ("days simulated", summary["days"]),
        ("requests arrived / resolved / open",
         f"{summary['requests_arrived']} / {summary['requests_resolved']} / "
         f"{summary['requests_open']}"),
        ("resolution time mean / p50 / p90 (days)",
         " / ".join(f"{(summary[k] or float('nan')) / 24:.1f}" for k in
                    ("resolution_hours_mean", "resolution_hours_p50", "resolution_hours_p90"))),
        ("wait before work starts, mean (h)", f"{summary['wait_hours_mean']:.1f}"),
        ("resolved on time", f"{summary['on_time_share']:.0%}"),
        ("overload index mean (share of townships > 1)",
         f"{summary['overload_index_mean']:.2f} ({summary['overloaded_township_share']:.0%})"),
        ("overtime per cadre per week (h)", f"{summary['overtime_hours_per_cadre_week']:.1f}"),
        ("hours: service / tasks / meetings / chat groups",
         " / ".join(f"{summary['hours_share'][k]:.0%}" for k in
                    ("service", "tasks", "meetings", "chat_groups"))),
        ("secondments active (mean)", f"{summary['secondments_active_mean']:.1f}"),
        ("department utilisation", f"{summary['department_utilisation']:.0%}"),
        ("runtime (s)", f"{summary['runtime_seconds']:.2f}"),
    ]
    width = max(len(r[0]) for r in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    print(f"outputs: {out_dir}")

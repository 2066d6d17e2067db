r"""A province: one county model per county, run in parallel and aggregated (seed 000).

Henan moved 33,699 posts to the townships of its 156 counties (减县补乡, seed 000). A province
run (``scenario.counties > 1``, e.g. ``python -m sim scenario=henan_province
policy/posts=henan``) builds one :class:`~sim.model.CountyWorkload` per county and runs them on
the local cores with joblib (environment variable ``SIM_N_JOBS``, default all cores). County
``k`` of a run with seed ``s`` has seed ``s * 1000 + k`` (:func:`county_seed`): counties differ
from each other, and the same province seed gives the same province.

A province of real counties (``scenario.counties_table``: a CSV with a row per county naming
its folder of tables, or a folder of county folders; :mod:`sim.county`) runs each county from
its own tables, named as the table names it (:func:`county_configs`); every county's tables
are checked before any county runs.

Each worker writes its county's task and township rows straight to disk and sends back only
small aggregates (:class:`CountyResult`), so the parent never holds 14 million task rows. The
run writes, whole or not at all (as :mod:`sim.runners.outputs`):

- ``summary.json``: the province's end-of-run scalars, the same keys as a county's;
- ``daily.parquet``: one row per day, summed (or properly averaged) across counties;
- ``counties.parquet``: one row per county with its own headline figures;
- ``townships.parquet/`` and ``tasks.parquet/``: Parquet dataset folders, one file per county,
  with columns ``county`` and ``seed`` added (``pandas.read_parquet`` reads a folder whole);
- ``figures/province.png``.

The province pool (``policy/pool``, :mod:`sim.policies.pool`) is decided here before any county
runs (:func:`province_configs`): posts shared among the counties by need and cadres moved
between counties in batches are written into each county's config, so the counties still run
independently and exchange nothing during the run; the plan is kept in ``summary.json``
(``pool_plan``).

How counties combine (:func:`aggregate`): counts, hours and posts are summed; means are
recomputed from sums over all requests; resolution-time percentiles are exact, from the
resolution times of every resolved request, read back from the task files, and so are the
censored figures (Kaplan-Meier median and p90, on-time share among requests due, per kind), by
the county's own definition (:func:`sim.measures.resolution.resolution_stats`) on the
province's requests; the warm-up (``output.warmup_days``) leaves requests out as for a county.
The overload index is
averaged over all the province's townships; hours shares come from summed hours. Three ratios
whose denominators no table records are weighted means of the county values: overtime per
cadre-week by cadre working days (from the township table), department utilisation by department
post-days, and department answer delay by department visits of cross-department cases. For one
county every figure equals the county's own summary.

On a cluster, the same counties run as a sweep of ordinary county jobs through a Hydra launcher,
then are aggregated from their folders by the same code::

    python -m sim -m scenario=henan_county policy/posts=henan seed='range(0,156)' \
        hydra/launcher=submitit_slurm
    python -m sim.province aggregate multirun/DATE_TIME

(Sweep ``seed='range(S*1000,S*1000+156)'`` with ``scenario=henan_province scenario.counties=1``
to reproduce the local province run of seed ``S`` exactly.)
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
from joblib import Parallel, delayed
from omegaconf import DictConfig, OmegaConf

from sim.agents.township import HOURS_CATEGORIES
from sim.api import build_model, typed
from sim.config import Config
from sim.county import province_counties
from sim.measures.metrics import summarize, task_table, township_table
from sim.measures.resolution import resolution_stats
from sim.model import CountyWorkload
from sim.policies.pool import ProvincePlan, apply_to_counties
from sim.policies.posts import PlanError
from sim.runners.outputs import _clean, daily_table, print_summary
from sim.runners.rerun import provenance
from sim.validate import ConfigError
from sim.work import CITIZEN_KINDS, STATUSES, Kind

#: County ``k`` of a province run with seed ``s`` has seed ``s * COUNTY_SEED_STRIDE + k``.
COUNTY_SEED_STRIDE = 1000
#: Environment variable giving the number of worker processes (default: all cores).
JOBS_VARIABLE = "SIM_N_JOBS"
#: Task columns the aggregation reads (all of them are written when ``output.tables`` is on).
PART_COLUMNS = ["kind", "status", "start", "wait_hours", "resolution_hours", "effort",
                "deadline_met", "departments", "bounces", "arrival", "deadline", "finish"]
#: Columns of the citizen requests the province's resolution figures are computed from (all a
#: county's task file keeps when ``output.tables`` is off).
CITIZEN_COLUMNS = ["kind", "status", "arrival", "deadline", "finish", "resolution_hours"]
CITIZEN_NAMES = [k.name.lower() for k in CITIZEN_KINDS]
#: Summary fields that add up across counties.
SUMMED = ("requests_arrived", "requests_resolved", "requests_open", "backlog_end",
          "tasks_arrived", "tasks_returned", "secondments_active_mean", "secondment_months_total",
          "attrition", "vacancies_end", "department_refused_task_hours",
          "department_backlog_hours_end", "posts_total", "posts_townships", "posts_departments",
          "holders_released", "posts_moved", "posts_stages_planned", "posts_stages_applied",
          "secondees_transferred", "posts_reallocated", "pool_posts_out", "pool_posts_in",
          "contracted_items", "contracted_hours", "contract_cost_yuan",
          "contract_rework_items", "contract_open_end", "contract_staff_fte", "callbacks",
          "reopened", "care_hours")
#: Daily columns that are not summed: their county values are weighted, or rebuilt from sums.
DAILY_NOT_SUMMED = ("day", "resolution_hours_mean", "overload_index")


def seed_stride(counties: int) -> int:
    """Spacing of the county seeds of one province seed: 1,000, or the next power of ten above.

    A province of at most 1,000 counties keeps the seeds ``seed * 1000 + k`` (so its results
    never change); a larger one (China has about 2,800 counties) spaces them by the smallest
    power of ten that holds every county, so no two counties, and no two province seeds, share
    a seed.
    """
    counties = max(int(counties), 1)
    return COUNTY_SEED_STRIDE if counties <= COUNTY_SEED_STRIDE else 10 ** len(str(counties - 1))


def county_seed(seed: int, county: int, counties: int = COUNTY_SEED_STRIDE) -> int:
    """Seed of county ``county`` (0-based) of a province of ``counties`` counties with ``seed``.

    ``seed * stride + county`` with ``stride`` from :func:`seed_stride` (1,000 for provinces
    of up to 1,000 counties).
    """
    return int(seed) * seed_stride(counties) + int(county)


def is_province(cfg) -> bool:
    """Whether ``cfg`` runs a province: several counties of one kind, or a table of counties."""
    return int(cfg.scenario.counties) > 1 or bool(cfg.scenario.get("counties_table"))


def county_configs(config: Config) -> list[Config]:
    """One config per county of the province, in county order.

    With ``scenario.counties_table`` (a CSV with a row per county, or a folder of county
    folders; :func:`sim.county.province_counties`) each county is its own tables, named as the
    table names it; otherwise ``scenario.counties`` copies of the scenario.
    """
    scenario = config.scenario
    if not scenario.counties_table:
        return [config] * int(scenario.counties)
    return [dataclasses.replace(config, scenario=dataclasses.replace(
                scenario, name=name, county_dir=folder, counties_table=None, counties=1))
            for name, folder in province_counties(scenario.counties_table)]


def province_configs(config: Config) -> tuple[list[Config], ProvincePlan | None]:
    """Each county's config with the province pool's decisions written in, and the pool's plan.

    The province decides before any county runs (:mod:`sim.policies.pool`): posts shared among
    the counties by need, and cadres moved between counties in batches. Both the local run and
    a cluster's blocks of counties call this, so they run the same counties.

    Raises:
        ConfigError: naming the pool key whose value the counties cannot meet.
    """
    configs = county_configs(config)
    seeds = [county_seed(c.seed, k, c.scenario.counties) for k, c in enumerate(configs)]
    try:
        return apply_to_counties(configs, seeds)
    except PlanError as error:
        raise ConfigError(error.key, str(error).split(": ", 1)[1]) from None


def plan_record(plan: ProvincePlan | None) -> dict | None:
    """The pool's plan as ``summary.json`` keeps it (lists per county), or None."""
    if plan is None:
        return None
    return {"need": plan.need.tolist(),
            "posts": None if plan.posts is None else plan.posts.tolist(),
            "staff_out_per_batch": plan.staff_out.tolist(),
            "staff_in_per_batch": plan.staff_in.tolist()}


def jobs_from_env() -> int:
    """Worker processes to use: ``$SIM_N_JOBS``, or every core (-1) when it is unset."""
    value = os.environ.get(JOBS_VARIABLE, "").strip()
    return int(value) if value else -1


@dataclass
class CountyResult:
    """What one county sends back to the province: small aggregates, no per-item rows.

    Attributes:
        county: County index in the province (0-based).
        seed: The county's seed.
        summary: The county's own ``summary.json`` scalars (:func:`sim.measures.metrics.summarize`).
        parts: Sums and counts the province aggregates from (:func:`county_parts`).
        daily: The county's daily series (one row per day).
        tasks_path: The Parquet file holding the county's task rows.
        worker_seconds: Wall time the worker spent on the county, writing included.
    """

    county: int
    seed: int
    summary: dict
    parts: dict
    daily: pd.DataFrame
    tasks_path: str
    worker_seconds: float = float("nan")


def county_parts(tasks: pd.DataFrame, townships: pd.DataFrame, warmup_days: int = 0) -> dict:
    """Sums and counts of one county from which province figures are computed exactly.

    Args:
        tasks: The county's task table (at least the columns in :data:`PART_COLUMNS`).
        townships: The county's township-day table (:func:`sim.measures.metrics.township_table`).
        warmup_days: As :func:`sim.measures.metrics.summarize`: requests that arrived before
            it are left out of the request figures, and hours count from it.
    """
    citizen = tasks[tasks["kind"].isin(CITIZEN_NAMES)]
    if warmup_days:
        citizen = citizen[citizen["arrival"] >= warmup_days * 24.0]
    resolved = citizen[citizen["status"] == "resolved"]
    started = citizen[citizen["start"].notna()]
    cross = citizen[citizen["kind"] == "cross_department"]
    by_kind = resolved.groupby("kind", observed=True)["resolution_hours"].agg(["count", "sum"])
    totals = townships.groupby("township")[["demand_hours", "capacity_hours"]].sum()
    capacity = totals["capacity_hours"]
    per_day = townships.groupby("day")[["demand_hours", "capacity_hours"]].sum()
    present = townships["on_duty"] + townships["seconded"]
    hours = townships[[f"hours_{c}" for c in HOURS_CATEGORIES]]
    if warmup_days and len(townships) and townships["day"].max() >= warmup_days:
        hours = hours[townships["day"] >= warmup_days]  # as summarize: from the warm-up on
    return {
        "work_items": int(len(tasks)),
        "resolved": int(len(resolved)),
        "resolution_sum": float(resolved["resolution_hours"].sum()),
        "started": int(len(started)),
        "wait_sum": float(started["wait_hours"].sum()),
        "service_sum": float(resolved["effort"].sum()),
        "on_time": int(resolved["deadline_met"].sum()),
        "by_kind": {str(k): (int(r["count"]), float(r["sum"])) for k, r in by_kind.iterrows()},
        "department_visits": int((cross["departments"] + cross["bounces"]).sum()),
        "township_load": (totals["demand_hours"] / capacity.where(capacity > 0)).to_numpy(),
        "hours": hours.sum().to_numpy(),
        "cadre_days": int(present[townships["capacity_hours"] > 0].sum()),
        "cadre_weeks": int(present[townships["day"] % 7 == 6].sum()),
        "daily_demand": per_day["demand_hours"].to_numpy(),
        "daily_capacity": per_day["capacity_hours"].to_numpy(),
    }


def run_county(config: Config, county: int, stage: str, tables: bool) -> CountyResult:
    """Build, run and write one county of a province (runs in a worker process).

    Args:
        config: The province's validated config.
        county: County index; the county's seed is :func:`county_seed` of it.
        stage: Staging folder of the run; the county's rows go to its ``tasks.parquet/`` and
            ``townships.parquet/`` dataset folders.
        tables: Write every task and township column; when off, only what the aggregation
            reads is written (and the staging folder is discarded afterwards).
    """
    begun = time.perf_counter()
    gc.collect()  # the previous county's model, freed by model.close(), before this one grows
    gc.freeze()  # what survives is long-lived (imports): later collections skip it
    started = time.perf_counter()
    model = CountyWorkload(scenario=config.scenario, policy=config.policy, days=config.days,
                           seed=county_seed(config.seed, county, config.scenario.counties))
    model.run()
    tasks = task_table(model)
    townships = township_table(model)
    warmup = int(config.output.warmup_days)
    summary = _clean(summarize(model, tasks, time.perf_counter() - started, warmup_days=warmup))
    parts = county_parts(tasks, townships, warmup)
    name = f"county-{county:03d}.parquet"
    tasks_path = Path(stage) / "tasks.parquet" / name
    extra = {"county": county, "seed": model.seed}
    if not tables:  # only what the province's resolution figures read: the citizen requests
        tasks = tasks.loc[tasks["kind"].isin(CITIZEN_NAMES), CITIZEN_COLUMNS]
    tasks.assign(**extra).to_parquet(tasks_path, index=False, compression="lz4")
    if tables:
        townships.assign(**extra).to_parquet(Path(stage) / "townships.parquet" / name,
                                             index=False)
    result = CountyResult(county, model.seed, summary, parts, daily_table(model), str(tasks_path))
    model.close()
    result.worker_seconds = time.perf_counter() - begun
    return result


def _citizen_requests(results: list[CountyResult], warmup_days: int) -> pd.DataFrame:
    """Every citizen request of the province that arrived after the warm-up, from the task files.

    The columns are filled county by county into arrays sized from the files' row counts, so
    the province's requests (about 7 million for Henan) are held once, not once per county and
    again when joined; kind and status stay one-byte category codes, in the task table's order
    of categories.

    Raises:
        ValueError: if the files hold a different number of resolved requests than the counties
            reported.
    """
    paths = [result.tasks_path for result in results]
    size = sum(pq.ParquetFile(path).metadata.num_rows for path in paths)
    categories = {"kind": [k.name.lower() for k in Kind], "status": list(STATUSES)}
    columns = {name: np.empty(size, dtype=np.int8 if name in categories else float)
               for name in CITIZEN_COLUMNS}
    n = 0
    for path in paths:
        df = pq.read_table(path, columns=CITIZEN_COLUMNS).to_pandas()
        keep = (df["kind"].isin(CITIZEN_NAMES) & (df["arrival"] >= warmup_days * 24.0)).to_numpy()
        rows = slice(n, n + int(np.count_nonzero(keep)))
        for name, column in columns.items():
            if name in categories:
                codes = pd.Categorical(df[name], categories=categories[name]).codes
                if (codes < 0).any():
                    raise ValueError(f"{path}: unknown {name} in the task file")
                column[rows] = codes[keep]
            else:
                column[rows] = df[name].to_numpy()[keep]
        n = rows.stop
    citizen = pd.DataFrame({
        name: (pd.Categorical.from_codes(column[:n], categories[name]) if name in categories
               else column[:n])
        for name, column in columns.items()}, copy=False)
    resolved = int((citizen["status"] == "resolved").sum())
    expected = sum(r.parts["resolved"] for r in results)
    if resolved != expected:
        raise ValueError(f"task files hold {resolved} resolved requests, the counties reported "
                         f"{expected}")
    return citizen


def _weighted(values, weights) -> float:
    values, weights = np.asarray(values, float), np.asarray(weights, float)
    keep = np.isfinite(values) & (weights > 0)
    return float(np.average(values[keep], weights=weights[keep])) if keep.any() else float("nan")


def _ratio(numerator: float, denominator: float) -> float:
    return float(numerator / denominator) if denominator else float("nan")


def province_daily(results: list[CountyResult]) -> pd.DataFrame:
    """The province's daily series: county series summed, means and ratios rebuilt from sums."""
    days = {len(r.daily) for r in results}
    if len(days) != 1:
        raise ValueError(f"counties simulated different numbers of days: {sorted(days)}")
    columns = [c for c in results[0].daily.columns if c not in DAILY_NOT_SUMMED]
    daily = pd.DataFrame({"day": results[0].daily["day"].to_numpy()})
    for column in columns:
        daily[column] = np.sum([r.daily[column].to_numpy() for r in results], axis=0)
    resolved = np.array([r.daily["resolved"].to_numpy() for r in results], float)
    means = np.array([r.daily["resolution_hours_mean"].to_numpy() for r in results], float)
    total = np.where(resolved > 0, np.nan_to_num(means) * resolved, 0.0).sum(axis=0)
    count = resolved.sum(axis=0)
    daily["resolution_hours_mean"] = np.where(count > 0, total / np.where(count > 0, count, 1),
                                              np.nan)
    demand = np.sum([r.parts["daily_demand"] for r in results], axis=0)
    capacity = np.sum([r.parts["daily_capacity"] for r in results], axis=0)
    daily["overload_index"] = np.where(capacity > 0, demand / np.where(capacity > 0, capacity, 1),
                                       np.nan)
    return daily[list(results[0].daily.columns)]


def aggregate(results: list[CountyResult], *, scenario: str, seed: int | None,
              runtime_seconds: float) -> dict:
    """Province ``summary.json`` scalars from its counties (see the module docstring).

    Args:
        results: The counties, in county order.
        scenario: Scenario name to report.
        seed: The province's seed, or None when the counties' seeds follow no province seed.
        runtime_seconds: Wall time of the whole province run.
    """
    first = results[0].summary
    for key in ("days", "policy", "warmup_days"):
        differing = {json.dumps(r.summary[key], sort_keys=True) for r in results}
        if len(differing) > 1:
            raise ValueError(f"counties differ in {key}: aggregate one province at a time")
    s = [r.summary for r in results]
    p = [r.parts for r in results]
    warmup = int(first.get("warmup_days", 0))
    out = {"scenario": scenario, "seed": seed, "days": first["days"], "warmup_days": warmup,
           "policy": first["policy"], "counties": len(results)}
    out.update({key: sum(x[key] for x in s) for key in SUMMED})
    citizen = _citizen_requests(results, warmup)
    resolved_rows = citizen["status"] == "resolved"
    resolution = citizen.loc[resolved_rows, "resolution_hours"].to_numpy(copy=True)
    resolved = sum(x["resolved"] for x in p)
    kinds = [k for k in CITIZEN_NAMES if any(k in x["by_kind"] for x in p)]
    by_kind = {k: _ratio(sum(x["by_kind"].get(k, (0, 0.0))[1] for x in p),
                         sum(x["by_kind"].get(k, (0, 0.0))[0] for x in p)) for k in kinds}
    load = np.concatenate([x["township_load"] for x in p])
    hours = np.sum([x["hours"] for x in p], axis=0)
    percentiles = (np.percentile(resolution, [50, 90, 99], overwrite_input=True)
                   if len(resolution) else [float("nan")] * 3)
    out.update({
        "resolution_hours_mean": _ratio(sum(x["resolution_sum"] for x in p), resolved),
        "resolution_hours_p50": float(percentiles[0]),
        "resolution_hours_p90": float(percentiles[1]),
        "resolution_hours_p99": float(percentiles[2]),
        "resolution_hours_by_kind": by_kind,
        # The censored figures by the county's own definition, on the province's requests.
        **resolution_stats(citizen, first["days"] * 24.0, warmup),
        "wait_hours_mean": _ratio(sum(x["wait_sum"] for x in p), sum(x["started"] for x in p)),
        "service_hours_mean": _ratio(sum(x["service_sum"] for x in p), resolved),
        "on_time_share": _ratio(sum(x["on_time"] for x in p), resolved),
        "overload_index_mean": float(np.nanmean(load)),
        "overload_index_max": float(np.nanmax(load)),
        "overloaded_township_share": float(np.mean(load > 1.0)),
        "overtime_hours_per_cadre_week": _weighted(
            [x["overtime_hours_per_cadre_week"] for x in s], [x["cadre_days"] for x in p]),
        "hours_per_cadre_week": _weighted(
            [x["hours_per_cadre_week"] for x in s], [x["cadre_days"] for x in p]),
        "cadres_over_50h_share": _weighted([x["cadres_over_50h_share"] for x in s],
                                           [x["cadre_weeks"] for x in p]),
        "hours_share": {name: float(h / hours.sum()) if hours.sum() else 0.0
                        for name, h in zip(HOURS_CATEGORIES, hours, strict=True)},
        "department_utilisation": _weighted(
            [x["department_utilisation"] for x in s],
            [r.daily["posts_departments"].sum() for r in results]),
        "department_answer_days_mean": _weighted(
            [x["department_answer_days_mean"] for x in s], [x["department_visits"] for x in p]),
        "townships": int(len(load)),
        "work_items": int(sum(x["work_items"] for x in p)),
        "runtime_seconds": float(runtime_seconds),
    })
    return _clean(out)


def county_table(results: list[CountyResult]) -> pd.DataFrame:
    """One row per county: its seed, size and headline figures."""
    rows = []
    for r in results:
        scalars = {k: v for k, v in r.summary.items()
                   if not isinstance(v, dict) and k not in ("scenario", "seed", "days")}
        rows.append({"county": r.county, "name": r.summary["scenario"], "seed": r.seed,
                     "work_items": r.parts["work_items"],
                     "townships": len(r.parts["township_load"]),
                     "worker_seconds": r.worker_seconds, **scalars})
    return pd.DataFrame(rows)


def plot_province(daily: pd.DataFrame, load: np.ndarray, title: str, path: Path) -> Path:
    """Backlog, weekly resolution time and the spread of township overload in one figure."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sim.measures.figures import weekly_resolution_days  # Matplotlib only when drawing

    fig, (ax1, ax2, ax3) = plt.subplots(3, 1, figsize=(8, 8))
    ax1.plot(daily["day"], daily["backlog"], color="tab:red")
    ax1.set_ylabel("items waiting")
    ax1.set_title(f"{title}: backlog, resolution time, overload")
    ax2.plot(daily["day"], weekly_resolution_days(daily), color="tab:blue")
    ax2.set_ylabel("resolution time, days\n(7-day mean)")
    ax2.set_xlabel("day")
    ax3.hist(load[np.isfinite(load)], bins=40, color="tab:grey")
    ax3.axvline(1.0, color="black", lw=1)
    ax3.set_xlabel("overload index of a township (work demanded / regular capacity)")
    ax3.set_ylabel("townships")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _commit(stage: Path, out_dir: Path) -> None:
    """Move everything staged into ``out_dir``, replacing old entries; ``summary.json`` last."""
    for entry in sorted(stage.iterdir(), key=lambda p: p.name == "summary.json"):
        target = out_dir / entry.name
        if target.exists() and (target.is_dir() or entry.is_dir()):
            target.rename(stage / f".old-{entry.name}")  # os.replace cannot overwrite a folder
        os.replace(entry, target)


def _write(results: list[CountyResult], summary: dict, stage: Path, out_dir: Path, *,
           tables: bool, figures: bool) -> None:
    """Write the province files into ``stage`` and move them into ``out_dir``."""
    daily = province_daily(results)
    if tables:
        daily.assign(seed=summary["seed"]).to_parquet(stage / "daily.parquet", index=False)
        county_table(results).to_parquet(stage / "counties.parquet", index=False)
    if figures:
        load = np.concatenate([r.parts["township_load"] for r in results])
        plot_province(daily, load, summary["scenario"], stage / "figures" / "province.png")
    (stage / "summary.json").write_text(
        json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    _commit(stage, out_dir)


def run_province(cfg: DictConfig, out_dir: Path, *, n_jobs: int | None = None,
                 overrides: list[str] | None = None, progress: bool = False) -> dict:
    """Run every county of ``cfg`` in parallel, write the province's outputs, return its summary.

    Args:
        cfg: Composed config with ``scenario.counties`` counties.
        out_dir: Run folder (Hydra's output directory).
        n_jobs: Worker processes; None reads ``$SIM_N_JOBS`` (default: all cores).
        overrides: The job's Hydra overrides, kept in the summary (a sweep resumes by them).
        progress: Show a progress bar over counties.
    """
    from tqdm import tqdm

    started = time.perf_counter()
    config = typed(cfg)
    model = build_model(cfg)  # validates, and checks the posts plan of a county, before any work
    model.close()
    configs, plan = province_configs(config)  # the province pool's decisions, before any run
    counties = len(configs)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".partial-", dir=out_dir))
    try:
        for name in ("tasks", "townships"):
            (stage / f"{name}.parquet").mkdir()
        jobs = (delayed(run_county)(configs[county], county, str(stage), cfg.output.tables)
                for county in range(counties))
        parallel = Parallel(n_jobs=n_jobs or jobs_from_env(), return_as="generator")
        results = list(tqdm(parallel(jobs), total=counties, disable=not progress,
                            unit="county", desc=cfg.scenario.name, leave=False))
        summary = aggregate(results, scenario=cfg.scenario.name, seed=int(cfg.seed),
                            runtime_seconds=0.0)
        summary["county_seed"] = f"seed * {seed_stride(counties)} + county"
        if plan is not None:
            summary["pool_plan"] = plan_record(plan)
        summary["overrides"] = list(overrides or [])
        summary["config"] = OmegaConf.to_container(cfg, resolve=True)
        summary["provenance"] = provenance()
        if not cfg.output.tables:
            for name in ("tasks", "townships"):
                shutil.rmtree(stage / f"{name}.parquet")
        summary["runtime_seconds"] = time.perf_counter() - started
        _write(results, summary, stage, out_dir, tables=cfg.output.tables,
               figures=cfg.output.figures is not False)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return summary


def _folders(parent: Path) -> list[Path]:
    """Sub-folders that are Hydra jobs (a ``.hydra`` record), in numeric job order."""
    folders = [p for p in parent.iterdir() if p.is_dir() and (p / ".hydra").is_dir()]
    folders.sort(key=lambda p: (not p.name.isdigit(), int(p.name) if p.name.isdigit() else 0,
                                p.name))
    return folders


def _job_folders(sweep_dir: Path) -> list[Path]:
    """Folders of a sweep that each hold one county run, in job order (seed blocks opened).

    Raises:
        ValueError: if a run has no ``summary.json`` (it failed or has not run), or there is none.
    """
    from sim.runners.batch import BLOCK_FILE, RUNS_DIR

    folders = []
    for job in _folders(sweep_dir):
        if (job / BLOCK_FILE).exists() and (job / RUNS_DIR).is_dir():
            folders += _folders(job / RUNS_DIR)  # a block of seeds: one folder per run
        else:
            folders.append(job)
    missing = [str(p.relative_to(sweep_dir)) for p in folders
               if not (p / "summary.json").exists()]
    if missing:
        raise ValueError(f"{len(missing)} job(s) have no summary.json (failed or not run): "
                         f"{', '.join(missing[:10])}; rerun the sweep (done jobs are skipped)")
    if not folders:
        raise ValueError(f"no job folders with summary.json under {sweep_dir}")
    return folders


def _part_results(sweep_dir: Path) -> tuple[list[CountyResult], list[Path]] | None:
    """The counties of a sweep of province parts (``block.size`` counties per job), or None.

    Raises:
        ValueError: if a part is missing or unfinished, or the parts leave counties out.
    """
    from sim.runners.batch import BLOCK_FILE, PART_FILE, load_part

    jobs = _folders(sweep_dir)
    parts = [j for j in jobs if (j / PART_FILE).exists()]
    if not parts:
        return None
    unfinished = [j.name for j in jobs if not (j / PART_FILE).exists()]
    if unfinished:
        raise ValueError(f"{len(unfinished)} part(s) have no {PART_FILE} (failed or not run): "
                         f"{', '.join(unfinished[:10])}; rerun the sweep (done parts are skipped)")
    results = [r for job in parts for r in load_part(job)]
    results.sort(key=lambda r: r.county)
    expected = json.loads((parts[0] / BLOCK_FILE).read_text(encoding="utf-8"))["province_counties"]
    have = [r.county for r in results]
    if have != list(range(expected)):
        lacking = sorted(set(range(expected)) - set(have))
        raise ValueError(f"the parts hold {len(set(have))} of the province's {expected} counties"
                         + (f"; missing {lacking[:10]}" if lacking else "; some twice")
                         + " (sweep block.first over range(0, counties, block.size))")
    return results, parts


def load_county(folder: Path, county: int) -> CountyResult:
    """Read one finished county job (a ``python -m sim`` output folder) as a county result."""
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    summary.pop("config", None)
    tasks_path = folder / "tasks.parquet"
    if not tasks_path.exists():
        raise ValueError(f"{folder}: no tasks.parquet (run the sweep with output.tasks=true)")
    tasks = pd.read_parquet(tasks_path, columns=PART_COLUMNS)
    townships = pd.read_parquet(folder / "townships.parquet")
    daily = pd.read_parquet(folder / "daily.parquet").drop(columns="seed", errors="ignore")
    parts = county_parts(tasks, townships, int(summary.get("warmup_days", 0)))
    return CountyResult(county, int(summary["seed"]), summary, parts, daily, str(tasks_path))


def aggregate_sweep(sweep_dir: Path, out_dir: Path | None = None, *,
                    figures: bool = True) -> dict:
    """Aggregate the county jobs of a sweep folder into a province; write it; return its summary.

    The sweep holds one county per job (``output.tasks=true``), blocks of seeds
    (``block.size``), or parts of a province (``block.first`` with a province scenario).

    Args:
        sweep_dir: A Hydra multirun folder whose jobs hold the counties' outputs.
        out_dir: Where to write the province (default ``sweep_dir/province``).
        figures: Draw ``figures/province.png``.
    """
    started = time.perf_counter()
    sweep_dir = Path(sweep_dir)
    parts = _part_results(sweep_dir)
    if parts is not None:
        results, folders = parts
        import yaml

        config_of = yaml.safe_load(
            (folders[0] / ".hydra" / "config.yaml").read_text(encoding="utf-8"))
        config_of.pop("block", None)  # the province's config, not one part's
    else:
        folders = _job_folders(sweep_dir)
        results = [load_county(folder, county) for county, folder in enumerate(folders)]
        config_of = json.loads(
            (folders[0] / "summary.json").read_text(encoding="utf-8")).get("config")
    seeds = [r.seed for r in results]
    stride = seed_stride(len(results))
    base = seeds[0] // stride
    seed = base if seeds == [base * stride + k for k in range(len(seeds))] else None
    scenarios = sorted({r.summary["scenario"] for r in results})
    summary = aggregate(results, scenario=scenarios[0] if len(scenarios) == 1 else
                        "+".join(scenarios), seed=seed, runtime_seconds=0.0)
    summary["jobs"] = [str(f.relative_to(sweep_dir)) for f in folders]
    summary["county_seeds"] = seeds
    summary["county_seconds"] = float(sum(r.worker_seconds for r in results
                                          if np.isfinite(r.worker_seconds)))
    summary["config"] = config_of
    summary["provenance"] = provenance()
    out_dir = Path(out_dir) if out_dir else sweep_dir / "province"
    out_dir.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".partial-", dir=out_dir))
    try:
        summary["runtime_seconds"] = time.perf_counter() - started
        _write(results, summary, stage, out_dir, tables=True, figures=figures)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return summary


def main(argv: list[str] | None = None) -> int:
    """``python -m sim.province aggregate DIR [--out OUT]``: a sweep's counties as a province."""
    parser = argparse.ArgumentParser(prog="python -m sim.province", description=main.__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    agg = commands.add_parser("aggregate", help="aggregate a sweep folder of county jobs")
    agg.add_argument("sweep_dir", type=Path, help="Hydra multirun folder (one job per county)")
    agg.add_argument("--out", type=Path, default=None, help="output folder (default DIR/province)")
    agg.add_argument("--no-figures", action="store_true", help="skip figures/province.png")
    args = parser.parse_args(argv)
    try:
        summary = aggregate_sweep(args.sweep_dir, args.out, figures=not args.no_figures)
    except (ValueError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2

    print_summary(summary, args.out or args.sweep_dir / "province")
    return 0


if __name__ == "__main__":
    sys.exit(main())

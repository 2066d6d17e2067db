"""A province of county models (sim.runners.province): outputs, conservation, aggregation.

A tiny province (3 counties of 3 townships, 30 days, 2 worker processes) runs end to end through
``python -m sim scenario=henan_province``; its totals must be the sums of its counties', its posts
conserved, its counties the same models as single-county runs of the derived seeds, and the same
seed must give the same province.
"""

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sim.api import make_model
from sim.measures.metrics import summarize, task_table, township_table
from sim.runners.outputs import daily_table
from sim.runners.province import CountyResult, aggregate, county_parts, county_seed, seed_stride

SEED = 11
TINY = ["scenario=henan_province", "scenario.counties=3", "scenario.townships=3",
        "scenario.departments=8", "days=30", "policy/posts=henan", f"seed={SEED}"]
#: Keys that may differ between two runs of the same province.
RUN_KEYS = ("runtime_seconds",)


def _python(*args, cwd):
    env = {**os.environ, "SIM_N_JOBS": "2"}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300, env=env)


def _province(out: Path) -> dict:
    result = _python("-m", "sim", *TINY, f"hydra.run.dir={out}", cwd=out.parent)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def provinces(tmp_path_factory):
    """The tiny province run twice with the same seed, into two folders."""
    root = tmp_path_factory.mktemp("province")
    return [(root / name, _province(root / name)) for name in ("a", "b")]


def test_county_seeds_follow_the_documented_rule():
    assert county_seed(SEED, 0) == SEED * 1000
    assert county_seed(SEED, 155) == SEED * 1000 + 155
    seeds = {county_seed(s, k) for s in range(3) for k in range(156)}
    assert len(seeds) == 3 * 156


def test_a_province_of_more_than_1000_counties_spaces_its_seeds_wider():
    assert seed_stride(156) == seed_stride(1000) == 1000  # results of smaller ones unchanged
    assert seed_stride(1001) == seed_stride(2843) == 10_000 and seed_stride(10_001) == 100_000
    assert county_seed(SEED, 2842, 2843) == SEED * 10_000 + 2842
    seeds = {county_seed(s, k, 2843) for s in range(3) for k in range(2843)}
    assert len(seeds) == 3 * 2843


def test_province_writes_every_output(provinces):
    out, summary = provinces[0]
    for name in ("summary.json", "daily.parquet", "counties.parquet", "figures/province.png"):
        assert (out / name).stat().st_size > 0, name
    for name in ("tasks.parquet", "townships.parquet"):
        files = sorted(p.name for p in (out / name).iterdir())
        assert files == [f"county-{k:03d}.parquet" for k in range(3)], name
    assert not list(out.glob(".partial-*"))
    assert summary["counties"] == 3 and summary["townships"] == 9
    assert summary["scenario"] == "henan_province" and summary["seed"] == SEED
    assert summary["config"]["scenario"]["counties"] == 3
    daily = pd.read_parquet(out / "daily.parquet")
    assert len(daily) == 30 and daily["day"].tolist() == list(range(30))


def test_province_totals_are_the_sums_of_its_counties(provinces):
    out, summary = provinces[0]
    counties = pd.read_parquet(out / "counties.parquet")
    assert counties["county"].tolist() == [0, 1, 2]
    assert counties["seed"].tolist() == [county_seed(SEED, k) for k in range(3)]
    for key in ("requests_arrived", "requests_resolved", "requests_open", "tasks_arrived",
                "backlog_end", "posts_total", "posts_townships", "posts_departments"):
        assert summary[key] == counties[key].sum(), key
    tasks = pd.read_parquet(out / "tasks.parquet")
    citizen = tasks[tasks["kind"].isin(
        ["request", "complex", "utility", "emergency", "cross_department"])]
    assert len(citizen) == summary["requests_arrived"]
    assert len(tasks) == summary["work_items"] == counties["work_items"].sum()
    assert set(tasks["county"]) == {0, 1, 2}
    resolved = citizen[citizen["status"] == "resolved"]["resolution_hours"]
    assert summary["resolution_hours_mean"] == pytest.approx(resolved.mean())
    assert summary["resolution_hours_p90"] == pytest.approx(resolved.quantile(0.9))
    townships = pd.read_parquet(out / "townships.parquet")
    assert len(townships) == 9 * 30
    load = townships.groupby(["county", "township"])[["demand_hours", "capacity_hours"]].sum()
    assert summary["overload_index_mean"] == pytest.approx(
        (load["demand_hours"] / load["capacity_hours"]).mean())


def test_province_conserves_posts(provinces):
    out, summary = provinces[0]
    # Each county: 3 townships x 55 posts + 8 departments x 45 posts (henan_county figures).
    assert summary["posts_total"] == 3 * (3 * 55 + 8 * 45)
    daily = pd.read_parquet(out / "daily.parquet")
    assert ((daily["posts_townships"] + daily["posts_departments"])
            == summary["posts_total"]).all()
    # The reform moved posts to the townships (15 per township, staged: the first stage by day 30).
    assert summary["posts_townships"] > 3 * 3 * 55


def test_same_seed_gives_the_same_province(provinces):
    (out_a, a), (out_b, b) = provinces
    for key in RUN_KEYS:
        a.pop(key), b.pop(key)
    assert a == b
    for name in ("tasks.parquet", "townships.parquet", "daily.parquet"):
        pd.testing.assert_frame_equal(pd.read_parquet(out_a / name), pd.read_parquet(out_b / name))


def test_a_county_is_the_county_model_with_its_derived_seed(provinces):
    out, _ = provinces[0]
    county = pd.read_parquet(out / "counties.parquet").iloc[1]
    model = make_model("henan_province", seed=county_seed(SEED, 1), days=30,
                       overrides=[o for o in TINY if o.startswith(("scenario.", "policy/"))])
    model.run()
    alone = summarize(model)
    for key in ("requests_arrived", "requests_resolved", "posts_townships"):
        assert alone[key] == county[key], key
    assert alone["resolution_hours_mean"] == pytest.approx(county["resolution_hours_mean"])


@pytest.mark.parametrize("warmup", [0, 30])
def test_one_county_province_equals_the_county_summary(tmp_path, warmup):
    """Every summary key, the censored figures and the warm-up included, by construction."""
    model = make_model("classroom", seed=5, days=40, overrides=["policy/posts=sink"])
    model.run()
    tasks, townships = task_table(model), township_table(model)
    summary = summarize(model, tasks, warmup_days=warmup)
    tasks.to_parquet(tmp_path / "tasks.parquet")
    result = CountyResult(0, model.seed, summary, county_parts(tasks, townships, warmup),
                          daily_table(model), str(tmp_path / "tasks.parquet"))
    province = aggregate([result], scenario="classroom", seed=model.seed, runtime_seconds=0.0)
    if warmup:  # the warm-up left requests out, so the comparison below means something
        assert summary["requests_arrived"] < int(tasks["kind"].isin(CITIZEN).sum())
    for key, value in summary.items():
        if key in RUN_KEYS:
            continue
        assert key in province, f"{key}: a new summary key; say how the province aggregates it"
        _same(province[key], value, key)


CITIZEN = ["request", "complex", "utility", "emergency", "cross_department"]


def _same(got, value, key):
    """``got`` equals ``value`` (NaN as None or NaN, floats to 1e-9, dicts key by key)."""
    if isinstance(value, dict):
        assert isinstance(got, dict) and value.keys() == got.keys(), key
        for name in value:
            _same(got[name], value[name], f"{key}.{name}")
    elif isinstance(value, float) and math.isnan(value):
        assert got is None or math.isnan(got), key
    elif isinstance(value, float):
        assert got == pytest.approx(value, rel=1e-9), key
    else:
        assert got == value, key


def _rebuilt_is_local(sweep: Path, local: dict) -> dict:
    """The province aggregated from ``sweep``, checked against the local province's summary."""
    rebuilt = json.loads((sweep / "province" / "summary.json").read_text(encoding="utf-8"))
    assert rebuilt["seed"] == SEED and rebuilt["county_seeds"] == [
        county_seed(SEED, k) for k in range(3)]
    for key, value in local.items():
        if key in (*RUN_KEYS, "config", "overrides", "county_seed"):
            continue
        assert rebuilt[key] == pytest.approx(value, rel=1e-12) if isinstance(
            value, float) else rebuilt[key] == value, key
    return rebuilt


@pytest.mark.slow
def test_aggregate_cli_rebuilds_the_province_from_a_sweep(provinces, tmp_path):
    """The cluster route (one job per county, then aggregate) gives the local province."""
    _, local = provinces[0]
    seeds = ",".join(str(county_seed(SEED, k)) for k in range(3))
    sweep = [o for o in TINY if not o.startswith(("scenario.counties", "seed"))]
    result = _python("-m", "sim", "-m", *sweep, "scenario.counties=1", f"seed={seeds}",
                     "output.tasks=true", f"hydra.sweep.dir={tmp_path / 'sweep'}",
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    for _ in range(2):  # a second aggregation must not take the first's output for a county
        result = _python("-m", "sim.province", "aggregate", str(tmp_path / "sweep"),
                         cwd=tmp_path)
        assert result.returncode == 0, result.stderr[-3000:]
    rebuilt = _rebuilt_is_local(tmp_path / "sweep", local)
    assert rebuilt["jobs"] == ["0", "1", "2"]


def test_aggregate_cli_refuses_a_sweep_with_a_missing_county(tmp_path):
    for job in ("0", "1"):
        (tmp_path / job / ".hydra").mkdir(parents=True)
    (tmp_path / "0" / "summary.json").write_text("{}", encoding="utf-8")
    result = _python("-m", "sim.province", "aggregate", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: 1 job(s) have no summary.json (failed or not run): 1; rerun the sweep "
        "(done jobs are skipped)"]


@pytest.mark.slow
def test_parts_of_a_province_aggregate_to_the_local_province(provinces, tmp_path):
    """Blocks of counties per job (the cluster route for ~2,800 counties) give the same province."""
    _, local = provinces[0]
    result = _python("-m", "sim", "-m", *TINY, "block.first=0,2", "block.size=2",
                     f"hydra.sweep.dir={tmp_path / 'sweep'}", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    records = [
        json.loads((tmp_path / "sweep" / j / "block.json").read_text(encoding="utf-8"))
        for j in "01"
    ]
    assert [r["counties"] for r in records] == [[0, 1], [2]]
    result = _python("-m", "sim.province", "aggregate", str(tmp_path / "sweep"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    rebuilt = _rebuilt_is_local(tmp_path / "sweep", local)
    assert rebuilt["config"]["scenario"]["counties"] == 3


def test_aggregate_refuses_parts_that_leave_counties_out(tmp_path):
    from sim.api import compose_config
    from sim.runners.batch import run_county_block

    overrides = [o for o in TINY if not o.startswith("days")] + ["days=3", "block.size=2"]
    job = tmp_path / "0"
    (job / ".hydra").mkdir(parents=True)
    (job / ".hydra" / "config.yaml").write_text("{}", encoding="utf-8")
    run_county_block(compose_config(overrides), job, overrides)  # counties 0 and 1 of 3
    result = _python("-m", "sim.province", "aggregate", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == ("error: the parts hold 2 of the province's 3 counties; "
                                     "missing [2] (sweep block.first over range(0, counties, "
                                     "block.size))")


def test_the_pooled_requests_equal_the_filtered_task_files_joined(tmp_path):
    """Filled county by county into arrays, the pooled requests are the files' citizen rows
    after the warm-up, in order, whether a file stores kind and status as categories or text."""
    from sim.runners.province import CITIZEN_COLUMNS, _citizen_requests

    results, expected = [], []
    for county, seed in enumerate((3, 4)):
        model = make_model("classroom", seed=seed, days=30)
        model.run()
        tasks = task_table(model)[CITIZEN_COLUMNS]
        if county == 1:
            tasks = tasks.astype({"kind": str, "status": str})
        path = tmp_path / f"county-{county}.parquet"
        tasks.to_parquet(path)
        kept = tasks[tasks["kind"].isin(CITIZEN) & (tasks["arrival"] >= 5 * 24.0)]
        expected.append(kept.astype({"kind": str, "status": str}))
        results.append(CountyResult(county, seed, {}, {"resolved": int(
            (kept["status"] == "resolved").sum())}, pd.DataFrame(), str(path)))
    pooled = _citizen_requests(results, warmup_days=5)
    joined = pd.concat(expected, ignore_index=True)
    assert len(pooled) == len(joined) > 0
    pd.testing.assert_frame_equal(pooled.astype({"kind": str, "status": str}), joined)
    assert isinstance(pooled["kind"].dtype, pd.CategoricalDtype)

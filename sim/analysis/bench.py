"""Benchmarks: speed, memory and scaling of the county model, a province and a naive baseline.

``make bench`` (``python -m sim.bench``) measures, for one simulated year, ``classroom``,
``typical_county``, ``henan_county`` and the 156-county ``henan_province`` (with the Henan posts
reform, seed 000); how the cost grows with the townships of one county model and with the days
simulated; and how :class:`~sim.analysis.naive.NaiveCountyWorkload`, which ticks every cadre
every hour
through Mesa's scheduler, compares on ``typical_county``. It writes
``experiments/benchmark/RESULTS.md`` (with the machine it ran on, the targets and a profile of
the county model's hot spots) and ``experiments/benchmark/scaling.png``.

Every measurement runs in a fresh Python process, so that neither memory peaks nor warm caches
carry over from one run to the next; a figure is the median of several runs of the same seed.
Times exclude the interpreter's start; ``build`` is composing the config and building the model,
``run`` is simulating. Peak memory of a single county is the process's maximum resident set
size; for the province it is the largest sampled sum of proportional set sizes (PSS, shared
library pages counted once) over the process and its workers.

This is a benchmark, not a test: nothing here asserts a target; RESULTS.md reports measured
against target. ``--quick`` is a one-minute smoke check that writes to ``outputs/bench-quick``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT_DIR = ROOT / "experiments" / "benchmark"
QUICK_DIR = ROOT / "outputs" / "bench-quick"
SEED = 1
PROVINCE = ["policy/posts=henan"]
#: Scaling points above this many township-days run ``--big-runs`` times instead.
BIG_TOWNSHIP_DAYS = 12_000
TARGETS = {
    "typical_year_s": 0.5,
    "province_year_s": 60.0,
    "province_peak_mb": 1024.0,
    "naive_ratio": 20.0,
    "slope": 1.1,
    "sweep_1000_s": 300.0,
}


# -- one measurement, in a child process -----------------------------------------------------

def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux reports KiB


def _measure_county(spec: dict) -> dict:
    from sim.api import make_model

    baseline = _maxrss_mb()
    started = time.perf_counter()
    _load_kernels()
    kernels = time.perf_counter() - started
    started = time.perf_counter()
    model = make_model(spec["scenario"], seed=spec["seed"], days=spec["days"],
                       overrides=spec["overrides"])
    build = time.perf_counter() - started
    started = time.perf_counter()
    model.run()
    run = time.perf_counter() - started
    return {"build_s": build, "run_s": run, "kernels_s": kernels, "items": len(model.items),
            "townships": len(model.townships), "peak_mb": _maxrss_mb(), "baseline_mb": baseline}


def _load_kernels() -> None:
    """Load the compiled serving loop (once per process; compiled on first use after install).

    Done before the clock starts: a sweep's worker or the province's pays it once, not per run.
    """
    from sim.api import make_model

    model = make_model("classroom", seed=0, days=2)
    model.run()
    model.close()


def _measure_naive(spec: dict) -> dict:
    from sim.analysis.naive import NaiveCountyWorkload
    from sim.api import compose_config, typed

    baseline = _maxrss_mb()
    started = time.perf_counter()
    scenario = typed(compose_config([f"scenario={spec['scenario']}", *spec["overrides"]])).scenario
    model = NaiveCountyWorkload.from_scenario(scenario, days=spec["days"], seed=spec["seed"])
    build = time.perf_counter() - started
    started = time.perf_counter()
    model.run()
    run = time.perf_counter() - started
    summary = model.summary()
    return {"build_s": build, "run_s": run, "items": summary["items_arrived"],
            "agents": len(model.cadres), "ticks": model.hour, "peak_mb": _maxrss_mb(),
            "baseline_mb": baseline, "utilisation": summary["utilisation"]}


def _measure_province(spec: dict) -> dict:
    import pandas as pd

    from sim.api import compose_config
    from sim.runners.province import run_province

    cfg = compose_config([f"scenario={spec['scenario']}", f"seed={spec['seed']}",
                          f"days={spec['days']}", *spec["overrides"]])
    out = Path(tempfile.mkdtemp(prefix="bench-province-"))
    try:
        started = time.perf_counter()
        summary = run_province(cfg, out, n_jobs=spec.get("n_jobs"))
        run = time.perf_counter() - started
        disk = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
        county_s = float(pd.read_parquet(out / "counties.parquet")["worker_seconds"].sum())
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return {"build_s": 0.0, "run_s": run, "items": summary["work_items"],
            "townships": summary["townships"], "counties": summary["counties"],
            "posts_total": summary["posts_total"], "peak_mb": _maxrss_mb(), "disk_mb": disk / 1e6,
            "county_s": county_s}


def _measure_profile(spec: dict) -> dict:
    import cProfile
    import gc
    import pstats

    from sim.api import make_model

    _load_kernels()  # as for the timed runs: the profile is of the simulation alone
    model = make_model(spec["scenario"], seed=spec["seed"], days=spec["days"],
                       overrides=spec["overrides"])
    # The profiler's own allocations would trigger a full garbage collection of the whole heap
    # (about 0.1 s, charged to whichever call was allocating) that the timed runs do not have.
    gc.freeze()
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.runcall(model.run)
    total = time.perf_counter() - started
    stats = pstats.Stats(profiler).stats
    rows = []
    for (path, line, name), (_, calls, tottime, cumtime, _) in stats.items():
        where = Path(path)
        label = f"{where.parent.name}/{where.name}:{line}({name})" if line else name
        rows.append({"function": label, "calls": calls, "tottime": tottime, "cumtime": cumtime})
    rows.sort(key=lambda r: r["tottime"], reverse=True)
    return {"run_s": total, "items": len(model.items), "rows": rows[: spec.get("top", 15)]}


def sweep_command(spec: dict, sweep_dir: Path) -> list[str]:
    """The ``python -m sim -m`` command of a sweep measurement (blocks of seeds, or one per job)."""
    block, n = spec["block"], spec["county_years"]
    seeds = f"seed=range(0,{n},{block})" if block > 1 else f"seed=range(0,{n})"
    return [sys.executable, "-m", "sim", "-m", f"scenario={spec['scenario']}",
            f"days={spec['days']}", seeds, f"block.size={block}",
            f"hydra.launcher.n_jobs={spec['n_jobs']}", f"hydra.sweep.dir={sweep_dir}",
            *spec.get("overrides", [])]


def measure_sweep(spec: dict, sample_seconds: float = 2.0) -> dict:
    """Run a real Hydra sweep of ``county_years`` runs; wall and CPU seconds, per-run costs.

    The sweep runs as ``python -m sim -m`` in a child process, with the joblib launcher on
    ``n_jobs`` workers, figures, task tables and exports off (the sweep defaults), every run's
    ``summary.json``, ``daily.parquet``, ``townships.parquet`` and ``departments.parquet``
    written. CPU seconds are those of the child and every process it waited for (the launcher's
    workers). While it runs, the 1-minute load average is sampled every ``sample_seconds``
    (median and max reported) and so is the CPU time of the sweep's processes: the share of the
    machine's cores the sweep got is its CPU time over wall time x cores. The in-process cost of
    each run (build, simulate, write; wall and CPU) comes from the blocks' ``block.json``, or,
    without blocks, from each summary's ``runtime_seconds`` (build and simulate only).
    """
    import psutil

    sweep_dir = Path(tempfile.mkdtemp(prefix="bench-sweep-"))
    loads = []
    try:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        load = os.getloadavg()[0]
        started = time.perf_counter()
        proc = psutil.Popen(sweep_command(spec, sweep_dir), cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONHASHSEED": "0"})
        while True:
            loads.append(os.getloadavg()[0])
            try:
                _, err = proc.communicate(timeout=sample_seconds)
                break
            except subprocess.TimeoutExpired:
                continue
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0:
            raise RuntimeError(f"sweep failed:\n{err[-3000:]}")
        summaries = list(sweep_dir.rglob("summary.json"))
        per_run, per_run_cpu = [], []
        stages: dict[str, list[float]] = {"collect": [], "build": [], "run": [], "write": []}
        for path in sweep_dir.rglob("block.json"):
            record = json.loads(path.read_text(encoding="utf-8"))
            per_run += record["seconds"]
            per_run_cpu += record["cpu_seconds"]
            for key in stages:
                stages[key] += record.get("cpu_stages", {}).get(key, [])
        if not per_run:
            per_run = [
                json.loads(p.read_text(encoding="utf-8"))["runtime_seconds"] for p in summaries
            ]
        items = [json.loads(p.read_text(encoding="utf-8"))["requests_arrived"]
                 for p in summaries[:1]]
        disk = sum(p.stat().st_size for p in sweep_dir.rglob("*") if p.is_file())
    finally:
        shutil.rmtree(sweep_dir, ignore_errors=True)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    cores = os.cpu_count() or 1
    return {"county_years": spec["county_years"] * spec["days"] / 365.0,
            "runs": len(summaries), "block": spec["block"], "n_jobs": spec["n_jobs"],
            "wall_s": wall, "cpu_s": cpu, "cores": cores,
            "core_share": cpu / (wall * min(cores, spec["n_jobs"])) if wall else 0.0,
            "run_median_s": statistics.median(per_run),
            "run_p90_s": float(sorted(per_run)[int(0.9 * (len(per_run) - 1))]),
            "run_cpu_median_s": statistics.median(per_run_cpu) if per_run_cpu else None,
            "run_cpu_sum_s": sum(per_run_cpu) if per_run_cpu else None,
            "stage_cpu_median_s": {k: statistics.median(v) for k, v in stages.items() if v},
            "requests_first_run": items[0] if items else 0, "disk_mb": disk / 1e6,
            "load_start": load, "load_end": os.getloadavg()[0],
            "load_median": statistics.median(loads), "load_max": max(loads),
            "command": " ".join(sweep_command(spec, Path("DIR"))[1:])}


MEASURES = {"county": _measure_county, "naive": _measure_naive, "province": _measure_province,
            "profile": _measure_profile}


# -- running measurements --------------------------------------------------------------------

def _tree_memory(proc) -> tuple[float, float, float]:
    """Summed RSS and PSS of ``proc`` and its descendants, and the largest descendant's RSS (MB)."""
    import psutil

    rss = pss = worker = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            info = p.memory_full_info()
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
        rss += info.rss
        pss += getattr(info, "pss", info.rss)
        if p is not proc:
            worker = max(worker, info.rss)
    return rss / 1e6, pss / 1e6, worker / 1e6


def run_child(spec: dict, *, sample_seconds: float | None = None) -> dict:
    """Run one measurement in a fresh interpreter; sample its process tree's memory if asked."""
    import psutil

    cmd = [sys.executable, "-m", "sim.bench", "--measure", json.dumps(spec)]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    proc = psutil.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                        text=True, env=env)
    peak_rss = peak_pss = peak_worker = 0.0
    while True:
        if sample_seconds:
            rss, pss, worker = _tree_memory(proc)
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            peak_worker = max(peak_worker, worker)
        try:
            out, err = proc.communicate(timeout=sample_seconds or None)
            break
        except subprocess.TimeoutExpired:
            continue
    if proc.returncode != 0:
        raise RuntimeError(f"measurement {spec} failed:\n{err[-3000:]}")
    result = json.loads(out.strip().splitlines()[-1])
    if sample_seconds:
        result.update(tree_rss_mb=peak_rss, tree_pss_mb=peak_pss, worker_rss_mb=peak_worker)
    return result


LOADS: list[float] = []


def measure(spec: dict, runs: int, *, label: str, sample_seconds: float | None = None) -> dict:
    """Median of ``runs`` fresh-process runs of ``spec``; print a progress line."""
    results = []
    for _ in range(max(runs, 1)):
        LOADS.append(os.getloadavg()[0])
        results.append(run_child(spec, sample_seconds=sample_seconds))
    times = [r["run_s"] for r in results]
    summary = {**results[0], "runs": len(results), "run_s": statistics.median(times),
               "run_min_s": min(times), "run_max_s": max(times),
               "build_s": statistics.median(r.get("build_s", 0.0) for r in results),
               "kernels_s": statistics.median(r.get("kernels_s", 0.0) for r in results)}
    for key in ("peak_mb", "tree_pss_mb", "tree_rss_mb", "worker_rss_mb"):
        if key in results[0]:
            summary[key] = statistics.median(r[key] for r in results)
    summary["items_per_s"] = summary["items"] / summary["run_s"] if summary["run_s"] else 0.0
    summary["label"] = label
    print(f"  {label:<38} {summary['run_s']:8.3f} s  {summary['items']:>10,d} items  "
          f"{summary['items_per_s']:>10,.0f} items/s  (x{len(results)})", flush=True)
    return summary


def county_spec(scenario: str, days: int, overrides: list[str] | None = None,
                kind: str = "county") -> dict:
    """Spec of one single-model measurement."""
    return {"kind": kind, "scenario": scenario, "days": days, "seed": SEED,
            "overrides": list(overrides or [])}


# -- the machine -----------------------------------------------------------------------------

def machine() -> dict:
    """CPU, cores, memory, versions, date, load and code version of this run."""
    import joblib
    import mesa
    import numpy
    import pandas

    cpu = "unknown"
    if Path("/proc/cpuinfo").exists():
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    if Path("/proc/meminfo").exists():
        kib = int(Path("/proc/meminfo").read_text(encoding="utf-8").split()[1])
        memory = f"{kib / 1024 ** 2:.1f} GiB"

    def git(*args):
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                                  timeout=10).stdout.strip()
        except OSError:
            return ""

    return {"cpu": cpu, "cores": os.cpu_count(), "memory": memory,
            "os": f"{platform.system()} {platform.release()}",
            "python": platform.python_version(), "numpy": numpy.__version__,
            "mesa": mesa.__version__, "pandas": pandas.__version__,
            "joblib": joblib.__version__,
            "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
            "commit": git("rev-parse", "--short", "HEAD") or "unknown",
            "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
            "load_start": os.getloadavg()[0]}


# -- the study -------------------------------------------------------------------------------


def _township_points() -> list[int]:
    """Townships of the scaling points: powers of two up to what the validator accepts."""
    from sim.config import valid_range

    most = int(valid_range("scenario.townships")[1])
    return [2 ** k for k in range(most.bit_length())]  # 2 ** k <= most for k < bit_length


def plan(args) -> dict:
    """Sizes and repeat counts of this bench (full, or ``--quick``)."""
    if args.quick:
        return {"quick": True, "days": 91, "runs": 1, "sweep_runs": 1, "big_runs": 1,
                "province_runs": 1, "sweep_county_years": 40, "sweep_block": 10,
                "sweep_single_jobs": 6, "sweep_n_jobs": args.sweep_jobs, "sweep_repeats": 1,
                "townships": [1, 4, 16, 64], "township_days": 10, "days_sweep": [7, 30, 91],
                "province_overrides": ["scenario.counties=4"], "province_days": 30}
    return {"quick": False, "days": 365, "runs": args.runs, "sweep_runs": args.sweep_runs,
            "sweep_county_years": args.sweep_county_years, "sweep_block": args.sweep_block,
            "sweep_single_jobs": args.sweep_single_jobs, "sweep_n_jobs": args.sweep_jobs,
            "sweep_repeats": args.sweep_repeats, "big_runs": args.big_runs,
            "province_runs": args.province_runs,
            "townships": _township_points(), "township_days": args.township_days,
            "days_sweep": [30, 91, 182, 365, 730], "province_overrides": [],
            "province_days": 365}


def run_bench(args) -> dict:
    """Run every measurement of the bench; return the results by section."""
    p = plan(args)
    results: dict = {"plan": p, "machine": machine()}
    print("one simulated year" if not args.quick else "quick check", flush=True)
    results["scenarios"] = [
        measure(county_spec(name, p["days"], overrides), p["runs"], label=f"{name} {p['days']} d")
        for name, overrides in (("classroom", []), ("typical_county", []),
                                ("henan_county", PROVINCE))
    ]
    results["naive"] = measure(county_spec("typical_county", p["days"], kind="naive"),
                               p["sweep_runs"], label=f"naive typical_county {p['days']} d")
    if not args.no_province:
        spec = {**county_spec("henan_province", p["province_days"],
                              [*PROVINCE, *p["province_overrides"]], kind="province"),
                "n_jobs": args.n_jobs}
        results["province"] = measure(spec, p["province_runs"], sample_seconds=0.5,
                                      label=f"henan_province {p['province_days']} d")
        from sim.runners.province import jobs_from_env

        jobs = args.n_jobs or jobs_from_env()
        results["province"]["workers"] = jobs if jobs > 0 else os.cpu_count() + 1 + jobs
    print("scaling over townships (typical_county, departments fixed)", flush=True)
    days = p["township_days"]
    results["townships"] = [
        measure(county_spec("typical_county", days, [f"scenario.townships={n}"]),
                p["sweep_runs"] if n * days <= BIG_TOWNSHIP_DAYS else p["big_runs"],
                label=f"{n} townships {days} d")
        for n in p["townships"]
    ]
    print("scaling over days (typical_county)", flush=True)
    results["days"] = [
        measure(county_spec("typical_county", d), p["sweep_runs"], label=f"typical_county {d} d")
        for d in p["days_sweep"]
    ]
    results["sweep"] = run_sweeps(p)
    profile = county_spec("typical_county", p["days"], kind="profile")
    results["profile"] = run_child(profile)
    results["machine"]["load_end"] = os.getloadavg()[0]
    results["machine"]["load_max"] = max(LOADS)
    results["machine"]["load_median"] = statistics.median(LOADS)
    return results


def run_sweeps(p: dict) -> dict:
    """The sweep target (1,000 county-years in blocks), then same-run pairs for the ratio.

    The pairs are small sweeps of the same runs in blocks and one run per job, run one after
    the other ``sweep_repeats`` times, so that each ratio compares two sweeps made under the
    same load; the median ratio is reported.
    """
    print("sweeps (typical_county, python -m sim -m, joblib launcher)", flush=True)
    base = {"scenario": "typical_county", "days": p["days"], "n_jobs": p["sweep_n_jobs"]}
    out = {"blocks": measure_sweep({**base, "county_years": p["sweep_county_years"],
                                    "block": p["sweep_block"]}), "pairs": []}
    _print_sweep("blocks", out["blocks"])
    n = p["sweep_single_jobs"]
    for _ in range(p.get("sweep_repeats", 3)):
        pair = {"blocks": measure_sweep({**base, "county_years": n,
                                         "block": max(n // max(p["sweep_n_jobs"], 1), 1)}),
                "one_per_job": measure_sweep({**base, "county_years": n, "block": 1})}
        for name, r in pair.items():
            _print_sweep(f"pair {name}", r)
        out["pairs"].append(pair)
    out["one_per_job"] = out["pairs"][0]["one_per_job"]  # earlier results' key
    return out


def _print_sweep(name: str, r: dict) -> None:
    print(f"  {name:<18} {r['runs']:>5} runs  {r['wall_s']:8.1f} s wall  "
          f"{r['cpu_s'] / r['county_years']:6.3f} CPU-s per county-year  "
          f"load {r['load_median']:.1f}  median run {r['run_median_s']:.3f} s", flush=True)


def loglog_slope(items, seconds) -> float:
    """Least-squares slope of log(seconds) on log(items): 1 means cost linear in work items."""
    import numpy as np

    x, y = np.log(np.asarray(items, float)), np.log(np.asarray(seconds, float))
    return float(np.polyfit(x, y, 1)[0])


def _fit_points(rows) -> list[dict]:
    """Scaling points large enough that fixed per-run costs do not dominate (>= 10,000 items)."""
    big = [r for r in rows if r["items"] >= 10_000]
    return big if len(big) >= 3 else rows


# -- the report ------------------------------------------------------------------------------

def _mb(x: float) -> str:
    return f"{x:,.0f} MB"


def _status(ok: bool) -> str:
    return "met" if ok else "**not met**"


def _table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def report(results: dict, figure: str | None) -> str:
    """RESULTS.md text."""
    m, p = results["machine"], results["plan"]
    scenarios = {r["label"].split()[0]: r for r in results["scenarios"]}
    typical, naive = scenarios["typical_county"], results["naive"]
    province = results.get("province")
    fit_t = _fit_points(results["townships"])
    slope_t = loglog_slope([r["items"] for r in fit_t], [r["run_s"] for r in fit_t])
    slope_d = loglog_slope([r["items"] for r in results["days"]],
                           [r["run_s"] for r in results["days"]])
    ratio = naive["run_s"] / typical["run_s"]
    total_ratio = (naive["run_s"] + naive["build_s"]) / (typical["run_s"] + typical["build_s"])
    out = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (`python -m sim.bench{' --quick' if p['quick'] else ''}`)"
        f" on {m['date']}. Method and how to read it: [README.md](README.md).",
        "",
        "## Machine",
        "",
        _table(["", ""], [
            ["CPU", f"{m['cpu']}, {m['cores']} cores"], ["memory", m["memory"]],
            ["OS", m["os"]],
            ["versions", f"Python {m['python']}, NumPy {m['numpy']}, Mesa {m['mesa']}, "
                         f"pandas {m['pandas']}, joblib {m['joblib']}"],
            ["code", f"commit {m['commit']}" + (" with uncommitted changes" if m["dirty"]
                                                 else "")],
            ["load average (1 min)", f"{m['load_start']:.2f} at start, median "
                                     f"{m['load_median']:.2f} and max {m['load_max']:.2f} "
                                     f"before each run, {m['load_end']:.2f} at end"],
        ]),
        "",
        "Other work running on the machine at the same time slows every figure below; a load "
        "average well above 0 at the start means the times are pessimistic.",
        "",
        "## Targets",
        "",
    ]
    rows = [
        [f"typical_county, one year ({p['days']} d), run", f"< {TARGETS['typical_year_s']} s",
         f"{typical['run_s']:.3f} s", _status(typical["run_s"] < TARGETS["typical_year_s"])],
    ]
    if province:
        rows += [
            [f"henan_province ({province['counties']} counties, {province['townships']:,d} "
             f"townships, {p['province_days']} d), wall", f"< {TARGETS['province_year_s']:.0f} s",
             f"{province['run_s']:.1f} s",
             _status(province["run_s"] < TARGETS["province_year_s"])],
            ["henan_province peak memory (PSS, all processes)", "< 1 GB",
             _mb(province["tree_pss_mb"]),
             _status(province["tree_pss_mb"] < TARGETS["province_peak_mb"])],
        ]
    rows += [
        ["naive hourly-tick model / ours, typical_county run time",
         f">= {TARGETS['naive_ratio']:.0f}x",
         f"{ratio:.1f}x", _status(ratio >= TARGETS["naive_ratio"])],
        ["cost vs work items, log-log slope (townships sweep)", f"about 1 (<= {TARGETS['slope']})",
         f"{slope_t:.2f}", _status(slope_t <= TARGETS["slope"])],
        ["cost vs work items, log-log slope (days sweep)", f"about 1 (<= {TARGETS['slope']})",
         f"{slope_d:.2f}", _status(slope_d <= TARGETS["slope"])],
    ]
    sweep = results.get("sweep")
    if sweep:
        b = sweep["blocks"]
        scale = 1000.0 / b["county_years"]
        scaled = "" if b["county_years"] == 1000 else f" (scaled from {b['county_years']:.0f})"
        free = b["cpu_s"] * scale / b["n_jobs"]
        rows.append([f"typical_county sweep, 1,000 county-years, {b['n_jobs']} workers, wall as "
                     f"measured (load {b['load_median']:.1f}, the sweep got "
                     f"{b['core_share']:.0%} of {b['n_jobs']} cores)",
                     f"<= {TARGETS['sweep_1000_s']:.0f} s", f"{b['wall_s'] * scale:.0f} s{scaled}",
                     _status(b["wall_s"] * scale <= TARGETS["sweep_1000_s"])])
        rows.append([f"the same on {b['n_jobs']} free cores: its CPU seconds / {b['n_jobs']}",
                     f"<= {TARGETS['sweep_1000_s']:.0f} s", f"{free:.0f} s{scaled}",
                     _status(free <= TARGETS["sweep_1000_s"])])
    out += [_table(["target", "wanted", "measured", ""], rows), ""]
    if sweep:
        out += sweep_section(results), ""

    out += ["## One simulated year", "",
            f"Seed {SEED}. Median of the runs shown (min-max in brackets); `build` is composing "
            "the config and building the model, `run` the simulation; work items are every item "
            "the townships handled (requests, cases, re-handlings, emergencies, tasks).", ""]
    rows = []
    for r in results["scenarios"]:
        rows.append([f"`{r['label']}`", r["townships"], f"{r['items']:,d}", f"{r['build_s']:.2f}",
                     f"{r['run_s']:.3f} ({r['run_min_s']:.3f}-{r['run_max_s']:.3f})",
                     f"{r['items_per_s']:,.0f}", _mb(r["peak_mb"]), r["runs"]])
    out += [_table(["scenario", "townships", "work items", "build s", "run s", "items/s",
                    "peak memory", "runs"], rows), "",
            f"Peak memory is the process's maximum resident set size; a fresh interpreter with "
            f"the simulator imported already holds about {_mb(typical['baseline_mb'])}. "
            f"Before the clock starts, each process loads the compiled serving loop "
            f"(`sim/kernels/day.py`, Numba) from its on-disk cache by running a two-day model: "
            f"{typical['kernels_s']:.2f} s (median), once per process, so once per sweep worker; "
            "the very first run after installing compiles it (several seconds).", ""]

    if province:
        out += ["## Province", "",
                f"`python -m sim scenario=henan_province policy/posts=henan` "
                f"({' '.join(p['province_overrides']) or 'all counties'}): one county model "
                f"per county on {province['workers']} worker processes (joblib), every output "
                "written "
                "(tables streamed to disk per county, figures), seed "
                f"{SEED}, county seeds `seed * 1000 + county`.", "",
                _table(["counties", "townships", "posts", "work items", "wall s", "items/s",
                        "peak PSS (all processes)", "peak RSS sum", "parent max RSS",
                        "largest worker RSS", "output on disk", "runs"],
                       [[province["counties"], f"{province['townships']:,d}",
                         f"{province['posts_total']:,d}", f"{province['items']:,d}",
                         f"{province['run_s']:.1f}", f"{province['items_per_s']:,.0f}",
                         _mb(province["tree_pss_mb"]), _mb(province["tree_rss_mb"]),
                         _mb(province["peak_mb"]), _mb(province["worker_rss_mb"]),
                         _mb(province["disk_mb"]), province["runs"]]]), "",
                f"Each county took {province['county_s'] / province['counties']:.2f} s on "
                "average in its worker (build, run, tables written, aggregates), "
                f"{province['county_s']:.0f} s in all, or "
                f"{province['county_s'] / (province['workers'] * province['run_s']):.0%} of the "
                f"{province['workers']} workers' wall time; the rest is starting the workers, "
                "waiting for the last county and aggregating.", ""]

    out += ["## Naive baseline", "",
            "`sim.analysis.naive.NaiveCountyWorkload`: the same typical_county demand (requests, "
            "emergencies and tasks drawn per township and hour, lognormal efforts, the same "
            "mandatory work) served by one Mesa agent per cadre, ticked with "
            "`shuffle_do(\"step\")` every simulated hour.", "",
            _table(["model", "agents stepped", "ticks", "work items", "run s", "items/s",
                    "peak memory"],
                   [["naive (hourly ticks)", naive["agents"], f"{naive['ticks']:,d}",
                     f"{naive['items']:,d}", f"{naive['run_s']:.2f}",
                     f"{naive['items_per_s']:,.0f}", _mb(naive["peak_mb"])],
                    ["ours (CountyWorkload)", "-", f"{p['days']} days", f"{typical['items']:,d}",
                     f"{typical['run_s']:.3f}", f"{typical['items_per_s']:,.0f}",
                     _mb(typical["peak_mb"])]]),
            "", f"Ours is **{ratio:.1f}x** faster on the simulation ({total_ratio:.1f}x"
                " counting build time), while simulating more (departments, cross-department "
                "hand-offs, secondment, staffing).", ""]

    def scaling_rows(rows, first):
        return [[first(r), f"{r['items']:,d}", f"{r['build_s']:.2f}", f"{r['run_s']:.3f}",
                 f"{r['items_per_s']:,.0f}",
                 f"{1e6 * r['run_s'] / r['items']:.1f}" if r["items"] else "-",
                 _mb(r["peak_mb"]), r["runs"]] for r in rows]

    header = ["work items", "build s", "run s", "items/s", "us per item", "peak memory", "runs"]
    out += ["## Scaling over townships", "",
            f"`typical_county` with `scenario.townships=N`, {p['township_days']} days. The "
            "departments stay at 35 (not scaled): each township keeps the same demand (its "
            "pushed-down tasks depend on the number of departments), so work grows in "
            "proportion to the townships while each department answers more cross-department "
            f"cases. Points above {BIG_TOWNSHIP_DAYS:,d} township-days run fewer times.", "",
            _table(["townships", *header],
                   scaling_rows(results["townships"], lambda r: r["label"].split()[0])), "",
            f"Log-log slope of run time on work items: **{slope_t:.2f}** (points with at least "
            "10,000 items).", "",
            "## Scaling over days", "", "`typical_county` (14 townships).", "",
            _table(["days", *header],
                   scaling_rows(results["days"], lambda r: r["label"].split()[1])), "",
            f"Log-log slope of run time on work items: **{slope_d:.2f}**.", ""]
    if figure:
        out += [f"![scaling]({figure})", ""]

    prof = results["profile"]
    out += ["## Where the time goes", "",
            f"cProfile of `typical_county`, {p['days']} days ({prof['run_s']:.2f} s under the "
            "profiler, "
            f"{prof['items']:,d} work items), by time spent in the function itself:", "",
            _table(["function", "calls", "own s", "cumulative s"],
                   [[f"`{r['function']}`", f"{r['calls']:,d}", f"{r['tottime']:.3f}",
                     f"{r['cumtime']:.3f}"] for r in prof["rows"]]), ""]
    return "\n".join(out)


def sweep_section(results: dict) -> str:
    """The sweeps' part of RESULTS.md: measured wall and CPU, per-run costs, same-run ratios."""
    sweep = results["sweep"]
    m = results.get("sweep_machine", results["machine"])
    b = sweep["blocks"]
    pairs = sweep.get("pairs") or [{"blocks": b, "one_per_job": sweep["one_per_job"]}]

    def row(label, r):
        return [label, r["runs"], r["block"], r["n_jobs"], f"{r['wall_s']:.1f}",
                f"{r['cpu_s']:.1f}", f"{r['cpu_s'] / r['county_years']:.3f}",
                f"{r.get('core_share', 0):.0%}",
                f"{r.get('load_median', r['load_start']):.1f} / "
                f"{r.get('load_max', r['load_end']):.1f}"]

    header = ["sweep", "runs (county-years)", "runs per job", "workers", "wall s", "CPU s",
              "CPU s per county-year", "share of the cores it got", "load median / max"]
    ratios = [(q["one_per_job"]["cpu_s"] / q["one_per_job"]["county_years"])
              / (q["blocks"]["cpu_s"] / q["blocks"]["county_years"]) for q in pairs]
    stages = b.get("stage_cpu_median_s", {})
    in_process = b.get("run_cpu_sum_s") or 0.0
    cy = b["county_years"]
    lines = [
        "## Sweeps", "",
        f"Measured on {m['date']} (commit {m['commit']}{' with changes' if m.get('dirty') else ''}"
        f"): a real `python -m sim -m` sweep of `typical_county`, one simulated year per run, "
        f"joblib launcher on {b['n_jobs']} workers, figures, task tables and CSV/Excel exports off "
        "(the sweep defaults), every run's `summary.json` and daily, township and department "
        f"tables written. Command: `python {b['command']}`.", "",
        "The machine is shared: other work ran beside the sweep. Wall time is what it took with "
        "that load; the CPU seconds are the sweep's own (its process and its workers), which "
        "the load inflates much less; *share of the cores it got* is CPU seconds over wall "
        "seconds x workers (100%: nothing else ran); the load average was sampled every 2 s "
        "during each sweep.", "",
        _table(header, [row(f"**{cy:.0f} county-years in blocks**", b)]), "",
        f"Per run, in the worker's process (from the blocks' `block.json`, median of {b['runs']}"
        f"): {b['run_median_s']:.3f} s of wall time (90th percentile {b['run_p90_s']:.3f} s) "
        f"and {b['run_cpu_median_s']:.3f} s of CPU time"
        + (f", of which freeing the last run's model {stages.get('collect', 0):.3f} s, "
           f"building the model {stages['build']:.3f} s, the simulated year "
           f"{stages['run']:.3f} s and computing and writing its summary and tables "
           f"{stages['write']:.3f} s" if stages else "") + ". "
        + (f"The runs' in-process CPU time adds up to {in_process:.0f} s, "
           f"{in_process / b['cpu_s']:.0%} of the sweep's {b['cpu_s']:.0f} s; the rest "
           f"({(b['cpu_s'] - in_process) / cy:.3f} CPU-s per county-year) is the sweep process "
           "(composing and checking every point before any job starts), the workers' imports "
           "and Hydra's per-job work." if in_process else ""), "",
        f"Same-run ratios: {len(pairs)} pair(s) of small sweeps of the same "
        f"{pairs[0]['blocks']['runs']} runs, in blocks and one run per job, made one after "
        "the other (so under about the same load):", "",
        _table(header + ["one per job / blocks, CPU"],
               [r for q, ratio in zip(pairs, ratios, strict=True)
                for r in (row("blocks", q["blocks"]) + [""],
                          row("one run per job", q["one_per_job"]) + [f"{ratio:.2f}x"])]), "",
        f"Median ratio **{statistics.median(ratios):.2f}x**: one run per job costs that much more "
        "CPU per county-year than blocks, for Hydra's per-job work (composing, logging, the "
        "`.hydra` record) and the per-run model checks; on a launcher that starts a process "
        "per job (submitit, Ray) each job also pays the imports (about 2 s).", "",
        f"On {b['n_jobs']} free cores: the whole sweep's CPU time, imports, Hydra and launcher "
        f"included, spread over the {b['n_jobs']} cores gives {b['cpu_s'] / b['n_jobs']:.0f} s "
        f"({b['cpu_s'] / cy * 1000 / b['n_jobs']:.0f} s per 1,000 county-years); the median "
        f"in-process CPU cost of a run alone gives "
        f"{b['run_cpu_median_s'] * 1000 / b['n_jobs']:.0f} s per 1,000. The measured wall "
        f"({b['wall_s']:.0f} s) is that plus waiting for the cores while other work ran.",
    ]
    return "\n".join(lines)


def plot(results: dict, path: Path) -> Path:
    """Run time against townships and against work items, log-log, with a linear reference."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    towns = results["townships"]
    days = results["days"]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4.2))
    n = np.array([r["townships"] for r in towns], float)
    t = np.array([r["run_s"] for r in towns])
    ax1.loglog(n, t, "o-", color="tab:blue", label="run (median)")
    ax1.loglog(n, [r["build_s"] for r in towns], "s--", color="tab:grey", ms=4,
               label="build")
    ref = t[-1] * n / n[-1]
    ax1.loglog(n, ref, ":", color="black", label="linear reference")
    ax1.set_xlabel("townships in one county model")
    ax1.set_ylabel("seconds")
    ax1.set_title(f"typical_county, {results['plan']['township_days']} days")
    ax1.legend(fontsize=8)
    for rows, style, label in ((towns, "o", "townships sweep"), (days, "^", "days sweep")):
        ax2.loglog([r["items"] for r in rows], [r["run_s"] for r in rows], style,
                   label=label)
    ax2.loglog([r["items"] for r in results["scenarios"]],
               [r["run_s"] for r in results["scenarios"]], "D", label="scenarios, one year")
    naive = results["naive"]
    ax2.loglog([naive["items"]], [naive["run_s"]], "X", color="tab:red", ms=9,
               label="naive hourly ticks")
    if "province" in results:
        prov = results["province"]
        ax2.loglog([prov["items"]], [prov["run_s"]], "*", color="tab:purple", ms=12,
                   label=f"province ({prov['workers']} processes, wall)")
    items = np.array([r["items"] for r in [*towns, *days]], float)
    span = np.array([items.min(), max(items.max(), results.get("province", {}).get("items", 0))])
    rate = np.median([r["items_per_s"] for r in _fit_points(towns)])
    ax2.loglog(span, span / rate, ":", color="black", label="linear reference")
    ax2.set_xlabel("work items")
    ax2.set_ylabel("seconds")
    ax2.set_title("cost against work items")
    ax2.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def main(argv: list[str] | None = None) -> int:
    """``python -m sim.bench [--quick] [--runs N] ...``: run the bench and write RESULTS.md."""
    parser = argparse.ArgumentParser(prog="python -m sim.bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="small sizes, one run each, into outputs/bench-quick")
    parser.add_argument("--runs", type=int, default=5, help="runs per one-year scenario")
    parser.add_argument("--sweep-runs", type=int, default=3,
                        help="runs per scaling point and of the naive baseline")
    parser.add_argument("--big-runs", type=int, default=1,
                        help=f"runs per scaling point above {BIG_TOWNSHIP_DAYS:,d} township-days")
    parser.add_argument("--province-runs", type=int, default=1, help="runs of the province")
    parser.add_argument("--township-days", type=int, default=30,
                        help="days simulated in the townships sweep")
    parser.add_argument("--n-jobs", type=int, default=None,
                        help="province worker processes (default $SIM_N_JOBS or all cores)")
    parser.add_argument("--no-province", action="store_true", help="skip the province")
    parser.add_argument("--out", type=Path, default=None,
                        help="folder for RESULTS.md and scaling.png (default "
                             "experiments/benchmark, or outputs/bench-quick with --quick)")
    parser.add_argument("--sweep-county-years", type=int, default=1000,
                        help="runs (one year each) of the sweep target")
    parser.add_argument("--sweep-block", type=int, default=50,
                        help="runs per job (block.size) in the sweep target")
    parser.add_argument("--sweep-single-jobs", type=int, default=20,
                        help="runs of each sweep of a same-run pair (in blocks, and one run "
                             "per job) measured for the ratio")
    parser.add_argument("--sweep-repeats", type=int, default=3,
                        help="same-run pairs measured (the median ratio is reported)")
    parser.add_argument("--sweep-jobs", type=int, default=2, help="launcher workers in sweeps")
    parser.add_argument("--only", choices=["sweep"], default=None,
                        help="measure one section only and merge it into the folder's "
                             "results.json (the other sections keep their earlier figures)")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        spec = json.loads(args.measure)
        print(json.dumps(MEASURES[spec["kind"]](spec)))
        return 0
    out = args.out or (QUICK_DIR if args.quick else OUT_DIR)
    started = time.perf_counter()
    if args.only:
        results = json.loads((out / "results.json").read_text(encoding="utf-8"))
        results["sweep"] = run_sweeps({**results["plan"], **plan(args)})
        results["sweep_machine"] = machine()
        results["plan"].update({k: v for k, v in plan(args).items() if k.startswith("sweep_")})
    else:
        results = run_bench(args)
    out.mkdir(parents=True, exist_ok=True)
    figure = plot(results, out / "scaling.png")
    text = report(results, figure.name)
    text += (f"\nThe {'sweep section' if args.only else 'whole bench'} took "
             f"{(time.perf_counter() - started) / 60:.1f} minutes.\n")
    (out / "RESULTS.md").write_text(text, encoding="utf-8")
    (out / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"wrote {out / 'RESULTS.md'} and {figure}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

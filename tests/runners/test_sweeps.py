"""Sweeps: parallel jobs through the joblib launcher, resume, failures recorded per job."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import sim.runners.cli


def _sweep(tmp_path, *args, timeout=300):
    return subprocess.run(
        [sys.executable, "-m", "sim", "-m", "scenario=classroom", "days=20",
         "output.figures=false", f"hydra.sweep.dir={tmp_path / 'sweep'}", *args],
        capture_output=True, text=True, cwd=tmp_path, timeout=timeout)


@pytest.mark.slow
def test_small_sweep_runs_every_job_and_resumes(tmp_path):
    result = _sweep(tmp_path, "policy/secondment=unregulated,banned", "seed=0,1")
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = sorted((tmp_path / "sweep").glob("[0-9]*"))
    assert len(jobs) == 4
    summaries = [json.loads((job / "summary.json").read_text(encoding="utf-8")) for job in jobs]
    assert {s["policy"]["secondment"] for s in summaries} == {"unregulated", "banned"}
    assert {s["seed"] for s in summaries} == {0, 1}
    assert not any((job / "tasks.parquet").exists() for job in jobs)  # off in sweeps
    stamps = [(job / "summary.json").stat().st_mtime_ns for job in jobs]

    again = _sweep(tmp_path, "policy/secondment=unregulated,banned", "seed=0,1")
    assert again.returncode == 0
    assert "already done, skipped" in again.stdout + again.stderr
    assert [(job / "summary.json").stat().st_mtime_ns for job in jobs] == stamps


def test_bad_value_in_a_sweep_stops_before_any_job(tmp_path):
    result = _sweep(tmp_path, "policy/secondment=unregulated,forbidden", "seed=0,1")
    assert result.returncode == 2
    assert result.stderr.strip().startswith("error: policy/secondment=forbidden")
    assert not (tmp_path / "sweep").exists()


def test_a_failing_job_is_recorded_and_the_others_finish(tmp_path, monkeypatch):
    real_build = sim.runners.cli.build_model

    def build_or_fail(cfg):
        if cfg.seed == 1:
            raise RuntimeError("simulated crash in job with seed 1")
        return real_build(cfg)

    monkeypatch.setattr(sim.runners.cli, "build_model", build_or_fail)
    monkeypatch.setattr(sys, "argv", [
        "sim", "-m", "scenario=classroom", "days=10", "output.figures=false", "seed=0,1,2",
        "hydra/launcher=basic", f"hydra.sweep.dir={tmp_path / 'sweep'}"])
    sim.runners.cli.run()
    jobs = sorted((tmp_path / "sweep").glob("[0-9]*"))
    assert len(jobs) == 3
    failed = [job for job in jobs if (job / "error.txt").exists()]
    assert len(failed) == 1 and not (failed[0] / "summary.json").exists()
    assert "simulated crash" in (failed[0] / "error.txt").read_text(encoding="utf-8")
    assert not list(failed[0].glob("*.parquet"))
    done = [job for job in jobs if (job / "summary.json").exists()]
    assert {
        json.loads((job / "summary.json").read_text(encoding="utf-8"))["seed"] for job in done
    } == {0, 2}


@pytest.mark.slow
def test_sweep_through_submitit_local(tmp_path):
    """The cluster launchers are the same code: submitit_local runs jobs as SLURM would."""
    result = _sweep(tmp_path, "hydra/launcher=submitit_local", "hydra.launcher.timeout_min=10",
                    "seed=0,1", timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = sorted((tmp_path / "sweep").glob("[0-9]*"))
    assert len(jobs) == 2 and all((job / "summary.json").exists() for job in jobs)


def _cli(tmp_path, *args, timeout=300):
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True,
                          cwd=tmp_path, timeout=timeout)


def test_bad_relation_at_one_sweep_point_is_named_before_any_job(tmp_path):
    """Every point is composed and checked: here only the second township count breaks a rule."""
    result = _sweep(tmp_path, "scenario.townships=2,3", "scenario.leaders_per_township=4",
                    "scenario.posts_per_township=10,3")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: scenario.leaders_per_township: 4 is not allowed")
    assert "[sweep point: scenario.townships=2, scenario.posts_per_township=3]" in lines[0]
    assert not (tmp_path / "sweep").exists()


def test_a_run_refuses_a_folder_holding_another_run(tmp_path):
    out = tmp_path / "run"
    args = ("scenario=classroom", "days=5", "output.figures=false", f"hydra.run.dir={out}")
    assert _cli(tmp_path, *args, "seed=1").returncode == 0
    summary = (out / "summary.json").read_text(encoding="utf-8")
    tables = {p.name: p.stat().st_mtime_ns for p in out.glob("*.parquet")}
    refused = _cli(tmp_path, *args, "seed=2", "output.tables=false")
    assert refused.returncode == 2
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: hydra.run.dir: {out} holds a "
                                                   "different finished run"), refused.stderr
    assert "output.tables is True there, False here" in lines[0]  # the first difference
    assert (out / "summary.json").read_text(encoding="utf-8") == summary
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.parquet")} == tables
    # The same run again may rewrite its own folder (same config, same results).
    assert _cli(tmp_path, *args, "seed=1").returncode == 0


def test_job_recognised_by_its_full_config_not_its_overrides(tmp_path):
    from sim.api import compose_config
    from sim.runners.cli import _same_job_done
    from sim.runners.outputs import write_run

    cfg = compose_config(["scenario=classroom", "days=3", "seed=4"])
    model = sim.runners.cli.build_model(cfg)
    model.run()
    write_run(model, cfg, tmp_path, runtime_seconds=0, tables=False, figures=False,
              overrides=["seed=4"])
    (tmp_path / ".partial-killed").mkdir()
    # Same config reached by other overrides: done. Same overrides, other config: not done.
    assert _same_job_done(tmp_path, compose_config(["scenario=classroom", "days=3", "seed=4"]))
    assert not (tmp_path / ".partial-killed").exists()
    assert not _same_job_done(tmp_path, compose_config(["scenario=classroom", "days=4",
                                                        "seed=4"]))


@pytest.mark.slow
def test_a_different_sweep_into_the_same_folder_is_refused(tmp_path):
    first = _sweep(tmp_path, "seed=0,1")
    assert first.returncode == 0, first.stderr[-2000:]
    stamps = {p: p.stat().st_mtime_ns for p in (tmp_path / "sweep").rglob("*") if p.is_file()}
    other = _sweep(tmp_path, "seed=5,6")
    assert other.returncode == 2
    lines = other.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: hydra.sweep.dir: ")
    assert "job 0" in lines[0] and "seed is 0 there, 5 here" in lines[0]
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "sweep").rglob("*")
            if p.is_file()} == stamps


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text(encoding="utf-8").rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
def test_killed_sweep_takes_its_workers_and_resumes_cleanly(tmp_path):
    """SIGKILL the sweep mid-way: workers end, the rerun cleans staging and runs only the rest."""
    args = [sys.executable, "-m", "sim", "-m", "scenario=typical_county", "scenario.townships=40",
            "days=900", "output.figures=false", "output.tables=false", "seed=0,1,2,3,4,5",
            "hydra.launcher.n_jobs=2", f"hydra.sweep.dir={tmp_path / 'sweep'}"]
    sweep = subprocess.Popen(args, cwd=tmp_path, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    jobs = tmp_path / "sweep"
    deadline = time.time() + 400
    while time.time() < deadline and not list(jobs.glob("[0-9]*/summary.json")):
        time.sleep(0.5)
    workers = [p for p in _children(sweep.pid) if "loky" in Path(f"/proc/{p}/cmdline")
               .read_bytes().decode(errors="replace")]
    finished = sorted(jobs.glob("[0-9]*/summary.json"))
    assert finished and workers, "the sweep did not get going"
    assert len(finished) < 6, "the sweep ended before it could be killed"
    os.kill(sweep.pid, signal.SIGKILL)
    sweep.wait()
    deadline = time.time() + 20
    while time.time() < deadline and any(_alive(p) for p in workers):
        time.sleep(0.25)
    assert not any(_alive(p) for p in workers), "workers outlived the killed sweep"
    stamps = {p: p.stat().st_mtime_ns for p in jobs.glob("[0-9]*/summary.json")}
    staged = jobs / "5" / ".partial-left-by-a-killed-job"
    staged.mkdir(parents=True)
    (staged / "tasks.parquet").write_text("half", encoding="utf-8")

    again = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=900)
    assert again.returncode == 0, again.stderr[-2000:]
    assert "already done, skipped" in again.stdout + again.stderr
    summaries = sorted(jobs.glob("[0-9]*/summary.json"))
    assert len(summaries) == 6
    assert {json.loads(p.read_text(encoding="utf-8"))["seed"] for p in summaries} == set(range(6))
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps  # finished jobs left alone
    assert not list(jobs.glob("*/.partial-*"))


def test_glob_and_interval_sweeps_are_checked_point_by_point(tmp_path):
    from sim.runners.cli import precheck

    assert precheck(["-m", "scenario=glob(class*)", "days=3"]) is None
    problem = precheck(["-m", "scenario=glob(*)", "days=0,3"])
    assert problem.startswith("days: 0 is not allowed") and "[sweep point: scenario=" in problem
    problem = precheck(["-m", "hydra/sweeper=optuna",
                        "policy.posts.workload_exponent=interval(-2,20)"])
    assert problem.startswith("policy.posts.workload_exponent: 20.0 is not allowed")
    # An experiment that sweeps from its own file (hydra.mode: MULTIRUN), without -m.
    assert precheck(["+experiment=levers", f"hydra.sweep.dir={tmp_path}"]) is None

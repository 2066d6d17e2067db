"""Sweeps: parallel jobs through the joblib launcher, resume, failures recorded per job."""

import json
import subprocess
import sys

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
    summaries = [json.loads((job / "summary.json").read_text()) for job in jobs]
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
    assert "simulated crash" in (failed[0] / "error.txt").read_text()
    assert not list(failed[0].glob("*.parquet"))
    done = [job for job in jobs if (job / "summary.json").exists()]
    assert {json.loads((job / "summary.json").read_text())["seed"] for job in done} == {0, 2}


@pytest.mark.slow
def test_sweep_through_submitit_local(tmp_path):
    """The cluster launchers are the same code: submitit_local runs jobs as SLURM would."""
    result = _sweep(tmp_path, "hydra/launcher=submitit_local", "hydra.launcher.timeout_min=10",
                    "seed=0,1", timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    jobs = sorted((tmp_path / "sweep").glob("[0-9]*"))
    assert len(jobs) == 2 and all((job / "summary.json").exists() for job in jobs)

"""Reruns from a folder (sim.runners.rerun) and the pre-check with Hydra's config flags."""

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy
import pytest

from sim.runners.rerun import absolute_config_path, config_flags, differences

ROOT = Path(__file__).resolve().parents[2]
RUN = ["scenario=classroom", "days=20", "output.figures=false"]


def _sim(*args, cwd):
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("rerun")
    out = root / "run"
    result = _sim(*RUN, "seed=5", f"hydra.run.dir={out}", cwd=root)
    assert result.returncode == 0, result.stderr[-2000:]
    return out


def test_summary_records_the_code_and_library_versions(run_dir):
    provenance = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))["provenance"]
    assert provenance["version"] == "0.1.0"
    assert re.fullmatch(r"[0-9a-f]{40}", provenance["git_commit"])
    assert provenance["dependencies"]["numpy"] == numpy.__version__
    assert {"mesa", "hydra-core", "optuna", "pandas"} <= set(provenance["dependencies"])


def test_rerun_reproduces_a_run_exactly(run_dir):
    again = run_dir.parent / "again"
    result = _sim("rerun", str(run_dir), "--out", str(again), "--check", cwd=run_dir.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "identical" in result.stdout
    assert differences(run_dir, again) == []
    # The comparison is not vacuous: a changed figure is found and named.
    summary = json.loads((again / "summary.json").read_text(encoding="utf-8"))
    summary["requests_arrived"] += 1
    (again / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    assert differences(run_dir, again) == [
        f"summary.json requests_arrived: {summary['requests_arrived'] - 1} -> "
        f"{summary['requests_arrived']}"]


def test_rerun_reproduces_a_sweep(tmp_path):
    sweep = tmp_path / "sweep"
    result = _sim("-m", *RUN, "seed=1,2", f"hydra.sweep.dir={sweep}", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    result = _sim("rerun", str(sweep), "--check", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    for job in ("0", "1"):
        old = json.loads((sweep / job / "summary.json").read_text(encoding="utf-8"))
        new = json.loads(
            (tmp_path / "sweep-rerun" / job / "summary.json").read_text(encoding="utf-8")
        )
        assert new["seed"] == old["seed"] and new["overrides"] == old["overrides"]


def test_rerun_reproduces_a_province_of_real_counties(tmp_path):
    out = tmp_path / "province"
    table = ROOT / "counties" / "two_counties.csv"
    result = _sim("scenario=puge", f"scenario.counties_table={table}", "days=10",
                  "output.figures=false", f"hydra.run.dir={out}", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    result = _sim("rerun", str(out), "--check", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    summary = json.loads((tmp_path / "province-rerun" / "summary.json").read_text(encoding="utf-8"))
    assert summary["counties"] == 2 and summary["townships"] == 14


def test_rerun_of_a_folder_that_is_no_run_is_one_line(tmp_path):
    result = _sim("rerun", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "neither a run folder nor a sweep folder" in lines[0]


def test_hydra_runs_from_a_run_record_with_cp_cn(run_dir):
    out = run_dir.parent / "from_record"
    relative = Path("run") / ".hydra"  # relative to the working folder, as a user types it
    result = _sim("-cp", str(relative), "-cn", "config", f"hydra.run.dir={out}",
                  cwd=run_dir.parent)
    assert result.returncode == 0, result.stderr[-2000:]
    overrides = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))["overrides"]
    # Same results; only the record of command-line overrides differs (there were none).
    assert differences(run_dir, out) == [f"summary.json overrides: {overrides!r} -> []"]


def test_precheck_composes_with_config_dir_and_searchpath(tmp_path):
    extra = tmp_path / "extra" / "scenario"
    extra.mkdir(parents=True)
    (extra / "mine.yaml").write_text("defaults:\n  - classroom\n  - _self_\nname: mine\n"
                                     "townships: 2\n", encoding="utf-8")
    for flags in (["--config-dir", str(tmp_path / "extra")],
                  [f"hydra.searchpath=[file://{tmp_path / 'extra'}]"]):
        bad = _sim(*flags, "scenario=mine", "scenario.fill_rate=3", cwd=tmp_path)
        assert bad.returncode == 2
        assert bad.stderr.strip() == ("error: scenario.fill_rate: 3.0 is not allowed; "
                                      "allowed: [0, 1] (share 0-1)")
        good = _sim(*flags, "scenario=mine", "days=3", "output.figures=false",
                    f"hydra.run.dir={tmp_path / flags[0][:6]}", cwd=tmp_path)
        assert good.returncode == 0, good.stderr[-2000:]
        summary = json.loads((tmp_path / flags[0][:6] / "summary.json").read_text(encoding="utf-8"))
        assert summary["scenario"] == "mine"


def test_config_flags_are_split_from_overrides(tmp_path):
    flags, rest = config_flags(["-cp", "a/.hydra", "--config-name=config", "-cd", str(tmp_path),
                                "seed=3", "-m"])
    assert flags["config_path"] == str(Path("a/.hydra").resolve())
    assert flags["config_name"] == "config"
    assert flags["search_paths"] == [f"file://{tmp_path}"]
    assert rest == ["seed=3", "-m"]
    assert absolute_config_path(["--config-path=x", "seed=1"]) == [
        f"--config-path={Path('x').resolve()}", "seed=1"]

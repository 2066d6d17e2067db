"""Blocks of runs in one job (sim.runners.batch): the same runs as one job each, resumable."""

import json
import subprocess
import sys

import pandas as pd
import pytest
import yaml
from omegaconf import OmegaConf

from sim.analysis.compare import load_runs
from sim.api import compose_config, make_model
from sim.measures.metrics import task_table
from sim.runners.batch import check_block, run_overrides, run_seed_block
from sim.runners.outputs import finished_summary, write_run
from sim.validate import ConfigError

BASE = ["scenario=classroom", "days=15"]


def test_run_overrides_replace_the_seed_and_drop_the_block():
    got = run_overrides(["scenario=classroom", "seed=10", "block.size=3", "+x=1"], 11)
    assert got == ["scenario=classroom", "+x=1", "seed=11"]
    assert run_overrides(["policy/pay=premium"], 4) == ["policy/pay=premium", "seed=4"]


@pytest.mark.parametrize("overrides, key", [
    (["block.size=0"], "block.size"),
    (["block.first=2"], "block.first"),  # a county scenario has no counties to start from
    (["scenario=henan_province", "block.size=10", "block.first=156"], "block.first"),
])
def test_bad_blocks_name_their_key(overrides, key):
    with pytest.raises(ConfigError) as error:
        check_block(compose_config(overrides))
    assert str(error.value).startswith(f"{key}: ")


def test_a_seed_block_gives_the_runs_of_single_jobs_and_resumes(tmp_path):
    overrides = [*BASE, "seed=5", "block.size=3", "policy/secondment=banned"]
    cfg = compose_config(overrides)
    record = run_seed_block(cfg, tmp_path, overrides)
    assert record["runs"] == [5, 6, 7] and not record["failed"]
    assert len(record["seconds"]) == 3 and all(s > 0 for s in record["cpu_seconds"])
    stages = record["cpu_stages"]
    assert all(len(stages[k]) == 3 and min(stages[k]) >= 0
               for k in ("collect", "build", "run", "write"))
    for k in range(3):  # the stages add up to no more than the run's CPU time
        assert sum(stages[s][k] for s in stages) <= record["cpu_seconds"][k] + 1e-9
    for seed in (5, 6, 7):
        folder = tmp_path / "runs" / str(seed)
        written = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        assert yaml.safe_load(
            (folder / ".hydra" / "overrides.yaml").read_text(encoding="utf-8")
        ) == [*BASE, "policy/secondment=banned", f"seed={seed}"]
        assert written["seed"] == seed and written["config"]["seed"] == seed
        model = make_model("classroom", seed=seed, days=15,
                           overrides=["policy/secondment=banned"])
        model.run()
        alone = json.loads(json.dumps(finished_summary(model, task_table(model), 0.0),
                                      allow_nan=True))
        compared = [k for k in alone if k != "runtime_seconds"]
        assert len(compared) > 40
        for key in compared:  # every measure, exactly: built once per block, run alone
            assert written[key] == alone[key], key
        lone_cfg = compose_config([*BASE, "policy/secondment=banned", f"seed={seed}"])
        assert written["config"] == OmegaConf.to_container(lone_cfg, resolve=True)
        # its .hydra record is that of its own job: python -m sim rerun reads it
        assert OmegaConf.load(folder / ".hydra" / "config.yaml") == lone_cfg
        assert not (folder / "tasks.parquet").exists()
        assert not (folder / "export").exists()  # the sweep default: no CSV/Excel
        lone = tmp_path / "lone" / str(seed)
        write_run(model, lone_cfg, lone, runtime_seconds=0.0, figures=False, export=False)
        for table in ("daily", "townships", "departments"):
            pd.testing.assert_frame_equal(pd.read_parquet(folder / f"{table}.parquet"),
                                          pd.read_parquet(lone / f"{table}.parquet"))
    stamps = [(tmp_path / "runs" / str(s) / "summary.json").stat().st_mtime_ns for s in (5, 6, 7)]
    again = run_seed_block(cfg, tmp_path, overrides)
    assert again["skipped"] == [5, 6, 7] and again["seconds"] == []
    assert stamps == [(tmp_path / "runs" / str(s) / "summary.json").stat().st_mtime_ns
                      for s in (5, 6, 7)]


def test_a_block_of_a_bad_config_fails_every_run_naming_the_key(tmp_path):
    overrides = [*BASE, "seed=0", "block.size=2"]
    cfg = compose_config(overrides)
    cfg.scenario.townships = 0
    record = run_seed_block(cfg, tmp_path, overrides)
    assert record["runs"] == [] and sorted(record["failed"]) == ["0", "1"]
    for seed in (0, 1):
        folder = tmp_path / "runs" / str(seed)
        assert (folder / "error.txt").read_text(encoding="utf-8").startswith("scenario.townships: ")
        assert not (folder / "summary.json").exists()


def test_compare_reads_the_runs_of_a_block_not_the_block(tmp_path):
    job = tmp_path / "sweep" / "0"
    (job / ".hydra").mkdir(parents=True)
    overrides = [*BASE, "seed=0", "block.size=2"]
    (job / ".hydra" / "overrides.yaml").write_text(yaml.safe_dump(overrides), encoding="utf-8")
    run_seed_block(compose_config(overrides), job, overrides)
    runs, problems = load_runs([tmp_path / "sweep"])
    assert not problems
    assert sorted(set(runs["seed"])) == [0, 1] and set(runs["group"]) == {"(defaults)"}


@pytest.mark.slow
def test_blocks_through_submitit_local_then_compare(tmp_path):
    """A cluster launcher runs each block in one process; compare sees every run."""
    sweep = tmp_path / "sweep"
    result = subprocess.run(
        [sys.executable, "-m", "sim", "-m", *BASE, "hydra/launcher=submitit_local",
         "hydra.launcher.timeout_min=10", "policy/secondment=unregulated,banned", "seed=0,2",
         "block.size=2", f"hydra.sweep.dir={sweep}"],
        capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(list(sweep.glob("[0-9]*/block.json"))) == 4
    runs, problems = load_runs([sweep])
    assert not problems
    by_group = runs.groupby("group")["seed"].apply(lambda s: sorted(set(s))).to_dict()
    assert by_group == {"policy/secondment=banned": [0, 1, 2, 3],
                        "policy/secondment=unregulated": [0, 1, 2, 3]}
    arrived = runs[runs["metric"] == "requests_arrived"].pivot(
        index="seed", columns="group", values="value")
    assert (arrived.iloc[:, 0] == arrived.iloc[:, 1]).all()  # same demand on matched seeds


@pytest.mark.slow
def test_province_parts_through_submitit_local_aggregate_as_with_the_basic_launcher(tmp_path):
    """The cluster route for ~2,800 counties: parts of a province as submitit jobs."""
    tiny = ["scenario=henan_province", "scenario.counties=3", "scenario.townships=3",
            "scenario.departments=8", "days=10", "policy/posts=henan", "seed=4",
            "block.first=0,2", "block.size=2"]
    summaries = {}
    for name, launcher in (("basic", []), ("submitit", ["hydra/launcher=submitit_local",
                                                        "hydra.launcher.timeout_min=10"])):
        sweep = tmp_path / name
        for args in (["-m", "sim", "-m", *tiny, *launcher, f"hydra.sweep.dir={sweep}"],
                     ["-m", "sim.province", "aggregate", str(sweep)]):
            result = subprocess.run([sys.executable, *args], capture_output=True, text=True,
                                    cwd=tmp_path, timeout=600)
            assert result.returncode == 0, result.stderr[-2000:]
        summaries[name] = json.loads(
            (sweep / "province" / "summary.json").read_text(encoding="utf-8"))
    basic, cluster = summaries["basic"], summaries["submitit"]
    assert basic["requests_arrived"] > 0 and len(basic["county_seeds"]) == 3
    # Wall and CPU times (the run's, the counties') differ between launchers; nothing else may.
    differing = [k for k in basic if k not in ("runtime_seconds", "county_seconds", "provenance")
                 and basic[k] != cluster[k]]
    assert differing == []


def test_a_run_of_a_block_reruns_alone_to_the_same_results(tmp_path):
    from sim.runners.rerun import main as rerun_main

    overrides = [*BASE, "seed=3", "block.size=2"]
    run_seed_block(compose_config(overrides), tmp_path / "job", overrides)
    run = tmp_path / "job" / "runs" / "4"
    assert rerun_main([str(run), "--out", str(tmp_path / "again"), "--check"]) == 0
    again = json.loads((tmp_path / "again" / "summary.json").read_text(encoding="utf-8"))
    assert again["seed"] == 4 and again["config"]["block"]["size"] == 1


def test_a_block_frees_each_model_before_the_next(tmp_path, monkeypatch):
    """The heap is frozen before each run: a model still referenced then would never be freed."""
    import gc
    import weakref

    import sim.runners.batch as batch

    built = []
    real = batch.block_builder

    def watched(cfg):
        build = real(cfg)

        def build_and_watch(seed):
            model = build(seed)
            built.append(weakref.ref(model))
            return model
        return build_and_watch

    monkeypatch.setattr(batch, "block_builder", watched)
    overrides = [*BASE, "seed=0", "block.size=3"]
    try:
        run_seed_block(compose_config(overrides), tmp_path, overrides)
        assert len(built) == 3
        assert [ref() is None for ref in built[:2]] == [True, True]
    finally:
        gc.unfreeze()

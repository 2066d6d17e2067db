"""Several runs in one job: a block of seeds, or a block of a province's counties.

A cluster launcher (submitit, Ray) starts one process per Hydra job, and a process spends about
two seconds importing Mesa, pandas, Numba's cached kernels and Hydra before the first simulated
day, ten times a ``typical_county`` year. With ``block.size=N`` a job runs N models one after
the other in its process, so those costs are paid once per block:

- a county scenario runs seeds ``seed`` to ``seed + N - 1``; sweep the block starts::

      python -m sim -m 'seed=range(0,1000,50)' block.size=50 hydra/launcher=submitit_slurm

  Each run is written, whole or not at all, as an ordinary run into ``JOB/runs/SEED/`` with its
  own ``.hydra/overrides.yaml`` (the job's overrides with ``seed=SEED`` and without ``block.*``),
  so ``python -m sim.compare`` groups and pairs them exactly as if each had been its own job.
  Re-running the sweep skips the runs already done; a run that fails writes ``error.txt`` in its
  folder and the block goes on.
- a province (``scenario.counties > 1``) runs counties ``block.first`` to
  ``block.first + N - 1`` (:func:`sim.runners.province.run_county`, the same code and county
  seeds as the local province run) and writes them as a part (``part.pkl`` with the counties'
  aggregates, ``tasks.parquet/`` with their resolution times); sweep the parts and aggregate::

      python -m sim -m scenario=china_counties 'block.first=range(0,2843,200)' block.size=200
      python -m sim.province aggregate multirun/DATE_TIME

Every job writes ``block.json`` (which runs it holds, their wall and CPU seconds in the process,
the CPU seconds of each run's freeing of the last model, build, simulation and writing, which
failed); its presence marks
the job folder as a container, not a run.
"""

from __future__ import annotations

import gc
import json
import os
import pickle
import shutil
import tempfile
import time
from pathlib import Path

import yaml
from omegaconf import DictConfig

from sim.validate import ConfigError

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

BLOCK_FILE = "block.json"
PART_FILE = "part.pkl"
RUNS_DIR = "runs"


def check_block(cfg: DictConfig) -> None:
    """Raise :class:`ConfigError` naming ``block.size`` or ``block.first`` when out of range."""
    size, first = int(cfg.block.size), int(cfg.block.first)
    counties = int(cfg.scenario.counties)
    if size < 1:
        raise ConfigError("block.size", f"{size}: must be at least 1")
    if counties > 1:
        if not 0 <= first < counties:
            raise ConfigError("block.first", f"{first}: must be a county of the province, "
                              f"0 to {counties - 1}")
    elif first != 0:
        raise ConfigError("block.first", f"{first}: only a province (scenario.counties > 1) "
                          "runs a block of counties; a county scenario's block starts at seed")


def run_overrides(overrides: list[str], seed: int) -> list[str]:
    """A block's overrides as those of one of its runs: ``seed=SEED``, no ``block.*``."""
    kept = [o for o in overrides if not o.lstrip("+~").startswith(("seed=", "block."))]
    return [*kept, f"seed={seed}"]


def _done(folder: Path, overrides: list[str]) -> dict | None:
    """The summary of a finished run of these overrides in ``folder``, or None."""
    try:
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return summary if summary.get("overrides") == overrides else None


def block_builder(cfg: DictConfig):
    """A function ``seed -> model`` for runs of ``cfg`` that differ only in their seed.

    The config is validated and turned into dataclasses once (about 20 ms a run saved); each
    run gets its own deep copy of the scenario and policy objects, so that nothing a model
    changes in them carries over to the next run. The models are those of
    :func:`sim.api.build_model` on ``cfg`` with ``seed=SEED`` (``tests/runners/test_batch.py``).

    Raises:
        ConfigError: naming the bad key, when ``cfg`` does not validate.
    """
    import copy

    from sim.api import typed
    from sim.config import field_spec
    from sim.model import CountyWorkload
    from sim.policies.posts import PlanError
    from sim.validate import check_value, validate

    validate(cfg)
    config = typed(cfg)
    seed_spec = field_spec("seed")

    def build(seed: int):
        check_value("seed", seed, seed_spec)
        try:
            return CountyWorkload(scenario=copy.deepcopy(config.scenario),
                                  policy=copy.deepcopy(config.policy), days=config.days,
                                  seed=seed)
        except PlanError as error:
            raise ConfigError(error.key, str(error).split(": ", 1)[1]) from None

    return build


def _fresh_heap() -> None:
    """Free the last model, then freeze what is left (imports): collections skip it later."""
    gc.collect()
    gc.freeze()


def run_seed_block(cfg: DictConfig, out_dir: Path, overrides: list[str], *,
                   figures: bool = False, tables: bool = True, tasks: bool = False,
                   export: bool = False) -> dict:
    """Run seeds ``cfg.seed`` to ``cfg.seed + cfg.block.size - 1`` of a county scenario.

    Args:
        cfg: The job's composed config (validated once; every run differs only in its seed).
        out_dir: The job's folder; run ``s`` is written to ``out_dir/runs/s``.
        overrides: The job's Hydra overrides.
        figures: Draw each run's figures.
        tables: Write each run's daily and township tables.
        tasks: Write each run's task table.
        export: Write each run's CSV files and Excel workbook.

    Returns:
        The block record (also written to ``block.json``).
    """
    from omegaconf import OmegaConf

    from sim.runners.outputs import write_run

    out_dir = Path(out_dir)
    seeds = [int(cfg.seed) + k for k in range(int(cfg.block.size))]
    runs_dir = out_dir / RUNS_DIR
    plans = []
    for seed in seeds:  # every run's folder first: a block cut short leaves them "incomplete"
        folder = runs_dir / str(seed)
        (folder / ".hydra").mkdir(parents=True, exist_ok=True)
        mine = run_overrides(overrides, seed)
        (folder / ".hydra" / "overrides.yaml").write_text(
            "".join(f"- {o}\n" for o in mine), encoding="utf-8"
        )
        plans.append((seed, folder, mine))
    record = {"kind": "seeds", "overrides": list(overrides), "runs": [], "seconds": [],
              "cpu_seconds": [],
              "cpu_stages": {"collect": [], "build": [], "run": [], "write": []},
              "failed": {}, "skipped": []}
    _write_json(out_dir / BLOCK_FILE, {**record, "status": "running"})
    run_cfg = cfg.copy()
    try:
        build = block_builder(cfg)
    except ConfigError as error:  # every run of the block has this config: each fails
        build, invalid = None, error
    # Each run's config as its own job would have it (its seed, no block): recorded in its
    # summary.json and .hydra/config.yaml (python -m sim rerun JOB/runs/SEED), resolved once.
    resolved = OmegaConf.to_container(cfg, resolve=True)
    resolved["block"] = {**resolved["block"], "size": 1, "first": 0}
    for seed, folder, mine in plans:
        if _done(folder, mine) is not None:
            record["skipped"].append(seed)
            record["runs"].append(seed)
            continue
        started, cpu = time.perf_counter(), time.process_time()
        model = None  # the last run's model, freed before the heap is frozen (else it leaks)
        _fresh_heap()
        collected = time.process_time()
        run_cfg.seed = seed
        try:
            if build is None:
                raise invalid
            model = build(seed)
            built = time.process_time()
            model.run()
            ran = time.process_time()
            config = {**resolved, "seed": seed}
            (folder / ".hydra" / "config.yaml").write_text(
                yaml.dump(config, Dumper=_Dumper, sort_keys=False, allow_unicode=True),
                encoding="utf-8")
            write_run(model, run_cfg, folder, runtime_seconds=time.perf_counter() - started,
                      tables=tables, figures=figures, overrides=mine, tasks_table=tasks,
                      export=export, config=config)
            model.close()
        except Exception as error:  # noqa: BLE001 - one failed run must not stop the block
            message = str(error) if isinstance(error, ConfigError) else (
                f"{type(error).__name__}: {error}")
            (folder / "error.txt").write_text(message.splitlines()[0] + "\n", encoding="utf-8")
            record["failed"][str(seed)] = message.splitlines()[0]
            continue
        (folder / "error.txt").unlink(missing_ok=True)
        record["runs"].append(seed)
        ended = time.process_time()
        record["seconds"].append(time.perf_counter() - started)
        record["cpu_seconds"].append(ended - cpu)
        for key, value in (("collect", collected - cpu), ("build", built - collected),
                           ("run", ran - built), ("write", ended - ran)):
            record["cpu_stages"][key].append(value)
    record["status"] = "done"
    _write_json(out_dir / BLOCK_FILE, record)
    return record


def run_county_block(cfg: DictConfig, out_dir: Path, overrides: list[str]) -> dict:
    """Run counties ``block.first`` .. ``block.first + block.size - 1`` of a province as a part.

    Writes ``part.pkl`` (the counties' :class:`~sim.runners.province.CountyResult`, task paths
    relative to the job folder) and ``tasks.parquet/`` (their task rows: every column with
    ``output.tables``, else the resolution times of resolved requests only), whole or not at all.

    Returns:
        The block record (also written to ``block.json``).
    """
    from sim.api import typed
    from sim.runners.province import province_configs, run_county

    out_dir = Path(out_dir)
    counties = int(cfg.scenario.counties)
    first = int(cfg.block.first)
    mine = list(range(first, min(first + int(cfg.block.size), counties)))
    record = {"kind": "counties", "overrides": list(overrides), "counties": mine,
              "province_counties": counties, "seconds": []}
    try:
        previous = json.loads((out_dir / BLOCK_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        previous = {}
    if (out_dir / PART_FILE).exists() and previous.get("overrides") == list(overrides):
        return previous  # resumed: this part is done
    configs, _ = province_configs(typed(cfg))  # every part makes the province pool's same plan
    stage = Path(tempfile.mkdtemp(prefix=".partial-", dir=out_dir))
    try:
        (stage / "tasks.parquet").mkdir()
        if cfg.output.tables:
            (stage / "townships.parquet").mkdir()
        results = []
        for county in mine:
            result = run_county(configs[county], county, str(stage), bool(cfg.output.tables))
            result.tasks_path = str(Path(result.tasks_path).relative_to(stage))
            record["seconds"].append(result.worker_seconds)
            results.append(result)
        with open(stage / PART_FILE, "wb") as f:
            pickle.dump(results, f, protocol=pickle.HIGHEST_PROTOCOL)
        record["status"] = "done"
        _write_json(stage / BLOCK_FILE, record)
        for entry in sorted(stage.iterdir(), key=lambda p: p.name == PART_FILE):
            target = out_dir / entry.name
            if target.is_dir():
                shutil.rmtree(target)
            os.replace(entry, target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return record


def load_part(folder: Path) -> list:
    """The county results of a part written by :func:`run_county_block`, paths made absolute."""
    with open(Path(folder) / PART_FILE, "rb") as f:
        results = pickle.load(f)  # noqa: S301 - our own output, read back by our own code
    for result in results:
        result.tasks_path = str(Path(folder) / result.tasks_path)
    return results


def run_block(cfg: DictConfig, out_dir: Path, overrides: list[str], *, sweeping: bool) -> dict:
    """Run the job's block (seeds of a county, or counties of a province); see the module doc."""
    check_block(cfg)
    if int(cfg.scenario.counties) > 1:
        return run_county_block(cfg, out_dir, overrides)
    figures = cfg.output.figures if cfg.output.figures is not None else not sweeping
    tasks = cfg.output.tasks if cfg.output.tasks is not None else not sweeping
    export = cfg.output.export if cfg.output.export is not None else not sweeping
    return run_seed_block(cfg, out_dir, overrides, figures=bool(figures),
                          tables=bool(cfg.output.tables), tasks=bool(tasks),
                          export=bool(export))


def block_objective(record: dict, out_dir: Path, key: str) -> float | None:
    """Mean of ``key`` over a seed block's finished runs (what the job returns to Hydra)."""
    if record.get("kind") != "seeds":
        return None
    values = []
    for seed in record["runs"]:
        try:
            value = json.loads((Path(out_dir) / RUNS_DIR / str(seed) / "summary.json")
                               .read_text(encoding="utf-8")).get(key)
        except (OSError, ValueError):
            continue
        if isinstance(value, int | float):
            values.append(float(value))
    return sum(values) / len(values) if values else None


def _write_json(path: Path, data: dict) -> None:
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1)
    os.replace(temp, path)


__all__ = ["BLOCK_FILE", "PART_FILE", "check_block", "load_part", "run_block",
           "run_county_block", "run_seed_block", "run_overrides"]

"""The command line: ``python -m sim [overrides]`` runs one scenario, ``-m`` runs a sweep.

Before Hydra starts, :func:`precheck` composes the requested config (each value of a sweep in
turn) and validates it, so that bad input stops with one line naming the key and a non-zero
exit, before any work and without a traceback. Inside a sweep, a job that fails writes
``error.txt`` and returns; the other jobs go on. A job whose folder already holds a
``summary.json`` from the same overrides is skipped, so re-running a sweep resumes it.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.types import RunMode
from omegaconf import DictConfig

from sim.api import CONFIG_DIR, build_model
from sim.runners.outputs import print_summary, write_run
from sim.runners.province import is_province, run_province
from sim.runners.rerun import absolute_config_path, compose_with, config_flags, with_schema
from sim.runners.rerun import main as rerun_main
from sim.validate import ConfigError

log = logging.getLogger("sim")
HYDRA_FLAGS = ("-h", "--help", "--hydra-help", "--info", "-i", "--cfg", "-c", "--version",
               "--shell-completion", "-sc", "--resolve", "-p", "--package")


def _one_line(error: Exception) -> str:
    """Turn a composition or validation error into one line that starts with the key."""
    text = str(error)
    cause = str(error.__cause__ or "")
    missing = re.search(r"Could not find '([^']+)/([^'/]+)'", text) or re.search(
        r"Could not find '([^'/]+)'", text)
    if missing and missing.re.groups == 2:
        options = re.findall(r"^\t(\w+)$", text, flags=re.M)
        choose = f"; choose from {', '.join(options)}" if options else ""
        return f"{missing.group(1)}={missing.group(2)}: unknown preset{choose}"
    full_key = re.search(r"full_key: (\S+)", cause)
    if full_key and cause.startswith("Key "):
        return f"{full_key.group(1)}: no such key (check the spelling; see configs/)"
    if full_key:
        return f"{full_key.group(1)}: {cause.splitlines()[0]}"
    return text.strip().splitlines()[0] if text.strip() else type(error).__name__


def _override_sets(args: list[str]) -> list[list[str]]:
    """Override lists to check: each sweep's values in turn, the others at their first value."""
    parsed = OverridesParser.create().parse_overrides(args)
    firsts, choices = [], []
    for override in parsed:
        if override.is_sweep_override():
            values = list(override.sweep_string_iterator())
            firsts.append(f"{override.get_key_element()}={values[0]}")
            if override.key_or_group != "seed":
                choices.append((len(firsts) - 1, override.get_key_element(), values[1:]))
        else:
            firsts.append(override.input_line)
    sets = [firsts]
    for index, key, values in choices:
        for value in values:
            sets.append([*firsts[:index], f"{key}={value}", *firsts[index + 1:]])
    return sets


def precheck(argv: list[str]) -> str | None:
    """Return a one-line error for bad overrides in ``argv``, or None when they are fine."""
    if any(a in HYDRA_FLAGS for a in argv):
        return None
    flags, argv = config_flags(argv)  # -cp/-cn/--config-dir, composed as Hydra will
    args = [a for a in argv if not a.startswith("-")]
    try:
        for overrides in _override_sets(args):
            cfg = compose_with(flags, overrides)  # keeps hydra.searchpath, drops other hydra.*
            build_model(cfg)
    except Exception as error:  # noqa: BLE001 - every failure becomes one line
        return _one_line(error)
    return None


def _same_job_done(out_dir: Path, overrides: list[str]) -> bool:
    """Whether ``out_dir`` already holds a complete run of these overrides (resume)."""
    summary = out_dir / "summary.json"
    if not summary.exists():
        return False
    try:
        return json.loads(summary.read_text()).get("overrides") == overrides
    except (OSError, ValueError):
        return False


@hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="config")
def run(cfg: DictConfig) -> float | None:
    """Run one job: build, simulate, write outputs; return ``output.objective`` of the summary."""
    logging.getLogger("MESA").setLevel(logging.WARNING)  # Mesa logs every step at INFO
    hydra_cfg = HydraConfig.get()
    out_dir = Path(hydra_cfg.runtime.output_dir)
    sweeping = hydra_cfg.mode == RunMode.MULTIRUN
    error_file = out_dir / "error.txt"
    overrides = list(hydra_cfg.overrides.task)
    if sweeping and _same_job_done(out_dir, overrides):
        log.info("already done, skipped: %s", out_dir)
        return json.loads((out_dir / "summary.json").read_text())[cfg.output.objective]
    started = time.perf_counter()
    cfg = with_schema(cfg)  # a config read from a run's .hydra/ (-cp DIR/.hydra) has no types
    try:
        if is_province(cfg):  # a province: one model per county, in parallel
            summary = run_province(cfg, out_dir, overrides=overrides, progress=(
                cfg.output.progress and sys.stderr.isatty() and not sweeping))
        else:
            model = build_model(cfg)
            model.run(progress=cfg.output.progress and sys.stderr.isatty() and not sweeping)
            summary = write_run(model, cfg, out_dir,
                                runtime_seconds=time.perf_counter() - started,
                                tables=cfg.output.tables, figures=cfg.output.figures,
                                overrides=overrides)
            model.close()
    except Exception as error:  # noqa: BLE001 - a failed job must not stop the sweep
        message = str(error) if isinstance(error, ConfigError) else (
            f"{type(error).__name__}: {error}")
        error_file.write_text(message.splitlines()[0] + "\n")
        if not sweeping:
            print(f"error: {message.splitlines()[0]}", file=sys.stderr)
            sys.exit(2 if isinstance(error, ConfigError) else 1)
        log.error("job failed: %s", message)
        return None
    if error_file.exists():
        error_file.unlink()
    if not sweeping:
        print_summary(summary, out_dir)
    return summary[cfg.output.objective]


def main() -> None:
    """Entry point of ``python -m sim``: precheck the overrides, then hand over to Hydra.

    ``python -m sim rerun DIR`` reproduces a run or a sweep from its folder (:mod:`.rerun`).
    """
    if sys.argv[1:2] == ["rerun"]:
        sys.exit(rerun_main(sys.argv[2:]))
    sys.argv[1:] = absolute_config_path(sys.argv[1:])
    problem = precheck(sys.argv[1:])
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        sys.exit(2)
    run()

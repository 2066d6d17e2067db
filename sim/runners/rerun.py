"""Reproducing a run, or a whole sweep, from its own folder: ``python -m sim rerun DIR``.

Every run folder holds Hydra's record of the composed config (``.hydra/config.yaml``) and of
the overrides (``.hydra/overrides.yaml``); ``summary.json`` records the code and library
versions the run was made with (:func:`provenance`: package version, git commit when the code
is a git checkout, versions of the key dependencies). A rerun builds the model from the recorded
config itself, not from the config files as they are now, so it gives the same results even
after the scenario files have changed; with ``--check`` it compares the new results with the
old ones (every ``summary.json`` value but the wall time and provenance, and every Parquet
table) and exits 1 when they differ, naming what differs. A sweep folder (a Hydra multirun
folder, one job folder each) is rerun job by job into the same layout.

The same recorded config also runs through Hydra itself::

    python -m sim -cp outputs/RUN/.hydra -cn config hydra.run.dir=outputs/RUN-again

(:func:`with_schema` types such a config; :func:`config_flags` lets the pre-check compose it,
as it does with ``--config-dir DIR`` and ``hydra.searchpath=[...]``).
"""

from __future__ import annotations

import argparse
import functools
import importlib.metadata
import json
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
from omegaconf import DictConfig, OmegaConf

#: Dependencies whose versions a run records (they decide its numbers or its files).
KEY_DEPENDENCIES = ("mesa", "numpy", "numba", "pandas", "pyarrow", "scipy", "hydra-core",
                    "omegaconf", "optuna", "openpyxl", "matplotlib")
PROJECT_DIR = Path(__file__).resolve().parents[2]
#: ``summary.json`` keys (and table columns) that legitimately differ between a run and its
#: rerun: wall times and the versions record.
NOT_COMPARED = ("runtime_seconds", "worker_seconds", "provenance")


def _version(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


@functools.cache
def provenance() -> dict:
    """What made this run: package, code and library versions.

    Returns the package version, the git commit and whether tracked files were edited (None
    outside a git checkout), Python's version and the key dependencies' versions.
    """
    commit, dirty = None, None
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_DIR, check=True,
                                capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                                    cwd=PROJECT_DIR, check=True, capture_output=True, text=True,
                                    timeout=10).stdout.strip())
    except (OSError, subprocess.SubprocessError):
        pass
    return {
        "package": "xiaoma",
        "version": _version("xiaoma"),
        "git_commit": commit or None,
        "git_dirty": dirty,
        "python": platform.python_version(),
        "dependencies": {name: _version(name) for name in KEY_DEPENDENCIES},
    }


def with_schema(cfg: DictConfig) -> DictConfig:
    """``cfg`` typed by the config schema (a config loaded from a run's ``.hydra/`` has no types).

    A config composed from ``configs/`` is returned as it is.
    """
    from sim.config import Config

    if OmegaConf.get_type(cfg) is Config:
        return cfg
    return OmegaConf.merge(OmegaConf.structured(Config), cfg)


# -- the pre-check's view of Hydra's config flags --------------------------------------------

CONFIG_PATH_FLAGS = ("-cp", "--config-path")
CONFIG_NAME_FLAGS = ("-cn", "--config-name")
CONFIG_DIR_FLAGS = ("-cd", "--config-dir")


def config_flags(argv: list[str]) -> tuple[dict, list[str]]:
    """Split Hydra's config flags from the overrides in ``argv``.

    Returns:
        ``({"config_path", "config_name", "search_paths"}, rest)``: the primary config folder
        (absolute, or None for ``configs/``), the config name (None for ``config``), extra
        search paths from ``--config-dir`` (as ``file://`` URLs), and the remaining arguments.
    """
    flags = {"config_path": None, "config_name": None, "search_paths": []}
    rest, i = [], 0
    while i < len(argv):
        arg = argv[i]
        name, _, value = arg.partition("=")
        if name in (*CONFIG_PATH_FLAGS, *CONFIG_NAME_FLAGS, *CONFIG_DIR_FLAGS):
            if not value:
                i += 1
                value = argv[i] if i < len(argv) else ""
            if name in CONFIG_PATH_FLAGS:
                flags["config_path"] = str(Path(value).expanduser().resolve())
            elif name in CONFIG_NAME_FLAGS:
                flags["config_name"] = value
            else:
                flags["search_paths"].append(f"file://{Path(value).expanduser().resolve()}")
        else:
            rest.append(arg)
        i += 1
    return flags, rest


def absolute_config_path(argv: list[str]) -> list[str]:
    """``argv`` with a relative ``-cp``/``--config-path`` made absolute from the working folder.

    Hydra reads a relative config path from the folder of the code declaring ``@hydra.main``
    (``sim/runners/``), which no user means.
    """
    out, i = [], 0
    while i < len(argv):
        arg = argv[i]
        name, eq, value = arg.partition("=")
        if name in CONFIG_PATH_FLAGS:
            if not eq:
                out.append(arg)
                i += 1
                value = argv[i] if i < len(argv) else ""
                out.append(str(Path(value).expanduser().resolve()) if value else value)
            else:
                out.append(f"{name}={Path(value).expanduser().resolve()}")
        else:
            out.append(arg)
        i += 1
    return out


def compose_with(flags: dict, overrides: list[str]) -> DictConfig:
    """Compose a config as ``python -m sim`` would with these config flags and overrides.

    ``hydra.searchpath=[...]`` among ``overrides`` and ``--config-dir`` folders are search paths
    (where ``scenario=NAME`` and other groups are also looked for).
    """
    from hydra import compose, initialize_config_dir

    from sim.api import CONFIG_DIR, HYDRA_LOCK

    paths = []
    for override in overrides:
        if override.startswith("hydra.searchpath="):
            listed = override.split("=", 1)[1].strip().strip("[]")
            paths.extend(p.strip().strip("'\"") for p in listed.split(",") if p.strip())
    paths.extend(flags["search_paths"])
    rest = [o for o in overrides if not o.startswith(("hydra.", "hydra/"))]
    search = [f"hydra.searchpath=[{','.join(paths)}]"] if paths else []
    with HYDRA_LOCK, initialize_config_dir(config_dir=flags["config_path"] or str(CONFIG_DIR),
                                           version_base="1.3"):
        cfg = compose(flags["config_name"] or "config", overrides=[*search, *rest])
    return with_schema(cfg)


# -- rerunning a folder ------------------------------------------------------------------------


def recorded_config(run_dir: Path) -> tuple[DictConfig, list[str]]:
    """The config a run was made with (typed) and its overrides, from its ``.hydra`` record."""
    record = Path(run_dir) / ".hydra"
    if not (record / "config.yaml").is_file():
        raise FileNotFoundError(f"{run_dir}: no .hydra/config.yaml (not a run folder)")
    cfg = with_schema(OmegaConf.load(record / "config.yaml"))
    overrides = (list(OmegaConf.load(record / "overrides.yaml"))
                 if (record / "overrides.yaml").is_file() else [])
    return cfg, [str(o) for o in overrides]


def job_folders(folder: Path) -> list[Path]:
    """The run folders under ``folder``: itself when it is a run, else its jobs in job order."""
    folder = Path(folder)
    if (folder / ".hydra" / "config.yaml").is_file():
        return [folder]
    jobs = [p for p in folder.iterdir() if (p / ".hydra" / "config.yaml").is_file()]
    jobs.sort(key=lambda p: (not p.name.isdigit(), int(p.name) if p.name.isdigit() else 0,
                             p.name))
    if not jobs:
        raise FileNotFoundError(f"{folder}: neither a run folder nor a sweep folder (no "
                                ".hydra/config.yaml in it or in its subfolders)")
    return jobs


def rerun_one(run_dir: Path, out_dir: Path) -> dict:
    """Run again what ``run_dir`` holds, from its recorded config, into ``out_dir``."""
    from sim.api import build_model
    from sim.runners.outputs import write_run
    from sim.runners.province import is_province, run_province

    cfg, overrides = recorded_config(run_dir)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    shutil.copytree(Path(run_dir) / ".hydra", out_dir / ".hydra", dirs_exist_ok=True)
    started = time.perf_counter()
    if is_province(cfg):
        return run_province(cfg, out_dir, overrides=overrides)
    model = build_model(cfg)
    model.run()
    summary = write_run(model, cfg, out_dir, runtime_seconds=time.perf_counter() - started,
                        tables=cfg.output.tables, figures=cfg.output.figures,
                        overrides=overrides)
    model.close()
    return summary


def differences(old_dir: Path, new_dir: Path) -> list[str]:
    """What differs between two run folders' results (empty: reproduced exactly)."""
    old = json.loads((Path(old_dir) / "summary.json").read_text(encoding="utf-8"))
    new = json.loads((Path(new_dir) / "summary.json").read_text(encoding="utf-8"))
    found = [f"summary.json {key}: {old.get(key)!r} -> {new.get(key)!r}"
             for key in sorted(set(old) | set(new))
             if key not in NOT_COMPARED and old.get(key) != new.get(key)]
    for path in sorted(Path(old_dir).glob("*.parquet")):
        other = Path(new_dir) / path.name
        if not other.exists():
            found.append(f"{path.name}: missing in the rerun")
            continue
        a, b = (pd.read_parquet(p) for p in (path, other))
        a, b = (df.drop(columns=[c for c in df if c in NOT_COMPARED]) for df in (a, b))
        if not a.equals(b):
            found.append(f"{path.name}: tables differ")
    return found


def rerun(folder: Path, out: Path | None = None, *, check: bool = False) -> list[str]:
    """Rerun a run or every job of a sweep; return the differences found (``check``)."""
    folder = Path(folder)
    out = Path(out) if out else folder.parent / f"{folder.name}-rerun"
    jobs = job_folders(folder)
    found = []
    for job in jobs:
        target = out if job == folder else out / job.name
        rerun_one(job, target)
        if check:
            found.extend(f"{job.name}: {d}" for d in differences(job, target))
    return found


def main(argv: list[str] | None = None) -> int:
    """``python -m sim rerun DIR [--out OUT] [--check]``."""
    parser = argparse.ArgumentParser(
        prog="python -m sim rerun",
        description="Reproduce a run or a whole sweep from its folder (its .hydra record).")
    parser.add_argument("folder", type=Path, help="a run folder, or a sweep (multirun) folder")
    parser.add_argument("--out", type=Path, default=None,
                        help="where to write (default: FOLDER-rerun beside it)")
    parser.add_argument("--check", action="store_true",
                        help="compare with the original results; exit 1 if anything differs")
    args = parser.parse_args(argv)
    from sim.validate import ConfigError

    try:
        found = rerun(args.folder, args.out, check=args.check)
    except (FileNotFoundError, ConfigError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    out = args.out or args.folder.parent / f"{args.folder.name}-rerun"
    print(f"rerun written to {out}")
    if args.check:
        if found:
            print("differences:\n  " + "\n  ".join(found))
            return 1
        print("identical: every summary.json value (but runtime and provenance) and every "
              "Parquet table")
    return 0

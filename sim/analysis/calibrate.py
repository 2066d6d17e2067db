"""Calibration: fit uncertain parameters so that a county's simulated figures match observed ones.

A user writes what they observed (hours shares from a time-use survey, the hotline's resolution
time and on-time rate, overtime, secondees, requests a year...) and which parameters are
uncertain, with ranges, in one YAML file::

    scenario: baotou_kexuelu            # a scenario (or a county from tables)
    overrides: [policy/secondment=unregulated]
    days: 365
    seeds: [1, 2, 3, 4, 5]              # the same seeds for every trial (common random numbers)
    check_seeds: 20                     # seeds for the final report of the fitted values
    trials: 40                          # Optuna trials
    observed:                           # summary.json keys (nested ones as a.b) and figures
      secondments_active_mean: {value: 4, sd: 1, source: "seed 003"}
    parameters:                         # config keys; low/high default to declared ranges
      scenario.projects_per_department_year: {low: 0.0, high: 0.3}

and runs ``python -m sim.calibrate FILE.yaml [--out DIR] [--trials N] [--jobs N]``. Each trial
runs every seed with the trial's values (Optuna's TPE sampler, seeded) and scores the mean
over seeds against each observed value in units of its ``sd``: the sum of squared z-scores.
The fitted values are then run on ``check_seeds`` fresh seeds, and the report gives, for each
target, the observed value against the simulated mean with its 95% t interval and the 2.5-97.5%
range over seeds. Written, whole or not at all, into ``--out`` (default
``experiments/calibration/NAME``): ``fit.csv``, ``parameters.csv``, ``trials.csv``,
``calibration.json`` (all of it, with code and library versions), ``fit.png``, ``RESULTS.md``.

Bad input stops before any run with one line naming the file and key, exit 2, nothing written.
A parameter's range comes from the file or else from :func:`declared_range` (one function:
the single place to point at the config's declared ranges).
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from omegaconf import OmegaConf
from scipy import stats

SPEC_KEYS = {"name", "description", "scenario", "overrides", "days", "seeds", "check_seeds",
             "trials", "sampler_seed", "observed", "parameters"}


class SpecError(ValueError):
    """A calibration file that cannot be used; the message names the file and key."""


def declared_range(key: str) -> tuple[float, float] | None:
    """The plausible range of a config parameter, where the project declares one.

    The one place calibration takes default ranges from: each field's one declaration
    (:func:`sim.config.plausible_ranges`, as on the assumptions page); None when nothing is
    declared.
    """
    from sim.config import plausible_ranges

    declared = plausible_ranges().get(key)
    return None if declared is None else (float(declared[0]), float(declared[1]))


@dataclass
class Target:
    """An observed figure: a key of ``summary.json`` (nested as ``a.b``), its value and sd."""

    key: str
    value: float
    sd: float
    source: str = ""


@dataclass
class Spec:
    """A calibration problem read from its YAML file."""

    path: str
    name: str
    scenario: str
    overrides: list[str]
    days: int
    seeds: list[int]
    check_seeds: list[int]
    trials: int
    sampler_seed: int
    targets: list[Target]
    parameters: dict[str, tuple[float, float]]
    description: str = ""
    integers: set[str] = field(default_factory=set)


def lookup(summary: dict, key: str) -> float:
    """``summary[key]``, with ``a.b`` reaching into nested dicts; NaN when absent or not set."""
    node = summary
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return math.nan
        node = node[part]
    return float(node) if isinstance(node, int | float) and node is not None else math.nan


def measurable(summary: dict, prefix: str = "") -> list[str]:
    """Every numeric key of a summary (nested ones as ``a.b``): what a target may name."""
    keys = []
    for key, value in summary.items():
        if isinstance(value, dict):
            keys.extend(measurable(value, f"{prefix}{key}."))
        elif isinstance(value, int | float) and not isinstance(value, bool):
            keys.append(f"{prefix}{key}")
    return keys


def _fail(path, key, message) -> SpecError:
    return SpecError(f"{path}: {key}: {message}")


def _number(path, key, value, *, positive=False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail(path, key, f"must be a number (got {value!r})")
    if positive and value <= 0:
        raise _fail(path, key, f"must be positive (got {value})")
    return float(value)


def read_spec(path: str | Path) -> Spec:
    """Read and check a calibration file; raise :class:`SpecError` naming the file and key.

    Checks the file's shape, then composes the scenario (with every parameter at both ends of
    its range) and builds it, and runs it one day to list what the runs measure: a target no
    output measures is rejected here, before any trial.
    """
    from sim.api import build_model, compose_config
    from sim.measures.metrics import summarize
    from sim.validate import ConfigError

    path = Path(path)
    if not path.is_file():
        raise SpecError(f"{path}: no such file")
    try:
        raw = OmegaConf.to_container(OmegaConf.load(path), resolve=True)
    except Exception as error:  # noqa: BLE001 - any YAML problem becomes one line
        raise SpecError(f"{path}: not valid YAML ({str(error).splitlines()[0]})") from None
    if not isinstance(raw, dict):
        raise SpecError(f"{path}: must be a mapping of keys (see sim/analysis/calibrate.py)")
    for key in raw:
        if key not in SPEC_KEYS:
            raise _fail(path, key, f"unknown key; allowed: {', '.join(sorted(SPEC_KEYS))}")
    for key in ("scenario", "observed", "parameters"):
        if key not in raw:
            raise _fail(path, key, "missing (required)")
    overrides = [str(o) for o in raw.get("overrides") or []]
    days = int(_number(path, "days", raw.get("days", 365), positive=True))
    seeds = raw.get("seeds", [1, 2, 3, 4, 5])
    if not isinstance(seeds, list) or not seeds or not all(isinstance(s, int) for s in seeds):
        raise _fail(path, "seeds", f"must be a non-empty list of whole numbers (got {seeds!r})")
    check = raw.get("check_seeds", 20)
    if isinstance(check, int) and not isinstance(check, bool):
        if check < 2:
            raise _fail(path, "check_seeds", f"must be at least 2 (got {check})")
        check = [max(seeds) + 1000 + i for i in range(check)]  # fresh seeds, not the fit's
    if not isinstance(check, list) or len(check) < 2:
        raise _fail(path, "check_seeds", "must be a count (>= 2) or a list of seeds")
    trials = int(_number(path, "trials", raw.get("trials", 40), positive=True))
    targets = []
    if not isinstance(raw["observed"], dict) or not raw["observed"]:
        raise _fail(path, "observed", "must map output keys to {value, sd, source}")
    for key, entry in raw["observed"].items():
        where = f"observed.{key}"
        if not isinstance(entry, dict) or "value" not in entry or "sd" not in entry:
            raise _fail(path, where, "must give value and sd (and optionally source)")
        targets.append(Target(str(key), _number(path, f"{where}.value", entry["value"]),
                              _number(path, f"{where}.sd", entry["sd"], positive=True),
                              str(entry.get("source", ""))))
    parameters = {}
    if not isinstance(raw["parameters"], dict) or not raw["parameters"]:
        raise _fail(path, "parameters", "must map config keys to {low, high}")
    for key, entry in raw["parameters"].items():
        where = f"parameters.{key}"
        entry = entry or {}
        declared = declared_range(str(key))
        if not isinstance(entry, dict):
            raise _fail(path, where, "must be {low, high} (or empty for the declared range)")
        if ("low" not in entry or "high" not in entry) and declared is None:
            raise _fail(path, where, "no low/high given and no declared range for this key")
        low = _number(path, f"{where}.low", entry.get("low", declared[0] if declared else 0))
        high = _number(path, f"{where}.high", entry.get("high", declared[1] if declared else 0))
        if not low < high:
            raise _fail(path, where, f"low must be below high (got {low} and {high})")
        parameters[str(key)] = (low, high)
    spec = Spec(path=str(path), name=str(raw.get("name", path.stem)), scenario=str(raw["scenario"]),
                overrides=overrides, days=days, seeds=[int(s) for s in seeds],
                check_seeds=[int(s) for s in check], trials=trials,
                sampler_seed=int(raw.get("sampler_seed", 0)), targets=targets,
                parameters=parameters, description=str(raw.get("description", "")))
    # Compose and build at both ends of every range: a bad key or value stops here.
    for end in (None, 0, 1):
        try:
            values = {} if end is None else {k: v[end] for k, v in parameters.items()}
            cfg = compose_config(_overrides(spec, values, seed=spec.seeds[0], days=1))
            if end is None:  # integer config fields take whole values
                spec.integers = {k for k in parameters
                                 if type(OmegaConf.select(cfg, k, default=0.0)) is int}
                continue
            model = build_model(cfg)
        except ConfigError as error:
            raise SpecError(f"{path}: {error}") from None
        except Exception as error:  # noqa: BLE001 - Hydra's errors become one line
            first = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
            raise SpecError(f"{path}: scenario/overrides/parameters: {first}") from None
    model.run()
    known = set(measurable(summarize(model)))
    model.close()
    for target in targets:
        if target.key not in known:
            raise _fail(path, f"observed.{target.key}",
                        "no output measures this (targets are summary.json keys, nested ones as "
                        "a.b, e.g. hours_share.meetings)")
    return spec


def _overrides(spec: Spec, values: dict[str, float], *, seed: int, days: int | None = None
               ) -> list[str]:
    chosen = [f"{key}={int(round(value)) if key in spec.integers else float(value)!r}"
              for key, value in values.items()]
    return [f"scenario={spec.scenario}", *spec.overrides, *chosen, f"seed={seed}",
            f"days={days or spec.days}", "output.progress=false"]


def simulate(spec: Spec, values: dict[str, float], seed: int) -> dict[str, float]:
    """One run with ``values`` on ``seed``; the targets' simulated values."""
    from sim.api import build_model, compose_config
    from sim.measures.metrics import summarize

    cfg = compose_config(_overrides(spec, values, seed=seed))
    model = build_model(cfg)
    model.run()
    summary = summarize(model)
    model.close()
    return {t.key: lookup(summary, t.key) for t in spec.targets}


def run_seeds(spec: Spec, values: dict[str, float], seeds: list[int], jobs: int) -> pd.DataFrame:
    """Every target on every seed (rows: seeds), in parallel when ``jobs`` > 1."""
    if jobs == 1:
        rows = [simulate(spec, values, s) for s in seeds]
    else:
        from joblib import Parallel, delayed

        rows = Parallel(n_jobs=jobs)(delayed(simulate)(spec, values, s) for s in seeds)
    return pd.DataFrame(rows, index=pd.Index(seeds, name="seed"))


def loss(spec: Spec, runs: pd.DataFrame) -> float:
    """Sum over targets of the squared z-score of the mean over seeds (NaN counts as far off)."""
    total = 0.0
    for t in spec.targets:
        mean = runs[t.key].mean()
        total += ((mean - t.value) / t.sd) ** 2 if math.isfinite(mean) else 1e6
    return float(total)


def fit(spec: Spec, *, jobs: int = 1, progress: bool = False):
    """Run the Optuna study on the fit seeds; return the study."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    sampler = optuna.samplers.TPESampler(seed=spec.sampler_seed)
    study = optuna.create_study(direction="minimize", sampler=sampler,
                                study_name=f"calibrate-{spec.name}")

    def objective(trial):
        values = {key: (trial.suggest_int(key, math.ceil(low), math.floor(high))
                        if key in spec.integers else trial.suggest_float(key, low, high))
                  for key, (low, high) in spec.parameters.items()}
        runs = run_seeds(spec, values, spec.seeds, jobs)
        for key in runs:
            trial.set_user_attr(key, float(runs[key].mean()))
        return loss(spec, runs)

    study.optimize(objective, n_trials=spec.trials, show_progress_bar=progress)
    return study


def report(spec: Spec, runs: pd.DataFrame) -> pd.DataFrame:
    """Observed against simulated, per target, over the check seeds."""
    rows = []
    n = len(runs)
    for t in spec.targets:
        values = runs[t.key].to_numpy(dtype=float)
        values = values[np.isfinite(values)]
        mean = float(values.mean()) if len(values) else math.nan
        half = (float(stats.t.ppf(0.975, len(values) - 1) * values.std(ddof=1)
                      / math.sqrt(len(values))) if len(values) > 1 else math.nan)
        low, high = (np.percentile(values, [2.5, 97.5]) if len(values) else (math.nan,) * 2)
        rows.append({"target": t.key, "observed": t.value, "sd": t.sd, "simulated_mean": mean,
                     "mean_ci95_low": mean - half, "mean_ci95_high": mean + half,
                     "seeds_p2_5": float(low), "seeds_p97_5": float(high), "runs": n,
                     "z": (mean - t.value) / t.sd, "source": t.source})
    return pd.DataFrame(rows)


def plot_fit(table: pd.DataFrame, study, path: Path, title: str) -> Path:
    """Observed against simulated per target (in units of sd), and the loss over trials."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 0.5 * len(table) + 3),
                                   gridspec_kw={"width_ratios": [3, 2]})
    y = np.arange(len(table))[::-1]
    scale = table["sd"].to_numpy()
    obs = table["observed"].to_numpy()
    rel = {k: (table[k].to_numpy() - obs) / scale for k in
           ("simulated_mean", "mean_ci95_low", "mean_ci95_high", "seeds_p2_5", "seeds_p97_5")}
    ax1.axvspan(-1, 1, color="tab:green", alpha=0.15, label="observed ± 1 sd")
    ax1.axvline(0, color="tab:green")
    ax1.hlines(y, rel["seeds_p2_5"], rel["seeds_p97_5"], color="tab:grey", lw=2,
               label="95% of runs (seeds)")
    ax1.hlines(y, rel["mean_ci95_low"], rel["mean_ci95_high"], color="tab:blue", lw=6,
               label="95% interval of the mean")
    ax1.plot(rel["simulated_mean"], y, "o", color="tab:blue", label="simulated mean")
    ax1.set_yticks(y, [f"{k}\nobs {o:.3g}, sim {s:.3g}" for k, o, s in
                       zip(table["target"], obs, table["simulated_mean"], strict=True)],
                   fontsize=8)
    ax1.set_xlabel("(simulated - observed) / sd")
    ax1.set_title(f"{title}: fit")
    ax1.legend(fontsize=7, loc="lower right")
    values = [t.value for t in study.trials if t.value is not None]
    ax2.plot(np.arange(1, len(values) + 1), values, ".", color="tab:grey", label="trial")
    ax2.plot(np.arange(1, len(values) + 1), np.minimum.accumulate(values), color="tab:red",
             label="best so far")
    ax2.set_yscale("log")
    ax2.set_xlabel("trial")
    ax2.set_ylabel("loss (sum of squared z)")
    ax2.set_title("Optuna TPE, common random numbers")
    ax2.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def results_markdown(spec: Spec, table: pd.DataFrame, fitted: pd.DataFrame, best: float,
                     minutes: float) -> str:
    """The report as Markdown."""
    lines = [f"# Calibration: {spec.name}", "", spec.description, "",
             f"`{spec.path}`: scenario `{spec.scenario}` {' '.join(spec.overrides)}, "
             f"{spec.days} days; {spec.trials} Optuna (TPE) trials on seeds {spec.seeds} "
             f"(the same for every trial); fitted values checked on {len(spec.check_seeds)} "
             f"other seeds. Best loss {best:.3g} (sum of squared z on the fit seeds); "
             f"{minutes:.1f} min.", "",
             "| target | observed (sd) | simulated mean | 95% CI of mean | 95% of runs | z | "
             "source |", "|---|---|---|---|---|---|---|"]
    for r in table.itertuples(index=False):
        lines.append(f"| `{r.target}` | {r.observed:.4g} ({r.sd:.3g}) | {r.simulated_mean:.4g} "
                     f"| {r.mean_ci95_low:.4g} - {r.mean_ci95_high:.4g} | {r.seeds_p2_5:.4g} - "
                     f"{r.seeds_p97_5:.4g} | {r.z:+.2f} | {r.source} |")
    lines += ["", "| parameter | range | fitted |", "|---|---|---|"]
    for r in fitted.itertuples(index=False):
        lines.append(f"| `{r.parameter}` | {r.low:g} - {r.high:g} | {r.fitted:.4g} |")
    lines += ["", "![fit](fit.png)", ""]
    return "\n".join(lines)


def calibrate(spec: Spec, out: Path, *, jobs: int = 1, progress: bool = False) -> pd.DataFrame:
    """Fit, check on fresh seeds, and write the report into ``out`` (whole or not at all)."""
    from sim.runners.rerun import provenance

    started = time.perf_counter()
    study = fit(spec, jobs=jobs, progress=progress)
    best = dict(study.best_params)
    check = run_seeds(spec, best, spec.check_seeds, jobs)
    table = report(spec, check)
    fitted = pd.DataFrame([{"parameter": k, "low": lo, "high": hi, "fitted": best[k]}
                           for k, (lo, hi) in spec.parameters.items()])
    minutes = (time.perf_counter() - started) / 60
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        table.to_csv(stage / "fit.csv", index=False)
        fitted.to_csv(stage / "parameters.csv", index=False)
        study.trials_dataframe().to_csv(stage / "trials.csv", index=False)
        check.to_csv(stage / "check_runs.csv")
        plot_fit(table, study, stage / "fit.png", spec.name)
        (stage / "RESULTS.md").write_text(
            results_markdown(spec, table, fitted, study.best_value, minutes), encoding="utf-8"
        )
        record = {
            "spec": {
                k: sorted(v) if isinstance(v, set) else v
                for k, v in spec.__dict__.items()
                if k != "targets"
            },
            "targets": [t.__dict__ for t in spec.targets],
            "fitted": best,
            "best_loss": study.best_value,
            "fit": table.to_dict("records"),
            "minutes": minutes,
            "provenance": provenance(),
        }
        (stage / "calibration.json").write_text(json.dumps(record, indent=2, default=float),
                                                encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        stage.chmod(0o755)  # mkdtemp makes it private
        stage.rename(out)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return table


def main(argv: list[str] | None = None) -> int:
    """``python -m sim.calibrate FILE.yaml [--out DIR] [--trials N] [--jobs N]``."""
    parser = argparse.ArgumentParser(prog="python -m sim.calibrate", description=__doc__.split(
        "\n")[0])
    parser.add_argument("file", type=Path, help="the calibration YAML file")
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder (default experiments/calibration/NAME)")
    parser.add_argument("--trials", type=int, default=None, help="override the file's trials")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes over seeds")
    args = parser.parse_args(argv)
    try:
        spec = read_spec(args.file)
    except SpecError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.trials is not None:
        if args.trials < 1:
            print(f"error: --trials: must be at least 1 (got {args.trials})", file=sys.stderr)
            return 2
        spec.trials = args.trials
    out = args.out or Path("experiments/calibration") / spec.name
    table = calibrate(spec, out, jobs=args.jobs, progress=sys.stderr.isatty())
    with pd.option_context("display.width", 160, "display.max_columns", 20):
        print(table.drop(columns=["source"]).to_string(index=False, float_format="%.4g"))
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

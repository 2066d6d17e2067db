"""Exploratory modelling: how robust is each reform to what we do not know? (EMA workbench).

A comparison on one set of parameter values says what a reform does in one county we imagine.
The scenario files' figures are calibrations (DESIGN.md marks them "pub"), so this study
samples *futures*, each a set of values of the uncertain parameters within plausible ranges
(:func:`uncertain_ranges`), runs every reform (:func:`reforms`: no reform, each lever's reform
preset alone, and all together) in every future on the same seeds (common random numbers: a
future's demand is the same under every reform), and asks, per reform:

- in what share of futures it helps (its mean over the seeds beats no reform's on the outcome;
  also the share where it does so by at least 5%);
- its regret in each future, the distance from the best reform in that future (Savage), summed
  up as median and maximum over futures;
- where it fails: scenario discovery with PRIM (the EMA workbench's :mod:`prim`) on the
  futures in which it does not help, a box of parameter ranges that holds most of them.

Run with the EMA workbench (``ReplicatorModel`` with one replication per seed; a
``MultiprocessingEvaluator`` on the local cores)::

    python -m sim.explore --futures 40 --seeds 2 --out experiments/exploratory

It writes ``experiments.csv`` (one row per future x reform, the uncertain values and the
outcomes by seed), ``robustness.csv`` and ``robustness.md`` (the per-reform table and the PRIM
boxes) and ``figures/``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from sim.analysis.levers import lever_presets
from sim.config import plausible_ranges

#: Outcomes recorded per run, and whether lower (min) or higher (max) is better; None: recorded,
#: not judged (a cost borne by the departments, not a goal).
OUTCOMES = {"resolution_hours_mean": "min", "overload_index_mean": "min",
            "on_time_share": "max", "department_utilisation": None}
#: A reform "helps clearly" when it improves the outcome by at least this share.
CLEAR = 0.05


#: The uncertain scenario parameters the study samples (their ranges are declared in sim.config).
UNCERTAIN = ("scenario.requests_per_1000_people_day", "scenario.request_effort_mean_hours",
             "scenario.tasks_per_department_township_week", "scenario.task_effort_mean_hours",
             "scenario.task_outside_list_share", "scenario.cross_department_share",
             "scenario.bounce_probability", "scenario.department_response_days_mean",
             "scenario.meetings_per_cadre_week", "scenario.chat_hours_per_group_day",
             "scenario.projects_per_department_year")


def uncertain_ranges() -> dict[str, tuple[float, float]]:
    """Plausible ranges of the uncertain scenario parameters (config key -> (low, high)).

    Read from each field's one declaration (:func:`sim.config.plausible_ranges`), the same
    ranges the assumptions page lists and the sensitivity study and calibration sample.
    """
    declared = plausible_ranges("scenario.")
    return {key: tuple(float(v) for v in declared[key]) for key in UNCERTAIN}


def reforms() -> dict[str, list[str]]:
    """The reforms tried: none, each lever's reform preset alone, and all of them together."""
    presets = lever_presets()
    alone = {lever: [f"policy/{lever}={reform}"] for lever, (_, reform) in presets.items()}
    return {"none": [], **alone, "all": [o for overrides in alone.values() for o in overrides]}


def short(key: str) -> str:
    """A parameter's name without its group (``scenario.x`` -> ``x``), as EMA names it."""
    return key.split(".", 1)[1] if "." in key else key


#: Composed configs by (scenario, reform), kept for the worker process: Hydra composes each
#: once, and every run of it copies the composition and sets its future's values and seed.
_BASES: dict[tuple[str, str], object] = {}


def run_config(reform: str, seed: int, scenario: str, days: int, uncertain: dict):
    """The config of one run, as ``python -m sim`` would compose it from the same overrides.

    The reform's composition is cached per process (:data:`_BASES`); the future's values
    (short names), the seed and the days are set on a copy, exactly as Hydra applies
    command-line values after composing (``tests/analysis/test_explore.py`` checks the two agree).
    """
    import copy

    from sim.api import compose_config

    key = (scenario, reform)
    if key not in _BASES:
        _BASES[key] = compose_config([f"scenario={scenario}", *reforms()[reform]])
    cfg = copy.deepcopy(_BASES[key])
    keys = {short(k): k for k in uncertain_ranges()}
    for name, value in uncertain.items():
        group, field = keys[name].split(".", 1)
        cfg[group][field] = float(value)
    cfg.seed, cfg.days = int(seed), int(days)
    return cfg


def county_outcomes(reform: str = "none", seed: int = 0, scenario: str = "typical_county",
                    days: int = 365, **uncertain: float) -> dict[str, float]:
    """One run: ``reform`` in the future given by ``uncertain`` (short names), on ``seed``.

    This is the EMA model's function (see :func:`run_config` for its config).
    """
    from sim.api import build_model
    from sim.measures.metrics import summarize

    model = build_model(run_config(reform, seed, scenario, days, uncertain))
    model.run()
    summary = summarize(model)
    model.close()
    return {name: float(summary[name]) for name in OUTCOMES}


def ema_model(scenario: str, days: int, seeds: list[int]):
    """The EMA ``ReplicatorModel``: uncertainties, the ``reform`` lever, one replication a seed."""
    from ema_workbench import (
        ArrayOutcome,
        CategoricalParameter,
        Constant,
        RealParameter,
        ReplicatorModel,
    )

    model = ReplicatorModel("county", function=county_outcomes)
    model.uncertainties = [RealParameter(short(k), lo, hi)
                           for k, (lo, hi) in uncertain_ranges().items()]
    model.levers = [CategoricalParameter("reform", list(reforms()))]
    model.constants = [Constant("scenario", scenario), Constant("days", days)]
    model.outcomes = [ArrayOutcome(name) for name in OUTCOMES]
    model.replications = [{"seed": int(s)} for s in seeds]
    return model


def sample_futures(n: int, seed: int) -> pd.DataFrame:
    """``n`` futures by Latin hypercube over :func:`uncertain_ranges` (reproducible by ``seed``)."""
    from scipy.stats import qmc

    ranges = uncertain_ranges()
    unit = qmc.LatinHypercube(d=len(ranges), seed=seed).random(n)
    low = np.array([lo for lo, _ in ranges.values()])
    high = np.array([hi for _, hi in ranges.values()])
    return pd.DataFrame(qmc.scale(unit, low, high), columns=[short(k) for k in ranges])


def run_study(*, futures: int, seeds: list[int], scenario: str = "typical_county",
              days: int = 365, jobs: int = 1, sample_seed: int = 0,
              only: list[int] | None = None) -> pd.DataFrame:
    """Every reform in every future on every seed, through the EMA workbench.

    Args:
        futures: Futures in the Latin hypercube (the sample depends on it and ``sample_seed``).
        seeds: The seeds of every future and reform (common random numbers).
        scenario: The county scenario.
        days: Days simulated per run.
        jobs: Worker processes (EMA's ``MultiprocessingEvaluator`` when above 1).
        sample_seed: Seed of the Latin hypercube.
        only: Run only these futures of the sample (by index; a chunk of a long study).

    Returns:
        One row per future x reform: ``future``, ``reform``, the uncertain values, and per
        outcome and seed a column ``OUTCOME@SEED``.
    """
    from ema_workbench import (
        MultiprocessingEvaluator,
        Policy,
        Scenario,
        SequentialEvaluator,
        perform_experiments,
    )

    model = ema_model(scenario, days, seeds)
    table = sample_futures(futures, sample_seed)
    picked = range(futures) if only is None else only
    scenarios = [Scenario(f"f{i:03d}", **table.iloc[i].to_dict()) for i in picked]
    policies = [Policy(name, reform=name) for name in reforms()]
    if jobs > 1:
        with MultiprocessingEvaluator(model, n_processes=jobs) as evaluator:
            experiments, outcomes = perform_experiments(model, scenarios, policies,
                                                        evaluator=evaluator)
    else:
        experiments, outcomes = perform_experiments(model, scenarios, policies,
                                                    evaluator=SequentialEvaluator(model))
    out = pd.DataFrame({"future": experiments["scenario"].astype(str),
                        "reform": experiments["policy"].astype(str)})
    for name in table.columns:
        out[name] = experiments[name].astype(float).to_numpy()
    for name in OUTCOMES:
        values = np.asarray(outcomes[name], float).reshape(len(out), len(seeds))
        for j, s in enumerate(seeds):
            out[f"{name}@{s}"] = values[:, j]
    return out


def run_chunks(*, futures: int, seeds: list[int], chunk: int, parts: Path, **study) -> pd.DataFrame:
    """:func:`run_study` in chunks of ``chunk`` futures, each saved to ``parts/`` when done.

    A chunk already in ``parts/`` (same futures, seeds and settings) is read back, not rerun:
    a study cut short resumes where it stopped, and the chunks done so far can be analysed.
    """
    parts.mkdir(parents=True, exist_ok=True)
    done = []
    for first in range(0, futures, chunk):
        only = list(range(first, min(first + chunk, futures)))
        path = parts / f"futures-{only[0]:04d}-{only[-1]:04d}.csv"
        if not path.exists():
            part = run_study(futures=futures, seeds=seeds, only=only, **study)
            temp = path.with_suffix(".partial")
            part.to_csv(temp, index=False)
            os.replace(temp, path)
            print(f"futures {only[0]}-{only[-1]} done", flush=True)
        done.append(pd.read_csv(path))
    return pd.concat(done, ignore_index=True)


def seed_columns(table: pd.DataFrame, outcome: str) -> list[str]:
    """The per-seed columns of ``outcome``."""
    return [c for c in table.columns if c.startswith(f"{outcome}@")]


def future_means(table: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """Mean over seeds of ``outcome``, one row per future, one column per reform."""
    means = table[seed_columns(table, outcome)].mean(axis=1)
    return means.groupby([table["future"], table["reform"]]).first().unstack("reform")


def robustness(table: pd.DataFrame, outcome: str = "resolution_hours_mean",
               baseline: str = "none") -> pd.DataFrame:
    """Per reform: share of futures where it helps (and clearly), change, regret.

    In each future the seeds are the same for every reform (common random numbers), so a
    reform's mean over them against the baseline's is a paired comparison.

    Returns:
        One row per reform other than ``baseline``: ``futures``, ``helps_share``,
        ``helps_clearly_share`` (by at least :data:`CLEAR`), ``no_effect_share`` (futures where
        it gives exactly the baseline's outcome: it changes nothing there), ``change_median``
        (relative to the baseline), ``regret_median`` and ``regret_max`` (distance to the best
        reform of each future, in the outcome's unit), ``best_share`` (futures where it is the
        best).
    """
    sense = OUTCOMES[outcome]
    if sense is None:
        raise ValueError(f"{outcome}: not an outcome with a better direction")
    means = future_means(table, outcome)
    sign = 1.0 if sense == "min" else -1.0
    better = sign * (means[baseline].to_numpy()[:, None] - means.to_numpy())  # > 0: improves
    base = means[baseline].abs().to_numpy()[:, None]
    best = (means.min(axis=1) if sense == "min" else means.max(axis=1)).to_numpy()[:, None]
    regret = sign * (means.to_numpy() - best)
    rows = []
    for j, reform in enumerate(means.columns):
        if reform == baseline:
            continue
        gain = better[:, j]
        rows.append({"reform": reform, "outcome": outcome, "futures": len(gain),
                     "helps_share": float(np.mean(gain > 0)),
                     "no_effect_share": float(np.mean(gain == 0)),
                     "helps_clearly_share": float(np.mean(gain >= CLEAR * base[:, 0])),
                     "change_median": float(np.median(-sign * gain / base[:, 0])),
                     "regret_median": float(np.median(regret[:, j])),
                     "regret_max": float(np.max(regret[:, j])),
                     "best_share": float(np.mean(regret[:, j] <= 0))})
    order = list(reforms())
    return pd.DataFrame(rows).sort_values("reform", key=lambda c: c.map(order.index))


def fails(table: pd.DataFrame, reform: str, outcome: str = "resolution_hours_mean",
          baseline: str = "none") -> pd.Series:
    """Per future: True where ``reform`` does not improve ``outcome`` on the baseline."""
    means = future_means(table, outcome)
    sign = 1.0 if OUTCOMES[outcome] == "min" else -1.0
    return sign * (means[baseline] - means[reform]) <= 0


def discover(table: pd.DataFrame, reform: str, outcome: str = "resolution_hours_mean",
             threshold: float = 0.8) -> dict | None:
    """PRIM box of the futures in which ``reform`` fails, or None when it never (or always) fails.

    The box is the point of PRIM's peeling trajectory with the highest coverage among those of
    density at least ``threshold`` (or the densest point when none reaches it).

    Returns:
        ``failures``, ``futures``, ``coverage`` (share of failures inside the box), ``density``
        (share of the box's futures that are failures), ``mass``, and ``limits``: the restricted
        parameters with their box bounds and full ranges.
    """
    from ema_workbench.analysis import prim

    failed = fails(table, reform, outcome)
    if failed.all() or not failed.any():
        return None
    x = table.loc[table["reform"] == reform].set_index("future")[
        [short(k) for k in uncertain_ranges()]].loc[failed.index].reset_index(drop=True)
    y = failed.to_numpy()
    finder = prim.Prim(x, y, threshold=threshold, peel_alpha=0.1)
    box = finder.find_box()
    trajectory = box.peeling_trajectory
    dense = trajectory[trajectory["density"] >= threshold]
    i = int(dense["coverage"].idxmax() if len(dense) else trajectory["density"].idxmax())
    box.select(i)
    point = trajectory.loc[i]
    ranges = {short(k): v for k, v in uncertain_ranges().items()}
    limits = {}
    lims, initial = box.box_lims[i], box.box_lims[0]  # the first box spans every future
    for name in x.columns:
        low, high = float(lims.loc[0, name]), float(lims.loc[1, name])
        if low > float(initial.loc[0, name]) or high < float(initial.loc[1, name]):
            limits[name] = {"low": low, "high": high, "range": list(ranges[name])}
    return {"reform": reform, "outcome": outcome, "failures": int(y.sum()), "futures": len(y),
            "coverage": float(point["coverage"]), "density": float(point["density"]),
            "mass": float(point["mass"]), "limits": limits}


def report(table: pd.DataFrame, robust: pd.DataFrame, boxes: list[dict], meta: dict) -> str:
    """``robustness.md``: what was run, the per-reform table, the PRIM boxes."""
    out = ["# Exploratory study: robustness of each reform", "",
           f"Scenario `{meta['scenario']}`, {meta['days']} days; {meta['futures']} futures "
           f"(Latin hypercube, sample seed {meta['sample_seed']}) x {len(reforms())} reforms x "
           f"seeds {meta['seeds']} (the same seeds in every future and reform: common random "
           f"numbers); {meta['runs']} runs"
           + (f" in {meta['minutes']:.1f} minutes" if meta.get("minutes") is not None else "")
           + f" on {meta['jobs']} processes (EMA workbench, MultiprocessingEvaluator), code "
           f"{meta.get('commit', 'unknown')}.", "",
           "Uncertain parameters and ranges:", "",
           "| parameter | low | high |", "|---|---|---|"]
    out += [f"| `{k}` | {lo:g} | {hi:g} |" for k, (lo, hi) in uncertain_ranges().items()]
    out += ["", "## Per reform", "",
            "helps: the reform's mean over the seeds beats no reform's in that future; clearly: "
            f"by at least {CLEAR:.0%}; no effect: exactly no reform's outcome (the reform "
            "changes nothing in that county); change: median over futures, relative to no reform; "
            "regret: distance to the best reform of that future, in the outcome's unit.", ""]
    for outcome, part in robust.groupby("outcome", sort=False):
        out += [f"### {outcome} ({'lower' if OUTCOMES[outcome] == 'min' else 'higher'} is "
                "better)", "",
                "| reform | helps | helps clearly | no effect | median change | median regret "
                "| max regret | best in |", "|---|---|---|---|---|---|---|---|"]
        out += [f"| {r.reform} | {r.helps_share:.0%} | {r.helps_clearly_share:.0%} | "
                f"{r.no_effect_share:.0%} | {r.change_median:+.1%} | {r.regret_median:.3g} | "
                f"{r.regret_max:.3g} | {r.best_share:.0%} |" for r in part.itertuples()]
        out.append("")
    out += ["## Where reforms fail (PRIM)", ""]
    if not boxes:
        out.append("No reform fails in some futures and helps in others: nothing to discover.")
    for b in boxes:
        limits = "; ".join(f"`{k}` in [{v['low']:.3g}, {v['high']:.3g}] (of [{v['range'][0]:g}, "
                           f"{v['range'][1]:g}])" for k, v in b["limits"].items()) or (
            "no restriction (failures spread over the whole space)")
        verb = "lower" if OUTCOMES[b["outcome"]] == "min" else "raise"
        out.append(f"- **{b['reform']}** does not {verb} `{b['outcome']}` in {b['failures']} of "
                   f"{b['futures']} futures; box: {limits}; coverage {b['coverage']:.0%}, "
                   f"density {b['density']:.0%}, mass {b['mass']:.0%}.")
    return "\n".join(out) + "\n"


def plot(table: pd.DataFrame, robust: pd.DataFrame, boxes: list[dict], meta: dict,
         folder: Path) -> list[Path]:
    """Helps share and regret per reform; the futures and PRIM box of each reform that fails."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    title = (f"{meta['scenario']}, {meta['days']} d, {meta['futures']} futures x seeds "
             f"{meta['seeds']}")
    paths = []
    outcome = meta["outcome"]
    part = robust[robust["outcome"] == outcome]
    means = future_means(table, outcome)
    best = means.min(axis=1) if OUTCOMES[outcome] == "min" else means.max(axis=1)
    sign = 1.0 if OUTCOMES[outcome] == "min" else -1.0
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    y = np.arange(len(part))
    ax1.barh(y, part["helps_share"], color="tab:green", alpha=0.4, label="helps")
    ax1.barh(y, part["helps_clearly_share"], color="tab:green", label=f"by >= {CLEAR:.0%}")
    ax1.set_yticks(y, part["reform"])
    ax1.set_xlim(0, 1)
    ax1.set_xlabel("share of futures")
    ax1.set_title(f"where each reform lowers {outcome}", fontsize=9)
    ax1.legend(fontsize=8)
    regrets = [sign * (means[r] - best).to_numpy() for r in part["reform"]]
    ax2.boxplot(regrets, orientation="horizontal", widths=0.6)
    ax2.set_yticks(y + 1, part["reform"])
    ax2.set_xlabel(f"regret: {outcome} minus the best reform's, per future")
    ax2.set_title("regret over futures", fontsize=9)
    fig.suptitle(f"Robustness of each reform: {title}", fontsize=10)
    fig.tight_layout()
    paths.append(folder / "robustness.png")
    fig.savefig(paths[-1], dpi=110)
    plt.close(fig)

    shown = [b for b in boxes if b["outcome"] == outcome and b["limits"]]
    if shown:
        fig, axes = plt.subplots(1, len(shown), figsize=(4.5 * len(shown), 4), squeeze=False)
        ranges = {short(k): v for k, v in uncertain_ranges().items()}
        for ax, b in zip(axes[0], shown, strict=True):
            names = list(b["limits"])[:2]
            if len(names) == 1:
                others = [n for n in ranges if n != names[0]]
                names.append(others[0])
            failed = fails(table, b["reform"], outcome)
            x = table.loc[table["reform"] == b["reform"]].set_index("future").loc[failed.index]
            ax.scatter(x[names[0]], x[names[1]], c=np.where(failed, "tab:red", "tab:green"),
                       s=18)
            lim = [b["limits"].get(n, {"low": ranges[n][0], "high": ranges[n][1]})
                   for n in names]
            ax.add_patch(plt.Rectangle((lim[0]["low"], lim[1]["low"]),
                                       lim[0]["high"] - lim[0]["low"],
                                       lim[1]["high"] - lim[1]["low"], fill=False, lw=1.5))
            ax.set_xlabel(names[0], fontsize=8)
            ax.set_ylabel(names[1], fontsize=8)
            ax.set_title(f"{b['reform']}: red = does not help\nbox coverage "
                         f"{b['coverage']:.0%}, density {b['density']:.0%}", fontsize=9)
        fig.suptitle(f"Where reforms fail to lower {outcome} (PRIM): {title}", fontsize=10)
        fig.tight_layout()
        paths.append(folder / "prim_boxes.png")
        fig.savefig(paths[-1], dpi=110)
        plt.close(fig)
    return paths


def _commit() -> str:
    """The code's git commit (with ``+changes`` when the work tree differs), or ``unknown``."""
    import subprocess

    root = Path(__file__).resolve().parents[2]
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root,
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=root, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+changes" if dirty else "")


def main(argv: list[str] | None = None) -> int:
    """``python -m sim.explore``: run the study and write its tables and figures."""
    parser = argparse.ArgumentParser(prog="python -m sim.explore",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--scenario", default="typical_county")
    parser.add_argument("--futures", type=int, default=40, help="futures sampled (>= 4)")
    parser.add_argument("--seeds", type=int, default=2, help="seeds per future (>= 1)")
    parser.add_argument("--days", type=int, default=365, help="days simulated (>= 1)")
    parser.add_argument("--sample-seed", type=int, default=0)
    parser.add_argument("--outcome", default="resolution_hours_mean",
                        choices=[o for o, s in OUTCOMES.items() if s],
                        help="outcome the figures and PRIM look at")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--out", type=Path, default=Path("outputs/exploratory"))
    parser.add_argument("--chunk", type=int, default=0,
                        help="run the futures in chunks of this many, each saved under "
                             "OUT/parts-*/ when done (a rerun resumes); 0: all at once")
    parser.add_argument("--done-only", action="store_true",
                        help="with --chunk: analyse the chunks already done, run nothing")
    parser.add_argument("--reanalyse", action="store_true",
                        help="redo the tables and figures from OUT/experiments.csv, no runs")
    args = parser.parse_args(argv)
    for key, value, low in (("--futures", args.futures, 4), ("--seeds", args.seeds, 1),
                            ("--days", args.days, 1), ("--jobs", args.jobs, 1),
                            ("--chunk", args.chunk, 0)):
        if value < low:
            print(f"error: {key}: {value}: must be at least {low}", file=sys.stderr)
            return 2
    started = time.perf_counter()
    seeds = list(range(args.seeds))
    if args.reanalyse:
        table = pd.read_csv(args.out / "experiments.csv")
        old = json.loads((args.out / "boxes.json").read_text(encoding="utf-8"))["meta"]
        args.scenario, args.days, args.futures = old["scenario"], old["days"], old["futures"]
        args.sample_seed, args.jobs, seeds = old["sample_seed"], old["jobs"], old["seeds"]
        commit = old.get("commit", "unknown")
    elif args.chunk:
        parts = args.out / (f"parts-{args.scenario}-{args.days}d-{args.futures}futures-"
                            f"{args.seeds}seeds-sample{args.sample_seed}")
        if args.done_only:
            found = sorted(parts.glob("futures-*.csv"))
            if not found:
                print(f"error: --done-only: no chunk done in {parts}", file=sys.stderr)
                return 2
            table = pd.concat([pd.read_csv(p) for p in found], ignore_index=True)
            # the chunks ran in other processes: their time is not this one's
            started = None
        else:
            table = run_chunks(futures=args.futures, seeds=seeds, chunk=args.chunk,
                               parts=parts, scenario=args.scenario, days=args.days,
                               jobs=args.jobs, sample_seed=args.sample_seed)
        args.futures = int(table["future"].nunique())
    else:
        table = run_study(futures=args.futures, seeds=seeds, scenario=args.scenario,
                          days=args.days, jobs=args.jobs, sample_seed=args.sample_seed)
    robust = pd.concat([robustness(table, o) for o, s in OUTCOMES.items() if s],
                       ignore_index=True)
    boxes = [b for o, s in OUTCOMES.items() if s for r in reforms() if r != "none"
             for b in [discover(table, r, o)] if b is not None]
    meta = {"scenario": args.scenario, "days": args.days, "futures": args.futures,
            "seeds": seeds, "sample_seed": args.sample_seed, "runs": len(table) * len(seeds),
            "jobs": args.jobs,
            "minutes": None if started is None else (time.perf_counter() - started) / 60,
            "outcome": args.outcome, "commit": _commit()}
    if args.reanalyse:
        meta["minutes"], meta["commit"] = old["minutes"], commit
    args.out.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".partial-", dir=args.out))
    table.to_csv(stage / "experiments.csv", index=False)
    robust.to_csv(stage / "robustness.csv", index=False)
    (stage / "robustness.md").write_text(report(table, robust, boxes, meta), encoding="utf-8")
    (stage / "boxes.json").write_text(
        json.dumps({"meta": meta, "boxes": boxes}, indent=1), encoding="utf-8"
    )
    plot(table, robust, boxes, meta, stage / "figures")
    for path in sorted(stage.rglob("*"), key=lambda p: p.name == "robustness.md"):
        if path.is_file():
            target = args.out / path.relative_to(stage)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
    for path in sorted(stage.rglob("*"), reverse=True):
        path.rmdir()
    stage.rmdir()
    print((args.out / "robustness.md").read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["OUTCOMES", "county_outcomes", "discover", "fails", "future_means",
           "reforms", "robustness", "run_study", "uncertain_ranges"]

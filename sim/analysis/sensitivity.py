"""Global sensitivity of resolution time and overload to the model's uncertain parameters.

The defaults in the scenario files are calibrations (DESIGN.md marks them "pub": public
figures to calibrate, not truths). This study asks which of them the answers depend on:
first a Morris screening (SALib) of every uncertain parameter, then Sobol indices (SALib) on
the few that matter, the others held at the middle of their ranges.

    python -m sim.sensitivity --out experiments/sensitivity

With ``--levers``, a Morris screening of each reform's own assumptions instead: every lever of
the registry at its reported preset, its parameters sampled over their declared plausible
ranges (``policy.<lever>.*``), so that what a lever's result owes to a number no report gives
is measured (``experiments/sensitivity/levers/``).

Runs go in parallel on the local cores (joblib); each run is one model built through the same
config composition as the command line, with common random numbers across runs (one seed).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from sim.config import field_types, plausible_ranges

#: Uncertain parameters and their plausible ranges (DESIGN.md section 3 and the scenario files).
#: The parameters screened and their ranges, read from each field's one declaration.
SAMPLED = ("scenario.requests_per_1000_people_day", "scenario.request_effort_mean_hours",
           "scenario.tasks_per_department_township_week", "scenario.task_effort_mean_hours",
           "scenario.cross_department_share", "scenario.bounce_probability",
           "scenario.department_response_days_mean", "scenario.meetings_per_cadre_week",
           "scenario.chat_hours_per_group_day")
PARAMETERS = {key: plausible_ranges()[key] for key in SAMPLED}
OUTPUTS = ("resolution_hours_mean", "overload_index_mean")


#: Keys declared as whole numbers (a sampled value is rounded for them).
INTEGER_KEYS = frozenset(key for key, kind in field_types().items()
                         if kind in ("int", "int | None"))


def _override(key: str, value: float) -> str:
    return f"{key}={round(value)}" if key in INTEGER_KEYS else f"{key}={float(value)!r}"


def evaluate(values: np.ndarray, names: list[str], *, scenario: str, days: int, seed: int,
             fixed: dict[str, float] | None = None, base: tuple[str, ...] = ()
             ) -> tuple[float, ...]:
    """Run one model with ``names`` set to ``values``; return the outputs of interest.

    ``base`` overrides (a lever's preset) come first.
    """
    from sim.api import make_model
    from sim.measures.metrics import summarize

    chosen = {**(fixed or {}), **dict(zip(names, values, strict=True))}
    overrides = [*base, *(_override(key, value) for key, value in chosen.items())]
    model = make_model(scenario, seed=seed, days=days, overrides=overrides)
    model.run()
    summary = summarize(model)
    model.close()
    return tuple(float(summary[o]) for o in OUTPUTS)


def _run_all(samples: np.ndarray, names: list[str], jobs: int, desc: str, **kwargs) -> np.ndarray:
    from joblib import Parallel, delayed
    from tqdm import tqdm

    rows = Parallel(n_jobs=jobs)(
        delayed(evaluate)(row, names, **kwargs)
        for row in tqdm(samples, desc=desc, disable=not sys.stderr.isatty()))
    return np.asarray(rows)


def problem(names: list[str], parameters: dict | None = None) -> dict:
    """The SALib problem for ``names`` (ranges from ``parameters``, else :data:`PARAMETERS`)."""
    ranges = parameters or PARAMETERS
    return {"num_vars": len(names), "names": names,
            "bounds": [list(ranges[n]) for n in names]}


def morris(*, trajectories: int, jobs: int, parameters: dict | None = None,
           **kwargs) -> pd.DataFrame:
    """Morris elementary effects of every parameter on every output.

    ``parameters`` maps each name to its range (default :data:`PARAMETERS`).
    """
    from SALib.analyze import morris as analyze
    from SALib.sample import morris as sample

    names = list(parameters or PARAMETERS)
    spec = problem(names, parameters)
    x = sample.sample(spec, trajectories, num_levels=4, seed=kwargs["seed"])
    y = _run_all(x, names, jobs, "morris", **kwargs)
    frames = []
    for j, output in enumerate(OUTPUTS):
        result = analyze.analyze(spec, x, y[:, j], num_levels=4, seed=kwargs["seed"])
        frames.append(pd.DataFrame({
            "output": output, "parameter": names, "mu_star": result["mu_star"],
            "mu_star_conf": result["mu_star_conf"], "sigma": result["sigma"]}))
    table = pd.concat(frames, ignore_index=True)
    table["mu_star_scaled"] = table["mu_star"] / table.groupby("output")["mu_star"].transform("max")
    return table


def lever_parameters() -> dict[str, tuple[str, dict[str, tuple[float, float]]]]:
    """Each lever of the registry with a reported preset: (preset, its own parameters' ranges)."""
    from sim.policies import LEVERS

    out = {}
    for lever in LEVERS:
        parameters = plausible_ranges(f"policy.{lever.name}.")
        if lever.reform and parameters:
            out[lever.name] = (lever.reform, parameters)
    return out


def lever_screening(*, trajectories: int, jobs: int, levers: list[str] | None = None,
                    **kwargs) -> pd.DataFrame:
    """Morris screening of each lever's own parameters, the lever at its reported preset.

    One row per (lever, output, parameter), for ``levers`` (default: all of
    :func:`lever_parameters`). A lever that acts only in a province run (the pool) screens to
    zero in a county.
    """
    frames = []
    for name, (preset, parameters) in lever_parameters().items():
        if levers is not None and name not in levers:
            continue
        table = morris(trajectories=trajectories, jobs=jobs, parameters=parameters,
                       base=(f"policy/{name}={preset}",), **kwargs)
        frames.append(table.assign(lever=name, preset=preset))
    columns = ["lever", "preset", "output", "parameter", "mu_star", "mu_star_conf", "sigma",
               "mu_star_scaled"]
    return pd.concat(frames, ignore_index=True)[columns]


def sobol(names: list[str], *, base_samples: int, jobs: int, **kwargs) -> pd.DataFrame:
    """First-order and total Sobol indices of ``names``, others at mid-range."""
    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample

    spec = problem(names)
    fixed = {n: float(np.mean(PARAMETERS[n])) for n in PARAMETERS if n not in names}
    x = sample.sample(spec, base_samples, calc_second_order=False, seed=kwargs["seed"])
    y = _run_all(x, names, jobs, "sobol", fixed=fixed, **kwargs)
    frames = []
    for j, output in enumerate(OUTPUTS):
        result = analyze.analyze(spec, y[:, j], calc_second_order=False, seed=kwargs["seed"])
        frames.append(pd.DataFrame({
            "output": output, "parameter": names, "S1": result["S1"],
            "S1_conf": result["S1_conf"], "ST": result["ST"], "ST_conf": result["ST_conf"]}))
    return pd.concat(frames, ignore_index=True)


def plot(morris_table: pd.DataFrame, sobol_table: pd.DataFrame, path: Path) -> None:
    """Morris mu* (left) and Sobol S1/ST (right) for each output."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(OUTPUTS), 2, figsize=(12, 4 * len(OUTPUTS)))
    for row, output in enumerate(OUTPUTS):
        m = morris_table[morris_table["output"] == output].sort_values("mu_star")
        ax = axes[row, 0]
        ax.barh(m["parameter"].str.removeprefix("scenario."), m["mu_star"],
                xerr=m["mu_star_conf"], color="tab:blue")
        ax.set_title(f"Morris screening: {output}")
        ax.set_xlabel("mu* (mean |elementary effect|)")
        s = sobol_table[sobol_table["output"] == output]
        ax = axes[row, 1]
        y = np.arange(len(s))
        ax.barh(y - 0.2, s["S1"], 0.4, xerr=s["S1_conf"], label="first order S1")
        ax.barh(y + 0.2, s["ST"], 0.4, xerr=s["ST_conf"], label="total ST")
        ax.set_yticks(y, s["parameter"].str.removeprefix("scenario."))
        ax.set_title(f"Sobol indices: {output}")
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _markdown(df: pd.DataFrame) -> str:
    header = "| " + " | ".join(df.columns) + " |\n|" + "---|" * len(df.columns) + "\n"
    body = "".join("| " + " | ".join(f"{v:.3g}" if isinstance(v, float) else str(v)
                                     for v in row) + " |\n" for row in df.itertuples(index=False))
    return header + body


def main(argv: list[str] | None = None) -> None:
    """Command line: Morris screening, then Sobol on the top parameters; writes the results."""
    parser = argparse.ArgumentParser(prog="python -m sim.sensitivity", description=__doc__)
    parser.add_argument("--scenario", default="typical_county")
    parser.add_argument("--days", type=int, default=180)
    parser.add_argument("--seed", type=int, default=20240328)
    parser.add_argument("--trajectories", type=int, default=10, help="Morris trajectories")
    parser.add_argument("--base-samples", type=int, default=64, help="Sobol base samples (2^k)")
    parser.add_argument("--top", type=int, default=3, help="parameters kept for Sobol")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--out", type=Path, default=Path("experiments/sensitivity"))
    parser.add_argument("--levers", nargs="?", const="all", default=None,
                        help="screen each lever's own parameters instead (all, or a comma list "
                             "of levers; writes OUT/levers/)")
    args = parser.parse_args(argv)
    common = {"scenario": args.scenario, "days": args.days, "seed": args.seed, "jobs": args.jobs}
    if args.levers:
        chosen = None if args.levers == "all" else args.levers.split(",")
        unknown = sorted(set(chosen or ()) - set(lever_parameters()))
        if unknown:
            parser.error(f"--levers: {','.join(unknown)} is not a lever with a reported preset "
                         f"(one of {', '.join(lever_parameters())})")
        write_lever_screening(lever_screening(trajectories=args.trajectories, levers=chosen,
                                              **common), args.out / "levers", args)
        return

    m = morris(trajectories=args.trajectories, **common)
    ranking = m.groupby("parameter")["mu_star_scaled"].max().sort_values(ascending=False)
    top = list(ranking.index[: args.top])
    s = sobol(top, base_samples=args.base_samples, **common)

    args.out.mkdir(parents=True, exist_ok=True)
    m.to_csv(args.out / "morris.csv", index=False)
    s.to_csv(args.out / "sobol.csv", index=False)
    plot(m, s, args.out / "sensitivity.png")
    (args.out / "RESULTS.md").write_text(
        f"# Sensitivity results\n\nScenario `{args.scenario}`, {args.days} days, seed "
        f"{args.seed}; Morris with {args.trajectories} trajectories "
        f"({args.trajectories * (len(PARAMETERS) + 1)} runs), Sobol "
        f"with N={args.base_samples} on the top {args.top} "
        f"({args.base_samples * (args.top + 2)} runs).\n\n"
        f"## Morris screening\n\n{_markdown(m.round(4))}\n"
        f"## Sobol indices (top {args.top}: {', '.join(top)})\n\n{_markdown(s.round(4))}\n"
        "![sensitivity](sensitivity.png)\n", encoding="utf-8")
    print(json.dumps({"top": top}, ensure_ascii=False))


def write_lever_screening(table: pd.DataFrame, out: Path, args) -> None:
    """``levers.csv`` and ``RESULTS.md``: per lever, its parameters ranked by Morris mu*."""
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "levers.csv", index=False)
    runs = sum(args.trajectories * (len(group) // len(OUTPUTS) + 1)
               for _, group in table.groupby("lever"))
    parts = [f"# What each lever's result owes to its assumptions\n\nScenario `{args.scenario}`, "
             f"{args.days} days, seed {args.seed}; each lever at its reported preset, its own "
             "parameters sampled over their declared plausible ranges (`docs/ASSUMPTIONS.md`), "
             f"Morris screening with {args.trajectories} trajectories ({runs} runs). mu*: mean "
             "absolute change of the output over one step of a parameter across its range "
             "(hours for resolution time, index points for overload); its 95% interval "
             "half-width in the next column. A zero: the parameter does not act under this "
             "preset (the score exponents under an equal allocation, the rules of regulated "
             "secondment when it is banned, the pool's weights outside a province run) or not "
             "within the run's days.\n"]
    for lever, group in table.groupby("lever", sort=False):
        parts.append(f"\n## `{lever}` (`{group['preset'].iloc[0]}`)\n\n")
        for output in OUTPUTS:
            rows = group[group["output"] == output].sort_values("mu_star", ascending=False)
            parts.append(f"{output}:\n\n" + _markdown(rows[["parameter", "mu_star",
                                                              "mu_star_conf", "sigma"]]
                                                        .round(4)) + "\n")
    (out / "RESULTS.md").write_text("".join(parts), encoding="utf-8")


if __name__ == "__main__":
    main()

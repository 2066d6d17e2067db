"""Compare the outputs of policy sweeps with statistics: "did the reform help, by how much?".

    python -m sim.compare multirun/levers [more sweep folders] [--baseline reform=none]

Every job folder under the given sweep folders (a folder holding ``.hydra/overrides.yaml``) is
read one at a time. Runs are grouped by their overrides other than the seed; for each metric of
``summary.json`` each group gets its runs, mean, standard deviation and a 95% t interval of the
mean; against the baseline group (by default the one whose presets are all baseline) each group
gets the paired difference on matched seeds, which share their demand (common random numbers),
with its 95% t interval and the relative change. The table is printed and written to
``comparison.csv`` and ``comparison.md`` with figures. Failed or unfinished jobs are listed,
never dropped silently.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy import stats

BASELINE_PRESETS = {"posts": "baseline", "secondment": "unregulated", "meetings": "baseline",
                    "tasks": "baseline", "coordination": "buck_passing", "pay": "baseline"}
HEADLINE = ("resolution_hours_mean", "resolution_hours_p90", "wait_hours_mean", "on_time_share",
            "overload_index_mean", "overloaded_township_share", "overtime_hours_per_cadre_week",
            "hours_share.service", "hours_share.tasks", "hours_share.meetings",
            "department_utilisation", "department_answer_days_mean")
DAILY_SERIES = ("backlog", "resolution_hours_mean", "overload_index")
SKIPPED_METRICS = ("runtime_seconds", "seed", "days")


class CompareError(Exception):
    """A problem with the input folders, reported in one line."""


@dataclass
class Problem:
    """A job that did not finish: its folder and why."""

    folder: Path
    reason: str


@dataclass
class DailyBands:
    """Running sums per group and day of the daily series: mean and band without keeping runs."""

    n: dict = field(default_factory=dict)
    total: dict = field(default_factory=dict)
    squares: dict = field(default_factory=dict)

    def add(self, group: str, daily: pd.DataFrame) -> None:
        """Add one run's daily series to its group's sums."""
        values = daily.set_index("day")[[c for c in DAILY_SERIES if c in daily]]
        values = values.astype(float)
        for store, data in ((self.n, values.notna().astype(float)), (self.total, values.fillna(0)),
                            (self.squares, values.fillna(0) ** 2)):
            store[group] = data if group not in store else store[group].add(data, fill_value=0)

    def summary(self, group: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Mean and half-width of the 95% interval of the mean, per day and series."""
        n = self.n[group]
        mean = self.total[group] / n.where(n > 0)
        variance = (self.squares[group] - n * mean**2) / (n - 1).where(n > 1)
        half = stats.t.ppf(0.975, (n - 1).clip(lower=1)) * np.sqrt(variance.clip(lower=0) / n)
        return mean, half


def _flatten(summary: dict, prefix: str = "") -> dict[str, float]:
    out = {}
    for key, value in summary.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            if key not in ("config", "policy"):
                out.update(_flatten(value, name + "."))
        elif isinstance(value, int | float) and not isinstance(value, bool):
            if name not in SKIPPED_METRICS:
                out[name] = float(value)
        elif value is None:
            out[name] = math.nan
    return out


def job_folders(dirs: list[Path]) -> list[Path]:
    """Every job folder under ``dirs`` (a folder with ``.hydra/overrides.yaml``), sorted."""
    found = []
    for folder in dirs:
        if not folder.is_dir():
            raise CompareError(f"{folder}: no such sweep folder")
        found += [p.parent.parent for p in folder.rglob(".hydra/overrides.yaml")]
    jobs = sorted({p for p in found if p not in dirs or p.name.isdigit()},
                  key=lambda p: (str(p.parent), int(p.name) if p.name.isdigit() else 0, p.name))
    if not jobs:
        raise CompareError(f"{', '.join(map(str, dirs))}: no jobs found (no .hydra/overrides.yaml)")
    return jobs


def group_label(overrides: list[str], common: frozenset = frozenset()) -> str:
    """The group of a job: its overrides other than the seed and those every job shares."""
    kept = sorted(o for o in overrides
                  if not o.lstrip("+~").startswith("seed=") and o not in common)
    return ", ".join(kept) if kept else "(defaults)"


def load_runs(dirs: list[Path], bands: DailyBands | None = None):
    """Read every job's summary (and daily series into ``bands``), one job at a time.

    Returns:
        A long DataFrame (group, seed, folder, metric, value) and the list of problems.
    """
    rows, problems, policies = [], [], {}
    jobs = job_folders([Path(d) for d in dirs])
    overrides_of = {job: yaml.safe_load((job / ".hydra" / "overrides.yaml").read_text()) or []
                    for job in jobs}
    common = frozenset.intersection(*(frozenset(o) for o in overrides_of.values()))
    for job in jobs:
        group = group_label(overrides_of[job], common)
        summary_file = job / "summary.json"
        if not summary_file.exists():
            error = job / "error.txt"
            reason = (error.read_text().strip().splitlines() or ["failed"])[0] if (
                error.exists()) else "incomplete: no summary.json"
            problems.append(Problem(job, reason))
            continue
        summary = json.loads(summary_file.read_text())
        policies.setdefault(group, summary.get("policy", {}))
        for metric, value in _flatten(summary).items():
            rows.append((group, int(summary["seed"]), str(job), metric, value))
        if bands is not None and (job / "daily.parquet").exists():
            columns = ["day", *DAILY_SERIES]
            bands.add(group, pd.read_parquet(job / "daily.parquet", columns=columns))
    runs = pd.DataFrame(rows, columns=["group", "seed", "folder", "metric", "value"])
    runs.attrs["policies"] = policies
    return runs, problems


def choose_baseline(runs: pd.DataFrame, baseline: str | None) -> tuple[str, str]:
    """The baseline group and how it was chosen."""
    groups = sorted(runs["group"].unique())
    if baseline:
        exact = [g for g in groups if g == baseline]
        matches = exact or [g for g in groups if baseline in g]
        if len(matches) != 1:
            raise CompareError(f"--baseline {baseline!r} matches {len(matches)} groups; "
                               f"groups are: {'; '.join(groups)}")
        return matches[0], "chosen with --baseline"
    policies = runs.attrs.get("policies", {})
    for group in groups:
        if all(policies.get(group, {}).get(k, v) == v for k, v in BASELINE_PRESETS.items()):
            return group, "every preset at baseline"
    return groups[0], "no group has every preset at baseline: the first group is the reference"


def _interval(values: np.ndarray) -> tuple[float, float]:
    if len(values) < 2 or np.std(values) == 0:
        mean = float(np.mean(values)) if len(values) else math.nan
        return (mean, mean) if len(values) >= 2 else (math.nan, math.nan)
    low, high = stats.t.interval(0.95, len(values) - 1, loc=np.mean(values),
                                 scale=stats.sem(values))
    return float(low), float(high)


def _stratum(group: str, within: str | None) -> str:
    """The value of override ``within`` (e.g. ``scenario``) in a group label, or ''."""
    if not within:
        return ""
    for part in group.split(", "):
        key, _, value = part.lstrip("+").partition("=")
        if key == within:
            return value
    return ""


def compare(runs: pd.DataFrame, baseline: str | None = None,
            within: str | None = None) -> pd.DataFrame:
    """The comparison table: one row per group and metric (long format).

    Args:
        runs: Long table from :func:`load_runs`.
        baseline: Baseline group label (or a unique part of it); default: all presets baseline.
        within: An override key (e.g. ``scenario``) whose value splits the runs into strata,
            each compared with its own baseline group.
    """
    wide = runs.pivot_table(index=["group", "seed"], columns="metric", values="value",
                            aggfunc="first")
    bases = {}
    for stratum in sorted({_stratum(g, within) for g in runs["group"]}):
        part = runs[runs["group"].map(lambda g, s=stratum: _stratum(g, within) == s)]
        part.attrs = runs.attrs
        bases[stratum], _ = choose_baseline(part, baseline)
    rows = []
    for (group, metric), values in runs.groupby(["group", "metric"])["value"]:
        base = bases[_stratum(group, within)]
        reference = wide.loc[base]
        x = values.dropna().to_numpy()
        low, high = _interval(x)
        row = {"group": group, "metric": metric, "runs": len(x),
               "mean": float(np.mean(x)) if len(x) else math.nan,
               "std": float(np.std(x, ddof=1)) if len(x) > 1 else math.nan,
               "ci_low": low, "ci_high": high, "baseline": base}
        if group != base and metric in reference:
            mine = wide.loc[group, metric]
            pairs = pd.concat([mine, reference[metric]], axis=1, join="inner").dropna()
            diff = (pairs.iloc[:, 0] - pairs.iloc[:, 1]).to_numpy()
            d_low, d_high = _interval(diff)
            base_mean = float(pairs.iloc[:, 1].mean()) if len(pairs) else math.nan
            row.update(pairs=len(diff), diff_mean=float(diff.mean()) if len(diff) else math.nan,
                       diff_ci_low=d_low, diff_ci_high=d_high,
                       rel_change=(float(diff.mean()) / base_mean
                                   if len(diff) and base_mean else math.nan))
        else:
            row.update(pairs=0, diff_mean=math.nan, diff_ci_low=math.nan, diff_ci_high=math.nan,
                       rel_change=math.nan)
        rows.append(row)
    return pd.DataFrame(rows)


def _write_atomic(path: Path, text: str) -> None:
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w") as f:
        f.write(text)
    os.replace(temp, path)


def _fmt(value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:.3g}" if abs(value) < 1e4 else f"{value:.0f}"


def markdown(table: pd.DataFrame, metrics: list[str], problems: list[Problem], base: str,
             how: str) -> str:
    """The comparison as Markdown: one table per metric, then the problems."""
    out = [f"# Comparison\n\nBaseline group: `{base}` ({how}). Intervals are 95% t intervals; "
           "differences are paired on matched seeds (common random numbers).\n"]
    for metric in metrics:
        part = table[table["metric"] == metric]
        if part.empty:
            continue
        out.append(f"\n## {metric}\n\n| group | runs | mean | 95% CI | paired diff | 95% CI "
                   "| change |\n|---|---|---|---|---|---|---|")
        for r in part.itertuples():
            change = "—" if math.isnan(r.rel_change) else f"{r.rel_change:+.1%}"
            out.append(f"| {r.group} | {r.runs} | {_fmt(r.mean)} | {_fmt(r.ci_low)} to "
                       f"{_fmt(r.ci_high)} | {_fmt(r.diff_mean)} | {_fmt(r.diff_ci_low)} to "
                       f"{_fmt(r.diff_ci_high)} | {change} |")
    out.append("\n## Failed or unfinished jobs\n")
    out += [f"- `{p.folder}`: {p.reason}" for p in problems] or ["None."]
    return "\n".join(out) + "\n"


def _save_panels(fig, axes, used: int, path: Path) -> Path:
    """Blank the unused panels of a grid, save the figure to ``path`` and close it."""
    import matplotlib.pyplot as plt

    for ax in list(axes.flat)[used:]:
        ax.axis("off")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def plot(table: pd.DataFrame, runs: pd.DataFrame, bands: DailyBands, metrics: list[str],
         folder: Path) -> list[Path]:
    """Effect plot with intervals, distributions by group, daily series with bands."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    groups = sorted(runs["group"].unique())
    bases = set(table["baseline"])
    others = [g for g in groups if g not in bases]
    cols = 3
    rows = math.ceil(len(metrics) / cols)
    paths = []

    fig, axes = plt.subplots(rows, cols, figsize=(5 * cols, 0.35 * len(others) * rows + 2.5 * rows),
                             squeeze=False)
    for ax, metric in zip(axes.flat, metrics, strict=False):
        part = table[(table["metric"] == metric) & ~table["group"].isin(bases)].set_index("group")
        part = part.reindex(others)
        y = np.arange(len(others))
        ax.errorbar(part["diff_mean"], y, xerr=[part["diff_mean"] - part["diff_ci_low"],
                                                part["diff_ci_high"] - part["diff_mean"]],
                    fmt="o", capsize=3)
        ax.axvline(0, color="black", lw=0.8)
        ax.set_yticks(y, others, fontsize=7)
        ax.set_title(f"{metric}\nchange vs baseline (95% CI)", fontsize=9)
    paths.append(_save_panels(fig, axes, len(metrics), folder / "effects.png"))

    fig, axes = plt.subplots(rows, cols, figsize=(5 * cols, 0.35 * len(groups) * rows + 2.5 * rows),
                             squeeze=False)
    for ax, metric in zip(axes.flat, metrics, strict=False):
        data = runs[runs["metric"] == metric]
        values = [data.loc[data["group"] == g, "value"].dropna().to_numpy() for g in groups]
        ax.boxplot(values, orientation="horizontal", widths=0.6)
        for i, v in enumerate(values, start=1):
            ax.plot(v, np.full(len(v), i), ".", alpha=0.5, color="tab:blue")
        ax.set_yticks(np.arange(1, len(groups) + 1), groups, fontsize=7)
        ax.set_title(f"{metric}: runs by group", fontsize=9)
    paths.append(_save_panels(fig, axes, len(metrics), folder / "distributions.png"))

    if bands.n:
        fig, axes = plt.subplots(len(DAILY_SERIES), 1, figsize=(10, 3 * len(DAILY_SERIES)),
                                 squeeze=False)
        for ax, series in zip(axes[:, 0], DAILY_SERIES, strict=True):
            for group in groups:
                if group not in bands.n:
                    continue
                mean, half = bands.summary(group)
                if series not in mean:
                    continue
                m = mean[series].rolling(7, 1).mean()
                h = half[series].rolling(7, 1).mean()
                ax.plot(m.index, m, label=group, lw=1)
                ax.fill_between(m.index, m - h, m + h, alpha=0.2)
            ax.set_title(f"{series} (7-day mean, 95% band across runs)", fontsize=9)
        axes[0, 0].legend(fontsize=6, ncol=2)
        axes[-1, 0].set_xlabel("day")
        fig.tight_layout()
        paths.append(folder / "daily_bands.png")
        fig.savefig(paths[-1], dpi=100)
        plt.close(fig)
    return paths


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m sim.compare", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dirs", nargs="+", type=Path, help="sweep folders (Hydra multirun)")
    parser.add_argument("--baseline", help="baseline group label (or a unique part of it)")
    parser.add_argument("--within", help="override key splitting runs into strata, each with "
                        "its own baseline (e.g. scenario)")
    parser.add_argument("--out", type=Path, help="output folder (default: the first DIR)")
    parser.add_argument("--metrics", default="headline",
                        help="'headline', 'all', or a comma-separated list")
    parser.add_argument("--no-figures", action="store_true")
    args = parser.parse_args(argv)
    try:
        bands = DailyBands()
        runs, problems = load_runs(args.dirs, bands)
        if runs.empty:
            raise CompareError("no finished job to compare: " + "; ".join(
                f"{p.folder.name}: {p.reason}" for p in problems))
        base, how = choose_baseline(runs, args.baseline)
        if args.within:
            base, how = f"per {args.within}", f"each {args.within}'s own baseline group"
        table = compare(runs, None if args.within else base, within=args.within)
    except CompareError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    available = list(dict.fromkeys(runs["metric"]))
    metrics = (available if args.metrics == "all" else
               [m for m in HEADLINE if m in available] if args.metrics == "headline" else
               [m for m in args.metrics.split(",") if m in available])
    out = args.out or args.dirs[0]
    out.mkdir(parents=True, exist_ok=True)
    table_csv = table.to_csv(index=False)
    _write_atomic(out / "comparison.csv", table_csv)
    _write_atomic(out / "comparison.md", markdown(table, metrics, problems, base, how))
    if not args.no_figures:
        plot(table, runs, bands, metrics[:9], out / "figures")
    shown = table[table["metric"].isin(metrics)].copy()
    shown["metric"] = pd.Categorical(shown["metric"], metrics)
    shown = shown.sort_values(["metric", "group"])
    shown["rel_change"] = shown["rel_change"].map(lambda v: "" if math.isnan(v) else f"{v:+.1%}")
    with pd.option_context("display.width", 200, "display.max_rows", 500,
                           "display.max_colwidth", 40, "display.float_format", "{:.4g}".format):
        print(f"baseline: {base} ({how})")
        print(shown[["metric", "group", "runs", "mean", "ci_low", "ci_high", "diff_mean",
                     "diff_ci_low", "diff_ci_high", "rel_change"]].to_string(index=False))
    if problems:
        print(f"\n{len(problems)} job(s) failed or unfinished:")
        for p in problems:
            print(f"  {p.folder}: {p.reason}")
    print(f"\nwritten: {out / 'comparison.csv'}, {out / 'comparison.md'}"
          + ("" if args.no_figures else f", {out / 'figures'}/"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

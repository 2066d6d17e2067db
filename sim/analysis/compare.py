"""Compare the outputs of policy sweeps with statistics: "did the reform help, by how much?".

    python -m sim.compare multirun/levers [more sweep folders] [--baseline reform=none]

Every run folder under the given sweep folders (a folder holding ``.hydra/overrides.yaml``; the
runs of a block job, ``block.size``, are its ``runs/SEED`` folders) is read one at a time. Runs
are grouped by their overrides other than the seed; for each metric of ``summary.json`` each
group gets its runs, mean, standard deviation and a 95% t interval of the mean; against the
baseline group (by default the one whose presets are all baseline) each group gets the paired
difference on matched seeds, which share their demand (common random numbers), with its 95% t
interval and the relative change.

When the runs span several scenarios, each scenario is a stratum with its own baseline group
(a run is only ever paired with a run of its own scenario), and the output says so; ``--within
KEY`` splits the strata further by another override. Groups sort numerically where their
labels hold numbers (5 before 30). The table is printed and written to ``comparison.csv`` and
``comparison.md`` with figures (``effects.png``, ``distributions.png``, ``by_kind.png``,
``daily_bands.png``), each titled with its scenarios and seeds. Failed or unfinished jobs are
listed, never dropped silently.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy import stats

from sim.analysis.levers import lever_presets
from sim.measures.definitions import t_interval

HEADLINE = ("resolution_hours_mean", "resolution_hours_p90", "wait_hours_mean", "on_time_share",
            "overload_index_mean", "overloaded_township_share", "overtime_hours_per_cadre_week",
            "hours_share.service", "hours_share.tasks", "hours_share.meetings",
            "department_utilisation", "department_answer_days_mean")
DAILY_SERIES = ("backlog", "resolution_hours_mean", "overload_index")
#: Daily series that are means over items: a run's day weighs by the items it averages.
DAILY_WEIGHTS = {"resolution_hours_mean": "resolved"}
#: Per kind of request, the figures the headline shows (``requests_by_kind.KIND.FIGURE``).
BY_KIND = ("on_time_share", "resolution_hours_p50", "resolution_hours_p90")
SKIPPED_METRICS = ("runtime_seconds", "seed", "days")
BLOCK_FILE = "block.json"  # a block job's record (sim.runners.batch): a container, not a run


def baseline_presets() -> dict[str, str]:
    """Each lever's baseline preset (the group whose presets all match is the baseline)."""
    return {lever: presets[0] for lever, presets in lever_presets().items()}


def natural_key(label: str) -> list:
    """Sort key that orders the numbers inside a label by value (5 before 30, 0.1 before 0.25)."""
    parts = re.split(r"(-?\d+(?:\.\d+)?(?:e-?\d+)?)", label)
    return [(0, float(p), "") if i % 2 else (1, 0.0, p) for i, p in enumerate(parts)]


def sort_groups(groups) -> list[str]:
    """Group labels in natural order (numbers by value)."""
    return sorted(groups, key=natural_key)


class CompareError(Exception):
    """A problem with the input folders, reported in one line."""


@dataclass
class Problem:
    """A job that did not finish: its folder and why."""

    folder: Path
    reason: str


@dataclass
class DailyBands:
    """Running weighted sums per group and day of the daily series (no run is kept in memory).

    Each run's value on a day weighs by what it averages (resolution time by the requests
    resolved that day, :data:`DAILY_WEIGHTS`; other series weigh 1), so the group's curve is the
    mean over every request resolved that day in any run, not a mean of daily means.
    :meth:`summary` gives two bands: the 95% interval of that mean (with the runs' effective
    number, Kish's ``(sum w)^2 / sum w^2``) and the spread across runs (weighted standard
    deviation of the runs' values).
    """

    w: dict = field(default_factory=dict)
    wx: dict = field(default_factory=dict)
    wxx: dict = field(default_factory=dict)
    ww: dict = field(default_factory=dict)

    @property
    def n(self) -> dict:
        """Groups with data (kept for callers that test ``bands.n``)."""
        return self.w

    def add(self, group: str, daily: pd.DataFrame) -> None:
        """Add one run's daily series to its group's sums."""
        frame = daily.set_index("day")
        values = frame[[c for c in DAILY_SERIES if c in frame]].astype(float)
        weights = pd.DataFrame(1.0, index=values.index, columns=values.columns)
        for series, weight in DAILY_WEIGHTS.items():
            if series in values and weight in frame:
                weights[series] = frame[weight].astype(float)
        weights = weights.where(values.notna(), 0.0)
        x = values.fillna(0.0)
        for store, data in ((self.w, weights), (self.wx, weights * x),
                            (self.wxx, weights * x**2), (self.ww, weights**2)):
            store[group] = data if group not in store else store[group].add(data, fill_value=0)

    def rename(self, mapping: dict[str, str]) -> None:
        """Relabel groups (after the labels are settled)."""
        for store in (self.w, self.wx, self.wxx, self.ww):
            for old, new in mapping.items():
                if old in store and old != new:
                    store[new] = store.pop(old)

    def summary(self, group: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """Weighted mean, half-width of its 95% interval, and the spread across runs (SD)."""
        w = self.w[group]
        mean = self.wx[group] / w.where(w > 0)
        n_eff = w**2 / self.ww[group].where(self.ww[group] > 0)
        variance = (self.wxx[group] / w.where(w > 0) - mean**2).clip(lower=0)
        sd = np.sqrt(variance * n_eff / (n_eff - 1).where(n_eff > 1))
        half = stats.t.ppf(0.975, (n_eff - 1).clip(lower=1)) * sd / np.sqrt(n_eff)
        return mean, half, sd


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
    found = [p for p in found if not (p / BLOCK_FILE).exists()]  # block jobs hold their runs
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


def _kinds_from_tasks(path: Path) -> dict:
    """Per-kind figures from a run's task table, for summaries written before they held them."""
    from sim.runners.outputs import requests_by_kind

    columns = ["kind", "status", "resolution_hours", "deadline_met"]
    return requests_by_kind(pd.read_parquet(path, columns=columns))


def load_runs(dirs: list[Path], bands: DailyBands | None = None):
    """Read every job's summary (and daily series into ``bands``), one job at a time.

    When runs with the same overrides ran different scenarios (set by an experiment file, say),
    their groups get ``scenario=NAME`` added to the label, so that no group mixes scenarios.

    Returns:
        A long DataFrame (group, seed, folder, metric, value) and the list of problems; its
        ``attrs`` hold each group's presets (``policies``) and scenario (``scenarios``).
    """
    rows, problems, policies, scenario_of = [], [], {}, {}
    jobs = job_folders([Path(d) for d in dirs])
    overrides_of = {
        job: yaml.safe_load((job / ".hydra" / "overrides.yaml").read_text(encoding="utf-8")) or []
        for job in jobs
    }
    common = frozenset.intersection(*(frozenset(o) for o in overrides_of.values()))
    for job in jobs:
        label = group_label(overrides_of[job], common)
        summary_file = job / "summary.json"
        if not summary_file.exists():
            error = job / "error.txt"
            reason = (error.read_text(encoding="utf-8").strip().splitlines() or ["failed"])[0] if (
                error.exists()) else "incomplete: no summary.json"
            problems.append(Problem(job, reason))
            continue
        summary = json.loads(summary_file.read_text(encoding="utf-8"))
        if "requests_by_kind" not in summary and (job / "tasks.parquet").exists():
            summary["requests_by_kind"] = _kinds_from_tasks(job / "tasks.parquet")
        scenario = str(summary.get("scenario", ""))
        group = f"{label}\x00{scenario}"
        scenario_of[group] = scenario
        policies.setdefault(group, summary.get("policy", {}))
        for metric, value in _flatten(summary).items():
            rows.append((group, int(summary["seed"]), str(job), metric, value))
        if bands is not None and (job / "daily.parquet").exists():
            daily = pd.read_parquet(job / "daily.parquet")
            bands.add(group, daily[[c for c in ("day", "resolved", *DAILY_SERIES)
                                    if c in daily]])
    scenarios_of_label = {}
    for group, scenario in scenario_of.items():
        scenarios_of_label.setdefault(group.split("\x00")[0], set()).add(scenario)
    names = {}
    for group, scenario in scenario_of.items():
        label = group.split("\x00")[0]
        if len(scenarios_of_label[label]) > 1:  # the overrides alone would mix scenarios
            label = f"scenario={scenario}" if label == "(defaults)" else (
                f"{label}, scenario={scenario}")
        names[group] = label
    if len(set(names.values())) < len(names):
        raise CompareError("two groups got the same label: " + "; ".join(sorted(names.values())))
    runs = pd.DataFrame(rows, columns=["group", "seed", "folder", "metric", "value"])
    runs["group"] = runs["group"].map(names)
    if bands is not None:
        bands.rename(names)
    runs.attrs["policies"] = {names[g]: p for g, p in policies.items()}
    runs.attrs["scenarios"] = {names[g]: s for g, s in scenario_of.items()}
    return runs, problems


def choose_baseline(runs: pd.DataFrame, baseline: str | None) -> tuple[str, str]:
    """The baseline group and how it was chosen."""
    groups = sort_groups(runs["group"].unique())
    if baseline:
        exact = [g for g in groups if g == baseline]
        matches = exact or [g for g in groups if baseline in g]
        if len(matches) != 1:
            raise CompareError(f"--baseline {baseline!r} matches {len(matches)} groups; "
                               f"groups are: {'; '.join(groups)}")
        return matches[0], "chosen with --baseline"
    policies = runs.attrs.get("policies", {})
    for group in groups:
        if all(policies.get(group, {}).get(k, v) == v for k, v in baseline_presets().items()):
            return group, "every preset at baseline"
    return groups[0], "no group has every preset at baseline: the first group is the reference"


def _override_value(group: str, key: str) -> str:
    """The value of override ``key`` in a group label, or ''."""
    for part in group.split(", "):
        name, _, value = part.lstrip("+").partition("=")
        if name == key:
            return value
    return ""


def strata(runs: pd.DataFrame, within: str | None = None) -> dict[str, str]:
    """Each group's stratum: its scenario when the runs span several, and ``within``'s value."""
    scenarios = runs.attrs.get("scenarios", {})
    several = len(set(scenarios.values())) > 1
    out = {}
    for group in runs["group"].unique():
        parts = [f"scenario={scenarios.get(group, '')}"] if several else []
        if within:
            parts.append(f"{within}={_override_value(group, within)}")
        out[group] = ", ".join(parts)
    return out


def compare(runs: pd.DataFrame, baseline: str | None = None,
            within: str | None = None) -> pd.DataFrame:
    """The comparison table: one row per group and metric (long format).

    Args:
        runs: Long table from :func:`load_runs`.
        baseline: Baseline group label (or a unique part of it, within each stratum); default:
            the group with every preset at baseline.
        within: An override key (e.g. ``policy.posts.per_township``) whose value splits the runs
            into further strata, each compared with its own baseline group. Runs of different
            scenarios are always in different strata.
    """
    wide = runs.pivot_table(index=["group", "seed"], columns="metric", values="value",
                            aggfunc="first")
    stratum_of = strata(runs, within)
    bases = {}
    for stratum in sorted(set(stratum_of.values()), key=natural_key):
        part = runs[runs["group"].map(stratum_of) == stratum]
        part.attrs = runs.attrs
        bases[stratum], _ = choose_baseline(part, baseline)
    rows = []
    for (group, metric), values in runs.groupby(["group", "metric"])["value"]:
        base = bases[stratum_of[group]]
        reference = wide.loc[base]
        x = values.dropna().to_numpy()
        low, high = t_interval(x)[1:]
        row = {"group": group, "metric": metric, "stratum": stratum_of[group], "runs": len(x),
               "mean": float(np.mean(x)) if len(x) else math.nan,
               "std": float(np.std(x, ddof=1)) if len(x) > 1 else math.nan,
               "ci_low": low, "ci_high": high, "baseline": base}
        if group != base and metric in reference:
            mine = wide.loc[group, metric]
            pairs = pd.concat([mine, reference[metric]], axis=1, join="inner").dropna()
            diff = (pairs.iloc[:, 0] - pairs.iloc[:, 1]).to_numpy()
            d_low, d_high = t_interval(diff)[1:]
            base_mean = float(pairs.iloc[:, 1].mean()) if len(pairs) else math.nan
            row.update(pairs=len(diff), diff_mean=float(diff.mean()) if len(diff) else math.nan,
                       diff_ci_low=d_low, diff_ci_high=d_high,
                       rel_change=(float(diff.mean()) / base_mean
                                   if len(diff) and base_mean else math.nan))
        else:
            row.update(pairs=0, diff_mean=math.nan, diff_ci_low=math.nan, diff_ci_high=math.nan,
                       rel_change=math.nan)
        rows.append(row)
    table = pd.DataFrame(rows)
    order = {g: i for i, g in enumerate(sort_groups(table["group"].unique()))}
    return table.sort_values(["metric", "group"], key=lambda c: c.map(order) if c.name ==
                             "group" else c, kind="stable").reset_index(drop=True)


def seeds_note(runs: pd.DataFrame) -> str:
    """Scenarios and seeds of the runs, for titles: 'classroom; seeds 0-19 (20)'."""
    seeds = sorted(set(runs["seed"]))
    scenarios = sorted(set(runs.attrs.get("scenarios", {}).values()) - {""})
    span = (f"seed {seeds[0]}" if len(seeds) == 1 else
            f"seeds {seeds[0]}-{seeds[-1]} ({len(seeds)})" if seeds == list(
                range(seeds[0], seeds[-1] + 1)) else f"{len(seeds)} seeds")
    return f"{', '.join(scenarios) or 'runs'}; {span}"


def _write_atomic(path: Path, text: str) -> None:
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(temp, path)


def _fmt(value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:.3g}" if abs(value) < 1e4 else f"{value:.0f}"


def markdown(table: pd.DataFrame, metrics: list[str], problems: list[Problem], base: str,
             how: str, note: str = "") -> str:
    """The comparison as Markdown: one table per metric, then the problems."""
    out = [f"# Comparison\n\n{note}\n\nBaseline group: `{base}` ({how}). Intervals are 95% t "
           "intervals; differences are paired on matched seeds (common random numbers).\n"]
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
    """Effects with intervals, distributions by group, figures by kind, daily series with bands.

    Every figure's title names the scenarios and seeds; the groups (the policies compared) label
    the rows or the legend.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    note = seeds_note(runs)
    groups = sort_groups(runs["group"].unique())
    bases = set(table["baseline"])
    others = [g for g in groups if g not in bases]
    cols = 3
    paths = []

    def grid(names, height_per):
        rows = max(math.ceil(len(names) / cols), 1)
        fig, axes = plt.subplots(rows, cols, figsize=(5 * cols, height_per * rows + 2.5 * rows),
                                 squeeze=False)
        return fig, axes

    def effects(names, path, title):
        fig, axes = grid(names, 0.35 * len(others))
        for ax, metric in zip(axes.flat, names, strict=False):
            part = table[(table["metric"] == metric) & ~table["group"].isin(bases)]
            part = part.set_index("group").reindex(others)
            y = np.arange(len(others))
            ax.errorbar(part["diff_mean"], y, xerr=[part["diff_mean"] - part["diff_ci_low"],
                                                    part["diff_ci_high"] - part["diff_mean"]],
                        fmt="o", capsize=3)
            ax.axvline(0, color="black", lw=0.8)
            ax.set_yticks(y, others, fontsize=7)
            ax.set_title(f"{metric}\npaired change vs baseline (95% CI)", fontsize=9)
        fig.suptitle(title, fontsize=10)
        return _save_panels(fig, axes, len(names), path)

    paths.append(effects(metrics, folder / "effects.png",
                         f"Effects of each group against its baseline: {note}"))

    fig, axes = grid(metrics, 0.35 * len(groups))
    for ax, metric in zip(axes.flat, metrics, strict=False):
        data = runs[runs["metric"] == metric]
        values = [data.loc[data["group"] == g, "value"].dropna().to_numpy() for g in groups]
        ax.boxplot(values, orientation="horizontal", widths=0.6)
        for i, v in enumerate(values, start=1):
            ax.plot(v, np.full(len(v), i), ".", alpha=0.5, color="tab:blue")
        ax.set_yticks(np.arange(1, len(groups) + 1), groups, fontsize=7)
        ax.set_title(f"{metric}: runs by group", fontsize=9)
    fig.suptitle(f"One point per run: {note}", fontsize=10)
    paths.append(_save_panels(fig, axes, len(metrics), folder / "distributions.png"))

    kinds = [m for m in dict.fromkeys(table["metric"]) if m.startswith("requests_by_kind.")
             and m.rsplit(".", 1)[1] in BY_KIND]
    if kinds and others:
        paths.append(effects(kinds, folder / "by_kind.png",
                             f"By kind of request, paired change vs baseline: {note}"))

    if bands.w:
        fig, axes = plt.subplots(len(DAILY_SERIES), 1, figsize=(10, 3 * len(DAILY_SERIES)),
                                 squeeze=False)
        for ax, series in zip(axes[:, 0], DAILY_SERIES, strict=True):
            for group in groups:
                if group not in bands.w:
                    continue
                mean, half, sd = bands.summary(group)
                if series not in mean:
                    continue
                m = mean[series].rolling(7, 1).mean()
                h = half[series].rolling(7, 1).mean()
                spread = sd[series].rolling(7, 1).mean()
                line, = ax.plot(m.index, m, label=group, lw=1)
                ax.fill_between(m.index, m - spread, m + spread, alpha=0.08,
                                color=line.get_color(), lw=0)
                ax.fill_between(m.index, m - h, m + h, alpha=0.3, color=line.get_color(), lw=0)
            weighted = (f", each run's day weighted by its {DAILY_WEIGHTS[series]} count"
                        if series in DAILY_WEIGHTS else "")
            ax.set_title(f"{series}: 7-day mean over runs{weighted}; dark band 95% interval "
                         "of the mean, light band ±1 SD across runs", fontsize=8)
        axes[0, 0].legend(fontsize=6, ncol=2)
        axes[-1, 0].set_xlabel("day")
        fig.suptitle(f"Daily series by group: {note}", fontsize=10)
        fig.tight_layout()
        paths.append(folder / "daily_bands.png")
        fig.savefig(paths[-1], dpi=100)
        plt.close(fig)
    return paths


def headline(available: list[str]) -> list[str]:
    """The headline metrics present, then on-time share and percentiles by kind of request."""
    kinds = [m for m in available if m.startswith("requests_by_kind.")
             and m.rsplit(".", 1)[1] in BY_KIND]
    return [m for m in HEADLINE if m in available] + kinds


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m sim.compare", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dirs", nargs="+", type=Path, help="sweep folders (Hydra multirun)")
    parser.add_argument("--baseline", help="baseline group label (or a unique part of it)")
    parser.add_argument("--within", help="override key splitting runs into further strata, each "
                        "with its own baseline (runs of different scenarios always are)")
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
        table = compare(runs, args.baseline, within=args.within)
    except CompareError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    stratified = sorted(set(table["stratum"]) - {""}, key=natural_key)
    bases = sort_groups(set(table["baseline"]))
    if stratified:
        base = "; ".join(f"{s}: {b}" for s, b in zip(
            stratified, [table.loc[table["stratum"] == s, "baseline"].iloc[0]
                         for s in stratified], strict=True))
        how = ("runs span several strata (" + ", ".join(stratified) + "); each is compared "
               "only with its own baseline group, "
               + ("chosen with --baseline" if args.baseline else "every preset at baseline"))
    else:
        base = bases[0]
        how = ("chosen with --baseline" if args.baseline else
               choose_baseline(runs, None)[1])
    note = f"Runs: {seeds_note(runs)}."
    available = list(dict.fromkeys(runs["metric"]))
    metrics = (available if args.metrics == "all" else headline(available)
               if args.metrics == "headline" else
               [m for m in args.metrics.split(",") if m in available])
    out = args.out or args.dirs[0]
    out.mkdir(parents=True, exist_ok=True)
    _write_atomic(out / "comparison.csv", table.to_csv(index=False))
    _write_atomic(out / "comparison.md", markdown(table, metrics, problems, base, how, note))
    if not args.no_figures:
        plot(table, runs, bands, [m for m in metrics if not m.startswith("requests_by_kind.")][:9],
             out / "figures")
    shown = table[table["metric"].isin(metrics)].copy()
    shown["metric"] = pd.Categorical(shown["metric"], metrics)
    shown = shown.sort_values("metric", kind="stable")
    shown["rel_change"] = shown["rel_change"].map(lambda v: "" if math.isnan(v) else f"{v:+.1%}")
    with pd.option_context("display.width", 200, "display.max_rows", 500,
                           "display.max_colwidth", 40, "display.float_format", "{:.4g}".format):
        print(note)
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

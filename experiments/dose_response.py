"""Dose-response figure of a study from its comparison.csv (written by ``python -m sim.compare``).

    python experiments/dose_response.py experiments/sink_dose policy.posts.per_township \
        --lines policy.posts.allocation --metrics overload_index_mean,resolution_hours_mean

Each group label holds the swept overrides; the dose is the value of one override (x axis), the
lines are the values of another. Points are group means with their 95% intervals.
"""

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402


def value_of(label: str, key: str) -> str:
    """The value of override ``key`` in a group label ('' if absent)."""
    for part in label.split(", "):
        k, _, v = part.partition("=")
        if k == key:
            return v
    return ""


def main() -> None:
    """Draw ``dose_response.png`` beside the study's comparison.csv."""
    parser = argparse.ArgumentParser()
    parser.add_argument("study", type=Path)
    parser.add_argument("dose")
    parser.add_argument("--lines", default=None)
    parser.add_argument("--metrics", default="overload_index_mean,resolution_hours_mean")
    parser.add_argument("--xlabel", default=None)
    args = parser.parse_args()
    table = pd.read_csv(args.study / "comparison.csv")
    table["dose"] = table["group"].map(lambda g: float(value_of(g, args.dose) or 0))
    table["line"] = table["group"].map(lambda g: value_of(g, args.lines) if args.lines else "")
    metrics = args.metrics.split(",")
    fig, axes = plt.subplots(1, len(metrics), figsize=(5.5 * len(metrics), 4), squeeze=False)
    for ax, metric in zip(axes[0], metrics, strict=True):
        part = table[table["metric"] == metric]
        for line, rows in part.groupby("line"):
            rows = rows.sort_values("dose")
            ax.errorbar(rows["dose"], rows["mean"],
                        yerr=[rows["mean"] - rows["ci_low"], rows["ci_high"] - rows["mean"]],
                        marker="o", capsize=3, label=line or None)
        ax.set_xlabel(args.xlabel or args.dose)
        ax.set_title(f"{metric} (mean, 95% CI)")
        if args.lines:
            ax.legend(title=args.lines.rsplit(".", 1)[-1], fontsize=8)
    fig.tight_layout()
    fig.savefig(args.study / "dose_response.png", dpi=110)


if __name__ == "__main__":
    main()

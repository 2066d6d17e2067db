"""Figures of one run: backlog and resolution time, overload by township, where hours go.

Townships are labelled by name (as a county's tables name them, :mod:`sim.county`), with their
population and posts when the township summary (:mod:`sim.measures.by_unit`) is given.
"""

from __future__ import annotations

import logging
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
logging.getLogger("matplotlib.category").setLevel(logging.WARNING)
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from sim.agents.township import HOURS_CATEGORIES  # noqa: E402
from sim.measures.definitions import overload_index  # noqa: E402

#: Font files (by name fragment) that hold Chinese glyphs, for township names from tables.
CJK_FONT_FILES = ("wqy", "notosanscjk", "notoserifcjk", "sourcehansans", "simhei", "msyh",
                  "pingfang", "droidsansfallback")



def weekly_resolution_days(daily: pd.DataFrame) -> pd.Series:
    """Mean resolution time (days) over the requests resolved in each trailing 7 days.

    Weighted by the number resolved each day, not a mean of daily means.
    """
    total = (daily["resolution_hours_mean"].fillna(0) * daily["resolved"]).rolling(7, 1).sum()
    return total / daily["resolved"].rolling(7, 1).sum().where(lambda n: n > 0) / 24.0

def use_cjk_fonts() -> list[str]:
    """Let figures show Chinese names: add the system's CJK fonts as fallbacks; return them.

    Matplotlib's font cache may predate them, so the files are added directly; each glyph then
    comes from the first family in ``font.family`` that has it.
    """
    families = []
    for path in font_manager.findSystemFonts():
        if any(part in Path(path).name.lower() for part in CJK_FONT_FILES):
            try:
                font_manager.fontManager.addfont(path)
                families.append(font_manager.FontProperties(fname=path).get_name())
            except (OSError, RuntimeError, ValueError):
                continue
    families = list(dict.fromkeys(families))
    if families:
        plt.rcParams["font.family"] = ["DejaVu Sans", *families]
    return families

# tab10 for the first ten categories, tab20's darker shades after them (own work, issue 11).
COLOURS = dict(zip(HOURS_CATEGORIES, [*plt.get_cmap("tab10").colors,
                                      *plt.get_cmap("tab20b").colors[::4]], strict=False))


def township_labels(units: pd.DataFrame | None) -> dict[str, str]:
    """Axis label of each township name: ``name (31k people, 23 posts)``."""
    if units is None:
        return {}
    return {row.name: f"{row.name} ({row.population / 1000:.0f}k people, {row.posts_start} posts)"
            for row in units[["name", "population", "posts_start"]].itertuples(index=False)}


def plot_run(daily: pd.DataFrame, townships: pd.DataFrame, title: str, folder: Path,
             units: pd.DataFrame | None = None) -> list[Path]:
    """Draw the three figures of a run into ``folder``; return their paths.

    Args:
        daily: The county's daily series.
        townships: The township-day table (with township names).
        title: Title prefix (the scenario's name).
        folder: Where the PNG files go.
        units: The township summary (:func:`sim.measures.by_unit.township_summary`), to label
            townships with their population and posts; without it, by name alone.
    """
    folder.mkdir(parents=True, exist_ok=True)
    labels = township_labels(units)
    if not all(str(name).isascii() for name in townships["name"].unique()):
        use_cjk_fonts()
    paths = [folder / "backlog_resolution.png", folder / "overload_by_township.png",
             folder / "hours.png"]

    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(8, 5.5), sharex=True)
    ax1.plot(daily["day"], daily["backlog"], color="tab:red")
    ax1.set_ylabel("items waiting")
    ax1.set_title(f"{title}: backlog and resolution time")
    ax2.plot(daily["day"], weekly_resolution_days(daily), color="tab:blue")
    ax2.set_ylabel("resolution time, days\n(7-day mean)")
    ax2.set_xlabel("day")
    fig.tight_layout()
    fig.savefig(paths[0], dpi=110)
    plt.close(fig)

    totals = townships.groupby("name")[["demand_hours", "capacity_hours"]].sum()
    load = pd.Series(overload_index(totals["demand_hours"], totals["capacity_hours"]),
                     index=totals.index).sort_values()
    load.index = [labels.get(name, name) for name in load.index]
    fig, ax = plt.subplots(figsize=(8, 0.3 * len(load) + 1.5))
    ax.barh(load.index, load.to_numpy(), color=np.where(load > 1, "tab:red", "tab:green"))
    ax.axvline(1.0, color="black", lw=1)
    ax.set_xlabel("overload index (work demanded / regular capacity)")
    ax.set_title(f"{title}: overload index by township")
    fig.tight_layout()
    fig.savefig(paths[1], dpi=110)
    plt.close(fig)

    columns = [f"hours_{c}" for c in HOURS_CATEGORIES]
    by_township = townships.groupby("name")[columns].sum()
    shares = by_township.div(by_township.sum(axis=1), axis=0)
    shares.index = [labels.get(name, name) for name in shares.index]
    fig, ax = plt.subplots(figsize=(8, 0.3 * len(shares) + 2))
    left = np.zeros(len(shares))
    for category, column in zip(HOURS_CATEGORIES, columns, strict=True):
        ax.barh(shares.index, shares[column], left=left, label=category.replace("_", " "),
                color=COLOURS[category])
        left += shares[column].to_numpy()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of cadre hours")
    ax.set_title(f"{title}: where cadres' hours go")
    ax.legend(ncol=4, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.18))
    fig.tight_layout()
    fig.savefig(paths[2], dpi=110)
    plt.close(fig)
    return paths

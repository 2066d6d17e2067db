"""Resolution statistics that count the requests still open at the end (issue 11, item 8).

A run's resolved requests are a biased sample: the longest cases of its last weeks are still
open, so a short run reports shorter resolution times than a long one. Here the resolution time
is estimated with the requests still open as right-censored observations (open for at least the
time from arrival to the end of the run): the Kaplan-Meier estimate of its distribution
(:func:`scipy.stats.ecdf` on :class:`scipy.stats.CensoredData`). The on-time share is taken over
the requests whose deadline fell inside the run, whose outcome is known whether or not they were
resolved. A warm-up period can be left out: requests that arrived before it are not counted.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from sim.kernels.survival import TOLERANCE, km_reach
from sim.measures.definitions import deadline_met
from sim.work import CITIZEN_KINDS


def km_quantiles(resolved_hours: np.ndarray, open_hours: np.ndarray,
                 probabilities=(0.5, 0.9), *, in_place: bool = False) -> list[float]:
    """Kaplan-Meier quantiles of a time to resolution, open items right-censored.

    Args:
        resolved_hours: Times of the items resolved.
        open_hours: Times the open items had been open at the end (censored).
        probabilities: The quantiles wanted, ascending.
        in_place: Sort the two arrays given (float arrays the caller no longer needs) instead
            of copies: a province's requests take half the memory.

    Returns:
        The smallest time at which the estimated share resolved reaches each probability; NaN
        where the estimate never reaches it (too many items open for too long), or when there
        are no items.
    """
    take = np.asarray if in_place else np.array  # np.array copies
    resolved_hours = take(resolved_hours, dtype=float)
    open_hours = take(open_hours, dtype=float)
    if len(resolved_hours) == 0:
        return [float("nan")] * len(probabilities)
    if np.isfinite(resolved_hours).all() and np.isfinite(open_hours).all():
        resolved_hours.sort()
        open_hours.sort()
        out = np.empty(len(probabilities))
        km_reach(resolved_hours, open_hours, np.asarray(probabilities, dtype=float), out)
        return [float(x) for x in out]
    # scipy says what is wrong with the data
    cdf = stats.ecdf(stats.CensoredData(uncensored=resolved_hours, right=open_hours)).cdf
    out = []
    for p in probabilities:
        reached = np.flatnonzero(cdf.probabilities >= p - TOLERANCE)
        out.append(float(cdf.quantiles[reached[0]]) if len(reached) else float("nan"))
    return out


def resolution_stats(tasks: pd.DataFrame, end_hours: float, warmup_days: int = 0) -> dict:
    """County and per-kind resolution figures of citizen requests, open ones counted.

    Args:
        tasks: The run's task table (:func:`sim.measures.metrics.task_table`).
        end_hours: The end of the run, in hours since its start.
        warmup_days: Requests that arrived in the first ``warmup_days`` days are left out.

    Returns:
        ``resolution_hours_km_p50``, ``resolution_hours_km_p90``, ``on_time_share_due`` (share
        of requests due inside the run that were resolved by their deadline), ``requests_due``,
        and ``resolution_by_kind``: per kind, arrived, resolved, open, ``on_time_share_due``,
        ``resolution_hours_p50`` and ``_p90`` (Kaplan-Meier) and ``resolution_hours_mean``
        (resolved only).
    """
    kinds = [k.name.lower() for k in CITIZEN_KINDS]
    # Masks over the whole table, not copies of its rows: a province pools about 7 million
    # requests, and a copy of them per kind cost hundreds of megabytes.
    kind = tasks["kind"]
    arrival = tasks["arrival"].to_numpy()
    citizen = kind.isin(kinds).to_numpy() & (arrival >= warmup_days * 24.0)
    resolved = (tasks["status"] == "resolved").to_numpy() & citizen
    hours = tasks["resolution_hours"].to_numpy()
    deadline = tasks["deadline"].to_numpy()
    due = (deadline <= end_hours) & citizen
    met = resolved & deadline_met(tasks["finish"].to_numpy(), deadline)

    def figures(rows: np.ndarray) -> dict:
        mine = resolved & rows
        p50, p90 = km_quantiles(hours[mine], end_hours - arrival[rows & ~resolved],
                                in_place=True)
        n_due = int(np.count_nonzero(due & rows))
        n_resolved = int(np.count_nonzero(mine))
        arrived = int(np.count_nonzero(rows))
        return {
            "arrived": arrived,
            "resolved": n_resolved,
            "open": arrived - n_resolved,
            "due": n_due,
            "on_time_share_due": (float(met[due & rows].mean()) if n_due else float("nan")),
            "resolution_hours_p50": p50,
            "resolution_hours_p90": p90,
            "resolution_hours_mean": float(hours[mine].mean()) if n_resolved
            else float("nan"),
        }

    county = figures(citizen)
    # Kinds in the order pandas groups them: a category's own order, else sorted by name.
    present = set(kind[citizen].unique())
    order = kind.cat.categories if isinstance(kind.dtype, pd.CategoricalDtype) else sorted(present)
    by_kind = {name: figures(citizen & (kind == name).to_numpy())
               for name in order if name in present}
    return {
        "resolution_hours_km_p50": county["resolution_hours_p50"],
        "resolution_hours_km_p90": county["resolution_hours_p90"],
        "on_time_share_due": county["on_time_share_due"],
        "requests_due": county["due"],
        "resolution_by_kind": by_kind,
    }

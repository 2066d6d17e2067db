"""One definition of each measure that more than one place reports (DESIGN.md section 5).

Every table, summary, figure, province aggregate and dashboard chart that shows one of these
calls the function here, so a measure cannot mean two things. The functions take plain numbers
or arrays (scalars or NumPy arrays broadcast alike) and import nothing from the model, so the
model's daily records may use them too.
"""

from __future__ import annotations

import math

import numpy as np

#: A township above this overload index has more work than its cadres' regular hours.
OVERLOAD_THRESHOLD = 1.0


def overload_index(demand_hours, capacity_hours):
    """The overload index (小马拉大车指数): hours of work demanded / regular hours on duty.

    Demanded hours are the efforts of the work that arrived plus the mandatory work (meetings
    with travel, documents, inspections, chat groups); capacity is the regular hours of the
    cadres on duty. NaN where there was no capacity.
    """
    if np.ndim(demand_hours) == 0 and np.ndim(capacity_hours) == 0:  # one day, one county
        demand, capacity = float(demand_hours), float(capacity_hours)
        return demand / capacity if capacity > 0 else float("nan")
    demand = np.asarray(demand_hours, dtype=float)
    capacity = np.asarray(capacity_hours, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(capacity > 0, demand / np.where(capacity > 0, capacity, 1.0), np.nan)
    return float(out) if out.ndim == 0 else out


def hours_shares(hours, categories) -> dict[str, float]:
    """Share of cadre hours in each category (all zero when no hour was worked)."""
    hours = np.asarray(hours, dtype=float)
    total = hours.sum()
    return {name: float(h / total) if total else 0.0
            for name, h in zip(categories, hours, strict=True)}


def hours_per_cadre_week(worked_hours, cadre_days, days_per_week: float = 5.0) -> float:
    """Hours a township cadre works in a five-day week: all hours booked / cadre-days x 5.

    Booked hours are every category of the hours shares (service, tasks, meetings, ...; a
    seconded cadre's day counts as the borrowing unit's regular day); cadre-days count every
    township cadre at work on a working day. 0 without cadre-days.
    """
    return float(worked_hours / cadre_days * days_per_week) if cadre_days else 0.0


def deadline_met(finish, deadline):
    """Whether each item was finished by its deadline (False while unfinished)."""
    return np.asarray(finish) <= np.asarray(deadline)


def utilisation(worked_hours, capacity_hours) -> float:
    """Hours worked / regular staff hours (0 without staff hours)."""
    return float(worked_hours / capacity_hours) if capacity_hours else 0.0


def visit_coverage(visits, households) -> float:
    """Share of households visited at least once (visits go door to door, in turn).

    ``visits`` and ``households`` are per village; a village's visits count up to its
    households (a second round adds no coverage). 0 without households.
    """
    visits = np.asarray(visits, dtype=float)
    households = np.asarray(households, dtype=float)
    total = households.sum()
    return float(np.minimum(visits, households).sum() / total) if total else 0.0


def found_early_share(found, reported, escalated) -> float:
    """Share of the latent needs that came to light which proactive visits found early.

    Needs come to light by a visit (found), or when the household reports them after the
    report delay, as an ordinary request or an escalation. NaN when none came to light.
    """
    total = found + reported + escalated
    return float(found / total) if total else float("nan")



def t_interval(values, confidence: float = 0.95) -> tuple[float, float, float]:
    """Mean and two-sided Student t interval of the mean of ``values`` (scipy.stats).

    Non-finite values are dropped. With no value all three are NaN; with one value the interval
    is NaN; when every value is the same the interval is that value. Used by ``sim.compare``,
    the lever effects, the dashboard's several-seed comparison and the own-work studies.
    """
    from scipy import stats  # imported here: the daily records use this module too

    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return math.nan, math.nan, math.nan
    mean = float(values.mean())
    if len(values) < 2:
        return mean, math.nan, math.nan
    sem = stats.sem(values)
    if sem == 0:
        return mean, mean, mean
    low, high = stats.t.interval(confidence, len(values) - 1, loc=mean, scale=sem)
    return mean, float(low), float(high)

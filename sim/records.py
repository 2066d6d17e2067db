"""The county's daily records: what each day leaves behind, collected through Mesa's DataCollector.

The townships write their own end-of-day rows (:meth:`sim.agents.township.Townships.record_day`);
this module keeps the county's series (backlog, resolutions, overload, hours by category, posts)
and the weekly tallies of cadres' hours. Measures (:mod:`sim.measures.metrics`) are derived from
these records and from the item table, never from counters bumped by hand.
"""

from __future__ import annotations

import math

import mesa
import numpy as np

from sim.agents.township import HOURS_CATEGORIES
from sim.measures.definitions import overload_index


class NumberCollector(mesa.DataCollector):
    """Mesa's DataCollector for model reporters that each return a number.

    Mesa deep-copies every reported value, so that a reported list or array cannot be changed
    by later steps. A number cannot be changed, and ``deepcopy`` of one returns it as it is, so
    here the copy (some 7,000 calls a simulated year) is skipped. A model reporter that returns
    anything but a number is refused (TypeError); agent reporters go through Mesa's own
    collection.
    """

    def collect(self, model) -> None:
        """Append each model reporter's value to its series."""
        if self.agent_reporters or self.agenttype_reporters:
            super().collect(model)
            return
        for name, reporter in self.model_reporters.items():
            value = reporter(model)
            if not isinstance(value, int | float | np.number):
                raise TypeError(f"daily reporter {name!r} returned {type(value).__name__}, "
                                "not a number")
            self.model_vars[name].append(value)


class DailyRecords:
    """The county's state at the end of each day, and the day's resolutions.

    Args:
        model: The county model whose collections are recorded.
    """

    def __init__(self, model):
        """Start with an empty day and a DataCollector of the county's daily series."""
        self.model = model
        self.week_over_50 = 0
        self.cadre_weeks = 0
        self._totals_at_close = None
        self.open_day()
        self.collector = NumberCollector(model_reporters=DAILY_REPORTERS)

    def open_day(self) -> None:
        """Note where the day starts from (totals so far), to take differences at its end."""
        self._resolved: list[np.ndarray] = []  # the day's resolution times, by batch
        self.resolved_count = 0
        if self._totals_at_close is None:  # the first day
            self._totals_at_close = self._totals()
        # Nothing happens between one day's close and the next day's opening: the totals
        # summed at the close are where the day starts from.
        self._hours_before, self._demand_before, self._capacity_before = self._totals_at_close
        self._totals_at_close = None
        self.backlog = 0
        self.hours = np.zeros(len(HOURS_CATEGORIES))
        self.overload = math.nan
        self.resolution_hours = math.nan

    def _totals(self) -> tuple[np.ndarray, float, float]:
        """The townships' totals so far: hours by category, demand and capacity hours."""
        townships = self.model.townships
        return townships.hours.sum(axis=0), townships.demand.sum(), townships.capacity.sum()

    def note_resolved(self, resolution_hours) -> None:
        """Requests resolved today, with their resolution times (calendar hours)."""
        hours = np.asarray(resolution_hours, dtype=float).ravel()
        if len(hours):
            self._resolved.append(hours)

    def close_day(self, day: int) -> None:
        """Record the end of ``day``: the townships' rows, the county's series, weekly hours."""
        model = self.model
        townships, roster = model.townships, model.roster
        totals = self._totals_at_close = self._totals()
        self.hours = totals[0] - self._hours_before
        demand = totals[1] - self._demand_before
        capacity = totals[2] - self._capacity_before
        self.overload = overload_index(demand, capacity)
        resolved = np.concatenate(self._resolved) if self._resolved else None
        self.resolved_count = 0 if resolved is None else len(resolved)
        # The mean as np.mean takes it (one pairwise sum, then a division).
        self.resolution_hours = (float(np.add.reduce(resolved) / len(resolved))
                                 if resolved is not None else math.nan)
        self.backlog, self.secondments_active, self.vacancies, self.posts_townships = (
            townships.record_day(day))
        self.posts_pool = int(np.count_nonzero(roster.unit == model.pool_unit))
        self.posts_departments = len(roster) - self.posts_townships - self.posts_pool
        if day % 7 == 6:
            occupied = (roster.unit < len(townships)) & roster.occupied
            self.week_over_50 += int(np.count_nonzero(occupied & (roster.week_hours > 50)))
            self.cadre_weeks += int(np.count_nonzero(occupied))
            roster.week_hours[:] = 0.0
        self.collector.collect(model)


DAILY_REPORTERS = {
    "backlog": lambda m: m.records.backlog,
    "resolved": lambda m: m.records.resolved_count,
    "resolution_hours_mean": lambda m: m.records.resolution_hours,
    "overload_index": lambda m: m.records.overload,
    **{f"hours_{name}": (lambda m, i=i: float(m.records.hours[i]))
       for i, name in enumerate(HOURS_CATEGORIES)},
    "secondments_active": lambda m: m.records.secondments_active,
    "vacancies": lambda m: m.records.vacancies,
    "posts_townships": lambda m: m.records.posts_townships,
    "posts_departments": lambda m: m.records.posts_departments,
    "department_backlog_hours": lambda m: float(sum(m.departments.backlog.tolist())),
}

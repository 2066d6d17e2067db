"""Residents' evaluation of service: call-backs and on-site evaluation (seed 001, Zhucheng).

Zhucheng (seed 001) makes the people who deal with the community grids their evaluators, through
on-site machine ratings and telephone call-backs on satisfaction, to push the grids to improve
how they work. Here a share ``callback_share`` of the residents' requests resolved (emergencies
aside) is called back ``callback_delay_days`` after resolution. The resident is unsatisfied with
chance ``unsatisfied_base x (1 + unsatisfied_per_wait_day x days waited) x care^-care_elasticity``
(at most 1); an unsatisfied request reopens as a new item of rework (kind ``rework`` without a
case, ``reopen_effort_share`` of its first effort) at its township, due after a general
deadline. Knowing that they are called back, cadres give residents' requests
``care_effort_multiplier`` times their effort (items the contractors do, ``purchase.py``, get
ordinary care), and, under ``scenario.discipline=evaluation``, satisfaction enters the township's
score: requests' evaluation weight is multiplied by ``request_weight_multiplier``
(:func:`sim.policies.evaluation.priority_table`), so they climb the queue against tasks.

Each item of the day's demand gets two uniforms from the ``feedback`` stream (called back or not,
satisfied or not) when it is created, whatever the policy (common random numbers). A request is
called back once; a reopened item is not called back again. The task table's ``reopened_from``
names the request a reopened item reopens; :func:`final_resolution_hours` gives each request's
time to its last resolution.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.config import FeedbackPolicy, ScenarioConfig
from sim.work import CALENDAR_HOURS_PER_WORKING_DAY, HOURS_PER_DAY, RESOLVED, Kind

#: The residents' requests that are called back and given more care.
EVALUATED_KINDS = (Kind.REQUEST, Kind.COMPLEX, Kind.UTILITY, Kind.CROSS_DEPARTMENT)
_NO_IDS, _NO_TIMES = np.zeros(0, dtype=np.int64), np.zeros(0)


class ResidentsEvaluation:
    """Gives residents' requests care, calls them back and reopens the unsatisfied ones.

    Args:
        scenario: The general deadline of a reopened request; pure queue (no evaluation there).
        policy: Call-back share and delay, the chance of dissatisfaction, care, reopen effort.
        rng: The ``feedback`` stream.
    """

    def __init__(self, scenario: ScenarioConfig, policy: FeedbackPolicy, rng):
        """Nothing is called back yet."""
        self.policy, self.rng = policy, rng
        self.enabled = policy.callback_share > 0 and not scenario.pure_queue
        self.deadline_hours = scenario.deadline_general_days * CALENDAR_HOURS_PER_WORKING_DAY
        self.delay_hours = policy.callback_delay_days * HOURS_PER_DAY
        self.draws = np.ones((0, 2))  # per item id: call-back, satisfaction (1: never)
        self.care = np.ones(0)  # effort given / effort needed, per item id
        self.considered = np.zeros(0, dtype=bool)  # its call-back was decided
        self.reopened_from = np.full(0, -1, dtype=np.int64)
        self.first = 0  # every item below is settled (decided, or never called back)
        self.callbacks = 0
        self.care_hours = 0.0

    def take_arrivals(self, model, day: int, arrived, ids: np.ndarray) -> np.ndarray:
        """Draw the day's items' uniforms; give the residents' requests the townships keep care."""
        if not self.enabled:
            return ids
        table = model.table
        block = arrived.created
        u = self.rng.random((block.stop - block.start, 2))  # every item of the day's demand
        self._grow(table.size)
        self.draws[block] = u
        cared = ids[np.isin(table.kind[ids], EVALUATED_KINDS)]
        multiplier = self.policy.care_effort_multiplier
        if len(cared) and multiplier != 1.0:
            self.care_hours += float(table.effort[cared].sum()) * (multiplier - 1.0)
            table.effort[cared] *= multiplier
            table.remaining[cared] *= multiplier
            self.care[cared] = multiplier
        return ids

    def end_day(self, model, day: int) -> tuple[np.ndarray, np.ndarray]:
        """Call back the requests due by the end of ``day``; reopen the unsatisfied ones.

        Returns the reopened items (queued at their townships) and no resolutions.
        """
        if not self.enabled:
            return _NO_IDS, _NO_TIMES
        table, policy = model.table, self.policy
        self._grow(table.size)
        lo, hi = self.first, table.size
        evaluated = np.isin(table.kind[lo:hi], EVALUATED_KINDS) & (self.reopened_from[lo:hi] < 0)
        due = (evaluated & ~self.considered[lo:hi] & (table.status[lo:hi] == RESOLVED)
               & (table.finish[lo:hi] + self.delay_hours < (day + 1) * HOURS_PER_DAY))
        ids = lo + np.flatnonzero(due)
        self.considered[ids] = True
        settled = self.considered[lo:hi] | ~evaluated
        self.first = lo + (int(np.argmin(settled)) if not settled.all() else hi - lo)
        called = ids[self.draws[ids, 0] < policy.callback_share]
        self.callbacks += len(called)
        if not len(called):
            return _NO_IDS, _NO_TIMES
        waited_days = (table.finish[called] - table.arrival[called]) / HOURS_PER_DAY
        chance = np.minimum(1.0, policy.unsatisfied_base
                            * (1.0 + policy.unsatisfied_per_wait_day * waited_days)
                            * self.care[called] ** -policy.care_elasticity)
        unsatisfied = called[self.draws[called, 1] < chance]
        if not len(unsatisfied):
            return _NO_IDS, _NO_TIMES
        purchase = model.reforms.get("purchase")
        need = table.effort[unsatisfied]
        if purchase is not None and len(purchase.hours):  # contractors' items: their hours
            need = np.maximum(need, purchase.hours[unsatisfied])
        unsatisfied = unsatisfied[np.argsort(table.finish[unsatisfied], kind="stable")]
        when = table.finish[unsatisfied] + self.delay_hours
        first = table.add(len(unsatisfied), kind=Kind.REWORK,
                          township=table.township[unsatisfied], arrival=when,
                          deadline=when + self.deadline_hours,
                          effort=policy.reopen_effort_share * need)
        reopened = np.arange(first, first + len(unsatisfied))
        self._grow(table.size)
        self.reopened_from[reopened] = unsatisfied
        return reopened, _NO_TIMES

    def item_columns(self, n: int) -> dict[str, np.ndarray]:
        """The task table's columns ``reopened_from`` and ``care``.

        ``reopened_from``: the request an item reopens, or -1; ``care``: the effort given as a
        multiple of the effort drawn (1 without care).
        """
        self._grow(n)
        return {"reopened_from": self.reopened_from[:n].copy(), "care": self.care[:n].copy()}

    def summary_figures(self) -> dict:
        """The summary's figures of residents' evaluation (sums, so a province adds them up)."""
        reopened = int(np.count_nonzero(self.reopened_from >= 0))
        return {"callbacks": int(self.callbacks), "reopened": reopened,
                "care_hours": float(self.care_hours)}

    def _grow(self, n: int) -> None:
        """Room for items up to id ``n - 1``."""
        if n > len(self.care):
            size = max(n, 2 * len(self.care), 1024)
            extra = size - len(self.care)
            self.draws = np.concatenate([self.draws, np.ones((extra, 2))])
            self.care = np.concatenate([self.care, np.ones(extra)])
            self.considered = np.concatenate([self.considered, np.zeros(extra, dtype=bool)])
            self.reopened_from = np.concatenate([self.reopened_from,
                                                 np.full(extra, -1, dtype=np.int64)])


def final_resolution_hours(tasks: pd.DataFrame) -> pd.Series:
    """Each resolved resident's request's time to its last resolution, reopenings included.

    Args:
        tasks: A task table with ``reopened_from`` (:func:`sim.measures.metrics.task_table`).

    Returns:
        By request id (requests resolved, emergencies aside, not reopened items): hours from
        arrival to the resolution of its reopened item when it was reopened (NaN while that is
        open), else to its own resolution.
    """
    kinds = [k.name.lower() for k in EVALUATED_KINDS]
    requests = tasks[tasks["kind"].isin(kinds) & (tasks["status"] == "resolved")]
    final = requests["finish"].copy()
    reopened = tasks[tasks["reopened_from"] >= 0]
    parent = reopened["reopened_from"].to_numpy()
    finish = reopened["finish"].where(reopened["status"] == "resolved").to_numpy()
    in_requests = np.isin(parent, requests.index.to_numpy())
    final.loc[parent[in_requests]] = finish[in_requests]
    return (final - requests["arrival"]).rename("final_resolution_hours")

"""Purchased services (花钱办事) and a cap on contract staff (编外; seed 001, Zhucheng).

Zhucheng (seed 001) tightened the rules on contract staff hired outside the post system (编外聘用
人员) and moved routine and auxiliary work (事务性、辅助性工作) and public services that can be
bought to purchase by contract or commission: from paying to keep people to paying to get things
done. Here a township contracts out, as items arrive, a share of the pushed-down tasks it keeps
and a share of its routine citizen requests (kind ``request``). A contracted item leaves the
township's queue and its hours (its effort is set to 0 cadre-hours; the contracted hours are kept
here and priced per hour and per item); the contractor returns it after a turnaround (gamma,
shape 2). Returned, it is resolved, or, with chance ``rework_share`` (quality), it goes back to
the township's queue for ``rework_effort_share`` of its hours of cadres' rework. With
``contract_staff_cap`` set, a township may contract out at most the cap's hours a week (contract
staff x ``contract_hours_per_staff_week``); items beyond stay with its cadres.

Each item created on a day gets three uniforms from the ``purchase`` stream (contracted or not,
turnaround, rework), drawn for every item of the day's demand whatever the policy, so the same
item meets the same luck under every setting (common random numbers).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from sim.config import PurchasePolicy, ScenarioConfig
from sim.work import HOURS_PER_DAY, RESOLVED, TASK, Kind

#: Shape of the gamma distribution of a contractor's turnaround.
TURNAROUND_SHAPE = 2.0
_NO_IDS, _NO_TIMES = np.zeros(0, dtype=np.int64), np.zeros(0)


class PurchasedServices:
    """Contracts items out as they arrive and books the contractors' returns.

    Args:
        scenario: Whether the run is a pure queue (no contracting there); the run's length.
        policy: Shares, prices, turnaround, quality and the cap on contract staff.
        rng: The ``purchase`` stream.
        townships: Number of townships (the cap's weekly budgets).
        days: Calendar days of the run (the contract staff's full-time equivalent).
    """

    def __init__(self, scenario: ScenarioConfig, policy: PurchasePolicy, rng, *,
                 townships: int, days: int):
        """Nothing is contracted yet."""
        self.policy, self.rng, self.days = policy, rng, days
        self.enabled = ((policy.task_share > 0 or policy.request_share > 0)
                        and not scenario.pure_queue)
        self.weekly_hours = (None if policy.contract_staff_cap is None else
                             policy.contract_staff_cap * policy.contract_hours_per_staff_week)
        self.budget = np.zeros(townships)  # contract hours left this week, per township
        self.week = -1
        self.hours = np.zeros(0)  # contracted hours of each item id (0: not contracted)
        self.due = np.full(0, np.nan)  # when the contractor returns it
        self.rework = np.zeros(0, dtype=bool)  # whether it comes back for rework
        self.pending = _NO_IDS  # items with the contractors
        self.returned_for_rework = 0

    def take_arrivals(self, model, day: int, arrived, ids: np.ndarray) -> np.ndarray:
        """Contract out today's share of routine items; return the ids the townships keep."""
        if not self.enabled:
            return ids
        table, policy = model.table, self.policy
        block = arrived.created
        u = self.rng.random((block.stop - block.start, 3))  # every item of the day's demand
        self._grow(table.size)
        if not len(ids):
            return ids
        row = ids - block.start
        kind = table.kind[ids]
        chance = np.where(kind == TASK, policy.task_share,
                          np.where(kind == Kind.REQUEST, policy.request_share, 0.0))
        pick = u[row, 0] < chance
        if self.weekly_hours is not None:
            pick = self._within_cap(day, pick, table.township[ids], table.effort[ids])
        chosen, row = ids[pick], row[pick]
        self.hours[chosen] = table.effort[chosen]
        turnaround = stats.gamma.ppf(u[row, 1], TURNAROUND_SHAPE,
                                     scale=policy.turnaround_days_mean / TURNAROUND_SHAPE)
        self.due[chosen] = table.arrival[chosen] + turnaround * HOURS_PER_DAY
        self.rework[chosen] = u[row, 2] < policy.rework_share
        table.effort[chosen] = table.remaining[chosen] = 0.0  # no cadre-hours unless reworked
        self.pending = np.concatenate([self.pending, chosen])
        return ids[~pick]

    def end_day(self, model, day: int) -> tuple[np.ndarray, np.ndarray]:
        """The contractors' returns due by the end of ``day``.

        Returns the items sent back to the townships for rework, and the resolution times of
        the citizen requests the contractors resolved.
        """
        if not len(self.pending):
            return _NO_IDS, _NO_TIMES
        table = model.table
        due = self.due[self.pending] < (day + 1) * HOURS_PER_DAY
        if not due.any():
            return _NO_IDS, _NO_TIMES
        back, self.pending = self.pending[due], self.pending[~due]
        back = back[np.argsort(self.due[back], kind="stable")]
        rework, done = back[self.rework[back]], back[~self.rework[back]]
        table.effort[rework] = table.remaining[rework] = (self.policy.rework_effort_share
                                                          * self.hours[rework])
        self.returned_for_rework += len(rework)
        table.status[done] = RESOLVED
        table.finish[done] = table.done[done] = self.due[done]
        table.remaining[done] = 0.0
        requests = done[table.kind[done] <= Kind.CROSS_DEPARTMENT]
        return rework, table.finish[requests] - table.arrival[requests]

    def item_columns(self, n: int) -> dict[str, np.ndarray]:
        """The task table's column of contracted hours (0 for an item not contracted)."""
        self._grow(n)
        return {"contracted_hours": self.hours[:n].copy()}

    def summary_figures(self) -> dict:
        """The summary's figures of purchased services (sums, so a province adds them up)."""
        hours = float(self.hours.sum())
        items = int(np.count_nonzero(self.hours > 0))
        staff_hours = self.policy.contract_hours_per_staff_week * self.days / 7.0
        return {
            "contracted_items": items,
            "contracted_hours": hours,
            "contract_cost_yuan": hours * self.policy.price_yuan_per_hour
            + items * self.policy.price_yuan_per_item,
            "contract_rework_items": int(self.returned_for_rework),
            "contract_open_end": int(len(self.pending)),
            "contract_staff_fte": hours / staff_hours if staff_hours > 0 else 0.0,
        }

    def _within_cap(self, day: int, pick: np.ndarray, township: np.ndarray,
                    effort: np.ndarray) -> np.ndarray:
        """Keep the picks that fit in their township's contract hours left this week."""
        if day // 7 != self.week:
            self.week = day // 7
            self.budget[:] = self.weekly_hours
        pick = pick.copy()
        for j in np.flatnonzero(pick):
            if effort[j] <= self.budget[township[j]]:
                self.budget[township[j]] -= effort[j]
            else:
                pick[j] = False
        return pick

    def _grow(self, n: int) -> None:
        """Room for items up to id ``n - 1``."""
        if n > len(self.hours):
            size = max(n, 2 * len(self.hours), 1024)
            extra = size - len(self.hours)
            self.hours = np.concatenate([self.hours, np.zeros(extra)])
            self.due = np.concatenate([self.due, np.full(extra, np.nan)])
            self.rework = np.concatenate([self.rework, np.zeros(extra, dtype=bool)])

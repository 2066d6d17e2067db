"""Periodic re-allocation of posts between a county's townships (编制动态调整; seed 002).

Seed 002 (Qujing): as people moved, some urban streets grew and their work doubled while their
posts stayed the same, and some rural townships shrank but kept their posts; the city re-set
each township's posts by its population and other factors, adjusting across areas, departments
and levels, with floors (at least 20 administrative posts a township, at least 12% of the
county's posts in the townships; the floors are the posts lever's, :mod:`sim.policies.posts`).

Here the county's township posts are re-allocated among its townships every ``interval_days``
from ``first_day``: each township's target is ``floor_posts`` plus a share of the rest in
proportion to its population, or to the cadre-hours of work that arrived at it since the last
re-allocation (``basis=workload``; the part of the overload index's numerator that does not grow
with headcount). Posts then move one at a time from the township furthest above its target to
the one furthest below, at most ``max_moved_share`` of the township posts a time, never taking a
township below its floor or its target. A donor gives a vacant post first, else the last post
of an on-duty cadre who is not a leader (leaders and secondees stay). With ``with_people`` the
holder moves with the post and ramps up in the new township (as a sunk cadre does); without,
the holder leaves (reason ``POST_MOVED_WITHOUT_HOLDER``) and the post is hired for. The total of
township posts never changes, nor do the departments'.
"""

from __future__ import annotations

import numpy as np

from sim.agents.cadre import NOT_SECONDED, POST_MOVED_WITHOUT_HOLDER
from sim.config import ReallocationPolicy, ScenarioConfig
from sim.policies.posts import PlanError, largest_remainder
from sim.work import RETURNED


def targets(posts: np.ndarray, weights: np.ndarray, floor: int) -> np.ndarray:
    """Each township's target posts: ``floor`` each, the rest in proportion to ``weights``.

    The targets sum to ``posts.sum()``.

    Raises:
        PlanError: if the floors alone need more posts than the townships hold.
    """
    posts = np.asarray(posts, dtype=int)
    total, n = int(posts.sum()), len(posts)
    if floor * n > total:
        raise PlanError("policy.reallocation.floor_posts",
                         f"{floor} posts for each of {n} townships needs {floor * n}, but the "
                         f"townships hold {total}")
    return floor + largest_remainder(total - floor * n, np.asarray(weights, dtype=float))


def moves_toward(posts: np.ndarray, target: np.ndarray, limit: int) -> list[tuple[int, int]]:
    """(from, to) township pairs that move ``posts`` toward ``target``, at most ``limit``.

    Each move takes one post from the township furthest above its target to the one furthest
    below it (ties to the lower index), so a donor never falls below its target.
    """
    gap = np.asarray(posts, dtype=int) - np.asarray(target, dtype=int)
    out = []
    while len(out) < limit and gap.max(initial=0) > 0 and gap.min(initial=0) < 0:
        donor, receiver = int(np.argmax(gap)), int(np.argmin(gap))
        out.append((donor, receiver))
        gap[donor] -= 1
        gap[receiver] += 1
    return out


def arrived_work(table, townships: int, since_day: int, day: int) -> np.ndarray:
    """Cadre-hours of township work that arrived at each township in days [since_day, day).

    Requests, township parts of cross-department cases, re-handlings, emergencies and
    pushed-down tasks; tasks refused back to their department (access list) do not count.
    """
    arrival = table.column("arrival")
    keep = ((arrival >= since_day * 24.0) & (arrival < day * 24.0)
            & (table.column("status") != RETURNED) & (table.column("township") >= 0))
    return np.bincount(table.column("township")[keep], weights=table.column("effort")[keep],
                       minlength=townships)[:townships]


class Reallocation:
    """Re-allocates township posts among the townships on its days.

    Args:
        scenario: Pure queues have no posts to move.
        policy: Interval, first day, basis, floor, cap and whether holders move.
        population: Residents per township.
        township_posts: Posts per township when the run starts (the floor is checked on them).
    """

    def __init__(self, scenario: ScenarioConfig, policy: ReallocationPolicy, population,
                 township_posts):
        """Keep the rule."""
        self.enabled = policy.interval_days is not None and not scenario.pure_queue
        self.policy = policy
        self.population = np.asarray(population, dtype=float)
        if self.enabled:  # the floor is checked before the run (a bad value stops it)
            targets(np.asarray(township_posts), self.population, policy.floor_posts)
        self._last_day = 0
        self._moves: list[tuple[int, int, int, int]] = []  # (day, slot, from, to)
        #: Days a re-allocation was made (whether or not it moved a post).
        self.days: list[int] = []

    @property
    def moves(self) -> np.ndarray:
        """Every post moved so far: rows of (day, slot, from township, to township)."""
        return np.array(self._moves, dtype=np.int64).reshape(-1, 4)

    def is_due(self, day: int) -> bool:
        """Whether a re-allocation falls on ``day``."""
        p = self.policy
        return (self.enabled and day >= p.first_day
                and (day - p.first_day) % p.interval_days == 0)

    def start_day(self, model, day: int) -> None:
        """Re-allocate if one falls due today."""
        if not self.is_due(day):
            return
        townships = model.townships
        n = len(townships)
        posts = np.array([t.posts for t in townships])
        if self.policy.basis == "population":
            weights = self.population
        else:
            weights = arrived_work(model.table, n, self._last_day, day)
        self._last_day = day
        self.days.append(day)
        target = targets(posts, weights, self.policy.floor_posts)
        limit = int(np.floor(self.policy.max_moved_share * posts.sum()))
        for donor, receiver in moves_toward(posts, target, limit):
            slot = self._slot_of(model.roster, donor)
            if slot is None:
                continue  # nothing movable left there (leaders and secondees stay)
            self._move(model, slot, donor, receiver, day)

    @staticmethod
    def _slot_of(roster, township: int) -> int | None:
        """A post of ``township`` that can move: vacant first, else an on-duty non-leader's."""
        slots = roster.slots_of(township)
        slots = slots[~roster.leader[slots] & (roster.seconded_to[slots] == NOT_SECONDED)]
        if not len(slots):
            return None
        vacant = slots[~roster.occupied[slots]]
        return int(vacant[0] if len(vacant) else slots[-1])

    def _move(self, model, slot: int, donor: int, receiver: int, day: int) -> None:
        roster = model.roster
        self._moves.append((day, slot, donor, receiver))
        roster.move_post(slot, receiver)
        if roster.occupied[slot] and not self.policy.with_people:
            roster.release(slot, day, POST_MOVED_WITHOUT_HOLDER)
        if roster.occupied[slot]:
            roster.hired_day[slot] = day  # a moved cadre ramps up in the new township
        elif roster.fill_day[slot] == np.inf:
            model.staffing.open_vacancies(roster, [slot], day)

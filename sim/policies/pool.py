"""The province pool: posts shared among counties by need, and cadres moved between counties.

Seed 000: Henan's provincial committee fixed how many posts each township and street would
receive (33,699 over 156 counties, about 15 a township) from its area, population, management
tasks and needs; and Luoyang moved 200 people in two batches, with their posts, from Yanshi
district to the townships of the Yibin zone, which had too few (编制横向流动).

Both are decided by the province before its counties run (:func:`plan_province`, called by the
province runner from every county's layout; :func:`apply_to_counties`):

- ``province_posts`` posts (or, with ``share_posts``, as many as the counties' own posts presets
  plan together) are shared among the counties in proportion to their need, a
  weighted mean of each county's share of the province's area, residents and expected township
  work (:func:`need_scores`); a county's share becomes its ``policy.posts.total``, which the
  posts lever (:mod:`sim.policies.posts`) sinks from its departments to its townships by its own
  allocation rule and stages.
- ``transfer_staff`` cadres move from the counties with the least need per post to those with
  the most (``transfer_pairs`` pairs, the staff split evenly), in ``batches`` from
  ``first_batch_day``. The flows are fixed up front from the counties' initial need, not from
  how their runs go: counties run independently (in parallel, or in blocks on a cluster) and
  exchange nothing during the run. Each county is told its ``staff_out`` / ``staff_in`` a batch.

In a county (:class:`PoolFlows`), on a batch day a sending county releases ``staff_out`` on-duty
cadres who are not leaders from its departments of most slack (never below a department's
minimum), and their posts leave with them (reason ``LEFT_COUNTY``; the posts go to the pool unit,
outside the county's units). A receiving county holds ``staff_in x batches`` posts in the pool
unit from the start; on a batch day ``staff_in`` of them move to its townships, each to the
township of highest expected load, and are filled at once by the arriving cadres, who ramp up in
the new job. Summed over the province, the posts of the counties' units never change.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from sim.agents.cadre import LEFT_COUNTY, NOT_SECONDED
from sim.config import PoolPolicy, ScenarioConfig
from sim.policies.posts import PlanError, by_need, expected_work, largest_remainder

#: The three measures of a county's need, in the order of their weights' names.
NEED_MEASURES = ("area", "population", "tasks")


def province_on(policy: PoolPolicy) -> bool:
    """Whether the province decides anything (posts shared by need, or flows between counties)."""
    return (policy.province_posts is not None or policy.share_posts
            or policy.transfer_staff > 0)


def reserve_posts(policy: PoolPolicy) -> int:
    """Posts a receiving county holds in the pool unit until its batches arrive."""
    return policy.staff_in * policy.batches


def batch_days(policy: PoolPolicy) -> list[int]:
    """Days of the batches."""
    return [policy.first_batch_day + b * policy.batch_interval_days for b in range(policy.batches)]


def need_scores(measures: dict[str, np.ndarray], weights: dict[str, float]) -> np.ndarray:
    """Each county's need: the weighted mean of its shares of each measure (sums to 1).

    Args:
        measures: Per county, the value of each measure in :data:`NEED_MEASURES`.
        weights: Weight of each measure (all zero: equal need).
    """
    n = len(next(iter(measures.values())))
    total_weight = sum(weights.values())
    if total_weight <= 0:
        return np.full(n, 1.0 / n)
    score = np.zeros(n)
    for name, weight in weights.items():
        values = np.asarray(measures[name], dtype=float)
        shares = values / values.sum() if values.sum() > 0 else np.full(n, 1.0 / n)
        score += weight * shares
    return score / total_weight


@dataclass
class ProvincePlan:
    """What the province decides for each county before they run.

    Attributes:
        need: Each county's need score (sums to 1).
        posts: Posts each county sinks to its townships (None: the counties' own presets).
        staff_out: Cadres each county sends a batch.
        staff_in: Cadres each county receives a batch.
    """

    need: np.ndarray
    posts: np.ndarray | None
    staff_out: np.ndarray
    staff_in: np.ndarray


def plan_province(policy: PoolPolicy, *, area, population, tasks, posts, releasable_posts,
                  releasable_staff, planned_posts=None) -> ProvincePlan:
    """Share the province's posts among its counties by need; pair counties for the flows.

    Args:
        policy: The pool's settings.
        area: Per county, its area (or the stand-in of :func:`county_measures`).
        population: Per county, its residents.
        tasks: Per county, its expected township work.
        posts: Per county, the posts of its units when the run starts.
        releasable_posts: Per county, the posts its departments hold above their minimum
            (what it can sink).
        releasable_staff: Per county, the cadres its departments can send (filled posts above
            the minimum).
        planned_posts: Per county, the posts its own posts preset would sink (what
            ``share_posts`` shares out again).

    Raises:
        PlanError: naming the key whose value the counties cannot meet.
    """
    n = len(posts)
    need = need_scores({"area": area, "population": population, "tasks": tasks},
                       {"area": policy.area_weight, "population": policy.population_weight,
                        "tasks": policy.tasks_weight})
    shares = None
    total = policy.province_posts
    if total is None and policy.share_posts:
        total = int(np.sum(planned_posts))
    if total is not None:
        shares = largest_remainder(total, need)
        short = np.flatnonzero(shares > np.asarray(releasable_posts))
        if len(short):
            k = int(short[0])
            raise PlanError("policy.pool.province_posts",
                            f"county {k}'s share is {int(shares[k])} posts but its departments "
                            f"can release only {int(releasable_posts[k])}")
    out, into = np.zeros(n, dtype=int), np.zeros(n, dtype=int)
    if policy.transfer_staff > 0:
        pairs = policy.transfer_pairs
        if 2 * pairs > n:
            raise PlanError("policy.pool.transfer_pairs",
                            f"{pairs} pairs need {2 * pairs} counties; the province has {n}")
        if policy.transfer_staff % (pairs * policy.batches):
            raise PlanError("policy.pool.transfer_staff",
                            f"{policy.transfer_staff} cadres do not split evenly into {pairs} "
                            f"pair(s) x {policy.batches} batch(es)")
        per_batch = policy.transfer_staff // (pairs * policy.batches)
        order = np.argsort(need / np.maximum(np.asarray(posts, dtype=float), 1.0), kind="stable")
        senders, receivers = order[:pairs], order[::-1][:pairs]
        out[senders] = per_batch
        into[receivers] = per_batch
        short = [int(k) for k in senders if per_batch * policy.batches > releasable_staff[k]]
        if short:
            raise PlanError("policy.pool.transfer_staff",
                            f"county {short[0]} would send {per_batch * policy.batches} cadres "
                            f"but its departments can spare only {int(releasable_staff[short[0]])}")
    return ProvincePlan(need=need, posts=shares, staff_out=out, staff_in=into)


def county_measures(layout, scenario: ScenarioConfig) -> dict[str, float]:
    """A county's area, residents and expected township work, from its layout.

    Area is the townships' ``area_km2`` where the tables give it; a county drawn from a scenario
    has none, and the sum of its townships' squared distances to the seat stands in. Work is the
    expected cadre-hours a working day of requests and pushed-down tasks
    (:func:`sim.policies.posts.expected_work`).
    """
    area = np.asarray(layout.area_km2, dtype=float)
    area = (float(np.nansum(area)) if np.isfinite(area).all() and len(area)
            else float(np.sum(np.asarray(layout.distance_km) ** 2)))
    townships = [_LaidOut(int(p), int(a + i), float(d)) for p, a, i, d in zip(
        layout.population, layout.admin_posts, layout.institutional_posts, layout.distance_km,
        strict=True)]
    work = expected_work(scenario, townships)["work_hours"]
    return {"area": area, "population": float(np.sum(layout.population)),
            "tasks": float(np.sum(work))}


@dataclass(frozen=True)
class _LaidOut:
    """A township as laid out (what :func:`expected_work` reads), before a model is built."""

    population: int
    posts: int
    distance_km: float


def apply_to_counties(configs: list, seeds: list[int]) -> tuple[list, ProvincePlan | None]:
    """Each county's config with the province's decisions written in, and the plan.

    Builds every county's layout (as its model will: the same seed, the same draws) to measure
    its need. Returns the configs unchanged and None when the pool is off.

    Raises:
        PlanError: as :func:`plan_province`.
    """
    from sim.county import build_layout
    from sim.streams import Streams

    policy = configs[0].policy.pool
    if not province_on(policy):
        return configs, None
    rows = []
    for config, seed in zip(configs, seeds, strict=True):
        scenario = config.scenario
        layout = build_layout(scenario, Streams(seed))
        minimum = scenario.department_min_posts
        dept_posts = np.asarray(layout.department_posts)
        spare = np.maximum(dept_posts - minimum, 0)
        posts = config.policy.posts
        planned = (posts.total if posts.total is not None
                   else posts.per_township * len(layout.township_names))
        rows.append({**county_measures(layout, layout.scenario(scenario)),
                     "planned_posts": int(planned),
                     "posts": int(np.sum(layout.township_posts) + dept_posts.sum()),
                     "releasable_posts": int(spare.sum()),
                     "releasable_staff": int(np.minimum(
                         np.asarray(layout.department_staff), spare).sum())})
    columns = {key: np.array([r[key] for r in rows]) for key in rows[0]}
    plan = plan_province(policy, **columns)
    out = []
    for k, config in enumerate(configs):
        pool = dataclasses.replace(config.policy.pool, staff_out=int(plan.staff_out[k]),
                                   staff_in=int(plan.staff_in[k]))
        posts = config.policy.posts
        if plan.posts is not None:
            posts = dataclasses.replace(posts, total=int(plan.posts[k]))
        out.append(dataclasses.replace(config, policy=dataclasses.replace(
            config.policy, pool=pool, posts=posts)))
    return out, plan


class PoolFlows:
    """A county's part of the flows between counties: cadres sent and received on batch days.

    Args:
        scenario: Department minimum posts; pure queues have no flows.
        policy: Cadres out and in a batch, batch days.
        pool_unit: The unit index that holds posts outside the county's units.
    """

    def __init__(self, scenario: ScenarioConfig, policy: PoolPolicy, pool_unit: int):
        """Keep the batch days."""
        self.enabled = (policy.staff_out > 0 or policy.staff_in > 0) and not scenario.pure_queue
        self.policy = policy
        self.pool_unit = pool_unit
        self.department_min_posts = scenario.department_min_posts
        self.days = batch_days(policy) if self.enabled else []
        #: Posts that left or arrived: rows of (day, slot, from unit, to unit).
        self._moves: list[tuple[int, int, int, int]] = []

    @property
    def moves(self) -> np.ndarray:
        """Every post moved out of or into the county: rows of (day, slot, from, to)."""
        return np.array(self._moves, dtype=np.int64).reshape(-1, 4)

    def counts(self) -> tuple[int, int]:
        """Posts (with their cadres) sent out of and received into the county so far."""
        moves = self.moves
        return (int(np.count_nonzero(moves[:, 3] == self.pool_unit)),
                int(np.count_nonzero(moves[:, 2] == self.pool_unit)))

    def start_day(self, model, day: int) -> None:
        """Send and receive this batch's cadres if a batch falls on ``day``."""
        if day not in self.days:
            return
        for _ in range(self.policy.staff_out):
            slot = self._sender_slot(model)
            if slot is None:
                break  # no department above its minimum has a cadre on duty
            unit = int(model.roster.unit[slot])
            model.roster.release(slot, day, LEFT_COUNTY)
            model.roster.move_post(slot, self.pool_unit)
            self._moves.append((day, slot, unit, self.pool_unit))
        if self.policy.staff_in:
            self._receive(model, day)

    def _sender_slot(self, model) -> int | None:
        """An on-duty, non-leader cadre of the department with most slack above its minimum.

        Never one whose post the county's posts reform still needs for its later stages
        (:meth:`~sim.policies.posts.PostsReform.keeps_enough`): the sinking plan was promised
        to the townships first.
        """
        roster, departments = model.roster, model.departments
        posts = model.reforms.get("posts")
        for d in np.argsort(-departments.slack(), kind="stable").tolist():
            slots = roster.slots_of(int(departments.units[d]))
            if len(slots) <= self.department_min_posts:
                continue
            free = slots[roster.occupied[slots] & ~roster.leader[slots]
                         & (roster.seconded_to[slots] == NOT_SECONDED)]
            for slot in free[::-1].tolist():
                if posts is None or posts.keeps_enough(roster, departments, slot):
                    return slot
        return None

    def _receive(self, model, day: int) -> None:
        roster = model.roster
        reserve = roster.slots_of(self.pool_unit)[: self.policy.staff_in]
        work = expected_work(model.scenario, model.townships)
        staff = np.array([np.count_nonzero(roster.occupied[t.slots]) for t in model.townships],
                         dtype=float)
        gains = by_need(len(reserve), work["work_hours"], work["mandatory_per_cadre"], staff)
        destinations = np.repeat(np.arange(len(gains)), gains)
        for slot, township in zip(reserve.tolist(), destinations.tolist(), strict=True):
            roster.move_post(slot, township)
            roster.hire(slot, day)  # the arriving cadre ramps up in the new job
            self._moves.append((day, slot, self.pool_unit, township))

"""Sinking posts to townships (编制下沉, 减县补乡) and the floors some provinces set.

Seed 000: Henan moved 33,699 posts from county units with slack ("有人无事干") to townships, about
15 per township, by need, "in stages and batches", with the cadres moving with their posts
(带编下沉). Seed 002: Qujing requires every township to hold at least 20 administrative posts and
the townships together at least 12% of the county's posts. Seed 004: Puge raised the average
township from 18.7 to 51.8 posts.

The plan is made once, before the run: floors first, then the remaining posts by the allocation
rule (equal, by population, by workload gap, or a
score mixing population, workload gap and distance), split evenly over the stages. Donor posts come
from the departments with the most slack, vacant posts first, never below each department's
minimum. A post that moves without its holder arrives vacant and is filled after the hiring lag;
a holder who moves with the post ramps up over the following months. The county total never
changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.agents.cadre import POST_MOVED_WITHOUT_HOLDER
from sim.config import PostsPolicy


class PlanError(ValueError):
    """The post plan asks for more than the county's departments can release."""

    def __init__(self, key: str, message: str):
        """Name the config key at fault."""
        super().__init__(f"{key}: {message}")
        self.key = key


@dataclass
class PostPlan:
    """Posts each township gains, in total and of them administrative, per stage."""

    moves: np.ndarray  # (stages, townships) posts moved
    admin_moves: np.ndarray  # (stages, townships) of which administrative
    stage_days: list[int]

    @property
    def total(self) -> int:
        """Posts moved over all stages."""
        return int(self.moves.sum())


def largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Split ``total`` posts in proportion to ``weights`` into whole numbers that sum to it."""
    weights = np.asarray(weights, dtype=float)
    if total <= 0 or len(weights) == 0:
        return np.zeros(len(weights), dtype=int)
    if not np.isfinite(weights).all() or weights.sum() <= 0:  # e.g. every township empty
        weights = np.ones(len(weights))
    exact = total * weights / weights.sum()
    out = np.floor(exact).astype(int)
    out[np.argsort(-(exact - out), kind="stable")[: total - out.sum()]] += 1
    return out


def expected_load(work_hours, mandatory_per_cadre, staff, regular_hours: float = 8.0):
    """Expected overload index of each township with ``staff`` cadres on duty.

    Work that does not depend on headcount (requests, tasks) is spread over the cadres, while
    every cadre brings their own meetings, documents and chat groups.
    """
    staff = np.maximum(staff, 1e-9)
    return (work_hours + mandatory_per_cadre * staff) / (regular_hours * staff)


def by_need(total: int, work_hours, mandatory_per_cadre, staff, start=None) -> np.ndarray:
    """Give ``total`` posts one at a time to the township with the highest expected load."""
    out = np.zeros(len(staff), dtype=int) if start is None else start.copy()
    for _ in range(max(total, 0)):
        out[np.argmax(expected_load(work_hours, mandatory_per_cadre, staff + out))] += 1
    return out if start is None else out - start


def plan_posts(
    policy: PostsPolicy,
    *,
    township_posts: np.ndarray,
    township_admin_posts: np.ndarray,
    population: np.ndarray,
    work_hours: np.ndarray,
    mandatory_per_cadre: np.ndarray,
    staff: np.ndarray,
    distance_km: np.ndarray,
    county_posts: int,
    releasable: int,
    releasable_admin: int,
) -> PostPlan:
    """Plan how many posts each township receives, and check the departments can supply them.

    ``work_hours`` (per working day, independent of headcount), ``mandatory_per_cadre`` and
    ``staff`` (expected cadres on duty) give each township's expected load for the ``workload``
    rule, which gives each post to the township that needs it most at that point (by need, as
    Henan did "向管理任务较重且编制紧缺的乡镇重点倾斜", seed 000).

    Raises:
        PlanError: naming the key whose value cannot be met.
    """
    n = len(township_posts)
    need = np.maximum(policy.min_posts_per_township - township_posts, 0)
    admin_need = np.maximum(policy.min_admin_posts_per_township - township_admin_posts, 0)
    need = np.maximum(need, admin_need)
    share_short = int(np.ceil(policy.min_township_share * county_posts)) - int(
        township_posts.sum() + need.sum()
    )
    load = expected_load(work_hours, mandatory_per_cadre, staff)

    def allocate(count: int, already: np.ndarray) -> np.ndarray:
        if policy.allocation == "workload":
            return by_need(count, work_hours, mandatory_per_cadre, staff, start=already)
        if policy.allocation == "equal":
            weights = np.ones(n)
        elif policy.allocation == "population":
            weights = population.astype(float)
        else:  # score: a family of rules, for searching the best allocation
            weights = (population.astype(float) ** policy.population_exponent
                       * np.maximum(load, 1e-9) ** policy.workload_exponent
                       * np.maximum(distance_km, 1.0) ** policy.distance_exponent)
        return largest_remainder(count, weights)

    floors = need + allocate(max(share_short, 0), need)
    requested = policy.total if policy.total is not None else policy.per_township * n
    moves = floors + allocate(max(requested - int(floors.sum()), 0), floors)
    if admin_need.sum() > releasable_admin:
        raise PlanError(
            "policy.posts.min_admin_posts_per_township",
            f"the floor needs {int(admin_need.sum())} administrative posts but county "
            f"departments can release only {releasable_admin}",
        )
    if floors.sum() > releasable:
        key = ("policy.posts.min_township_share" if share_short > 0
               else "policy.posts.min_posts_per_township")
        raise PlanError(
            key, f"the floors need {int(floors.sum())} posts but county departments can release "
                 f"only {releasable}")
    if moves.sum() > releasable:
        key = "policy.posts.total" if policy.total is not None else "policy.posts.per_township"
        raise PlanError(
            key, f"{int(moves.sum())} posts to move but county departments can release only "
                 f"{releasable} (each keeps its minimum)")
    stages = max(policy.stages, 1)
    split = np.array([largest_remainder(int(m), np.ones(stages)) for m in moves]).T
    admin_split = np.array([largest_remainder(int(m), np.ones(stages)) for m in admin_need]).T
    admin_split = np.minimum(admin_split, split)
    return PostPlan(
        moves=split.reshape(stages, n),
        admin_moves=admin_split.reshape(stages, n),
        stage_days=[s * policy.stage_interval_days for s in range(stages)],
    )


def expected_work(scenario, townships) -> dict[str, np.ndarray]:
    """Each township's expected work per working day, from the scenario's rates.

    Returns ``work_hours`` (requests and tasks, independent of headcount),
    ``mandatory_per_cadre`` (meetings with travel, documents, chat groups) and ``staff``
    (expected cadres on duty): what the ``workload`` allocation of posts uses.
    """
    s = scenario
    n = len(townships)
    staff = np.array([t.posts for t in townships]) * (1.0 if s.pure_queue else s.fill_rate)
    if s.pure_queue:
        work = np.full(n, s.arrival_rate_per_hour * 24 * s.mean_service_hours)
        return {"work_hours": work, "mandatory_per_cadre": np.zeros(n), "staff": staff}
    population = np.array([t.population for t in townships])
    requests = population / 1000 * s.requests_per_1000_people_day * 7 / 5
    tasks = s.departments * s.tasks_per_department_township_week / 5 * s.task_effort_mean_hours
    travel = 2 * np.array([t.distance_km for t in townships]) / s.travel_speed_kmh
    mandatory = (
        s.meetings_per_cadre_week / 5 * (s.meeting_hours + s.in_person_share * travel)
        + s.document_hours_per_cadre_week / 5
        + s.chat_groups_per_cadre * s.chat_hours_per_group_day
        + s.inspections_per_township_month * 12 / s.working_days_per_year
        * s.inspection_hours_per_cadre
    )
    return {"work_hours": requests * s.request_effort_mean_hours + tasks,
            "mandatory_per_cadre": mandatory, "staff": staff}


def plan_for_county(policy, scenario, *, townships, departments, roster) -> PostPlan:
    """Plan the posts reform ``policy`` for a county as built.

    Reads its townships, departments and post ledger; each department keeps
    ``scenario.department_min_posts``.
    """
    department_min_posts = scenario.department_min_posts
    township_posts = np.array([t.posts for t in townships])
    township_admin = np.array([int(roster.admin[t.slots].sum()) for t in townships])
    releasable = sum(max(len(d.slots) - department_min_posts, 0) for d in departments)
    releasable_admin = sum(
        min(int(roster.admin[d.slots].sum()), max(len(d.slots) - department_min_posts, 0))
        for d in departments
    )
    return plan_posts(
        policy,
        township_posts=township_posts,
        township_admin_posts=township_admin,
        population=np.array([t.population for t in townships]),
        **expected_work(scenario, townships),
        distance_km=np.array([t.distance_km for t in townships]),
        # The county's own posts: not those held for cadres still to come from other
        # counties (the province pool's reserve, outside every unit until they arrive).
        county_posts=int(township_posts.sum()) + sum(len(d.slots) for d in departments),
        releasable=releasable,
        releasable_admin=releasable_admin,
    )


class PostsReform:
    """Carries out a :class:`PostPlan` on the model's post ledger, stage by stage.

    Args:
        plan: Posts per township per stage.
        with_people: Whether holders move with their posts (带编下沉).
        department_min_posts: Posts every department keeps.
    """

    def __init__(self, plan: PostPlan, *, with_people: bool, department_min_posts: int):
        """Keep the plan."""
        self.plan = plan
        self.with_people = with_people
        self.department_min_posts = department_min_posts
        self._moves: list[tuple[int, int, int, int]] = []  # (day, slot, from unit, to unit)
        self._left = plan.total  # posts still to move
        self._admin_left = int(plan.admin_moves.sum())  # of them administrative

    @property
    def moves(self) -> np.ndarray:
        """Every post moved so far: rows of (day, slot, from unit, to unit)."""
        return np.array(self._moves, dtype=np.int64).reshape(-1, 4)

    def stages(self, days_simulated: int) -> tuple[int, int]:
        """Stages of the plan (planned, carried out within ``days_simulated``)."""
        if self.plan.total == 0:
            return 0, 0
        moved_days = set(self.moves[:, 0].tolist())
        return len(self.plan.stage_days), sum(d in moved_days for d in self.plan.stage_days
                                              if d < days_simulated)

    def start_day(self, model, day: int) -> None:
        """Move this stage's posts if a stage falls on ``day``."""
        if day not in self.plan.stage_days or self.plan.total == 0:
            return
        stage = self.plan.stage_days.index(day)
        for t, (count, admin) in enumerate(
            zip(self.plan.moves[stage], self.plan.admin_moves[stage], strict=True)
        ):
            if count:
                self._move(model, t, int(count), int(admin), day)

    def _move(self, model, township: int, count: int, admin: int, day: int) -> None:
        roster = model.roster
        for want_admin, n in ((True, admin), (None, count - admin)):
            for _ in range(n):
                slot = self._donor_slot(roster, model.departments, want_admin)
                self._left -= 1
                self._admin_left -= bool(want_admin)
                self._moves.append((day, slot, int(roster.unit[slot]), township))
                roster.move_post(slot, township)
                if roster.occupied[slot] and not self.with_people:
                    roster.release(slot, day, POST_MOVED_WITHOUT_HOLDER)
                if roster.occupied[slot]:
                    roster.hired_day[slot] = day  # a sunk cadre ramps up in the new job
                else:
                    model.staffing.open_vacancies(roster, [slot], day)

    def _donor_slot(self, roster, departments, want_admin) -> int:
        """A post from the department with the most slack that is above its minimum.

        An ordinary move never takes the post that later stages' administrative moves would
        need: when the usual choice would leave fewer administrative posts releasable than are
        still to move (a staged plan whose first stages drain the departments' administrative
        posts), it takes, in the same order of departments, a post that keeps enough.
        """
        best = None
        by_slack = np.argsort(-departments.slack(), kind="stable").tolist()  # most slack first
        for d in by_slack:
            slots = np.flatnonzero(roster.unit == departments.units[d])
            if len(slots) <= self.department_min_posts:
                continue
            if want_admin:
                slots = slots[roster.admin[slots]]
                if len(slots) == 0:
                    continue
            vacant = slots[~roster.occupied[slots]]
            best = vacant[0] if len(vacant) else slots[-1]
            break
        if (best is not None and not want_admin and self._admin_left
                and self._releasable(roster, departments, best)[1] < self._admin_left):
            best = self._slot_keeping_admin(roster, departments, by_slack)
        if best is None:
            raise RuntimeError("no donor post left; the plan was validated against this")
        return int(best)

    def keeps_enough(self, roster, departments, without: int) -> bool:
        """Whether the departments could still release what the later stages need.

        Once post ``without`` has gone: the province pool asks before it sends a cadre away
        with the post.
        """
        if not self._left:
            return True
        total, admin = self._releasable(roster, departments, without)
        return total >= self._left and admin >= self._admin_left

    def _releasable(self, roster, departments, without: int) -> tuple[int, int]:
        """Posts, and of them administrative, the departments could release without ``without``.

        As the plan counts them: a department releases at most its posts above its minimum.
        """
        total = admin = 0
        for unit in departments.units.tolist():
            mine = roster.unit == unit
            mine[without] = False
            spare = max(int(np.count_nonzero(mine)) - self.department_min_posts, 0)
            total += spare
            admin += min(int(np.count_nonzero(roster.admin & mine)), spare)
        return total, admin

    def _slot_keeping_admin(self, roster, departments, by_slack) -> int | None:
        """The first post, by department slack then vacant first, whose move keeps enough."""
        for d in by_slack:
            slots = np.flatnonzero(roster.unit == departments.units[d])
            if len(slots) <= self.department_min_posts:
                continue
            ordinary = slots[~roster.admin[slots]]
            for candidate in (*ordinary[~roster.occupied[ordinary]], *ordinary[::-1], *slots):
                if self._releasable(roster, departments, candidate)[1] >= self._admin_left:
                    return candidate
        return None

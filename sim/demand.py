"""The demand a run meets, drawn up front: citizen requests, emergencies, pushed-down tasks.

DESIGN.md section 3. Citizen demand (群众诉求) is Poisson in proportion to population and weighted
to daytime; efforts are lognormal; deadlines follow the usual 7/15 working days, 24 h for
utilities and 2 h for emergencies. Pushed-down tasks (上级交办, 属地管理) come from each county
department every week; a share of them is really the department's own job (seeds 001, 002), and
an access list decides here, from each task's pre-drawn uniform, which the township refuses.
A share of requests are cross-department cases, drawn with their departments and the uniforms
that later decide the departments' delays and bounces. The township's own statutory work
(本级法定职责, issue 11 item 9) arrives as items of kind ``own_work`` when the scenario sets it.

All arrivals of a run are drawn up front, in bulk, from their own named streams: the same seed
gives the same demand under every policy (common random numbers), and no NumPy call is left in
the daily loop. :class:`Demand` holds the run's arrivals in the order their items are created;
:meth:`Demand.arrive` turns one day's into rows of the :class:`~sim.work.ItemTable`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from sim.config import ScenarioConfig
from sim.streams import lognormal
from sim.work import (
    CALENDAR_HOURS_PER_WORKING_DAY,
    CROSS_DEPARTMENT,
    HOURS_PER_DAY,
    RETURNED,
    ItemTable,
    Kind,
)

_NONE_INT, _NONE_FLOAT = np.zeros(0, dtype=np.int32), np.zeros(0)

#: Uniform draws a department's handling of a case uses: its delay, the bounce decision, and
#: the hours of its part (or of the township's re-handling when it bounces).
DRAWS_PER_SEND = 3


def case_draws_needed(max_departments_per_case: int, max_bounces: int) -> int:
    """Uniform draws to keep per cross-department case so that none is ever reused.

    A case is sent at most once per department and once more after each bounce.
    """
    return DRAWS_PER_SEND * (max_departments_per_case + max_bounces)


@dataclass
class Arrivals:
    """Arrivals of one kind for the whole run, sorted by township then time (columns)."""

    township: np.ndarray
    time: np.ndarray
    effort: np.ndarray
    kind: np.ndarray
    deadline: np.ndarray
    extra: dict

    def __len__(self) -> int:
        """Number of arrivals."""
        return len(self.time)


def _daily_poisson(rng, rates: np.ndarray, days: int, weights: np.ndarray) -> np.ndarray:
    """Counts per (township, day) for daily rates scaled by each day's weight."""
    return rng.poisson(np.outer(rates, weights))


def _times(rng, counts: np.ndarray, daytime_share: float, open_hours: tuple[float, float]):
    """Arrival times for counts per (township, day): a daytime mixture within each day."""
    n = int(counts.sum())
    township = np.repeat(np.arange(counts.shape[0]), counts.sum(axis=1))
    day = np.concatenate([np.repeat(np.arange(counts.shape[1]), row) for row in counts])
    day = day if n else np.zeros(0, dtype=int)
    in_daytime = rng.random(n) < daytime_share
    hour = np.where(
        in_daytime,
        rng.uniform(open_hours[0], open_hours[1], n),
        rng.uniform(0.0, HOURS_PER_DAY, n),
    )
    # A draw can round up to the next midnight (a window closing at 24 h, or a late day):
    # keep each arrival in the day it was drawn for, so it is made on that day.
    midnight = (day + 1) * HOURS_PER_DAY
    return township, np.minimum(day * HOURS_PER_DAY + hour, np.nextafter(midnight, 0.0))


def _sort(township, time, *cols):
    order = np.lexsort((time, township))
    return (township[order], time[order]) + tuple(c[order] for c in cols)


def citizen_requests(
    rng: np.random.Generator,
    *,
    population: np.ndarray,
    days: int,
    day_weights: np.ndarray,
    requests_per_1000_people_day: float,
    effort_mean_hours: float,
    effort_sigma: float,
    complex_share: float,
    utility_share: float,
    cross_department_share: float,
    max_departments_per_case: int,
    max_bounces: int,
    departments: int,
    deadline_general_days: float,
    deadline_complex_days: float,
    deadline_utility_hours: float,
    daytime_share: float,
    open_hours: tuple[float, float],
) -> Arrivals:
    """Draw every citizen request of the run (stream ``requests``).

    Cross-department cases get their departments and the uniform draws that later decide
    their delays and bounces, so the cases are the same whatever the coordination policy.
    """
    rates = population / 1000.0 * requests_per_1000_people_day
    counts = _daily_poisson(rng, rates, days, day_weights)
    township, time = _times(rng, counts, daytime_share, open_hours)
    n = len(time)
    effort = lognormal(rng, effort_mean_hours, effort_sigma, n) if n else np.zeros(0)
    u = rng.random(n)
    kind = np.full(n, Kind.REQUEST, dtype=np.int8)
    kind[u < complex_share + utility_share] = Kind.COMPLEX
    kind[u < utility_share] = Kind.UTILITY
    cross = rng.random(n) < cross_department_share
    kind[cross & (kind != Kind.UTILITY)] = Kind.CROSS_DEPARTMENT
    n_departments = rng.integers(1, max_departments_per_case + 1, n)
    if departments >= max_departments_per_case:
        # Distinct departments per case: the first columns of a random permutation per row
        # (found by partial sorting, and only for the rows that are cases).
        keys = rng.random((n, departments))
        case = kind == Kind.CROSS_DEPARTMENT
        first = np.arange(max_departments_per_case)
        case_departments = np.zeros((n, max_departments_per_case), dtype=np.int64)
        case_departments[case] = np.argpartition(keys[case], first, axis=1)[:, first]
    else:
        case_departments = rng.integers(0, max(departments, 1), (n, max_departments_per_case))
    case_draws = rng.random((n, case_draws_needed(max_departments_per_case, max_bounces)))
    deadline_hours = np.select(
        [kind == Kind.UTILITY, kind == Kind.COMPLEX],
        [deadline_utility_hours, deadline_complex_days * CALENDAR_HOURS_PER_WORKING_DAY],
        deadline_general_days * CALENDAR_HOURS_PER_WORKING_DAY,
    )
    township, time, effort, kind, deadline_hours, n_departments, case_departments, case_draws = (
        _sort(
            township, time, effort, kind, deadline_hours, n_departments, case_departments,
            case_draws,
        )
    )
    return Arrivals(
        township=township,
        time=time,
        effort=effort,
        kind=kind,
        deadline=time + deadline_hours,
        extra={
            "n_departments": n_departments,
            "departments": case_departments,
            "draws": case_draws,
        },
    )


def pure_queue_requests(
    rng: np.random.Generator, *, days: int, arrival_rate_per_hour: float, mean_service_hours: float
) -> Arrivals:
    """Poisson arrivals around the clock with exponential service: the M/M/c validation case."""
    horizon = days * HOURS_PER_DAY
    n = rng.poisson(arrival_rate_per_hour * horizon)
    time = np.sort(rng.uniform(0.0, horizon, n))
    effort = rng.exponential(mean_service_hours, n)
    return Arrivals(
        township=np.zeros(n, dtype=int),
        time=time,
        effort=effort,
        kind=np.full(n, Kind.REQUEST, dtype=np.int8),
        deadline=np.full(n, np.inf),
        extra={},
    )


def emergencies(
    rng: np.random.Generator,
    *,
    townships: int,
    days: int,
    per_township_month: float,
    days_per_month: float,
    effort_mean_hours: float,
    deadline_hours: float,
) -> Arrivals:
    """Rare emergencies (急难险情), any hour of any day, served before everything else."""
    counts = rng.poisson(per_township_month / days_per_month, (townships, days))
    township, time = _times(rng, counts, 0.0, (0.0, HOURS_PER_DAY))
    effort = rng.exponential(effort_mean_hours, len(time))
    township, time, effort = _sort(township, time, effort)
    return Arrivals(
        township=township,
        time=time,
        effort=effort,
        kind=np.full(len(time), Kind.EMERGENCY, dtype=np.int8),
        deadline=time + deadline_hours,
        extra={},
    )


def pushed_down_tasks(
    rng: np.random.Generator,
    *,
    townships: int,
    days: int,
    working_days: np.ndarray,
    open_hours: tuple[float, float],
    departments: int,
    per_department_township_week: float,
    effort_mean_hours: float,
    effort_sigma: float,
    deadline_days: float,
    outside_list_share: float,
) -> Arrivals:
    """Tasks pushed down by county departments on working days (stream ``tasks``).

    Each task carries whether it lies outside the township's responsibility list and a uniform
    draw that an access-list policy compares with its refusal rate.
    """
    per_day = departments * per_department_township_week / 5.0
    counts = rng.poisson(per_day * working_days.astype(float), (townships, days))
    township, time = _times(rng, counts, 1.0, open_hours)
    n = len(time)
    effort = lognormal(rng, effort_mean_hours, effort_sigma, n) if n else np.zeros(0)
    department = rng.integers(0, max(departments, 1), n)
    outside = rng.random(n) < outside_list_share
    refusal_draw = rng.random(n)
    township, time, effort, department, outside, refusal_draw = _sort(
        township, time, effort, department, outside, refusal_draw
    )
    return Arrivals(
        township=township,
        time=time,
        effort=effort,
        kind=np.full(n, Kind.TASK, dtype=np.int8),
        deadline=time + deadline_days * CALENDAR_HOURS_PER_WORKING_DAY,
        extra={"department": department, "outside_list": outside, "refusal_draw": refusal_draw},
    )


def own_work(
    rng: np.random.Generator,
    *,
    population: np.ndarray,
    working_days: np.ndarray,
    open_hours: tuple[float, float],
    per_township_week: float,
    per_10k_people_week: float,
    effort_mean_hours: float,
    effort_sigma: float,
    deadline_days: float,
) -> Arrivals:
    """The township's own statutory work (本级法定职责) on working days (stream ``own_work``).

    Items of a township's own duties (its power and duty list, seed 004; its offices and
    centres, seed 001) arise at ``per_township_week`` a township plus ``per_10k_people_week``
    per 10,000 residents, in office hours, with a deadline in working days (issue 11, item 9).
    """
    per_day = (per_township_week + per_10k_people_week * np.asarray(population) / 10_000) / 5.0
    counts = rng.poisson(np.outer(per_day, working_days.astype(float)))
    township, time = _times(rng, counts, 1.0, open_hours)
    n = len(time)
    effort = lognormal(rng, effort_mean_hours, effort_sigma, n) if n else np.zeros(0)
    township, time, effort = _sort(township, time, effort)
    return Arrivals(
        township=township,
        time=time,
        effort=effort,
        kind=np.full(n, Kind.OWN_WORK, dtype=np.int8),
        deadline=time + deadline_days * CALENDAR_HOURS_PER_WORKING_DAY,
        extra={},
    )


class DayArrivals(NamedTuple):
    """One day's new items (see :meth:`Demand.arrive`)."""

    ids: np.ndarray  # items to queue, in the order the townships take them
    cases: slice  # the day's cross-department cases (case numbers)
    case_items: np.ndarray  # the request item of each of those cases
    refused_department: np.ndarray  # tasks refused under an access list: their departments
    refused_hours: np.ndarray  # and their efforts
    created: slice = slice(0, 0)  # ids of every item created today, refused ones included


class Demand:
    """Every arrival of a run, in the order its items will be created.

    Args:
        scenario: Rates, efforts, deadlines and shares of the demand.
        streams: The run's named streams (``requests``, ``emergencies``, ``tasks``,
            ``own_work``).
        population: Residents of each township.
        departments: Number of county departments.
        days: Calendar days of the run.
        access_list: The access-list policy, which decides refusals of pushed-down tasks.
        platform: The one-stop platform (:class:`~sim.policies.platform.Platform`), which merges
            repeated requests and books its upkeep; None or off: neither.
        enforcement: The township enforcement teams
            (:class:`~sim.policies.enforcement.EnforcementTeam`), whose certification rounds
            book training hours; None or off: none.
    """

    def __init__(self, scenario: ScenarioConfig, *, streams, population: np.ndarray,
                 departments: int, days: int, access_list, platform=None, enforcement=None):
        """Draw every arrival of the run and put them in the order items will be created."""
        self.days = days
        self.access_list = access_list
        self.n_townships = n_t = len(population)
        if scenario.pure_queue:
            requests = pure_queue_requests(
                streams["requests"], days=days,
                arrival_rate_per_hour=scenario.arrival_rate_per_hour,
                mean_service_hours=scenario.mean_service_hours,
            )
            sources = {"requests": requests}
        else:
            weekdays = np.arange(days) % 7 < 5  # the working days (Monday to Friday)
            day_weights = np.where(weekdays, 1.0, scenario.weekend_demand_share)
            open_hours = (scenario.office_open_hour, scenario.office_close_hour)
            requests = citizen_requests(
                streams["requests"],
                population=np.asarray(population),
                days=days,
                day_weights=day_weights,
                requests_per_1000_people_day=scenario.requests_per_1000_people_day,
                effort_mean_hours=scenario.request_effort_mean_hours,
                effort_sigma=scenario.request_effort_sigma,
                complex_share=scenario.complex_share,
                utility_share=scenario.utility_share,
                cross_department_share=scenario.cross_department_share if departments else 0,
                max_departments_per_case=scenario.max_departments_per_case,
                max_bounces=scenario.max_bounces,
                departments=departments,
                deadline_general_days=scenario.deadline_general_days,
                deadline_complex_days=scenario.deadline_complex_days,
                deadline_utility_hours=scenario.deadline_utility_hours,
                daytime_share=scenario.daytime_share,
                open_hours=open_hours,
            )
            sources = {
                "requests": requests,
                "emergencies": emergencies(
                    streams["emergencies"], townships=n_t, days=days,
                    per_township_month=scenario.emergencies_per_township_month,
                    days_per_month=scenario.days_per_month,
                    effort_mean_hours=scenario.emergency_effort_mean_hours,
                    deadline_hours=scenario.deadline_emergency_hours,
                ),
                "tasks": pushed_down_tasks(
                    streams["tasks"], townships=n_t, days=days,
                    working_days=weekdays,
                    open_hours=open_hours,
                    departments=departments,
                    per_department_township_week=scenario.tasks_per_department_township_week,
                    effort_mean_hours=scenario.task_effort_mean_hours,
                    effort_sigma=scenario.task_effort_sigma,
                    deadline_days=scenario.task_deadline_days,
                    outside_list_share=scenario.task_outside_list_share,
                ),
            }
            self._add_reforms(sources, streams, platform, enforcement, open_hours[0])
            if scenario.own_work_per_township_week or scenario.own_work_per_10k_people_week:
                sources["own_work"] = own_work(  # after the others: their items keep their order
                    streams["own_work"], population=population,
                    working_days=weekdays, open_hours=open_hours,
                    per_township_week=scenario.own_work_per_township_week,
                    per_10k_people_week=scenario.own_work_per_10k_people_week,
                    effort_mean_hours=scenario.own_work_effort_mean_hours,
                    effort_sigma=scenario.own_work_effort_sigma,
                    deadline_days=scenario.own_work_deadline_days)
        self._schedule(sources)
        self._priority_of = self._priority = None  # see _priorities

    def _add_reforms(self, sources: dict, streams, platform, enforcement, open_hour: float):
        """The platform's merged repeats and upkeep, the enforcement teams' training hours.

        Sources are added after the others, so the others' items keep their order.
        """
        if platform is not None and platform.on:
            requests = sources["requests"]
            platform.merge(streams["platform"], requests.kind, requests.effort)
            upkeep = platform.upkeep(townships=self.n_townships, days=self.days,
                                     open_hour=open_hour)
            if upkeep is not None:
                sources["platform_upkeep"] = upkeep
        if enforcement is not None and enforcement.on:
            training = enforcement.training(townships=self.n_townships, days=self.days,
                                            open_hour=open_hour)
            if training is not None:
                sources["enforcement_training"] = training

    def _schedule(self, sources: dict) -> None:
        """Put every arrival of the run in one table, in the order its items will be created.

        That order is by day, township, source (as listed in ``sources``), then time: item ids
        follow it, so each day's arrivals are one contiguous block (:meth:`arrive`).
        Task refusals under an access list are decided here, from each task's pre-drawn uniform.
        Cross-department cases are numbered in that order too; their departments and draws
        (:attr:`cases`) open the :class:`Coordination` book.
        """
        edges = np.arange(self.days + 1) * 24.0
        n_townships = self.n_townships
        parts = []
        for s, (name, arrivals) in enumerate(sources.items()):
            n = len(arrivals)
            extra = arrivals.extra
            department = np.full(n, -1, dtype=np.int32)
            outside = np.zeros(n, dtype=bool)
            refused = np.zeros(n, dtype=bool)
            if name == "tasks":  # who the task belongs to, and whether the township refuses it
                department[:] = extra["department"]
                outside[:] = extra["outside_list"]
                refused[:] = self.access_list.refuses(outside, extra["refusal_draw"])
            parts.append({
                "day": np.searchsorted(edges, arrivals.time, side="right") - 1,
                "township": arrivals.township, "source": np.full(n, s), "row": np.arange(n),
                "kind": arrivals.kind, "time": arrivals.time, "deadline": arrivals.deadline,
                "effort": arrivals.effort, "department": department, "outside": outside,
                "refused": refused,
            })
        columns = {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
        # One integer key; a stable sort keeps each source's rows (already in time order).
        key = (columns["day"] * n_townships + columns["township"]) * len(parts)
        order = np.argsort(key + columns["source"], kind="stable")
        self._arrivals = {key: column[order] for key, column in columns.items()}
        self._arrival_days = np.searchsorted(self._arrivals["day"],
                                             np.arange(self.days + 1)).tolist()
        # The order the townships take each day's arrivals in (township, then time, then id),
        # refused tasks left out: arrivals_today uses it when no re-handling joins them.
        day, kept = self._arrivals["day"], np.flatnonzero(~self._arrivals["refused"])
        self._queue_rows = kept[np.lexsort((self._arrivals["time"][kept],
                                            self._arrivals["township"][kept], day[kept]))]
        self._queue_days = np.searchsorted(day[self._queue_rows],
                                           np.arange(self.days + 1)).tolist()
        cross = np.flatnonzero(self._arrivals["kind"] == CROSS_DEPARTMENT)
        self._arrivals["case"] = np.full(len(order), -1, dtype=np.int64)
        self._arrivals["case"][cross] = np.arange(len(cross))
        self._case_rows = cross  # case c arrives in row cross[c]; a day's cases are contiguous
        self._case_days = np.searchsorted(cross, self._arrival_days).tolist()
        refusals = np.concatenate([[0], np.cumsum(self._arrivals["refused"])])
        self._refusal_days = np.diff(refusals[self._arrival_days]).tolist()  # refusals per day
        extra = sources["requests"].extra  # the only source with cross-department cases
        if "n_departments" in extra:
            rows = self._arrivals["row"][cross]
            self.cases = {key: extra[key][rows]
                           for key in ("n_departments", "departments", "draws")}
        else:
            self.cases = {"n_departments": np.zeros(0, dtype=np.int64),
                           "departments": np.zeros((0, 1), dtype=np.int64),
                           "draws": np.zeros((0, 1))}
        for key in ("day", "source", "row"):  # used only to put the arrivals in order
            del self._arrivals[key]

    def __len__(self) -> int:
        """Arrivals scheduled over the whole run (each becomes exactly one work item)."""
        return len(self._arrivals["time"])

    def _priorities(self, table: ItemTable) -> np.ndarray:
        """Every arrival's queue rank in ``table`` (by kind and list), looked up once a run."""
        if self._priority_of is not table.priority_of:
            self._priority_of = table.priority_of
            self._priority = table.priority_of[self._arrivals["kind"],
                                               self._arrivals["outside"].view(np.int8)]
        return self._priority

    def arrive(self, day: int, table: ItemTable) -> DayArrivals:
        """Create the items arriving on ``day`` in ``table``.

        Returns the ids to queue in the order the townships take them (township, then time,
        then id), the day's cross-department cases and their request items, and the tasks a
        township refused under an access list (already marked returned; their departments
        absorb the hours).
        """
        lo, hi = self._arrival_days[day], self._arrival_days[day + 1]
        new = {key: self._arrivals[key][lo:hi] for key in (
            "kind", "township", "time", "deadline", "effort", "department", "outside", "case")}
        first = table.add(hi - lo, kind=new["kind"], township=new["township"],
                          arrival=new["time"], deadline=new["deadline"], effort=new["effort"],
                          department=new["department"], outside_list=new["outside"],
                          case=new["case"], priority=self._priorities(table)[lo:hi])
        cases = slice(self._case_days[day], self._case_days[day + 1])
        refused_department, refused_hours = _NONE_INT, _NONE_FLOAT
        if self._refusal_days[day]:
            refused = self._arrivals["refused"][lo:hi]
            returned = first + np.flatnonzero(refused)
            table.status[returned] = RETURNED
            table.finish[returned] = table.done[returned] = table.arrival[returned]
            refused_department, refused_hours = new["department"][refused], new["effort"][refused]
        ids = self._queue_rows[self._queue_days[day]:self._queue_days[day + 1]] + (first - lo)
        return DayArrivals(ids=ids, cases=cases, case_items=self._case_rows[cases] + (first - lo),
                           refused_department=refused_department, refused_hours=refused_hours,
                           created=slice(first, first + hi - lo))

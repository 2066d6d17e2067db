"""The county model: townships, cadres and county departments sharing the same cadre hours.

One run is one county (or one street or town for the small scenarios), stepped one calendar day
at a time. The day's schedule (:meth:`CountyWorkload.step`) is: the reforms that fall due (posts
moved, secondments started or ended), the county departments' answers on cross-department cases,
each township's working day, each department's day, then staff turnover. All demand is drawn up
front from named streams (:mod:`sim.streams`), so policies are compared on the same demand.
"""

from __future__ import annotations

import math

import mesa
import numpy as np

from sim.agents import Cadre, CountyDepartment, Roster, Township
from sim.agents.department import DepartmentBook
from sim.agents.township import DAY_START_HOUR, CadreDay
from sim.config import PolicyConfig, ScenarioConfig
from sim.kernels.columns import (
    HOURS_CATEGORIES,
    MANDATORY_CATEGORIES,
    TOWNSHIP_COLUMNS,
    HandOvers,
    Hours,
    ItemColumns,
    TownshipColumn,
)
from sim.kernels.day import (
    Clock,
    CountyOut,
    Crew,
    CrewPlan,
    DayBook,
    Posts,
    Queues,
    Shifts,
    TownshipArrivals,
    TownshipDay,
    TownshipTotals,
    Windows,
    book_finished,
    finish_day,
    plan_windows,
    push_all,
    record_townships,
    serve_county,
)
from sim.policies.coordination import Coordination
from sim.policies.meetings import MandatoryWork
from sim.policies.pay import PayPremium
from sim.policies.posts import PostsReform, plan_posts
from sim.policies.secondment import SecondmentRule
from sim.policies.tasks import AccessList
from sim.staffing import Staffing
from sim.streams import Streams
from sim.work import (
    CROSS_DEPARTMENT,
    RETURNED,
    REWORK,
    Items,
    ItemTable,
    citizen_requests,
    emergencies,
    pure_queue_requests,
    pushed_down_tasks,
)

__all__ = ["MANDATORY_CATEGORIES", "CountyWorkload"]  # the first is defined in sim.kernels
#: Weekend demand relative to a weekday (residents still call on weekends).
WEEKEND_DEMAND = 0.5


class CountyWorkload(mesa.Model):
    """A county's grassroots workload under a mix of reforms ("小马拉大车").

    Args:
        scenario: The county: its units, posts, demand and burdens.
        policy: The six levers in force.
        days: Calendar days to simulate.
        seed: Seed of every random stream.
    """

    def __init__(self, *, scenario: ScenarioConfig, policy: PolicyConfig, days: int = 365,
                 seed: int = 0):
        """Build the county, plan the reforms and draw the run's demand."""
        super().__init__(seed=seed)
        self.scenario = scenario
        self.policy = policy
        self.days = days
        self.day = 0
        self.seed = seed
        self.streams = Streams(seed)
        self.pure_queue = scenario.pure_queue
        always_on = scenario.calendar == "always_on" or scenario.pure_queue
        weekday = np.arange(days) % 7 < 5
        self.working = np.ones(days, dtype=bool) if always_on else weekday
        self.regular_hours = 24.0 if always_on else scenario.regular_hours_per_day
        self.overtime_cap_hours = 0.0 if always_on else scenario.overtime_cap_hours_per_day
        self.day_start_hour = 0.0 if always_on else DAY_START_HOUR
        self.department_min_posts = scenario.department_min_posts
        self.ramp_days = scenario.ramp_up_months * 30.0
        self.ramp_start = scenario.ramp_up_start_productivity
        self.fatigue_loss = scenario.fatigue_productivity_loss

        self._build_townships(scenario, always_on)
        self._build_departments(scenario)
        self._build_roster(scenario)
        self._second_initial(scenario)

        pay = PayPremium(policy.pay)
        self.mandatory_work = MandatoryWork(scenario, policy.meetings, self.streams["overhead"])
        self.access_list = AccessList(policy.tasks)  # before the demand: it marks refusals
        self.secondment = SecondmentRule(scenario, policy.secondment, self.streams["secondment"],
                                         extension_multiplier=pay.extension_multiplier)
        self.staffing = Staffing(scenario, attrition_multiplier=pay.attrition_multiplier,
                                 attrition_rng=self.streams["attrition"],
                                 hiring_rng=self.streams["hiring"])
        for slot in np.flatnonzero(~self.roster.occupied):  # vacant at the start: hiring under way
            self.open_vacancy(int(slot), 0)
        self.posts_reform = PostsReform(self._plan_posts(policy),
                                        with_people=policy.posts.with_people)
        self.posts_total = len(self.roster)

        self._draw_demand(scenario)
        self.coordination = Coordination(scenario, policy.coordination, **self._cases)
        self.table = ItemTable()
        n = len(self.townships)
        self.incoming = np.zeros(0, dtype=np.int64)  # re-handlings arrived after the day's work
        self.queues = np.empty((n, 64), dtype=np.int64)  # one heap of item ids per township
        self.queue_size = np.zeros(n, dtype=np.int64)
        self.fifo = np.array([t.fifo for t in self.townships], dtype=bool)
        self.carry = np.full(len(self.roster), -1, dtype=np.int64)  # half-done item per post
        self.township_hours = np.zeros((n, len(HOURS_CATEGORIES)))
        self.township_demand = np.zeros(n)
        self.township_capacity = np.zeros(n)
        self.township_overtime = np.zeros(n)
        self.township_cadre_days = np.zeros(n, dtype=np.int64)
        self._crew_key: tuple | None = None  # the roster the cached crew was planned from
        self._crew_cache: dict = {}
        self.resolved_today: list[float] = []
        # End-of-day state of each township, by day (``TOWNSHIP_COLUMNS``).
        self.township_record = np.zeros((days, n, len(TOWNSHIP_COLUMNS)))
        self.township_record[:, :, TownshipColumn.DAY] = np.arange(days)[:, None]
        self.township_record[:, :, TownshipColumn.TOWNSHIP] = np.arange(n)
        self.week_over_50 = 0
        self.cadre_weeks = 0
        self.secondment_days_total = 0.0
        self._set_daily_state()
        self.datacollector = mesa.DataCollector(model_reporters=DAILY_REPORTERS)

    # -- construction ------------------------------------------------------------------------

    def _build_townships(self, scenario: ScenarioConfig, always_on: bool) -> None:
        rng = self.streams["geography"]
        n = scenario.townships
        population = rng.integers(scenario.population_min, scenario.population_max + 1, n)
        distance = rng.uniform(scenario.distance_km_min, scenario.distance_km_max, n)
        angle = rng.uniform(0, 2 * np.pi, n)
        fifo = scenario.discipline == "fifo" or scenario.pure_queue
        self.townships = [
            Township(
                self,
                index=i,
                name=f"T{i + 1:02d}",
                population=int(population[i]),
                distance_km=float(distance[i]),
                x=float(distance[i] * np.cos(angle[i])),
                y=float(distance[i] * np.sin(angle[i])),
                villages=scenario.villages_per_township,
                always_on=always_on,
                fifo=fifo,
            )
            for i in range(n)
        ]
        self.township_units = n
        self.distance_km = distance

    def _build_departments(self, scenario: ScenarioConfig) -> None:
        rng = self.streams["departments"]
        n = 0 if scenario.pure_queue else scenario.departments
        self._department_utilisation = rng.uniform(
            scenario.department_utilisation_min, scenario.department_utilisation_max, n
        )
        units = self.township_units + np.arange(n)
        self.department_book = DepartmentBook(units, scenario.regular_hours_per_day)
        self.departments = [CountyDepartment(self, index=d, unit=int(units[d])) for d in range(n)]

    def _build_roster(self, scenario: ScenarioConfig) -> None:
        rng = self.streams["geography"]
        units, admin, leader, occupied = [], [], [], []

        def add_unit(unit, posts, fill_rate, leaders):
            n_admin = round(posts * scenario.admin_share) if not scenario.pure_queue else posts
            filled = np.zeros(posts, dtype=bool)
            filled[rng.permutation(posts)[: round(posts * fill_rate)]] = True
            filled[:leaders] = True
            units.extend([unit] * posts)
            admin.extend([True] * n_admin + [False] * (posts - n_admin))
            leader.extend([True] * leaders + [False] * (posts - leaders))
            occupied.extend(filled.tolist())

        for township in self.townships:
            if scenario.pure_queue:
                add_unit(township.index, scenario.servers, 1.0, 0)
            else:
                add_unit(township.index, scenario.posts_per_township, scenario.fill_rate,
                         min(scenario.leaders_per_township, scenario.posts_per_township))
        for department in self.departments:
            add_unit(department.unit, scenario.posts_per_department,
                     scenario.department_fill_rate, 1)
        self.roster = Roster(units, admin, leader, occupied)
        for slot in np.flatnonzero(self.roster.occupied):
            Cadre(self, int(slot))
        self.refresh_units()
        book = self.department_book
        book.own_work = self._department_utilisation * book.count_capacity(self)

    def _second_initial(self, scenario: ScenarioConfig) -> None:
        """Secondments already running when the run starts (e.g. Baotou's 4, seed 003)."""
        if scenario.initial_secondees_per_township <= 0 or not self.departments:
            return
        rng = self.streams["secondment"]
        roster = self.roster
        for township in self.townships:
            slots = township.slots[roster.occupied[township.slots] & ~roster.leader[township.slots]]
            n = min(scenario.initial_secondees_per_township, len(slots))
            picked = rng.choice(slots, n, replace=False)
            for slot in picked:
                department = self.departments[int(rng.integers(len(self.departments)))]
                until = rng.exponential(scenario.initial_secondment_months * 30.0)
                SecondmentRule.second(self, [slot], department.unit, 0.0, until)
                roster.secondment_days[slot] = rng.uniform(0, 90)

    def _plan_posts(self, policy: PolicyConfig):
        roster = self.roster
        township_posts = np.array([t.posts for t in self.townships])
        township_admin = np.array([int(roster.admin[t.slots].sum()) for t in self.townships])
        releasable = sum(max(len(d.slots) - self.department_min_posts, 0) for d in self.departments)
        releasable_admin = sum(
            min(int(roster.admin[d.slots].sum()), max(len(d.slots) - self.department_min_posts, 0))
            for d in self.departments
        )
        return plan_posts(
            policy.posts,
            township_posts=township_posts,
            township_admin_posts=township_admin,
            population=np.array([t.population for t in self.townships]),
            **self.expected_work(),
            distance_km=np.array([t.distance_km for t in self.townships]),
            county_posts=len(roster),
            releasable=releasable,
            releasable_admin=releasable_admin,
        )

    def expected_work(self) -> dict[str, np.ndarray]:
        """Each township's expected work per working day, from the scenario's rates.

        Returns ``work_hours`` (requests and tasks, independent of headcount),
        ``mandatory_per_cadre`` (meetings with travel, documents, chat groups) and ``staff``
        (expected cadres on duty): what the ``workload`` allocation of posts uses.
        """
        s = self.scenario
        n = len(self.townships)
        staff = np.array([t.posts for t in self.townships]) * (1.0 if s.pure_queue else s.fill_rate)
        if s.pure_queue:
            work = np.full(n, s.arrival_rate_per_hour * 24 * s.mean_service_hours)
            return {"work_hours": work, "mandatory_per_cadre": np.zeros(n), "staff": staff}
        population = np.array([t.population for t in self.townships])
        requests = population / 1000 * s.requests_per_1000_people_day * 7 / 5
        tasks = s.departments * s.tasks_per_department_township_week / 5 * s.task_effort_mean_hours
        travel = 2 * np.array([t.distance_km for t in self.townships]) / s.travel_speed_kmh
        mandatory = (
            s.meetings_per_cadre_week / 5 * (s.meeting_hours + s.in_person_share * travel)
            + s.document_hours_per_cadre_week / 5
            + s.chat_groups_per_cadre * s.chat_hours_per_group_day
            + s.inspections_per_township_month * 12 / 250 * s.inspection_hours_per_cadre
        )
        return {"work_hours": requests * s.request_effort_mean_hours + tasks,
                "mandatory_per_cadre": mandatory, "staff": staff}

    def _draw_demand(self, scenario: ScenarioConfig) -> None:
        n_t, days = len(self.townships), self.days
        if scenario.pure_queue:
            requests = pure_queue_requests(
                self.streams["requests"], days=days,
                arrival_rate_per_hour=scenario.arrival_rate_per_hour,
                mean_service_hours=scenario.mean_service_hours,
            )
            sources = {"requests": requests}
        else:
            day_weights = np.where(np.arange(days) % 7 < 5, 1.0, WEEKEND_DEMAND)
            requests = citizen_requests(
                self.streams["requests"],
                population=np.array([t.population for t in self.townships]),
                days=days,
                day_weights=day_weights,
                requests_per_1000_people_day=scenario.requests_per_1000_people_day,
                effort_mean_hours=scenario.request_effort_mean_hours,
                effort_sigma=scenario.request_effort_sigma,
                complex_share=scenario.complex_share,
                utility_share=scenario.utility_share,
                cross_department_share=scenario.cross_department_share if self.departments else 0,
                max_departments_per_case=scenario.max_departments_per_case,
                max_bounces=scenario.max_bounces,
                departments=len(self.departments),
                deadline_general_days=scenario.deadline_general_days,
                deadline_complex_days=scenario.deadline_complex_days,
                deadline_utility_hours=scenario.deadline_utility_hours,
            )
            sources = {
                "requests": requests,
                "emergencies": emergencies(
                    self.streams["emergencies"], townships=n_t, days=days,
                    per_township_month=scenario.emergencies_per_township_month,
                    effort_mean_hours=scenario.emergency_effort_mean_hours,
                    deadline_hours=scenario.deadline_emergency_hours,
                ),
                "tasks": pushed_down_tasks(
                    self.streams["tasks"], townships=n_t, days=days,
                    working_days=np.arange(days) % 7 < 5,
                    departments=len(self.departments),
                    per_department_township_week=scenario.tasks_per_department_township_week,
                    effort_mean_hours=scenario.task_effort_mean_hours,
                    effort_sigma=scenario.task_effort_sigma,
                    deadline_days=scenario.task_deadline_days,
                    outside_list_share=scenario.task_outside_list_share,
                ),
            }
        self._schedule_arrivals(sources)

    def _schedule_arrivals(self, sources: dict) -> None:
        """Put every arrival of the run in one table, in the order its items will be created.

        That order is by day, township, source (as listed in ``sources``), then time: item ids
        follow it, so each day's arrivals are one contiguous block (:meth:`arrivals_today`).
        Task refusals under an access list are decided here, from each task's pre-drawn uniform.
        Cross-department cases are numbered in that order too; their departments and draws
        (``self._cases``) open the :class:`Coordination` book.
        """
        edges = np.arange(self.days + 1) * 24.0
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
        key = (columns["day"] * len(self.townships) + columns["township"]) * len(parts)
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
            self._cases = {key: extra[key][rows]
                           for key in ("n_departments", "departments", "draws")}
        else:
            self._cases = {"n_departments": np.zeros(0, dtype=np.int64),
                           "departments": np.zeros((0, 1), dtype=np.int64),
                           "draws": np.zeros((0, 1))}
        for key in ("day", "source", "row"):  # used only to put the arrivals in order
            del self._arrivals[key]

    # -- the day -----------------------------------------------------------------------------

    def step(self) -> None:
        """Simulate one calendar day."""
        day, working = self.day, bool(self.working[self.day])
        self._set_daily_state()
        self.posts_reform.apply(self, day)
        self.secondment.apply(self, day)
        arrivals, township = self.arrivals_today(day)
        self.township_demand += np.bincount(township, self.table.effort[arrivals],
                                            minlength=len(self.townships))
        if working:
            self.work_day(self.plan_cadre_day(day), arrivals, township)
        else:
            self.enqueue(arrivals, township)
        self.release_answers(day)
        noise = self.streams["departments"].gamma(20.0, 1 / 20.0, len(self.departments))
        self.department_book.work_day(self, working, noise)
        self.staffing.apply(self, day)
        self._record_day(day)
        self.datacollector.collect(self)
        self.day += 1
        if self.day >= self.days:
            self.running = False

    def run(self, progress: bool = False) -> None:
        """Run every remaining day, with a progress bar on a terminal if asked."""
        from tqdm import tqdm

        for _ in tqdm(range(self.day, self.days), disable=not progress, unit="day",
                      desc=self.scenario.name, leave=False):
            self.step()

    @property
    def items(self) -> Items:
        """Every work item so far, by id, as :class:`WorkItem` views of ``table``."""
        return Items(self.table)

    def close(self) -> None:
        """Let the finished model be garbage-collected in a long-lived process.

        Mesa 3.3 keeps every model ever built alive through the class attribute ``Agent._ids``
        (fixed in Mesa 3.4, which needs Python 3.12); sweeps' worker processes, the province
        runner and the dashboard build many models, so they call this when done with one.
        """
        mesa.Agent._ids.pop(self, None)

    # -- arrivals and events -----------------------------------------------------------------

    def arrivals_today(self, day: int) -> tuple[np.ndarray, np.ndarray]:
        """Create the items arriving on ``day``; return their ids and townships.

        Ids come sorted by township, then arrival time; re-handlings of bounced cases
        (:meth:`release_answers`) come before the day's new arrivals at the same time. Tasks a
        township refuses under an access list go straight back to their departments.
        """
        lo, hi = self._arrival_days[day], self._arrival_days[day + 1]
        table, new = self.table, {key: self._arrivals[key][lo:hi] for key in (
            "kind", "township", "time", "deadline", "effort", "department", "outside", "case")}
        first = table.add(hi - lo, kind=new["kind"], township=new["township"],
                          arrival=new["time"], deadline=new["deadline"], effort=new["effort"],
                          department=new["department"], outside_list=new["outside"],
                          case=new["case"])
        cases = slice(self._case_days[day], self._case_days[day + 1])
        self.coordination.item[cases] = self._case_rows[cases] + (first - lo)
        ids = np.arange(first, first + hi - lo)
        if self._refusal_days[day]:
            refused = self._arrivals["refused"][lo:hi]
            self.department_book.absorb_refused_tasks(new["department"][refused],
                                                      new["effort"][refused])
            returned = ids[refused]
            table.status[returned] = RETURNED
            table.finish[returned] = table.done[returned] = table.arrival[returned]
            ids = ids[~refused]
        if len(self.incoming):
            ids = np.concatenate([self.incoming, ids])
            self.incoming = self.incoming[:0]
            ids = ids[np.lexsort((table.arrival[ids], table.township[ids]))]  # a stable sort
        else:  # the order worked out for the whole run
            ids = self._queue_rows[self._queue_days[day]:self._queue_days[day + 1]] + (first - lo)
        return ids, table.township[ids]

    def release_answers(self, day: int) -> None:
        """The departments' answers on cross-department cases due before the end of ``day``.

        A bounced case becomes a re-handling item at its township, queued after the day's work
        (``incoming``); a case every department has answered is resolved.
        """
        answers = self.coordination.release((day + 1) * 24.0, self)
        if answers is None:
            return
        (case, time, effort, k), resolution = answers
        if len(case):
            table, requests = self.table, self.coordination.item[case]
            first = table.add(len(case), kind=REWORK, township=table.township[requests],
                              arrival=time, deadline=table.deadline[requests], effort=effort,
                              department=k, case=case)
            self.incoming = np.concatenate([self.incoming, np.arange(first, first + len(case))])
        self.resolved_today.extend(resolution.tolist())

    def enqueue(self, ids: np.ndarray, township: np.ndarray) -> None:
        """Put items in their townships' queues."""
        self._reserve_queues(np.bincount(township, minlength=len(self.townships)))
        push_all(self._queues(), ids, township, ItemColumns.of(self.table))

    def _queues(self) -> Queues:
        """The townships' queues, for the kernels."""
        return Queues(heap=self.queues, size=self.queue_size, fifo=self.fifo)

    def _posts(self) -> Posts:
        """The posts' units, holders and carried items, for the kernels."""
        roster = self.roster
        return Posts(unit=roster.unit, occupied=roster.occupied, seconded_to=roster.seconded_to,
                     carry=self.carry)

    def _reserve_queues(self, extra: np.ndarray) -> None:
        """Make room for ``extra`` more items in each township's queue."""
        need = int((self.queue_size + extra).max(initial=0))
        if need > self.queues.shape[1]:
            grown = np.empty((len(self.townships), max(2 * self.queues.shape[1], need)),
                             dtype=np.int64)
            grown[:, : self.queues.shape[1]] = self.queues
            self.queues = grown

    def backlogs(self) -> np.ndarray:
        """Per township: items waiting, half done, or arrived after the day's work.

        As recorded at the end of the last day simulated (nothing changes between days).
        """
        if self.day == 0:
            return np.zeros(len(self.townships), dtype=np.int64)
        return self.township_record[self.day - 1, :, TownshipColumn.BACKLOG].astype(np.int64)

    def work_day(self, crew: CadreDay, arrivals: np.ndarray, township: np.ndarray) -> None:
        """The townships' working day: mandatory work first, then every queue is served.

        Half-done items of cadres who are not at their township's work today (they left, were
        seconded, or their post moved) go back to the queue first. The serving loop
        (``sim/kernels/day.py``) returns the finished items in order; they are booked here in that
        order, so cross-department hand-offs happen as they would item by item.
        """
        table, carry, n = self.table, self.carry, len(self.townships)
        # Room in each queue for today's arrivals and for its carried items, if put back.
        self._reserve_queues(np.bincount(township, minlength=n) + np.bincount(
            table.township[carry[carry >= 0]], minlength=n))
        hours = crew.hours_by_category
        worked = np.empty(len(crew.slots))
        capacity = int(self.queue_size.sum()) + len(arrivals) + len(carry)
        finished = np.empty(capacity, dtype=np.int64)
        finished_time = np.empty(capacity)
        n_finished = serve_county(
            queues=self._queues(),
            arrivals=TownshipArrivals(ids=arrivals,
                                      bounds=np.searchsorted(township, np.arange(n + 1))),
            crew=Crew(slots=crew.slots, bounds=crew.bounds, start=crew.start,
                      regular_end=crew.regular_end, overtime_end=crew.overtime_end,
                      productivity=crew.productivity),
            posts=self._posts(), items=ItemColumns.of(table),
            out=CountyOut(hours=hours, worked=worked, finished=finished,
                          finished_time=finished_time))
        self.township_hours += hours
        self.township_demand += crew.mandatory_hours
        self.township_capacity += crew.capacity_hours
        self._book_finished(finished[:n_finished], finished_time[:n_finished])
        self.finish_cadre_day(worked)

    def _book_finished(self, ids: np.ndarray, time: np.ndarray) -> None:
        """Book items the townships finished: resolved, or handed on to departments.

        Cases go to their departments in the order the townships finished their parts.
        """
        table, n = self.table, len(ids)
        resolution, handed_time = np.empty(n), np.empty(n)
        handed_case, handed_k = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
        n_resolved, n_handed = book_finished(
            ids, time, items=ItemColumns.of(table), resolution=resolution,
            handed=HandOvers(case=handed_case, k=handed_k, time=handed_time))
        self.resolved_today.extend(resolution[:n_resolved].tolist())
        self.coordination.hand_over(handed_case[:n_handed], handed_k[:n_handed],
                                    handed_time[:n_handed])

    # -- cadres and posts --------------------------------------------------------------------

    def productivity(self, slots: np.ndarray, day: int) -> np.ndarray:
        """Productivity of the holders of ``slots`` today."""
        if self.pure_queue:
            return np.ones(len(slots))
        return self.roster.productivity(slots, day, self.ramp_days, self.ramp_start,
                                        self.fatigue_loss)

    def plan_cadre_day(self, day: int) -> CadreDay:
        """The county's township cadres for a working day, with mandatory work taken off first.

        Done for the whole county at once (one vectorised pass). On-duty cadres start after
        their mandatory hours; seconded cadres work the borrowing unit's day, then a share of
        home work (the double burden, seed 003).
        """
        crew, n_townships = self._township_crew(), len(self.townships)
        n = len(crew["slots"])
        mandatory = self.mandatory_work.hours(crew["home_unit"], crew["home_leader"],
                                              self.distance_km)
        start, regular_end, overtime_end, mandatory_total = (np.empty(n) for _ in range(4))
        hours, mandatory_hours = crew["hours"].copy(), np.zeros(n_townships)
        plan_windows(
            mandatory,
            crew=CrewPlan(home_index=crew["home_index"], unit=crew["unit"],
                          regular_length=crew["regular_length"],
                          overtime_length=crew["overtime_length"]),
            clock=Clock(day_start=day * 24.0 + self.day_start_hour,
                        regular=float(self.regular_hours),
                        limit=float(self.regular_hours + self.overtime_cap_hours)),
            windows=Windows(start=start, regular_end=regular_end, overtime_end=overtime_end,
                            mandatory_total=mandatory_total),
            township=TownshipDay(hours=hours, mandatory_hours=mandatory_hours))
        self._crew = (crew["slots"], crew["home"], crew["unit"], mandatory_total)
        return CadreDay(
            slots=crew["slots"], start=start, regular_end=regular_end, overtime_end=overtime_end,
            productivity=self.productivity(crew["slots"], day), bounds=crew["bounds"],
            hours_by_category=hours, mandatory_hours=mandatory_hours,
            capacity_hours=crew["capacity_hours"],
        )

    def _township_crew(self) -> dict:
        """Who works in the townships: the parts of the day's plan that only the roster sets.

        Kept until the roster changes (a hire, a departure, a secondment, a post moved), which
        is checked against a copy of the roster's columns.
        """
        roster = self.roster
        key = (roster.occupied, roster.unit, roster.seconded_to, roster.leader)
        if self._crew_key is not None and all(
                np.array_equal(a, b) for a, b in zip(key, self._crew_key, strict=True)):
            return self._crew_cache
        n_townships, regular = len(self.townships), self.regular_hours
        slots = np.flatnonzero(roster.occupied & (roster.unit < n_townships))
        seconded = roster.seconded_to[slots] >= 0
        order = np.lexsort((seconded, roster.unit[slots]))
        slots, seconded = slots[order], seconded[order]
        home = ~seconded
        unit = roster.unit[slots]
        hours = np.zeros((n_townships, len(HOURS_CATEGORIES)))
        hours[:, Hours.SECONDED] = regular * np.bincount(unit[seconded], minlength=n_townships)
        self._crew_key = tuple(column.copy() for column in key)
        self._crew_cache = {
            "slots": slots, "home": home, "home_index": np.flatnonzero(home), "unit": unit,
            "home_unit": unit[home],
            "home_leader": roster.leader[slots[home]],
            "regular_length": regular * np.where(
                home, 1.0, 1.0 + self.secondment.home_work_share),
            "overtime_length": np.where(home, self.overtime_cap_hours, 0.0),
            "bounds": np.searchsorted(unit, np.arange(n_townships + 1)),
            "hours": hours,
            "capacity_hours": regular * np.bincount(unit[home], minlength=n_townships),
        }
        return self._crew_cache

    def finish_cadre_day(self, worked: np.ndarray) -> None:
        """Book the working day: overtime, fatigue and weekly hours of every township cadre."""
        slots, home, unit, mandatory_total = self._crew
        overtime = np.empty(len(slots))
        finish_day(Shifts(slots=slots, home=home, unit=unit, mandatory_total=mandatory_total),
                   float(self.regular_hours), worked,
                   DayBook(overtime=overtime, township_overtime=self.township_overtime,
                           township_cadre_days=self.township_cadre_days,
                           week_hours=self.roster.week_hours))
        self.staffing.tire(self.roster, slots, overtime, self.overtime_cap_hours)

    def refresh_units(self) -> None:
        """Recompute which posts each township and department holds."""
        order = np.argsort(self.roster.unit, kind="stable")
        bounds = np.searchsorted(self.roster.unit[order],
                                 np.arange(self.township_units + len(self.departments) + 1))
        for unit in [*self.townships, *self.departments]:
            index = unit.index if isinstance(unit, Township) else unit.unit
            unit.slots = order[bounds[index]:bounds[index + 1]]

    def release_holder(self, slot: int, day: int, reason: int) -> None:
        """The holder of ``slot`` leaves it (attrition, or a post moved without its holder)."""
        roster = self.roster
        roster.record_departure(day, slot, reason)
        if roster.seconded_to[slot] >= 0:
            SecondmentRule.end(self, [slot])
        agent = roster.agents[slot]
        if agent is not None:
            agent.leave()
        roster.occupied[slot] = False
        roster.fatigue[slot] = 0.0
        roster.week_hours[slot] = 0.0

    def open_vacancy(self, slot: int, day: int) -> None:
        """Start the hiring lag of a vacant post."""
        self.roster.fill_day[slot] = day + self.staffing.lag()

    def hire(self, slot: int, day: int) -> None:
        """A newcomer takes vacant post ``slot`` and starts ramping up."""
        roster = self.roster
        roster.occupied[slot] = True
        roster.fill_day[slot] = np.inf
        roster.hired_day[slot] = day
        Cadre(self, slot)

    # -- daily records -----------------------------------------------------------------------

    def _set_daily_state(self) -> None:
        self.resolved_today = []
        self._hours_before = self.hours_by_category()
        self._demand_before = self.township_demand.sum()
        self._capacity_before = self.township_capacity.sum()
        self.backlog = 0
        self.hours_today = np.zeros(len(HOURS_CATEGORIES))
        self.overload_today = math.nan
        self.resolution_hours_today = math.nan

    def hours_by_category(self) -> np.ndarray:
        """Township cadre hours so far, by category (see ``HOURS_CATEGORIES``)."""
        return self.township_hours.sum(axis=0)

    def _record_day(self, day: int) -> None:
        roster, table = self.roster, self.table
        self.hours_today = self.hours_by_category() - self._hours_before
        demand = self.township_demand.sum() - self._demand_before
        capacity = self.township_capacity.sum() - self._capacity_before
        self.overload_today = demand / capacity if capacity > 0 else math.nan
        self.resolution_hours_today = (
            float(np.mean(self.resolved_today)) if self.resolved_today else math.nan
        )
        self.backlog, self.secondments_active, self.vacancies, self.posts_townships = (
            record_townships(
                self.township_record[day], self.queue_size, self.incoming, table.township,
                self._posts(),
                TownshipTotals(demand=self.township_demand, capacity=self.township_capacity,
                               overtime=self.township_overtime, hours=self.township_hours)))
        self.secondment_days_total += self.secondments_active
        self.posts_departments = len(roster) - self.posts_townships
        if day % 7 == 6:
            occupied = (roster.unit < self.township_units) & roster.occupied
            self.week_over_50 += int(np.count_nonzero(occupied & (roster.week_hours > 50)))
            self.cadre_weeks += int(np.count_nonzero(occupied))
            roster.week_hours[:] = 0.0

    @property
    def township_rows(self) -> np.ndarray:
        """The daily township records so far: a row per township and day (``TOWNSHIP_COLUMNS``)."""
        return self.township_record[: self.day].reshape(-1, len(TOWNSHIP_COLUMNS))


DAILY_REPORTERS = {
    "backlog": "backlog",
    "resolved": lambda m: len(m.resolved_today),
    "resolution_hours_mean": "resolution_hours_today",
    "overload_index": "overload_today",
    **{f"hours_{name}": (lambda m, i=i: float(m.hours_today[i]))
       for i, name in enumerate(HOURS_CATEGORIES)},
    "secondments_active": "secondments_active",
    "vacancies": "vacancies",
    "posts_townships": "posts_townships",
    "posts_departments": "posts_departments",
    "department_backlog_hours": lambda m: float(sum(m.department_book.backlog.tolist())),
}

"""The naive baseline: every cadre ticked every hour through Mesa's scheduler (benchmark only).

This is what a first agent-based model of township workload usually looks like, and what
:class:`~sim.model.CountyWorkload` is timed against in ``make bench``: a plain Mesa model with
one :class:`Cadre` agent per township cadre, ticked with ``shuffle_do("step")`` once per simulated
hour, night and day; each cadre pulls the most urgent item from its township's queue and works it
an hour at a time.

The demand is the county model's, drawn hour by hour instead of up front
(:meth:`NaiveCountyWorkload.from_scenario` takes the same scenario keys): citizen requests
Poisson per township and hour in proportion to population, 85% of them in office hours and half
as many on weekends; emergencies at any hour; pushed-down tasks (上级交办) in office hours on
working days; lognormal efforts; the same deadlines and priority (emergencies, then nearest
deadline). Each working day starts with each cadre's mandatory work (meetings with travel,
documents, inspections, chat groups), drawn as in :mod:`sim.policies.meetings`; cadres then serve
for the rest of their 8 regular hours and stay up to the overtime cap while work waits.

Left out, because they change neither the demand's magnitude nor the cost of a tick: county
departments and cross-department hand-offs (the township's part of a case is served as an
ordinary request), secondment (借调), the posts reform, fatigue and attrition.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence

import mesa
import numpy as np

from sim.config import ScenarioConfig
from sim.streams import Streams, lognormal
from sim.work import CALENDAR_HOURS_PER_WORKING_DAY

#: Office hours in which daytime demand arrives, and when a cadre's working day starts.
OFFICE_OPEN, OFFICE_CLOSE = 8, 18
#: Share of citizen requests arriving in office hours (as in :func:`sim.demand.citizen_requests`).
DAYTIME_SHARE = 0.85
#: Weekend demand relative to a weekday (as in :mod:`sim.model`).
WEEKEND_DEMAND = 0.5
EMERGENCY, REQUEST = 0, 1


class Township:
    """A township's queue of work and what its cadres did (not stepped: the cadres are).

    Args:
        index: Township index.
        population: Residents.
        distance_km: Road distance to the county seat (meeting travel).
    """

    def __init__(self, index: int, population: int, distance_km: float):
        """Create an empty queue."""
        self.index = index
        self.population = population
        self.distance_km = distance_km
        self.queue: list[tuple] = []
        self.resolution_hours: list[float] = []
        self.arrived_hours = 0.0
        self.arrived = 0

    def take_item(self, priority: int, deadline: float, arrival: float, key: int,
                  effort: float) -> None:
        """Queue an item: most urgent first (emergencies, then nearest deadline)."""
        heapq.heappush(self.queue, (priority, deadline, arrival, key, effort))
        self.arrived += 1
        self.arrived_hours += effort

    def finish_item(self, arrival: float, time: float) -> None:
        """Record an item finished at ``time`` (calendar hours)."""
        self.resolution_hours.append(time - arrival)


class Cadre(mesa.Agent):
    """A township cadre, stepped every simulated hour.

    Args:
        model: The naive county.
        township: The cadre's township.
        leader: Leadership post (attends more meetings).
    """

    def __init__(self, model, township: Township, leader: bool):
        """Create an idle cadre."""
        super().__init__(model)
        self.township = township
        self.leader = leader
        self.item: tuple | None = None
        self.remaining = 0.0
        self.mandatory_left = 0.0
        self.mandatory_hours = 0.0
        self.service_hours = 0.0

    def step(self) -> None:
        """Work one hour: mandatory work first, then the queue; overtime only while work waits."""
        model = self.model
        if not model.working_today:
            return
        hour = model.hour_of_day
        if hour < OFFICE_OPEN or hour >= model.overtime_end_hour:
            return
        left = 1.0
        if self.mandatory_left > 0.0:
            used = min(left, self.mandatory_left)
            self.mandatory_left -= used
            self.mandatory_hours += used
            left -= used
        queue = self.township.queue
        while left > 1e-12:
            if self.item is None:
                if not queue:
                    return  # idle: nothing waits (and no overtime without work)
                self.item = heapq.heappop(queue)
                self.remaining = self.item[4]
            used = min(left, self.remaining)
            self.remaining -= used
            self.service_hours += used
            left -= used
            if self.remaining <= 1e-12:
                self.township.finish_item(self.item[2], model.now + 1.0 - left)
                self.item = None


class NaiveCountyWorkload(mesa.Model):
    """A county's townships as hourly-ticked cadres pulling from queues (the naive baseline).

    Args:
        population: Residents of each township.
        distance_km: Road distance of each township to the county seat.
        cadres_per_township: Cadres on duty in each township.
        leaders_per_township: Of whom leaders (more meetings).
        requests_per_1000_people_day: Citizen requests per 1,000 residents per weekday.
        request_effort_mean_hours: Mean effort of a request (lognormal).
        request_effort_sigma: Log-scale sigma of request effort.
        complex_share: Share of requests that are complex (15-day deadline).
        utility_share: Share of requests about utilities (24-hour deadline).
        emergencies_per_township_month: Emergencies per township per month (any hour).
        emergency_effort_mean_hours: Mean effort of an emergency (exponential).
        tasks_per_township_week: Pushed-down tasks per township per week, on working days.
        task_effort_mean_hours: Mean effort of a task (lognormal).
        task_effort_sigma: Log-scale sigma of task effort.
        task_deadline_days: Task deadline, working days.
        deadline_general_days: Deadline of a general request, working days.
        deadline_complex_days: Deadline of a complex request, working days.
        deadline_utility_hours: Deadline of a utilities request, hours.
        deadline_emergency_hours: Deadline of an emergency, hours.
        meetings_per_cadre_week: Meetings a staff cadre attends per week.
        meeting_hours: Length of a meeting.
        leader_meeting_multiplier: Leaders attend this many times more meetings.
        in_person_share: Share of meetings attended in person (with travel).
        travel_speed_kmh: Road speed for meeting travel.
        document_hours_per_cadre_week: Documents and reports per cadre per week, hours.
        inspections_per_township_month: Inspections per township per month.
        inspection_hours_per_cadre: Hours each inspection costs each cadre.
        chat_groups_per_cadre: Work chat groups per cadre.
        chat_hours_per_group_day: Hours per group per working day.
        regular_hours_per_day: Regular working hours from 8:00.
        overtime_cap_hours_per_day: Most overtime a cadre works while work waits.
        days: Calendar days to simulate.
        seed: Seed of ``self.rng`` and ``self.random``.
    """

    def __init__(self, *, population: Sequence[int], distance_km: Sequence[float],
                 cadres_per_township: int,
                 leaders_per_township: int, requests_per_1000_people_day: float,
                 request_effort_mean_hours: float, request_effort_sigma: float,
                 complex_share: float, utility_share: float,
                 emergencies_per_township_month: float, emergency_effort_mean_hours: float,
                 tasks_per_township_week: float, task_effort_mean_hours: float,
                 task_effort_sigma: float, task_deadline_days: float,
                 deadline_general_days: float, deadline_complex_days: float,
                 deadline_utility_hours: float, deadline_emergency_hours: float,
                 meetings_per_cadre_week: float, meeting_hours: float,
                 leader_meeting_multiplier: float, in_person_share: float,
                 travel_speed_kmh: float, document_hours_per_cadre_week: float,
                 inspections_per_township_month: float, inspection_hours_per_cadre: float,
                 chat_groups_per_cadre: float, chat_hours_per_group_day: float,
                 regular_hours_per_day: float = 8.0, overtime_cap_hours_per_day: float = 3.0,
                 days: int = 365, seed: int = 0):
        """Create the townships and their cadres."""
        super().__init__(seed=seed)
        self.days = days
        self.hour = 0
        population = np.asarray(population, dtype=float)
        self.townships = [Township(i, int(p), float(d))
                          for i, (p, d) in enumerate(zip(population, distance_km, strict=True))]
        for township in self.townships:
            for c in range(cadres_per_township):
                Cadre(self, township, leader=c < leaders_per_township)
        self.cadres = self.agents_by_type[Cadre]
        self._cadre_list = list(self.cadres)  # a fixed order for the per-cadre arrays below
        self.regular_end_hour = OFFICE_OPEN + regular_hours_per_day
        self.overtime_end_hour = self.regular_end_hour + overtime_cap_hours_per_day
        self.working_today = True
        self.hour_of_day = 0
        self.now = 0.0
        self._key = 0

        # Expected arrivals per township per hour, by hour of the day.
        office = np.array([OFFICE_OPEN <= h < OFFICE_CLOSE for h in range(24)], float)
        office_hours = OFFICE_CLOSE - OFFICE_OPEN
        request_day = population / 1000.0 * requests_per_1000_people_day
        self._request_rate = np.outer(
            DAYTIME_SHARE * office / office_hours + (1 - DAYTIME_SHARE) / 24.0, request_day)
        self._task_rate = office / office_hours * tasks_per_township_week / 5.0
        self._emergency_rate = emergencies_per_township_month * 12 / 365 / 24.0
        self._request = (request_effort_mean_hours, request_effort_sigma, complex_share,
                         utility_share)
        self._task = (task_effort_mean_hours, task_effort_sigma)
        self._emergency_effort = emergency_effort_mean_hours
        hours = CALENDAR_HOURS_PER_WORKING_DAY
        self._deadlines = (deadline_general_days * hours, deadline_complex_days * hours,
                           deadline_utility_hours, deadline_emergency_hours,
                           task_deadline_days * hours)

        # Mandatory work per cadre per working day (as sim.policies.meetings).
        leader = np.array([c.leader for c in self._cadre_list])
        travel = np.array([2.0 * c.township.distance_km / travel_speed_kmh
                           for c in self._cadre_list])
        self._meeting_rate = meetings_per_cadre_week / 5.0 * np.where(
            leader, leader_meeting_multiplier, 1.0)
        self._meeting_length = meeting_hours + in_person_share * travel
        self._document_hours = document_hours_per_cadre_week / 5.0
        self._inspection_rate = inspections_per_township_month * 12 / 250
        self._inspection_hours = inspection_hours_per_cadre
        self._chat_hours = chat_groups_per_cadre * chat_hours_per_group_day

    @classmethod
    def from_scenario(cls, scenario: ScenarioConfig, *, days: int = 365,
                      seed: int = 0) -> NaiveCountyWorkload:
        """The naive model of a county scenario: its townships, staff and demand.

        Township populations and distances are drawn exactly as :class:`~sim.model.CountyWorkload`
        draws them for the same seed, so both models face the same expected demand.
        """
        s = scenario
        geography = Streams(seed)["geography"]
        population = geography.integers(s.population_min, s.population_max + 1, s.townships)
        distance_km = geography.uniform(s.distance_km_min, s.distance_km_max, s.townships)
        keys = ("leaders_per_township", "requests_per_1000_people_day",
                "request_effort_mean_hours", "request_effort_sigma", "complex_share",
                "utility_share", "emergencies_per_township_month", "emergency_effort_mean_hours",
                "task_effort_mean_hours", "task_effort_sigma", "task_deadline_days",
                "deadline_general_days", "deadline_complex_days", "deadline_utility_hours",
                "deadline_emergency_hours", "meetings_per_cadre_week", "meeting_hours",
                "leader_meeting_multiplier", "in_person_share", "travel_speed_kmh",
                "document_hours_per_cadre_week", "inspections_per_township_month",
                "inspection_hours_per_cadre", "chat_groups_per_cadre",
                "chat_hours_per_group_day", "regular_hours_per_day",
                "overtime_cap_hours_per_day")
        return cls(**{k: getattr(s, k) for k in keys},
                   population=population.tolist(), distance_km=distance_km.tolist(),
                   cadres_per_township=round(s.posts_per_township * s.fill_rate),
                   tasks_per_township_week=s.departments * s.tasks_per_department_township_week,
                   days=days, seed=seed)

    # -- the hour ----------------------------------------------------------------------------

    def step(self) -> None:
        """Simulate one hour: every cadre's hour in random order, then the hour's arrivals.

        Items arriving during the hour are queued after the cadres' turn, to be served from the
        next hour on: a tick cannot start work on an item before it has arrived.
        """
        day, self.hour_of_day = divmod(self.hour, 24)
        self.now = float(self.hour)
        self.working_today = day % 7 < 5
        if self.hour_of_day == 0 and self.working_today:
            self._draw_mandatory_work()
        self.cadres.shuffle_do("step")
        self._arrive()
        self.hour += 1
        if self.hour >= self.days * 24:
            self.running = False

    def run(self) -> None:
        """Run every remaining hour."""
        while self.running:
            self.step()

    def _draw_mandatory_work(self) -> None:
        rng = self.rng
        n = len(self._cadre_list)
        hours = (rng.poisson(self._meeting_rate) * self._meeting_length
                 + (rng.exponential(self._document_hours, n) if self._document_hours else 0.0)
                 + rng.poisson(self._inspection_rate, n) * self._inspection_hours
                 + self._chat_hours)
        for cadre, h in zip(self._cadre_list, hours.tolist(), strict=True):
            cadre.mandatory_left = h

    def _arrive(self) -> None:
        """Draw this hour's requests, emergencies and tasks for every township at once."""
        rng, h = self.rng, self.hour_of_day
        weight = 1.0 if self.working_today else WEEKEND_DEMAND
        requests = rng.poisson(self._request_rate[h] * weight)
        emergencies = rng.poisson(self._emergency_rate, len(self.townships))
        tasks = rng.poisson(self._task_rate[h] if self.working_today else 0.0,
                            len(self.townships))
        general, complex_, utility, emergency, task = self._deadlines
        mean, sigma, complex_share, utility_share = self._request
        n = int(requests.sum())
        if n:
            effort = lognormal(rng, mean, sigma, n)
            u = rng.random(n)
            deadline = np.where(u < utility_share, utility,
                                np.where(u < utility_share + complex_share, complex_, general))
            self._queue(requests, REQUEST, effort, deadline)
        n = int(emergencies.sum())
        if n:
            self._queue(emergencies, EMERGENCY, rng.exponential(self._emergency_effort, n),
                        np.full(n, emergency))
        n = int(tasks.sum())
        if n:
            self._queue(tasks, REQUEST, lognormal(rng, *self._task, n), np.full(n, task))

    def _queue(self, counts, priority, effort, deadline) -> None:
        arrival = self.now + self.rng.random(len(effort))
        township = np.repeat(np.arange(len(counts)), counts)
        for t, a, e, d in zip(township.tolist(), arrival.tolist(), effort.tolist(),
                              deadline.tolist(), strict=True):
            self._key += 1
            self.townships[t].take_item(priority, a + d, a, self._key, e)

    # -- results -----------------------------------------------------------------------------

    def summary(self) -> dict:
        """End-of-run figures: items, resolution times and where the cadres' hours went."""
        resolution = np.array([h for t in self.townships for h in t.resolution_hours])
        working_days = sum(1 for d in range(self.hour // 24) if d % 7 < 5)
        capacity = len(self._cadre_list) * (self.regular_end_hour - OFFICE_OPEN) * working_days
        service = sum(c.service_hours for c in self._cadre_list)
        return {
            "items_arrived": sum(t.arrived for t in self.townships),
            "items_resolved": int(len(resolution)),
            "effort_arrived_hours": sum(t.arrived_hours for t in self.townships),
            "service_hours": service,
            "mandatory_hours": sum(c.mandatory_hours for c in self._cadre_list),
            "backlog_hours": sum(sum(item[4] for item in t.queue) for t in self.townships)
            + sum(c.remaining for c in self._cadre_list if c.item is not None),
            "regular_capacity_hours": capacity,
            "utilisation": service / capacity if capacity else math.nan,
            "resolution_hours_mean": float(resolution.mean()) if len(resolution) else math.nan,
        }

"""The county model: townships, cadres and county departments sharing the same cadre hours.

One run is one county (or one street or town for the small scenarios), stepped one calendar day
at a time. :meth:`CountyWorkload.step` is the day's schedule: the reforms that fall due (posts
moved, secondments started or ended); the day's demand arrives; the townships work their day
(mandatory work, then their queues) and hand cross-department cases to the departments; the
departments answer the cases due and work their own day; staff turnover; the day's records.
All demand is drawn up front from named streams (:mod:`sim.demand`, :mod:`sim.streams`), so
policies are compared on the same demand.

The model only wires the parts together; what each kind of agent does is in its collection:
:class:`~sim.agents.township.Townships`, :class:`~sim.agents.department.Departments`, and the
post ledger :class:`~sim.agents.cadre.Roster`; each reform is one module of :mod:`sim.policies`.
"""

from __future__ import annotations

import mesa
import numpy as np

from sim.agents import Cadre, CountyDepartment, Roster, Township
from sim.agents.department import Departments
from sim.agents.township import Townships
from sim.config import PolicyConfig, ScenarioConfig
from sim.demand import Demand
from sim.policies import build_reforms
from sim.records import DailyRecords
from sim.staffing import Staffing
from sim.streams import Streams
from sim.work import Items, ItemTable


class CountyWorkload(mesa.Model):
    """A county's grassroots workload under a mix of reforms ("小马拉大车").

    Args:
        scenario: The county: its units, posts, demand and burdens.
        policy: The levers in force (:data:`sim.policies.LEVERS`).
        days: Calendar days to simulate.
        seed: Seed of every random stream.
    """

    def __init__(self, *, scenario: ScenarioConfig, policy: PolicyConfig, days: int = 365,
                 seed: int = 0):
        """Build the county, plan the reforms and draw the run's demand."""
        super().__init__(seed=seed)
        self.scenario, self.policy, self.days, self.seed = scenario, policy, days, seed
        self.day = 0
        self.streams = Streams(seed)
        self.pure_queue = scenario.pure_queue
        always_on = scenario.calendar == "always_on" or scenario.pure_queue
        self.working = np.ones(days, dtype=bool) if always_on else np.arange(days) % 7 < 5

        self._build_townships(scenario, always_on)
        self._build_departments(scenario)
        self._build_roster(scenario)
        self._second_initial(scenario)
        self.reforms = build_reforms(self)
        pay, promotion = self.reforms["pay"], self.reforms["promotion"]
        self.staffing = Staffing(scenario, townships=len(self.townships),
                                 attrition_multiplier=pay.attrition_multiplier
                                 * promotion.attrition_multiplier,
                                 attrition_rng=self.streams["attrition"],
                                 hiring_rng=self.streams["hiring"])
        # Vacant at the start: hiring is under way.
        self.staffing.open_vacancies(self.roster, np.flatnonzero(~self.roster.occupied), 0)
        self.posts_total = len(self.roster)

        self.demand = Demand(scenario, streams=self.streams,
                             population=np.array([t.population for t in self.townships]),
                             departments=len(self.departments), days=days,
                             access_list=self.reforms["tasks"])
        self.coordination = self.reforms["coordination"]
        self.coordination.open_book(**self.demand.cases)
        self.table = ItemTable()
        self.townships = Townships(
            self.townships, roster=self.roster, items=self.table, days=days,
            regular_hours=24.0 if always_on else scenario.regular_hours_per_day,
            overtime_cap_hours=0.0 if always_on else scenario.overtime_cap_hours_per_day,
            day_start_hour=0.0 if always_on else scenario.day_start_hour,
            secondee_home_work_share=self.reforms["secondment"].home_work_share,
            mandatory_work=self.reforms["meetings"], coordination=self.coordination)
        self.records = DailyRecords(self)
        self.datacollector = self.records.collector

    # -- the day -----------------------------------------------------------------------------

    def step(self) -> None:
        """Simulate one calendar day."""
        day = self.day
        self.records.open_day()
        for reform in self.reforms.values():  # posts moved, secondments started or ended
            if hasattr(reform, "start_day"):
                reform.start_day(self, day)
        arrived = self.demand.arrive(day, self.table)
        self.coordination.open_cases(arrived.cases, arrived.case_items)
        self.departments.take_refused_tasks(arrived.refused_department, arrived.refused_hours)
        resolved = self.townships.work_day(day, arrived.ids, working=bool(self.working[day]))
        self.records.note_resolved(resolved)
        rehandling, resolved = self.coordination.answer_day(day, self.departments, self.table)
        self.townships.receive_later(rehandling)
        self.records.note_resolved(resolved)
        self.departments.work_day(bool(self.working[day]))
        self.staffing.turnover(self.roster, day)
        self.records.close_day(day)
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

    def _build_departments(self, scenario: ScenarioConfig) -> None:
        rng = self.streams["departments"]
        n = 0 if scenario.pure_queue else scenario.departments
        self._department_utilisation = rng.uniform(
            scenario.department_utilisation_min, scenario.department_utilisation_max, n
        )
        units = len(self.townships) + np.arange(n)
        self.departments = Departments(units, scenario.regular_hours_per_day, noise_rng=rng,
                                       noise_shape=scenario.department_noise_shape)
        self.departments.agents = [CountyDepartment(self, index=d, unit=int(units[d]))
                                   for d in range(n)]

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
                     scenario.department_fill_rate, min(1, scenario.posts_per_department))
        self.roster = Roster(units, admin, leader, occupied)
        pure = scenario.pure_queue
        self.roster.bind(self, ramp_days=scenario.ramp_up_months * scenario.days_per_month,
                         ramp_start=1.0 if pure else scenario.ramp_up_start_productivity,
                         fatigue_loss=0.0 if pure else scenario.fatigue_productivity_loss,
                         fatigue_decay=0.5 ** (1.0 / max(scenario.fatigue_half_life_days, 1e-9)))
        for slot in np.flatnonzero(self.roster.occupied):
            Cadre(self, int(slot))
        book = self.departments
        book.roster = self.roster
        book.own_work = self._department_utilisation * book.count_capacity()

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
                months = scenario.initial_secondment_months
                until = rng.exponential(months * scenario.days_per_month)
                roster.second([slot], department.unit, 0.0, until)
                roster.secondment_days[slot] = rng.uniform(0, 90)


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
from sim.agents.duties import TownshipDuties
from sim.agents.township import Townships
from sim.agents.villages import Villages
from sim.config import PolicyConfig, ScenarioConfig
from sim.county import CountyLayout, build_layout
from sim.demand import Demand
from sim.policies import build_reforms
from sim.policies.evaluation import priority_table
from sim.policies.pool import reserve_posts
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
        layout: The county's units (:class:`sim.county.CountyLayout`); default: read from
            ``scenario.county_dir`` when set, else drawn from the scenario's ranges.
        seed: Seed of every random stream.
    """

    def __init__(self, *, scenario: ScenarioConfig, policy: PolicyConfig, days: int = 365,
                 layout: CountyLayout | None = None, seed: int = 0):
        """Build the county, plan the reforms and draw the run's demand."""
        super().__init__(seed=seed)
        self.scenario, self.policy, self.days, self.seed = scenario, policy, days, seed
        self.day = 0
        self.streams = Streams(seed)
        self.pure_queue = scenario.pure_queue
        always_on = scenario.calendar == "always_on" or scenario.pure_queue
        self.working = np.ones(days, dtype=bool) if always_on else np.arange(days) % 7 < 5

        # The county's units: drawn from the scenario, or read from its tables (sim/county.py);
        # the scenario then carries the layout's unit counts.
        self.layout = layout if layout is not None else build_layout(scenario, self.streams)
        self.scenario = scenario = self.layout.scenario(scenario)
        self._build_townships(self.layout, always_on)
        self._build_departments(self.layout)
        self._build_roster(self.layout)
        self._second_initial(self.layout)
        self.reforms = build_reforms(self)
        # The reforms with a hook into the day, per hook, in the order of the registry.
        self._hooked = {hook: [r for r in self.reforms.values() if hasattr(r, hook)]
                        for hook in ("start_day", "take_arrivals", "end_day")}
        pay, promotion = self.reforms["pay"], self.reforms["promotion"]
        self.staffing = Staffing(scenario, townships=len(self.townships),
                                 attrition_multiplier=pay.attrition_multiplier
                                 * promotion.attrition_multiplier,
                                 attrition_rng=self.streams["attrition"],
                                 hiring_rng=self.streams["hiring"])
        # Vacant at the start: hiring is under way (not for posts still in the province pool).
        in_county = self.roster.unit < self.pool_unit
        self.staffing.open_vacancies(self.roster, np.flatnonzero(~self.roster.occupied & in_county),
                                     0)
        self.posts_total = len(self.roster)

        self.demand = Demand(scenario, streams=self.streams,
                             population=np.array([t.population for t in self.townships]),
                             departments=len(self.departments), days=days,
                             access_list=self.reforms["tasks"],
                             platform=self.reforms["platform"],
                             enforcement=self.reforms["enforcement"])
        self.coordination = self.reforms["coordination"]
        self.coordination.open_book(**self.demand.cases)
        self.table = ItemTable(priority=priority_table(scenario, policy))
        self.townships = Townships(
            self.townships, roster=self.roster, items=self.table, days=days,
            regular_hours=24.0 if always_on else scenario.regular_hours_per_day,
            overtime_cap_hours=0.0 if always_on else scenario.overtime_cap_hours_per_day,
            day_start_hour=0.0 if always_on else scenario.day_start_hour,
            secondee_home_work_share=self.reforms["secondment"].home_work_share,
            mandatory_work=self.reforms["meetings"], coordination=self.coordination,
            duties=TownshipDuties.of_scenario(scenario, self.layout.villages, always_on),
            **Townships.sharing_rules(scenario, always_on))
        self.villages = Villages.of_model(self)  # latent needs and proactive work
        self.records = DailyRecords(self)
        self.datacollector = self.records.collector

    # -- the day -----------------------------------------------------------------------------

    def step(self) -> None:
        """Simulate one calendar day."""
        day = self.day
        self.records.open_day()
        self._start_day_reforms(day)  # posts moved, secondments started or ended
        arrived = self.demand.arrive(day, self.table)
        self.coordination.open_cases(arrived.cases, arrived.case_items)
        self.departments.take_refused_tasks(arrived.refused_department, arrived.refused_hours)
        ids = self._take_arrivals(day, arrived)  # work contracted out, care (policies)
        resolved = self.townships.work_day(day, ids, working=bool(self.working[day]))
        self.records.note_resolved(resolved)
        rehandling, resolved = self.coordination.answer_day(day, self.departments, self.table)
        self.townships.receive_later(rehandling)
        self.records.note_resolved(resolved)
        self._end_day_reforms(day)  # contractors' returns, residents' call-backs
        self.townships.receive_later(self.villages.work_day(  # needs found, reported, escalated
            day, idle_hours=self.townships.idle_regular_hours, working=bool(self.working[day]),
            table=self.table))
        self.departments.work_day(bool(self.working[day]), day)
        self.staffing.turnover(self.roster, day)
        self.records.close_day(day)
        self.day += 1
        if self.day >= self.days:
            self.running = False

    def _start_day_reforms(self, day: int) -> None:
        """Reforms that fall due at the start of the day, in the order of the registry."""
        for reform in self._hooked["start_day"]:
            reform.start_day(self, day)

    def _take_arrivals(self, day: int, arrived) -> np.ndarray:
        """The day's arrivals the townships take, after the reforms that act on them."""
        ids = arrived.ids
        for reform in self._hooked["take_arrivals"]:
            ids = reform.take_arrivals(self, day, arrived, ids)
        return ids

    def _end_day_reforms(self, day: int) -> None:
        """Reforms' end of day: items they send back to the townships, requests they resolve."""
        for reform in self._hooked["end_day"]:
            later, resolved = reform.end_day(self, day)
            self.townships.receive_later(later)
            self.records.note_resolved(resolved)

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

    def _build_townships(self, layout: CountyLayout, always_on: bool) -> None:
        """One :class:`Township` per township of the layout, named as it names them."""
        scenario = self.scenario
        fifo = scenario.discipline == "fifo" or scenario.pure_queue
        self.townships = [
            Township(
                self,
                index=i,
                name=name,
                population=int(layout.population[i]),
                distance_km=float(layout.distance_km[i]),
                x=float(layout.x[i]),
                y=float(layout.y[i]),
                villages=int(layout.villages[i]),
                always_on=always_on,
                fifo=fifo,
            )
            for i, name in enumerate(layout.township_names)
        ]

    def _build_departments(self, layout: CountyLayout) -> None:
        """One :class:`CountyDepartment` per department of the layout, after the townships."""
        n = len(layout.department_names)
        self._department_utilisation = np.asarray(layout.department_utilisation, dtype=float)
        units = len(self.townships) + np.arange(n)
        self.departments = Departments(units, self.scenario.regular_hours_per_day,
                                       noise_rng=self.streams["departments"],
                                       noise_shape=self.scenario.department_noise_shape)
        self.departments.agents = [CountyDepartment(self, index=d, unit=int(units[d]))
                                   for d in range(n)]
        self.department_names = list(layout.department_names)

    def _build_roster(self, layout: CountyLayout) -> None:
        """The post ledger: each unit's posts (admin first, leaders first) and who fills them."""
        scenario = self.scenario
        rng = self.streams["geography"]
        units, admin, leader, occupied = [], [], [], []

        def add_unit(unit, posts, n_admin, staff, leaders, exact):
            units.extend([unit] * posts)
            admin.extend([True] * n_admin + [False] * (posts - n_admin))
            leader.extend([True] * leaders + [False] * (posts - leaders))
            occupied.extend(layout.fill(rng, posts, staff, leaders, exact).tolist())

        #: The unit after the departments: posts outside the county's units (the province pool).
        self.pool_unit = len(self.townships) + len(self.departments)
        for township in self.townships:
            i = township.index
            add_unit(i, int(layout.township_posts[i]), int(layout.admin_posts[i]),
                     int(layout.staff[i]), int(layout.leaders[i]), layout.exact_staff)
        for department in self.departments:
            d = department.index
            add_unit(department.unit, int(layout.department_posts[d]),
                     int(layout.department_admin[d]), int(layout.department_staff[d]),
                     min(1, int(layout.department_posts[d])), layout.exact_department_staff)
        # Posts to arrive from other counties (a pure queue has no county to receive them).
        reserve = 0 if scenario.pure_queue else reserve_posts(self.policy.pool)
        units.extend([self.pool_unit] * reserve)
        admin.extend([False] * reserve)
        leader.extend([False] * reserve)
        occupied.extend([False] * reserve)
        self.roster = Roster(units, admin, leader, occupied)
        pure = scenario.pure_queue
        self.roster.bind(self, ramp_days=scenario.ramp_up_months * scenario.days_per_month,
                         ramp_start=1.0 if pure else scenario.ramp_up_start_productivity,
                         fatigue_loss=0.0 if pure else scenario.fatigue_productivity_loss,
                         fatigue_decay=0.5 ** (1.0 / max(scenario.fatigue_half_life_days, 1e-9)))
        #: Filled posts of each unit (townships, then departments) when the run starts.
        self.staff_start = np.bincount(self.roster.unit[self.roster.occupied],
                                       minlength=len(self.townships) + len(self.departments))
        for slot in np.flatnonzero(self.roster.occupied):
            Cadre(self, int(slot))
        book = self.departments
        book.roster = self.roster
        book.own_work = self._department_utilisation * book.count_capacity()
        book.secondees_count = scenario.secondees_work_for_department and not scenario.pure_queue

    def _second_initial(self, layout: CountyLayout) -> None:
        """Secondments already running when the run starts (e.g. Baotou's 4, seed 003)."""
        if layout.secondees.sum() <= 0 or not len(self.departments):
            return
        scenario = self.scenario
        rng = self.streams["secondment"]
        roster = self.roster
        for township in self.townships:
            slots = township.slots[roster.occupied[township.slots] & ~roster.leader[township.slots]]
            n = min(int(layout.secondees[township.index]), len(slots))
            picked = rng.choice(slots, n, replace=False)
            for slot in picked:
                department = self.departments[int(rng.integers(len(self.departments)))]
                months = scenario.initial_secondment_months
                until = rng.exponential(months * scenario.days_per_month)
                roster.second([slot], department.unit, 0.0, until)
                self.departments.start_project(department.index,
                                               scenario.regular_hours_per_day, until)
                roster.secondment_days[slot] = rng.uniform(0, 90)

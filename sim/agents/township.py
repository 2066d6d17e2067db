"""Townships and streets (乡镇/街道): where citizen demand meets the cadres on duty.

A township's working day (DESIGN.md section 4):

1. Mandatory work comes first: meetings with travel, documents, inspections and chat groups are
   taken off each cadre's day before any service work. This is how formalism crowds out service
   (seed 004).
2. The cadres then serve the queue as parallel servers. Each takes the most urgent waiting item
   (emergency, then nearest deadline, then first come; or plain FIFO), works it, and stays on
   past regular hours, up to the overtime cap, while work is waiting.
   An item not finished by the end of a cadre's day is carried to the next working day.
   Optionally an emergency interrupts other work, several cadres share an emergency, and large
   items are shared out in pieces (issue 11; ``Sharing`` in ``sim/kernels/day.py``).
3. Seconded cadres (借调) keep part of their home work and do it after their day at the
   borrowing department: the double burden of seed 003.
4. Emergencies of nights and weekends are answered by the cadres on call (值班), whose hours
   count as service and overtime.
5. The township's own fixed duties (issue 11, item 9; ``sim/agents/duties.py``): staff at the
   service-centre windows and grid work are taken off the day with the mandatory work, and the
   windows settle residents' simple requests as they arrive, before the queue.

With the mandatory work off, an always-on calendar and FIFO, the loop below is an exact M/M/c
queue, which the ``mmc`` scenario checks against Erlang C. The serving loop is compiled
(``sim/kernels/day.py``) and runs for every township of the county in one call
(``CountyWorkload.step``).
"""

from __future__ import annotations

from dataclasses import dataclass

import mesa
import numpy as np

from sim.kernels.columns import (
    CATEGORY_OF_KIND,
    HOURS_CATEGORIES,
    MANDATORY_CATEGORIES,
    TOWNSHIP_COLUMNS,
    HandOvers,
    Hours,
    ItemColumns,
    Kind,
    TownshipColumn,
)
from sim.kernels.day import (
    NO_SHARING,
    Clock,
    CountyOut,
    Crew,
    CrewPlan,
    DayBook,
    OnCall,
    OnCallOut,
    Posts,
    Queues,
    Sharing,
    Shifts,
    TownshipArrivals,
    TownshipDay,
    TownshipTotals,
    Windows,
    answer_on_call,
    book_finished,
    finish_day,
    plan_windows,
    push_all,
    record_townships,
    serve_county,
)

__all__ = ["CATEGORY_OF_KIND", "HOURS_CATEGORIES", "MANDATORY_CATEGORIES", "TOWNSHIP_COLUMNS",
           "CadreDay", "Township", "Townships"]

# The hours categories (``HOURS_CATEGORIES``, ``Hours``), the columns of the daily township
# records (``TOWNSHIP_COLUMNS``) and the hours category of each work kind (``CATEGORY_OF_KIND``)
# are defined once, with the kernels (``sim/kernels/columns.py``), and re-exported here.


@dataclass
class CadreDay:
    """The county's township cadres for one working day: who works, when, and how fast.

    Per-cadre arrays (post slot, on duty at home or seconded, township, mandatory hours, window,
    productivity) are sorted by township, seconded cadres last within each, and cut by
    ``bounds`` (township ``t`` has ``bounds[t]:bounds[t + 1]``). A seconded cadre's window is
    the home work done after the borrowing unit's day. Per-township arrays: hours by category
    already spent (mandatory work, secondments), mandatory hours, and regular capacity.
    """

    slots: np.ndarray
    home: np.ndarray
    unit: np.ndarray
    mandatory_total: np.ndarray
    start: np.ndarray
    regular_end: np.ndarray
    overtime_end: np.ndarray
    productivity: np.ndarray
    bounds: np.ndarray
    hours_by_category: np.ndarray
    mandatory_hours: np.ndarray
    capacity_hours: np.ndarray


class Township(mesa.Agent):
    """A township or street with its population, posts, cadres and queue of work.

    Args:
        model: The county model.
        index: Unit index (0-based among townships).
        name: Display name.
        population: Residents.
        distance_km: Road distance to the county seat (meeting travel).
        x: Map position east of the county seat, km.
        y: Map position north of the county seat, km.
        villages: Administrative villages (村) in the township.
        always_on: Serve around the clock every day (pure-queue scenario).
        fifo: Serve first come first served instead of by urgency.
    """

    def __init__(
        self,
        model,
        *,
        index: int,
        name: str,
        population: int,
        distance_km: float,
        x: float,
        y: float,
        villages: int,
        always_on: bool,
        fifo: bool,
    ):
        """Create an empty township; the model assigns its posts."""
        super().__init__(model)
        self.index = index
        self.name = name
        self.population = population
        self.distance_km = distance_km
        self.x = x
        self.y = y
        self.villages = villages
        self.always_on = always_on
        self.fifo = fifo

    # State lives in the county-wide arrays of :class:`Townships` (the day is done for all
    # townships at once); these properties read this township's row.

    @property
    def hours(self) -> np.ndarray:
        """Cadre hours so far, by category (``HOURS_CATEGORIES``)."""
        return self.model.townships.hours[self.index]

    @property
    def demand_hours(self) -> float:
        """Cadre-hours of work that has arrived so far, mandatory work included."""
        return float(self.model.townships.demand[self.index])

    @property
    def capacity_hours(self) -> float:
        """Regular hours of the cadres on duty so far."""
        return float(self.model.townships.capacity[self.index])

    @property
    def overtime_hours(self) -> float:
        """Overtime worked so far."""
        return float(self.model.townships.overtime[self.index])

    @property
    def cadre_days(self) -> int:
        """Cadre working days so far."""
        return int(self.model.townships.cadre_days[self.index])

    @property
    def backlog(self) -> int:
        """Items waiting, half done, or arrived today after the day's work (re-handling)."""
        return int(self.model.townships.backlogs()[self.index])

    @property
    def slots(self) -> np.ndarray:
        """The post slots (编制) of the township in the post ledger."""
        return self.model.roster.slots_of(self.index)

    @property
    def posts(self) -> int:
        """Authorised posts (编制) of the township."""
        return len(self.slots)


class Townships:
    """The county's townships: their queues, hours and daily records, and the verbs of their day.

    The day is done for every township at once, on county-wide arrays (one compiled call serves
    every queue, ``sim/kernels/day.py``); each :class:`Township` agent reads its own row.

    Args:
        agents: The :class:`Township` agents, in index order.
        roster: The post ledger.
        items: The run's item table.
        days: Calendar days of the run (rows of the daily records).
        regular_hours: Regular hours of a cadre's day (24 around the clock).
        overtime_cap_hours: Overtime a cadre may add to a day.
        day_start_hour: When the working day starts.
        secondee_home_work_share: Share of a regular day of home work a secondee still does
            after the borrowing unit's day (the double burden, seed 003).
        mandatory_work: Draws each cadre's meetings, documents, inspections and chat groups.
        coordination: The case book, to which townships hand cross-department cases.
        sharing: How cadres share work: preemption by emergencies, several cadres on an
            emergency, large items in pieces (:class:`~sim.kernels.day.Sharing`).
        on_call: Cadres of each township on call (值班) outside office hours, who answer the
            emergencies arriving then (0: nobody; they wait for the next working day).
        on_call_response_hours: From the call to an on-call cadre at work.
        duties: The township's service-centre windows and grid duty
            (:class:`~sim.agents.duties.TownshipDuties`; None: neither).
    """

    def __init__(self, agents, *, roster, items, days: int, regular_hours: float,
                 overtime_cap_hours: float, day_start_hour: float,
                 secondee_home_work_share: float, mandatory_work, coordination,
                 sharing: Sharing = NO_SHARING, on_call: int = 0,
                 on_call_response_hours: float = 0.5, duties=None):
        """Create empty queues and records."""
        self.agents = list(agents)
        n = len(self.agents)
        self.roster, self.items = roster, items
        self.regular_hours = regular_hours
        self.overtime_cap_hours = overtime_cap_hours
        self.day_start_hour = day_start_hour
        self.secondee_home_work_share = secondee_home_work_share
        self.mandatory_work = mandatory_work
        self.coordination = coordination
        self.sharing = sharing
        self.on_call = on_call
        self.on_call_response_hours = on_call_response_hours
        self.duties = duties if duties is not None and duties.on else None
        self.on_call_free = np.full(len(roster), -np.inf)  # per post: done with emergencies
        # Emergencies answered on call that end after the day they came in: open until the
        # day they end, then booked (ids, and when each ends).
        self.overnight = np.zeros(0, dtype=np.int64)
        self.overnight_end = np.zeros(0)
        self.distance_km = np.array([t.distance_km for t in self.agents], dtype=float)
        self.fifo = np.array([t.fifo for t in self.agents], dtype=bool)
        self.queues = np.empty((n, 64), dtype=np.int64)  # one heap of item ids per township
        self.queue_size = np.zeros(n, dtype=np.int64)
        self.incoming = np.zeros(0, dtype=np.int64)  # re-handlings arrived after the day's work
        self.carry = np.full(len(roster), -1, dtype=np.int64)  # half-done item per post
        self.hours = np.zeros((n, len(HOURS_CATEGORIES)))
        self.demand = np.zeros(n)
        self.capacity = np.zeros(n)
        self.overtime = np.zeros(n)
        self.cadre_days = np.zeros(n, dtype=np.int64)
        # End-of-day state of each township, by day (``TOWNSHIP_COLUMNS``).
        self.record = np.zeros((days, n, len(TOWNSHIP_COLUMNS)))
        self.record[:, :, TownshipColumn.DAY] = np.arange(days)[:, None]
        self.record[:, :, TownshipColumn.TOWNSHIP] = np.arange(n)
        self.days_recorded = 0
        self._crew_version = -1  # the roster version the cached crew was planned from
        self._crew: dict = {}
        self._last_day: tuple | None = None  # (crew, worked) of the last working day

    @staticmethod
    def sharing_rules(scenario, always_on: bool) -> dict:
        """The keyword arguments of how cadres share work, from a scenario's fields.

        None of it applies to a township serving around the clock (the pure queue).
        """
        if always_on or scenario.pure_queue:
            return {"sharing": NO_SHARING, "on_call": 0}
        split = scenario.team_split_above_hours
        return {
            "sharing": Sharing(preempt=bool(scenario.emergency_preempts),
                               emergency_team=int(scenario.emergency_team_cadres),
                               split_above=float("inf") if split is None else float(split),
                               piece_hours=float(scenario.team_piece_hours)),
            "on_call": int(scenario.on_call_cadres),
            "on_call_response_hours": float(scenario.on_call_response_hours),
        }

    def __len__(self) -> int:
        """Number of townships."""
        return len(self.agents)

    def __iter__(self):
        """The :class:`Township` agents, in index order."""
        return iter(self.agents)

    def __getitem__(self, index: int) -> Township:
        """Township ``index``."""
        return self.agents[index]

    # -- verbs -------------------------------------------------------------------------------

    def receive_later(self, ids: np.ndarray) -> None:
        """Items that arrive after the day's work (re-handlings of bounced cases): queued next."""
        if len(ids):
            self.incoming = np.concatenate([self.incoming, ids])

    def work_day(self, day: int, arrivals: np.ndarray, *, working: bool) -> np.ndarray:
        """The townships' day: take in the arrivals, and on a working day serve every queue.

        Mandatory work comes first (meetings with travel, documents, inspections, chat groups),
        then the cadres serve the queues as parallel servers. Finished items are resolved, or
        their cases handed to the departments, in the order they were finished. Returns the
        resolution times of the requests resolved (none on a day off).
        """
        items = self.items
        if len(self.incoming):
            arrivals = np.concatenate([self.incoming, arrivals])
            self.incoming = self.incoming[:0]
            arrivals = arrivals[np.lexsort((items.arrival[arrivals],
                                            items.township[arrivals]))]  # a stable sort
        crew, at_windows = None, (_NO_IDS, _NO_TIMES)
        if working and self.duties is not None:  # simple requests settled at the service centre
            crew = self._plan_crew(day)
            *at_windows, arrivals = self.duties.serve_at_windows(day, arrivals, items)
        township = items.township[arrivals]
        self.demand += np.bincount(township, items.effort[arrivals], minlength=len(self))
        answered = _NO_IDS, _NO_TIMES
        if len(self.overnight):
            answered = self._end_overnight(day)
        if self.on_call and len(arrivals):
            on_call = self._on_call_emergencies(day, arrivals, township, working)
            if on_call.any():
                ids, time = self._answer_on_call(day, arrivals[on_call])
                answered = (np.concatenate([answered[0], ids]),
                            np.concatenate([answered[1], time]))
                arrivals, township = arrivals[~on_call], township[~on_call]
        if not working:
            self._enqueue(arrivals, township)
            return self._book_finished(*answered) if len(answered[0]) else _NO_TIMES
        ids, time = self._serve(day, arrivals, township, crew)
        if len(answered[0]):
            ids, time = np.concatenate([ids, answered[0]]), np.concatenate([time, answered[1]])
        if len(at_windows[0]):
            ids, time = np.concatenate([ids, at_windows[0]]), np.concatenate([time, at_windows[1]])
        return self._book_finished(ids, time)

    def backlogs(self) -> np.ndarray:
        """Per township: items waiting, half done, or arrived after the day's work.

        As recorded at the end of the last day recorded (nothing changes between days).
        """
        if self.days_recorded == 0:
            return np.zeros(len(self), dtype=np.int64)
        return self.record[self.days_recorded - 1, :, TownshipColumn.BACKLOG].astype(np.int64)

    def idle_regular_hours(self) -> np.ndarray:
        """Per township: regular hours its cadres at home left unworked on the last working day.

        A cadre's idle hours are the regular day less its mandatory work and the queue's work
        (zero for a cadre who worked overtime); seconded cadres have none. Proactive work
        (:mod:`sim.agents.villages`) may use them.
        """
        if self._last_day is None:
            return np.zeros(len(self))
        crew, worked = self._last_day
        spare = np.maximum(self.regular_hours - crew.mandatory_total - worked, 0.0)
        return np.bincount(crew.unit[crew.home], spare[crew.home], minlength=len(self))

    def record_day(self, day: int) -> tuple[int, int, int, int]:
        """Write each township's end-of-day row.

        Returns the county's backlog, secondments, township vacancies and township posts.
        """
        open_after = self.incoming
        if len(self.overnight):  # answered on call, still being worked at midnight
            open_after = np.concatenate([self.incoming, self.overnight])
        totals = record_townships(
            self.record[day], self.queue_size, open_after, self.items.township, self._posts(),
            TownshipTotals(demand=self.demand, capacity=self.capacity, overtime=self.overtime,
                           hours=self.hours))
        self.days_recorded = day + 1
        return totals

    # -- the working day ---------------------------------------------------------------------

    def _on_call_emergencies(self, day: int, arrivals: np.ndarray, township: np.ndarray,
                             working: bool) -> np.ndarray:
        """Which arrivals the on-call cadres answer: emergencies outside office hours.

        Office hours are the regular day of a working day; a township with nobody at home to be
        on call leaves its emergencies to the queue.
        """
        items = self.items
        emergency = items.kind[arrivals] == Kind.EMERGENCY
        if working:
            opens = day * 24.0 + self.day_start_hour
            time = items.arrival[arrivals]
            emergency &= (time < opens) | (time >= opens + self.regular_hours)
        return emergency & (self._crew_of_roster()["at_home"][township] > 0)

    def _answer_on_call(self, day: int, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The on-call cadres answer emergencies ``ids`` (township, then time order).

        The duty rotates: on day ``d`` a township with ``n`` cadres at home has on call those in
        places ``d * k .. d * k + k - 1`` (mod ``n``) of its roster, ``k`` = ``on_call`` (at most
        ``n``). Returns the ids answered that end today and when; those ending after midnight
        stay open until the day they end (:meth:`_end_overnight`).
        """
        crew, n = self._crew_of_roster(), len(self)
        home_slots, home_unit = crew["slots"][crew["home"]], crew["home_unit"]
        at_home = crew["at_home"]
        first = np.searchsorted(home_unit, np.arange(n))
        k = np.minimum(self.on_call, at_home)
        unit = np.repeat(np.arange(n), k)
        place = np.arange(k.sum()) - np.repeat(np.cumsum(k) - k, k)
        slots = home_slots[first[unit] + (day * k[unit] + place) % np.maximum(at_home[unit], 1)]
        township = self.items.township[ids]
        finished, finished_time = np.empty(len(ids), dtype=np.int64), np.empty(len(ids))
        hours, on_call_hours = np.zeros_like(self.hours), np.zeros(len(self.roster))
        n_done = answer_on_call(
            ids, np.searchsorted(township, np.arange(n + 1)),
            OnCall(slots=slots, bounds=np.searchsorted(unit, np.arange(n + 1)),
                   free_at=self.on_call_free,
                   productivity=self.roster.productivity(slots, day),
                   response_hours=float(self.on_call_response_hours),
                   team=int(self.sharing.emergency_team)),
            ItemColumns.of(self.items),
            OnCallOut(hours=hours, overtime=self.overtime, week_hours=on_call_hours,
                      finished=finished, finished_time=finished_time))
        self.hours += hours
        self.roster.week_hours += on_call_hours
        self.roster.on_call_hours += on_call_hours  # tiring: see Roster.tire
        ids, time = finished[:n_done], finished_time[:n_done]
        late = time > (day + 1) * 24.0
        self.overnight = np.concatenate([self.overnight, ids[late]])
        self.overnight_end = np.concatenate([self.overnight_end, time[late]])
        return ids[~late], time[~late]

    def _end_overnight(self, day: int) -> tuple[np.ndarray, np.ndarray]:
        """The emergencies answered on call before today that end today (ids, end times)."""
        ends = self.overnight_end <= (day + 1) * 24.0
        ids, time = self.overnight[ends], self.overnight_end[ends]
        self.overnight, self.overnight_end = self.overnight[~ends], self.overnight_end[~ends]
        return ids, time

    def _enqueue(self, ids: np.ndarray, township: np.ndarray) -> None:
        """Put items in their townships' queues."""
        self._reserve_queues(np.bincount(township, minlength=len(self)))
        push_all(self._queues(), ids, township, ItemColumns.of(self.items))

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
            grown = np.empty((len(self), max(2 * self.queues.shape[1], need)), dtype=np.int64)
            grown[:, : self.queues.shape[1]] = self.queues
            self.queues = grown

    def _serve(self, day: int, arrivals: np.ndarray, township: np.ndarray,
               crew: CadreDay | None = None):
        """Plan the cadres' windows (unless ``crew`` is given), serve the queues, book the day."""
        items, carry, n = self.items, self.carry, len(self)
        crew = self._plan_crew(day) if crew is None else crew
        # Room in each queue for today's arrivals and for its carried items, if put back.
        self._reserve_queues(np.bincount(township, minlength=n) + np.bincount(
            items.township[carry[carry >= 0]], minlength=n))
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
            posts=self._posts(), items=ItemColumns.of(items),
            out=CountyOut(hours=crew.hours_by_category, worked=worked, finished=finished,
                          finished_time=finished_time),
            sharing=self.sharing)
        self.hours += crew.hours_by_category
        self.demand += crew.mandatory_hours
        self.capacity += crew.capacity_hours
        self._finish_cadre_day(crew, worked)
        self._last_day = (crew, worked)
        return finished[:n_finished], finished_time[:n_finished]

    def _book_finished(self, ids: np.ndarray, time: np.ndarray) -> np.ndarray:
        """Book items the townships finished: resolved, or handed on to departments.

        Cases go to their departments in the order the townships finished their parts.
        Returns the resolution times of the requests resolved.
        """
        table, n = self.items, len(ids)
        resolution, handed_time = np.empty(n), np.empty(n)
        handed_case, handed_k = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
        n_resolved, n_handed = book_finished(
            ids, time, items=ItemColumns.of(table), resolution=resolution,
            handed=HandOvers(case=handed_case, k=handed_k, time=handed_time))
        self.coordination.hand_over(handed_case[:n_handed], handed_k[:n_handed],
                                    handed_time[:n_handed])
        return resolution[:n_resolved]

    def _plan_crew(self, day: int) -> CadreDay:
        """The county's township cadres for a working day, with mandatory work taken off first.

        On-duty cadres start after their mandatory hours; seconded cadres work the borrowing
        unit's day, then a share of home work (the double burden, seed 003).
        """
        crew, n_townships = self._crew_of_roster(), len(self)
        n = len(crew["slots"])
        if crew["meeting_terms"] is None:  # built on the first working day of this roster
            crew["meeting_terms"] = self.mandatory_work.crew_terms(
                crew["home_unit"], crew["home_leader"], self.distance_km)
            if self.duties is not None:
                crew["duty_terms"] = self.duties.crew_terms(crew["home_unit"],
                                                            crew["home_leader"])
        mandatory = self.mandatory_work.hours(crew["meeting_terms"])
        training = self.roster.training_hours[crew["slots"][crew["home_index"]]]
        if training.any():  # a course (sim/policies/training.py), booked with the meetings
            mandatory[0] += training
        if self.duties is not None:  # service-centre windows and grids (sim/agents/duties.py)
            self.duties.mandatory(day, mandatory, crew["duty_terms"])
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
        return CadreDay(
            slots=crew["slots"], home=crew["home"], unit=crew["unit"],
            mandatory_total=mandatory_total, start=start, regular_end=regular_end,
            overtime_end=overtime_end, productivity=self.roster.productivity(crew["slots"], day),
            bounds=crew["bounds"], hours_by_category=hours, mandatory_hours=mandatory_hours,
            capacity_hours=crew["capacity_hours"],
        )

    def _crew_of_roster(self) -> dict:
        """Who works in the townships: the parts of the day's plan that only the roster sets.

        Cadres rotated to the villages (``roster.rotated``) are not in it. Kept until the
        roster changes (a hire, a departure, a secondment, a post moved, a rotation), with the
        terms of the mandatory work and duties that only the crew at home sets (meeting rates
        and shares, the window rota, grid shares), added on its first working day.
        """
        roster = self.roster
        if roster.version == self._crew_version:
            return self._crew
        n_townships, regular = len(self), self.regular_hours
        slots = np.flatnonzero(roster.occupied & (roster.unit < n_townships) & ~roster.rotated)
        seconded = roster.seconded_to[slots] >= 0
        order = np.lexsort((seconded, roster.unit[slots]))
        slots, seconded = slots[order], seconded[order]
        home = ~seconded
        unit = roster.unit[slots]
        hours = np.zeros((n_townships, len(HOURS_CATEGORIES)))
        hours[:, Hours.SECONDED] = regular * np.bincount(unit[seconded], minlength=n_townships)
        home_unit, home_leader = unit[home], roster.leader[slots[home]]
        self._crew_version = roster.version
        self._crew = {
            "slots": slots, "home": home, "home_index": np.flatnonzero(home), "unit": unit,
            "home_unit": home_unit,
            "at_home": np.bincount(home_unit, minlength=n_townships),
            "home_leader": home_leader,
            "meeting_terms": None,  # set by _plan_crew: a day off needs none
            "duty_terms": None,
            "regular_length": regular * np.where(home, 1.0, 1.0 + self.secondee_home_work_share),
            "overtime_length": np.where(home, self.overtime_cap_hours, 0.0),
            "bounds": np.searchsorted(unit, np.arange(n_townships + 1)),
            "hours": hours,
            "capacity_hours": regular * np.bincount(unit[home], minlength=n_townships),
        }
        return self._crew

    def _finish_cadre_day(self, crew: CadreDay, worked: np.ndarray) -> None:
        """Book the working day: overtime, fatigue and weekly hours of every township cadre."""
        overtime = np.empty(len(crew.slots))
        finish_day(Shifts(slots=crew.slots, home=crew.home, unit=crew.unit,
                          mandatory_total=crew.mandatory_total),
                   float(self.regular_hours), worked,
                   DayBook(overtime=overtime, township_overtime=self.overtime,
                           township_cadre_days=self.cadre_days, week_hours=self.roster.week_hours))
        self.roster.tire(crew.slots, overtime, self.overtime_cap_hours)


_NO_TIMES = np.zeros(0)
_NO_IDS = np.zeros(0, dtype=np.int64)

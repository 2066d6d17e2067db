"""Townships and streets (乡镇/街道): where citizen demand meets the cadres on duty.

A township's working day (DESIGN.md section 4):

1. Mandatory work comes first: meetings with travel, documents, inspections and chat groups are
   taken off each cadre's day before any service work. This is how formalism crowds out service
   (seed 004).
2. The cadres then serve the queue as parallel servers. Each takes the most urgent waiting item
   (emergency, then nearest deadline, then first come; or plain FIFO), works it without
   interruption, and stays on past regular hours, up to the overtime cap, while work is waiting.
   An item not finished by the end of a cadre's day is carried to the next working day.
3. Seconded cadres (借调) keep part of their home work and do it after their day at the
   borrowing department: the double burden of seed 003.

With the mandatory work off, an always-on calendar and FIFO, the loop below is an exact M/M/c
queue, which the ``mmc`` scenario checks against Erlang C.
"""

from __future__ import annotations

import heapq
import math

import mesa
import numpy as np

from sim.work import Kind

#: Indices of the hours categories (``hours_share`` keys, in this order).
HOURS_CATEGORIES = (
    "service",
    "cross_department",
    "tasks",
    "meetings",
    "documents",
    "inspections",
    "chat_groups",
    "seconded",
)
SERVICE, CROSS, TASKS, MEETINGS, DOCUMENTS, INSPECTIONS, CHAT, SECONDED = range(8)
#: Hours category of each work kind, indexed by ``Kind`` value.
CATEGORY_OF_KIND = (SERVICE, SERVICE, SERVICE, SERVICE, CROSS, CROSS, TASKS)
DAY_START_HOUR = 8.0


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
        regular_hours_per_day: Regular working hours of a cadre.
        overtime_cap_hours_per_day: Most overtime a cadre works in a day when work waits.
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
        regular_hours_per_day: float,
        overtime_cap_hours_per_day: float,
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
        self.regular_hours_per_day = regular_hours_per_day
        self.overtime_cap_hours_per_day = 0.0 if always_on else overtime_cap_hours_per_day
        self.always_on = always_on
        self.fifo = fifo
        self.slots = np.zeros(0, dtype=np.int64)
        self.waiting: list = []
        self.carry: dict[int, object] = {}
        self.hours = np.zeros(len(HOURS_CATEGORIES))
        self.demand_hours = 0.0
        self.capacity_hours = 0.0
        self.overtime_hours = 0.0
        self.cadre_days = 0
        self.overload_index = 0.0
        self.today = np.zeros(len(HOURS_CATEGORIES))

    # -- queue -------------------------------------------------------------------------------

    def take_item(self, item) -> None:
        """Put an arrived work item in the queue."""
        key = (0, 0.0) if self.fifo else (0 if item.kind == Kind.EMERGENCY else 1, item.deadline)
        heapq.heappush(self.waiting, (*key, item.arrival, item.id, item))

    @property
    def backlog(self) -> int:
        """Items waiting, half done, or arrived today after the day's work (re-handling)."""
        return len(self.waiting) + len(self.carry) + len(self.model.incoming[self.index])

    @property
    def posts(self) -> int:
        """Authorised posts (编制) of the township."""
        return len(self.slots)

    # -- the day -----------------------------------------------------------------------------

    def work_day(self, day: int, arrivals: list, working: bool) -> None:
        """Do one day's work: mandatory work first, then serve the queue.

        Args:
            day: Day number since the start of the run.
            arrivals: Items arriving today, sorted by arrival time.
            working: Whether today is a working day.
        """
        model = self.model
        self.today[:] = 0.0
        self.demand_hours += sum(item.effort for item in arrivals)
        if not working:
            for item in arrivals:
                self.take_item(item)
            return
        roster = model.roster
        slots = self.slots
        occupied = roster.occupied[slots]
        home = roster.seconded_to[slots] < 0
        on_duty = slots[occupied & home]
        seconded = slots[occupied & ~home]
        self._return_orphaned_carry(on_duty, seconded)

        regular = self.regular_hours_per_day
        day_start = day * 24.0 + (0.0 if self.always_on else DAY_START_HOUR)
        mandatory = model.mandatory_work.hours(self, on_duty, day)
        mandatory_total = np.minimum(
            mandatory.sum(axis=0), regular + self.overtime_cap_hours_per_day
        )
        self.today[MEETINGS : CHAT + 1] = mandatory.sum(axis=1)
        self.demand_hours += float(mandatory_total.sum())
        self.capacity_hours += regular * len(on_duty)

        home_share = model.secondment.home_work_share
        n_on, n_sec = len(on_duty), len(seconded)
        cadres = np.concatenate([on_duty, seconded])
        start = np.concatenate(
            [day_start + mandatory_total, np.full(n_sec, day_start + regular)]
        )
        regular_end = np.concatenate(
            [np.full(n_on, day_start + regular),
             np.full(n_sec, day_start + regular * (1 + home_share))]
        )
        overtime_end = regular_end + np.concatenate(
            [np.full(n_on, self.overtime_cap_hours_per_day), np.zeros(n_sec)]
        )
        productivity = model.productivity(cadres, day)
        worked = self._serve(
            arrivals, cadres.tolist(), start.tolist(), regular_end.tolist(),
            overtime_end.tolist(), productivity.tolist(),
        )
        self.today[SECONDED] = regular * n_sec
        day_hours = np.concatenate([mandatory_total, np.full(n_sec, regular)]) + worked
        overtime = np.maximum(day_hours - regular, 0.0)
        self.overtime_hours += float(overtime.sum())
        self.cadre_days += len(cadres)
        self.hours += self.today
        model.record_cadre_day(cadres, day_hours, overtime, self.overtime_cap_hours_per_day)

    def _return_orphaned_carry(self, on_duty, seconded) -> None:
        """Put back in the queue the half-done items of cadres who left or were seconded."""
        if not self.carry:
            return
        present = set(on_duty.tolist()) | set(seconded.tolist())
        for slot in [s for s in self.carry if s not in present]:
            self.take_item(self.carry.pop(slot))

    def _serve(self, arrivals, slot_of, start, regular_end, overtime_end, productivity):
        """Serve the queue with the cadres as parallel servers; return hours served per cadre.

        Events are cadres becoming free and items arriving, taken in time order. A free cadre
        with nothing waiting goes idle until the next arrival or the end of regular hours.
        This loop is the model's hot path: it is written for speed, with local names only.
        """
        waiting = self.waiting
        carry = self.carry
        finish_item = self.model.finish_item
        take = self.take_item
        heappush, heappop = heapq.heappush, heapq.heappop
        hours = [0.0] * len(HOURS_CATEGORIES)
        n = len(slot_of)
        worked = [0.0] * n
        in_hand = [carry.pop(slot, None) for slot in slot_of] if carry else [None] * n
        holding = n - in_hand.count(None)
        free = sorted(zip(start, range(n), strict=True))  # a sorted list is a valid heap
        idle: list[int] = []
        n_arrivals = len(arrivals)
        a = 0
        next_arrival = arrivals[0].arrival if n_arrivals else math.inf
        while True:
            if not holding and not waiting and next_arrival == math.inf:
                break  # nothing left to do today: the remaining cadres would only go idle
            next_free = free[0][0] if free else math.inf
            if next_arrival <= next_free:
                if next_arrival == math.inf:
                    break
                take(arrivals[a])
                a += 1
                t = next_arrival
                next_arrival = arrivals[a].arrival if a < n_arrivals else math.inf
                i = -1
                while idle:
                    i = idle.pop()
                    if regular_end[i] > t:
                        break
                    i = -1
                if i < 0:
                    continue
                item = heappop(waiting)[-1]
            else:
                t, i = heappop(free)
                item = in_hand[i]
                if item is None:
                    if not waiting:
                        if t < regular_end[i]:
                            idle.append(i)
                        continue
                    if t >= overtime_end[i]:
                        continue
                    item = heappop(waiting)[-1]
                else:
                    in_hand[i] = None
                    holding -= 1
            if item.start != item.start:  # NaN: first time anyone works on it
                item.start = t
            need = item.remaining / productivity[i]
            end = overtime_end[i]
            if t + need <= end:
                worked[i] += need
                hours[CATEGORY_OF_KIND[item.kind]] += need
                finish_item(item, t + need)
                heappush(free, (t + need, i))
            else:
                done = end - t if end > t else 0.0
                worked[i] += done
                hours[CATEGORY_OF_KIND[item.kind]] += done
                item.remaining -= done * productivity[i]
                carry[slot_of[i]] = item
        self.today += hours
        return np.asarray(worked)

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
from dataclasses import dataclass

import mesa
import numpy as np

from sim.work import EMERGENCY

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


@dataclass
class CadreDay:
    """A township's cadres for one working day: who works, from when, until when, how fast.

    Lists are per cadre (plain Python lists: the serving loop reads them one by one). Seconded
    cadres come last; their window is the home work they do after the borrowing unit's day.
    """

    slots: list[int]
    start: list[float]
    regular_end: list[float]
    overtime_end: list[float]
    productivity: list[float]
    hours_by_category: list[float]
    mandatory_hours: float
    capacity_hours: float


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
        self.slots = np.zeros(0, dtype=np.int64)
        self.waiting: list = []
        self.carry: dict[int, object] = {}
        self.hours = np.zeros(len(HOURS_CATEGORIES))
        self.demand_hours = 0.0
        self.capacity_hours = 0.0
        self.overtime_hours = 0.0
        self.cadre_days = 0

    # -- queue -------------------------------------------------------------------------------

    def take_item(self, item) -> None:
        """Put an arrived work item in the queue."""
        key = (0, 0.0) if self.fifo else (0 if item.kind == EMERGENCY else 1, item.deadline)
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

    def work_day(self, day: int, arrivals: list, crew: CadreDay | None) -> list[float] | None:
        """Do one day's work: mandatory work first, then serve the queue.

        Args:
            day: Day number since the start of the run.
            arrivals: Items arriving today, sorted by arrival time.
            crew: Today's cadres of this township with their mandatory hours and windows, or
                None on a day off.

        Returns:
            Hours each cadre of the crew spent on the queue, or None on a day off.
        """
        self.demand_hours += sum(item.effort for item in arrivals)
        if crew is None:
            for item in arrivals:
                self.take_item(item)
            return
        self._return_orphaned_carry(crew.slots)
        self.demand_hours += crew.mandatory_hours
        self.capacity_hours += crew.capacity_hours
        hours = crew.hours_by_category
        worked = self._serve(arrivals, crew.slots, crew.start, crew.regular_end,
                             crew.overtime_end, crew.productivity, hours)
        self.hours += hours
        return worked

    def _return_orphaned_carry(self, slots: list[int]) -> None:
        """Put back in the queue the half-done items of cadres who left or were seconded."""
        if not self.carry:
            return
        present = set(slots)
        for slot in [s for s in self.carry if s not in present]:
            self.take_item(self.carry.pop(slot))

    def _serve(self, arrivals, slot_of, start, regular_end, overtime_end, productivity, hours):
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
        n = len(slot_of)
        worked = [0.0] * n
        in_hand = [carry.pop(slot, None) for slot in slot_of] if carry else [None] * n
        free = []
        for i, item in enumerate(in_hand):
            # A cadre whose half-done item outlasts today's window just works on it all day.
            if item is not None and start[i] + item.remaining / productivity[i] > overtime_end[i]:
                done = overtime_end[i] - start[i] if overtime_end[i] > start[i] else 0.0
                worked[i] = done
                hours[CATEGORY_OF_KIND[item.kind]] += done
                item.remaining -= done * productivity[i]
                carry[slot_of[i]] = item
                in_hand[i] = None
            else:
                free.append((start[i], i))
        free.sort()  # a sorted list is a valid heap
        holding = n - in_hand.count(None)
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
        return worked

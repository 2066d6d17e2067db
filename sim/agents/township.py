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
queue, which the ``mmc`` scenario checks against Erlang C. The serving loop is compiled
(``sim/kernels/day.py``) and runs for every township of the county in one call
(``CountyWorkload.step``).
"""

from __future__ import annotations

from dataclasses import dataclass

import mesa
import numpy as np

from sim.kernels.columns import CATEGORY_OF_KIND, HOURS_CATEGORIES, TOWNSHIP_COLUMNS, Hours

__all__ = ["CATEGORY_OF_KIND", "HOURS_CATEGORIES", "TOWNSHIP_COLUMNS", "CadreDay", "Township"]

# The hours categories (``HOURS_CATEGORIES``, ``Hours``), the columns of the daily township
# records (``TOWNSHIP_COLUMNS``) and the hours category of each work kind (``CATEGORY_OF_KIND``)
# are defined once, with the kernels (``sim/kernels/columns.py``), and re-exported here.
SERVICE, CROSS, TASKS, MEETINGS, DOCUMENTS, INSPECTIONS, CHAT, SECONDED = (int(h) for h in Hours)
DAY_START_HOUR = 8.0


@dataclass
class CadreDay:
    """The county's township cadres for one working day: who works, when, and how fast.

    Per-cadre arrays are sorted by township, seconded cadres last within each, and cut by
    ``bounds`` (township ``t`` has ``bounds[t]:bounds[t + 1]``). A seconded cadre's window is
    the home work done after the borrowing unit's day. Per-township arrays: hours by category
    already spent (mandatory work, secondments), mandatory hours, and regular capacity.
    """

    slots: np.ndarray
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
        self.slots = np.zeros(0, dtype=np.int64)

    # State lives in the model's county-wide arrays (the day is done for all townships at
    # once); these properties read it.

    @property
    def hours(self) -> np.ndarray:
        """Cadre hours so far, by category (``HOURS_CATEGORIES``)."""
        return self.model.township_hours[self.index]

    @property
    def demand_hours(self) -> float:
        """Cadre-hours of work that has arrived so far, mandatory work included."""
        return float(self.model.township_demand[self.index])

    @property
    def capacity_hours(self) -> float:
        """Regular hours of the cadres on duty so far."""
        return float(self.model.township_capacity[self.index])

    @property
    def overtime_hours(self) -> float:
        """Overtime worked so far."""
        return float(self.model.township_overtime[self.index])

    @property
    def cadre_days(self) -> int:
        """Cadre working days so far."""
        return int(self.model.township_cadre_days[self.index])

    @property
    def backlog(self) -> int:
        """Items waiting, half done, or arrived today after the day's work (re-handling)."""
        return int(self.model.backlogs()[self.index])

    @property
    def posts(self) -> int:
        """Authorised posts (编制) of the township."""
        return len(self.slots)

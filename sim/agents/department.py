"""County departments (县直部门): their own work, the cases they answer, the tasks returned.

A department is a pool of staff hours with a backlog. Its own work stream is fixed by the
scenario; some departments have slack ("有人无事干", seed 000), which is where sunk posts come
from. It also absorbs its parts of cross-department cases and, under an access list, the
pushed-down tasks that townships refuse as the department's own job (seeds 001, 002). Its
backlog lengthens the time it takes to answer a township, so losing posts to townships raises
both its utilisation and its delays: the cost of the reform to the county.
"""

from __future__ import annotations

import mesa
import numpy as np


class CountyDepartment(mesa.Agent):
    """A county department with posts, staff, its own work and a backlog of hours.

    Args:
        model: The county model.
        index: Department index (0-based among departments).
        unit: Unit index in the post ledger.
        own_work_hours_per_day: Hours of its own work arriving each working day.
        regular_hours_per_day: Regular working hours of its staff.
    """

    def __init__(
        self,
        model,
        *,
        index: int,
        unit: int,
        own_work_hours_per_day: float,
        regular_hours_per_day: float,
    ):
        """Create a department; the model assigns its posts."""
        super().__init__(model)
        self.index = index
        self.unit = unit
        self.own_work_hours_per_day = own_work_hours_per_day
        self.regular_hours_per_day = regular_hours_per_day
        self.slots = np.zeros(0, dtype=np.int64)
        self.backlog_hours = 0.0
        self.incoming_hours = 0.0
        self.worked_hours = 0.0
        self.capacity_hours = 0.0
        self.refused_task_hours = 0.0
        self.case_hours = 0.0
        self.answers = 0
        self.answer_days_total = 0.0
        self._capacity: float | None = None

    @property
    def staff(self) -> int:
        """Staff on duty in the department (holders of its posts, not seconded away)."""
        roster = self.model.roster
        return int(np.count_nonzero(roster.occupied[self.slots]))

    def daily_capacity(self) -> float:
        """Regular staff hours per working day (staff counted once a day, see ``work_day``)."""
        if self._capacity is None:
            self._capacity = self.staff * self.regular_hours_per_day
        return self._capacity

    @property
    def slack(self) -> float:
        """Share of its staff's regular hours its own work leaves free ("有人无事干", seed 000)."""
        return float(slack(self.model)[self.index])

    def absorb(self, hours: float, *, refused_task: bool = False) -> None:
        """Add work to the department's queue (a case part or a returned task)."""
        self.incoming_hours += hours
        if refused_task:
            self.refused_task_hours += hours
        else:
            self.case_hours += hours

    def answer_delay_days(self, base_days: float) -> float:
        """Days until the department answers a township: its base delay plus its backlog."""
        capacity = self.daily_capacity()
        queue_days = self.backlog_hours / capacity if capacity > 0 else 30.0
        days = base_days + queue_days * 7 / 5
        self.answers += 1
        self.answer_days_total += days
        return days

    def work_day(self, working: bool, noise: float, capacity: float | None = None) -> None:
        """Work through the day's own work, case parts and returned tasks.

        ``capacity`` is today's :meth:`daily_capacity` when the model has counted every
        department's staff at once; otherwise it is counted here when first needed.
        """
        self._capacity = capacity  # staff may have changed since yesterday
        arrived = self.incoming_hours
        self.incoming_hours = 0.0
        if working:
            arrived += self.own_work_hours_per_day * noise
        self.backlog_hours += arrived
        if not working:
            return
        capacity = self.daily_capacity()
        done = min(capacity, self.backlog_hours)
        self.backlog_hours -= done
        self.worked_hours += done
        self.capacity_hours += capacity

    @property
    def utilisation(self) -> float:
        """Share of its staff's regular hours the department has worked so far."""
        return self.worked_hours / self.capacity_hours if self.capacity_hours else 0.0


def regular_capacity(model) -> np.ndarray:
    """Every department's :meth:`~CountyDepartment.daily_capacity`, counted in one pass.

    Counted from the post ledger itself, so it is right even while a reform stage is moving
    posts (before ``refresh_units``).
    """
    roster, departments = model.roster, model.departments
    units = np.array([d.unit for d in departments], dtype=np.int64)
    staff = np.bincount(roster.unit[roster.occupied], minlength=int(units.max(initial=-1)) + 1)
    return staff[units] * np.array([d.regular_hours_per_day for d in departments])


def slack(model) -> np.ndarray:
    """Each department's slack: the share of its staff's regular hours its own work leaves free.

    -1 for a department with no staff.
    """
    capacity = regular_capacity(model)
    own = np.array([d.own_work_hours_per_day for d in model.departments])
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(capacity > 0, 1.0 - own / capacity, -1.0)

"""County departments (县直部门): their own work, the cases they answer, the tasks returned.

A department is a pool of staff hours with a backlog. Its own work stream is fixed by the
scenario; some departments have slack ("有人无事干", seed 000), which is where sunk posts come
from. It also absorbs its parts of cross-department cases and, under an access list, the
pushed-down tasks that townships refuse as the department's own job (seeds 001, 002). Its
backlog lengthens the time it takes to answer a township, so losing posts to townships raises
both its utilisation and its delays: the cost of the reform to the county.

A township cadre seconded to a department (借调, seed 003) works there: the borrowing
department's capacity rises by the regular hours of the secondees it holds. A special project
(专班) brings the department work of its secondees' regular hours for its length, whether or not
it may borrow; when secondment is banned or capped, its own staff do that work, which is what
banning secondment costs the departments.

The departments' state lives in one :class:`Departments` collection of arrays (the day is done
for all of them at once, and the compiled calendar of answers on cross-department cases reads
and writes it); each :class:`CountyDepartment` agent reads its row.
"""

from __future__ import annotations

import mesa
import numpy as np


class Departments:
    """Every county department: hours, backlogs and answers in arrays indexed by department.

    Args:
        units: Unit index of each department in the post ledger.
        regular_hours_per_day: Regular working hours of their staff.
        roster: The post ledger (None in tests that set ``capacity`` by hand).
        noise_rng: The ``departments`` stream (day-to-day variation of their own work).
        noise_shape: Shape of the gamma (mean 1) that varies their own work from day to day.
    """

    def __init__(self, units, regular_hours_per_day: float, *, roster=None, noise_rng=None,
                 noise_shape: float = 20.0):
        """Create empty books; ``own_work`` is set once the posts are filled."""
        n = len(units)
        self.units = np.asarray(units, dtype=np.int64)
        self.regular_hours_per_day = regular_hours_per_day
        self.roster = roster
        self.noise_rng = noise_rng
        self.noise_shape = noise_shape
        self.agents: list[CountyDepartment] = []
        self.own_work = np.zeros(n)  # hours of its own work arriving each working day
        self.backlog = np.zeros(n)
        self.incoming = np.zeros(n)  # hours handed over today, worked from the day's end
        self.worked = np.zeros(n)
        self.capacity_total = np.zeros(n)
        self.refused_task_hours = np.zeros(n)
        self.case_hours = np.zeros(n)
        self.answers = np.zeros(n, dtype=np.int64)
        self.answer_days = np.zeros(n)
        # Staff hours per working day as last counted: at each working day's end, and when
        # first needed after a day off (staff changes between those counts are not seen).
        self.capacity = np.zeros(n)
        self.capacity_counted = False
        # Secondees count for their borrowing department, and projects bring it work.
        self.secondees_count = False
        self.secondee_days = np.zeros(n)  # secondees held, summed over calendar days
        self.projects: list[tuple[int, float, float]] = []  # (department, hours/day, end day)
        self.project_hours = np.zeros(n)  # project work arrived so far
        self._counts_version, self._counts = None, None  # see _ledger_counts

    def __len__(self) -> int:
        """Number of departments."""
        return len(self.units)

    def __iter__(self):
        """The :class:`CountyDepartment` agents, in index order."""
        return iter(self.agents)

    def __getitem__(self, index: int) -> CountyDepartment:
        """Department ``index``."""
        return self.agents[index]

    def regular_capacity(self) -> np.ndarray:
        """Every department's regular staff hours per working day.

        Counted from the post ledger itself, so it is right even while a reform stage is
        moving posts; with ``secondees_count``, the township cadres it holds count as staff.
        """
        staff, held = self._ledger_counts()
        if self.secondees_count:
            staff = staff + held
        return staff * self.regular_hours_per_day

    def secondees_held(self) -> np.ndarray:
        """Township cadres each department holds on secondment now."""
        return self._ledger_counts()[1].copy()

    def _ledger_counts(self) -> tuple[np.ndarray, np.ndarray]:
        """Per department, posts held and secondees held, counted in one pass of the ledger.

        Kept until the ledger's ``version`` changes (a hire, a departure, a secondment, a post
        moved): read-only, callers take copies.
        """
        roster = self.roster
        if self._counts_version != roster.version:
            width = int(self.units.max(initial=-1)) + 1
            staff = np.bincount(roster.unit[roster.occupied], minlength=width)[self.units]
            held = roster.seconded_to[roster.occupied & (roster.seconded_to >= 0)]
            self._counts = (staff, np.bincount(held, minlength=width)[self.units])
            self._counts_version = roster.version
        return self._counts

    def slack(self) -> np.ndarray:
        """Each department's slack: the share of its staff's hours its own work leaves free.

        "有人无事干" (seed 000); -1 for a department with no staff.
        """
        capacity = self.regular_capacity()
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(capacity > 0, 1.0 - self.own_work / capacity, -1.0)

    def count_capacity(self) -> np.ndarray:
        """Today's staff hours, counted now unless already counted since the last day off."""
        if not self.capacity_counted:
            self.capacity = self.regular_capacity()
            self.capacity_counted = True
        return self.capacity

    # -- verbs -------------------------------------------------------------------------------

    def take_refused_tasks(self, departments: np.ndarray, hours: np.ndarray) -> None:
        """Pushed-down tasks refused by townships come back to their departments, in order."""
        if len(departments):
            np.add.at(self.incoming, departments, hours)
            np.add.at(self.refused_task_hours, departments, hours)

    def start_project(self, department: int, hours_per_day: float, until: float) -> None:
        """A special project (专班) brings ``department`` work each working day until ``until``.

        Only when secondees count for their department (``secondees_count``).
        """
        if self.secondees_count and hours_per_day > 0:
            self.projects.append((int(department), float(hours_per_day), float(until)))

    def work_day(self, working: bool, day: int | None = None) -> None:
        """Every department works through its own work, projects, case parts and returned tasks.

        Args:
            working: Whether it is a working day.
            day: The calendar day (ends projects and counts the secondees held; needed when
                ``secondees_count``).
        """
        noise = self.noise_rng.gamma(self.noise_shape, 1 / self.noise_shape, len(self))
        arrived = self.incoming
        self.incoming = np.zeros(len(self))
        if self.secondees_count and day is not None:
            self.secondee_days += self.secondees_held()
            self.projects = [p for p in self.projects if p[2] > day]
            if working and self.projects:
                project = np.zeros(len(self))
                for d, hours, _ in self.projects:
                    project[d] += hours
                self.project_hours += project
                arrived = arrived + project
        if working:
            arrived = arrived + self.own_work * noise
        self.backlog += arrived
        self.capacity_counted = False  # staff may have changed since yesterday
        if not working:
            return
        self.count_capacity()
        done = np.minimum(self.capacity, self.backlog)
        self.backlog -= done
        self.worked += done
        self.capacity_total += self.capacity


def _row(name: str, cast, doc: str):
    return property(lambda d: cast(getattr(d.model.departments, name)[d.index]), doc=doc)


class CountyDepartment(mesa.Agent):
    """A county department with posts, staff, its own work and a backlog of hours.

    A view of row ``index`` of :class:`Departments`.

    Args:
        model: The county model.
        index: Department index (0-based among departments).
        unit: Unit index in the post ledger.
    """

    def __init__(self, model, *, index: int, unit: int):
        """Create a department; the model assigns its posts."""
        super().__init__(model)
        self.index = index
        self.unit = unit

    own_work_hours_per_day = _row("own_work", float, "Hours of its own work each working day.")
    backlog_hours = _row("backlog", float, "Hours of work waiting.")
    worked_hours = _row("worked", float, "Hours worked so far.")
    capacity_hours = _row("capacity_total", float, "Regular staff hours so far.")
    refused_task_hours = _row("refused_task_hours", float,
                              "Hours of pushed-down tasks townships returned to it.")
    case_hours = _row("case_hours", float, "Hours of its parts of cross-department cases.")
    answers = _row("answers", int, "Answers given to townships on cases.")
    answer_days_total = _row("answer_days", float, "Days those answers took, summed.")
    secondee_days = _row("secondee_days", float,
                         "Township secondees held, summed over calendar days.")
    project_hours = _row("project_hours", float, "Hours of special projects' work arrived.")

    @property
    def slots(self) -> np.ndarray:
        """The department's post slots in the ledger."""
        return self.model.roster.slots_of(self.unit)

    @property
    def staff(self) -> int:
        """Staff on duty in the department (holders of its posts)."""
        return int(np.count_nonzero(self.model.roster.occupied[self.slots]))

    @property
    def slack(self) -> float:
        """Share of its staff's regular hours its own work leaves free ("有人无事干", seed 000)."""
        return float(self.model.departments.slack()[self.index])

    @property
    def utilisation(self) -> float:
        """Share of its staff's regular hours the department has worked so far."""
        return self.worked_hours / self.capacity_hours if self.capacity_hours else 0.0

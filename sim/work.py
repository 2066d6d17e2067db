"""Work that arrives at townships: citizen requests, emergencies and pushed-down tasks.

DESIGN.md section 3. Citizen demand (群众诉求) is Poisson in proportion to population and weighted
to daytime; efforts are lognormal; deadlines follow the usual 7/15 working days, 24 h for
utilities and 2 h for emergencies. Pushed-down tasks (上级交办, 属地管理) come from each county
department every week; a share of them is really the department's own job (seeds 001, 002).

All arrivals of a run are drawn up front, in bulk, from their own named streams: that keeps the
demand identical under every policy and keeps NumPy calls out of the daily loop.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.kernels.columns import Kind, Status
from sim.streams import lognormal

HOURS_PER_DAY = 24.0
#: Calendar hours per working day of deadline (5 working days in 7 calendar days).
CALENDAR_HOURS_PER_WORKING_DAY = 24.0 * 7 / 5
#: Uniform draws a department's handling of a case uses: its delay, the bounce decision, and
#: the hours of its part (or of the township's re-handling when it bounces).
DRAWS_PER_SEND = 3


def case_draws_needed(max_departments_per_case: int, max_bounces: int) -> int:
    """Uniform draws to keep per cross-department case so that none is ever reused.

    A case is sent at most once per department and once more after each bounce.
    """
    return DRAWS_PER_SEND * (max_departments_per_case + max_bounces)


# ``Kind`` (the kinds of work item) and ``Status`` are defined with the kernels' other names
# (``sim/kernels/columns.py``) and re-exported here.
# Plain-int copies for the hot loops (an Enum member lookup costs more than an int compare).
EMERGENCY, CROSS_DEPARTMENT, REWORK, TASK = (int(k) for k in (
    Kind.EMERGENCY, Kind.CROSS_DEPARTMENT, Kind.REWORK, Kind.TASK))
CITIZEN_KINDS = (Kind.REQUEST, Kind.COMPLEX, Kind.UTILITY, Kind.EMERGENCY, Kind.CROSS_DEPARTMENT)


#: Names of the codes of ``ItemTable.status`` (``Status``), in the order of the categories of
#: ``tasks.parquet``.
STATUSES = tuple(status.name.lower() for status in Status)
RESOLVED, OPEN, WITH_DEPARTMENTS, RETURNED = (int(status) for status in Status)


class ItemTable:
    """Every work item of a run, one row per item id: the single home of item state.

    The compiled serving loop (``sim/kernels/day.py``) and the daily bookkeeping work on these
    columns in bulk; :class:`WorkItem` is a view of one row for the code that handles items one
    at a time (tests, notebooks). Capacity grows by doubling.
    """

    COLUMNS = (
        ("kind", np.int8),
        ("priority", np.int8),  # 0 for emergencies, 1 otherwise (served first)
        ("status", np.int8),  # a code of STATUSES
        ("outside_list", np.bool_),  # a pushed-down task that is really a department's job
        ("township", np.int32),
        ("department", np.int32),  # the task's department, or the department of a re-handling
        ("case", np.int32),  # the cross-department case of a request or re-handling, or -1
        ("arrival", np.float64),
        ("deadline", np.float64),
        ("effort", np.float64),  # cadre-hours at full productivity
        ("remaining", np.float64),
        ("start", np.float64),  # when a cadre first worked on it
        ("finish", np.float64),  # when it was resolved
        ("done", np.float64),  # when the township finished its own part
    )

    def __init__(self, capacity: int = 1024):
        """Create an empty table."""
        self.size = 0
        for name, dtype in self.COLUMNS:
            setattr(self, name, np.empty(capacity, dtype=dtype))

    def __len__(self) -> int:
        """Number of items created so far."""
        return self.size

    def add(self, n: int, *, kind, township, arrival, deadline, effort, department=-1,
            outside_list=False, case=-1) -> int:
        """Create ``n`` open items (columns as scalars or arrays); return the first id."""
        first = self.size
        if first + n > len(self.arrival):
            capacity = max(2 * len(self.arrival), first + n)
            for name, _ in self.COLUMNS:
                column = getattr(self, name)
                grown = np.empty(capacity, dtype=column.dtype)
                grown[:first] = column[:first]
                setattr(self, name, grown)
        self.size = first + n
        # One item (a re-handling) is written by index, which is quicker than by slice.
        rows = first if n == 1 and np.ndim(arrival) == 0 else slice(first, first + n)
        self.kind[rows] = kind
        self.priority[rows] = kind != EMERGENCY
        self.status[rows] = OPEN
        self.outside_list[rows] = outside_list
        self.township[rows] = township
        self.department[rows] = department
        self.case[rows] = case
        self.arrival[rows] = arrival
        self.deadline[rows] = deadline
        self.effort[rows] = self.remaining[rows] = effort
        self.start[rows] = self.finish[rows] = self.done[rows] = np.nan
        return first

    def column(self, name: str) -> np.ndarray:
        """The filled part of a column."""
        return getattr(self, name)[: self.size]


def _column(name: str, cast, doc: str, writable: bool = True):
    def get(item):
        return cast(getattr(item.table, name)[item.id])

    def set_(item, value):
        getattr(item.table, name)[item.id] = value

    return property(get, set_ if writable else None, doc=doc)


class WorkItem:
    """One piece of township work: a request, a task, or a re-handling of a bounced case.

    A view of row ``id`` of the model's :class:`ItemTable`; times are calendar hours since the
    start of the run.
    """

    __slots__ = ("table", "id")

    def __init__(self, table: ItemTable, id: int):
        """View item ``id`` of ``table``."""
        self.table = table
        self.id = id

    kind = _column("kind", int, "Kind of work (a ``Kind`` value).", writable=False)
    priority = _column("priority", int, "0 for emergencies, 1 otherwise.", writable=False)
    township = _column("township", int, "Township index.", writable=False)
    department = _column("department", int, "Department index, or -1.")
    outside_list = _column("outside_list", bool, "A task that is really a department's job.")
    arrival = _column("arrival", float, "Arrival time.", writable=False)
    deadline = _column("deadline", float, "Deadline.", writable=False)
    effort = _column("effort", float, "Cadre-hours at full productivity.", writable=False)
    remaining = _column("remaining", float, "Cadre-hours of work left.")
    start = _column("start", float, "When a cadre first worked on it (NaN until then).")
    finish = _column("finish", float, "When it was resolved (NaN until then).")
    done = _column("done", float, "When the township finished its own part.")

    @property
    def status(self) -> str:
        """One of ``STATUSES``."""
        return STATUSES[self.table.status[self.id]]

    @status.setter
    def status(self, value: str) -> None:
        self.table.status[self.id] = STATUSES.index(value)

    @property
    def case(self) -> int | None:
        """The number of the item's cross-department case (``Coordination``), or None."""
        case = int(self.table.case[self.id])
        return None if case < 0 else case


class Items:
    """The items of a table as a read-only sequence of :class:`WorkItem` views."""

    def __init__(self, table: ItemTable):
        """Wrap ``table``."""
        self.table = table

    def __len__(self) -> int:
        """Number of items."""
        return len(self.table)

    def __getitem__(self, i: int) -> WorkItem:
        """View of item ``i``."""
        if not -len(self) <= i < len(self):
            raise IndexError(i)
        return WorkItem(self.table, i % len(self))

    def __iter__(self):
        """Views of every item, by id."""
        return (WorkItem(self.table, i) for i in range(len(self)))


@dataclass
class Arrivals:
    """Arrivals of one kind for the whole run, sorted by township then time (columns)."""

    township: np.ndarray
    time: np.ndarray
    effort: np.ndarray
    kind: np.ndarray
    deadline: np.ndarray
    extra: dict

    def __len__(self) -> int:
        """Number of arrivals."""
        return len(self.time)


def _daily_poisson(rng, rates: np.ndarray, days: int, weights: np.ndarray) -> np.ndarray:
    """Counts per (township, day) for daily rates scaled by each day's weight."""
    return rng.poisson(np.outer(rates, weights))


def _times(rng, counts: np.ndarray, daytime_share: float, open_hours=(8.0, 18.0)):
    """Arrival times for counts per (township, day): a daytime mixture within each day."""
    n = int(counts.sum())
    township = np.repeat(np.arange(counts.shape[0]), counts.sum(axis=1))
    day = np.concatenate([np.repeat(np.arange(counts.shape[1]), row) for row in counts])
    day = day if n else np.zeros(0, dtype=int)
    in_daytime = rng.random(n) < daytime_share
    hour = np.where(
        in_daytime,
        rng.uniform(open_hours[0], open_hours[1], n),
        rng.uniform(0.0, HOURS_PER_DAY, n),
    )
    return township, day * HOURS_PER_DAY + hour


def _sort(township, time, *cols):
    order = np.lexsort((time, township))
    return (township[order], time[order]) + tuple(c[order] for c in cols)


def citizen_requests(
    rng: np.random.Generator,
    *,
    population: np.ndarray,
    days: int,
    day_weights: np.ndarray,
    requests_per_1000_people_day: float,
    effort_mean_hours: float,
    effort_sigma: float,
    complex_share: float,
    utility_share: float,
    cross_department_share: float,
    max_departments_per_case: int,
    max_bounces: int,
    departments: int,
    deadline_general_days: float,
    deadline_complex_days: float,
    deadline_utility_hours: float,
    daytime_share: float = 0.85,
) -> Arrivals:
    """Draw every citizen request of the run (stream ``requests``).

    Cross-department cases get their departments and the uniform draws that later decide
    their delays and bounces, so the cases are the same whatever the coordination policy.
    """
    rates = population / 1000.0 * requests_per_1000_people_day
    counts = _daily_poisson(rng, rates, days, day_weights)
    township, time = _times(rng, counts, daytime_share)
    n = len(time)
    effort = lognormal(rng, effort_mean_hours, effort_sigma, n) if n else np.zeros(0)
    u = rng.random(n)
    kind = np.full(n, Kind.REQUEST, dtype=np.int8)
    kind[u < complex_share + utility_share] = Kind.COMPLEX
    kind[u < utility_share] = Kind.UTILITY
    cross = rng.random(n) < cross_department_share
    kind[cross & (kind != Kind.UTILITY)] = Kind.CROSS_DEPARTMENT
    n_departments = rng.integers(1, max_departments_per_case + 1, n)
    if departments >= max_departments_per_case:
        # Distinct departments per case: the first columns of a random permutation per row
        # (found by partial sorting, and only for the rows that are cases).
        keys = rng.random((n, departments))
        case = kind == Kind.CROSS_DEPARTMENT
        first = np.arange(max_departments_per_case)
        case_departments = np.zeros((n, max_departments_per_case), dtype=np.int64)
        case_departments[case] = np.argpartition(keys[case], first, axis=1)[:, first]
    else:
        case_departments = rng.integers(0, max(departments, 1), (n, max_departments_per_case))
    case_draws = rng.random((n, case_draws_needed(max_departments_per_case, max_bounces)))
    deadline_hours = np.select(
        [kind == Kind.UTILITY, kind == Kind.COMPLEX],
        [deadline_utility_hours, deadline_complex_days * CALENDAR_HOURS_PER_WORKING_DAY],
        deadline_general_days * CALENDAR_HOURS_PER_WORKING_DAY,
    )
    township, time, effort, kind, deadline_hours, n_departments, case_departments, case_draws = (
        _sort(
            township, time, effort, kind, deadline_hours, n_departments, case_departments,
            case_draws,
        )
    )
    return Arrivals(
        township=township,
        time=time,
        effort=effort,
        kind=kind,
        deadline=time + deadline_hours,
        extra={
            "n_departments": n_departments,
            "departments": case_departments,
            "draws": case_draws,
        },
    )


def pure_queue_requests(
    rng: np.random.Generator, *, days: int, arrival_rate_per_hour: float, mean_service_hours: float
) -> Arrivals:
    """Poisson arrivals around the clock with exponential service: the M/M/c validation case."""
    horizon = days * HOURS_PER_DAY
    n = rng.poisson(arrival_rate_per_hour * horizon)
    time = np.sort(rng.uniform(0.0, horizon, n))
    effort = rng.exponential(mean_service_hours, n)
    return Arrivals(
        township=np.zeros(n, dtype=int),
        time=time,
        effort=effort,
        kind=np.full(n, Kind.REQUEST, dtype=np.int8),
        deadline=np.full(n, np.inf),
        extra={},
    )


def emergencies(
    rng: np.random.Generator,
    *,
    townships: int,
    days: int,
    per_township_month: float,
    effort_mean_hours: float,
    deadline_hours: float,
) -> Arrivals:
    """Rare emergencies (急难险情), any hour of any day, served before everything else."""
    counts = rng.poisson(per_township_month * 12 / 365, (townships, days))
    township, time = _times(rng, counts, daytime_share=0.0)
    effort = rng.exponential(effort_mean_hours, len(time))
    township, time, effort = _sort(township, time, effort)
    return Arrivals(
        township=township,
        time=time,
        effort=effort,
        kind=np.full(len(time), Kind.EMERGENCY, dtype=np.int8),
        deadline=time + deadline_hours,
        extra={},
    )


def pushed_down_tasks(
    rng: np.random.Generator,
    *,
    townships: int,
    days: int,
    working_days: np.ndarray,
    departments: int,
    per_department_township_week: float,
    effort_mean_hours: float,
    effort_sigma: float,
    deadline_days: float,
    outside_list_share: float,
) -> Arrivals:
    """Tasks pushed down by county departments on working days (stream ``tasks``).

    Each task carries whether it lies outside the township's responsibility list and a uniform
    draw that an access-list policy compares with its refusal rate.
    """
    per_day = departments * per_department_township_week / 5.0
    counts = rng.poisson(per_day * working_days.astype(float), (townships, days))
    township, time = _times(rng, counts, daytime_share=1.0)
    n = len(time)
    effort = lognormal(rng, effort_mean_hours, effort_sigma, n) if n else np.zeros(0)
    department = rng.integers(0, max(departments, 1), n)
    outside = rng.random(n) < outside_list_share
    refusal_draw = rng.random(n)
    township, time, effort, department, outside, refusal_draw = _sort(
        township, time, effort, department, outside, refusal_draw
    )
    return Arrivals(
        township=township,
        time=time,
        effort=effort,
        kind=np.full(n, Kind.TASK, dtype=np.int8),
        deadline=time + deadline_days * CALENDAR_HOURS_PER_WORKING_DAY,
        extra={"department": department, "outside_list": outside, "refusal_draw": refusal_draw},
    )

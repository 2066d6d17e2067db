"""Work items: the kinds of township work and the table that holds every item of a run.

DESIGN.md section 3. A work item is a citizen request (群众诉求), an emergency, a task pushed
down by a county department (上级交办), or a re-handling of a bounced cross-department case. Every
item of a run is one row of the :class:`ItemTable`; :mod:`sim.demand` draws the arrivals.
"""

from __future__ import annotations

import numpy as np

from sim.kernels.columns import Kind, Status

HOURS_PER_DAY = 24.0
#: Calendar hours per working day of deadline (5 working days in 7 calendar days).
CALENDAR_HOURS_PER_WORKING_DAY = 24.0 * 7 / 5
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
        ("priority", np.int8),  # queue rank, 0 first (``priority_of`` by kind and list)
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
        # Work shared in pieces (issue 11, teams): effort not yet given to any cadre (NaN while
        # the item is not worked in pieces), and when the last piece given out so far ends.
        ("unassigned", np.float64),
        ("team_done", np.float64),
    )

    def __init__(self, capacity: int = 1024, priority: np.ndarray | None = None):
        """Create an empty table.

        Args:
            capacity: Rows reserved at first.
            priority: Queue rank (0 served first) of each kind of item, inside and outside the
                task list, shape (len(Kind), 2) (:func:`sim.policies.evaluation.priority_table`);
                None means emergencies 0, everything else 1.
        """
        self.size = 0
        if priority is None:
            priority = np.ones((len(Kind), 2), dtype=np.int8)
            priority[EMERGENCY] = 0
        self.priority_of = np.asarray(priority, dtype=np.int8)
        for name, dtype in self.COLUMNS:
            setattr(self, name, np.empty(capacity, dtype=dtype))

    def __len__(self) -> int:
        """Number of items created so far."""
        return self.size

    def add(self, n: int, *, kind, township, arrival, deadline, effort, department=-1,
            outside_list=False, case=-1, priority=None) -> int:
        """Create ``n`` open items (columns as scalars or arrays); return the first id.

        ``priority`` is looked up in ``priority_of`` by kind and list unless given (the demand
        looks its arrivals' up once for the run).
        """
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
        self.status[rows] = OPEN
        self.outside_list[rows] = outside_list
        if priority is None:
            if np.ndim(kind) == 0 and np.ndim(outside_list) == 0:
                priority = self.priority_of[kind, int(outside_list)]
            else:
                outside = self.outside_list[rows].view(np.int8)  # 0 or 1, without a copy
                priority = self.priority_of[self.kind[rows], outside]
        self.priority[rows] = priority
        self.township[rows] = township
        self.department[rows] = department
        self.case[rows] = case
        self.arrival[rows] = arrival
        self.deadline[rows] = deadline
        self.effort[rows] = self.remaining[rows] = effort
        self.start[rows] = self.finish[rows] = self.done[rows] = np.nan
        self.unassigned[rows] = self.team_done[rows] = np.nan
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
    priority = _column("priority", int, "Queue rank (0 first): see ``ItemTable.priority_of``.",
                       writable=False)
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

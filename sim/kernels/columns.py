"""Names of the codes, rows and columns the kernels share with the model, defined once.

Work kinds and statuses of the item table, the hours categories of township cadres (where
seed 004's formalism shows up), the rows of a day's mandatory work, the states of the
villages' latent needs and the columns of the daily township records. The compiled kernels
(``sim/kernels/*.py``) index arrays with these
``IntEnum`` members (Numba reads them as integer constants); the rest of the code imports them
from here or from the modules that re-export them (``sim/work.py``, ``sim/agents/township.py``).
"""

from __future__ import annotations

from enum import IntEnum
from operator import attrgetter
from typing import NamedTuple

import numpy as np


class Kind(IntEnum):
    """Kinds of work item; the value is the column ``kind`` in ``tasks.parquet``."""

    REQUEST = 0
    COMPLEX = 1
    UTILITY = 2
    EMERGENCY = 3
    CROSS_DEPARTMENT = 4
    REWORK = 5
    TASK = 6
    OWN_WORK = 7  # the township's own statutory duties (本级法定职责; issue 11, item 9)


class Status(IntEnum):
    """Codes of the item table's ``status``, in the order of the categories of ``tasks.parquet``."""

    RESOLVED = 0
    OPEN = 1
    WITH_DEPARTMENTS = 2
    RETURNED = 3


class Hours(IntEnum):
    """Hours categories of township cadres (``hours_share`` keys: the names in lower case)."""

    SERVICE = 0
    CROSS_DEPARTMENT = 1
    TASKS = 2
    MEETINGS = 3
    DOCUMENTS = 4
    INSPECTIONS = 5
    CHAT_GROUPS = 6
    SECONDED = 7
    # The township's own work (issue 11, item 9): its statutory duties (work items of kind
    # ``OWN_WORK``), the windows of its service centre (便民服务中心) and its grids (网格).
    OWN_WORK = 8
    SERVICE_CENTRE = 9
    GRID = 10


#: Names of the hours categories, in column order.
HOURS_CATEGORIES = tuple(category.name.lower() for category in Hours)


class Mandatory(IntEnum):
    """Rows of a day's mandatory work per cadre (``MandatoryWork.hours``)."""

    MEETINGS = 0
    DOCUMENTS = 1
    INSPECTIONS = 2
    CHAT_GROUPS = 3
    # The township's own duties that take fixed hours (issue 11, item 9; sim/agents/duties.py).
    SERVICE_CENTRE = 4
    GRID = 5


#: Hours category of each row of mandatory work, indexed by ``Mandatory``.
MANDATORY_CATEGORIES = np.array([Hours[row.name] for row in Mandatory], dtype=np.int64)

#: Hours category of each work kind, indexed by ``Kind``.
CATEGORY_OF_KIND = np.array([Hours.SERVICE, Hours.SERVICE, Hours.SERVICE, Hours.SERVICE,
                             Hours.CROSS_DEPARTMENT, Hours.CROSS_DEPARTMENT, Hours.TASKS,
                             Hours.OWN_WORK],
                            dtype=np.int64)


class Need(IntEnum):
    """State of a village's latent need (``sim/agents/villages.py``)."""

    LATENT = 0
    FOUND = 1
    REPORTED = 2
    ESCALATED = 3


class TownshipColumn(IntEnum):
    """Columns of the model's daily township records; ``HOURS`` is the first hours column.

    The hours by category follow ``HOURS``, in the order of :class:`Hours`.
    """

    DAY = 0
    TOWNSHIP = 1
    BACKLOG = 2
    DEMAND_HOURS = 3
    CAPACITY_HOURS = 4
    ON_DUTY = 5
    SECONDED = 6
    VACANCIES = 7
    POSTS = 8
    OVERTIME_HOURS = 9
    HOURS = 10


#: Names of the columns of the daily township records (cumulative ones made daily by
#: ``metrics``).
TOWNSHIP_COLUMNS = (
    *(column.name.lower() for column in TownshipColumn if column < TownshipColumn.HOURS),
    *(f"hours_{category}" for category in HOURS_CATEGORIES),
)

#: ``k`` of a hand-over when the township has done its own part of a case.
TOWNSHIP_PART = -1


class ItemColumns(NamedTuple):
    """The columns of the model's item table (``ItemTable`` in ``sim/work.py``), by item id."""

    kind: np.ndarray
    priority: np.ndarray
    status: np.ndarray
    outside_list: np.ndarray
    township: np.ndarray
    department: np.ndarray
    case: np.ndarray
    arrival: np.ndarray
    deadline: np.ndarray
    effort: np.ndarray
    remaining: np.ndarray
    start: np.ndarray
    finish: np.ndarray
    done: np.ndarray
    unassigned: np.ndarray
    team_done: np.ndarray

    @classmethod
    def of(cls, table) -> ItemColumns:
        """The columns of ``table`` (anything with these attributes), as they are now."""
        return tuple.__new__(cls, _item_columns(table))


class HandOvers(NamedTuple):
    """Cases handed to the departments: case ``case``'s department ``k`` asked at ``time``.

    ``k`` is :data:`TOWNSHIP_PART` when the township has done its own part of the case.
    """

    case: np.ndarray
    k: np.ndarray
    time: np.ndarray


_item_columns = attrgetter(*ItemColumns._fields)  # one C call per kernel call, not sixteen

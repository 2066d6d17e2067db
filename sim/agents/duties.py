"""The township's fixed duties of its own: service-centre windows (便民服务中心) and grids (网格).

Issue 11, item 9. Besides the tasks pushed down from above, a township has work of its own
(DESIGN.md section 3). Its statutory duties arrive as work items (kind ``OWN_WORK``,
:func:`sim.demand.own_work`); the two duties here take a fixed number of hours a day whatever
the queue holds, and are taken off the cadres' day before other work, with the mandatory work
(``Mandatory.SERVICE_CENTRE``, ``Mandatory.GRID``):

- **Service centre.** Seed 000 names a township's convenience service centre and seed 004 lists
  16 convenience services; seed 001 gives the centre's director a leadership rank. On a working
  day ``windows`` cadres of the township (staff, not leaders, in turn) each sit at a window for
  ``hours_per_day`` from the start of the day: that is ``windows x hours`` cadre-hours charged
  to the township (``service_centre``), however many residents come. While the windows are open,
  a resident's simple request (kinds request and utility, effort at most ``max_effort_hours``)
  is served at the first free window, first come first served, if it can be done before the
  window closes; it is resolved there and never enters the queue. So a staffed centre is not a
  pure fixed cost: it takes simple requests off the cadres' queue.
- **Grids.** Seeds 001 and 002 describe grid governance: grid members patrol, collect
  information and relay residents' calls (网格呼叫、部门报到). A township has ``grids_per_village``
  grids for each of its villages and communities (rounded), each taking ``grid_hours_per_week``
  of its cadres' hours, a fifth on each working day, shared equally among the cadres on duty
  (``grid``).

With no window and no grid (the schema's defaults) nothing here changes a run.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from sim.kernels.columns import ItemColumns, Mandatory
from sim.kernels.day import ServiceWindows, WindowsOut, serve_windows

#: Working days a week (a weekly duty is charged a fifth each working day).
WORKING_DAYS_PER_WEEK = 5.0


class TownshipDuties:
    """The service-centre windows and grid duty of every township, and the verbs of a day.

    Args:
        grids: Grids of each township.
        grid_hours_per_week: Cadre-hours a week each grid takes.
        windows: Windows of each township's service centre staffed on a working day.
        window_hours: Hours a window is staffed on a working day, from the start of the day.
        max_effort_hours: Simple requests of at most this effort are served at a window
            (0: none are).
        day_start_hour: When the working day starts.
    """

    def __init__(self, *, grids: np.ndarray, grid_hours_per_week: float, windows: int,
                 window_hours: float, max_effort_hours: float, day_start_hour: float):
        """Keep the duties; every counter starts at zero."""
        self.grids = np.asarray(grids, dtype=float)
        self.grid_hours_per_day = self.grids * grid_hours_per_week / WORKING_DAYS_PER_WEEK
        self.windows = int(windows)
        self.window_hours = float(window_hours)
        self.max_effort_hours = float(max_effort_hours)
        self.day_start_hour = float(day_start_hour)
        #: Per township, windows staffed today (set by :meth:`hours`).
        self.staffed = np.zeros(len(self.grids), dtype=np.int64)
        #: The record of the windows' work: ids of the items served at them, day by day.
        self.served_ids: list[np.ndarray] = []
        self._items = None  # the run's item table, from :meth:`serve_at_windows`

    @classmethod
    def of_scenario(cls, scenario, villages: np.ndarray, always_on: bool) -> TownshipDuties:
        """The duties a scenario sets for townships of ``villages`` villages each.

        None applies to a pure queue or a township serving around the clock.
        """
        off = always_on or scenario.pure_queue
        return cls(grids=np.rint(np.asarray(villages, dtype=float) * scenario.grids_per_village),
                   grid_hours_per_week=0.0 if off else scenario.grid_hours_per_week,
                   windows=0 if off else scenario.service_centre_windows,
                   window_hours=scenario.service_centre_hours_per_day,
                   max_effort_hours=scenario.service_centre_max_effort_hours,
                   day_start_hour=scenario.day_start_hour)

    @property
    def on(self) -> bool:
        """Whether any township has a duty here."""
        return bool((self.windows > 0 and self.window_hours > 0)
                    or self.grid_hours_per_day.any())

    def hours(self, day: int, crew: CrewDuties) -> np.ndarray:
        """Hours of (service-centre windows, grid) of each cadre on duty today.

        Window staff are the township's staff (not leaders), ``windows`` of them in turn: on
        day ``d`` those in places ``d * k .. d * k + k - 1`` (mod the staff) of its roster,
        ``k`` the windows it can staff. Grid hours are shared equally among all its cadres on
        duty. Sets :attr:`staffed`.

        Args:
            day: The working day.
            crew: The crew's rota and grid shares (:meth:`crew_terms`), which the townships
                keep until their roster changes.

        Returns:
            Array of shape (2, cadres on duty): rows window hours and grid hours.
        """
        out = np.zeros((2, len(crew.grid)))
        out[1] = crew.grid
        if crew.windows is not None:
            staff, first, count, k, t, place = crew.windows
            chosen = staff[first[t] + (day * k[t] + place) % np.maximum(count[t], 1)]
            out[0, chosen] = self.window_hours
            self.staffed[:] = k
        else:
            self.staffed[:] = 0
        return out

    def crew_terms(self, unit: np.ndarray, leader: np.ndarray) -> CrewDuties:
        """The parts of :meth:`hours` that only the crew sets: the window rota, grid shares.

        Args:
            unit: Township of each cadre on duty at home, grouped by township.
            leader: Whether each holds a leadership post.
        """
        n_townships = len(self.grids)
        on_duty = np.bincount(unit, minlength=n_townships)
        grid = np.divide(self.grid_hours_per_day, on_duty, out=np.zeros(n_townships),
                         where=on_duty > 0)[unit]
        windows = None
        if self.windows > 0 and self.window_hours > 0:
            staff = np.flatnonzero(~leader)
            staff_unit = unit[staff]
            count = np.bincount(staff_unit, minlength=n_townships)
            k = np.minimum(self.windows, count)
            first = np.searchsorted(staff_unit, np.arange(n_townships))
            t = np.repeat(np.arange(n_townships), k)
            place = np.arange(k.sum()) - np.repeat(np.cumsum(k) - k, k)
            windows = (staff, first, count, k, t, place)
        return CrewDuties(grid=grid, windows=windows)

    def mandatory(self, day: int, mandatory: np.ndarray, crew: CrewDuties) -> None:
        """Add today's duties to the cadres' mandatory work (rows named by ``Mandatory``)."""
        if not self.on:
            return
        duties = self.hours(day, crew)
        mandatory[Mandatory.SERVICE_CENTRE] += duties[0]
        mandatory[Mandatory.GRID] += duties[1]

    def serve_at_windows(self, day: int, ids: np.ndarray, items) -> tuple[np.ndarray, ...]:
        """Residents' simple requests among ``ids`` served at the windows today.

        ``ids`` are today's arrivals in township then time order; :attr:`staffed` the windows
        open in each township (set when the day's crew was planned). A request is served at the
        window free first (first come first served) if it arrives while the windows are open
        and can be done before they close; the item is then started, done and resolved there.

        Returns:
            The ids served and when each was finished, and the ids left for the queue.
        """
        if self.max_effort_hours <= 0 or not self.staffed.any() or not len(ids):
            return _NO_IDS, _NO_TIMES, ids
        n = len(ids)
        out = WindowsOut(served=np.empty(n, dtype=np.int64), finished=np.empty(n),
                         left=np.empty(n, dtype=np.int64))
        opens = day * 24.0 + self.day_start_hour
        n_served, n_left = serve_windows(
            ids, ServiceWindows(staffed=self.staffed, opens=opens,
                                closes=opens + self.window_hours,
                                max_effort=self.max_effort_hours),
            ItemColumns.of(items), out)
        self._items = items
        if n_served:
            self.served_ids.append(out.served[:n_served])
        return out.served[:n_served], out.finished[:n_served], out.left[:n_left]

    def _served(self) -> np.ndarray:
        """Ids of every item served at the windows so far (from the record)."""
        if not self.served_ids:
            return _NO_IDS
        return np.concatenate(self.served_ids)

    @property
    def served(self) -> np.ndarray:
        """Per township, requests served at its windows so far (counted from the record)."""
        ids = self._served()
        township = self._items.township[ids] if len(ids) else _NO_IDS
        return np.bincount(township, minlength=len(self.grids))

    @property
    def served_hours(self) -> np.ndarray:
        """Per township, effort (cadre-hours) of the requests served at its windows so far."""
        ids = self._served()
        if not len(ids):
            return np.zeros(len(self.grids))
        return np.bincount(self._items.township[ids], self._items.effort[ids],
                           minlength=len(self.grids))


class CrewDuties(NamedTuple):
    """Per cadre on duty: grid hours; and who staffs the windows in turn (None: no window)."""

    grid: np.ndarray
    windows: tuple | None  # staff, first, count, k, township, place (see :meth:`hours`)


_NO_IDS = np.zeros(0, dtype=np.int64)
_NO_TIMES = np.zeros(0)

"""Cadres (干部) and the post ledger (编制) they sit in.

A county's posts are slots: each belongs to one unit (a township or a county department), is
administrative (行政) or institutional (事业), and is held by a cadre or vacant. The
:class:`Roster` keeps the slots' state in NumPy arrays so that a day's work for a thousand cadres
is a handful of vector operations; each holder is also a Mesa :class:`Cadre` agent whose
attributes read that state. Posts are only ever moved between units, never created or destroyed:
``len(roster)`` is the county's post total for the whole run (DESIGN.md section 4).
"""

from __future__ import annotations

import mesa
import numpy as np

NOT_SECONDED = -1
#: Why a holder left a post (the ``reason`` column of :attr:`Roster.departures`).
ATTRITION, POST_MOVED_WITHOUT_HOLDER, TRANSFERRED = 0, 1, 2
#: A holder sent with the post to another county (the province pool, sim/policies/pool.py).
LEFT_COUNTY = 3


class Roster:
    """State of every post slot in the county (arrays indexed by slot).

    Args:
        unit: Unit index of each slot (townships first, then departments).
        admin: Whether each slot is an administrative post.
        leader: Whether each slot is a leadership post.
        occupied: Whether each slot has a holder at the start.
    """

    def __init__(self, unit, admin, leader, occupied):
        """Create the ledger; every initial holder counts as fully ramped up."""
        n = len(unit)
        self.model = None  # set by :meth:`bind`; hires create Cadre agents in it
        self.version = 0  # bumped by every verb that changes who works where
        self.unit = np.asarray(unit, dtype=np.int32)
        self.admin = np.asarray(admin, dtype=bool)
        self.leader = np.asarray(leader, dtype=bool)
        self.occupied = np.asarray(occupied, dtype=bool)
        self.seconded_to = np.full(n, NOT_SECONDED, dtype=np.int32)
        self.secondment_end = np.full(n, np.inf)
        self.secondment_days = np.zeros(n)
        self.secondment_started = np.full(n, np.nan)
        self.fatigue = np.zeros(n)
        self.hired_day = np.full(n, -1e9)
        self.fill_day = np.where(self.occupied, np.inf, 0.0)
        self.week_hours = np.zeros(n)
        # Hours worked on call (值班) since the holder's last working day: overtime that the
        # next working day's fatigue counts (:meth:`tire`).
        self.on_call_hours = np.zeros(n)
        # Training (sim/policies/training.py): hours of a course today, gain after the last one.
        self.training_hours = np.zeros(n)
        self.training_gain = np.zeros(n)
        self.trained = False  # whether anyone has had a course (train)
        self.trained_day = np.zeros(n)
        self.training_decay = 1.0
        # Rotated to live and work in the villages (sim/policies/residence.py): off the crew.
        self.rotated = np.zeros(n, dtype=bool)
        self.agents: list[Cadre | None] = [None] * n
        self._departures: list[tuple[int, int, int, int]] = []  # (day, slot, unit, reason)

    def __len__(self) -> int:
        """The number of posts: constant for a run."""
        return len(self.unit)

    def bind(self, model, *, ramp_days: float, ramp_start: float, fatigue_loss: float,
             fatigue_decay: float) -> None:
        """Attach the ledger to its model, with the cadres' ramp-up and fatigue response."""
        self.model = model
        self.ramp_days, self.ramp_start = ramp_days, ramp_start
        self.fatigue_loss, self.fatigue_decay = fatigue_loss, fatigue_decay
        self._slots_version, self._slots = -1, None

    # -- verbs -------------------------------------------------------------------------------

    def hire(self, slot: int, day: int) -> None:
        """A newcomer takes vacant post ``slot`` and starts ramping up."""
        self.occupied[slot] = True
        self.fill_day[slot] = np.inf
        self.hired_day[slot] = day
        self.secondment_days[slot] = 0.0  # the newcomer has never been seconded
        self.version += 1
        Cadre(self.model, slot)

    def release(self, slot: int, day: int, reason: int) -> None:
        """The holder of ``slot`` leaves it (attrition, post moved without holder, transfer)."""
        self._departures.append((day, slot, int(self.unit[slot]), reason))
        if self.seconded_to[slot] != NOT_SECONDED:
            self.recall([slot])
        agent = self.agents[slot]
        if agent is not None:
            agent.leave()
        self.occupied[slot] = False
        self.rotated[slot] = False
        self.training_hours[slot] = self.training_gain[slot] = 0.0
        self.fatigue[slot] = 0.0
        self.week_hours[slot] = 0.0
        self.on_call_hours[slot] = 0.0
        self.version += 1

    def open_vacancy(self, slot: int, day: float, lag_days: float) -> None:
        """Start hiring for vacant post ``slot``: it is filled ``lag_days`` after ``day``."""
        self.fill_day[slot] = day + lag_days

    def second(self, slots, unit: int, day: float, until: float) -> None:
        """Second the holders of ``slots`` to ``unit`` from ``day`` until day ``until``."""
        self.seconded_to[slots] = unit
        self.secondment_end[slots] = until
        self.secondment_started[slots] = day
        self.version += 1

    def recall(self, slots) -> None:
        """Return the holders of ``slots`` to their own unit."""
        self.seconded_to[slots] = NOT_SECONDED
        self.secondment_end[slots] = np.inf
        self.version += 1

    def move_post(self, slot: int, unit: int) -> None:
        """Move post ``slot`` (and its holder, if any) to ``unit``; it is no longer a leader's."""
        self.unit[slot] = unit
        self.leader[slot] = False
        self.version += 1

    def rotate(self, rotated: np.ndarray) -> None:
        """The holders in mask ``rotated`` live and work in their villages from today.

        They leave the township's crew (its queue and its duty roster) until rotated back.
        """
        if not np.array_equal(rotated, self.rotated):
            self.rotated[:] = rotated
            self.version += 1

    def train(self, slots, day: int, hours: float, gain: float) -> None:
        """The holders of ``slots`` attend a course today: ``hours`` off the day, then ``gain``.

        The gain replaces what is left of an earlier one and decays by ``training_decay`` a day.
        """
        self.training_hours[slots] = hours
        self.training_gain[slots] = gain
        self.trained_day[slots] = day
        self.trained = True

    def end_courses(self) -> None:
        """No course today for anyone (the gains stay)."""
        self.training_hours[:] = 0.0

    def tire(self, slots, overtime_hours, cap_hours: float) -> None:
        """Update the fatigue of the holders of ``slots`` after a working day.

        The day's load is its overtime plus the hours worked on call since the holder's last
        working day (nights and weekends on duty are overtime too), as a share of the daily
        overtime cap, at most 1.
        """
        if cap_hours <= 0:
            return
        overtime_hours = overtime_hours + self.on_call_hours[slots]
        self.on_call_hours[slots] = 0.0
        load = np.minimum(overtime_hours, cap_hours) / cap_hours  # at most 1, never overflows
        decay = self.fatigue_decay
        self.fatigue[slots] = decay * self.fatigue[slots] + (1 - decay) * load

    # -- queries -----------------------------------------------------------------------------

    def slots_of(self, unit: int) -> np.ndarray:
        """The slots of ``unit``, in slot order."""
        if self._slots_version != self.version:
            order = np.argsort(self.unit, kind="stable")
            bounds = np.searchsorted(self.unit[order], np.arange(int(self.unit.max(initial=0)) + 2))
            self._slots, self._slots_version = (order, bounds), self.version
        order, bounds = self._slots
        if unit + 1 >= len(bounds):
            return order[:0]
        return order[bounds[unit]:bounds[unit + 1]]

    @property
    def departures(self) -> np.ndarray:
        """Every holder who left a post: rows of (day, slot, unit at departure, reason)."""
        return np.array(self._departures, dtype=np.int64).reshape(-1, 4)

    def on_duty(self) -> np.ndarray:
        """Mask of slots whose holder works in their own unit today."""
        return self.occupied & (self.seconded_to == NOT_SECONDED)

    def productivity(self, slots, day: float) -> np.ndarray:
        """Productivity of the holders of ``slots``: ramp-up after joining, less fatigue.

        A course's gain (:meth:`train`) multiplies it by ``1 + gain * decay ** days_since``.
        """
        since = day - self.hired_day[slots]
        start = self.ramp_start
        ramp = np.clip(start + (1 - start) * since / max(self.ramp_days, 1e-9), start, 1.0)
        out = ramp * (1.0 - self.fatigue_loss * self.fatigue[slots])
        if not self.trained:  # nobody has had a course: no gain to look up
            return out
        gain = self.training_gain[slots]
        if gain.any():
            out = out * (1.0 + gain * self.training_decay ** np.maximum(
                day - self.trained_day[slots], 0.0))
        return out


class Cadre(mesa.Agent):
    """A cadre: the holder of one post, in a township or a county department.

    State lives in the model's :class:`Roster`; the properties below read it, so agent queries
    (``model.agents_by_type[Cadre].select(...)``) see the same values as the vectorised day.
    """

    def __init__(self, model, slot: int):
        """Create the holder of post ``slot``."""
        super().__init__(model)
        self.slot = slot
        model.roster.agents[slot] = self

    @property
    def home_unit(self) -> int:
        """Unit index of the cadre's post."""
        return int(self.model.roster.unit[self.slot])

    @property
    def current_unit(self) -> int:
        """Unit the cadre works in today: the borrowing department while seconded."""
        seconded = int(self.model.roster.seconded_to[self.slot])
        return seconded if seconded != NOT_SECONDED else self.home_unit

    @property
    def is_leader(self) -> bool:
        """Whether the post is a leadership post."""
        return bool(self.model.roster.leader[self.slot])

    @property
    def fatigue(self) -> float:
        """Fatigue in [0, 1], a moving average of overtime use."""
        return float(self.model.roster.fatigue[self.slot])

    @property
    def secondment_months(self) -> float:
        """Cumulative months spent seconded (借调)."""
        return float(self.model.roster.secondment_days[self.slot]) / (
            self.model.scenario.days_per_month)

    def leave(self) -> None:
        """Leave the post (attrition); the post stays, vacant until a hire fills it."""
        self.model.roster.agents[self.slot] = None
        self.remove()

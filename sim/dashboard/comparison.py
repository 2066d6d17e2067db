"""Two copies of one county, pre-reform and reformed, stepped together on the same demand.

The county model draws its citizen demand from named random streams (common random numbers,
DESIGN.md section 7), so two models built with the same seed, one at the baseline presets and
one with the chosen reforms, face identical requests: every difference the class sees is the
reforms' doing. :class:`Comparison` is the ``mesa.Model`` that SolaraViz plays, steps and resets;
its day is one day of both counties.
"""

from __future__ import annotations

import math
import threading
from collections import deque

import mesa
import numpy as np
from hydra.errors import HydraException
from omegaconf.errors import OmegaConfBaseException

from sim.api import make_model
from sim.model import CountyWorkload
from sim.validate import ConfigError

#: Days over which the live overload index is taken (the map and the headline).
RECENT_DAYS = 28
#: Hydra keeps global state while composing: one composition at a time per process.
_COMPOSE_LOCK = threading.Lock()
#: Hours categories that are mandatory work rather than service (formalism, seed 004).
MANDATORY = ("meetings", "documents", "inspections", "chat_groups")


def one_line(error: Exception) -> str:
    """The first line of an error message (Hydra's messages run on with search paths)."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


class RecentLoad:
    """Overload index of each township over the last ``days`` days (demand / capacity hours).

    Args:
        model: The county whose townships are watched.
        days: Length of the window.
    """

    def __init__(self, model: CountyWorkload, days: int = RECENT_DAYS):
        """Start the window at the county's current totals."""
        self.model = model
        self.history: deque[tuple[np.ndarray, np.ndarray]] = deque(maxlen=days + 1)
        self.record()

    def record(self) -> None:
        """Remember today's cumulative demand and capacity hours of every township."""
        townships = self.model.townships
        self.history.append((np.array([t.demand_hours for t in townships], dtype=float),
                             np.array([t.capacity_hours for t in townships], dtype=float)))

    def _window(self) -> tuple[np.ndarray, np.ndarray]:
        (demand0, capacity0), (demand1, capacity1) = self.history[0], self.history[-1]
        return demand1 - demand0, capacity1 - capacity0

    def by_township(self) -> np.ndarray:
        """Overload index of each township over the window (NaN before any working day)."""
        demand, capacity = self._window()
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(capacity > 0, demand / capacity, np.nan)

    def county(self) -> float:
        """Overload index of all townships together over the window."""
        demand, capacity = self._window()
        return float(demand.sum() / capacity.sum()) if capacity.sum() > 0 else math.nan


class Comparison(mesa.Model):
    """A baseline county and the same county under reforms, one day of both per step.

    A setting that cannot be simulated does not raise: the comparison holds no counties, stops
    running and keeps the one-line reason in :attr:`error` for the page to show.

    Args:
        scenario: Scenario name (``configs/scenario/``).
        reforms: Hydra overrides of the reformed county (``policy/secondment=banned``, ...).
        side_by_side: Also run the baseline county (every lever at its baseline preset).
        seed: Seed of both counties: the same seed gives them the same demand.
        days: Days to simulate; ``None`` keeps the configured length (365).

    Attributes:
        runs: The counties by role, ``"baseline"`` (when side by side) then ``"reform"``.
        loads: Their recent overload windows, by role.
        error: Why the settings cannot be simulated, or ``None``.
    """

    def __init__(self, *, scenario: str = "classroom", reforms: tuple[str, ...] = (),
                 side_by_side: bool = True, seed: int = 1, days: int | None = None):
        """Build both counties, or record why they cannot be built."""
        # The comparison draws nothing itself; a negative seed is left for the counties' config
        # check to reject with a message.
        super().__init__(seed=seed if seed >= 0 else None)
        self.scenario = scenario
        self.seed = seed
        self.reforms = tuple(reforms)
        self.side_by_side = side_by_side
        self.error: str | None = None
        self.runs: dict[str, CountyWorkload] = {}
        try:
            with _COMPOSE_LOCK:
                reform = make_model(scenario, seed=seed, days=days, overrides=list(self.reforms))
                if side_by_side:
                    self.runs["baseline"] = make_model(scenario, seed=seed, days=days)
            self.runs["reform"] = reform
        except (ConfigError, HydraException, OmegaConfBaseException, ValueError) as error:
            self.error = one_line(error)
            self.runs = {}
        self.loads = {role: RecentLoad(model) for role, model in self.runs.items()}
        self.days = max((model.days for model in self.runs.values()), default=0)
        self.running = bool(self.runs)

    @property
    def day(self) -> int:
        """Days simulated so far."""
        return max((model.day for model in self.runs.values()), default=0)

    def step(self) -> None:
        """Simulate one day of every county still running."""
        if not self.running:
            return
        for role, model in self.runs.items():
            if model.running:
                model.step()
                self.loads[role].record()
        self.running = any(model.running for model in self.runs.values())


def headline(comparison: Comparison) -> dict[str, dict[str, float]]:
    """Headline numbers so far of each county, computed from its daily records (cheap).

    Returns:
        ``{metric: {role: value}}`` for the metrics ``day``, ``backlog`` (open citizen requests
        and tasks), ``resolution_hours`` (mean hours from arrival to resolution), ``overload``
        (county overload index over the last :data:`RECENT_DAYS` days), ``mandatory_share``
        (share of township hours spent on meetings, documents, inspections and chat groups),
        ``secondments``, ``vacancies`` and ``posts_townships`` (now).
    """
    numbers: dict[str, dict[str, float]] = {
        key: {} for key in ("day", "backlog", "resolution_hours", "overload", "mandatory_share",
                            "secondments", "vacancies", "posts_townships")
    }
    for role, model in comparison.runs.items():
        numbers["day"][role] = model.day
        frame = model.datacollector.get_model_vars_dataframe()
        if frame.empty:
            for key in numbers:
                numbers[key].setdefault(role, math.nan)
            continue
        last = frame.iloc[-1]
        resolved = frame["resolved"].to_numpy(dtype=float)
        mean = np.nan_to_num(frame["resolution_hours_mean"].to_numpy(dtype=float))
        hours = frame[[c for c in frame.columns if c.startswith("hours_")]].sum()
        total = float(hours.sum())
        numbers["backlog"][role] = float(last["backlog"])
        numbers["resolution_hours"][role] = (
            float((mean * resolved).sum() / resolved.sum()) if resolved.sum() else math.nan)
        numbers["overload"][role] = comparison.loads[role].county()
        numbers["mandatory_share"][role] = (
            float(sum(hours[f"hours_{name}"] for name in MANDATORY) / total) if total else math.nan)
        numbers["secondments"][role] = float(last["secondments_active"])
        numbers["vacancies"][role] = float(last["vacancies"])
        numbers["posts_townships"][role] = float(last["posts_townships"])
    return numbers

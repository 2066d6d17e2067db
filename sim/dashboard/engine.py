"""The one owner of the dashboard's models: builds and runs counties, one at a time, and caches.

Every browser session asks the process-wide :data:`ENGINE` for finished years; the engine builds
each county under one lock (Hydra composition keeps global state, and two cores are shared),
runs it to the end, keeps only its :class:`~sim.dashboard.snapshot.Snapshot` in a small
least-recently-used cache, and releases the model at once. A lever change therefore costs one
county-year (the baseline on the same seed is usually cached), and memory is bounded by the
cache, not by how many times a class presses Reset.

Common random numbers (DESIGN.md section 7): the baseline and the reformed county share the
seed, so they face the same citizen demand and every difference is the reforms' doing.
"""

from __future__ import annotations

import copy
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.errors import HydraException
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException
from scipy import stats

from sim.api import build_model, compose_config
from sim.dashboard import snapshot as snap
from sim.validate import ConfigError

#: Finished years kept (a typical county's snapshot is under 1 MB, but each county held in
#: the cache also keeps its share of the allocator's pools: a small cache keeps the server small).
CACHE_SIZE = 8
#: One model is built and run at a time in the process, whichever engine asks (Hydra's
#: composition keeps global state; the machine's cores are shared).
BUILD_LOCK = threading.RLock()
#: Composed configs kept (composing is the slowest part of building a small county).
CONFIG_CACHE_SIZE = 64


class SettingsError(Exception):
    """Settings the model cannot simulate.

    Attributes:
        key: The config key at fault (``policy.posts.per_township``), or ``""``.
        detail: The core's one-line reason (English).
    """

    def __init__(self, key: str, detail: str):
        """Keep the key and the reason."""
        super().__init__(f"{key}: {detail}" if key else detail)
        self.key = key
        self.detail = detail


@dataclass(frozen=True)
class Outcome:
    """Baseline and reformed county-years on the same seed (``baseline`` is None if not asked).

    Attributes:
        baseline: Every lever at its baseline preset.
        reform: The chosen reforms.
        seconds: Wall time of producing both (near 0 when both were cached).
    """

    baseline: snap.Snapshot | None
    reform: snap.Snapshot
    seconds: float

    def roles(self) -> dict[str, snap.Snapshot]:
        """The snapshots by role, baseline first."""
        out = {"baseline": self.baseline} if self.baseline is not None else {}
        return {**out, "reform": self.reform}


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


class Engine:
    """Builds, runs, caches and releases county-years for every session of the server."""

    def __init__(self, cache_size: int = CACHE_SIZE):
        """Start with empty caches."""
        self.lock = BUILD_LOCK
        self.cache_size = cache_size
        self._years: OrderedDict[tuple, snap.Snapshot] = OrderedDict()
        self._configs: OrderedDict[tuple, DictConfig] = OrderedDict()
        self.built = 0

    def _config(self, scenario: str, overrides: tuple[str, ...], days: int | None) -> DictConfig:
        """A fresh copy of the composed config of ``overrides``.

        Composing is the slow part of building a small county (0.1-0.5 s), so only the choice of
        presets (``policy/posts=sink``) goes through Hydra's composition, cached; value overrides
        (``policy.pay.premium=0.3``) are parsed by Hydra's override parser and set on a copy,
        which is what composition does with them.
        """
        parsed = OverridesParser.create().parse_overrides(list(overrides))
        groups = tuple(o.input_line for o in parsed if "/" in o.key_or_group)
        values = [o for o in parsed if "/" not in o.key_or_group]
        key = (scenario, groups, days)
        cfg = self._configs.get(key)
        if cfg is None:
            args = [f"scenario={scenario}", *groups]
            if days is not None:
                args.append(f"days={days}")
            cfg = compose_config(args)
            self._configs[key] = cfg
            while len(self._configs) > CONFIG_CACHE_SIZE:
                self._configs.popitem(last=False)
        self._configs.move_to_end(key)
        cfg = copy.deepcopy(cfg)
        for override in values:
            OmegaConf.update(cfg, override.key_or_group, override.value(), merge=False)
        return cfg

    def year(self, scenario: str, seed: int, overrides: tuple[str, ...] = (),
             days: int | None = None, cache: bool = True) -> snap.Snapshot:
        """The finished year of one county (cached by scenario, seed, overrides and days).

        Raises:
            SettingsError: The settings cannot be simulated (names the key).
        """
        key = (scenario, int(seed), tuple(overrides), days)
        with self.lock:
            if key in self._years:
                self._years.move_to_end(key)
                return self._years[key]
            try:
                cfg = self._config(scenario, tuple(overrides), days)
                cfg.seed = int(seed)
                year = snap.run_year(scenario, seed, tuple(overrides), days,
                                     build=lambda: build_model(cfg))
            except ConfigError as error:
                raise SettingsError(error.key, _first_line(error).split(": ", 1)[-1]) from None
            except (HydraException, OmegaConfBaseException, ValueError) as error:
                raise SettingsError("", _first_line(error)) from None
            self.built += 1
            if cache:
                self._years[key] = year
                while len(self._years) > self.cache_size:
                    self._years.popitem(last=False)
            return year

    def outcome(self, scenario: str, seed: int, reforms: tuple[str, ...],
                side_by_side: bool = True) -> Outcome:
        """Baseline and reform on the same seed: the instant what-if of a lever change."""
        started = time.perf_counter()
        reform = self.year(scenario, seed, tuple(reforms))
        baseline = None
        if side_by_side:
            baseline = reform if not reforms else self.year(scenario, seed, ())
        return Outcome(baseline, reform, time.perf_counter() - started)

    def clear(self) -> None:
        """Forget every cached year and config."""
        with self.lock:
            self._years.clear()
            self._configs.clear()

    def cached_bytes(self) -> int:
        """Memory held by the cached snapshots' arrays."""
        return sum(year.nbytes() for year in self._years.values())


#: The process-wide engine every session shares.
ENGINE = Engine()


@dataclass(frozen=True)
class SeedRow:
    """One measure over several seeds: means and the paired reform-minus-baseline difference.

    Attributes:
        metric: Headline measure (:data:`~sim.dashboard.snapshot.METRICS`).
        baseline: Mean over seeds, baseline.
        reform: Mean over seeds, with the reforms.
        difference: Mean paired difference (reform - baseline, same seed).
        low: Lower end of the difference's 95% t interval.
        high: Upper end of the difference's 95% t interval.
        runs: Seeds with a value for both.
    """

    metric: str
    baseline: float
    reform: float
    difference: float
    low: float
    high: float
    runs: int


def t_interval(values: np.ndarray, confidence: float = 0.95) -> tuple[float, float, float]:
    """Mean and two-sided Student t interval of ``values`` (NaNs dropped; scipy.stats)."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return math.nan, math.nan, math.nan
    mean = float(values.mean())
    if len(values) < 2:
        return mean, math.nan, math.nan
    sem = stats.sem(values)
    if sem == 0:
        return mean, mean, mean
    low, high = stats.t.interval(confidence, len(values) - 1, loc=mean, scale=sem)
    return mean, float(low), float(high)


def compare_seeds(engine: Engine, scenario: str, seeds: list[int], reforms: tuple[str, ...],
                  progress: Callable[[int, int], None] | None = None) -> list[SeedRow]:
    """Baseline and reform on each seed; per measure, the paired difference's 95% interval.

    Each seed gives both counties the same demand, so the differences are paired (one per
    seed) and their Student t interval is taken with scipy.stats.
    """
    values: dict[str, dict[str, list[float]]] = {m: {"baseline": [], "reform": []}
                                                  for m in snap.METRICS}
    for i, seed in enumerate(seeds):
        base = engine.year(scenario, seed, (), cache=False)
        reform = base if not reforms else engine.year(scenario, seed, tuple(reforms), cache=False)
        for role, year in (("baseline", base), ("reform", reform)):
            for metric, value in year.headline(year.days).items():
                values[metric][role].append(value)
        if progress:
            progress(i + 1, len(seeds))
    rows = []
    for metric in snap.METRICS:
        base = np.array(values[metric]["baseline"])
        reform = np.array(values[metric]["reform"])
        both = np.isfinite(base) & np.isfinite(reform)
        mean, low, high = t_interval(reform[both] - base[both])
        rows.append(SeedRow(metric, float(np.mean(base[both])) if both.any() else math.nan,
                            float(np.mean(reform[both])) if both.any() else math.nan,
                            mean, low, high, int(both.sum())))
    return rows

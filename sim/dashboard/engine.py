"""The one owner of the dashboard's models: builds and runs counties, one at a time, and caches.

Every browser session asks the process-wide :data:`ENGINE` for finished years; the engine builds
each county under one lock (Hydra composition keeps global state, and two cores are shared),
runs it to the end, keeps only its :class:`~sim.dashboard.snapshot.Snapshot` in a bounded
least-recently-used cache, and releases the model at once. A lever change therefore costs one
county-year (the baseline on the same seed is cached), and memory is bounded by the cache, not
by how many times a class presses Reset.

Instant what-if: while the class looks at a result, a background worker runs the years one
click away (each lever moved to each of its other presets, :meth:`Engine.prefetch`), so a
preset click usually finds its year ready. The worker yields to any request a page waits for:
it checks between simulated days and abandons its county when one comes. Its years are the
same years a click would compute (same seed, same settings), only earlier. A request the page
no longer wants (the teacher clicked again) is abandoned the same way (``stop``).

Common random numbers (DESIGN.md section 7): the baseline and the reformed county share the
seed, so they face the same citizen demand and every difference is the reforms' doing.
"""

from __future__ import annotations

import copy
import ctypes
import gc
import math
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import cache

import numpy as np
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.errors import HydraException
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from sim.api import CONFIG_DIR, build_model, compose_config, copy_config
from sim.config import PolicyConfig
from sim.dashboard import snapshot as snap
from sim.measures.definitions import t_interval
from sim.validate import ConfigError

#: Finished years kept: the neighbours the worker prepares for every open page, and the pages'
#: own years. A typical county's snapshot holds under 2 MB of arrays.
CACHE_SIZE = 48
#: Memory the cached snapshots may hold; the oldest go first beyond it.
CACHE_BYTES = 256 * 2**20
#: One model is built and run at a time in the process, whichever engine asks (Hydra's
#: composition keeps global state; the machine's cores are shared).
BUILD_LOCK = threading.RLock()
#: Composed scenario configs kept (composing is the slowest part of building a small county).
CONFIG_CACHE_SIZE = 16
#: Years slower than this (seconds) are not prepared in the background (large scenarios).
PREFETCH_MAX_SECONDS = 6.0
#: ``XIAOMA_DASHBOARD_PREFETCH=0`` turns the background worker off (every click computes).
PREFETCH = os.environ.get("XIAOMA_DASHBOARD_PREFETCH", "1") != "0"
_SCHEMAS = {f.name: f.default_factory for f in fields(PolicyConfig)}


def _libc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc: nothing to hand back
        return None


_MALLOC_TRIM = _libc_trim()


def give_back_memory() -> float:
    """Collect the released model's cycles and hand glibc's free heap back to the system.

    Measured (experiments/classroom/memory.md): without it a process running typical-county
    years grew from about 330 MB to 510 MB over 16 years with flat Python object counts and no
    model alive, and one ``malloc_trim`` brought it back to 316 MB: glibc keeps the freed
    pages of each county's peak. With it after every year the process stays flat. The
    collection takes about half a second on a loaded machine, so the page calls it after the
    year is on screen and no other is being computed (:meth:`Engine.tidy_soon`). Returns the
    seconds it took.
    """
    started = time.perf_counter()
    gc.collect()
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)
    return time.perf_counter() - started


class Cancelled(Exception):
    """A year abandoned half-way (its page no longer wants it, or a page waits)."""


@cache
def _preset_node(lever: str, preset: str) -> DictConfig:
    """``configs/policy/<lever>/<preset>.yaml`` over its schema, as Hydra composes the group."""
    path = CONFIG_DIR / "policy" / lever / f"{preset}.yaml"
    if lever not in _SCHEMAS or not path.is_file():
        raise SettingsError("", f"Could not find 'policy/{lever}/{preset}'")
    return OmegaConf.merge(OmegaConf.structured(_SCHEMAS[lever]), OmegaConf.load(path))


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

    def __init__(self, cache_size: int = CACHE_SIZE, cache_bytes: int = CACHE_BYTES,
                 prefetch: bool = PREFETCH):
        """Start with empty caches (and, on the first :meth:`prefetch`, the worker)."""
        self.lock = BUILD_LOCK
        self.cache_size = cache_size
        self.cache_bytes = cache_bytes
        self.prefetching = prefetch
        self._years: OrderedDict[tuple, snap.Snapshot] = OrderedDict()
        self._configs: OrderedDict[tuple, DictConfig] = OrderedDict()
        self.built = 0
        self.prefetched = 0
        self.trim_seconds = 0.0
        self.skipped_tidies = 0
        self._page_years = 0  # years being built for a page (not the worker's)
        self._waiting = 0  # requests a page waits for (the worker yields to them)
        self._state = threading.Condition()
        self._wanted: list[tuple] = []
        self._worker: threading.Thread | None = None

    def _config(self, scenario: str, overrides: tuple[str, ...], days: int | None) -> DictConfig:
        """A fresh copy of the composed config of ``overrides``.

        Composing is the slow part of building a small county (0.1-0.5 s), so only the scenario
        goes through Hydra's composition, cached. A preset choice (``policy/posts=sink``) puts
        the preset's file over its schema in place of the lever's node, which is what
        composition does with a config group (a test compares the two for every preset); value
        overrides (``policy.pay.premium=0.3``) are parsed by Hydra's override parser and set on
        the copy afterwards, as composition does.
        """
        parsed = OverridesParser.create().parse_overrides(list(overrides))
        groups = [o for o in parsed if "/" in o.key_or_group]
        values = [o for o in parsed if "/" not in o.key_or_group]
        key = (scenario, days)
        with self.lock:  # Hydra's composition keeps global state
            cfg = self._configs.get(key)
            if cfg is None:
                args = [f"scenario={scenario}"]
                if days is not None:
                    args.append(f"days={days}")
                cfg = compose_config(args)
                self._configs[key] = cfg
                while len(self._configs) > CONFIG_CACHE_SIZE:
                    self._configs.popitem(last=False)
            self._configs.move_to_end(key)
            cfg = copy_config(cfg)
        for override in groups:
            prefix, _, lever = override.key_or_group.partition("/")
            if prefix != "policy":
                raise SettingsError("", f"Could not override '{override.key_or_group}'")
            cfg.policy[lever] = copy.deepcopy(_preset_node(lever, str(override.value())))
        for override in values:
            OmegaConf.update(cfg, override.key_or_group, override.value(), merge=False)
        return cfg

    def cached(self, scenario: str, seed: int, overrides: tuple[str, ...] = (),
               days: int | None = None) -> snap.Snapshot | None:
        """The year if it is cached, else None (never builds)."""
        with self._state:
            year = self._years.get((scenario, int(seed), tuple(overrides), days))
        return year

    def _store(self, key: tuple, year: snap.Snapshot) -> None:
        with self._state:
            self._years[key] = year
            self._years.move_to_end(key)
            total = sum(y.nbytes() for y in self._years.values())
            while len(self._years) > 1 and (len(self._years) > self.cache_size
                                            or total > self.cache_bytes):
                _, dropped = self._years.popitem(last=False)
                total -= dropped.nbytes()

    def _build(self, key: tuple, stop: Callable[[], bool] | None) -> snap.Snapshot:
        scenario, seed, overrides, days = key
        try:
            cfg = self._config(scenario, overrides, days)
            cfg.seed = seed
            return snap.run_year(scenario, seed, overrides, days,
                                 build=lambda: build_model(cfg), stop=stop)
        except snap.Stopped:
            raise Cancelled(key) from None
        except ConfigError as error:
            raise SettingsError(error.key, _first_line(error).split(": ", 1)[-1]) from None
        except (HydraException, OmegaConfBaseException, ValueError) as error:
            raise SettingsError("", _first_line(error)) from None

    def year(self, scenario: str, seed: int, overrides: tuple[str, ...] = (),
             days: int | None = None, cache: bool = True,
             stop: Callable[[], bool] | None = None) -> snap.Snapshot:
        """The finished year of one county (cached by scenario, seed, overrides and days).

        Args:
            scenario: Scenario name.
            seed: Seed (the same seed, the same citizen demand).
            overrides: Hydra overrides of the reforms.
            days: Days to simulate (None: the configured year).
            cache: Keep the year in the cache.
            stop: Polled between simulated days; when it returns True the year is abandoned.

        Raises:
            SettingsError: The settings cannot be simulated (names the key).
            Cancelled: ``stop`` asked to abandon the year.
        """
        key = (scenario, int(seed), tuple(overrides), days)
        year = self.cached(*key)
        if year is not None:
            with self._state:
                self._years.move_to_end(key)
            return year
        with self._state:
            self._waiting += 1  # the worker abandons its county at the next day
        try:
            self.lock.acquire()
        finally:
            with self._state:
                self._waiting -= 1
        try:
            year = self.cached(*key)
            if year is not None:
                return year
            with self._state:
                self._page_years += 1
            try:
                year = self._build(key, stop)
            finally:
                with self._state:
                    self._page_years -= 1
            self.built += 1
            if cache:
                self._store(key, year)
            return year
        finally:
            self.lock.release()

    def outcome(self, scenario: str, seed: int, reforms: tuple[str, ...],
                side_by_side: bool = True, stop: Callable[[], bool] | None = None) -> Outcome:
        """Baseline and reform on the same seed: the instant what-if of a lever change.

        Raises:
            SettingsError: The settings cannot be simulated (names the key).
            Cancelled: ``stop`` asked to abandon the request.
        """
        started = time.perf_counter()
        baseline = None
        if side_by_side and reforms:
            baseline = self.year(scenario, seed, (), stop=stop)
        reform = self.year(scenario, seed, tuple(reforms), stop=stop)
        if side_by_side and not reforms:
            baseline = reform
        return Outcome(baseline, reform, time.perf_counter() - started)

    def ready(self, scenario: str, seed: int, reforms: tuple[str, ...],
              side_by_side: bool = True) -> Outcome | None:
        """The outcome if every year of it is cached, else None (never builds)."""
        reform = self.cached(scenario, seed, tuple(reforms))
        baseline = reform
        if side_by_side and reforms:
            baseline = self.cached(scenario, seed, ())
        if reform is None or baseline is None:
            return None
        return Outcome(baseline if side_by_side else None, reform, 0.0)

    # -- the background worker ----------------------------------------------------------------

    def prefetch(self, scenario: str, seed: int, candidates: list[tuple[str, ...]]) -> None:
        """Prepare these years in the background, first first (replaces the previous wish list).

        Nothing is prepared when the worker is off, or when the scenario's years are slow
        (:data:`PREFETCH_MAX_SECONDS`: a large county would keep the machine busy for minutes).
        """
        if not self.prefetching:
            return
        known = self.cached(scenario, seed, ())
        if known is not None and known.seconds > PREFETCH_MAX_SECONDS:
            return
        wanted = [(scenario, int(seed), tuple(c), None) for c in candidates]
        with self._state:
            self._wanted = [key for key in wanted if key not in self._years]
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._work, name="dashboard-prefetch",
                                                daemon=True)
                self._worker.start()
            self._state.notify_all()

    def idle(self) -> bool:
        """Whether the worker has nothing left to prepare."""
        with self._state:
            return not self._wanted

    def _work(self) -> None:
        while True:
            with self._state:
                while not self._wanted or self._waiting:
                    self._state.wait(timeout=0.2 if self._wanted else None)
                key = self._wanted[0]
            with self.lock:
                with self._state:
                    if self._waiting or not self._wanted or self._wanted[0] != key:
                        continue
                    if key in self._years:
                        self._wanted.pop(0)
                        continue
                try:
                    year = self._build(key, stop=lambda k=key: self._interrupted(k))
                except Cancelled:
                    continue  # a page waits, or the wish list changed: try again later
                except SettingsError:
                    year = None
                except Exception:  # noqa: BLE001 - a failed guess costs nothing but the guess
                    year = None
                if year is not None:
                    self.prefetched += 1
                    self._store(key, year)
                with self._state:
                    if self._wanted and self._wanted[0] == key:
                        self._wanted.pop(0)
                    done = not self._wanted
                if done:
                    self.tidy()

    def _interrupted(self, key: tuple) -> bool:
        return bool(self._waiting) or not self._wanted or self._wanted[0] != key

    def clear(self) -> None:
        """Forget every cached year and config, and the worker's wish list."""
        with self.lock, self._state:
            self._years.clear()
            self._configs.clear()
            self._wanted = []

    def tidy(self) -> None:
        """Give the released models' memory back to the system (:func:`give_back_memory`)."""
        self.trim_seconds = give_back_memory()

    def tidy_soon(self, delay: float = 0.5) -> None:
        """:meth:`tidy` in ``delay`` seconds, unless a year is being computed by then.

        A page calls it once its year is on screen. A click that follows at once (a teacher
        going through the levers) would otherwise compute its year beside the collection, both
        holding the interpreter in turns: that year's own result tidies after it. The worker's
        years do not count: it may prepare years for minutes on end.
        """
        threading.Timer(delay, self._tidy_if_quiet).start()

    def _tidy_if_quiet(self) -> None:
        with self._state:
            if self._waiting or self._page_years:  # a page waits for a year being built
                self.skipped_tidies += 1
                return
        self.tidy()

    def stats(self) -> dict[str, float]:
        """What the process holds: memory, Python blocks, live models, cached years, widgets.

        ``models_alive`` counts the models Mesa still keeps (``mesa.Agent._ids``): 0 when every
        replaced model was released; ``widgets`` counts the page widgets alive (0 without a
        page).
        """
        import sys

        import mesa

        rss = 0.0
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1]) / 1024
        widgets = sys.modules.get("ipywidgets")
        return {"rss_mb": round(rss, 1), "python_blocks": sys.getallocatedblocks(),
                "models_alive": len(mesa.Agent._ids), "years_cached": len(self._years),
                "cached_mb": round(self.cached_bytes() / 2**20, 1),
                "widgets": len(widgets.Widget.widgets) if widgets else 0,
                "threads": threading.active_count(), "built": self.built,
                "prefetched": self.prefetched, "trim_s": round(self.trim_seconds, 3)}

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
    engine.tidy()
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

"""The dashboard's one adapter to the model: a finished county-year turned into plain arrays.

The page never reads a live model. :func:`run_year` builds a county through :mod:`sim.api`, runs
its whole year in one call, reads the figures through :mod:`sim.measures.metrics`
(``task_table``, ``township_table``, ``summarize``) and the model's public attributes, copies
them into a :class:`Snapshot` of NumPy arrays and releases the model (Mesa 3.3.1 keeps every
model alive through ``mesa.Agent._ids`` unless told otherwise, STACK.md). Everything the charts
show at day ``d`` of the replay is a slice of the snapshot (:meth:`Snapshot.headline`), so a
chart can never meet a model half-way through a day. This is the only dashboard module that
knows the model's attribute and column names; when the core changes, this file changes.

The overload index (小马拉大车指数) of a township over a period is the hours of work that
arrived for it divided by the regular hours of its cadres on duty (8 a day each), DESIGN.md
section 5; the county's is the mean over its townships, as in ``summary.json``.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import mesa
import numpy as np

from sim.api import make_model
from sim.measures.metrics import summarize, task_table, township_table

#: Work kinds that are citizens' requests (resolution time and on-time share count these).
CITIZEN_KINDS = ("request", "complex", "utility", "emergency", "cross_department")
#: Hours categories that are mandatory work rather than service (formalism, seed 004).
MANDATORY = ("meetings", "documents", "inspections", "chat_groups")
#: Hours categories in the order of the model's records.
HOURS = ("service", "cross_department", "tasks", "meetings", "documents", "inspections",
         "chat_groups", "seconded", "own_work", "service_centre", "grid")
#: Headline measures, in the order the page lists them (text keys ``metric.<name>``).
METRICS = ("overload", "overloaded_share", "resolution_days", "on_time_share", "backlog",
           "mandatory_share", "secondments", "vacancies", "posts_townships")
#: Measures where a fall is an improvement (the change is coloured accordingly).
LOWER_IS_BETTER = {"overload", "overloaded_share", "resolution_days", "backlog",
                   "mandatory_share", "secondments", "vacancies"}

# Invented township names for teaching (the scenarios are synthetic counties; seeds name none of
# their townships). Chinese and pinyin, used when the model's own name is a bare code like T01.
_NAMES_ZH = ("东河镇", "西山乡", "南坪镇", "北岭乡", "清水镇", "石桥乡", "柳林镇", "青山乡",
             "双河镇", "杨柳乡", "白沙镇", "红岩乡", "龙泉镇", "金坪乡", "新华镇", "马鞍乡",
             "桃源镇", "松林乡", "黄土镇", "高峰乡", "长田镇", "梨园乡", "河口镇", "竹林乡")
_NAMES_EN = ("Donghe", "Xishan", "Nanping", "Beiling", "Qingshui", "Shiqiao", "Liulin",
             "Qingshan", "Shuanghe", "Yangliu", "Baisha", "Hongyan", "Longquan", "Jinping",
             "Xinhua", "Ma'an", "Taoyuan", "Songlin", "Huangtu", "Gaofeng", "Changtian", "Liyuan",
             "Hekou", "Zhulin")


def township_names(codes: list[str]) -> tuple[list[str], list[str]]:
    """Display names (Chinese, English) of townships whose model names are bare codes (T01)."""
    zh, en = [], []
    for i, code in enumerate(codes):
        if not re.fullmatch(r"T\d+", code):
            zh.append(code)
            en.append(code)
            continue
        lap = i // len(_NAMES_ZH)
        suffix = str(lap + 1) if lap else ""
        zh.append(_NAMES_ZH[i % len(_NAMES_ZH)] + suffix)
        en.append(_NAMES_EN[i % len(_NAMES_EN)] + suffix)
    return zh, en


def release(model) -> None:
    """Let a model be garbage-collected (``close()`` if it has one, else drop ``Agent._ids``)."""
    close = getattr(model, "close", None)
    if callable(close):
        close()
    else:  # pragma: no cover - older cores without close()
        mesa.Agent._ids.pop(model, None)


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1),
                        np.nan)


@dataclass
class Snapshot:
    """One finished county-year as plain arrays (no model inside).

    Attributes:
        scenario: Scenario name.
        seed: Seed of the run.
        overrides: Hydra overrides of the run (``policy/secondment=banned``, ...).
        days: Days simulated.
        names: Township names, ``{"zh": [...], "en": [...]}``.
        population: People per township.
        position: Township map positions, km east and north of the county seat, ``(n, 2)``.
        villages: Villages per township.
        daily: County series per day (``backlog``, ``hours_<category>``,
            ``secondments_active``, ``vacancies``, ``posts_townships``), each ``(days,)``.
        demand: Hours of work arriving per township and day, ``(days, n)``.
        capacity: Regular hours of cadres on duty per township and day, ``(days, n)``.
        finish_hours: Finish time (hours since day 0) of each resolved citizen request.
        resolution_hours: Arrival to resolution (hours) of each resolved citizen request.
        on_time: Whether each resolved citizen request met its deadline.
        summary: ``summarize`` of the finished year (``summary.json`` keys).
        seconds: Wall time of building, running and reading the county.
    """

    scenario: str
    seed: int
    overrides: tuple[str, ...]
    days: int
    names: dict[str, list[str]]
    population: np.ndarray
    position: np.ndarray
    villages: np.ndarray
    daily: dict[str, np.ndarray]
    demand: np.ndarray
    capacity: np.ndarray
    finish_hours: np.ndarray
    resolution_hours: np.ndarray
    on_time: np.ndarray
    summary: dict = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def townships(self) -> int:
        """Number of townships."""
        return len(self.population)

    def overload_by_township(self, day: int, start: int = 0) -> np.ndarray:
        """Overload index of each township over days ``start`` to ``day`` (NaN without hours)."""
        return _ratio(self.demand[start:day].sum(axis=0), self.capacity[start:day].sum(axis=0))

    def overload_weekly(self, day: int) -> np.ndarray:
        """County overload index (mean over townships) of each complete week up to ``day``."""
        weeks = day // 7
        if weeks == 0:
            return np.zeros(0)
        n = self.townships
        demand = self.demand[: weeks * 7].reshape(weeks, 7, n).sum(axis=1)
        capacity = self.capacity[: weeks * 7].reshape(weeks, 7, n).sum(axis=1)
        with np.errstate(invalid="ignore"):
            return np.nanmean(_ratio(demand, capacity), axis=1)

    def hours_weekly(self, day: int) -> dict[str, np.ndarray]:
        """Township cadre-hours per complete week up to ``day``, by category."""
        weeks = day // 7
        return {name: self.daily[f"hours_{name}"][: weeks * 7].reshape(weeks, 7).sum(axis=1)
                for name in HOURS}

    def resolution_weekly(self, day: int) -> np.ndarray:
        """Mean resolution time (days) of citizen requests resolved in each week up to ``day``."""
        weeks = day // 7
        week = (self.finish_hours // (24 * 7)).astype(np.int64)
        keep = week < weeks
        count = np.bincount(week[keep], minlength=weeks)
        total = np.bincount(week[keep], self.resolution_hours[keep], minlength=weeks)
        return _ratio(total, count.astype(float)) / 24.0

    def headline(self, day: int) -> dict[str, float]:
        """The headline measures after ``day`` days (see :data:`METRICS`); NaN before day 1.

        ``overload`` is the mean over townships of their index over the days so far (at the end
        of the year it equals ``summary["overload_index_mean"]``); ``resolution_days`` and
        ``on_time_share`` are over the citizen requests resolved so far; ``backlog``,
        ``secondments``, ``vacancies`` and ``posts_townships`` are the state at the end of the
        day; ``mandatory_share`` is the share of township cadre hours so far spent on meetings,
        documents, inspections and chat groups.
        """
        day = max(0, min(int(day), self.days))
        if day == 0:
            return {name: math.nan for name in METRICS}
        load = self.overload_by_township(day)
        resolved = self.finish_hours < 24.0 * day
        hours = {name: float(self.daily[f"hours_{name}"][:day].sum()) for name in HOURS}
        total_hours = sum(hours.values())
        with np.errstate(invalid="ignore"):
            return {
                "overload": float(np.nanmean(load)) if np.isfinite(load).any() else math.nan,
                "overloaded_share": float(np.mean(load > 1.0)),
                "resolution_days": (float(self.resolution_hours[resolved].mean()) / 24.0
                                    if resolved.any() else math.nan),
                "on_time_share": (float(self.on_time[resolved].mean())
                                  if resolved.any() else math.nan),
                "backlog": float(self.daily["backlog"][day - 1]),
                "mandatory_share": (sum(hours[name] for name in MANDATORY) / total_hours
                                    if total_hours else math.nan),
                "secondments": float(self.daily["secondments_active"][day - 1]),
                "vacancies": float(self.daily["vacancies"][day - 1]),
                "posts_townships": float(self.daily["posts_townships"][day - 1]),
            }

    def nbytes(self) -> int:
        """Approximate memory held by the snapshot's arrays."""
        arrays = [self.population, self.position, self.villages, self.demand, self.capacity,
                  self.finish_hours, self.resolution_hours, self.on_time, *self.daily.values()]
        return int(sum(a.nbytes for a in arrays))


class Stopped(Exception):
    """The year was abandoned half-way (``stop`` said so)."""


def run_year(scenario: str, seed: int, overrides: tuple[str, ...] = (),
             days: int | None = None, build: Callable[[], object] | None = None,
             stop: Callable[[], bool] | None = None) -> Snapshot:
    """Build one county through :mod:`sim.api`, run it to the end, snapshot it, release it.

    Args:
        scenario: Scenario name (``configs/scenario/``).
        seed: Seed (the same seed gives the same citizen demand under every policy).
        overrides: Hydra overrides (``policy/secondment=banned``, ...).
        days: Days to simulate; ``None`` keeps the configured year.
        build: Builds the model (e.g. ``sim.api.build_model`` of a composed config); by
            default :func:`sim.api.make_model` of the arguments above.
        stop: Asked before each simulated day; when it returns True the model is released
            and :class:`Stopped` raised.

    Raises:
        Stopped: ``stop`` returned True.
        sim.validate.ConfigError: A setting cannot be simulated (names the key).
        hydra.errors.HydraException: An unknown preset or key.
    """
    started = time.perf_counter()
    if build is None:
        model = make_model(scenario, seed=seed, days=days, overrides=list(overrides))
    else:
        model = build()
    try:
        while model.day < model.days:  # model.run(), one day at a time
            if stop is not None and stop():
                raise Stopped(scenario)
            model.step()
        tasks = task_table(model)
        towns = township_table(model)
        summary = summarize(model, tasks)
        frame = model.datacollector.get_model_vars_dataframe()
        n, n_days = len(model.townships), int(model.days)
        codes = [str(t.name) for t in model.townships]
        zh, en = township_names(codes)
        columns = ["backlog", "secondments_active", "vacancies", "posts_townships",
                   *[f"hours_{name}" for name in HOURS]]
        daily = {name: frame[name].to_numpy(dtype=float).copy() for name in columns}
        grid = towns.sort_values(["day", "township"])

        def per_day(column: str) -> np.ndarray:
            return grid[column].to_numpy(dtype=float).reshape(n_days, n).copy()

        citizen = tasks[tasks["kind"].isin(CITIZEN_KINDS) & (tasks["status"] == "resolved")]
        snapshot = Snapshot(
            scenario=scenario, seed=int(seed), overrides=tuple(overrides), days=n_days,
            names={"zh": zh, "en": en},
            population=np.array([t.population for t in model.townships], dtype=float),
            position=np.array([[t.x, t.y] for t in model.townships], dtype=float).reshape(n, 2),
            villages=np.array([t.villages for t in model.townships], dtype=np.int64),
            daily=daily, demand=per_day("demand_hours"), capacity=per_day("capacity_hours"),
            finish_hours=citizen["finish"].to_numpy(dtype=float).copy(),
            resolution_hours=citizen["resolution_hours"].to_numpy(dtype=float).copy(),
            on_time=citizen["deadline_met"].to_numpy(dtype=bool).copy(),
            summary=summary,
        )
    finally:
        release(model)
        del model
    snapshot.seconds = time.perf_counter() - started
    return snapshot

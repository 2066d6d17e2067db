"""Checks on a composed config, before any work: one line naming the key, the value and the range.

Every value is checked against its one declaration in :mod:`sim.config` (:func:`param`): its
type, that a number is finite (no NaN, no inf), its valid range, its choices, the length and
characters of a name. Keys the schema does not declare (added with ``+key=value``) are refused.
Then relations between values (a minimum no larger than its maximum, leaders within posts, a
day no longer than 24 hours), sizes (no config may ask for more memory or time than a machine
has), and what the post ledger can supply (posts to sink, floors) are checked, the last without
building a model: the plan is made on the county's post counts alone, by the same
:func:`sim.policies.posts.plan_posts` the model uses.
"""

from __future__ import annotations

import dataclasses
import math
import re
from typing import Any

import numpy as np
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import MissingMandatoryValue

from sim.config import Config, PostsPolicy, Spec, iter_specs

#: Most posts (cadres' slots) one county may hold: the roster is a set of arrays of this length.
MAX_POSTS_PER_COUNTY = 200_000
#: Most posts a province run may hold in all: counties run one at a time per worker process, so
#: this bounds the run's length, not its memory (China's ~2,800 counties hold ~7 million).
MAX_POSTS_PER_RUN = 20_000_000
#: Most work items a county's run may expect to draw (each is a row of the item table, ~100 B).
MAX_ITEMS_PER_COUNTY = 20_000_000


class ConfigError(ValueError):
    """A config value that cannot be simulated; the message starts with the key."""

    def __init__(self, key: str, message: str):
        """Name the key and what is wrong with it."""
        super().__init__(f"{key}: {message}")
        self.key = key


def _show(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _out_of_range(key: str, value: Any, spec: Spec) -> ConfigError:
    unit = "" if spec.unit in ("choice", "name", "text", "yes/no") else f" ({spec.unit})"
    return ConfigError(key, f"{_show(value)} is not allowed; allowed: {spec.range_text()}{unit}")


def check_value(key: str, value: Any, spec: Spec) -> None:
    """Raise :class:`ConfigError` unless ``value`` fits the declaration ``spec`` of ``key``."""
    if value is None:
        if spec.nullable:
            return
        raise _out_of_range(key, value, spec)
    if spec.unit == "yes/no":
        if not isinstance(value, bool):
            raise _out_of_range(key, value, spec)
        return
    choices = spec.allowed()
    if choices is not None:
        if value not in choices:
            raise _out_of_range(key, value, spec)
        return
    if spec.max_length is not None:
        if not isinstance(value, str) or len(value) > spec.max_length or (
                spec.pattern is not None and not re.fullmatch(spec.pattern, value)):
            raise _out_of_range(key, value, spec)
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _out_of_range(key, value, spec)
    if ((spec.ge is not None and value < spec.ge) or (spec.gt is not None and value <= spec.gt)
            or (spec.le is not None and value > spec.le)
            or (spec.lt is not None and value >= spec.lt)):
        raise _out_of_range(key, value, spec)


def _plain(cfg: DictConfig | Config | dict) -> dict:
    """The config as plain values, without Hydra's own ``hydra`` node."""
    if isinstance(cfg, dict):
        return cfg
    if dataclasses.is_dataclass(cfg):
        return dataclasses.asdict(cfg)
    try:
        return {key: OmegaConf.to_container(cfg[key], resolve=True, throw_on_missing=True)
                if OmegaConf.is_config(cfg[key]) else cfg[key]
                for key in cfg if key != "hydra"}
    except MissingMandatoryValue as error:
        raise ConfigError(str(error.full_key), "must be set (it has no default)") from None


def _leaves(node: dict, prefix: str = ""):
    for key, value in node.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            yield from _leaves(value, path + ".")
        else:
            yield path, value


def _get(plain: dict, key: str) -> Any:
    node: Any = plain
    for part in key.split("."):
        node = node[part]
    return node


def validate(cfg: DictConfig | Config | dict) -> None:
    """Raise :class:`ConfigError` for the first value of ``cfg`` that cannot be simulated.

    Args:
        cfg: A composed config (``hydra`` keys, if present, are not checked), its dataclass
            form, or its plain-dict form.
    """
    plain = _plain(cfg)
    declared = {key: spec for key, spec, _ in iter_specs()}
    for key, _ in _leaves(plain):
        if key not in declared:
            raise ConfigError(key, "no such key (check the spelling; see docs/ASSUMPTIONS.md)")
    for key, spec in declared.items():
        try:
            value = _get(plain, key)
        except (KeyError, TypeError):
            raise ConfigError(key, "missing from the config") from None
        check_value(key, value, spec)
    check_relations(plain)
    check_sizes(plain)
    layout = check_county(plain)
    if layout is None:
        check_posts_plan(plain)
    check_reallocation_floor(plain, layout)


def check_county(plain: dict):
    """Read a county's or a province's tables, if the scenario names them; their layout or None.

    A bad table stops here, before any work, with one line naming the file, row and column.
    (The posts plan of a county read from tables is checked when its model is built.)
    """
    s = plain["scenario"]
    if not (s.get("county_dir") or s.get("counties_table")):
        return None
    from sim.config import ScenarioConfig
    from sim.county import build_layout
    from sim.streams import Streams

    return build_layout(ScenarioConfig(**s), Streams(int(plain.get("seed", 0))))


def check_reallocation_floor(plain: dict, layout) -> None:
    """The re-allocation's floor must fit in the posts the townships start with.

    Args:
        plain: The config as plain dicts.
        layout: The county read from tables, or None for a county drawn from the scenario.
    """
    s, policy = plain["scenario"], plain["policy"]["reallocation"]
    if policy["interval_days"] is None or s["pure_queue"]:
        return
    if layout is None:
        n, held = s["townships"], s["townships"] * s["posts_per_township"]
    else:
        n = len(layout.township_names)
        held = int(layout.admin_posts.sum() + layout.institutional_posts.sum())
    floor = policy["floor_posts"]
    _relation(floor * n <= held, "policy.reallocation.floor_posts", floor,
              f"{floor} posts for each of {n} townships needs {floor * n}, but the townships "
              f"hold {held}")


def _relation(ok: bool, key: str, value: Any, rule: str) -> None:
    if not ok:
        raise ConfigError(key, f"{_show(value)} is not allowed; {rule}")


def check_relations(plain: dict) -> None:
    """Values that must agree with each other (each already within its own range)."""
    s = plain["scenario"]
    for low, high in (("population_min", "population_max"), ("distance_km_min", "distance_km_max"),
                      ("department_utilisation_min", "department_utilisation_max"),
                      ("office_open_hour", "office_close_hour")):
        _relation(s[low] <= s[high], f"scenario.{low}", s[low],
                  f"must be at most scenario.{high} = {s[high]}")
    if not s["pure_queue"]:
        _relation(s["leaders_per_township"] <= s["posts_per_township"],
                  "scenario.leaders_per_township", s["leaders_per_township"],
                  f"must be at most scenario.posts_per_township = {s['posts_per_township']}")
    _relation(s["regular_hours_per_day"] + s["overtime_cap_hours_per_day"] <= 24,
              "scenario.overtime_cap_hours_per_day", s["overtime_cap_hours_per_day"],
              f"regular hours ({s['regular_hours_per_day']}) + overtime must be at most 24")
    _relation(s["complex_share"] + s["utility_share"] <= 1, "scenario.utility_share",
              s["utility_share"],
              f"complex_share ({s['complex_share']}) + utility_share must be at most 1")
    if "output" in plain and "days" in plain:
        _relation(plain["output"]["warmup_days"] < plain["days"], "output.warmup_days",
                  plain["output"]["warmup_days"], f"must be below days = {plain['days']}")
    posts = plain["policy"]["posts"]
    if posts["allocation"] == "score" and posts["population_exponent"] < 0:
        _relation(s["population_min"] >= 1, "scenario.population_min", s["population_min"],
                  "must be at least 1 when policy.posts.population_exponent is negative")
    # Counties and seeds: county k of a province run with seed s has seed s * 1000 + k
    # (sim.runners.province.county_seed), distinct while counties <= 1000; the declared range of
    # scenario.counties keeps it so.


def _county_posts(s: dict) -> int:
    if s["pure_queue"]:
        return s["townships"] * s["servers"]
    return s["townships"] * s["posts_per_township"] + s["departments"] * s["posts_per_department"]


def check_sizes(plain: dict) -> None:
    """No config may ask for more memory or time than a machine has (each limit named)."""
    s = plain["scenario"]
    posts = _county_posts(s)
    key = "scenario.servers" if s["pure_queue"] else (
        "scenario.posts_per_township"
        if s["townships"] * s["posts_per_township"] >= s["departments"] * s["posts_per_department"]
        else "scenario.posts_per_department")
    _relation(posts <= MAX_POSTS_PER_COUNTY, key, _get(plain, key),
              f"the county would hold {posts:,} posts (limit {MAX_POSTS_PER_COUNTY:,})")
    pool = plain["policy"]["pool"]
    reserve = 0 if s["pure_queue"] else pool["staff_in"] * pool["batches"]
    _relation(posts + reserve <= MAX_POSTS_PER_COUNTY, "policy.pool.staff_in", pool["staff_in"],
              f"{pool['batches']} batches of it would bring the county to {posts + reserve:,} "
              f"posts (limit {MAX_POSTS_PER_COUNTY:,})")
    posts += reserve
    _relation(posts * s["counties"] <= MAX_POSTS_PER_RUN, "scenario.counties", s["counties"],
              f"the run would hold {posts * s['counties']:,} posts (limit {MAX_POSTS_PER_RUN:,})")
    n, days = s["townships"], plain["days"]
    if s["pure_queue"]:
        daily = {"scenario.arrival_rate_per_hour": n * s["arrival_rate_per_hour"] * 24}
    else:
        daily = {
            "scenario.requests_per_1000_people_day":
                n * s["population_max"] / 1000 * s["requests_per_1000_people_day"],
            "scenario.tasks_per_department_township_week":
                n * s["departments"] * s["tasks_per_department_township_week"] / 7,
            "scenario.emergencies_per_township_month":
                n * s["emergencies_per_township_month"] / 30,
        }
    items = sum(daily.values()) * days * (1 + s["max_bounces"] * s["cross_department_share"])
    worst = max(daily, key=daily.get)
    _relation(items <= MAX_ITEMS_PER_COUNTY, worst, _get(plain, worst),
              f"with {n} townships over {days} days a county would draw about {items:,.0f} work "
              f"items (limit {MAX_ITEMS_PER_COUNTY:,})")


def check_posts_plan(plain: dict) -> None:
    """The posts to sink and the floors must be within what the county's departments can release.

    The plan is made on the post counts the scenario gives (every township and department starts
    at its authorised posts) with the equal rule: how posts are shared does not change how many
    are asked for, so this finds every plan the model would refuse, without building a model.
    """
    from sim.policies.posts import PlanError, plan_posts

    s = plain["scenario"]
    n = s["townships"]
    departments = 0 if s["pure_queue"] else s["departments"]
    per_township = s["servers"] if s["pure_queue"] else s["posts_per_township"]
    township_admin = per_township if s["pure_queue"] else round(
        per_township * s["admin_share"])
    keep = s["department_min_posts"]
    per_department = s["posts_per_department"]
    releasable = departments * max(per_department - keep, 0)
    releasable_admin = departments * min(round(per_department * s["admin_share"]),
                                         max(per_department - keep, 0))
    policy = dataclasses.replace(PostsPolicy(**plain["policy"]["posts"]), allocation="equal")
    ones = [1.0] * n
    try:
        plan_posts(policy, township_posts=np.full(n, per_township),
                   township_admin_posts=np.full(n, township_admin),
                   population=np.array(ones), work_hours=np.array(ones),
                   mandatory_per_cadre=np.zeros(n), staff=np.array(ones),
                   distance_km=np.array(ones),
                   county_posts=n * per_township + departments * per_department,
                   releasable=releasable, releasable_admin=releasable_admin)
    except PlanError as error:
        value = _get(plain, error.key)
        raise ConfigError(error.key, f"{_show(value)} cannot be met: "
                                     f"{str(error).split(': ', 1)[1]}") from None

"""Checks on a composed config, before any work: one clear line naming the key at fault.

Hydra already rejects unknown keys, unknown presets and wrong types at composition. This module
checks values: counts and rates that cannot be negative, shares that must lie in [0, 1], choices
among named options, a run of at least one day. What the post ledger can supply (posts to move,
floors) is checked when the model is built, before the first day is simulated.
"""

from __future__ import annotations

import dataclasses

from omegaconf import DictConfig, OmegaConf

from sim.config import Config
from sim.measures.metrics import OBJECTIVES

CHOICES = {
    "scenario.calendar": ("working", "always_on"),
    "scenario.discipline": ("priority", "fifo"),
    "policy.posts.allocation": ("equal", "population", "workload", "score"),
    "policy.secondment.mode": ("unregulated", "regulated", "banned"),
    "policy.coordination.mode": ("serial", "parallel"),
    "output.objective": OBJECTIVES,
}
AT_LEAST_ONE = {"days", "scenario.townships", "scenario.servers", "policy.posts.stages",
                "scenario.max_departments_per_case", "scenario.posts_per_township"}
SHARE_WORDS = ("share", "probability", "fill_rate", "_cut", "refusal_rate", "productivity_loss",
               "start_productivity", "utilisation_min", "utilisation_max")
#: Multipliers that may only shrink what they multiply.
SHRINKING = {"policy.coordination.bounce_multiplier",
             "policy.coordination.evaluation_delay_multiplier",
             "policy.coordination.evaluation_bounce_multiplier",
             "policy.meetings.inspection_batch_factor"}


class ConfigError(ValueError):
    """A config value that cannot be simulated; the message starts with the key."""

    def __init__(self, key: str, message: str):
        """Name the key and what is wrong with it."""
        super().__init__(f"{key}: {message}")
        self.key = key


def _leaves(node, prefix=""):
    for key, value in node.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from _leaves(value, path + ".")
        else:
            yield path, value


def validate(cfg: DictConfig | Config) -> None:
    """Raise :class:`ConfigError` for the first invalid value in ``cfg``."""
    plain = OmegaConf.to_container(cfg, resolve=True) if isinstance(cfg, DictConfig) else (
        dataclasses.asdict(cfg))
    for key, value in _leaves(plain):
        if key.startswith("hydra") or isinstance(value, bool) or value is None:
            continue
        if key in CHOICES and value not in CHOICES[key]:
            raise ConfigError(key, f"must be one of {', '.join(CHOICES[key])} (got {value!r})")
        if not isinstance(value, int | float):
            continue
        if key in AT_LEAST_ONE and value < 1:
            raise ConfigError(key, f"must be at least 1 (got {value})")
        if value < 0 and not key.endswith("_exponent"):
            raise ConfigError(key, f"must not be negative (got {value})")
        leaf = key.rsplit(".", 1)[-1]
        if (key in SHRINKING or any(word in leaf for word in SHARE_WORDS)) and value > 1:
            raise ConfigError(key, f"is a share and must lie in [0, 1] (got {value})")
    scenario = plain.get("scenario", {})
    if scenario.get("population_min", 0) > scenario.get("population_max", 0):
        raise ConfigError("scenario.population_min", "is larger than scenario.population_max")
    if scenario.get("distance_km_min", 0) > scenario.get("distance_km_max", 0):
        raise ConfigError("scenario.distance_km_min", "is larger than scenario.distance_km_max")
    low, high = "department_utilisation_min", "department_utilisation_max"
    if scenario.get(low, 0) > scenario.get(high, 1):
        raise ConfigError("scenario.department_utilisation_min",
                          "is larger than scenario.department_utilisation_max")
    if scenario.get("leaders_per_township", 0) > scenario.get("posts_per_township", 1):
        raise ConfigError("scenario.leaders_per_township", "exceeds scenario.posts_per_township")

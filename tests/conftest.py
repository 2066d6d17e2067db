"""Shared fixtures: small models built once per session."""

import numpy as np
import pytest

from sim.api import make_model
from sim.measures.metrics import summarize, task_table
from sim.policies import LEVERS

#: Every lever at the reform the reports describe (from the lever registry).
ALL_LEVERS = [f"policy/{lever.name}={lever.reform}" for lever in LEVERS if lever.reform]


def run(scenario, seed=1, days=120, overrides=()):
    """Build and run a model; return it with its task table and summary."""
    model = make_model(scenario, seed=seed, days=days, overrides=list(overrides))
    model.run()
    tasks = task_table(model)
    return model, tasks, summarize(model, tasks)


def paired(scenario, overrides, metric, *, days=180, base=(), seeds=(1, 2, 3)):
    """Per-seed (baseline, reform) values of ``metric(summary, tasks)`` on matched seeds."""
    out = []
    for seed in seeds:
        _, tasks_a, a = run(scenario, seed=seed, days=days, overrides=list(base))
        _, tasks_b, b = run(scenario, seed=seed, days=days, overrides=[*base, *overrides])
        out.append((metric(a, tasks_a), metric(b, tasks_b)))
    return np.array(out)


class FixedDraws:
    """A stand-in for a random stream whose ``random(shape)`` returns set uniforms."""

    def __init__(self, u):
        self.u = np.asarray(u, dtype=float)

    def random(self, shape):
        assert shape == self.u.shape
        return self.u


@pytest.fixture(scope="session")
def classroom_run():
    return run("classroom", seed=7, days=120)


@pytest.fixture(scope="session")
def county_run():
    return run("typical_county", seed=3, days=120)

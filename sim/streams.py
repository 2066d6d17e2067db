"""Named random streams, so that policies are compared on the same demand.

Every stochastic part of the model draws from its own generator, derived from the run's seed and
the stream's name. Citizen demand is drawn from the ``requests`` stream before any policy acts, so
the same seed yields the same arrivals and efforts under every policy (common random numbers).
"""

from __future__ import annotations

import zlib

import numpy as np

STREAMS = (
    "geography",
    "requests",
    "cases",
    "tasks",
    "emergencies",
    "overhead",
    "departments",
    "secondment",
    "secondment_rules",
    "training",
    "transfer",
    "purchase",
    "feedback",
    "enforcement",
    "platform",
    "attrition",
    "hiring",
    "villages",
    "own_work",
)


class Streams:
    """A fixed set of independent NumPy generators keyed by name.

    Args:
        seed: The run's seed; each stream is seeded from ``(seed, crc32(name))``.
    """

    def __init__(self, seed: int):
        """Create one generator per name in :data:`STREAMS`."""
        self._rngs = {
            name: np.random.default_rng([int(seed), zlib.crc32(name.encode())])
            for name in STREAMS
        }

    def __getitem__(self, name: str) -> np.random.Generator:
        """Return the generator of stream ``name``."""
        return self._rngs[name]


def lognormal(rng: np.random.Generator, mean: float, sigma: float, size) -> np.ndarray:
    """Draw lognormal values with the given arithmetic mean and log-scale sigma."""
    mu = np.log(mean) - sigma**2 / 2
    return rng.lognormal(mu, sigma, size)

"""Kaplan-Meier quantiles of a time to resolution, in one pass over two sorted arrays (Numba).

``sim.measures.resolution.km_quantiles`` sorts the resolved times and the censored (still
open) times each in place and merges them here, so a province's 7 million requests need no
array beyond the two sorted ones. The arithmetic is that of ``scipy.stats.ecdf`` on
right-censored data, step for step (tested for equality): at each distinct time the survival
is multiplied by (at risk - resolved) / at risk, the number at risk counting every item, open
or not, whose time is not earlier; with nothing open, the share is the count so far / all.
"""

from __future__ import annotations

import numba
import numpy as np

#: A share within this of a probability reaches it (floating-point products of many factors).
TOLERANCE = 1e-12


@numba.njit(cache=True)
def km_reach(resolved, open_, probabilities, out):
    """For each probability, the first time the estimated share resolved reaches it.

    ``resolved`` and ``open_`` are sorted ascending; ``probabilities`` ascending. Fills
    ``out`` (NaN where the share never reaches the probability).
    """
    a, b = resolved.shape[0], open_.shape[0]
    out[:] = np.nan
    i = j = k = 0
    survival, resolved_so_far = 1.0, 0
    while i < a and k < probabilities.shape[0]:
        t = resolved[i]
        while j < b and open_[j] < t:  # censored before t: out of the risk set, no step
            j += 1
        at_risk = (a - i) + (b - j)
        deaths = 0
        while i < a and resolved[i] == t:
            deaths += 1
            i += 1
        if b:
            survival *= (at_risk - deaths) / at_risk
            share = 1.0 - survival
        else:
            resolved_so_far += deaths
            share = resolved_so_far / a
        while k < probabilities.shape[0] and share >= probabilities[k] - TOLERANCE:
            out[k] = t
            k += 1

"""The one t interval every comparison, lever effect, study and the dashboard report."""

import math

import numpy as np
import pytest
from scipy import stats

from sim.measures.definitions import t_interval


def test_t_interval_is_the_textbook_formula():
    values = np.array([1.0, 2.5, 1.7, 3.1, 2.2])
    mean, low, high = t_interval(values)
    half = stats.t.ppf(0.975, 4) * values.std(ddof=1) / np.sqrt(5)
    assert (mean, low, high) == pytest.approx((values.mean(), values.mean() - half,
                                               values.mean() + half))
    half_90 = stats.t.ppf(0.95, 4) * values.std(ddof=1) / np.sqrt(5)
    assert t_interval(values, 0.9)[2] == pytest.approx(values.mean() + half_90)


def test_t_interval_edge_cases():
    assert t_interval(np.array([2.0, 2.0, 2.0])) == (2.0, 2.0, 2.0)
    one = t_interval(np.array([1.0]))
    assert one[0] == 1.0 and math.isnan(one[1]) and math.isnan(one[2])
    assert all(math.isnan(x) for x in t_interval(np.array([])))
    # Non-finite values are left out: the same as the finite values alone.
    assert t_interval([1.0, np.nan, 2.0, np.inf, 4.0]) == t_interval([1.0, 2.0, 4.0])

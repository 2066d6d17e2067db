"""The bench's planned measurements are configs the validator accepts (no run is made).

The full bench once asked for 512 townships after the validator's limit became 300, and failed
half-way; this checks every planned point up front, in both sizes.
"""

import argparse

import pytest

from sim.analysis.bench import plan
from sim.api import compose_config
from sim.config import valid_range
from sim.validate import validate


def _args(quick: bool) -> argparse.Namespace:
    return argparse.Namespace(quick=quick, runs=5, sweep_runs=3, sweep_county_years=1000,
                              sweep_block=50, sweep_single_jobs=20, sweep_jobs=2,
                              sweep_repeats=3, big_runs=1, province_runs=1, township_days=30)


@pytest.mark.parametrize("quick", [False, True])
def test_every_scaling_point_is_a_valid_config(quick):
    p = plan(_args(quick))
    most = valid_range("scenario.townships")[1]
    assert p["townships"] and max(p["townships"]) <= most
    assert len(p["townships"]) >= 4  # enough points for a slope
    for n in p["townships"]:
        validate(compose_config(["scenario=typical_county", f"scenario.townships={n}",
                                 f"days={p['township_days']}"]))
    for days in p["days_sweep"]:
        validate(compose_config(["scenario=typical_county", f"days={days}"]))


def test_the_full_bench_scales_up_to_the_largest_power_of_two_allowed():
    most = int(valid_range("scenario.townships")[1])
    points = plan(_args(False))["townships"]
    assert points[0] == 1 and points[-1] <= most < 2 * points[-1]
    assert all(b == 2 * a for a, b in zip(points, points[1:], strict=False))

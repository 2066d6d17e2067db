"""The sensitivity study runs end to end on a tiny budget and ranks real effects."""

import pandas as pd

from sim.analysis import sensitivity


def test_tiny_sensitivity_study_writes_tables_and_figure(tmp_path):
    sensitivity.main(["--scenario", "classroom", "--days", "20", "--trajectories", "2",
                      "--base-samples", "4", "--top", "2", "--jobs", "1", "--out", str(tmp_path)])
    morris = pd.read_csv(tmp_path / "morris.csv")
    assert set(morris["parameter"]) == set(sensitivity.PARAMETERS)
    assert (morris["mu_star"] >= 0).all() and morris["mu_star"].max() > 0
    sobol = pd.read_csv(tmp_path / "sobol.csv")
    assert len(sobol) == 2 * len(sensitivity.OUTPUTS)
    assert (tmp_path / "sensitivity.png").stat().st_size > 0
    assert "Morris" in (tmp_path / "RESULTS.md").read_text()


def test_request_demand_moves_resolution_time():
    names = ["scenario.requests_per_1000_people_day"]
    low = sensitivity.evaluate([0.05], names, scenario="classroom", days=40, seed=1)
    high = sensitivity.evaluate([0.6], names, scenario="classroom", days=40, seed=1)
    assert high[1] > low[1]  # more demand, more overload

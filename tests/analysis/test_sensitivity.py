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
    assert "Morris" in (tmp_path / "RESULTS.md").read_text(encoding="utf-8")


def test_request_demand_moves_resolution_time():
    names = ["scenario.requests_per_1000_people_day"]
    low = sensitivity.evaluate([0.05], names, scenario="classroom", days=40, seed=1)
    high = sensitivity.evaluate([0.6], names, scenario="classroom", days=40, seed=1)
    assert high[1] > low[1]  # more demand, more overload


def test_each_lever_is_screened_over_its_own_plausible_ranges(tmp_path):
    """Every lever of the registry with a reported preset has its assumptions sampled; two of
    them run end to end."""
    from sim.config import plausible_ranges
    from sim.policies import LEVERS

    screened = sensitivity.lever_parameters()
    assert set(screened) == {lever.name for lever in LEVERS if lever.reform}
    for lever in LEVERS:
        if lever.reform:
            assert screened[lever.name] == (lever.reform,
                                            plausible_ranges(f"policy.{lever.name}."))
    sensitivity.main(["--levers", "meetings,tasks", "--scenario", "classroom", "--days", "5",
                      "--trajectories", "2", "--jobs", "1", "--out", str(tmp_path)])
    table = pd.read_csv(tmp_path / "levers" / "levers.csv")
    assert list(table["lever"].unique()) == ["meetings", "tasks"]
    for name in ("meetings", "tasks"):
        assert set(table.loc[table["lever"] == name, "parameter"]) == set(screened[name][1])
    assert (table["mu_star"] >= 0).all()
    assert "## `meetings` (`cut`)" in (tmp_path / "levers" / "RESULTS.md").read_text(
        encoding="utf-8"
    )


def test_a_levers_own_parameter_moves_its_result():
    """With the meetings cut on, cutting more meetings lowers overload; a whole-number field
    gets a whole number (courses a year)."""
    names = ["policy.meetings.meeting_cut"]
    base = ("policy/meetings=cut",)
    low = sensitivity.evaluate([0.1], names, scenario="classroom", days=40, seed=1, base=base)
    high = sensitivity.evaluate([0.8], names, scenario="classroom", days=40, seed=1, base=base)
    assert high[1] < low[1]
    assert sensitivity._override("policy.training.courses_per_year", 3.6) == (
        "policy.training.courses_per_year=4")

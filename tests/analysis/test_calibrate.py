"""Calibration (sim.analysis.calibrate): bad files stop in one line; a known parameter is
recovered on common random numbers; the report's numbers are those of direct runs."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.analysis.calibrate import SpecError, lookup, read_spec, simulate
from sim.api import make_model
from sim.measures.metrics import summarize

ROOT = Path(__file__).resolve().parents[2]
TRUE_RATE = 0.2  # requests per 1,000 people a day, the value the fit must recover


def _spec(tmp_path, text):
    path = tmp_path / "cal.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """
name: tiny
scenario: classroom
days: 20
seeds: [1, 2]
check_seeds: 3
trials: {trials}
sampler_seed: 3
observed:
  requests_arrived: {{value: {value}, sd: {sd}, source: "made by the test"}}
  hours_share.meetings: {{value: 0.2, sd: 10}}
parameters:
  scenario.requests_per_1000_people_day: {{low: 0.05, high: 0.4}}
"""


def _observed(seeds, days=20):
    """What the model gives at the true rate: the mean over the fit seeds."""
    values = []
    for seed in seeds:
        model = make_model("classroom", seed=seed, days=days,
                           overrides=[f"scenario.requests_per_1000_people_day={TRUE_RATE}"])
        model.run()
        values.append(summarize(model)["requests_arrived"])
    return float(np.mean(values))


@pytest.mark.parametrize(("text", "key"), [
    (GOOD.format(trials=2, value=100, sd=10).replace("requests_arrived:", "happiness_index:"),
     "observed.happiness_index: no output measures this"),
    (GOOD.format(trials=2, value=100, sd=10).replace("low: 0.05", "low: 0.5"),
     "parameters.scenario.requests_per_1000_people_day: low must be below high"),
    (GOOD.format(trials=2, value=100, sd=0), "observed.requests_arrived.sd: must be positive"),
    (GOOD.format(trials=2, value=100, sd=10) + "colour: red\n", "colour: unknown key"),
    (GOOD.format(trials=2, value=100, sd=10).replace("scenario.requests_per_1000_people_day",
                                                      "scenario.no_such_rate"),
     "scenario.no_such_rate"),
    (GOOD.format(trials=2, value=100, sd=10).replace("scenario: classroom", "scenario: nowhere"),
     "scenario"),
])
def test_bad_files_are_refused_in_one_line_naming_file_and_key(tmp_path, text, key):
    path = _spec(tmp_path, text)
    with pytest.raises(SpecError) as raised:
        read_spec(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: ") and key in message and "\n" not in message


def test_the_command_writes_nothing_on_bad_input(tmp_path):
    path = _spec(tmp_path, GOOD.format(trials=2, value=100, sd=10).replace(
        "requests_arrived:", "happiness_index:"))
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "sim.calibrate", str(path), "--out",
                             str(out)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 2
    assert result.stderr.strip() == (f"error: {path}: observed.happiness_index: no output "
                                     "measures this (targets are summary.json keys, nested ones "
                                     "as a.b, e.g. hours_share.meetings)")
    assert not out.exists()


def test_lookup_reaches_nested_keys():
    summary = {"a": 1, "hours_share": {"meetings": 0.25}, "b": None}
    assert lookup(summary, "hours_share.meetings") == 0.25
    assert np.isnan(lookup(summary, "hours_share.nothing")) and np.isnan(lookup(summary, "b"))


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    root = tmp_path_factory.mktemp("cal")
    observed = _observed([1, 2])
    path = _spec(root, GOOD.format(trials=14, value=observed, sd=observed * 0.02))
    out = root / "out"
    result = subprocess.run([sys.executable, "-m", "sim.calibrate", str(path), "--out",
                             str(out)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    return read_spec(path), out, observed


def test_the_fit_recovers_the_rate_that_made_the_data(fitted):
    _, out, _ = fitted
    parameters = pd.read_csv(out / "parameters.csv").set_index("parameter")
    rate = parameters.loc["scenario.requests_per_1000_people_day", "fitted"]
    assert abs(rate - TRUE_RATE) < 0.03  # of a range 0.05-0.4
    trials = pd.read_csv(out / "trials.csv")
    assert len(trials) == 14
    assert trials["value"].min() == pytest.approx(json.loads(
        (out / "calibration.json").read_text(encoding="utf-8"))["best_loss"])


def test_the_report_is_what_direct_runs_give(fitted):
    spec, out, observed = fitted
    fit = pd.read_csv(out / "fit.csv").set_index("target")
    rate = pd.read_csv(out / "parameters.csv")["fitted"].iloc[0]
    direct = [simulate(spec, {"scenario.requests_per_1000_people_day": rate}, s)
              for s in spec.check_seeds]
    values = np.array([d["requests_arrived"] for d in direct])
    row = fit.loc["requests_arrived"]
    assert row["observed"] == pytest.approx(observed)
    assert row["simulated_mean"] == pytest.approx(values.mean())
    assert row["seeds_p2_5"] == pytest.approx(np.percentile(values, 2.5))
    assert row["mean_ci95_low"] < row["simulated_mean"] < row["mean_ci95_high"]
    assert spec.check_seeds and not set(spec.check_seeds) & set(spec.seeds)
    for name in ("fit.png", "RESULTS.md", "check_runs.csv", "calibration.json"):
        assert (out / name).stat().st_size > 0
    assert "provenance" in json.loads((out / "calibration.json").read_text(encoding="utf-8"))


def test_the_shipped_example_reads():
    spec = read_spec(ROOT / "experiments" / "calibration" / "baotou_kexuelu.yaml")
    assert spec.scenario == "baotou_kexuelu"
    assert {t.key for t in spec.targets} == {"secondments_active_mean", "requests_arrived",
                                            "overtime_hours_per_cadre_week"}

"""The comparison's numbers against a hand computation on made-up sweep outputs."""

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.analysis.compare import compare, load_runs, main

BASE = {"posts": "baseline", "secondment": "unregulated", "meetings": "baseline",
        "tasks": "baseline", "coordination": "buck_passing", "pay": "baseline"}
RESOLUTION = {  # group -> seed -> value
    "policy/secondment=unregulated": {0: 50.0, 1: 54.0, 2: 47.0, 3: 61.0},
    "policy/secondment=banned": {0: 45.0, 1: 50.0, 2: 46.0},  # seed 3 failed
}


def _job(root, number, overrides, summary=None, error=None):
    job = root / str(number)
    (job / ".hydra").mkdir(parents=True)
    (job / ".hydra" / "overrides.yaml").write_text(
        "".join(f"- {o}\n" for o in overrides), encoding="utf-8"
    )
    if summary is not None:
        (job / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
        pd.DataFrame({"day": range(5), "backlog": np.arange(5) + summary["seed"],
                      "resolution_hours_mean": 10.0, "overload_index": 1.0}
                     ).to_parquet(job / "daily.parquet")
    if error is not None:
        (job / "error.txt").write_text(error + "\n", encoding="utf-8")
    return job


@pytest.fixture
def sweep(tmp_path):
    root = tmp_path / "sweep"
    number = 0
    for group, by_seed in RESOLUTION.items():
        mode = group.split("=")[1]
        for seed, value in by_seed.items():
            _job(root, number, [group, f"seed={seed}", "scenario=classroom"], {
                "scenario": "classroom", "seed": seed, "days": 5, "runtime_seconds": 1.0,
                "policy": {**BASE, "secondment": mode}, "resolution_hours_mean": value,
                "hours_share": {"service": value / 1000}, "label": "text is skipped"})
            number += 1
    _job(root, number, ["policy/secondment=banned", "seed=3", "scenario=classroom"],
         error="RuntimeError: simulated crash")
    _job(root, number + 1, ["policy/secondment=banned", "seed=4", "scenario=classroom"])
    return root


def _row(table, group, metric="resolution_hours_mean"):
    return table[(table["group"] == group) & (table["metric"] == metric)].iloc[0]


def test_group_statistics_match_a_hand_computation(sweep):
    runs, problems = load_runs([sweep])
    table = compare(runs)
    values = np.array(list(RESOLUTION["policy/secondment=banned"].values()))
    row = _row(table, "policy/secondment=banned")
    assert row["runs"] == 3
    assert row["mean"] == pytest.approx(values.mean())
    assert row["std"] == pytest.approx(values.std(ddof=1))
    half = stats.t.ppf(0.975, 2) * values.std(ddof=1) / np.sqrt(3)
    assert row["ci_low"] == pytest.approx(values.mean() - half)
    assert row["ci_high"] == pytest.approx(values.mean() + half)
    assert "label" not in set(table["metric"]) and "seed" not in set(table["metric"])
    assert "hours_share.service" in set(table["metric"])


def test_paired_difference_uses_matched_seeds_only(sweep):
    runs, _ = load_runs([sweep])
    table = compare(runs)
    base = RESOLUTION["policy/secondment=unregulated"]
    banned = RESOLUTION["policy/secondment=banned"]
    diff = np.array([banned[s] - base[s] for s in banned])  # seeds 0, 1, 2
    row = _row(table, "policy/secondment=banned")
    assert row["baseline"] == "policy/secondment=unregulated"  # all presets at baseline
    assert row["pairs"] == 3
    assert row["diff_mean"] == pytest.approx(diff.mean())
    low, high = stats.t.interval(0.95, 2, loc=diff.mean(), scale=stats.sem(diff))
    assert (row["diff_ci_low"], row["diff_ci_high"]) == pytest.approx((low, high))
    assert row["rel_change"] == pytest.approx(diff.mean() / np.mean([base[s] for s in banned]))
    assert np.isnan(_row(table, "policy/secondment=unregulated")["diff_mean"])


def test_explicit_baseline_and_shared_overrides_left_out_of_labels(sweep):
    runs, _ = load_runs([sweep])
    assert set(runs["group"]) == set(RESOLUTION)  # scenario=classroom is shared: not a label
    table = compare(runs, baseline="banned")
    assert _row(table, "policy/secondment=unregulated")["diff_mean"] == pytest.approx(
        np.mean([50 - 45, 54 - 50, 47 - 46]))


def test_failed_and_unfinished_jobs_are_listed(sweep):
    _, problems = load_runs([sweep])
    reasons = sorted(p.reason for p in problems)
    assert reasons == ["RuntimeError: simulated crash", "incomplete: no summary.json"]


def test_cli_writes_tables_figures_and_names_failures(sweep, tmp_path, capsys):
    out = tmp_path / "report"
    assert main([str(sweep), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "simulated crash" in printed and "baseline: policy/secondment=unregulated" in printed
    csv = pd.read_csv(out / "comparison.csv")
    assert {"group", "metric", "runs", "mean", "std", "ci_low", "ci_high", "pairs",
            "diff_mean", "diff_ci_low", "diff_ci_high", "rel_change"} <= set(csv)
    md = (out / "comparison.md").read_text(encoding="utf-8")
    assert "simulated crash" in md and "incomplete" in md
    for name in ["effects.png", "distributions.png", "daily_bands.png"]:
        assert (out / "figures" / name).stat().st_size > 0


def test_missing_folder_is_one_line_without_traceback(tmp_path):
    result = subprocess.run([sys.executable, "-m", "sim.compare", str(tmp_path / "nope")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "no such sweep folder" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_sweep_then_compare_end_to_end(tmp_path):
    sweep = tmp_path / "sweep"
    result = subprocess.run(
        [sys.executable, "-m", "sim", "-m", "scenario=classroom", "days=30",
         "output.figures=false", "policy/secondment=unregulated,banned", "seed=0,1,2",
         f"hydra.sweep.dir={sweep}"], capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert main([str(sweep), "--no-figures"]) == 0
    table = pd.read_csv(sweep / "comparison.csv")
    row = table[(table["group"] == "policy/secondment=banned")
                & (table["metric"] == "requests_arrived")].iloc[0]
    assert row["pairs"] == 3 and row["diff_mean"] == 0  # same demand on matched seeds


def _two_scenario_sweep(root, scenario_override: str) -> None:
    """Jobs of two scenarios x (unregulated, banned) x 3 seeds; banning cuts resolution by 5 h.

    ``scenario_override`` names how a job chose its scenario ("scenario" or "+experiment").
    """
    number = 0
    for scenario, offset in (("baotou_street", 0.0), ("yangting_town", 100.0)):
        for mode, effect in (("unregulated", 0.0), ("banned", -5.0)):
            for seed in range(3):
                _job(root, number, [f"{scenario_override}={scenario}",
                                    f"policy/secondment={mode}", f"seed={seed}"], {
                    "scenario": scenario, "seed": seed, "days": 5,
                    "policy": {**BASE, "secondment": mode},
                    "resolution_hours_mean": offset + effect + seed})
                number += 1


def test_within_compares_each_scenario_with_its_own_baseline(tmp_path):
    root = tmp_path / "sweep"
    _two_scenario_sweep(root, "scenario")
    runs, _ = load_runs([root])
    table = compare(runs, within="scenario")
    for scenario in ("baotou_street", "yangting_town"):
        row = _row(table, f"policy/secondment=banned, scenario={scenario}")
        assert row["baseline"] == f"policy/secondment=unregulated, scenario={scenario}"
        assert row["diff_mean"] == pytest.approx(-5.0)


def test_runs_of_several_scenarios_are_stratified_without_being_asked(tmp_path):
    """Without --within, a run is still only paired with a run of its own scenario."""
    root = tmp_path / "sweep"
    _two_scenario_sweep(root, "+experiment")  # the scenario comes from an experiment file
    runs, _ = load_runs([root])
    table = compare(runs)
    for scenario in ("baotou_street", "yangting_town"):
        row = _row(table, f"+experiment={scenario}, policy/secondment=banned")
        assert row["baseline"] == f"+experiment={scenario}, policy/secondment=unregulated"
        assert row["stratum"] == f"scenario={scenario}"
        assert row["diff_mean"] == pytest.approx(-5.0)
    out = tmp_path / "report"
    assert main([str(root), "--out", str(out), "--no-figures"]) == 0
    assert "runs span several strata (scenario=baotou_street, scenario=yangting_town)" in (
        out / "comparison.md").read_text(encoding="utf-8")


def test_groups_mixing_scenarios_get_the_scenario_in_their_label(tmp_path):
    root = tmp_path / "sweep"
    for number, (scenario, seed) in enumerate([("classroom", 0), ("mmc", 0), ("classroom", 1)]):
        _job(root, number, [f"seed={seed}"], {"scenario": scenario, "seed": seed, "days": 5,
                                              "policy": BASE, "resolution_hours_mean": 1.0})
    runs, _ = load_runs([root])
    assert set(runs["group"]) == {"scenario=classroom", "scenario=mmc"}


def test_numeric_groups_sort_by_value(tmp_path):
    from sim.analysis.compare import sort_groups

    assert sort_groups(["x=30", "x=5", "x=100", "x=0.5"]) == ["x=0.5", "x=5", "x=30", "x=100"]
    root = tmp_path / "sweep"
    for number, cut in enumerate([30, 5, 100]):
        _job(root, number, [f"policy.posts.per_township={cut}", "seed=0"], {
            "scenario": "classroom", "seed": 0, "days": 5, "policy": BASE,
            "resolution_hours_mean": float(cut)})
    runs, _ = load_runs([root])
    table = compare(runs, baseline="=5")
    groups = table.loc[table["metric"] == "resolution_hours_mean", "group"].tolist()
    assert groups == [f"policy.posts.per_township={c}" for c in (5, 30, 100)]


def test_daily_bands_weigh_each_day_by_the_requests_it_resolved():
    from sim.analysis.compare import DailyBands

    bands = DailyBands()
    # run A resolves 1 request in 10 h on day 0; run B resolves 3 in 30 h mean; day 1 has none
    # resolved in A (its mean is NaN) and 2 in B.
    bands.add("g", pd.DataFrame({"day": [0, 1], "resolved": [1, 0], "backlog": [4, 6],
                                 "resolution_hours_mean": [10.0, np.nan]}))
    bands.add("g", pd.DataFrame({"day": [0, 1], "resolved": [3, 2], "backlog": [8, 10],
                                 "resolution_hours_mean": [30.0, 50.0]}))
    mean, half, sd = bands.summary("g")
    assert mean.loc[0, "resolution_hours_mean"] == pytest.approx((10 + 3 * 30) / 4)  # 25, not 20
    assert mean.loc[1, "resolution_hours_mean"] == pytest.approx(50.0)
    assert mean.loc[0, "backlog"] == pytest.approx(6.0)  # unweighted: each run counts once
    assert sd.loc[0, "backlog"] == pytest.approx(np.std([4, 8], ddof=1))
    assert half.loc[0, "backlog"] == pytest.approx(stats.t.ppf(0.975, 1) * np.std(
        [4, 8], ddof=1) / np.sqrt(2))
    # weighted spread: weights 1 and 3, Kish's effective n = 16 / 10
    w, x = np.array([1.0, 3.0]), np.array([10.0, 30.0])
    m = np.average(x, weights=w)
    n_eff = w.sum() ** 2 / (w**2).sum()
    expected = np.sqrt(np.average((x - m) ** 2, weights=w) * n_eff / (n_eff - 1))
    assert sd.loc[0, "resolution_hours_mean"] == pytest.approx(expected)


def test_on_time_and_percentiles_by_kind_are_compared(sweep, tmp_path):
    from sim.analysis.compare import headline

    for folder in sorted(sweep.glob("[0-9]*")):
        path = folder / "summary.json"
        if path.exists():
            summary = json.loads(path.read_text(encoding="utf-8"))
            summary["requests_by_kind"] = {"request": {
                "on_time_share": summary["resolution_hours_mean"] / 100,
                "resolution_hours_p90": 2 * summary["resolution_hours_mean"]}}
            path.write_text(json.dumps(summary), encoding="utf-8")
    runs, _ = load_runs([sweep])
    metrics = headline(list(dict.fromkeys(runs["metric"])))
    assert "requests_by_kind.request.on_time_share" in metrics
    assert "requests_by_kind.request.resolution_hours_p90" in metrics
    table = compare(runs)
    row = _row(table, "policy/secondment=banned", "requests_by_kind.request.resolution_hours_p90")
    base = RESOLUTION["policy/secondment=unregulated"]
    banned = RESOLUTION["policy/secondment=banned"]
    assert row["diff_mean"] == pytest.approx(np.mean([2 * (banned[s] - base[s]) for s in banned]))
    assert main([str(sweep), "--out", str(tmp_path / "r")]) == 0
    assert (tmp_path / "r" / "figures" / "by_kind.png").stat().st_size > 0


def test_requests_by_kind_matches_a_count_of_the_task_table(classroom_run):
    from sim.runners.outputs import requests_by_kind

    _, tasks, summary = classroom_run
    got = requests_by_kind(tasks)
    assert sum(v["arrived"] for v in got.values()) == summary["requests_arrived"]
    assert sum(v["resolved"] for v in got.values()) == summary["requests_resolved"]
    for kind, figures in got.items():
        mine = tasks[(tasks["kind"] == kind) & (tasks["status"] == "resolved")]
        assert figures["resolved"] == len(mine)
        assert figures["on_time_share"] == pytest.approx(mine["deadline_met"].mean())
        assert figures["resolution_hours_p50"] == pytest.approx(
            mine["resolution_hours"].median())
        assert figures["resolution_hours_p90"] == pytest.approx(
            mine["resolution_hours"].quantile(0.9))

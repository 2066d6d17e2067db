"""The registry-driven lever study: groups from the registry, paired intervals, whole writes."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.analysis import lever_effects
from sim.policies import LEVERS


def test_groups_follow_the_registry():
    table = lever_effects.groups()
    assert table["none"] == []
    with_reform = [lever for lever in LEVERS if lever.reform]
    assert [g for g in table if g not in ("none", "all")] == [lever.name for lever in with_reform]
    assert table["all"] == [f"policy/{lever.name}={lever.reform}" for lever in with_reform]


def test_paired_effects_on_a_hand_made_table():
    runs = pd.DataFrame({"group": ["none"] * 3 + ["x"] * 3, "seed": [0, 1, 2] * 2,
                         "m": [10.0, 12.0, 14.0, 9.0, 10.0, 13.5]})
    effects = lever_effects.paired_effects(runs).set_index("measure")
    diff = np.array([-1.0, -2.0, -0.5])
    low, high = stats.t.interval(0.95, 2, loc=diff.mean(), scale=stats.sem(diff))
    assert effects.loc["m", "difference"] == pytest.approx(diff.mean())
    assert (effects.loc["m", "ci_low"], effects.loc["m", "ci_high"]) == pytest.approx((low, high))
    assert effects.loc["m", "baseline_mean"] == pytest.approx(12.0)
    assert effects.loc["m", "relative"] == pytest.approx(diff.mean() / 12.0)


def test_study_matches_separate_runs(tmp_path):
    out = tmp_path / "study"
    code = lever_effects.main(["--scenario", "classroom", "--seeds", "2", "--days", "30",
                               "--levers", "meetings", "--jobs", "1", "--out", str(out)])
    assert code == 0
    effects = pd.read_csv(out / "effects.csv")
    row = effects[(effects.group == "meetings")
                  & (effects.measure == "hours_per_cadre_week")].iloc[0]
    a = [lever_effects.run_one("classroom", s, 30, [])["hours_per_cadre_week"] for s in (0, 1)]
    b = [lever_effects.run_one("classroom", s, 30, ["policy/meetings=cut"])[
        "hours_per_cadre_week"] for s in (0, 1)]
    assert row["difference"] == pytest.approx(np.mean(np.subtract(b, a)))
    assert row["difference"] < 0  # cutting meetings lowers the hours worked
    assert "`meetings` (cut)" in (out / "effects.md").read_text(encoding="utf-8")
    # A second study into the same folder is refused, and leaves the first whole.
    assert lever_effects.main(["--scenario", "classroom", "--seeds", "2", "--out", str(out)]) == 2
    assert sorted(p.name for p in out.iterdir()) == ["effects.csv", "effects.md", "runs.csv"]


@pytest.mark.parametrize("args, key", [(["--levers", "nope"], "--levers"),
                                       (["--seeds", "1"], "--seeds"),
                                       (["--days", "0"], "--days"),
                                       (["--scenario", "classroom", "--days", "99999"], "days")])
def test_bad_input_is_refused_before_any_work(tmp_path, capsys, args, key):
    out = tmp_path / "x"
    assert lever_effects.main([*args, "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and key in err
    assert not out.exists() and list(tmp_path.iterdir()) == []

"""Exploratory modelling (sim.analysis.explore): robustness and PRIM on hand-made futures."""

import numpy as np
import pandas as pd
import pytest

from sim.analysis.explore import (
    discover,
    fails,
    reforms,
    robustness,
    sample_futures,
    short,
    uncertain_ranges,
)
from sim.analysis.levers import lever_presets


def _table(values: dict[str, list[list[float]]], x: np.ndarray | None = None) -> pd.DataFrame:
    """A study table: reform -> per future a list of per-seed resolution times."""
    names = [short(k) for k in uncertain_ranges()]
    futures = len(next(iter(values.values())))
    x = x if x is not None else np.zeros((futures, len(names)))
    rows = []
    for reform, per_future in values.items():
        for f, seeds in enumerate(per_future):
            row = {"future": f"f{f:03d}", "reform": reform, **dict(zip(names, x[f], strict=True))}
            row.update({f"resolution_hours_mean@{s}": v for s, v in enumerate(seeds)})
            rows.append(row)
    return pd.DataFrame(rows)


def test_reforms_are_none_each_lever_alone_and_all():
    got = reforms()
    presets = lever_presets()
    assert list(got) == ["none", *presets, "all"]
    assert got["none"] == [] and got["secondment"] == ["policy/secondment=banned"]
    assert sorted(got["all"]) == sorted(f"policy/{k}={v[1]}" for k, v in presets.items())


def test_helps_share_change_and_regret_match_a_hand_computation():
    table = _table({
        "none": [[10, 12], [20, 20], [30, 34]],      # means 11, 20, 32
        "posts": [[8, 10], [21, 21], [30, 30]],      # 9, 21, 30: helps in f0 and f2
        "pay": [[11, 11], [20, 20], [33, 31]],       # 11, 20, 32: never helps (ties)
    })
    robust = robustness(table).set_index("reform")
    assert robust.loc["posts", "helps_share"] == pytest.approx(2 / 3)
    assert robust.loc["posts", "helps_clearly_share"] == pytest.approx(2 / 3)  # 18% and 6%
    assert robust.loc["pay", "helps_share"] == 0
    assert robust.loc["pay", "no_effect_share"] == 1  # its means tie with none in every future
    assert robust.loc["posts", "no_effect_share"] == 0
    assert robust.loc["posts", "change_median"] == pytest.approx(np.median(
        [-2 / 11, 1 / 20, -2 / 32]))
    # best per future: 9, 20, 30 -> posts' regrets 0, 1, 0; pay's 2, 0, 2
    assert robust.loc["posts", "regret_median"] == 0 and robust.loc["posts", "regret_max"] == 1
    assert robust.loc["pay", "regret_max"] == 2 and robust.loc["pay", "best_share"] == (
        pytest.approx(1 / 3))
    assert fails(table, "posts").tolist() == [False, True, False]


def test_prim_finds_where_a_reform_fails():
    rng = np.random.default_rng(3)
    names = [short(k) for k in uncertain_ranges()]
    ranges = np.array(list(uncertain_ranges().values()))
    x = ranges[:, 0] + rng.random((120, len(names))) * (ranges[:, 1] - ranges[:, 0])
    lo, hi = uncertain_ranges()["scenario.bounce_probability"]
    cut = lo + 0.7 * (hi - lo)
    failing = x[:, names.index("bounce_probability")] > cut
    base = [[10.0, 10.0]] * 120
    reform = [[12.0, 12.0] if f else [8.0, 8.0] for f in failing]
    table = _table({"none": base, "coordination": reform}, x)
    box = discover(table, "coordination", threshold=0.95)
    assert box["failures"] == failing.sum() and box["futures"] == 120
    assert "bounce_probability" in box["limits"]
    assert box["limits"]["bounce_probability"]["low"] == pytest.approx(cut, abs=0.08 * (hi - lo))
    assert box["density"] >= 0.95 and box["coverage"] >= 0.8
    assert discover(table, "none") is None  # never fails against itself: nothing to discover


def test_futures_are_a_reproducible_latin_hypercube_within_the_ranges():
    a, b = sample_futures(10, 0), sample_futures(10, 0)
    pd.testing.assert_frame_equal(a, b)
    for key, (lo, hi) in uncertain_ranges().items():
        column = a[short(key)].to_numpy()
        assert lo <= column.min() and column.max() <= hi
        # one point in each tenth of the range
        assert sorted(np.floor((column - lo) / (hi - lo) * 10).astype(int)) == list(range(10))


@pytest.mark.slow
def test_a_tiny_study_runs_through_the_ema_workbench():
    from sim.analysis.explore import run_study

    table = run_study(futures=2, seeds=[0, 1], scenario="classroom", days=5, jobs=1)
    assert len(table) == 2 * len(reforms())
    assert {"resolution_hours_mean@0", "resolution_hours_mean@1"} <= set(table.columns)
    # the same future has the same uncertain values under every reform
    assert table.groupby("future")["bounce_probability"].nunique().max() == 1
    assert table["resolution_hours_mean@0"].notna().all()


def test_a_run_config_is_the_command_line_composition():
    """The cached composition plus the future's values is what the overrides compose to."""
    from sim.analysis.explore import run_config
    from sim.api import compose_config

    future = sample_futures(4, 1).iloc[2].to_dict()
    keys = {short(k): k for k in uncertain_ranges()}
    for reform in ("none", "all"):
        got = run_config(reform, 5, "classroom", 12, future)
        expected = compose_config(["scenario=classroom", *reforms()[reform], "seed=5", "days=12",
                                   *(f"{keys[n]}={v!r}" for n, v in future.items())])
        assert got == expected
        assert run_config(reform, 6, "classroom", 12, future).seed == 6  # a copy each time


def test_chunks_are_saved_and_not_rerun(tmp_path, monkeypatch):
    import sim.analysis.explore as explore

    calls = []

    def fake_study(*, futures, seeds, only, **study):
        calls.append(list(only))
        return pd.DataFrame({"future": [f"f{i:03d}" for i in only], "reform": "none",
                             **{f"resolution_hours_mean@{s}": [float(i) for i in only]
                                for s in seeds}})

    monkeypatch.setattr(explore, "run_study", fake_study)
    first = explore.run_chunks(futures=7, seeds=[0], chunk=3, parts=tmp_path)
    assert calls == [[0, 1, 2], [3, 4, 5], [6]]
    assert first["future"].tolist() == [f"f{i:03d}" for i in range(7)]
    (tmp_path / "futures-0003-0005.csv").unlink()  # as if cut short during that chunk
    again = explore.run_chunks(futures=7, seeds=[0], chunk=3, parts=tmp_path)
    assert calls[3:] == [[3, 4, 5]]
    pd.testing.assert_frame_equal(first, again)

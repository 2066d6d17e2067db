"""Warm-up and censoring (issue 11, item 8): open requests counted, short and long runs alike."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from sim.measures.metrics import summarize, township_table
from sim.measures.resolution import km_quantiles, resolution_stats
from tests.conftest import run


def test_kaplan_meier_by_hand():
    # Resolved at 1, 2, 3, 4; one open since 2.5. Survival: 4/5, x3/4 = .6, (censored), x1/2
    # = .3, then 0: resolved shares .2, .4, .7, 1 -> median 3, p90 4 (resolved only: 2.5, 3.7).
    assert km_quantiles([1.0, 2.0, 3.0, 4.0], [2.5]) == [3.0, 4.0]
    # Nothing open: the plain empirical quantiles (smallest time reaching the share).
    assert km_quantiles([5.0, 1.0, 3.0, 2.0], []) == [2.0, 5.0]
    # Half still open past every resolution: the p90 is not known.
    p50, p90 = km_quantiles([1.0, 2.0], [10.0, 10.0])
    assert p50 == 2.0 and np.isnan(p90)
    assert all(np.isnan(km_quantiles([], [3.0])))


def test_on_time_counts_open_requests_past_their_deadline():
    tasks = pd.DataFrame({
        "kind": pd.Categorical(["request"] * 4 + ["emergency"], categories=["request", "emergency",
                                                                            "task"]),
        "arrival": [0.0, 0.0, 10.0, 90.0, 50.0],
        "deadline": [20.0, 20.0, 30.0, 200.0, 52.0],
        "finish": [5.0, np.nan, 40.0, np.nan, 51.0],
        "status": ["resolved", "open", "resolved", "open", "resolved"],
    })
    tasks["resolution_hours"] = tasks["finish"] - tasks["arrival"]
    stats = resolution_stats(tasks, end_hours=100.0)
    request = stats["resolution_by_kind"]["request"]
    # Due in the run: the first three requests; on time: only the first (the open one is late).
    assert request["due"] == 3 and request["on_time_share_due"] == 1 / 3
    assert (request["arrived"], request["resolved"], request["open"]) == (4, 2, 2)
    # Resolved at 5 and 30; open 100 and 10 hours: survival .75 at 5, then 10 censored, .375 at
    # 30: the median is 30, the p90 not reached.
    assert request["resolution_hours_p50"] == 30.0 and np.isnan(request["resolution_hours_p90"])
    assert stats["on_time_share_due"] == 2 / 4
    # A warm-up of one day leaves out the requests that arrived before hour 24.
    warm = resolution_stats(tasks, end_hours=100.0, warmup_days=1)["resolution_by_kind"]["request"]
    assert warm["arrived"] == 1 and warm["due"] == 0 and np.isnan(warm["on_time_share_due"])


def test_warmup_leaves_out_early_requests_and_hours():
    model, tasks, full = run("classroom", seed=4, days=90)
    warm = summarize(model, tasks, warmup_days=30)
    citizen = tasks[tasks["kind"].isin(["request", "complex", "utility", "emergency",
                                        "cross_department"])]
    late = citizen[citizen["arrival"] >= 30 * 24]
    assert warm["requests_arrived"] == len(late) < full["requests_arrived"]
    assert warm["requests_resolved"] == int((late["status"] == "resolved").sum())
    assert np.isclose(warm["resolution_hours_mean"],
                      late.loc[late["status"] == "resolved", "resolution_hours"].mean())
    daily = township_table(model)
    after = daily[daily["day"] >= 30]
    columns = [c for c in daily.columns if c.startswith("hours_")]
    totals = after[columns].sum()
    for column in columns:
        assert np.isclose(warm["hours_share"][column[6:]], totals[column] / totals.sum())


def test_runs_of_120_and_365_days_report_comparable_p90():
    """Over seeds: resolved-only p90 is biased low in a short run; the censored one is not."""
    naive, censored = [], []
    for seed in (1, 2, 3):
        short = run("typical_county", seed=seed, days=120)[2]
        long = run("typical_county", seed=seed, days=365)[2]
        naive.append(long["resolution_hours_p90"] - short["resolution_hours_p90"])
        censored.append(long["resolution_hours_km_p90"] - short["resolution_hours_km_p90"])
    assert np.mean(naive) > 10.0, naive  # the bias is there to remove
    assert abs(np.mean(censored)) < np.mean(naive) / 2, (naive, censored)


def test_warmup_must_end_before_the_run_does():
    import pytest

    from sim.api import compose_config
    from sim.validate import ConfigError, validate

    validate(compose_config(["days=30", "output.warmup_days=29"]))
    with pytest.raises(ConfigError, match=r"^output\.warmup_days: 30 is not allowed; must be "
                                          r"below days = 30"):
        validate(compose_config(["days=30", "output.warmup_days=30"]))


def _scipy_quantiles(resolved_hours, open_hours, probabilities):
    cdf = stats.ecdf(stats.CensoredData(uncensored=resolved_hours, right=open_hours)).cdf
    out = []
    for p in probabilities:
        reached = np.flatnonzero(cdf.probabilities >= p - 1e-12)
        out.append(float(cdf.quantiles[reached[0]]) if len(reached) else float("nan"))
    return out


@settings(max_examples=300, deadline=None)
@given(resolved=st.lists(st.integers(0, 40), min_size=1, max_size=60),
       open_=st.lists(st.integers(0, 40), max_size=60),
       scale=st.sampled_from([1.0, 0.25, 3.7]),
       probabilities=st.lists(st.floats(0.01, 1.0), min_size=1, max_size=5).map(sorted),
       in_place=st.booleans())
def test_the_one_pass_kaplan_meier_equals_scipys(resolved, open_, scale, probabilities,
                                                 in_place):
    """The province's memory-lean estimate gives scipy's quantiles exactly, ties included."""
    resolved_hours = np.array(resolved, dtype=float) * scale
    open_hours = np.array(open_, dtype=float) * scale
    expected = _scipy_quantiles(resolved_hours.copy(), open_hours.copy(), probabilities)
    got = km_quantiles(resolved_hours, open_hours, probabilities, in_place=in_place)
    np.testing.assert_array_equal(got, expected)


def test_the_one_pass_kaplan_meier_equals_scipys_on_a_large_sample():
    rng = np.random.default_rng(5)
    resolved_hours = np.round(rng.lognormal(3, 1, 200_000), 1)
    open_hours = np.round(rng.uniform(0, 300, 3_000), 1)
    probabilities = (0.1, 0.5, 0.9, 0.99)
    kept = resolved_hours.copy()
    assert km_quantiles(resolved_hours, open_hours, probabilities) == _scipy_quantiles(
        resolved_hours, open_hours, probabilities)
    np.testing.assert_array_equal(resolved_hours, kept)  # not sorted in place unless asked


def _grouped_stats(tasks, end_hours, warmup_days):
    """Independent reference: the figures per kind from pandas' groupby on a copy of the rows."""
    kinds = ["request", "complex", "utility", "emergency", "cross_department"]
    citizen = tasks[tasks["kind"].isin(kinds) & (tasks["arrival"] >= warmup_days * 24.0)]

    def figures(group):
        resolved = (group["status"] == "resolved").to_numpy()
        hours = group["resolution_hours"].to_numpy()
        due = group["deadline"].to_numpy() <= end_hours
        met = resolved & (group["finish"].to_numpy() <= group["deadline"].to_numpy())
        p50, p90 = km_quantiles(hours[resolved],
                                end_hours - group["arrival"].to_numpy()[~resolved])
        return {"arrived": len(group), "resolved": int(resolved.sum()),
                "open": int((~resolved).sum()), "due": int(due.sum()),
                "on_time_share_due": float(met[due].mean()) if due.any() else float("nan"),
                "resolution_hours_p50": p50, "resolution_hours_p90": p90,
                "resolution_hours_mean": (float(hours[resolved].mean()) if resolved.any()
                                          else float("nan"))}

    return figures(citizen), {k: figures(g) for k, g in citizen.groupby("kind", observed=True)}


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from(["request", "complex", "emergency", "task",
                                                 "cross_department", "rework"]),
                               st.booleans(), st.integers(0, 300), st.integers(1, 200),
                               st.integers(0, 150)), min_size=1, max_size=80),
       categorical=st.booleans(), warmup_days=st.sampled_from([0, 2]))
def test_figures_by_kind_equal_a_groupby_of_copied_rows(rows, categorical, warmup_days):
    """The masks over the whole table give exactly what a groupby of the rows gives, in its
    order of kinds, for text and categorical kinds."""
    kind, resolved, arrival, took, slack = (list(c) for c in zip(*rows, strict=True))
    arrival = np.array(arrival, dtype=float)
    finish = np.where(resolved, arrival + np.array(took, dtype=float), np.nan)
    tasks = pd.DataFrame({
        "kind": kind, "status": np.where(resolved, "resolved", "open"), "arrival": arrival,
        "resolution_hours": finish - arrival, "finish": finish,
        "deadline": arrival + np.array(slack, dtype=float)})
    if categorical:
        tasks["kind"] = tasks["kind"].astype(pd.CategoricalDtype(
            ["request", "complex", "utility", "emergency", "cross_department", "rework", "task"]))
    got = resolution_stats(tasks, 400.0, warmup_days)
    county, by_kind = _grouped_stats(tasks, 400.0, warmup_days)
    np.testing.assert_equal(got["resolution_by_kind"], by_kind)
    assert list(got["resolution_by_kind"]) == list(by_kind)
    np.testing.assert_equal([got["resolution_hours_km_p50"], got["resolution_hours_km_p90"],
                             got["on_time_share_due"], got["requests_due"]],
                            [county["resolution_hours_p50"], county["resolution_hours_p90"],
                             county["on_time_share_due"], county["due"]])

"""Sinking posts (sim/policies/posts.py): figures checked against the post ledger itself."""

import numpy as np

from sim.api import make_model
from sim.measures.metrics import summarize


def test_holders_released_counts_the_holders_of_posts_moved_without_them():
    # Qujing moves posts without their holders (seed 002); no attrition, so every departure
    # on day 0 is a holder whose post moved.
    model = make_model("qujing_county", seed=1, days=3,
                       overrides=["policy/posts=qujing", "scenario.attrition_rate_year=0"])
    roster = model.roster
    unit_before, occupied_before = roster.unit.copy(), roster.occupied.copy()
    in_township = unit_before < len(model.townships)
    model.run()
    moved = ~in_township & (roster.unit < len(model.townships))
    independent = int(np.count_nonzero(moved & occupied_before))
    assert moved.sum() > 0 and independent > 0
    assert summarize(model)["holders_released"] == independent


def test_holders_move_with_their_posts_under_henan():
    model = make_model("henan_county", seed=1, days=3,
                       overrides=["policy/posts=henan", "scenario.attrition_rate_year=0"])
    model.run()
    assert summarize(model)["holders_released"] == 0


def test_stages_past_the_end_of_the_run_are_reported_as_not_applied():
    # Three stages 120 days apart: a 150-day run carries out two of them.
    model = make_model("classroom", seed=1, days=150, overrides=[
        "policy/posts=sink", "policy.posts.stages=3", "policy.posts.stage_interval_days=120"])
    roster_units = model.roster.unit.copy()
    model.run()
    summary = summarize(model)
    assert summary["posts_stages_planned"] == 3 and summary["posts_stages_applied"] == 2
    changed = int(np.count_nonzero(roster_units != model.roster.unit))
    assert summary["posts_moved"] == changed  # against the ledger
    planned = int(model.reforms["posts"].plan.total)
    assert 0 < changed < planned

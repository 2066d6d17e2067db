"""Teaching dashboard without a browser: controls, the comparison model, text and chart options."""

import json
import math

import numpy as np
import pytest

from sim.agents.township import HOURS_CATEGORIES
from sim.dashboard import views
from sim.dashboard.app import comparison_class
from sim.dashboard.comparison import Comparison, headline
from sim.dashboard.levers import (
    LEVER_BY_NAME,
    LEVERS,
    SCENARIOS,
    choose_preset,
    command_line,
    comparison_kwargs,
    default_controls,
    is_active,
    preset_values,
    reforms_from_controls,
)
from sim.dashboard.text import LANGUAGES, TEXT, tr

DAYS = 30


@pytest.fixture(scope="module")
def stepped():
    """A side-by-side classroom comparison with three reforms, 30 days in."""
    controls = default_controls()
    for lever, preset in [("secondment", "banned"), ("meetings", "cut"),
                          ("coordination", "whistle")]:
        controls = choose_preset(controls, lever, preset)
    comparison = Comparison(**comparison_kwargs(controls), days=DAYS)
    for _ in range(DAYS):
        comparison.step()
    return comparison


# -- controls -> overrides -------------------------------------------------------------------

def test_default_controls_are_the_pre_reform_county():
    controls = default_controls()
    assert reforms_from_controls(controls) == ()
    assert comparison_kwargs(controls) == {"scenario": "classroom", "reforms": (),
                                           "side_by_side": True, "seed": 1}
    for lever in LEVERS:
        assert controls[lever.group] == lever.presets[0]


def test_choosing_a_preset_moves_its_parameters_to_the_preset_values():
    controls = choose_preset(default_controls(), "secondment", "regulated")
    assert controls["policy.secondment.term_months"] == 3.0
    assert controls["policy.secondment.max_cumulative_months"] == 6.0
    controls = choose_preset(controls, "posts", "henan")
    assert controls["policy.posts.per_township"] == 15
    assert controls["policy.posts.allocation"] == "workload"
    controls = choose_preset(controls, "coordination", "whistle")
    assert controls["policy.coordination.response_deadline_days"] == 2.0
    controls = choose_preset(controls, "coordination", "buck_passing")
    assert controls["policy.coordination.response_deadline_days"] == 0.0  # no deadline
    # Only presets appear: each parameter still has its preset's value.
    assert reforms_from_controls(controls) == ("policy/posts=henan",
                                               "policy/secondment=regulated")


def test_moved_parameters_become_overrides():
    controls = choose_preset(default_controls(), "coordination", "whistle")
    controls["policy.coordination.response_deadline_days"] = 0.0
    controls["policy.pay.premium"] = 0.30000000000000004  # a float slider's arithmetic
    controls["policy.posts.per_township"] = 5
    assert reforms_from_controls(controls) == (
        "policy.posts.per_township=5",
        "policy/coordination=whistle",
        "policy.coordination.response_deadline_days=null",
        "policy.pay.premium=0.3",
    )
    kwargs = comparison_kwargs({**controls, "seed": 4})
    assert command_line(kwargs) == (
        "python -m sim scenario=classroom seed=4 policy.posts.per_township=5 "
        "policy/coordination=whistle policy.coordination.response_deadline_days=null "
        "policy.pay.premium=0.3")


def test_parameters_without_effect_under_their_preset_are_flagged():
    controls = default_controls()
    term = LEVER_BY_NAME["secondment"].params[0]
    refusal = LEVER_BY_NAME["tasks"].params[0]
    assert not is_active(controls, "secondment", term)
    assert not is_active(controls, "tasks", refusal)
    controls = choose_preset(choose_preset(controls, "secondment", "regulated"),
                             "tasks", "access_list")
    assert is_active(controls, "secondment", term)
    assert is_active(controls, "tasks", refusal)


def test_every_preset_exists_and_every_parameter_is_a_field_of_it():
    for lever in LEVERS:
        for preset in lever.presets:
            values = preset_values(lever.name, preset)
            assert values["name"] == preset
            for param in lever.params:
                assert param.field in values


# -- the comparison model --------------------------------------------------------------------

def test_comparison_from_controls_runs_the_chosen_reforms(stepped):
    reform = stepped.runs["reform"]
    baseline = stepped.runs["baseline"]
    assert reform.policy.secondment.mode == "banned"
    assert reform.policy.meetings.meeting_cut == preset_values("meetings", "cut")["meeting_cut"]
    assert reform.policy.coordination.mode == "parallel"
    assert baseline.policy.secondment.mode == "unregulated"
    assert stepped.day == reform.day == baseline.day == DAYS
    assert not stepped.running
    stepped.step()  # past the end: nothing happens
    assert stepped.day == DAYS


def test_all_levers_at_once_build():
    controls = default_controls()
    for lever in LEVERS:
        controls = choose_preset(controls, lever.name, lever.presets[1])
    controls["policy.meetings.meeting_cut"] = 0.5
    controls["policy.tasks.refusal_rate"] = 0.5
    comparison = Comparison(**comparison_kwargs(controls), days=3)
    assert comparison.error is None
    comparison.step()
    assert comparison.runs["reform"].policy.tasks.refusal_rate == 0.5


def test_same_seed_and_no_reforms_gives_identical_counties():
    comparison = Comparison(scenario="classroom", seed=3, days=20)
    for _ in range(20):
        comparison.step()
    numbers = headline(comparison)
    for metric, values in numbers.items():
        assert values["baseline"] == values["reform"] or (
            math.isnan(values["baseline"]) and math.isnan(values["reform"])), metric


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_offered_scenario_builds_and_draws(scenario):
    comparison = Comparison(scenario=scenario, days=3)
    assert comparison.error is None
    for _ in range(3):
        comparison.step()
    for build in (views.map_option, views.backlog_option, views.hours_option,
                  views.staff_option):
        json.dumps(build(comparison, "en"), allow_nan=False)
    assert "<table>" in views.headline_html(comparison, "en")


def test_single_mode_runs_one_county():
    comparison = Comparison(scenario="classroom", reforms=("policy/pay=premium",),
                            side_by_side=False, days=5)
    assert list(comparison.runs) == ["reform"]
    comparison.step()
    assert comparison.day == 1


@pytest.mark.parametrize(("reforms", "seed", "key"), [
    (("policy.tasks.refusal_rate=2",), 1, "policy.tasks.refusal_rate"),
    (("policy/posts=sink", "policy.posts.per_township=60"), 1, "policy.posts.per_township"),
    (("policy/posts=nonexistent",), 1, "policy/posts"),
    (("policy.posts.per_township=abc",), 1, "policy.posts.per_township"),
    ((), -1, "seed"),
])
def test_bad_lever_value_gives_a_message_not_an_exception(reforms, seed, key):
    comparison = Comparison(scenario="classroom", reforms=reforms, seed=seed, days=5)
    assert comparison.error and key in comparison.error
    assert "\n" not in comparison.error
    assert comparison.runs == {} and not comparison.running
    comparison.step()  # a no-op, not a crash
    html = views.headline_html(comparison, "zh")
    assert "<table>" in html


def test_reset_rebuilds_the_current_settings():
    """SolaraViz's Reset calls ``type(model)(**captured_params)``; the page passes none."""
    kwargs = {"scenario": "classroom", "reforms": ("policy/secondment=banned",),
              "side_by_side": False, "seed": 2}
    model = comparison_class(kwargs)(days=4)
    model.step()
    again = type(model)(days=4)
    assert isinstance(again, Comparison)
    assert (again.scenario, again.reforms, again.seed, list(again.runs)) == (
        "classroom", ("policy/secondment=banned",), 2, ["reform"])
    assert again.day == 0


# -- headline numbers and charts -------------------------------------------------------------

def test_headline_numbers(stepped):
    numbers = headline(stepped)
    for role in ("baseline", "reform"):
        assert numbers["day"][role] == DAYS
        assert numbers["backlog"][role] >= 0
        assert numbers["resolution_hours"][role] > 0
        assert 0 < numbers["mandatory_share"][role] < 1
        assert 0 < numbers["overload"][role] < 5
        assert numbers["posts_townships"][role] > 0
    # The ban sends every secondee home; the baseline county keeps its secondees.
    assert numbers["secondments"]["reform"] == 0
    assert numbers["secondments"]["baseline"] > 0
    # Fewer meetings: a smaller share of hours in mandatory work.
    assert numbers["mandatory_share"]["reform"] < numbers["mandatory_share"]["baseline"]


def test_headline_before_the_first_day_is_blank():
    numbers = headline(Comparison(scenario="classroom", days=5))
    assert numbers["day"] == {"baseline": 0, "reform": 0}
    assert math.isnan(numbers["backlog"]["reform"])
    html = views.headline_html(Comparison(scenario="classroom", days=5), "en")
    assert "–" in html and "Backlog" in html


def test_recent_overload_window(stepped):
    load = stepped.loads["reform"]
    assert len(load.history) == 29  # the start of the window and 28 days
    by_township = load.by_township()
    assert by_township.shape == (len(stepped.runs["reform"].townships),)
    assert np.all(np.isfinite(by_township))


@pytest.mark.parametrize("build", [views.map_option, views.backlog_option, views.hours_option,
                                   views.staff_option])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_chart_options_are_plain_json(stepped, build, lang):
    option = build(stepped, lang)
    json.dumps(option, allow_nan=False)  # what the browser receives
    assert option["series"]


def test_hours_chart_stacks_every_category_of_both_counties(stepped):
    option = views.hours_option(stepped, "en")
    assert len(option["series"]) == 2 * len(HOURS_CATEGORIES)
    assert {s["stack"] for s in option["series"]} == {"baseline", "reform"}
    assert all(len(s["data"]) == DAYS for s in option["series"])
    top = max(sum(s["data"][day] for s in option["series"] if s["stack"] == role)
              for role in ("baseline", "reform") for day in range(DAYS))
    assert all(axis["max"] >= top for axis in option["yAxis"])
    assert option["yAxis"][0]["max"] == option["yAxis"][1]["max"]


def test_long_series_are_thinned():
    points = views._points(np.arange(1000, dtype=float))
    assert len(points) <= views.MAX_POINTS
    assert points[0] == [1, 0.0]
    assert views._points(np.array([1.0, math.nan])) == [[1, 1.0], [2, None]]


def test_headline_table_follows_the_language(stepped):
    zh = views.headline_html(stepped, "zh")
    en = views.headline_html(stepped, "en")
    assert tr("metric.backlog", "zh") in zh and tr("metric.backlog", "en") in en
    assert 'class="xm-backlog-reform"' in zh
    assert "(-100%)" in en  # secondments: 0 against the baseline's


# -- text --------------------------------------------------------------------------------------

def test_every_text_has_both_languages():
    for key, entry in TEXT.items():
        assert set(entry) == set(LANGUAGES), key
        assert all(isinstance(text, str) and text.strip() for text in entry.values()), key


def test_every_label_the_page_uses_has_a_text():
    keys = ["title", "intro", "speed.help", "panel.setup", "panel.levers", "levers.reset",
            "scenario", "seed", "side_by_side", "command", "error", "inactive", "change",
            "metric", "no_data", "plot.map", "plot.backlog", "plot.resolution", "plot.hours",
            "plot.staff", "plot.day", "plot.km", "plot.seat", "plot.people",
            "series.secondments", "series.vacancies", "role.baseline", "role.reform"]
    keys += [f"lang.{lang}" for lang in LANGUAGES]
    keys += [f"scenario.{name}" for name in SCENARIOS]
    keys += [f"hours.{name}" for name in HOURS_CATEGORIES]
    keys += [f"metric.{name}" for name in headline(Comparison(scenario="classroom", days=1))]
    for lever in LEVERS:
        keys += [f"lever.{lever.name}", f"lever.{lever.name}.about"]
        keys += [f"preset.{lever.name}.{preset}" for preset in lever.presets]
        for param in lever.params:
            keys.append(f"param.{param.key}")
            keys += [f"choice.{choice}" for choice in param.choices]
    missing = [key for key in keys if key not in TEXT]
    assert not missing


def test_each_lever_explanation_cites_its_reports():
    for lever in LEVERS:
        for lang in LANGUAGES:
            about = tr(f"lever.{lever.name}.about", lang)
            for source in lever.sources:
                assert source in about, (lever.name, lang, source)

"""Teaching dashboard without a browser: controls, snapshots, the engine, charts, texts, URL."""

import gc
import json
import math
import re
import time
from pathlib import Path

import mesa
import numpy as np
import pytest
from omegaconf import OmegaConf

from sim.api import compose_config, make_model
from sim.config import field_spec, valid_range
from sim.dashboard import app, charts, store
from sim.dashboard.engine import (
    BUILD_LOCK,
    Cancelled,
    Engine,
    SettingsError,
    compare_seeds,
)
from sim.dashboard.levers import (
    LEVER_BY_NAME,
    LEVERS,
    SCENARIOS,
    WIDE,
    choose_preset,
    command_line,
    comparison_kwargs,
    default_controls,
    from_query,
    neighbours,
    preset_values,
    reforms_from_controls,
    to_query,
)
from sim.dashboard.snapshot import HOURS, METRICS, township_names
from sim.dashboard.text import LANGUAGES, TEXT, tr
from sim.measures.definitions import t_interval
from sim.measures.metrics import task_table
from sim.policies import LEVERS as REGISTRY

REFORMS = ("policy/secondment=banned", "policy/meetings=cut", "policy/coordination=whistle")
DASHBOARD = Path(__file__).resolve().parents[2] / "sim" / "dashboard"


def locked(function, *args, **kwargs):
    """Call a Hydra composition under the engine's lock (the page's warm-up thread composes)."""
    with BUILD_LOCK:
        return function(*args, **kwargs)


@pytest.fixture(scope="module")
def engine():
    return Engine()


@pytest.fixture(scope="module")
def outcome(engine):
    """A whole classroom year, baseline and three reforms, seed 1."""
    return engine.outcome("classroom", 1, REFORMS)


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


def test_every_lever_of_the_registry_is_on_the_page_with_its_presets_and_parameters():
    """The page's levers are derived: registry order, every preset file, the fields that
    differ between presets or that a report gives a figure for."""
    assert [lever.name for lever in LEVERS] == [lever.name for lever in REGISTRY]
    for lever, registered in zip(LEVERS, REGISTRY, strict=True):
        folder = Path(__file__).resolve().parents[2] / "configs" / "policy" / lever.name
        assert sorted(lever.presets) == sorted(p.stem for p in folder.glob("*.yaml"))
        assert lever.presets[0] == registered.baseline and lever.reported == registered.reform
        values = [preset_values(lever.name, preset) for preset in lever.presets]
        for name in values[0]:
            if name == "name":
                continue
            spec = field_spec(f"policy.{lever.name}.{name}")
            wanted = len({repr(v[name]) for v in values}) > 1 or "seed" in spec.source
            assert (name in {p.field for p in lever.params}) == wanted, (lever.name, name)
    keys = {p.key for lever in LEVERS for p in lever.params}
    assert {"policy.secondment.term_months", "policy.posts.per_township",
            "policy.meetings.meeting_cut", "policy.transfer.after_months"} <= keys


def test_slider_spans_come_from_each_fields_declared_range():
    for lever in LEVERS:
        for param in lever.params:
            if param.kind in ("choice", "bool"):
                continue
            low, high = valid_range(param.key)
            assert param.low >= (low or 0) or (param.zero_is_none and param.low == 0), param
            assert high is None or param.high <= high, param
            spec = field_spec(param.key)
            values = [abs(preset_values(lever.name, p)[param.field] or 0) for p in lever.presets]
            reference = max([*values, *(spec.plausible or ())])
            assert param.high >= reference, param  # every preset's value is on the slider
            if high is not None and high <= WIDE * reference:
                assert param.high == high  # the declared range itself
            assert param.step > 0 and (param.high - param.low) / param.step <= 1000
            if spec.gt is not None and not param.zero_is_none:
                assert param.low > spec.gt  # an open bound is never offered
    per_township = next(p for p in LEVER_BY_NAME["posts"].params if p.field == "per_township")
    assert (per_township.low, per_township.high) == (0, 100)  # 5,000 valid, 35 plausible
    deadline = next(p for p in LEVER_BY_NAME["coordination"].params
                    if p.field == "response_deadline_days")
    assert deadline.zero_is_none and deadline.low == 0


def test_neighbours_are_one_click_away_reported_presets_first():
    controls = default_controls()
    near = neighbours(controls)
    assert near[:len(LEVERS)] == [(f"policy/{lv.name}={lv.reported}",) for lv in LEVERS]
    assert len(near) == sum(len(lv.presets) - 1 for lv in LEVERS) == len(set(near))
    on = choose_preset(controls, "meetings", "cut")
    assert ("policy/meetings=cut", "policy/tasks=access_list") in neighbours(on)[:len(LEVERS)]
    assert () in neighbours(on)  # meetings back to baseline


def test_every_preset_exists_and_every_parameter_is_a_field_of_it():
    for lever in LEVERS:
        for preset in lever.presets:
            values = preset_values(lever.name, preset)
            assert values["name"] == preset
            for param in lever.params:
                assert param.field in values


# -- snapshots: the figures the page shows, against independent counts --------------------------

def test_year_end_headline_is_the_run_summary(outcome):
    for year in outcome.roles().values():
        numbers, summary = year.headline(year.days), year.summary
        assert numbers["overload"] == pytest.approx(summary["overload_index_mean"])
        assert numbers["overloaded_share"] == pytest.approx(summary["overloaded_township_share"])
        assert numbers["resolution_days"] * 24 == pytest.approx(summary["resolution_hours_mean"])
        assert numbers["on_time_share"] == pytest.approx(summary["on_time_share"])
        assert numbers["backlog"] == summary["backlog_end"]
        assert numbers["vacancies"] == summary["vacancies_end"]
        assert numbers["posts_townships"] == summary["posts_townships"]
        shares = summary["hours_share"]
        assert numbers["mandatory_share"] == pytest.approx(
            sum(shares[k] for k in ("meetings", "documents", "inspections", "chat_groups")))


def test_replay_day_figures_match_a_model_stopped_on_that_day(outcome):
    """Day 100 of the snapshot against a fresh model of the same settings stepped 100 days."""
    day = 100
    model = locked(make_model, "classroom", seed=1, overrides=list(REFORMS))
    for _ in range(day):
        model.step()
    year = outcome.reform
    load = np.array([t.demand_hours / t.capacity_hours for t in model.townships])
    assert year.overload_by_township(day) == pytest.approx(load)
    assert year.headline(day)["overload"] == pytest.approx(load.mean())
    tasks = task_table(model)
    done = tasks[tasks["kind"].isin(["request", "complex", "utility", "emergency",
                                     "cross_department"]) & (tasks["status"] == "resolved")]
    assert year.headline(day)["resolution_days"] * 24 == pytest.approx(
        done["resolution_hours"].mean())
    assert year.headline(day)["on_time_share"] == pytest.approx(done["deadline_met"].mean())
    assert year.headline(day)["backlog"] == sum(t.backlog for t in model.townships)
    assert year.headline(day)["secondments"] == model.records.secondments_active
    # Complete weeks only: 14 weeks by day 100, summing to the model's hours of days 1-98.
    weekly = year.hours_weekly(day)
    assert all(len(values) == 14 for values in weekly.values())
    model98 = locked(make_model, "classroom", seed=1, overrides=list(REFORMS))
    for _ in range(98):
        model98.step()
    assert sum(values.sum() for values in weekly.values()) == pytest.approx(
        model98.townships.hours.sum())
    model.close()
    model98.close()


def test_headline_before_day_one_is_blank(outcome):
    assert all(math.isnan(value) for value in outcome.reform.headline(0).values())
    assert len(outcome.reform.overload_weekly(6)) == 0


def test_the_reforms_move_the_figures_the_seeds_report(outcome):
    before, after = outcome.baseline.headline(365), outcome.reform.headline(365)
    assert after["secondments"] == 0 < before["secondments"]  # the ban brings secondees home
    assert after["mandatory_share"] < before["mandatory_share"]  # fewer meetings
    assert after["overload"] < before["overload"]


def test_township_display_names():
    zh, en = township_names(["T01", "T02", "Kexuelu"])
    assert zh[:2] == ["东河镇", "西山乡"] and en[:2] == ["Donghe", "Xishan"]
    assert zh[2] == en[2] == "Kexuelu"
    zh, en = township_names([f"T{i:02d}" for i in range(1, 60)])
    assert len(set(zh)) == len(set(en)) == 59


# -- the engine: one owner, caches, release, instant what-if -------------------------------------

def test_outcome_shares_the_seed_and_caches_the_baseline(engine, outcome):
    assert outcome.baseline is engine.year("classroom", 1, ())
    assert outcome.reform.seed == outcome.baseline.seed == 1
    again = engine.outcome("classroom", 1, REFORMS)
    assert again.reform is outcome.reform and again.seconds < 0.05
    alone = engine.outcome("classroom", 1, ())
    assert alone.baseline is alone.reform
    assert list(engine.outcome("classroom", 1, REFORMS, side_by_side=False).roles()) == ["reform"]


@pytest.mark.parametrize("scenario", ["classroom", "puge"])
def test_presets_set_on_a_cached_config_equal_hydra_composition(engine, scenario):
    for lever in LEVERS:
        for preset in lever.presets:
            override = (f"{lever.group}={preset}",)
            fast = engine._config(scenario, override, None)
            slow = locked(compose_config, [f"scenario={scenario}", *override])
            assert OmegaConf.to_container(fast) == OmegaConf.to_container(slow), override


def test_value_overrides_set_on_a_cached_config_equal_hydra_composition(engine):
    overrides = ("policy/posts=sink", "policy.posts.per_township=7",
                 "policy.posts.allocation=population", "policy/coordination=whistle",
                 "policy.coordination.response_deadline_days=null", "policy.pay.premium=0.3")
    fast = engine._config("classroom", overrides, None)
    slow = locked(compose_config, ["scenario=classroom", *overrides])
    assert OmegaConf.to_container(fast) == OmegaConf.to_container(slow)
    assert fast.policy.posts.per_township == 7
    # The cached composition is not touched by the value overrides.
    assert engine._config("classroom", ("policy/posts=sink",), None).policy.posts.per_township \
        == slow.policy.posts.per_township - 7 + 15
    assert engine._config("classroom", (), None).policy.posts.name == "baseline"


def test_replaced_models_are_released_and_the_cache_is_bounded():
    engine = Engine(cache_size=2)
    engine.year("classroom", 1, (), days=5)
    gc.collect()
    before = len(mesa.Agent._ids)
    for seed in range(2, 8):
        engine.year("classroom", seed, (), days=5)
    gc.collect()
    assert len(mesa.Agent._ids) <= before
    assert len(engine._years) == 2
    assert engine.built == 7


def test_an_abandoned_year_is_neither_cached_nor_kept_alive():
    engine = Engine(prefetch=False)
    gc.collect()
    before = len(mesa.Agent._ids)
    calls = []

    def stop():
        calls.append(1)
        return len(calls) > 3  # abandon on the fourth simulated day

    with pytest.raises(Cancelled):
        engine.year("classroom", 11, ("policy/meetings=cut",), days=20, stop=stop)
    gc.collect()
    assert len(calls) == 4 and len(mesa.Agent._ids) <= before
    assert engine.cached("classroom", 11, ("policy/meetings=cut",), days=20) is None
    assert engine.built == 0


def test_the_tidy_after_a_result_waits_for_no_page_year_being_built():
    # A click right after a result must not compute its year beside the collection; the
    # worker's years do not hold the tidy back (it may prepare years for minutes on end).
    engine = Engine(prefetch=False)
    engine.trim_seconds = -1.0
    tidied_during_build = []

    def stop():  # polled between the simulated days of a page's year
        engine._tidy_if_quiet()
        tidied_during_build.append(engine.trim_seconds)
        return False

    engine.year("classroom", 13, ("policy/meetings=cut",), days=3, stop=stop)
    assert engine.skipped_tidies == 3 and tidied_during_build == [-1.0] * 3
    with engine.lock:  # as the worker holds it while it prepares a year
        engine.tidy_soon(delay=0.0)
        deadline = time.monotonic() + 30
        while engine.trim_seconds < 0 and time.monotonic() < deadline:
            time.sleep(0.05)
    assert engine.trim_seconds >= 0.0 and engine.skipped_tidies == 3


def test_the_worker_prepares_the_same_years_a_click_computes():
    worker = Engine(prefetch=True)
    assert worker.ready("classroom", 12, ("policy/meetings=cut",)) is None
    worker.prefetch("classroom", 12, [("policy/meetings=cut",), ("policy/pay=premium",)])
    # A page's own request meanwhile is served first (the worker yields between days).
    mine = worker.outcome("classroom", 12, ("policy/tasks=access_list",))
    deadline = time.monotonic() + 300
    while not worker.idle() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert worker.idle() and worker.prefetched == 2
    ready = worker.ready("classroom", 12, ("policy/meetings=cut",))
    assert ready is not None and ready.seconds == 0.0
    assert ready.baseline is mine.baseline  # the same seed's baseline, computed once
    fresh = Engine(prefetch=False).year("classroom", 12, ("policy/meetings=cut",))
    assert ready.reform.headline(365) == fresh.headline(365)
    assert ready.reform.summary == fresh.summary


@pytest.mark.parametrize(("reforms", "key"), [
    (("policy.tasks.refusal_rate=2",), "policy.tasks.refusal_rate"),
    (("policy/posts=sink", "policy.posts.per_township=60"), "policy.posts.per_township"),
    (("policy/posts=nonexistent",), ""),
    (("policy.posts.per_township=abc",), ""),
])
def test_settings_that_cannot_be_simulated_give_a_localised_message(engine, reforms, key):
    with pytest.raises(SettingsError) as caught:
        engine.year("classroom", 1, reforms, days=5)
    error = caught.value
    assert error.key == key and "\n" not in error.detail
    zh, en = app.error_text(error, "zh"), app.error_text(error, "en")
    assert re.search(r"[\u4e00-\u9fff]", zh) and not re.search(r"[\u4e00-\u9fff]", en)
    if key == "policy.posts.per_township":
        assert zh == tr("error.key.policy.posts.per_township", "zh")
    if key == "policy.tasks.refusal_rate":
        assert tr("param.policy.tasks.refusal_rate", "zh") in zh


def test_negative_seed_is_refused(engine):
    with pytest.raises(SettingsError) as caught:
        engine.year("classroom", -1, (), days=5)
    assert caught.value.key == "seed"
    assert app.error_text(caught.value, "zh") == tr("error.key.seed", "zh")


def test_several_seeds_pair_baseline_and_reform_on_each_seed(engine):
    seeds = [3, 4, 5]
    rows = {row.metric: row for row in compare_seeds(engine, "classroom", seeds,
                                                     ("policy/meetings=cut",))}
    assert set(rows) == set(METRICS)
    diffs = []
    for seed in seeds:
        base = engine.year("classroom", seed, (), cache=False).headline(365)["mandatory_share"]
        cut = engine.year("classroom", seed, ("policy/meetings=cut",),
                          cache=False).headline(365)["mandatory_share"]
        diffs.append(cut - base)
    row = rows["mandatory_share"]
    assert row.runs == 3
    assert (row.difference, row.low, row.high) == pytest.approx(t_interval(np.array(diffs)))
    assert row.high < 0  # cutting meetings lowers the share on every seed


# -- charts ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("day", [0, 3, 100, 365])
def test_every_chart_is_plain_json_with_a_png_button(outcome, lang, day):
    years = outcome.roles()
    for builders in charts.CHARTS.values():
        for build in builders:
            option = build(years, day, lang, big=day == 100)
            json.dumps(option, allow_nan=False)  # what the browser receives
            save = option["toolbox"]["feature"]["saveAsImage"]
            assert save["title"] == tr("export.png", lang)
            assert save["name"].endswith(f"day{day}-{lang}")


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_offered_scenario_draws(engine, scenario):
    year = engine.year(scenario, 1, (), days=14)
    years = {"baseline": year, "reform": year}
    for builders in charts.CHARTS.values():
        for build in builders:
            json.dumps(build(years, 14, "zh"), allow_nan=False)


def test_overload_charts_mark_one_and_name_every_township(outcome):
    years = outcome.roles()
    weekly = charts.overload_time_option(years, 365, "zh")
    assert weekly["series"][-1]["markLine"]["data"] == [{"yAxis": 1}]
    assert weekly["series"][1]["data"][0][1] == pytest.approx(
        outcome.reform.overload_weekly(7)[0], abs=1e-3)
    bars = charts.overload_townships_option(years, 365, "en")
    assert bars["xAxis"][0]["data"] == outcome.reform.names["en"]
    assert bars["series"][1]["data"] == pytest.approx(
        list(outcome.reform.overload_by_township(365)), abs=1e-3)
    assert bars["series"][-1]["markLine"]["data"] == [{"yAxis": 1}]


def test_colours_are_colour_blind_safe_and_roles_differ_in_line_style():
    okabe_ito = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
                 "#999999", "#000000"}
    assert set(charts.ROLE_COLOURS.values()) <= okabe_ito
    tol = {"#117733", "#332288", "#882255"}  # Paul Tol's muted scheme, for the own-work hours
    assert set(charts.HOURS_COLOURS) <= okabe_ito | tol
    assert len(set(charts.HOURS_COLOURS)) == len(HOURS)
    assert charts.ROLE_LINES["baseline"] != charts.ROLE_LINES["reform"]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("n", [1, 4, 13, 14, 24])
def test_map_tiles_never_overlap_and_follow_the_compass(seed, n):
    rng = np.random.default_rng(seed)
    angle, distance = rng.uniform(0, 2 * np.pi, n), rng.uniform(5, 60, n)
    position = np.column_stack([distance * np.cos(angle), distance * np.sin(angle)])
    cells, seat, (columns, rows) = charts.tile_layout(position)
    assert len(set(cells) | {seat}) == n + 1
    assert all(0 <= c < columns and 0 <= r < rows for c, r in [*cells, seat])
    if n >= 4:  # the easternmost township is not west of the westernmost
        east, west = int(np.argmax(position[:, 0])), int(np.argmin(position[:, 0]))
        assert cells[east][0] >= cells[west][0]


def test_map_shows_names_indices_and_villages(outcome):
    option = charts.map_option(outcome.roles(), 365, "zh")
    heat = [s for s in option["series"] if s["type"] == "heatmap"]
    assert len(heat) == 2
    labels = [item["label"]["formatter"] for item in heat[1]["data"]]
    load = outcome.reform.overload_by_township(365)
    for label, name, value, villages in zip(labels, outcome.reform.names["zh"], load,
                                            outcome.reform.villages, strict=True):
        assert label.split("\n") == [name, f"{value:.2f}", "•" * villages]


def test_hours_chart_has_no_start_up_ramp(outcome):
    """Whole weeks only: week 1 is the sum of days 1-7, not a 7-day mean over 1 day."""
    option = charts.hours_option(outcome.roles(), 10, "en")
    service = [s for s in option["series"] if s["stack"] == "reform"][0]
    assert len(service["data"]) == 1
    assert service["data"][0][1] == pytest.approx(
        outcome.reform.daily["hours_service"][:7].sum(), abs=0.5)
    assert len(option["series"]) == 2 * len(HOURS)


def test_secondees_and_vacancies_are_separate_panels(outcome):
    option = charts.staff_option(outcome.roles(), 365, "zh")
    assert [t["text"] for t in option["title"]] == [tr("plot.secondees", "zh"),
                                                     tr("plot.vacancies", "zh")]
    assert {s["xAxisIndex"] for s in option["series"]} == {0, 1}


# -- the page's helpers: numbers, URL, saved scenarios ------------------------------------------

def test_numbers_table_and_changes_follow_the_language(outcome):
    zh, en = app.numbers_html(outcome, 365, "zh"), app.numbers_html(outcome, 365, "en")
    assert tr("metric.overload", "zh") in zh and tr("metric.overload", "en") in en
    assert 'class="xm-backlog-reform"' in zh
    assert "(-100%)" in en  # secondments: none against the baseline's
    assert app.format_change("on_time_share", 0.5, 0.6, "zh")[0] == "+10 个百分点"
    assert app.format_change("on_time_share", 0.5, 0.6, "en") == ("+10 points", "#1a7f37")
    assert app.format_change("backlog", 10, 5, "en") == ("-5 (-50%)", "#1a7f37")


def test_settings_survive_the_url():
    controls = choose_preset(default_controls("typical_county", 7), "secondment", "regulated")
    controls["policy.pay.premium"] = 0.3
    controls["policy.coordination.response_deadline_days"] = 2.5
    query = to_query(controls, {"lang": "en", "presenter": True, "view": "map"})
    back, page = from_query(query)
    assert back == controls
    assert page == {"lang": "en", "presenter": "1", "view": "map"}
    assert from_query(to_query(default_controls()))[0] == default_controls()


@pytest.mark.parametrize("query", ["scenario=nowhere", "seed=-4", "seed=abc", "posts=nowhere",
                                   "pay.premium=7", "pay.premium=x", "posts.allocation=dice",
                                   f"seed={2**40}"])
def test_bad_url_values_are_ignored(query):
    assert from_query(query)[0] == default_controls()


def test_saved_scenarios_are_written_whole(tmp_path):
    path = tmp_path / "saved.json"
    assert store.load(path) == {}
    store.save("禁止借调", "scenario=classroom&secondment=banned", path)
    store.save("meetings", "meetings=cut", path)
    assert store.load(path) == {"禁止借调": "scenario=classroom&secondment=banned",
                                "meetings": "meetings=cut"}
    assert store.delete("meetings", path) == {"禁止借调": "scenario=classroom&secondment=banned"}
    assert [p.name for p in tmp_path.iterdir()] == ["saved.json"]  # no temporary file left
    with pytest.raises(ValueError):
        store.save("  ", "x", path)
    path.write_text("not json", encoding="utf-8")
    assert store.load(path) == {}


# -- text -----------------------------------------------------------------------------------------

def test_every_text_has_both_languages():
    for key, entry in TEXT.items():
        assert set(entry) == set(LANGUAGES), key
        assert all(isinstance(text, str) and text.strip() for text in entry.values()), key


def test_every_key_the_page_names_has_a_text():
    source = "\n".join(p.read_text(encoding="utf-8") for p in DASHBOARD.glob("*.py"))
    literal = set(re.findall(r'tr\("([a-z_.]+)"', source))
    keys = literal | {f"lang.{lang}" for lang in LANGUAGES}
    keys |= {f"scenario.{name}" for name in SCENARIOS} | {f"hours.{name}" for name in HOURS}
    keys |= {f"metric.{name}" for name in METRICS} | {f"view.{name}" for name in app.VIEWS}
    keys |= {f"speed.{name}" for name in app.SPEEDS} | {"role.baseline", "role.reform"}
    for lever in LEVERS:
        keys |= {f"lever.{lever.name}", f"lever.{lever.name}.about"}
        keys |= {f"preset.{lever.name}.{preset}" for preset in lever.presets}
        for param in lever.params:
            keys.add(f"param.{param.key}")
            keys |= {f"choice.{choice}" for choice in param.choices}
    assert len(literal) > 40
    assert sorted(keys - set(TEXT)) == []


# Words a Chinese page may show in Latin letters: units, file names of the reports, the other
# language's name on the language button, and the name of the model.
LATIN_IN_ZH = {"English", "PNG", "seeds", "M", "c", "t"}


def test_chinese_texts_have_no_english_words_and_english_texts_no_stray_chinese():
    for key, entry in TEXT.items():
        shown = re.sub(r"\{[a-z_]+\}", "", entry["zh"])  # placeholders are filled in
        words = set(re.findall(r"[A-Za-z]+", shown)) - LATIN_IN_ZH
        assert not words, (key, words)
        # English texts give a Chinese term only in parentheses beside its English name.
        outside = re.sub(r"\([^)]*\)", "", entry["en"])
        if key != "lang.zh":
            assert not re.search(r"[\u4e00-\u9fff]", outside), key


def test_each_lever_explanation_cites_its_reports():
    for lever in LEVERS:
        for lang in LANGUAGES:
            about = tr(f"lever.{lever.name}.about", lang)
            for source in lever.sources:
                assert source in about, (lever.name, lang, source)


def test_the_lever_list_lives_in_one_place():
    """Only levers.py names the levers in code; the page and charts derive from LEVERS."""
    names = "|".join(lever.name for lever in LEVERS)
    for path in DASHBOARD.glob("*.py"):
        if path.name in ("levers.py", "text.py"):
            continue
        assert not re.search(rf'"policy[/.]({names})', path.read_text(encoding="utf-8")), \
            path.name


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_levers_parameters_open_and_draw(language):
    """Each lever's toggle opens its parameters (sliders, choices, checkboxes) without an error:
    a widget given an argument it does not take broke the whole page once, in a browser only."""
    import ipywidgets
    import solara

    def having(rc, name):
        found, todo = [], list(rc.find(ipywidgets.Widget).widgets)
        while todo:
            widget = todo.pop()
            todo += [c for c in getattr(widget, "children", None) or ()
                     if isinstance(c, ipywidgets.Widget)]
            if name in (getattr(widget, "class_", None) or "").split():
                found.append(widget)
        return found

    for lever in LEVERS:
        preset = lever.reported
        controls = choose_preset(default_controls(), lever.name, preset)
        values = tuple(controls[param.key] for param in lever.params)
        _, rc = solara.render(app.LeverControls(lever, language, preset, values),
                              handle_error=False)
        if lever.params:
            (toggle,) = having(rc, f"xm-more-{lever.name}")
            toggle.click()
            for param in lever.params:
                assert having(rc, f"xm-param-{param.field}"), (lever.name, param.field)
        rc.close()

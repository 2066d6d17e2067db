"""Every config field declared once; every out-of-range value refused in one line naming it.

The bad values are generated from the declarations (sim.analysis.fuzz.malformed_cases), so a
field added later is covered without a new test. They run in-process through the same
``precheck`` the command line calls; a handful also go through ``python -m sim``.
"""

import dataclasses
import math
import subprocess
import sys

import pytest
from omegaconf import MISSING

from sim.analysis import assumptions
from sim.analysis.fuzz import field_types, malformed_cases
from sim.api import CONFIG_DIR, compose_config
from sim.config import (
    Config,
    Spec,
    field_spec,
    iter_fields,
    iter_specs,
    plausible_ranges,
    valid_range,
)
from sim.runners.cli import precheck
from sim.validate import ConfigError, check_value, validate

CASES = malformed_cases()
SCENARIOS = sorted(p.stem for p in (CONFIG_DIR / "scenario").glob("*.yaml"))


def test_every_config_field_has_a_declaration():
    """Guards completeness: a field added without param(...) fails here, by name."""
    undeclared = [key for key, item in iter_fields(Config) if "spec" not in item.metadata]
    assert undeclared == []
    assert len(list(iter_fields(Config))) > 90


@pytest.mark.parametrize("key, spec, default", list(iter_specs()),
                         ids=[key for key, _, _ in iter_specs()])
def test_declaration_is_complete_and_bounded(key, spec, default):
    assert isinstance(spec, Spec) and spec.unit and spec.doc and spec.source
    kind = field_types()[key]
    if kind in ("int", "float", "int | None", "float | None"):
        low, high = valid_range(key)
        # Sizes bounded: no number may be unbounded (NaN and inf are refused by check_value).
        assert low is not None and high is not None and math.isfinite(high), key
        assert low < high
        if spec.plausible is not None:
            p_low, p_high = spec.plausible
            assert low <= p_low <= p_high <= high, key
    else:
        assert spec.plausible is None
    if default is not MISSING and default != MISSING:
        check_value(key, default, spec)  # the schema's own default is valid


def test_field_spec_finds_keys_and_refuses_others():
    assert field_spec("scenario.townships").unit == "townships"
    assert valid_range("scenario.townships") == (1, 300)
    for bad in ("scenario.nothing", "scenario", "policy.posts.per_township.x", "nope"):
        with pytest.raises(KeyError):
            field_spec(bad)


def test_plausible_ranges_are_what_studies_sample():
    ranges = plausible_ranges()
    assert ranges["scenario.requests_per_1000_people_day"] == (0.08, 0.25)
    assert set(plausible_ranges("scenario.")) < set(ranges)
    from sim.analysis.sensitivity import PARAMETERS

    # The sensitivity study samples the declared ranges (one declaration, not two).
    for key, bounds in PARAMETERS.items():
        assert tuple(bounds) == ranges[key], key


def test_typical_county_lies_in_the_plausible_ranges():
    cfg = compose_config(["scenario=typical_county"])
    for key, (low, high) in plausible_ranges("scenario.").items():
        value = assumptions.shown_value(cfg, key)
        assert low <= value <= high, (key, value)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_shipped_scenario_is_valid(scenario):
    validate(compose_config([f"scenario={scenario}"]))


def _params():
    seen: dict[str, int] = {}
    for key, args in CASES:
        seen[key] = seen.get(key, 0) + 1
        # The first three bad values of each field in the fast suite, every one under slow.
        marks = () if seen[key] <= 3 else (pytest.mark.slow,)
        yield pytest.param(key, args, marks=marks, id=" ".join(args)[:80])


@pytest.mark.parametrize("key, args", list(_params()))
def test_out_of_range_value_is_refused_in_one_line(key, args):
    problem = precheck(args)
    assert problem is not None, f"accepted: {args}"
    assert "\n" not in problem and problem.startswith(key), problem
    value = args[-1].split("=", 1)[1].strip("'")
    declared = {k for k, _, _ in iter_specs()}
    if "," not in value and key in declared and args[-1].startswith(key):
        # The line names the value (as read; very long ones shortened) and what is allowed.
        shown = {value if len(value) < 30 else value[:20]}
        try:
            shown |= {str(float(value)), repr(float(value))}
        except ValueError:
            pass
        assert any(v.lower() in problem.lower() for v in shown) or value in (
            "1.5", "abc", "maybe", "2"), problem
        assert "allowed" in problem or "must" in problem or "cannot be met" in problem, problem


def test_every_field_has_generated_bad_values():
    keys = {key for key, _ in CASES}
    assert {key for key, _, _ in iter_specs()} <= keys
    assert len(CASES) >= 500


def test_nan_inf_and_huge_values_from_the_issue_are_refused():
    for args in (["scenario.initial_secondment_months=nan"],
                 ["scenario.overtime_cap_hours_per_day=inf"], ["scenario.complex_share=nan"],
                 ["scenario.deadline_general_days=nan"], ["scenario.counties=0"],
                 ["scenario.request_effort_mean_hours=0"],
                 ["scenario.villages_per_township=1e12"], ["scenario.regular_hours_per_day=0"],
                 ["scenario.request_effort_sigma=inf"], ["scenario.distance_km_max=1e308"],
                 ["policy.posts.per_township=1000000000000"],
                 ["policy.posts.total=1000000000000"],
                 ["+policy.posts._target_=os.system"], ["+scenario.typo=1"],
                 ["scenario.name=" + "x" * 5000]):
        problem = precheck(args)
        key = args[0].lstrip("+").split("=")[0]
        assert problem is not None and problem.startswith(key) and "\n" not in problem, problem


def test_validate_accepts_dataclass_and_dict_forms():
    cfg = compose_config(["scenario=classroom"])
    validate(cfg)
    from sim.api import typed

    validate(typed(cfg))
    plain = dataclasses.asdict(typed(cfg))
    plain["scenario"]["townships"] = float("nan")
    with pytest.raises(ConfigError, match=r"^scenario.townships: nan is not allowed"):
        validate(plain)


@pytest.mark.parametrize("args, key", [
    (["scenario.fill_rate=nan"], "scenario.fill_rate"),
    (["+scenario.typo=1"], "scenario.typo"),
    (["-m", "scenario.townships=2,0", "seed=0,1"], "scenario.townships"),
    (["scenario.name=" + "y" * 400], "scenario.name"),
])
def test_cli_refuses_in_one_line_with_exit_2_and_writes_nothing(tmp_path, args, key):
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "sim", *args, f"hydra.run.dir={out}", f"hydra.sweep.dir={out}"],
        capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {key}"), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not out.exists() and not (tmp_path / "outputs").exists()


def test_assumptions_page_is_current():
    """docs/ASSUMPTIONS.md is generated; regenerate with python -m sim.analysis.assumptions."""
    assert assumptions.PAGE.read_text(encoding="utf-8") == assumptions.render()


def test_assumptions_page_lists_every_field_with_its_range():
    page = assumptions.render()
    for key, spec, _ in iter_specs():
        row = next(line for line in page.splitlines() if line.startswith(f"| `{key}` |"))
        assert spec.range_text().replace("|", "\\|") in row
        if spec.plausible:
            assert " - " in row

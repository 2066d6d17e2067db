"""The lever registry (sim/policies/__init__.py) is the one list of levers: everything agrees."""

from dataclasses import fields
from pathlib import Path

import yaml

from sim.config import PolicyConfig
from sim.policies import BASELINE_PRESETS, LEVER_NAMES, LEVERS

CONFIGS = Path(__file__).resolve().parents[2] / "configs"


def test_every_lever_has_its_config_group_schema_and_default():
    defaults = yaml.safe_load((CONFIGS / "config.yaml").read_text(encoding="utf-8"))["defaults"]
    chosen = {key.split("/", 1)[1]: value for entry in defaults if isinstance(entry, dict)
              for key, value in entry.items() if key.startswith("policy/")}
    assert set(chosen) == set(LEVER_NAMES)  # config.yaml lists every lever, and only those
    assert {f.name for f in fields(PolicyConfig)} == set(LEVER_NAMES)
    for lever in LEVERS:
        assert (CONFIGS / "policy" / lever.name / f"{lever.baseline}.yaml").exists(), lever.name
        assert chosen[lever.name] == lever.baseline  # the default run is the baseline
        assert lever.seeds and all(len(seed) == 3 for seed in lever.seeds)


def test_the_summary_names_every_lever_and_a_baseline_run_is_all_baseline():
    from sim.api import make_model
    from sim.measures.metrics import summarize

    model = make_model("classroom", seed=1, days=5)
    model.run()
    assert summarize(model)["policy"] == BASELINE_PRESETS


def test_every_reform_object_is_built_and_only_declared_hooks_run():
    from sim.api import make_model

    model = make_model("classroom", seed=1, days=2)
    assert list(model.reforms) == list(LEVER_NAMES)
    for reform in model.reforms.values():
        hook = getattr(reform, "start_day", None)
        assert hook is None or callable(hook)


def test_every_reported_reform_preset_exists_and_the_analyses_read_the_registry():
    from sim.analysis.levers import lever_presets

    presets = lever_presets()
    assert set(presets) == {lever.name for lever in LEVERS if lever.reform}
    for name, (baseline, reform) in presets.items():
        assert baseline == BASELINE_PRESETS[name]
        assert (CONFIGS / "policy" / name / f"{reform}.yaml").exists(), (name, reform)

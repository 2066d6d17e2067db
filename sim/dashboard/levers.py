"""The dashboard's controls: one preset and its main parameters for each reform lever.

Each lever is a Hydra config group under ``configs/policy/`` (posts 编制下沉, seeds 000, 002, 004;
secondment 借调, seed 003; meetings 精文减会, seed 004; task access list 准入清单, seeds 001, 002;
township whistles 吹哨报到, seeds 001, 002, 004; pay premium, seed 003). A control is named by its
config key (``policy/secondment`` for the preset, ``policy.posts.per_township`` for a
parameter), so a setting on the page reads the same as on the command line, and
:func:`reforms_from_controls` turns the page's settings into the Hydra overrides of that run.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cache
from typing import Any
from urllib.parse import parse_qsl, urlencode

from omegaconf import OmegaConf

from sim.api import CONFIG_DIR
from sim.config import PolicyConfig, valid_range
from sim.policies import LEVERS as REGISTRY

#: Scenarios offered on the page, smallest first (``configs/scenario/``).
SCENARIOS = ("classroom", "baotou_street", "yangting_town", "typical_county", "puge",
             "henan_county", "qujing_county", "mmc")
DEFAULT_SCENARIO = "classroom"
DEFAULT_SEED = 1


@dataclass(frozen=True)
class Param:
    """A lever's numeric or choice parameter shown as a slider or a select.

    Attributes:
        key: Config key, e.g. ``policy.posts.per_township``.
        kind: ``int``, ``float`` or ``choice``.
        low: Slider minimum.
        high: Slider maximum.
        step: Slider step.
        choices: Options of a ``choice`` parameter.
        zero_is_none: The slider's 0 stands for ``null`` (e.g. no response deadline).
        active_if: ``(field, value)`` of the preset under which the parameter has an effect;
            ``None`` if it always has.
    """

    key: str
    kind: str
    low: float = 0.0
    high: float = 1.0
    step: float = 1.0
    choices: tuple[str, ...] = ()
    zero_is_none: bool = False
    active_if: tuple[str, Any] | None = None

    @property
    def field(self) -> str:
        """The dataclass field the parameter sets (the key's last part)."""
        return self.key.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class Lever:
    """A reform lever: its presets (the first is the pre-reform baseline) and main parameters.

    Attributes:
        name: Config group under ``policy/`` (``posts``, ``secondment``, ...).
        presets: Preset names, baseline first.
        params: Main parameters the page lets the class move.
        sources: Seed reports describing the reform (``seeds/003``).
    """

    name: str
    presets: tuple[str, ...]
    params: tuple[Param, ...]
    sources: tuple[str, ...]

    @property
    def group(self) -> str:
        """The preset's control key, as on the command line (``policy/posts``)."""
        return f"policy/{self.name}"


#: The span (low, high, step) a class explores with each slider: the one place to change it. The
#: slider never leaves the range the validator accepts (``sim.config.valid_range``, from each
#: field's one declaration).
RANGES: dict[str, tuple[float, float, float]] = {
    "policy.posts.per_township": (0, 60, 1),
    "policy.secondment.term_months": (1, 12, 1),
    "policy.secondment.max_cumulative_months": (1, 24, 1),
    "policy.meetings.meeting_cut": (0, 0.9, 0.05),
    "policy.tasks.refusal_rate": (0, 1, 0.05),
    "policy.coordination.response_deadline_days": (0, 10, 0.5),
    "policy.pay.premium": (0, 0.5, 0.05),
    "seed": (0, 2**31 - 1, 1),
}


def _numeric(key: str, kind: str, **extra) -> Param:
    low, high, step = RANGES[key]
    valid_low, valid_high = valid_range(key)
    low = low if valid_low is None else max(low, valid_low)
    high = high if valid_high is None else min(high, valid_high)
    return Param(key, kind, low, high, step, **extra)


#: The main parameters the page shows for each lever (levers not named here show their presets).
MAIN_PARAMS: dict[str, tuple[Param, ...]] = {
    "posts": (
        _numeric("policy.posts.per_township", "int"),
        Param("policy.posts.allocation", "choice", choices=("equal", "population", "workload")),
    ),
    "secondment": (
        _numeric("policy.secondment.term_months", "float", active_if=("mode", "regulated")),
        _numeric("policy.secondment.max_cumulative_months", "float",
                 active_if=("mode", "regulated")),
    ),
    "meetings": (_numeric("policy.meetings.meeting_cut", "float"),),
    "tasks": (_numeric("policy.tasks.refusal_rate", "float", active_if=("access_list", True)),),
    "coordination": (
        _numeric("policy.coordination.response_deadline_days", "float", zero_is_none=True),
    ),
    "pay": (_numeric("policy.pay.premium", "float"),),
}


def _presets(name: str, baseline: str) -> tuple[str, ...]:
    """The presets of ``policy/<name>`` (its YAML files), baseline first."""
    names = sorted(path.stem for path in (CONFIG_DIR / "policy" / name).glob("*.yaml"))
    return (baseline, *[n for n in names if n != baseline])


#: The levers on the page, in the order of the lever registry (:data:`sim.policies.LEVERS`).
LEVERS = tuple(
    Lever(lever.name, _presets(lever.name, lever.baseline), MAIN_PARAMS.get(lever.name, ()),
          tuple(f"seeds/{seed}" for seed in lever.seeds))
    for lever in REGISTRY
)
LEVER_BY_NAME = {lever.name: lever for lever in LEVERS}
_SCHEMAS = {f.name: f.default_factory for f in fields(PolicyConfig)}


@cache
def _preset(lever: str, preset: str) -> tuple[tuple[str, Any], ...]:
    path = CONFIG_DIR / "policy" / lever / f"{preset}.yaml"
    node = OmegaConf.merge(OmegaConf.structured(_SCHEMAS[lever]), OmegaConf.load(path))
    return tuple(OmegaConf.to_container(node).items())


def preset_values(lever: str, preset: str) -> dict[str, Any]:
    """Every field of ``policy/<lever>=<preset>`` (the YAML file over the schema's defaults)."""
    return dict(_preset(lever, preset))


def _slider_value(param: Param, value: Any) -> Any:
    if value is None and param.zero_is_none:
        return 0.0
    if param.kind == "int":
        return int(value)
    if param.kind == "float":
        return float(value)
    return value


def choose_preset(controls: dict[str, Any], lever: str, preset: str) -> dict[str, Any]:
    """The controls with ``lever`` set to ``preset`` and its parameters moved to the preset's."""
    spec = LEVER_BY_NAME[lever]
    values = preset_values(lever, preset)
    new = {**controls, spec.group: preset}
    for param in spec.params:
        new[param.key] = _slider_value(param, values[param.field])
    return new


def default_controls(scenario: str = DEFAULT_SCENARIO, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """Controls of the pre-reform county: every lever at its baseline preset, side by side."""
    controls: dict[str, Any] = {"scenario": scenario, "seed": seed, "side_by_side": True}
    for lever in LEVERS:
        controls = choose_preset(controls, lever.name, lever.presets[0])
    return controls


def is_active(controls: dict[str, Any], lever: str, param: Param) -> bool:
    """Whether ``param`` has any effect under the lever's chosen preset."""
    if param.active_if is None:
        return True
    field, wanted = param.active_if
    return preset_values(lever, controls[LEVER_BY_NAME[lever].group])[field] == wanted


def _format(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{round(value, 6):g}"
    return str(value)


def reforms_from_controls(controls: dict[str, Any]) -> tuple[str, ...]:
    """Hydra overrides of the chosen reforms (``policy/posts=sink``, ``policy.pay.premium=0.3``).

    Presets that differ from the baseline come first, then parameters that differ from their
    preset's value, lever by lever.
    """
    overrides = []
    for lever in LEVERS:
        preset = controls[lever.group]
        if preset != lever.presets[0]:
            overrides.append(f"{lever.group}={preset}")
        values = preset_values(lever.name, preset)
        for param in lever.params:
            value = controls[param.key]
            if param.zero_is_none and not value:
                value = None
            if value != values[param.field]:
                overrides.append(f"{param.key}={_format(value)}")
    return tuple(overrides)


def comparison_kwargs(controls: dict[str, Any]) -> dict[str, Any]:
    """The run the page asks for: scenario, seed, reform overrides, side by side."""
    return {
        "scenario": controls["scenario"],
        "reforms": reforms_from_controls(controls),
        "side_by_side": bool(controls["side_by_side"]),
        "seed": int(controls["seed"]),
    }


#: Query-string names of the page's settings besides the levers.
PAGE_KEYS = ("lang", "presenter", "view", "speed")


def to_query(controls: dict[str, Any], page: dict[str, Any] | None = None) -> str:
    """The settings as a URL query string: only what differs from the defaults.

    ``page`` holds the page's own settings (language, presenter mode, open view).
    """
    default = default_controls(controls["scenario"], controls["seed"])
    pairs = {"scenario": controls["scenario"], "seed": controls["seed"]}
    if not controls.get("side_by_side", True):
        pairs["side_by_side"] = 0
    for lever in LEVERS:
        if controls[lever.group] != default[lever.group]:
            pairs[lever.name] = controls[lever.group]
        preset = choose_preset(default, lever.name, controls[lever.group])
        for param in lever.params:
            if controls[param.key] != preset[param.key]:
                pairs[param.key.removeprefix("policy.")] = _format(controls[param.key])
    for key, value in (page or {}).items():
        pairs[key] = int(value) if isinstance(value, bool) else value
    return urlencode(pairs)


def from_query(query: str | None) -> tuple[dict[str, Any], dict[str, str]]:
    """Controls and page settings from a URL query string; unknown or bad values are ignored.

    Returns:
        ``(controls, page)``: controls as :func:`default_controls` gives them, with the
        query's values applied where they are valid, and the page's own settings as strings.
    """
    pairs = dict(parse_qsl(query or ""))
    scenario = pairs.get("scenario", DEFAULT_SCENARIO)
    if scenario not in SCENARIOS:
        scenario = DEFAULT_SCENARIO
    seed = DEFAULT_SEED
    low, high, _ = RANGES["seed"]
    if pairs.get("seed", "").isdigit() and low <= int(pairs["seed"]) <= high:
        seed = int(pairs["seed"])
    controls = default_controls(scenario, seed)
    controls["side_by_side"] = pairs.get("side_by_side", "1") != "0"
    for lever in LEVERS:
        preset = pairs.get(lever.name)
        if preset in lever.presets:
            controls = choose_preset(controls, lever.name, preset)
        for param in lever.params:
            raw = pairs.get(param.key.removeprefix("policy."))
            if raw is None:
                continue
            if param.kind == "choice":
                if raw in param.choices:
                    controls[param.key] = raw
                continue
            try:
                number = 0.0 if raw == "null" else float(raw)
            except ValueError:
                continue
            if param.low <= number <= param.high:
                controls[param.key] = int(number) if param.kind == "int" else number
    page = {key: pairs[key] for key in PAGE_KEYS if key in pairs}
    return controls, page


def command_line(kwargs: dict[str, Any]) -> str:
    """The ``python -m sim`` command that runs the reformed county of ``kwargs``."""
    return " ".join(["python -m sim", f"scenario={kwargs['scenario']}", f"seed={kwargs['seed']}",
                     *kwargs["reforms"]])

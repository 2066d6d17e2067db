"""The dashboard's controls: the presets and main parameters of every reform lever.

Nothing here names a lever: the levers come from the registry (:data:`sim.policies.LEVERS`),
each lever's presets from its config folder (``configs/policy/<name>/``), its parameters from its
config dataclass (:mod:`sim.config`) and each slider's span from the field's one declaration
(:func:`sim.config.valid_range`). A new lever therefore appears on the page with only its texts
added to :mod:`sim.dashboard.text`. A control is named by its config key
(``policy/secondment`` for the preset, ``policy.posts.per_township`` for a parameter), so a
setting on the page reads the same as on the command line, and :func:`reforms_from_controls`
turns the page's settings into the Hydra overrides of that run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from functools import cache
from typing import Any
from urllib.parse import parse_qsl, urlencode

from omegaconf import OmegaConf

from sim.api import CONFIG_DIR
from sim.config import PolicyConfig, Spec, field_spec, valid_range
from sim.policies import LEVERS as REGISTRY

#: Scenarios offered on the page, smallest first (``configs/scenario/``).
SCENARIOS = ("classroom", "baotou_street", "yangting_town", "typical_county", "puge",
             "henan_county", "qujing_county", "mmc")
DEFAULT_SCENARIO = "classroom"
DEFAULT_SEED = 1


@dataclass(frozen=True)
class Param:
    """A lever's parameter shown as a slider, a select or a switch.

    Attributes:
        key: Config key, e.g. ``policy.posts.per_township``.
        kind: ``int``, ``float``, ``choice`` or ``bool``.
        low: Slider minimum.
        high: Slider maximum.
        step: Slider step.
        choices: Options of a ``choice`` parameter.
        zero_is_none: The slider's 0 stands for ``null`` (e.g. no response deadline).
    """

    key: str
    kind: str
    low: float = 0.0
    high: float = 1.0
    step: float = 1.0
    choices: tuple[str, ...] = ()
    zero_is_none: bool = False

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
        reported: The preset of the reform as the reports describe it (the registry's).
    """

    name: str
    presets: tuple[str, ...]
    params: tuple[Param, ...]
    sources: tuple[str, ...]
    reported: str = ""

    @property
    def group(self) -> str:
        """The preset's control key, as on the command line (``policy/posts``)."""
        return f"policy/{self.name}"


#: The seed box's range (the page keeps seeds a 32-bit signed integer holds).
SEED_RANGE = (0, 2**31 - 1)
#: A slider stops at twice the largest plausible or preset value when the validator's range is
#: open or more than this many times wider (``per_township`` accepts up to 5,000).
WIDE = 10


def _nice(value: float, up: bool) -> float:
    """``value`` rounded to 1, 2 or 5 times a power of ten (up or down)."""
    if value <= 0:
        return 0.0
    power = 10 ** math.floor(math.log10(value))
    steps = (1, 2, 5, 10) if up else (10, 5, 2, 1)
    for mantissa in steps:
        if (up and mantissa * power >= value * (1 - 1e-9)) or \
                (not up and mantissa * power <= value * (1 + 1e-9)):
            return float(mantissa * power)
    return float(power)


def _kind(schema: type, name: str, spec: Spec) -> str:
    if spec.allowed() is not None:
        return "choice"
    if spec.unit == "yes/no":
        return "bool"
    annotation = {f.name: f.type for f in fields(schema)}[name]
    return "int" if str(annotation).split("|")[0].strip() == "int" else "float"


def make_param(lever: str, name: str, preset_values: list[dict[str, Any]]) -> Param:
    """The control of ``policy.<lever>.<name>``, from the field's one declaration.

    The slider spans the range the validator accepts (:func:`sim.config.valid_range`); where
    that range is open or more than :data:`WIDE` times the largest plausible or preset value,
    it stops at twice that value (still inside the valid range). A nullable field whose range
    excludes 0 shows ``null`` as 0 (no deadline, never).
    """
    key = f"policy.{lever}.{name}"
    spec = field_spec(key)
    kind = _kind(_SCHEMAS[lever], name, spec)
    if kind == "choice":
        return Param(key, kind, choices=tuple(spec.allowed()))
    if kind == "bool":
        return Param(key, kind, 0, 1, 1)
    low, high = valid_range(key)
    values = [abs(v[name]) for v in preset_values if isinstance(v[name], (int, float))]
    reference = max([*values, *(abs(x) for x in spec.plausible or ())], default=0.0)
    if reference > 0 and (high is None or high > WIDE * reference):
        cap = _nice(2 * reference, up=True)
        high = cap if high is None else min(high, cap)
    if high is None:
        high = 1.0
    low = 0.0 if low is None else float(low)
    step = _nice((high - low) / 100, up=False)
    if kind == "int":
        step = max(1.0, step)
    zero_is_none = spec.nullable  # null (never, none) is shown as 0
    if zero_is_none:
        low = 0.0
    elif spec.gt is not None:
        low = low + step
    return Param(key, kind, low, float(high), step, zero_is_none=zero_is_none)


def _shown(lever: str, presets: tuple[str, ...]) -> tuple[Param, ...]:
    """The parameters of a lever the page shows, in declaration order.

    Those its presets set to different values, and those a seed report gives a figure for
    (their declared source names ``seed 00x``): what a class would want to move.
    """
    values = [preset_values(lever, preset) for preset in presets]
    shown = []
    for item in fields(_SCHEMAS[lever]()):
        if item.name == "name" or "spec" not in item.metadata:
            continue
        kind = _kind(_SCHEMAS[lever], item.name, item.metadata["spec"])
        scalar = bool if kind == "bool" else str if kind == "choice" else (int, float)
        if not all(v[item.name] is None or isinstance(v[item.name], scalar) for v in values):
            continue  # not a number, switch or choice: no control for it
        differs = len({repr(v[item.name]) for v in values}) > 1
        if differs or "seed" in item.metadata["spec"].source:
            shown.append(make_param(lever, item.name, values))
    return tuple(shown)


_SCHEMAS = {f.name: f.default_factory for f in fields(PolicyConfig)}


def _presets(name: str, baseline: str) -> tuple[str, ...]:
    """The presets of ``policy/<name>`` (its YAML files), baseline first."""
    names = sorted(path.stem for path in (CONFIG_DIR / "policy" / name).glob("*.yaml"))
    return (baseline, *[n for n in names if n != baseline])


@cache
def _preset(lever: str, preset: str) -> tuple[tuple[str, Any], ...]:
    path = CONFIG_DIR / "policy" / lever / f"{preset}.yaml"
    node = OmegaConf.merge(OmegaConf.structured(_SCHEMAS[lever]), OmegaConf.load(path))
    return tuple(OmegaConf.to_container(node).items())


def preset_values(lever: str, preset: str) -> dict[str, Any]:
    """Every field of ``policy/<lever>=<preset>`` (the YAML file over the schema's defaults)."""
    return dict(_preset(lever, preset))


def _make_levers() -> tuple[Lever, ...]:
    levers = []
    for lever in REGISTRY:
        presets = _presets(lever.name, lever.baseline)
        levers.append(Lever(lever.name, presets, _shown(lever.name, presets),
                            tuple(f"seeds/{seed}" for seed in lever.seeds), lever.reform))
    return tuple(levers)


#: The levers on the page, in the order of the lever registry (:data:`sim.policies.LEVERS`),
#: each with its presets (its config folder) and parameters (its config dataclass).
LEVERS = _make_levers()
LEVER_BY_NAME = {lever.name: lever for lever in LEVERS}


def _slider_value(param: Param, value: Any) -> Any:
    if value is None:
        return 0 if param.kind == "int" else 0.0
    if param.kind == "int":
        return int(value)
    if param.kind == "float":
        return float(value)
    if param.kind == "bool":
        return bool(value)
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


def neighbours(controls: dict[str, Any]) -> list[tuple[str, ...]]:
    """The reform overrides one preset click away, the likeliest first.

    Each lever turned to its reported preset (registry order), then each lever turned back to
    its baseline, then every other preset: what the engine prepares in the background while
    the class looks at the current result.
    """
    on, off, rest = [], [], []
    for lever in LEVERS:
        for preset in lever.presets:
            if preset == controls[lever.group]:
                continue
            reforms = reforms_from_controls(choose_preset(controls, lever.name, preset))
            if preset == lever.reported:
                on.append(reforms)
            elif preset == lever.presets[0]:
                off.append(reforms)
            else:
                rest.append(reforms)
    return on + off + rest


def shown_marker(scenario: str, seed: int, reforms: tuple[str, ...], side_by_side: bool) -> str:
    """What the page's results show, as one line (the page keeps it in a hidden ``.xm-shown``).

    Browser tests and the measurement scripts wait for it to know that a click's year is on
    the page.
    """
    return " ".join([scenario, str(seed), *reforms, "side" if side_by_side else "alone"])


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
    low, high = SEED_RANGE
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
            if param.kind == "bool":
                if raw in ("true", "false"):
                    controls[param.key] = raw == "true"
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

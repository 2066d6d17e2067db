"""The dashboard's controls: one preset and its main parameters for each reform lever.

Each lever is a Hydra config group under ``configs/policy/`` (posts 编制下沉, seeds 000, 002, 004;
secondment 借调, seed 003; meetings 精文减会, seed 004; task access list 准入清单, seeds 001, 002;
township whistles 吹哨报到, seeds 001, 002, 004; pay premium, seed 003). A control is named by its
config key (``policy/secondment`` for the preset, ``policy.posts.per_township`` for a
parameter), so a setting on the page reads the same as on the command line, and
:func:`reforms_from_controls` turns the page's settings into the Hydra overrides of that run.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from omegaconf import OmegaConf

from sim.api import CONFIG_DIR
from sim.config import (
    CoordinationPolicy,
    MeetingsPolicy,
    PayPolicy,
    PostsPolicy,
    SecondmentPolicy,
    TasksPolicy,
)

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


LEVERS = (
    Lever("posts", ("baseline", "sink", "henan", "qujing", "puge"), (
        Param("policy.posts.per_township", "int", 0, 60, 1),
        Param("policy.posts.allocation", "choice", choices=("equal", "population", "workload")),
    ), ("seeds/000", "seeds/002", "seeds/004")),
    Lever("secondment", ("unregulated", "regulated", "banned"), (
        Param("policy.secondment.term_months", "float", 1, 12, 1, active_if=("mode", "regulated")),
        Param("policy.secondment.max_cumulative_months", "float", 1, 24, 1,
              active_if=("mode", "regulated")),
    ), ("seeds/003",)),
    Lever("meetings", ("baseline", "cut"), (
        Param("policy.meetings.meeting_cut", "float", 0, 0.9, 0.05),
    ), ("seeds/004",)),
    Lever("tasks", ("baseline", "access_list"), (
        Param("policy.tasks.refusal_rate", "float", 0, 1, 0.05, active_if=("access_list", True)),
    ), ("seeds/001", "seeds/002")),
    Lever("coordination", ("buck_passing", "whistle"), (
        Param("policy.coordination.response_deadline_days", "float", 0, 10, 0.5,
              zero_is_none=True),
    ), ("seeds/001", "seeds/002", "seeds/004")),
    Lever("pay", ("baseline", "premium"), (
        Param("policy.pay.premium", "float", 0, 0.5, 0.05),
    ), ("seeds/003",)),
)
LEVER_BY_NAME = {lever.name: lever for lever in LEVERS}
_SCHEMAS = {"posts": PostsPolicy, "secondment": SecondmentPolicy, "meetings": MeetingsPolicy,
            "tasks": TasksPolicy, "coordination": CoordinationPolicy, "pay": PayPolicy}


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
    """Keyword arguments of :class:`~sim.dashboard.comparison.Comparison` for ``controls``."""
    return {
        "scenario": controls["scenario"],
        "reforms": reforms_from_controls(controls),
        "side_by_side": bool(controls["side_by_side"]),
        "seed": int(controls["seed"]),
    }


def command_line(kwargs: dict[str, Any]) -> str:
    """The ``python -m sim`` command that runs the reformed county of ``kwargs``."""
    return " ".join(["python -m sim", f"scenario={kwargs['scenario']}", f"seed={kwargs['seed']}",
                     *kwargs["reforms"]])

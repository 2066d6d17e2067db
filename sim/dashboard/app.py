"""The teaching dashboard page: ``solara run sim/dashboard/app.py`` (``make dashboard``).

Mesa's SolaraViz plays, steps and resets a :class:`~sim.dashboard.comparison.Comparison`, a
baseline county and the same county under the chosen reforms on the same citizen demand, and
lays out the views of :mod:`sim.dashboard.views`. The sidebar adds the scenario, the seed and the
six reform levers of the seed reports (``seeds/000`` to ``seeds/004``), each with what the reform
is and which report describes it, in Chinese or English. Changing a setting builds a new
comparison from day 0 and hands it to SolaraViz (play goes on with the new one).

SolaraViz's Reset rebuilds the model as ``type(model)(**params)`` from the parameters it captured
at its first render, so the page passes no parameters and binds the current settings to the
model's class instead (:func:`comparison_class`): Reset then restarts the current settings.
"""

from __future__ import annotations

from typing import Any

import solara
from mesa.visualization import SolaraViz

from sim.dashboard.comparison import Comparison
from sim.dashboard.levers import (
    LEVERS,
    SCENARIOS,
    Lever,
    Param,
    choose_preset,
    comparison_kwargs,
    default_controls,
    is_active,
)
from sim.dashboard.text import LANGUAGES, tr
from sim.dashboard.views import VIEWS, language

# Per browser session (Solara scopes module-level reactive variables to the session).
controls = solara.reactive(default_controls())
play_interval = solara.reactive(100)
render_interval = solara.reactive(1)

SMALL = {"font-size": "12px", "color": "#555", "line-height": "1.35"}


def comparison_class(kwargs: dict[str, Any]) -> type[Comparison]:
    """A :class:`Comparison` class whose constructor defaults to ``kwargs`` (see the module)."""
    settings = dict(kwargs)

    class PageComparison(Comparison):
        def __init__(self, **kwargs):
            super().__init__(**{**settings, **kwargs})

    PageComparison.__name__ = PageComparison.__qualname__ = "Comparison"
    return PageComparison


def _update(key: str, value: Any) -> None:
    controls.set({**controls.value, key: value})


def _reset_levers() -> None:
    values = controls.value
    controls.set({**default_controls(values["scenario"], values["seed"]),
                  "side_by_side": values["side_by_side"]})


@solara.component
def CommitSlider(label: str, value: float, param: Param, disabled: bool, on_commit):
    """A slider that moves freely and reports its value once released (one rebuild, not many)."""
    draft, set_draft = solara.use_state(value)
    solara.use_effect(lambda: set_draft(value), [value])
    shown = f"{draft:g}" if not (param.zero_is_none and draft == 0) else "–"
    solara.Text(f"{label}: {shown}", style=SMALL if disabled else {"font-size": "13px"})
    slider = solara.v.Slider(
        v_model=draft, on_v_model=set_draft, min=param.low, max=param.high, step=param.step,
        thumb_label=True, hide_details=True, disabled=disabled, dense=True,
        class_=f"xm-slider xm-param-{param.field}",
    )

    def commit(*args):
        number = args[-1]
        on_commit(int(number) if param.kind == "int" else float(number))

    solara.v.use_event(slider, "change", commit)


@solara.component
def LeverControls(lever: Lever):
    """One lever: its presets, its main parameters, what it is and which report describes it."""
    lang = language.value
    values = controls.value
    with solara.Column(gap="2px", classes=[f"xm-lever-{lever.name}"]):
        solara.Text(tr(f"lever.{lever.name}", lang), style={"font-weight": "bold"})
        with solara.ToggleButtonsSingle(
            value=values[lever.group],
            on_value=lambda preset: controls.set(choose_preset(controls.value, lever.name, preset)),
            dense=True,
        ):
            for preset in lever.presets:
                solara.Button(tr(f"preset.{lever.name}.{preset}", lang), value=preset,
                              classes=[f"xm-preset-{lever.name}-{preset}"])
        for param in lever.params:
            label = tr(f"param.{param.key}", lang)
            active = is_active(values, lever.name, param)
            if not active:
                label += " " + tr("inactive", lang)
            if param.kind == "choice":
                solara.v.Select(
                    label=label, v_model=values[param.key],
                    items=[{"text": tr(f"choice.{c}", lang), "value": c} for c in param.choices],
                    on_v_model=lambda choice, key=param.key: _update(key, choice),
                    dense=True, hide_details=True, disabled=not active,
                )
            else:
                CommitSlider(label, values[param.key], param, not active,
                             lambda number, key=param.key: _update(key, number))
        solara.Text(tr(f"lever.{lever.name}.about", lang), style=SMALL)


@solara.component
def Settings(error: str | None):
    """The sidebar cards of the page's own settings (below SolaraViz's Controls)."""
    lang = language.value
    values = controls.value
    with solara.Sidebar():
        with solara.Card(tr("panel.setup", lang)):
            solara.Text(tr("intro", lang), style=SMALL)
            solara.v.Select(
                label=tr("scenario", lang), v_model=values["scenario"],
                items=[{"text": tr(f"scenario.{s}", lang), "value": s} for s in SCENARIOS],
                on_v_model=lambda name: _update("scenario", name), hide_details=True,
                class_="xm-scenario",
            )
            solara.InputInt(tr("seed", lang), value=values["seed"],
                            on_value=lambda seed: _update("seed", seed))
            solara.Switch(label=tr("side_by_side", lang), value=values["side_by_side"],
                          on_value=lambda on: _update("side_by_side", on))
            solara.Text(tr("speed.help", lang), style=SMALL)
            if error:
                solara.Error(f"{tr('error', lang)} {error}")
        with solara.Card(tr("panel.levers", lang)):
            solara.Button(tr("levers.reset", lang), on_click=_reset_levers, outlined=True,
                          small=True, classes=["xm-reset-levers"])
            with solara.Column(gap="14px"):
                for lever in LEVERS:
                    LeverControls(lever)


@solara.component
def SettingsSidebar(error: str | None):
    """Nests :func:`Settings` one level deeper than SolaraViz's sidebar, so it shows below it."""
    Settings(error)


@solara.component
def LanguageToggle():
    """中文 / English in the app bar."""
    with solara.ToggleButtonsSingle(value=language, dense=True, classes=["xm-language"]):
        for lang in LANGUAGES:
            solara.Button(tr(f"lang.{lang}", lang), value=lang, text=True)


@solara.component
def Page():
    """The dashboard: SolaraViz of the comparison, the settings and the language toggle."""
    lang = language.value
    kwargs = comparison_kwargs(controls.value)
    model = solara.use_memo(lambda: comparison_class(kwargs)(),
                            dependencies=[repr(sorted(kwargs.items()))])

    with solara.AppBar():
        LanguageToggle()
    SettingsSidebar(model.error)
    SolaraViz(
        model,
        components=VIEWS,
        play_interval=play_interval,
        render_interval=render_interval,
        name=tr("title", lang),
    )

"""The teaching page: ``solara run sim/dashboard/app.py --no-check-version`` (``make dashboard``).

A teacher-first page on Solara, without Mesa's SolaraViz shell: nothing on the page steps a
model. Each change of a setting asks :data:`~sim.dashboard.engine.ENGINE` (the one owner of
the models) for the finished year of the baseline and of the reformed county on the same seed,
and every chart draws from those finished snapshots up to the replay day. Play only moves the
replay day forward, so a chart can never read a model half-way through a day, and a setting
changed at any moment simply swaps the snapshots.

Fast by construction: a year the engine holds (the baseline, or a preset the background worker
prepared) is shown in the same update as the click; any other year is computed on a thread
while the page shows the previous result dimmed with a "computing" sign, and a newer click
abandons it. Each part of the page is its own component that redraws only when its own inputs
change (a lever click redraws that lever's buttons and, once the year is there, the results),
and the address bar is updated in the browser without a round trip.

Every visible word comes from :mod:`sim.dashboard.text` in Chinese or English; the settings live
in the URL (a link reopens the same page), and a small client helper reloads the page when the
server comes back after a restart.
"""

from __future__ import annotations

import html
import math
import os
import threading
import time
from typing import Any

import ipyvue
import solara
import traitlets

from sim.dashboard import store
from sim.dashboard.charts import CHARTS
from sim.dashboard.engine import ENGINE, Cancelled, Outcome, SettingsError, compare_seeds
from sim.dashboard.levers import (
    LEVERS,
    SCENARIOS,
    Lever,
    Param,
    choose_preset,
    command_line,
    comparison_kwargs,
    default_controls,
    from_query,
    neighbours,
    shown_marker,
    to_query,
)
from sim.dashboard.snapshot import LOWER_IS_BETTER, METRICS
from sim.dashboard.text import LANGUAGES, TEXT, tr

#: Replay speeds: milliseconds between updates and days per update. Faster updates than about
#: five a second queue up in the browser (each redraws the cards and a chart), so the fast
#: speeds move more days per update instead.
SPEEDS = {"slow": (500, 1), "normal": (250, 2), "fast": (200, 4), "fastest": (200, 7)}
VIEWS = ("overload", "map", "hours", "backlog", "staff", "numbers", "seeds", "share")
#: Headline measures shown as cards above the charts (all of them are in "All numbers").
CARDS = ("overload", "resolution_days", "on_time_share", "mandatory_share", "secondments")
SEED_COUNTS = (5, 10, 20)


def _warm_up() -> None:
    """Load the compiled kernels and Hydra once, before the first visitor (about 2-5 s)."""
    try:
        ENGINE.outcome("classroom", 1, ())
    except Exception:  # noqa: BLE001 - a failed warm-up only costs the first visitor time
        pass


threading.Thread(target=_warm_up, name="dashboard-warm-up", daemon=True).start()


def _log_stats(every: float) -> None:
    """Print the engine's :meth:`~sim.dashboard.engine.Engine.stats` every ``every`` seconds."""
    import json
    import sys

    while True:
        print("XM-STATS " + json.dumps({"t": round(time.time(), 2), **ENGINE.stats()}),
              file=sys.stderr, flush=True)
        time.sleep(every)


if os.environ.get("XIAOMA_DASHBOARD_STATS"):  # experiments/classroom/measure_memory.py
    threading.Thread(target=_log_stats, args=(float(os.environ["XIAOMA_DASHBOARD_STATS"]),),
                     name="dashboard-stats", daemon=True).start()

# Per browser session (Solara scopes module-level reactive variables to the session).
lang = solara.reactive("zh")
presenter = solara.reactive(False)
controls = solara.reactive(default_controls())
day = solara.reactive(-1)  # -1: the whole year
playing = solara.reactive(False)
speed = solara.reactive("normal")
view = solara.reactive("overload")
seed_count = solara.reactive(10)
seed_rows = solara.reactive(None)  # (settings key, rows)
seed_progress = solara.reactive("")
saved_version = solara.reactive(0)
shown = solara.reactive(None)  # (settings key, Outcome or None, SettingsError or None)
busy = solara.reactive(None)  # settings key being computed, or None


#: Style sheet the client helper puts in the document head: it outlives the app's own widgets,
#: so Solara's English connection messages stay hidden even while the app is unmounted.
CLIENT_CSS = """
.v-overlay[style*="100002"], .v-overlay[style*="100001"] { display: none !important; }
.v-alert.warning[style*="z-index: 100"] { display: none !important; }
.v-dialog__content { display: none !important; }
#xm-down { position: fixed; top: 0; left: 0; right: 0; z-index: 300000; background: #b3261e;
  color: #fff; padding: 10px; font-size: 18px; text-align: center; }
"""


class Client(ipyvue.VueTemplate):
    """Browser-side helper: keeps the settings in the address bar, reloads after a restart.

    When ``query`` changes it replaces the address's query string in the browser (no round
    trip to the server, no redraw); ``base`` reports the page's address without it. Once per
    page it starts a timer on the window (not on this widget, which Solara unmounts when the
    connection drops): every 1.5 s it asks the server's ``/readyz``; when an answer fails it
    shows ``message`` (the page's language) in a banner, and when the server answers again it
    reloads the page, whose address holds every setting.
    """

    message = traitlets.Unicode("").tag(sync=True)
    query = traitlets.Unicode("").tag(sync=True)
    base = traitlets.Unicode("").tag(sync=True)
    css = traitlets.Unicode(CLIENT_CSS).tag(sync=True)
    template = traitlets.Unicode("""
<template>
  <span class="xm-client"></span>
</template>
<script>
module.exports = {
  mounted() {
    const self = this;
    window.xmClient = self;
    window.xmMessage = self.message;
    self.$watch('message', function (value) { window.xmMessage = value; });
    self.base = window.location.origin + window.location.pathname;
    const address = function (query) {
      if (query && window.location.search !== '?' + query) {
        window.history.replaceState(window.history.state, '', '?' + query);
      }
    };
    address(self.query);
    self.$watch('query', address);
    if (!document.getElementById('xm-client-css')) {
      const style = document.createElement('style');
      style.id = 'xm-client-css';
      style.textContent = self.css;
      document.head.appendChild(style);
    }
    if (window.xmTimer) { return; }
    const root = (window.solara && window.solara.rootPath) || '';
    window.xmTimer = setInterval(async function () {
      let ok = false;
      try {
        const answer = await fetch(root + '/readyz', {cache: 'no-store'});
        ok = answer.ok;
      } catch (error) {
        ok = false;
      }
      if (!ok) {
        let banner = document.getElementById('xm-down');
        if (!banner) {
          banner = document.createElement('div');
          banner.id = 'xm-down';
          banner.className = 'xm-down';
          document.body.appendChild(banner);
        }
        banner.textContent = window.xmMessage;
        window.xmWasDown = true;
        return;
      }
      if (window.xmWasDown) { window.location.reload(); return; }
    }, 1500);
  },
  beforeDestroy() {
    if (window.xmClient === this) { window.xmClient = null; }
  },
};
</script>
""").tag(sync=True)


def _set(key: str, value: Any) -> None:
    controls.set({**controls.value, key: value})


def _settings_key(values: dict[str, Any]) -> tuple:
    kwargs = comparison_kwargs(values)
    return (kwargs["scenario"], kwargs["seed"], kwargs["reforms"], kwargs["side_by_side"])


def compute(values: dict[str, Any]) -> tuple[Outcome | None, SettingsError | None]:
    """The year of baseline and reform for the page's settings, or why it cannot be had."""
    kwargs = comparison_kwargs(values)
    try:
        return ENGINE.outcome(kwargs["scenario"], kwargs["seed"], kwargs["reforms"],
                              kwargs["side_by_side"]), None
    except SettingsError as error:
        return None, error


def error_text(error: SettingsError, language: str) -> str:
    """A setting error in ``language``: what to change, by the key at fault."""
    for key in (f"error.key.{error.key}", f"error.key.{error.key.rsplit('.', 1)[0]}"):
        if error.key and key in TEXT:
            return tr(key, language)
    if not error.key:
        return tr("error.unknown", language)
    label = f"param.{error.key}"
    return tr("error.generic", language, name=tr(label, language) if label in TEXT else error.key)


def format_value(metric: str, value: float, language: str) -> str:
    """A headline value with its unit."""
    if not math.isfinite(value):
        return "–"
    if metric.endswith("_share"):
        return f"{value:.0%}"
    if metric == "overload":
        return f"{value:.2f}"
    if metric == "resolution_days":
        return f"{value:.2f}"
    return f"{value:.0f}"


def format_change(metric: str, before: float, after: float, language: str) -> tuple[str, str]:
    """The change from ``before`` to ``after`` and its colour (green better, red worse)."""
    if not (math.isfinite(before) and math.isfinite(after)):
        return "", "#555"
    delta = after - before
    if metric.endswith("_share"):
        text = f"{delta * 100:+.0f} {tr('unit.points', language)}"
    elif before:
        digits = 2 if metric in ("overload", "resolution_days") else 0
        text = f"{delta:+.{digits}f} ({delta / abs(before):+.0%})"
    else:
        text = f"{delta:+.0f}"
    colour = "#555"
    if abs(delta) > 1e-9 and metric in LOWER_IS_BETTER:
        colour = "#1a7f37" if delta < 0 else "#b3261e"
    elif abs(delta) > 1e-9 and metric == "on_time_share":
        colour = "#1a7f37" if delta > 0 else "#b3261e"
    return text, colour


def numbers_html(outcome: Outcome, when: int, language: str) -> str:
    """Every headline measure at day ``when`` as an HTML table, one column per role."""
    years = outcome.roles()
    numbers = {role: year.headline(when) for role, year in years.items()}
    head = "".join(f"<th>{html.escape(tr(f'role.{role}', language))}</th>" for role in years)
    if len(years) > 1:
        head += f"<th>{html.escape(tr('change', language))}</th>"
    rows = []
    for metric in METRICS:
        cells = "".join(f'<td class="xm-{metric}-{role}">'
                        f"{format_value(metric, numbers[role][metric], language)}</td>"
                        for role in years)
        if len(years) > 1:
            text, colour = format_change(metric, numbers["baseline"][metric],
                                         numbers["reform"][metric], language)
            cells += f'<td style="color:{colour}">{html.escape(text)}</td>'
        rows.append(f"<tr><th>{html.escape(tr(f'metric.{metric}', language))}</th>{cells}</tr>")
    return (f"<table><thead><tr><th>{html.escape(tr('metric', language))}</th>{head}</tr>"
            f"</thead><tbody>{''.join(rows)}</tbody></table>")


def css(big: bool) -> str:
    """The page's style sheet; presenter mode scales the type up."""
    scale = 1.45 if big else 1.0
    return f"""
html, body, .v-application {{ background: #fff !important; color: #222 !important; }}
.xm-root {{ font-size: {14 * scale:.0f}px; position: fixed; inset: 0; overflow: hidden;
  background: #fff; z-index: 5; }}
.xm-top {{ background: #f4f1ea; border-bottom: 1px solid #ddd; padding: 4px 12px;
  align-items: center; min-height: 44px; }}
.xm-title {{ font-size: {18 * scale:.0f}px; font-weight: bold; }}
.xm-body {{ height: calc(100vh - 52px); flex-wrap: nowrap !important; }}
.xm-left > *, .xm-main > * {{ flex: 0 0 auto !important; }}
.xm-left {{ width: {340 * min(scale, 1.25):.0f}px; min-width: 300px; flex: 0 0 auto;
  overflow-y: auto; padding: 6px 10px; border-right: 1px solid #ddd; }}
.xm-main {{ flex: 1 1 auto; min-width: 0; overflow-y: auto; padding: 4px 10px; }}
.xm-lever-row {{ flex-wrap: nowrap !important; align-items: center;
  min-height: {22 * scale:.0f}px; }}
.xm-lever-name {{ flex: 0 0 {100 * min(scale, 1.3):.0f}px; font-weight: bold;
  font-size: {11 * scale:.0f}px; line-height: 1.0; overflow: hidden; display: -webkit-box;
  -webkit-line-clamp: 2; -webkit-box-orient: vertical; }}
.xm-presets {{ flex: 1 1 auto; flex-wrap: wrap; }}
.xm-left .v-btn-toggle {{ flex-wrap: wrap; }}
.xm-left .v-btn {{ font-size: {12 * scale:.0f}px !important; text-transform: none; }}
.xm-left .v-btn.v-size--default {{ height: {20 * scale:.0f}px !important;
  min-width: 0 !important; padding: 0 6px !important; }}
.xm-params {{ padding: 2px 0 6px {12 * scale:.0f}px; border-left: 2px solid #ddd; }}
.xm-intro {{ margin-bottom: 10px; }}
@media (max-height: 900px) {{ .xm-intro {{ display: none; }} }}
.xm-small {{ font-size: {12 * scale:.0f}px; color: #555; line-height: 1.35; }}
.xm-cards {{ flex-wrap: wrap; }}
.xm-card {{ border: 1px solid #ddd; border-radius: 6px; padding: 4px 8px; min-width: 120px;
  flex: 1 1 120px; }}
.xm-card-name {{ font-size: {12 * scale:.0f}px; color: #444; }}
.xm-card-value {{ font-size: {17 * scale:.0f}px; font-weight: bold; white-space: nowrap; }}
.xm-numbers table {{ border-collapse: collapse; width: 100%; font-size: {14 * scale:.0f}px; }}
.xm-numbers th, .xm-numbers td {{ padding: 3px 8px; border-bottom: 1px solid #e0e0e0;
  text-align: right; white-space: nowrap; }}
.xm-numbers th:first-child {{ text-align: left; font-weight: normal; white-space: normal; }}
.xm-command {{ font-family: monospace; font-size: 12px; word-break: break-all; }}
.v-tab {{ text-transform: none !important; font-size: {14 * scale:.0f}px !important; }}
.xm-bar {{ align-items: center; flex-wrap: wrap; }}
.xm-bar .v-btn {{ text-transform: none; font-size: {13 * scale:.0f}px !important; }}
.xm-definition {{ background: #f7f7f7; border-left: 4px solid #0072B2; padding: 4px 8px;
  font-size: {13 * scale:.0f}px; }}
div[style*="bottom: 0px; padding: 10px"] {{ display: none !important; }}
.xm-pair {{ flex-wrap: wrap; }}
.xm-pair > div {{ flex: 1 1 420px; min-width: 0; }}
.xm-error {{ color: #b3261e; font-weight: bold; }}
.xm-hidden {{ display: none !important; height: 0; }}
"""


def _commit(key: str, kind: str, number: Any) -> None:
    _set(key, int(number) if kind == "int" else float(number))


@solara.component
def CommitSlider(label: str, value: float, param: Param):
    """A slider that moves freely and reports its value once released (one year, not many)."""
    draft, set_draft = solara.use_state(value)
    solara.use_effect(lambda: set_draft(value), [value])
    shown_value = f"{draft:g}" if not (param.zero_is_none and draft == 0) else "–"
    solara.Text(f"{label}: {shown_value}", classes=["xm-small"])
    slider = solara.v.Slider(
        v_model=draft, on_v_model=set_draft, min=param.low, max=param.high, step=param.step,
        hide_details=True, dense=True, class_=f"xm-slider xm-param-{param.field}",
    )
    solara.v.use_event(slider, "change", lambda *args: _commit(param.key, param.kind, args[-1]))


def _param_label(key: str, language: str) -> str:
    """A parameter's name (its key when a new lever's text is still missing)."""
    label = f"param.{key}"
    return tr(label, language) if label in TEXT else key.rsplit(".", 1)[-1]


def _choice_label(choice: str, language: str) -> str:
    label = f"choice.{choice}"
    return tr(label, language) if label in TEXT else choice


def _text_or(key: str, language: str, fallback: str) -> str:
    return tr(key, language) if key in TEXT else fallback


@solara.component
def LeverControls(lever: Lever, language: str, preset: str, settings: tuple):
    """One lever in one row: its name and presets; its parameters and reports behind a toggle.

    It takes its own settings as arguments, so a click on another lever does not redraw it.
    """
    open_, set_open = solara.use_state(False)
    with solara.Column(gap="0px", classes=["xm-lever", f"xm-lever-{lever.name}"]):
        with solara.Row(gap="4px", classes=["xm-lever-row"]):
            solara.Text(_text_or(f"lever.{lever.name}", language, lever.name),
                        classes=["xm-lever-name"])
            with solara.ToggleButtonsSingle(
                value=preset, dense=True, classes=["xm-presets"],
                on_value=lambda p: controls.set(choose_preset(controls.value, lever.name, p)),
            ):
                for option in lever.presets:
                    solara.Button(_text_or(f"preset.{lever.name}.{option}", language, option),
                                  value=option, classes=[f"xm-preset-{lever.name}-{option}"])
            if lever.params:
                solara.Button(icon_name="mdi-tune" if not open_ else "mdi-chevron-up",
                              icon=True, x_small=True, on_click=lambda: set_open(not open_),
                              classes=[f"xm-more-{lever.name}", "xm-more"])
        if not open_:
            return
        with solara.Column(gap="2px", classes=["xm-params"]):
            for param, value in zip(lever.params, settings, strict=True):
                label = _param_label(param.key, language)
                if param.kind == "choice":
                    solara.v.Select(
                        label=label, v_model=value,
                        items=[{"text": _choice_label(c, language), "value": c}
                               for c in param.choices],
                        on_v_model=lambda choice, key=param.key: _set(key, choice),
                        dense=True, hide_details=True, class_=f"xm-param-{param.field}",
                    )
                elif param.kind == "bool":
                    solara.v.Checkbox(label=label, v_model=bool(value),
                                      on_v_model=lambda on, key=param.key: _set(key, bool(on)),
                                      dense=True, hide_details=True,
                                      class_=f"xm-param-{param.field}")
                else:
                    CommitSlider(label, value, param)
            solara.Text(_text_or(f"lever.{lever.name}.about", language, ""),
                        classes=["xm-small"])


def _reset_levers() -> None:
    controls.set({**default_controls(controls.value["scenario"], controls.value["seed"]),
                  "side_by_side": controls.value["side_by_side"]})


@solara.component
def LeftPanel():
    """Scenario, seed and comparison, then every lever, one row each (in sight at 1280x720)."""
    language = lang.value
    values = controls.value
    with solara.Column(gap="2px", classes=["xm-left"]):
        if not presenter.value:
            solara.Text(tr("intro", language), classes=["xm-small", "xm-intro"])
        solara.v.Select(
            label=tr("scenario", language), v_model=values["scenario"],
            items=[{"text": tr(f"scenario.{s}", language), "value": s} for s in SCENARIOS],
            on_v_model=lambda name: _set("scenario", name), hide_details=True, dense=True,
            class_="xm-scenario",
        )
        with solara.Row(gap="8px", style={"align-items": "center"}):
            solara.v.TextField(
                label=tr("seed", language), v_model=str(values["seed"]), type="number",
                hint=tr("seed.help", language), dense=True, hide_details=True,
                style_="max-width: 100px", class_="xm-seed",
                on_v_model=lambda text: _set("seed", int(text)) if str(text).isdigit() else None,
            )
            solara.Checkbox(label=tr("side_by_side", language), value=values["side_by_side"],
                            on_value=lambda on: _set("side_by_side", on))
        with solara.Row(gap="4px", style={"align-items": "center"}):
            solara.Text(tr("panel.levers", language), style={"font-weight": "bold"})
            solara.Button(tr("levers.reset", language), small=True, text=True,
                          on_click=_reset_levers, classes=["xm-reset-levers"])
        for lever in LEVERS:
            LeverControls(lever, language, values[lever.group],
                          tuple(values[param.key] for param in lever.params))


def _today(outcome: Outcome | None) -> tuple[int, int]:
    """The replay day and the year's length (the day is -1 for the whole year)."""
    days = outcome.reform.days if outcome else 0
    return (days if day.value < 0 else min(day.value, days)), days


def _prepare_neighbours(values: dict[str, Any]) -> None:
    ENGINE.prefetch(values["scenario"], int(values["seed"]), neighbours(values))


@solara.component
def Computer(client: Client):
    """Keeps the address bar and the shown year in step with the settings (draws nothing).

    A year the engine holds is shown at once; any other is computed on a thread (``busy``
    meanwhile), abandoned if the settings change again before it is done.
    """
    values = controls.value
    key = _settings_key(values)
    query = to_query(values, _page_settings())

    def address():
        client.query = query

    solara.use_effect(address, [query])

    def start():
        scenario, seed, reforms, side_by_side = key
        ready = ENGINE.ready(scenario, seed, reforms, side_by_side)
        if ready is not None:
            shown.set((key, ready, None))
            busy.set(None)
            _prepare_neighbours(values)
            return None
        cancel = threading.Event()
        busy.set(key)

        def work():
            try:
                result = (key, ENGINE.outcome(scenario, seed, reforms, side_by_side,
                                              stop=cancel.is_set), None)
            except Cancelled:
                return
            except SettingsError as error:
                result = (key, None, error)
            if cancel.is_set():
                return
            shown.set(result)
            busy.set(None)
            # Once the year is on its way to the browser, give the released model's memory back.
            ENGINE.tidy_soon()
            if result[1] is not None:
                _prepare_neighbours(values)

        threading.Thread(target=work, name="dashboard-year", daemon=True).start()
        return cancel.set

    solara.use_effect(start, [key])
    solara.Text("", classes=["xm-computer"], style={"display": "none"})


@solara.component
def Status():
    """"Computing…" while a year is being computed (the results dimmed), else its cost."""
    language = lang.value
    if busy.value is not None:
        solara.Style(".xm-results { opacity: 0.4; transition: opacity 0.15s; }")
        with solara.Row(gap="4px", classes=["xm-busy"], style={"align-items": "center"}):
            solara.v.ProgressCircular(indeterminate=True, size=18, width=2, color="primary")
            solara.Text(tr("computing", language), classes=["xm-small"])
        return
    current = shown.value
    outcome = current[1] if current else None
    if outcome is None:
        solara.Text("", classes=["xm-computed"])
    elif day.value == 0:
        solara.Text(tr("no_data", language), classes=["xm-small", "xm-computed"])
    elif outcome.seconds > 0.01:
        solara.Text(tr("computed", language, seconds=f"{outcome.seconds:.2f}"),
                    classes=["xm-small", "xm-computed"])
    else:
        solara.Text(tr("cached", language), classes=["xm-small", "xm-computed"])


def _play(current: int, days: int) -> None:
    if current >= days:
        day.set(0)
    playing.set(True)


@solara.component
def ControlBar(outcome: Outcome | None, key: tuple | None, language: str):
    """Play, pause, step, day 0, whole year, speed, the replay day and the year's cost.

    Play runs a thread that only moves the replay day forward through the finished year; it
    restarts whenever the settings, the speed or play itself change.
    """
    current, days = _today(outcome)

    def replay(cancel: threading.Event):
        if not playing.value or outcome is None:
            return
        interval, stride = SPEEDS[speed.value]
        while not cancel.is_set():
            time.sleep(interval / 1000)
            if cancel.is_set():
                return
            now = days if day.value < 0 else day.value
            if now >= days:
                playing.set(False)
                return
            day.set(min(now + stride, days))

    solara.use_thread(replay, dependencies=[playing.value, speed.value, key],
                      intrusive_cancel=False)

    with solara.Row(gap="6px", classes=["xm-bar"]):
        if playing.value:
            solara.Button(tr("pause", language), on_click=lambda: playing.set(False),
                          color="primary", icon_name="mdi-pause", classes=["xm-pause"])
        else:
            solara.Button(tr("play", language), on_click=lambda: _play(current, days),
                          color="primary", icon_name="mdi-play", disabled=outcome is None,
                          classes=["xm-play"])
        solara.Button(tr("step", language), disabled=outcome is None or current >= days,
                      on_click=lambda: (playing.set(False), day.set(min(current + 1, days))),
                      outlined=True, classes=["xm-step"])
        solara.Button(tr("reset", language), on_click=lambda: (playing.set(False), day.set(0)),
                      outlined=True, icon_name="mdi-skip-previous", classes=["xm-reset"])
        solara.Button(tr("end", language), on_click=lambda: (playing.set(False), day.set(-1)),
                      outlined=True, icon_name="mdi-skip-next", classes=["xm-end"])
        solara.v.Select(label=tr("speed", language), v_model=speed.value,
                        items=[{"text": tr(f"speed.{s}", language), "value": s} for s in SPEEDS],
                        on_v_model=speed.set, dense=True, hide_details=True,
                        style_="max-width: 110px", class_="xm-speed")
        solara.Text(tr("day.of", language, day=current, days=days), classes=["xm-day"],
                    style={"font-weight": "bold"})
        Status()
    if outcome is not None:
        solara.SliderInt("", value=current, min=0, max=days,
                         on_value=lambda d: (playing.set(False), day.set(d)))


@solara.component
def Cards(outcome: Outcome, when: int, language: str):
    """The key measures, before -> after, at the replay day."""
    years = outcome.roles()
    numbers = {role: year.headline(when) for role, year in years.items()}
    with solara.Row(gap="6px", classes=["xm-cards"]):
        for metric in CARDS:
            with solara.Column(gap="0px", classes=["xm-card", f"xm-card-{metric}"]):
                solara.Text(tr(f"metric.{metric}", language), classes=["xm-card-name"])
                after = numbers["reform"][metric]
                if "baseline" in numbers:
                    before = numbers["baseline"][metric]
                    text = (f"{format_value(metric, before, language)} → "
                            f"{format_value(metric, after, language)}")
                    change, colour = format_change(metric, before, after, language)
                else:
                    text, change, colour = format_value(metric, after, language), "", "#555"
                solara.Text(text, classes=["xm-card-value"])
                if change:
                    solara.Text(change, style={"color": colour, "font-size": "0.85em"})


@solara.component
def NumbersView(outcome: Outcome, when: int, language: str):
    """Every headline measure at the replay day, with the index's definition."""
    solara.Text(tr("overload.definition", language), classes=["xm-definition"])
    solara.HTML(unsafe_innerHTML=numbers_html(outcome, when, language), classes=["xm-numbers"])


@solara.component
def Charts(name: str, outcome: Outcome, when: int, language: str, big: bool):
    """One view's charts from the finished snapshots, up to the replay day."""
    years = outcome.roles()
    with solara.Column(gap="2px"):
        if name == "overload":
            solara.Text(tr("overload.definition", language), classes=["xm-definition"])
        elif name == "map":
            solara.Text(tr("plot.map", language), style={"font-weight": "bold"})
            solara.Text(tr("plot.map.help", language), classes=["xm-small"])
        elif name == "hours":
            solara.Text(tr("plot.hours", language), style={"font-weight": "bold"})
        elif name == "staff":
            solara.Text(tr("plot.staff.help", language), classes=["xm-small"])
    builders = CHARTS.get(name, ())
    height = "calc(100vh - 340px)" if name != "overload" else "calc(100vh - 400px)"
    titles = ("plot.overload_time", "plot.overload_townships") if name == "overload" else ()
    # Always the same two chart widgets, hidden when unused: a chart widget destroyed while its
    # library is still loading raises "invalid dom" in the browser.
    with solara.Row(gap="8px", classes=["xm-pair"],
                    style={"display": "flex" if builders else "none"}):
        for i in range(2):
            used = i < len(builders)
            with solara.Column(gap="2px", style={"display": "flex" if used else "none"}):
                solara.Text(tr(titles[i], language) if i < len(titles) else "",
                            style={"font-weight": "bold"})
                option = builders[i](years, when, language, big) if used else {}
                solara.FigureEcharts(option=option, responsive=True,
                                     attributes={"style": f"height: {height}; min-height: 260px;"
                                                          " width: 100%;",
                                                 "class": f"xm-chart xm-chart-{i}"})


@solara.component
def MainPanel(client: Client):
    """The control bar, the cards and the views, drawn from the shown year."""
    language = lang.value
    big = presenter.value
    current = shown.value
    key, outcome, error = current if current is not None else (None, None, None)
    with solara.Column(gap="6px", classes=["xm-main"]):
        ControlBar(outcome, key, language)
        if current is None:
            return
        if error is not None:
            solara.Text(f"{tr('error.settings', language)} {error_text(error, language)}",
                        classes=["xm-error"])
            if language == "en":
                solara.Text(error.detail, classes=["xm-small"])
            ShownMarker(key)
            return
        when, _ = _today(outcome)
        with solara.Column(gap="6px", classes=["xm-results"]):
            Cards(outcome, when, language)
            with solara.v.Tabs(v_model=VIEWS.index(view.value),
                               on_v_model=lambda i: view.set(VIEWS[i]), show_arrows=True,
                               height=36):
                for name in VIEWS:
                    solara.v.Tab(children=[tr(f"view.{name}", language)],
                                 class_=f"xm-tab-{name}")
            Charts(view.value, outcome, when, language, big)
            if view.value == "numbers":
                NumbersView(outcome, when, language)
            elif view.value == "seeds":
                SeedsView(outcome)
            elif view.value == "share":
                ShareView(client)
        ShownMarker(key)


@solara.component
def ShownMarker(key: tuple):
    """Which year the page shows, hidden, drawn after the results so that it changes last."""
    solara.Text(shown_marker(*key), classes=["xm-shown"], style={"display": "none"})


@solara.component
def SeedsView(outcome: Outcome):
    """Run several seeds of baseline and reform; the paired differences' 95% intervals."""
    language = lang.value
    key = _settings_key(controls.value)
    running, set_running = solara.use_state(0)

    def run_seeds(cancel: threading.Event):
        if not running:
            return
        scenario, first, reforms, _ = key
        seeds = [first + i for i in range(seed_count.value)]
        rows = compare_seeds(ENGINE, scenario, seeds, reforms, progress=lambda i, n: (
            seed_progress.set(tr("seeds.running", lang.value, i=i, n=n))))
        seed_rows.set((key, rows))
        seed_progress.set("")

    solara.use_thread(run_seeds, dependencies=[running], intrusive_cancel=False)
    solara.Text(tr("seeds.help", language), classes=["xm-small"])
    with solara.Row(gap="8px", style={"align-items": "center"}):
        solara.v.Select(label=tr("seeds.count", language), v_model=seed_count.value,
                        items=list(SEED_COUNTS), on_v_model=seed_count.set, dense=True,
                        hide_details=True, style_="max-width: 100px")
        solara.Button(tr("seeds.run", language, n=seed_count.value), color="primary",
                      disabled=bool(seed_progress.value),
                      on_click=lambda: (seed_progress.set(tr("seeds.running", language, i=0,
                                                             n=seed_count.value)),
                                        set_running(running + 1)),
                      classes=["xm-seeds-run"])
        if seed_progress.value:
            solara.Text(seed_progress.value, classes=["xm-seeds-progress"])
    if seed_rows.value is None:
        return
    done_key, rows = seed_rows.value
    if done_key != key:
        solara.Text(tr("seeds.stale", language), classes=["xm-small"])
    head = "".join(f"<th>{html.escape(tr(k, language))}</th>" for k in (
        "metric", "seeds.mean_baseline", "seeds.mean_reform", "seeds.difference",
        "seeds.interval", "seeds.runs"))
    body = []
    for row in rows:
        def show(value, metric=row.metric):
            return format_value(metric, value, language)

        if row.metric.endswith("_share"):
            def diff(value):
                return f"{value * 100:+.1f}" if math.isfinite(value) else "–"
        else:
            def diff(value):
                return f"{value:+.3g}" if math.isfinite(value) else "–"
        unit = f" {tr('unit.points', language)}" if row.metric.endswith("_share") else ""
        body.append(f"<tr><th>{html.escape(tr(f'metric.{row.metric}', language))}</th>"
                    f"<td>{show(row.baseline)}</td><td>{show(row.reform)}</td>"
                    f"<td>{diff(row.difference)}{unit}</td>"
                    f"<td>[{diff(row.low)}, {diff(row.high)}]</td><td>{row.runs}</td></tr>")
    solara.HTML(unsafe_innerHTML=f"<table><thead><tr>{head}</tr></thead>"
                                 f"<tbody>{''.join(body)}</tbody></table>",
                classes=["xm-numbers", "xm-seeds-table"])


@solara.component
def ShareView(client: Client):
    """The page's link, saved scenarios, and the same run on the command line."""
    language = lang.value
    name, set_name = solara.use_state("")
    problem, set_problem = solara.use_state("")
    base, set_base = solara.use_state(client.base)

    def watch_base():
        def changed(change):
            set_base(change["new"])
        client.observe(changed, "base")
        return lambda: client.unobserve(changed, "base")

    solara.use_effect(watch_base, [])
    saved = store.load() if saved_version.value >= 0 else {}  # re-read after a save or delete
    query = to_query(controls.value, _page_settings())
    solara.Text(tr("share.url", language))
    solara.HTML(unsafe_innerHTML=html.escape(f"{base}?{query}"), classes=["xm-command",
                                                                          "xm-url"])
    with solara.Row(gap="8px", style={"align-items": "center"}):
        solara.v.TextField(label=tr("share.name", language), v_model=name, on_v_model=set_name,
                           dense=True, hide_details=True, style_="max-width: 260px",
                           class_="xm-save-name")

        def save():
            if not store.valid_name(name):
                set_problem(tr("share.bad_name", language))
                return
            store.save(name, to_query(controls.value))
            set_problem("")
            saved_version.set(saved_version.value + 1)

        solara.Button(tr("share.save", language), on_click=save, color="primary",
                      classes=["xm-save"])
    if problem:
        solara.Text(problem, classes=["xm-error"])
    solara.Text(tr("share.saved", language), style={"font-weight": "bold"})
    if not saved:
        solara.Text(tr("share.none", language), classes=["xm-small"])
    for saved_name, saved_query in sorted(saved.items()):
        with solara.Row(gap="6px", style={"align-items": "center"}):
            solara.Text(saved_name)
            solara.Button(tr("share.load", language), small=True, outlined=True,
                          on_click=lambda q=saved_query: _apply_query(q, keep_page=True))
            solara.Button(tr("share.delete", language), small=True, text=True,
                          on_click=lambda n=saved_name: (store.delete(n), saved_version.set(
                              saved_version.value + 1)))
    solara.Text(tr("command", language))
    solara.HTML(unsafe_innerHTML=html.escape(command_line(comparison_kwargs(controls.value))),
                classes=["xm-command"])


def _page_settings() -> dict[str, Any]:
    settings: dict[str, Any] = {"lang": lang.value}
    if presenter.value:
        settings["presenter"] = True
    if view.value != VIEWS[0]:
        settings["view"] = view.value
    if speed.value != "normal":
        settings["speed"] = speed.value
    return settings


def _apply_query(query: str | None, keep_page: bool = False) -> None:
    values, page = from_query(query)
    controls.set(values)
    if keep_page:
        return
    if page.get("lang") in LANGUAGES:
        lang.set(page["lang"])
    presenter.set(page.get("presenter") == "1")
    if page.get("view") in VIEWS:
        view.set(page["view"])
    if page.get("speed") in SPEEDS:
        speed.set(page["speed"])


@solara.component
def TopBar(language: str, big: bool):
    """The title, presenter mode and the language."""
    with solara.Row(gap="12px", classes=["xm-top"]):
        solara.Text(tr("title", language), classes=["xm-title"])
        solara.v.Spacer()
        solara.Button(tr("presenter", language), icon_name="mdi-projector-screen",
                      on_click=lambda: presenter.set(not presenter.value), small=True,
                      outlined=not big, color="primary", classes=["xm-presenter"])
        with solara.ToggleButtonsSingle(value=language, on_value=lang.set, dense=True,
                                        classes=["xm-language"]):
            for option in LANGUAGES:
                solara.Button(tr(f"lang.{option}", option), value=option, text=True,
                              classes=[f"xm-lang-{option}"])


@solara.component
def Page():
    """The dashboard: the top bar, the levers on the left, the results on the right."""
    router = solara.use_router()
    started = solara.use_ref(False)
    if not started.current:
        started.current = True
        _apply_query(router.search)
    language = lang.value
    big = presenter.value
    client = solara.use_memo(Client, [])
    client.message = tr("conn.down", language)
    solara.Title(tr("title", language))
    solara.Style(css(big))
    with solara.Column(gap="0px", classes=["xm-root"]):
        # The helpers draw nothing; their wrappers took a band of height at the top.
        with solara.Column(gap="0px", classes=["xm-hidden"]):
            solara.display(client)
            Computer(client)
        TopBar(language, big)
        with solara.Row(gap="0px", classes=["xm-body"]):
            LeftPanel()
            MainPanel(client)

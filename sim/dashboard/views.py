"""What the class watches: headline numbers, the county map and the time series of both counties.

Each view is a Solara component taking the :class:`~sim.dashboard.comparison.Comparison` that
SolaraViz passes in; it reads Mesa's ``update_counter``, so it redraws after every step, and the
page's :data:`language`. The charts are ECharts options (plain dicts built by the pure functions
below) drawn by the browser with the ECharts that ``solara[assets]`` serves offline: the server
only sends numbers, at most :data:`MAX_POINTS` per series, so an update costs milliseconds even
late in a simulated year (Matplotlib PNGs took 0.5-1 s per update for the same four charts).
"""

from __future__ import annotations

import html
import math

import numpy as np
import solara
from mesa.visualization.utils import update_counter

from sim.agents.township import HOURS_CATEGORIES
from sim.dashboard.comparison import Comparison, headline
from sim.dashboard.levers import command_line
from sim.dashboard.text import tr

#: The page's language, one per browser session (Solara scopes reactive variables per session).
language = solara.reactive("zh")

MAX_POINTS = 400
#: Label townships on the map up to this many (larger counties: hover for the names).
MAP_LABELS = 8
CHART_HEIGHT = "330px"
ROLE_COLOURS = {"baseline": "#7f7f7f", "reform": "#1f77b4"}
HOURS_COLOURS = ["#2ca02c", "#98df8a", "#ff7f0e", "#d62728", "#ff9896", "#9467bd", "#c5b0d5",
                 "#8c564b"]
#: Overload colours from light load (green) through 1.0 (yellow) to overload (red).
LOAD_COLOURS = ["#1a9850", "#a6d96a", "#ffffbf", "#fdae61", "#d73027"]
LOAD_RANGE = (0.5, 1.5)
#: Lower is better for these headline numbers (the change is coloured accordingly).
LOWER_IS_BETTER = {"backlog", "resolution_hours", "overload", "mandatory_share", "secondments",
                   "vacancies"}


def _series(model, column: str) -> np.ndarray:
    return np.asarray(model.datacollector.model_vars[column], dtype=float)


def _rolling_sum(values: np.ndarray, window: int = 7) -> np.ndarray:
    cumulative = np.concatenate([[0.0], np.cumsum(values)])
    start = np.maximum(np.arange(1, len(values) + 1) - window, 0)
    return cumulative[1:] - cumulative[start]


def _points(values: np.ndarray, digits: int = 1) -> list[list]:
    """``[[day, value], ...]`` for days 1, 2, ... of ``values``, thinned to :data:`MAX_POINTS`.

    NaN becomes ``None``, a gap in the line (JSON has no NaN).
    """
    stride = max(1, math.ceil(len(values) / MAX_POINTS))
    days = np.arange(1, len(values) + 1)
    return [[int(d), None if math.isnan(v) else round(float(v), digits)]
            for d, v in zip(days[::stride], values[::stride], strict=True)]


def _nice_ceiling(value: float) -> float | None:
    """``value`` rounded up to a multiple of half its order of magnitude (``None`` for 0)."""
    if value <= 0:
        return None
    step = 10 ** math.floor(math.log10(value)) / 2
    return math.ceil(value / step) * step


def _grids(n: int, top: int = 50, bottom: int = 36, right: float = 3) -> list[dict]:
    width = (100 - 6 - right - 6 * (n - 1)) / n
    return [{"left": f"{6 + i * (width + 6):.1f}%", "width": f"{width:.1f}%", "top": top,
             "bottom": bottom, "containLabel": True} for i in range(n)]


def _titles(texts: list[str], grids: list[dict], colours: list[str] | None = None) -> list[dict]:
    return [{"text": text, "left": grid["left"], "top": 22,
             "textStyle": {"fontSize": 12, "color": (colours or ["#333"] * len(texts))[i]}}
            for i, (text, grid) in enumerate(zip(texts, grids, strict=True))]


def _time_axes(n: int, lang: str, names: list[str] | None = None) -> tuple[list, list]:
    x = [{"type": "value", "gridIndex": i, "min": 0, "name": tr("plot.day", lang),
          "nameLocation": "middle", "nameGap": 22} for i in range(n)]
    y = [{"type": "value", "gridIndex": i, "min": 0, "name": (names or [""] * n)[i],
          "nameTextStyle": {"align": "left"}} for i in range(n)]
    return x, y


def map_option(comparison: Comparison, lang: str) -> dict:
    """Townships at their map positions, sized by population, coloured by recent overload."""
    runs = list(comparison.runs.items())
    reach = max(1.0, 1.2 * max(max(abs(t.x), abs(t.y)) for _, model in runs
                               for t in model.townships))
    side = 190
    grids = [{"left": 35 + i * (side + 45), "top": 50, "width": side, "height": side}
             for i in range(len(runs))]
    series, loaded = [], []
    for i, (role, model) in enumerate(runs):
        townships = model.townships
        population = np.array([t.population for t in townships], dtype=float)
        load = comparison.loads[role].by_township()
        sizes = 10 + 34 * np.sqrt(population / population.max())
        known, unknown = [], []
        for township, size, value in zip(townships, sizes, load, strict=True):
            label = township.name if math.isnan(value) else f"{township.name} {value:.2f}"
            item = {"name": label, "symbolSize": round(float(size), 1),
                    "value": [round(township.x, 1), round(township.y, 1),
                              None if math.isnan(value) else round(float(value), 3)]}
            (unknown if math.isnan(value) else known).append(item)
        common = {"type": "scatter", "xAxisIndex": i, "yAxisIndex": i,
                  "label": {"show": len(townships) <= MAP_LABELS, "formatter": "{b}",
                            "position": "right",
                            "fontSize": 10},
                  "itemStyle": {"borderColor": "#333", "borderWidth": 0.6}}
        loaded.append(len(series))
        series.append({**common, "name": tr(f"role.{role}", lang), "data": known})
        series.append({**common, "name": tr(f"role.{role}", lang), "data": unknown,
                       "itemStyle": {"color": "#dddddd", "borderColor": "#555",
                                     "borderWidth": 0.6}})
        series.append({"type": "scatter", "xAxisIndex": i, "yAxisIndex": i, "symbol": "diamond",
                       "symbolSize": 10, "itemStyle": {"color": "#000"}, "silent": True,
                       "data": [{"name": tr("plot.seat", lang), "value": [0, 0]}],
                       "label": {"show": True, "formatter": "{b}", "position": "bottom",
                                 "fontSize": 10}})
    axis = {"type": "value", "min": round(-reach), "max": round(reach), "splitNumber": 4,
            "splitLine": {"lineStyle": {"opacity": 0.3}}}
    return {
        "animation": False,
        "title": _titles([tr(f"role.{role}", lang) for role, _ in runs], grids,
                         [ROLE_COLOURS[role] for role, _ in runs]),
        "grid": grids,
        "xAxis": [{**axis, "gridIndex": i, "name": tr("plot.km", lang), "nameLocation": "middle",
                   "nameGap": 22} for i in range(len(runs))],
        "yAxis": [{**axis, "gridIndex": i} for i in range(len(runs))],
        "visualMap": {"type": "continuous", "dimension": 2, "min": LOAD_RANGE[0],
                      "max": LOAD_RANGE[1], "seriesIndex": loaded, "calculable": False,
                      "inRange": {"color": LOAD_COLOURS}, "orient": "vertical",
                      "left": 35 + len(runs) * (side + 45) - 10, "top": 60, "itemHeight": 150,
                      "itemWidth": 12,
                      "text": [f"{LOAD_RANGE[1]}+", f"{LOAD_RANGE[0]}"], "precision": 2},
        "tooltip": {"trigger": "item", "formatter": "{b}"},
        "series": series,
    }


def backlog_option(comparison: Comparison, lang: str) -> dict:
    """Backlog and resolution time (7-day mean) of both counties over the days so far."""
    grids = _grids(2)
    x, y = _time_axes(2, lang)
    series = []
    for role, model in comparison.runs.items():
        resolved = _series(model, "resolved")
        mean = np.nan_to_num(_series(model, "resolution_hours_mean"))
        with np.errstate(invalid="ignore", divide="ignore"):
            weekly = _rolling_sum(mean * resolved) / _rolling_sum(resolved)
        style = {"type": "line", "showSymbol": False, "name": tr(f"role.{role}", lang),
                 "color": ROLE_COLOURS[role], "lineStyle": {"width": 1.6}}
        series.append({**style, "xAxisIndex": 0, "yAxisIndex": 0,
                       "data": _points(_series(model, "backlog"), 0)})
        series.append({**style, "xAxisIndex": 1, "yAxisIndex": 1, "data": _points(weekly)})
    return {
        "animation": False,
        "legend": {"top": 0},
        "title": _titles([tr("plot.backlog", lang), tr("plot.resolution", lang)], grids),
        "tooltip": {"trigger": "axis"},
        "grid": grids, "xAxis": x, "yAxis": y, "series": series,
    }


def hours_option(comparison: Comparison, lang: str) -> dict:
    """Township cadre hours per day by category (7-day mean), stacked, for each county."""
    runs = list(comparison.runs.items())
    grids = _grids(len(runs), top=75)
    _, y = _time_axes(len(runs), lang)
    x, series, highest = [], [], 0.0
    for i, (role, model) in enumerate(runs):
        days = None
        stacked = np.zeros(model.day)
        for name in HOURS_CATEGORIES:
            daily = _rolling_sum(_series(model, f"hours_{name}")) / 7
            stacked += daily
            points = _points(daily)
            days = [day for day, _ in points]
            # Stacked areas need a category axis (ECharts stacks along the base axis).
            series.append({"type": "line", "stack": role, "name": tr(f"hours.{name}", lang),
                           "xAxisIndex": i, "yAxisIndex": i, "showSymbol": False,
                           "areaStyle": {"opacity": 0.9}, "lineStyle": {"width": 0},
                           "data": [value for _, value in points]})
        x.append({"type": "category", "gridIndex": i, "data": days, "boundaryGap": False,
                  "name": tr("plot.day", lang), "nameLocation": "middle", "nameGap": 22})
        highest = max(highest, float(stacked.max(initial=0.0)))
    for axis in y:  # one scale for both counties, so the areas compare at a glance
        axis["max"] = _nice_ceiling(highest)
    return {
        "animation": False,
        "color": HOURS_COLOURS,
        "legend": {"top": 0, "itemWidth": 14, "itemHeight": 9, "textStyle": {"fontSize": 11}},
        "title": [{**title, "top": 50} for title in _titles(
            [tr(f"role.{role}", lang) for role, _ in runs], grids,
            [ROLE_COLOURS[role] for role, _ in runs])],
        "tooltip": {"trigger": "axis"},
        "grid": grids, "xAxis": x, "yAxis": y, "series": series,
    }


def staff_option(comparison: Comparison, lang: str) -> dict:
    """Cadres seconded and township vacancies of both counties over the days so far."""
    grids = _grids(1, top=80)
    x, y = _time_axes(1, lang, [tr("plot.people", lang)])
    series = []
    for role, model in comparison.runs.items():
        name = tr(f"role.{role}", lang)
        for column, label, dash in (("secondments_active", "series.secondments", "solid"),
                                    ("vacancies", "series.vacancies", "dashed")):
            series.append({"type": "line", "step": "end", "showSymbol": False,
                           "name": f"{tr(label, lang)} · {name}", "color": ROLE_COLOURS[role],
                           "lineStyle": {"type": dash, "width": 1.6},
                           "data": _points(_series(model, column), 0)})
    return {"animation": False, "legend": {"top": 0}, "tooltip": {"trigger": "axis"},
            "grid": grids, "xAxis": x, "yAxis": y, "series": series}


def _format(metric: str, value: float) -> str:
    if isinstance(value, float) and math.isnan(value):
        return "–"
    if metric == "mandatory_share":
        return f"{value:.0%}"
    if metric == "overload":
        return f"{value:.2f}"
    if metric == "resolution_hours":
        return f"{value:.1f}"
    return f"{value:.0f}"


def _change(metric: str, numbers: dict[str, float]) -> str:
    before, after = numbers.get("baseline", math.nan), numbers.get("reform", math.nan)
    if metric == "day" or math.isnan(before) or math.isnan(after):
        return ""
    delta = after - before
    if metric == "mandatory_share":
        text = f"{delta * 100:+.0f} pp"
    elif before:
        text = f"{delta:+.{2 if metric == 'overload' else 0}f} ({delta / abs(before):+.0%})"
    else:
        text = f"{delta:+.0f}"
    colour = "#555"
    if metric in LOWER_IS_BETTER and abs(delta) > 1e-9:
        colour = "#1a7f37" if delta < 0 else "#c62828"
    return f'<span style="color:{colour}">{html.escape(text)}</span>'


def headline_html(comparison: Comparison, lang: str) -> str:
    """The headline numbers as an HTML table: one row per measure, one column per county.

    Each value cell has the class ``xm-<metric>-<role>`` (e.g. ``xm-backlog-reform``).
    """
    numbers = headline(comparison)
    roles = list(comparison.runs)
    head = "".join(f"<th>{html.escape(tr(f'role.{role}', lang))}</th>" for role in roles)
    if len(roles) > 1:
        head += f"<th>{html.escape(tr('change', lang))}</th>"
    rows = []
    for metric, values in numbers.items():
        cells = "".join(f'<td class="xm-{metric}-{role}">{_format(metric, values[role])}</td>'
                        for role in roles)
        if len(roles) > 1:
            cells += f"<td>{_change(metric, values)}</td>"
        rows.append(f"<tr><th>{html.escape(tr(f'metric.{metric}', lang))}</th>{cells}</tr>")
    return (f"<table><thead><tr><th>{html.escape(tr('metric', lang))}</th>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


STYLE = """
.xm-headline table { border-collapse: collapse; font-size: 14px; width: 100%; }
.xm-headline th, .xm-headline td { padding: 3px 8px; border-bottom: 1px solid #e0e0e0;
  text-align: right; white-space: nowrap; }
.xm-headline th:first-child { text-align: left; font-weight: normal; white-space: normal; }
.xm-headline thead th { font-weight: bold; }
.xm-command { font-family: monospace; font-size: 12px; word-break: break-all; }
"""


@solara.component
def Headline(model: Comparison):
    """The headline numbers of both counties, the equivalent command line, or the error."""
    update_counter.get()
    lang = language.value
    with solara.Column(gap="6px", style={"padding": "8px"}):
        solara.Style(STYLE)
        if model.error:
            solara.Error(f"{tr('error', lang)} {model.error}", classes=["xm-error"])
            return
        solara.HTML(unsafe_innerHTML=headline_html(model, lang), classes=["xm-headline"])
        if model.day == 0:
            solara.Text(tr("no_data", lang))
        kwargs = {"scenario": model.scenario, "seed": model.seed, "reforms": model.reforms}
        solara.Text(tr("command", lang), style={"font-size": "12px"})
        solara.HTML(unsafe_innerHTML=html.escape(command_line(kwargs)), classes=["xm-command"])


def _chart_view(title: str, build, model: Comparison, lang: str, name: str):
    with solara.Column(gap="2px", style={"padding": "4px 8px"}, classes=[f"xm-view-{name}"]):
        solara.Text(title, style={"font-weight": "bold", "font-size": "14px"})
        if model.error or not model.runs:
            return
        solara.FigureEcharts(option=build(model, lang), responsive=True,
                             attributes={"style": f"height: {CHART_HEIGHT}; width: 100%;"})


@solara.component
def CountyMap(model: Comparison):
    """The county map of townships, coloured by their overload over the last 28 days."""
    update_counter.get()
    lang = language.value
    _chart_view(tr("plot.map", lang), map_option, model, lang, "map")


@solara.component
def BacklogView(model: Comparison):
    """Backlog and resolution time over time."""
    update_counter.get()
    lang = language.value
    _chart_view(f"{tr('plot.backlog', lang)} · {tr('plot.resolution', lang)}", backlog_option,
                model, lang, "backlog")


@solara.component
def HoursView(model: Comparison):
    """Where township cadres' hours go (stacked areas)."""
    update_counter.get()
    lang = language.value
    _chart_view(tr("plot.hours", lang), hours_option, model, lang, "hours")


@solara.component
def StaffView(model: Comparison):
    """Secondments and vacancies over time."""
    update_counter.get()
    lang = language.value
    _chart_view(tr("plot.staff", lang), staff_option, model, lang, "staff")


#: The views in SolaraViz's grid, in reading order (two per row).
VIEWS = [(Headline, 0), (CountyMap, 0), (BacklogView, 0), (HoursView, 0), (StaffView, 0)]

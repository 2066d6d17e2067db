"""ECharts options of the dashboard's charts, drawn from finished snapshots up to a replay day.

Every function takes the snapshots by role (``baseline``, ``reform``), the replay day, the
language and whether presenter mode wants large type, and returns a plain JSON-able dict. Axes
span the whole year (and a scale common to both counties), so lines grow during a replay
without the axes jumping. Colours are colour-blind safe: Okabe and Ito's eight colours for roles
and hours categories (baseline orange and dashed, reform blue and solid, so the two differ in
more than colour), ColorBrewer's RdYlBu for the overload index. Every chart has a toolbox
button that saves it as a PNG.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import linear_sum_assignment

from sim.dashboard.snapshot import HOURS, Snapshot
from sim.dashboard.text import tr

#: Okabe-Ito colours of the two roles.
ROLE_COLOURS = {"baseline": "#E69F00", "reform": "#0072B2"}
ROLE_LINES = {"baseline": "dashed", "reform": "solid"}
#: Okabe-Ito colours of the hours categories (service blue ... seconded grey), then, for the
#: township's own work (issue 11), Paul Tol's colour-blind-safe dark green, indigo and wine.
HOURS_COLOURS = ["#0072B2", "#56B4E9", "#009E73", "#E69F00", "#D55E00", "#CC79A7", "#F0E442",
                 "#999999", "#117733", "#332288", "#882255"]
#: ColorBrewer RdYlBu (reversed): blue below 1, red above.
LOAD_COLOURS = ["#4575b4", "#91bfdb", "#e0f3f8", "#fee090", "#fc8d59", "#d73027"]
LOAD_RANGE = (0.5, 1.5)
TEXT_COLOUR = "#222"


def _size(big: bool, small: int = 12) -> int:
    return round(small * 1.5) if big else small


def _round(values, digits: int = 3) -> list:
    return [None if v is None or not math.isfinite(v) else round(float(v), digits)
            for v in np.asarray(values, dtype=float)]


def _ceiling(value: float) -> float | None:
    """``value`` rounded up to a multiple of half its order of magnitude (``None`` for 0)."""
    if not math.isfinite(value) or value <= 0:
        return None
    step = 10 ** math.floor(math.log10(value)) / 2
    return math.ceil(value / step) * step


def _base(name: str, years: dict[str, Snapshot], day: int, lang: str, big: bool) -> dict:
    year = next(iter(years.values()))
    return {
        "animation": False,
        "backgroundColor": "#ffffff",
        "textStyle": {"fontSize": _size(big), "color": TEXT_COLOUR},
        "toolbox": {"right": 8, "top": 0, "itemSize": _size(big, 16), "feature": {"saveAsImage": {
            "title": tr("export.png", lang), "pixelRatio": 2, "backgroundColor": "#ffffff",
            "name": f"xiaoma-{name}-{year.scenario}-seed{year.seed}-day{day}-{lang}"}}},
        "tooltip": {"trigger": "axis"},
    }


def _grids(n: int, top: int, bottom: int = 40) -> list[dict]:
    width = (100 - 8 - 6 * (n - 1)) / n
    return [{"left": f"{5 + i * (width + 6):.1f}%", "width": f"{width:.1f}%", "top": top,
             "bottom": bottom, "containLabel": True} for i in range(n)]


def _titles(texts: list[str], grids: list[dict], big: bool, top: int = 28) -> list[dict]:
    return [{"text": text, "left": grid["left"], "top": top,
             "textStyle": {"fontSize": _size(big, 13), "color": TEXT_COLOUR}}
            for text, grid in zip(texts, grids, strict=True)]


def _legend(big: bool, top: int = 0) -> dict:
    return {"top": top, "left": 0, "textStyle": {"fontSize": _size(big), "color": TEXT_COLOUR},
            "itemWidth": 24}


def _role_line(role: str, lang: str, points: list, axis: int, big: bool) -> dict:
    return {"type": "line", "name": tr(f"role.{role}", lang), "showSymbol": False,
            "xAxisIndex": axis, "yAxisIndex": axis, "color": ROLE_COLOURS[role],
            "lineStyle": {"type": ROLE_LINES[role], "width": 3 if big else 2}, "data": points}


def _time_axis(axis: int, last: int, unit: str, lang: str, big: bool) -> dict:
    return {"type": "value", "gridIndex": axis, "min": 1, "max": max(last, 1),
            "name": tr(f"plot.{unit}", lang), "nameLocation": "middle", "nameGap": 26,
            "nameTextStyle": {"fontSize": _size(big)}, "axisLabel": {"fontSize": _size(big)}}


def _value_axis(axis: int, top: float | None, big: bool, low: float = 0) -> dict:
    return {"type": "value", "gridIndex": axis, "min": low, "max": top,
            "axisLabel": {"fontSize": _size(big)}}


def overload_time_option(years: dict[str, Snapshot], day: int, lang: str,
                         big: bool = False) -> dict:
    """The county's overload index week by week, both roles, with a line at 1."""
    option = _base("overload-weeks", years, day, lang, big)
    weeks = max(year.days for year in years.values()) // 7
    top = max(float(np.nanmax(year.overload_weekly(year.days), initial=1.0))
              for year in years.values())
    series = []
    for role, year in years.items():
        values = year.overload_weekly(day)
        line = _role_line(role, lang, [[w + 1, v] for w, v in enumerate(_round(values))], 0, big)
        series.append(line)
    series[-1]["markLine"] = {
        "silent": True, "symbol": "none", "data": [{"yAxis": 1}],
        "lineStyle": {"color": "#000", "type": "solid", "width": 1.5},
        "label": {"formatter": tr("plot.one", lang), "position": "insideEndTop",
                  "fontSize": _size(big)}}
    option.update({
        "legend": _legend(big), "grid": _grids(1, top=40),
        "xAxis": [_time_axis(0, weeks, "week", lang, big)],
        "yAxis": [_value_axis(0, _ceiling(top * 1.05), big)], "series": series,
    })
    return option


def overload_townships_option(years: dict[str, Snapshot], day: int, lang: str,
                              big: bool = False) -> dict:
    """Each township's overload index from day 1 to ``day``, bars by role, line at 1."""
    option = _base("overload-townships", years, day, lang, big)
    first = next(iter(years.values()))
    top = max(float(np.nanmax(year.overload_by_township(year.days), initial=1.0))
              for year in years.values())
    series = []
    for role, year in years.items():
        series.append({"type": "bar", "name": tr(f"role.{role}", lang),
                       "color": ROLE_COLOURS[role], "data": _round(year.overload_by_township(day)),
                       "itemStyle": {"borderColor": "#333", "borderWidth": 0.5,
                                     "decal": {"symbol": "none"} if role == "reform" else {
                                         "symbol": "rect", "dashArrayX": [1, 0],
                                         "dashArrayY": [2, 4], "rotation": 0.8,
                                         "color": "rgba(0,0,0,0.25)"}}})
    series[-1]["markLine"] = {
        "silent": True, "symbol": "none", "data": [{"yAxis": 1}],
        "lineStyle": {"color": "#000", "type": "solid", "width": 1.5},
        "label": {"formatter": tr("plot.one", lang), "position": "insideEndTop",
                  "fontSize": _size(big)}}
    option.update({
        "aria": {"enabled": True, "decal": {"show": True}},
        "legend": _legend(big), "grid": _grids(1, top=40, bottom=10),
        "xAxis": [{"type": "category", "data": first.names[lang],
                   "axisLabel": {"fontSize": _size(big), "interval": 0,
                                 "rotate": 30 if first.townships > 8 else 0}}],
        "yAxis": [_value_axis(0, _ceiling(top * 1.05), big)], "series": series,
    })
    return option


def tile_layout(position: np.ndarray) -> tuple[list[tuple[int, int]], tuple[int, int],
                                                tuple[int, int]]:
    """Grid cells for townships (and the county seat) near their map positions, one per cell.

    The townships and the seat (at the origin) are scaled into a grid of about square cells,
    then matched to cells by the smallest total squared distance (scipy's
    ``linear_sum_assignment``): every township gets its own cell, so no two overlap, and each
    stays close to its direction and distance from the seat.

    Returns:
        ``(cells, seat, shape)``: each township's ``(column, row)``, the seat's cell and the
        grid's ``(columns, rows)``.
    """
    points = np.vstack([[0.0, 0.0], np.asarray(position, dtype=float).reshape(-1, 2)])
    n = len(points)
    columns = max(1, math.ceil(math.sqrt(n)))
    rows = max(1, math.ceil(n / columns))
    if columns * rows < n + max(1, n // 4):  # some slack so the shape can follow geography
        columns += 1
    low, high = points.min(axis=0), points.max(axis=0)
    span = np.where(high - low > 0, high - low, 1.0)
    scaled = (points - low) / span * [columns - 1, rows - 1]
    cells = np.array([(c, r) for r in range(rows) for c in range(columns)], dtype=float)
    cost = ((scaled[:, None, :] - cells[None, :, :]) ** 2).sum(axis=2)
    chosen, cell = linear_sum_assignment(cost)
    where = {int(i): (int(cells[j][0]), int(cells[j][1])) for i, j in zip(chosen, cell,
                                                                          strict=True)}
    return [where[i] for i in range(1, n)], where[0], (columns, rows)


def map_option(years: dict[str, Snapshot], day: int, lang: str, big: bool = False) -> dict:
    """Townships as tiles on a grid that follows the map, coloured by their overload index."""
    option = _base("map", years, day, lang, big)
    option["tooltip"] = {"trigger": "item"}
    roles = list(years)
    first = years[roles[0]]
    cells, seat, (columns, rows) = tile_layout(first.position)
    grids = _grids(len(roles), top=56, bottom=10)
    for grid in grids:
        grid["right"] = "10%" if len(roles) == 1 else None
    series, heat = [], []
    for i, role in enumerate(roles):
        year = years[role]
        load = year.overload_by_township(day)
        data = []
        for t, (column, row) in enumerate(cells):
            value = None if not math.isfinite(load[t]) else round(float(load[t]), 2)
            dots = "•" * min(int(year.villages[t]), 16)
            text = f"{year.names[lang][t]}\n{'–' if value is None else f'{value:.2f}'}"
            if dots:
                text += f"\n{dots}"
            data.append({"value": [column, rows - 1 - row, value], "label": {"formatter": text},
                         "name": (f"{year.names[lang][t]}: {tr('plot.population', lang)} "
                                  f"{int(year.population[t]):,}, {int(year.villages[t])} "
                                  f"{tr('plot.villages', lang)}")})
        heat.append(len(series))
        series.append({"type": "heatmap", "name": tr(f"role.{role}", lang), "xAxisIndex": i,
                       "yAxisIndex": i, "data": data,
                       "label": {"show": True, "fontSize": _size(big, 11), "color": "#111",
                                 "textBorderColor": "#fff", "textBorderWidth": 2,
                                 "lineHeight": _size(big, 14)},
                       "itemStyle": {"borderColor": "#fff", "borderWidth": 3}})
        series.append({"type": "scatter", "xAxisIndex": i, "yAxisIndex": i, "symbol": "pin",
                       "symbolSize": _size(big, 26), "color": "#444", "silent": True,
                       "data": [{"value": [seat[0], rows - 1 - seat[1]],
                                 "name": tr("plot.seat", lang)}],
                       "label": {"show": True, "formatter": "{b}", "position": "bottom",
                                 "fontSize": _size(big, 11), "color": TEXT_COLOUR}})
    category = {"type": "category", "show": False}
    option.update({
        "title": _titles([tr(f"role.{role}", lang) for role in roles], grids, big, top=30),
        "grid": grids,
        "xAxis": [{**category, "gridIndex": i, "data": list(range(columns))}
                  for i in range(len(roles))],
        "yAxis": [{**category, "gridIndex": i, "data": list(range(rows))}
                  for i in range(len(roles))],
        "visualMap": {"type": "continuous", "min": LOAD_RANGE[0], "max": LOAD_RANGE[1],
                      "seriesIndex": heat, "dimension": 2, "calculable": False,
                      "orient": "horizontal", "left": "center", "top": 0,
                      "itemWidth": 12, "itemHeight": 160, "precision": 1,
                      "inRange": {"color": LOAD_COLOURS},
                      "text": [f"{LOAD_RANGE[1]}+", f"{LOAD_RANGE[0]}"],
                      "textStyle": {"fontSize": _size(big)}},
        "series": series,
    })
    return option


def hours_option(years: dict[str, Snapshot], day: int, lang: str, big: bool = False) -> dict:
    """Township cadre-hours per complete week by category, stacked, one panel per role."""
    option = _base("hours", years, day, lang, big)
    roles = list(years)
    grids = _grids(len(roles), top=72)
    top = max(float(sum(year.hours_weekly(year.days)[name] for name in HOURS).max(initial=0))
              for year in years.values())
    weeks = max(year.days for year in years.values()) // 7
    series = []
    for i, role in enumerate(roles):
        weekly = years[role].hours_weekly(day)
        for name in HOURS:
            series.append({"type": "bar", "stack": role, "name": tr(f"hours.{name}", lang),
                           "xAxisIndex": i, "yAxisIndex": i, "barCategoryGap": "10%",
                           "data": [[w + 1, v] for w, v in enumerate(_round(weekly[name], 0))]})
    option.update({
        "color": HOURS_COLOURS, "legend": {**_legend(big), "right": 40},
        "title": _titles([tr(f"role.{role}", lang) for role in roles], grids, big, top=48),
        "grid": grids,
        "xAxis": [{**_time_axis(i, weeks, "week", lang, big), "min": 0, "max": weeks + 1}
                  for i in range(len(roles))],
        "yAxis": [_value_axis(i, _ceiling(top), big) for i in range(len(roles))],
        "series": series,
    })
    return option


def _two_panels(name: str, years: dict[str, Snapshot], day: int, lang: str, big: bool,
                panels: list[tuple[str, str, callable]]) -> dict:
    """Two side-by-side panels, each with one line per role.

    ``panels`` holds ``(title key, time unit, values(year, day) -> array)``.
    """
    option = _base(name, years, day, lang, big)
    grids = _grids(len(panels), top=64)
    series, x, y = [], [], []
    for i, (_, unit, values) in enumerate(panels):
        last = max(year.days for year in years.values())
        last = last // 7 if unit == "week" else last
        top = max(float(np.nanmax(values(year, year.days), initial=0.0))
                  for year in years.values())
        for role, year in years.items():
            points = [[k + 1, v] for k, v in enumerate(_round(values(year, day), 2))]
            series.append(_role_line(role, lang, points, i, big))
            if name == "staff":
                series[-1]["step"] = "end"
        x.append(_time_axis(i, last, unit, lang, big))
        y.append(_value_axis(i, _ceiling(top * 1.05) or 1, big))
    option.update({"legend": _legend(big), "grid": grids, "xAxis": x, "yAxis": y,
                   "title": _titles([tr(title, lang) for title, _, _ in panels], grids, big),
                   "series": series})
    return option


def backlog_option(years: dict[str, Snapshot], day: int, lang: str, big: bool = False) -> dict:
    """Backlog each day and the mean resolution time of each week, both roles."""
    return _two_panels("backlog", years, day, lang, big, [
        ("plot.backlog", "day", lambda year, d: year.daily["backlog"][:d]),
        ("plot.resolution", "week", lambda year, d: year.resolution_weekly(d)),
    ])


def staff_option(years: dict[str, Snapshot], day: int, lang: str, big: bool = False) -> dict:
    """Secondees and vacancies in separate panels (they are different things), both roles."""
    return _two_panels("staff", years, day, lang, big, [
        ("plot.secondees", "day", lambda year, d: year.daily["secondments_active"][:d]),
        ("plot.vacancies", "day", lambda year, d: year.daily["vacancies"][:d]),
    ])


#: The chart views by name, with their builders (one or two charts each).
CHARTS = {
    "overload": (overload_time_option, overload_townships_option),
    "map": (map_option,),
    "hours": (hours_option,),
    "backlog": (backlog_option,),
    "staff": (staff_option,),
}

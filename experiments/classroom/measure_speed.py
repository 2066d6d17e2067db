"""How long a lever click takes to show the whole year on the page, measured in a real browser.

Starts ``python -m sim.dashboard``, opens the page in headless Chromium (Playwright, Debian's
``/usr/bin/chromium``) and clicks presets: each lever's reported preset in turn (registry
order), then each back to its baseline, so every click asks for a county-year nobody has
computed (the baseline on the same seed is there from the page's opening). A click's time runs
from the click to the moment the page shows that click's year: the cards, charts and the
hidden ``.xm-shown`` line all come from it, and the "computing" sign is gone. The page's own
status line gives the engine's share (``Year computed in X s``, or ``ready`` when the year was
prepared in the background).

Two modes, each on a fresh server: ``cold``, with the background worker off
(``XIAOMA_DASHBOARD_PREFETCH=0``: every click computes its year); and ``prefetch``, the page as
a class uses it, where the worker prepares the years one click away while the teacher talks
(``--think`` seconds between clicks). Writes ``speed.json`` and ``speed.md`` next to this file
and prints the table. The machine's load average is recorded: on a shared machine the engine
slows down with it.

Run: ``.venv/bin/python experiments/classroom/measure_speed.py [--think 12]``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time

from browser import CHROMIUM, CHROMIUM_ARGS, HERE, server, write_whole
from playwright.sync_api import sync_playwright

from sim.dashboard.levers import (
    LEVERS,
    choose_preset,
    comparison_kwargs,
    from_query,
    shown_marker,
)

SCENARIOS = ("classroom", "typical_county")


def clicks() -> list[tuple[str, str]]:
    """Each lever to its reported preset, then each back to its baseline."""
    on = [(lever.name, lever.reported) for lever in LEVERS if lever.reported]
    return on + [(name, next(lv for lv in LEVERS if lv.name == name).presets[0])
                 for name, _ in on]


def marker(controls: dict) -> str:
    """The ``.xm-shown`` line the page shows for these controls."""
    kwargs = comparison_kwargs(controls)
    return shown_marker(kwargs["scenario"], kwargs["seed"], kwargs["reforms"],
                        kwargs["side_by_side"])


def engine_seconds(status: str) -> float | None:
    """The engine's time from the status line (0 when the year was ready)."""
    found = re.search(r"computed in ([0-9.]+) s", status)
    if found:
        return float(found.group(1))
    return 0.0 if "ready" in status else None


def run(scenario: str, seed: int, mode: str, think: float) -> list[dict]:
    """Click through :func:`clicks` on a fresh server; one record per click."""
    env = {"XIAOMA_DASHBOARD_PREFETCH": "0" if mode == "cold" else "1"}
    records = []
    with server(env) as (url, _, _), sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.set_default_timeout(180_000)
        query = f"scenario={scenario}&seed={seed}&lang=en"
        controls = from_query(query)[0]
        page.goto(f"{url}?{query}")
        page.wait_for_function("m => { const e = document.querySelector('.xm-shown');"
                               " return e && e.textContent === m; }", arg=marker(controls))
        page.locator(".xm-chart canvas").first.wait_for()
        for lever, preset in clicks():
            if mode == "prefetch":
                page.wait_for_timeout(think * 1000)
            controls = choose_preset(controls, lever, preset)
            expected = marker(controls)
            load = os.getloadavg()[0]
            started = time.monotonic()
            page.locator(f".xm-preset-{lever}-{preset}").click()
            page.wait_for_function(
                "m => { const e = document.querySelector('.xm-shown');"
                " return e && e.textContent === m && !document.querySelector('.xm-busy'); }",
                arg=expected, polling=20)
            seconds = time.monotonic() - started
            status = page.locator(".xm-computed").text_content()
            records.append({"click": f"{lever}={preset}", "page_s": round(seconds, 3),
                            "engine_s": engine_seconds(status), "load1": round(load, 2)})
            print(scenario, mode, records[-1], flush=True)
        browser.close()
    return records


def summary(records: list[dict]) -> dict:
    """Median and range of the page's and the engine's times over the clicks."""
    page = [r["page_s"] for r in records]
    engine = [r["engine_s"] for r in records if r["engine_s"] is not None]
    return {"clicks": len(page), "page_median_s": round(statistics.median(page), 2),
            "page_min_s": round(min(page), 2), "page_max_s": round(max(page), 2),
            "engine_median_s": round(statistics.median(engine), 2) if engine else None,
            "under_1s": sum(p < 1.0 for p in page),
            "ready": sum(r["engine_s"] == 0.0 for r in records),
            "load1_median": round(statistics.median(r["load1"] for r in records), 2)}


def main(argv: list[str] | None = None) -> int:
    """Measure both modes on both scenarios; write ``speed.json`` and ``speed.md``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--think", type=float, default=12.0,
                        help="seconds between clicks in prefetch mode (default 12)")
    parser.add_argument("--modes", default="cold,prefetch")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    args = parser.parse_args(argv)
    if not 0 <= args.think <= 120:
        print(f"error: --think: {args.think} is outside 0..120", file=sys.stderr)
        return 2
    modes = [m for m in args.modes.split(",") if m]
    if set(modes) - {"cold", "prefetch"}:
        print(f"error: --modes: {args.modes} is not a list of cold, prefetch", file=sys.stderr)
        return 2
    results = {}
    for scenario in args.scenarios.split(","):
        for mode in modes:
            records = run(scenario, 300 + len(results), mode, args.think)
            results[f"{scenario}/{mode}"] = {"summary": summary(records), "clicks": records}
    rows = "\n".join(
        f"| {name.split('/')[0]} | {name.split('/')[1]} | {s['clicks']} | {s['page_median_s']} "
        f"| {s['page_min_s']}-{s['page_max_s']} | {s['engine_median_s']} | {s['under_1s']} "
        f"| {s['ready']} | {s['load1_median']} |"
        for name, s in ((n, r["summary"]) for n, r in results.items()))
    table = (
        "# A lever click to the whole year on the page\n\n"
        f"Measured by `experiments/classroom/measure_speed.py` on {time.strftime('%Y-%m-%d')} "
        f"(think time {args.think:g} s in prefetch mode) on a 2-core machine shared with other "
        "jobs (load average in the last column). Each click asks for a year nobody computed "
        "before (the baseline on the same seed is there from the page's opening); page time "
        "runs from the click to that year on the page, engine time is the page's own status "
        "line (0 when the year was prepared in the background).\n\n"
        "| scenario | mode | clicks | page median (s) | page range (s) | engine median (s) "
        "| clicks under 1 s | years ready | load avg |\n|---|---|---|---|---|---|---|---|---|\n"
        + rows + "\n")
    write_whole(HERE / "speed.json", json.dumps(results, indent=1) + "\n")
    write_whole(HERE / "speed.md", table)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())

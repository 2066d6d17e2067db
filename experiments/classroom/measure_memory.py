"""The dashboard server's memory over repeated resets and lever changes, in a real browser.

Starts ``python -m sim.dashboard`` with ``XIAOMA_DASHBOARD_STATS`` set (the server then prints
what it holds every second: resident memory, Python's allocated blocks, models alive, cached
years, widgets, threads), opens the page in headless Chromium and alternates, ``--resets``
times in all: a new seed typed in the box (a new year of baseline and reform, the old models
released) and a lever preset clicked. After every step it reads the server's resident memory
(``VmRSS``) and its last stats line. A second part runs the same number of new-seed years in a
bare process (the engine alone, no Solara, no browser), to tell the engine's and the
allocator's share from the page's.

Writes ``memory.json`` and ``memory.md`` next to this file and prints the table. Run:
``.venv/bin/python experiments/classroom/measure_memory.py [--resets 50]``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from browser import CHROMIUM, CHROMIUM_ARGS, HERE, ROOT, rss_mb, server, write_whole
from playwright.sync_api import sync_playwright

ENGINE_ONLY = """
import json, sys
from sim.dashboard.engine import Engine
engine = Engine(prefetch=False)
print(json.dumps({"step": 0, **engine.stats()}), flush=True)
for step in range(1, {resets} + 1):
    engine.outcome({scenario!r}, 1000 + step, ("policy/meetings=cut",) if step % 2 else ())
    engine.tidy()  # as the page does once a year is on screen
    print(json.dumps({"step": step, **engine.stats()}), flush=True)
"""
TOGGLES = (("meetings", "cut"), ("meetings", "baseline"))


def last_stats(log: Path) -> dict:
    """The server's last ``XM-STATS`` line."""
    lines = [line for line in log.read_text(errors="replace").splitlines()
             if line.startswith("XM-STATS ")]
    return json.loads(lines[-1].removeprefix("XM-STATS ")) if lines else {}


def measure_page(resets: int, scenario: str) -> list[dict]:
    """Alternate new seeds and lever clicks in the browser; one reading per step."""
    readings = []
    with server({"XIAOMA_DASHBOARD_STATS": "1"}) as (url, process, log), \
            sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.set_default_timeout(180_000)
        page.goto(f"{url}?scenario={scenario}&lang=en")
        page.locator(".xm-card").first.wait_for()
        page.wait_for_timeout(1500)
        readings.append({"step": 0, "action": "open", "rss_mb": round(rss_mb(process.pid), 1),
                         "seconds": 0.0, **last_stats(log)})
        for step in range(1, resets + 1):
            begun = time.monotonic()
            if step % 2:
                seed = str(1000 + step)
                action = f"seed={seed}"
                page.locator(".xm-seed input").fill(seed)
                wanted = f"{scenario} {seed} "
            else:
                lever, preset = TOGGLES[(step // 2) % 2]
                action = f"{lever}={preset}"
                page.locator(f".xm-preset-{lever}-{preset}").click()
                wanted = f"{scenario} {1000 + step - 1} "
            page.wait_for_function(
                "w => { const e = document.querySelector('.xm-shown');"
                " return e && e.textContent.startsWith(w)"
                " && !document.querySelector('.xm-busy'); }", arg=wanted)
            seconds = time.monotonic() - begun
            time.sleep(1.2)  # one stats line after the step
            readings.append({"step": step, "action": action,
                             "rss_mb": round(rss_mb(process.pid), 1),
                             "seconds": round(seconds, 2), **last_stats(log)})
            print(readings[-1], flush=True)
        browser.close()
    return readings


def measure_engine(resets: int, scenario: str) -> list[dict]:
    """The same number of years in a bare process (no page), one reading per year."""
    code = ENGINE_ONLY.replace("{resets}", str(resets)).replace("{scenario!r}", repr(scenario))
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True, env={"MALLOC_ARENA_MAX": "2", "PATH": "/usr/bin:/bin"})
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


def main(argv: list[str] | None = None) -> int:
    """Measure and write ``memory.json`` and ``memory.md``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--resets", type=int, default=50)
    parser.add_argument("--scenario", default="typical_county")
    args = parser.parse_args(argv)
    if not 1 <= args.resets <= 1000:
        print(f"error: --resets: {args.resets} is outside 1..1000", file=sys.stderr)
        return 2
    page = measure_page(args.resets, args.scenario)
    engine = measure_engine(args.resets, args.scenario)
    result = {"scenario": args.scenario, "resets": args.resets, "page": page, "engine": engine}
    keep = ("rss_mb", "python_blocks", "models_alive", "years_cached", "cached_mb", "widgets",
            "threads")

    def rows(readings: list[dict], every: int) -> str:
        return "\n".join(
            f"| {r['step']} | {r.get('action', 'year')} | "
            + " | ".join(str(r.get(k, "")) for k in keep) + " |"
            for r in readings if r["step"] % every == 0 or r["step"] <= 3)

    head = ("| step | action | RSS (MB) | Python blocks | models alive | years cached | "
            "cached (MB) | widgets | threads |\n|---|---|---|---|---|---|---|---|---|\n")
    text = (
        f"# Dashboard server memory over {args.resets} resets and lever changes "
        f"({args.scenario})\n\n"
        f"Measured by `experiments/classroom/measure_memory.py` on {time.strftime('%Y-%m-%d')}. "
        "Odd steps type a new seed (a new year of the county), even steps click a lever "
        "preset; the server's resident memory after each step, and what it holds (its own "
        "`XIAOMA_DASHBOARD_STATS` line). The second table runs the same years in a bare "
        "process without the page, tidied as the page tidies (`Engine.tidy`: collect the released "
        "model's cycles, then glibc's `malloc_trim`).\n\n"
        f"Page: first {page[0]['rss_mb']} MB, after step 10 "
        f"{page[min(10, len(page) - 1)]['rss_mb']} MB, last {page[-1]['rss_mb']} MB, "
        f"highest {max(r['rss_mb'] for r in page)} MB.\n"
        f"Engine alone: first {engine[0]['rss_mb']} MB, last {engine[-1]['rss_mb']} MB, "
        f"highest {max(r['rss_mb'] for r in engine)} MB.\n\n"
        "## The page\n\n" + head + rows(page, 5) + "\n\n## The engine alone\n\n" + head
        + rows(engine, 5) + "\n")
    write_whole(HERE / "memory.json", json.dumps(result, indent=1) + "\n")
    write_whole(HERE / "memory.md", text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

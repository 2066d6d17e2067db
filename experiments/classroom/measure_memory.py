"""The dashboard server's memory over repeated resets, measured in a real browser.

Starts ``python -m sim.dashboard`` on a free port, opens the page in headless Chromium
(Playwright, Debian's ``/usr/bin/chromium``), and resets the typical county ``--resets`` times:
each reset types a new seed (a new year of baseline and reform is built and the old models are
released) and goes back to day 0. The server's resident memory (``VmRSS``) is read from ``/proc``
after every reset. Writes ``memory.json`` and ``memory.md`` next to this file (whole or not at
all) and prints the table. Run: ``.venv/bin/python experiments/classroom/measure_memory.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

from sim.dashboard.__main__ import command, server_environment

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ARGS = ["--headless", "--no-sandbox", "--disable-gpu"]


def rss_mb(pid: int) -> float:
    """Resident memory of process ``pid`` in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def free_port() -> int:
    """A TCP port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_whole(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(temporary, path)


def measure(resets: int, scenario: str) -> dict:
    """Start a server, reset ``resets`` times in Chromium, return the memory readings."""
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="dashboard-", suffix=".log", delete=False)
    server = subprocess.Popen(command(port), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True, env=server_environment())
    url = f"http://127.0.0.1:{port}/"
    try:
        started = time.monotonic()
        while True:
            try:
                with urllib.request.urlopen(url + "readyz", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() - started > 120:
                    raise RuntimeError(f"the server did not start; see {log.name}") from None
                time.sleep(0.2)
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.set_default_timeout(120_000)
            page.goto(f"{url}?scenario={scenario}")
            page.locator(".xm-card").first.wait_for()
            readings = [{"reset": 0, "rss_mb": round(rss_mb(server.pid), 1), "seconds": 0.0}]
            for reset in range(1, resets + 1):
                begun = time.monotonic()
                page.locator(".xm-seed input").fill(str(1000 + reset))
                page.locator(".xm-reset").click()
                page.wait_for_function("s => location.search.includes('seed=' + s)",
                                       arg=str(1000 + reset))
                page.locator(".xm-computed").wait_for()
                readings.append({"reset": reset, "rss_mb": round(rss_mb(server.pid), 1),
                                 "seconds": round(time.monotonic() - begun, 2)})
                print(readings[-1], flush=True)
            browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the group started above
        server.wait(timeout=30)
    return {"scenario": scenario, "resets": resets, "readings": readings,
            "rss_first_mb": readings[0]["rss_mb"], "rss_last_mb": readings[-1]["rss_mb"],
            "rss_max_mb": max(r["rss_mb"] for r in readings)}


def main(argv: list[str] | None = None) -> int:
    """Measure and write ``memory.json`` and ``memory.md``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--resets", type=int, default=50)
    parser.add_argument("--scenario", default="typical_county")
    args = parser.parse_args(argv)
    if not 1 <= args.resets <= 1000:
        print(f"error: --resets: {args.resets} is outside 1..1000", file=sys.stderr)
        return 2
    result = measure(args.resets, args.scenario)
    rows = "\n".join(f"| {r['reset']} | {r['rss_mb']} | {r['seconds']} |"
                     for r in result["readings"] if r["reset"] % 5 == 0)
    table = (f"# Dashboard server memory over {args.resets} resets ({args.scenario})\n\n"
             "Measured by `experiments/classroom/measure_memory.py` "
             f"on {time.strftime('%Y-%m-%d')}: each reset types a new seed in the page "
             "(a new year of the county is built, the old models released) and goes back to "
             "day 0; resident memory of the server process after every reset.\n\n"
             f"Before the first reset: {result['rss_first_mb']} MB; after the last: "
             f"{result['rss_last_mb']} MB; highest: {result['rss_max_mb']} MB.\n\n"
             "| reset | server RSS (MB) | seconds to the new year on the page |\n"
             "|---|---|---|\n" + rows + "\n")
    write_whole(HERE / "memory.json", json.dumps(result, indent=1) + "\n")
    write_whole(HERE / "memory.md", table)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())

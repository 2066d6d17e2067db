"""The dashboard in a real browser: `solara run` in a subprocess, driven in Chromium by Playwright.

Skipped when Chromium or Playwright is missing, except under CI (``CI`` set), where it fails.
Set ``DASHBOARD_SCREENSHOT=path.png`` to keep the final screenshot (the README's is
``experiments/classroom/dashboard.png``). Timings are printed (``-s``) and written to
``timings.json`` in the test's temporary folder; they are measurements, not assertions.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

from sim.dashboard.levers import LEVERS
from sim.dashboard.text import tr

pytestmark = [pytest.mark.browser, pytest.mark.timeout(420)]

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
SOLARA = Path(sys.executable).parent / "solara"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SERVER_WAIT_S = 90
TIMINGS: dict[str, object] = {}


def _require(available: bool, why: str) -> None:
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{why}; the browser test must run in CI")
    pytest.skip(why)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``solara run sim/dashboard/app.py`` on a free port, answered within a bounded wait."""
    _require(CHROMIUM.exists(), f"{CHROMIUM} is missing (apt-get install chromium)")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    log = tmp_path_factory.mktemp("solara") / "server.log"
    started = time.monotonic()
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [str(SOLARA), "run", "sim/dashboard/app.py", "--host", "127.0.0.1", "--port",
             str(port), "--no-open"],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"solara exited with {process.returncode}:\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() - started > SERVER_WAIT_S:
                pytest.fail(f"no answer from {url} in {SERVER_WAIT_S} s:\n"
                            f"{log.read_text()[-3000:]}")
            time.sleep(0.25)
        TIMINGS["server_answers_s"] = round(time.monotonic() - started, 2)
        yield SimpleNamespace(url=url, started=started, log=log)
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the server's own process group, started above
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)


@pytest.fixture(scope="module")
def page(server):
    """A Chromium page showing the dashboard."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _require(False, "playwright is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                             timeout=60_000)
        try:
            tab = browser.new_page(viewport={"width": 1600, "height": 1400})
            tab.set_default_timeout(30_000)
            opened = time.monotonic()
            tab.goto(server.url, timeout=60_000)
            tab.locator(".xm-headline").wait_for(timeout=90_000)
            TIMINGS["open_to_rendered_page_s"] = round(time.monotonic() - opened, 2)
            TIMINGS["start_to_rendered_page_s"] = round(time.monotonic() - server.started, 2)
            yield tab
        finally:
            browser.close()


def _text(page, selector: str) -> str:
    return page.locator(selector).first.inner_text().strip()


def _wait_for_command(page, fragment: str) -> None:
    page.wait_for_function(
        "f => (document.querySelector('.xm-command') || {}).innerText?.includes(f)",
        arg=fragment, timeout=30_000)


def _step(page, times: int) -> list[float]:
    """Click Step ``times`` times; the seconds until each new day shows in the headline."""
    seconds = []
    for _ in range(times):
        before = _text(page, ".xm-day-reform")
        start = time.monotonic()
        page.get_by_role("button", name="Step").click()
        page.wait_for_function("b => document.querySelector('.xm-day-reform').innerText != b",
                               arg=before, timeout=15_000)
        seconds.append(round(time.monotonic() - start, 3))
        page.wait_for_timeout(100)
    return seconds


def _set_language(page, lang: str) -> None:
    page.locator(".xm-language button").nth(0 if lang == "zh" else 1).click()
    page.get_by_text(tr("panel.levers", lang), exact=True).wait_for()
    page.locator("header").get_by_text(tr("title", lang), exact=True).wait_for()


def test_page_renders_with_its_controls_in_both_languages(page):
    for lang in ("zh", "en"):
        _set_language(page, lang)
        for lever in LEVERS:
            assert page.get_by_text(tr(f"lever.{lever.name}", lang), exact=True).is_visible()
            for preset in lever.presets:
                button = page.locator(f".xm-preset-{lever.name}-{preset}")
                assert tr(f"preset.{lever.name}.{preset}", lang) in button.text_content()
        assert tr("metric.backlog", lang) in _text(page, ".xm-headline")
    for name in ("Reset", "▶", "Step"):
        assert page.get_by_role("button", name=name).is_enabled()
    assert page.locator(".xm-scenario").is_visible()
    assert page.locator(".solara-echarts").count() == 4


def test_levers_steps_reset_and_play(page, tmp_path):
    lang = "zh"
    _set_language(page, lang)
    # A lever pushed beyond what the county can supply: a message, not a crash.
    thumb = page.locator(".xm-param-per_township .v-slider__thumb-container")
    thumb.focus()
    page.keyboard.press("End")
    page.locator(".xm-error").first.wait_for()
    assert "policy.posts.per_township" in _text(page, ".xm-error")
    thumb.focus()
    page.keyboard.press("Home")
    page.locator(".xm-error").first.wait_for(state="detached")

    for lever, preset in [("secondment", "banned"), ("meetings", "cut"),
                          ("coordination", "whistle")]:
        start = time.monotonic()
        page.locator(f".xm-preset-{lever}-{preset}").click()
        _wait_for_command(page, f"policy/{lever}={preset}")
        TIMINGS[f"lever_{lever}_to_new_model_s"] = round(time.monotonic() - start, 2)
    assert _text(page, ".xm-backlog-reform") == "–"  # day 0: nothing to show yet

    TIMINGS["classroom_step_s"] = _step(page, 3)
    assert _text(page, ".xm-day-reform") == _text(page, ".xm-day-baseline") == "3"
    assert _text(page, ".xm-backlog-reform").isdigit()
    assert _text(page, ".xm-secondments-reform") == "0"  # the ban sent the secondees home
    assert int(_text(page, ".xm-secondments-baseline")) > 0

    page.locator(".xm-scenario").click()
    start = time.monotonic()
    page.get_by_text(tr("scenario.typical_county", lang), exact=True).click()
    _wait_for_command(page, "scenario=typical_county")
    TIMINGS["switch_to_typical_county_s"] = round(time.monotonic() - start, 2)
    backlog_day0 = _text(page, ".xm-backlog-reform")
    TIMINGS["typical_county_step_s"] = _step(page, 5)
    assert _text(page, ".xm-day-reform") == "5"
    assert _text(page, ".xm-backlog-reform") != backlog_day0

    page.get_by_role("button", name="Reset").click()
    page.wait_for_function("() => document.querySelector('.xm-day-reform').innerText == '0'")
    command = _text(page, ".xm-command")
    assert "scenario=typical_county" in command and "policy/secondment=banned" in command

    start = time.monotonic()
    page.get_by_role("button", name="▶").click()
    page.wait_for_function("() => +document.querySelector('.xm-day-reform').innerText >= 60",
                           timeout=120_000)
    page.get_by_role("button", name="❚❚").click()
    played = int(_text(page, ".xm-day-reform"))
    TIMINGS["typical_county_play_days_per_s"] = round(played / (time.monotonic() - start), 1)
    page.wait_for_timeout(1_000)
    assert float(_text(page, ".xm-resolution_hours-reform")) > 0

    page.evaluate("document.querySelectorAll('.v-navigation-drawer__content')"
                  ".forEach(e => { e.scrollTop = 0; })")
    shot = tmp_path / "dashboard.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000
    if target := os.environ.get("DASHBOARD_SCREENSHOT"):
        page.screenshot(path=target, full_page=True)
    (tmp_path / "timings.json").write_text(json.dumps(TIMINGS, indent=1))
    print("\ndashboard timings:", json.dumps(TIMINGS))

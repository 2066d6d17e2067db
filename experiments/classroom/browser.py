"""Shared by the dashboard measurements: a server on a free port and headless Chromium.

The server is ``python -m sim.dashboard`` (as a teacher starts it), in its own process group so
that stopping it stops only what this script started.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sim.dashboard.__main__ import command, server_environment

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu"]


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


@contextmanager
def server(env: dict[str, str] | None = None) -> Iterator[tuple[str, subprocess.Popen, Path]]:
    """A dashboard server; yields its URL, process and log file, and stops it afterwards."""
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="dashboard-", suffix=".log")[1])
    with open(log, "wb") as out:
        process = subprocess.Popen(command(port), cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True,
                                   env={**server_environment(), **(env or {})})
    url = f"http://127.0.0.1:{port}/"
    try:
        started = time.monotonic()
        while True:
            try:
                with urllib.request.urlopen(url + "readyz", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() - started > 120:
                    raise RuntimeError(f"the server did not start; see {log}") from None
                time.sleep(0.2)
        yield url, process, log
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the group started above
        process.wait(timeout=30)

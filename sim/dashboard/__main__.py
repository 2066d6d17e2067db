"""Serve the dashboard: ``python -m sim.dashboard [--port 8765] [--host 127.0.0.1]``.

Runs ``solara run`` on :mod:`sim.dashboard.app` in production mode, without Solara's check for
a newer release (its advice to upgrade would break the pinned versions, STACK.md), with the
light theme and the plain loader (no English banner). ``make dashboard`` and the browser tests
start the page through this one command.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"


def command(port: int = 8765, host: str = "127.0.0.1") -> list[str]:
    """The ``solara run`` command line that serves the page."""
    solara = Path(sys.executable).parent / "solara"
    return [str(solara), "run", str(APP), "--host", host, "--port", str(port), "--no-open",
            "--production", "--no-check-version", "--theme-variant", "light",
            "--theme-loader", "plain"]


def server_environment() -> dict[str, str]:
    """The server's environment: this one, with glibc limited to two malloc arenas.

    Solara answers each browser message on a worker thread, and glibc gives every new thread
    its own memory arena (up to eight per core); each arena then keeps the peak of the county
    built on it, so the server's memory climbed for the first dozen resets before levelling
    off. Two arenas keep it near the level of one build.
    """
    return {**os.environ, "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2")}


def main(argv: list[str] | None = None) -> None:
    """Parse the port and host, then replace this process with the Solara server."""
    parser = argparse.ArgumentParser(prog="python -m sim.dashboard", description=__doc__)
    parser.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    parser.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
    args = parser.parse_args(argv)
    if not 1 <= args.port <= 65535:
        parser.exit(2, f"error: --port: {args.port} is outside 1..65535\n")
    cmd = command(args.port, args.host)
    os.execve(cmd[0], cmd, server_environment())


if __name__ == "__main__":
    main()

"""Saved scenarios: named sets of the page's settings, kept as URL query strings in a JSON file.

A teacher saves the settings of a demonstration under a name before class and opens it again in
one click. The file is shared by every session of the server; it is replaced whole (written to a
temporary file, then renamed), so it is never left half-written.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from pathlib import Path

from sim.api import CONFIG_DIR

#: Where the page keeps saved scenarios (``outputs/`` is git-ignored).
DEFAULT_PATH = CONFIG_DIR.parent / "outputs" / "dashboard" / "saved_scenarios.json"
MAX_NAME = 40
_LOCK = threading.Lock()


def load(path: Path = DEFAULT_PATH) -> dict[str, str]:
    """Saved scenarios, name -> query string (empty if the file is missing or unreadable)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items()}


def _write(scenarios: dict[str, str], path: Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".saved-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(scenarios, out, ensure_ascii=False, indent=1, sort_keys=True)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def valid_name(name: str) -> bool:
    """Whether ``name`` can name a saved scenario (1 to :data:`MAX_NAME` characters)."""
    return 0 < len(name.strip()) <= MAX_NAME


def save(name: str, query: str, path: Path = DEFAULT_PATH) -> dict[str, str]:
    """Save (or replace) ``name``; return every saved scenario.

    Raises:
        ValueError: ``name`` is empty or longer than :data:`MAX_NAME`.
    """
    if not valid_name(name):
        raise ValueError(f"name: {name!r} must have 1 to {MAX_NAME} characters")
    with _LOCK:
        scenarios = {**load(path), name.strip(): query}
        _write(scenarios, path)
    return scenarios


def delete(name: str, path: Path = DEFAULT_PATH) -> dict[str, str]:
    """Forget ``name``; return every saved scenario left."""
    with _LOCK:
        scenarios = load(path)
        if scenarios.pop(name, None) is not None:
            _write(scenarios, path)
    return scenarios

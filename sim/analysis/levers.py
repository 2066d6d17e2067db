"""The levers the analyses compare: each policy group's baseline preset and its reform preset.

One function, :func:`lever_presets`, is the only place :mod:`sim.analysis.compare` (to find the
baseline group) and :mod:`sim.analysis.explore` (the reforms to try) learn which levers exist;
it reads the lever registry (:data:`sim.policies.LEVERS`).
"""

from __future__ import annotations

from sim.policies import LEVERS


def lever_presets() -> dict[str, tuple[str, str]]:
    """Each lever's config group name under ``policy/`` -> (baseline preset, reform preset)."""
    return {lever.name: (lever.baseline, lever.reform) for lever in LEVERS if lever.reform}

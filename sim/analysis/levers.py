"""The levers the analyses compare: each policy group's baseline preset and its reform preset.

One function, :func:`lever_presets`, is the only place :mod:`sim.analysis.compare` (to find the
baseline group) and :mod:`sim.analysis.explore` (the reforms to try) learn which levers exist;
when the model declares its levers in one registry (``sim.policies``), this function reads it.
"""

from __future__ import annotations


def lever_presets() -> dict[str, tuple[str, str]]:
    """Each lever's config group name under ``policy/`` -> (baseline preset, reform preset)."""
    return {
        "posts": ("baseline", "sink"),
        "secondment": ("unregulated", "banned"),
        "meetings": ("baseline", "cut"),
        "tasks": ("baseline", "access_list"),
        "coordination": ("buck_passing", "whistle"),
        "pay": ("baseline", "premium"),
    }

"""The villages' latent needs on one day, sorted in one compiled pass (Numba).

``Villages.work_day`` (``sim/agents/villages.py``) decides how many households each village
visits today; this kernel then goes once through the needs still latent, in id order, and
finds those in a household visited today, or reports those left unnoticed too long (an
ordinary report, or an escalation). Needs stop being latent roughly in the order they arose,
so the pass starts at the first need still latent, not at the run's first need.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from sim.kernels.columns import Need
from sim.kernels.entry import kernel


class Needs(NamedTuple):
    """Every latent need of the run, one row per need id (arisen in id order)."""

    day: np.ndarray  # the day it arises
    village: np.ndarray
    household: np.ndarray  # its household's place in the village's door-to-door round
    escalates: np.ndarray  # whether it escalates when reported
    state: np.ndarray  # a ``Need`` code
    end_day: np.ndarray  # the day it was found or reported (-1 while latent)


class Visits(NamedTuple):
    """Today's door-to-door round in each village (no visit on a day off: ``made`` all 0)."""

    first: np.ndarray  # the household visited first today (its place in the round)
    made: np.ndarray  # households visited today
    households: np.ndarray


class Sorted(NamedTuple):
    """Ids of the needs found, reported and escalated today (filled from the front)."""

    found: np.ndarray
    reported: np.ndarray
    escalated: np.ndarray


@kernel
def sort_needs(day, report_days, needs, span, visits, out):
    """Find, report or escalate today's needs among ids ``span[0]`` to ``span[1] - 1``.

    ``span`` is (the first need that may still be latent, the needs arisen so far). A latent
    need is found when its household is among today's visits in its village; else it is
    reported when it has been latent ``report_days`` or more. Fills ``out`` (:class:`Sorted`)
    in id order and returns (first need still latent after today, or ``span[1]`` when none;
    found; reported; escalated).
    """
    needs, visits, out = Needs(*needs), Visits(*visits), Sorted(*out)
    state, households = needs.state, visits.households
    n_found = n_reported = n_escalated = 0
    first_latent = span[1]
    for need in range(span[0], span[1]):
        if state[need] != Need.LATENT:
            continue
        v = needs.village[need]
        made = visits.made[v]
        if made > 0 and (made >= households[v]
                         or (needs.household[need] - visits.first[v]) % households[v] < made):
            state[need] = Need.FOUND
            needs.end_day[need] = day
            out.found[n_found] = need
            n_found += 1
        elif day - needs.day[need] >= report_days:
            needs.end_day[need] = day
            if needs.escalates[need]:
                state[need] = Need.ESCALATED
                out.escalated[n_escalated] = need
                n_escalated += 1
            else:
                state[need] = Need.REPORTED
                out.reported[n_reported] = need
                n_reported += 1
        elif first_latent == span[1]:
            first_latent = need
    return first_latent, n_found, n_reported, n_escalated

"""A working day's mandatory work per cadre on duty, drawn in one compiled call (Numba).

``MandatoryWork.hours`` (``sim/policies/meetings.py``) used to draw it with a dozen NumPy calls a
day; the draws are the same ones, in the same order, from the same ``overhead`` stream: Numba's
``Generator`` methods run NumPy's own algorithms on the generator's state (tested draw for draw
in ``tests/kernels/test_mandatory.py``), so the county's year is unchanged, about a third of the
time of the NumPy version per call.

Poisson draws go through :func:`poisson`, not Numba's ``Generator.poisson``: for means of 10 and
more, Numba 0.68 truncates the candidate of NumPy's transformed-rejection method towards zero
where NumPy takes its floor, so a candidate in (-1, 0) is accepted as 0 instead of rejected
(0 came out about once in 300 draws of a mean of 10.5, against 3 in 100,000), and the stream
then leaves NumPy's.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numba
import numpy as np
from numba.np.random.distributions import random_loggam

from sim.kernels.columns import Mandatory
from sim.kernels.entry import kernel


class CrewTerms(NamedTuple):
    """Per cadre on duty: meeting rates, hours a meeting costs, and the township's shares."""

    unit: np.ndarray  # township of each cadre on duty
    n_townships: int
    meetings: np.ndarray  # own meetings a day
    routine: np.ndarray  # routine meetings a day (all 0 when the township is called to none)
    per_meeting: np.ndarray  # hours a meeting costs, travel included
    on_duty: np.ndarray  # cadres on duty in the cadre's township
    inspection: np.ndarray  # hours an inspection costs the cadre


class Rates(NamedTuple):
    """The county's rates of mandatory work a working day (0 turns a part off)."""

    routine: bool  # whether townships are called to routine meetings
    document_hours: float  # mean hours of a cadre's own documents
    unit_document_hours: float  # mean hours of a township's documents, shared among its cadres
    inspections: float  # inspections per township
    chat_hours: float  # hours of work chat groups per cadre


@numba.njit(cache=True)
def poisson(rng, lam):
    """A Poisson draw of mean ``lam``, NumPy's algorithm and stream (``random_poisson``).

    Multiplication of uniforms below a mean of 10, else the transformed rejection of Hormann
    (PTRS), each uniform being ``rng.random()`` (NumPy's ``next_double``).
    """
    if lam >= 10.0:
        slam, loglam = math.sqrt(lam), math.log(lam)
        b = 0.931 + 2.53 * slam
        a = -0.059 + 0.02483 * b
        invalpha = 1.1239 + 1.1328 / (b - 3.4)
        vr = 0.9277 - 3.6224 / (b - 2)
        while True:
            u = rng.random() - 0.5
            v = rng.random()
            us = 0.5 - abs(u)
            k = math.floor((2 * a / us + b) * u + lam + 0.43)
            if us >= 0.07 and v <= vr:
                return k
            if k < 0 or (us < 0.013 and v > us):
                continue
            # log(v) of 0 is fine here: then us = 0 too, and the test above returned
            if (math.log(v) + math.log(invalpha) - math.log(a / (us * us) + b)
                    <= -lam + k * loglam - random_loggam(k + 1)):
                return k
    if lam == 0.0:
        return 0
    enlam, k, prod = math.exp(-lam), 0, 1.0
    while True:
        prod *= rng.random()
        if prod > enlam:
            k += 1
        else:
            return k


@kernel
def draw_mandatory(rng, crew, rates, out):
    """Draw one day's mandatory work into ``out``.

    ``out`` holds zeros: rows named by ``Mandatory``, a column per cadre on duty.

    Draws, in this order: each cadre's own meetings (Poisson), its routine meetings (Poisson,
    when there are any), its documents (exponential), each township's documents (exponential,
    shared by its cadres on duty) and each township's inspections (Poisson, hosted by all its
    cadres on duty). Rows of the township duties are left as they are.
    """
    crew, rates = CrewTerms(*crew), Rates(*rates)
    unit, n_townships = crew.unit, crew.n_townships
    n = unit.shape[0]
    for i in range(n):
        out[Mandatory.MEETINGS, i] = poisson(rng, crew.meetings[i]) * crew.per_meeting[i]
    if rates.routine:
        for i in range(n):
            out[Mandatory.MEETINGS, i] += poisson(rng, crew.routine[i]) * crew.per_meeting[i]
    if rates.document_hours:
        for i in range(n):
            out[Mandatory.DOCUMENTS, i] = rng.exponential(rates.document_hours)
    if rates.unit_document_hours:
        documents = np.empty(n_townships)
        for t in range(n_townships):
            documents[t] = rng.exponential(rates.unit_document_hours)
        for i in range(n):
            out[Mandatory.DOCUMENTS, i] += documents[unit[i]] / crew.on_duty[i]
    inspections = np.empty(n_townships, dtype=np.int64)
    for t in range(n_townships):
        inspections[t] = poisson(rng, rates.inspections)
    for i in range(n):
        out[Mandatory.INSPECTIONS, i] = inspections[unit[i]] * crew.inspection[i]
        out[Mandatory.CHAT_GROUPS, i] = rates.chat_hours

"""The compiled pass over latent needs equals a full scan of every need, day after day.

The reference is the former NumPy version of ``Villages.visit`` and ``Villages.escalate``: it
scans every need arisen so far, not only those from the first one still latent, so it checks
that starting the pass later never misses a need.
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.kernels.columns import Need
from sim.kernels.villages import Needs, Sorted, Visits, sort_needs


def _reference(day, report_days, state, end_day, need_day, village, household, escalates,
               arisen, first, made, households):
    latent = np.flatnonzero(state[:arisen] == Need.LATENT)
    v = village[latent]
    reached = (made[v] >= households[v]) | ((household[latent] - first[v]) % households[v]
                                           < made[v])
    found = latent[reached]
    state[found] = Need.FOUND
    end_day[found] = day
    latent = latent[~reached]
    due = latent[day - need_day[latent] >= report_days]
    up = escalates[due]
    state[due[~up]] = Need.REPORTED
    state[due[up]] = Need.ESCALATED
    end_day[due] = day
    return found, due[~up], due[up]


@st.composite
def _runs(draw):
    n_villages = draw(st.integers(1, 4))
    households = np.array(draw(st.lists(st.integers(1, 12), min_size=n_villages,
                                        max_size=n_villages)), dtype=np.int64)
    n = draw(st.integers(0, 60))
    need_day = np.sort(np.array(draw(st.lists(st.integers(0, 20), min_size=n, max_size=n)),
                                dtype=np.int64))
    village = np.array(draw(st.lists(st.integers(0, n_villages - 1), min_size=n, max_size=n)),
                       dtype=np.int64)
    household = np.array([draw(st.integers(0, int(households[v]) - 1)) for v in village],
                         dtype=np.int64)
    escalates = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    days = [np.array(draw(st.lists(st.integers(0, 14), min_size=n_villages,
                                   max_size=n_villages)), dtype=np.int64) for _ in range(25)]
    report_days = draw(st.sampled_from([0.0, 1.0, 3.0, 4.5, 30.0]))
    return households, need_day, village, household, escalates, days, report_days


@settings(max_examples=200, deadline=None)
@given(_runs())
def test_the_pass_from_the_first_latent_need_equals_a_full_scan(run):
    households, need_day, village, household, escalates, days, report_days = run
    n = len(need_day)
    state, ref_state = (np.full(n, Need.LATENT, dtype=np.int8) for _ in range(2))
    end_day, ref_end = (np.full(n, -1, dtype=np.int64) for _ in range(2))
    needs = Needs(day=need_day, village=village, household=household, escalates=escalates,
                  state=state, end_day=end_day)
    visits_so_far = np.zeros(len(households), dtype=np.int64)
    first_latent = 0
    for day, made in enumerate(days):
        arisen = int(np.searchsorted(need_day, day, side="right"))
        first = visits_so_far % households
        out = Sorted(*(np.empty(arisen - first_latent, dtype=np.int64) for _ in range(3)))
        first_latent, *counts = sort_needs(day, report_days, needs, (first_latent, arisen),
                                           Visits(first=first, made=made, households=households),
                                           out)
        expected = _reference(day, report_days, ref_state, ref_end, need_day, village,
                              household, escalates, arisen, first, made, households)
        for got, count, want in zip(out, counts, expected, strict=True):
            assert got[:count].tolist() == want.tolist()
        assert state.tolist() == ref_state.tolist() and end_day.tolist() == ref_end.tolist()
        still = np.flatnonzero(state[:arisen] == Need.LATENT)
        assert first_latent == (still[0] if len(still) else arisen)
        visits_so_far += made

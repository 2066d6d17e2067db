"""The compiled draw of a day's mandatory work equals the NumPy draws it replaced, draw for draw.

The reference below is the former ``MandatoryWork.hours`` written with NumPy's ``Generator``
(one vectorised call per part). Both run on generators with the same seed, day after day, with
crews of every size and rates on and off; they must give the same hours and leave the two
generators in the same state (a later draw from each is equal).
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.kernels.columns import Mandatory
from sim.kernels.mandatory import CrewTerms, Rates, draw_mandatory


def _numpy_draw(rng, crew, rates):
    """The former NumPy version of :func:`draw_mandatory`."""
    unit, n = crew.unit, len(crew.unit)
    out = np.zeros((len(Mandatory), n))
    out[Mandatory.MEETINGS] = rng.poisson(crew.meetings) * crew.per_meeting
    if rates.routine:
        out[Mandatory.MEETINGS] += rng.poisson(crew.routine) * crew.per_meeting
    if rates.document_hours:
        out[Mandatory.DOCUMENTS] = rng.exponential(rates.document_hours, n)
    if rates.unit_document_hours:
        documents = rng.exponential(rates.unit_document_hours, crew.n_townships)
        out[Mandatory.DOCUMENTS] += documents[unit] / crew.on_duty
    inspections = rng.poisson(rates.inspections, crew.n_townships)
    out[Mandatory.INSPECTIONS] = inspections[unit] * crew.inspection
    out[Mandatory.CHAT_GROUPS] = rates.chat_hours
    return out


def _crew(draw, n_townships):
    unit = np.sort(np.asarray(draw(st.lists(st.integers(0, n_townships - 1), min_size=1,
                                            max_size=60)), dtype=np.int64))
    n = len(unit)
    on_duty = np.bincount(unit, minlength=n_townships)[unit]
    rate = st.floats(0.0, 12.0)  # Poisson means on both sides of NumPy's switch at 10
    return CrewTerms(
        unit=unit, n_townships=n_townships,
        meetings=np.array(draw(st.lists(rate, min_size=n, max_size=n))),
        routine=np.array(draw(st.lists(rate, min_size=n, max_size=n))),
        per_meeting=np.array(draw(st.lists(st.floats(0.5, 5.0), min_size=n, max_size=n))),
        on_duty=on_duty,
        inspection=np.array(draw(st.lists(st.floats(0.0, 6.0), min_size=n, max_size=n))))


@st.composite
def _cases(draw):
    n_townships = draw(st.integers(1, 6))
    crew = _crew(draw, n_townships)
    hours = st.one_of(st.just(0.0), st.floats(0.01, 3.0))
    rates = Rates(routine=draw(st.booleans()), document_hours=draw(hours),
                  unit_document_hours=draw(hours), inspections=draw(st.floats(0.0, 2.0)),
                  chat_hours=draw(hours))
    return crew, rates, draw(st.integers(0, 2**32 - 1))


@settings(max_examples=150, deadline=None)
@given(_cases())
def test_the_compiled_draw_is_the_numpy_draw(case):
    crew, rates, seed = case
    compiled_rng, numpy_rng = np.random.default_rng(seed), np.random.default_rng(seed)
    for _ in range(5):  # consecutive days: the streams must stay in step
        out = np.zeros((len(Mandatory), len(crew.unit)))
        out[Mandatory.SERVICE_CENTRE:] = 7.0  # the duty rows are left alone
        draw_mandatory(compiled_rng, crew, rates, out)
        expected = _numpy_draw(numpy_rng, crew, rates)
        np.testing.assert_array_equal(out[: Mandatory.SERVICE_CENTRE],
                                      expected[: Mandatory.SERVICE_CENTRE])
        assert (out[Mandatory.SERVICE_CENTRE:] == 7.0).all()
    assert compiled_rng.random() == numpy_rng.random()


def test_a_hand_made_day():
    """One cadre, no randomness left to chance: rates 0 give 0, chat hours are fixed."""
    crew = CrewTerms(unit=np.zeros(2, dtype=np.int64), n_townships=1, meetings=np.zeros(2),
                     routine=np.zeros(2), per_meeting=np.full(2, 2.0),
                     on_duty=np.full(2, 2), inspection=np.full(2, 3.0))
    out = np.zeros((len(Mandatory), 2))
    draw_mandatory(np.random.default_rng(0), crew,
                   Rates(routine=True, document_hours=0.0, unit_document_hours=0.0,
                         inspections=0.0, chat_hours=1.25), out)
    assert out[Mandatory.CHAT_GROUPS].tolist() == [1.25, 1.25]
    assert not out[[Mandatory.MEETINGS, Mandatory.DOCUMENTS, Mandatory.INSPECTIONS]].any()


@settings(max_examples=60, deadline=None)
@given(st.floats(0.0, 60.0), st.integers(0, 2**32 - 1))
def test_the_compiled_poisson_is_numpys_draw_for_draw(lam, seed):
    # Numba's own Generator.poisson leaves NumPy's stream for means of 10 and more (it
    # truncates a negative candidate to 0 and accepts it): seed 2, mean 10.5, draw 313.
    import numba

    from sim.kernels.mandatory import poisson

    @numba.njit
    def draws(rng, lam, n):
        out = np.empty(n, dtype=np.int64)
        for i in range(n):
            out[i] = poisson(rng, lam)
        return out

    compiled_rng, numpy_rng = np.random.default_rng(seed), np.random.default_rng(seed)
    np.testing.assert_array_equal(draws(compiled_rng, lam, 500), numpy_rng.poisson(lam, 500))
    assert compiled_rng.random() == numpy_rng.random()


def test_the_known_divergence_of_numbas_poisson_is_avoided():
    import numba

    from sim.kernels.mandatory import poisson

    @numba.njit
    def draws(rng, n):
        out = np.empty(n, dtype=np.int64)
        for i in range(n):
            out[i] = poisson(rng, 10.5)
        return out

    np.testing.assert_array_equal(draws(np.random.default_rng(2), 2000),
                                  np.random.default_rng(2).poisson(10.5, 2000))

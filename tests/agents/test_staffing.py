"""Vacancies, hiring and attrition (sim/staffing.py), checked against the post ledger."""

import numpy as np

from sim.api import make_model
from sim.measures.metrics import township_table


def test_vacancies_present_at_the_start_wait_for_hiring():
    # Yangting (seed 003): 80 posts, about 70 on duty. The vacancies must not all be filled
    # at the end of day 0.
    model = make_model("yangting_town", seed=3, days=30)
    roster = model.roster
    township = roster.unit < len(model.townships)
    holders_at_start = int(np.count_nonzero(roster.occupied & township))
    posts = int(np.count_nonzero(township))
    assert posts - holders_at_start >= 5
    fill_days = roster.fill_day[township & ~roster.occupied]
    assert np.all(np.isfinite(fill_days)) and np.all(fill_days > 0)
    model.run()
    table = township_table(model)
    staffed = table.groupby("day")[["on_duty", "seconded"]].sum().sum(axis=1)
    hired = int(np.count_nonzero(fill_days < 30))
    departures = model.roster.departures
    # Staff on day 1 are the holders at the start (plus any hire due by day 1).
    assert staffed.iloc[1] == holders_at_start + int(np.count_nonzero(fill_days <= 1))
    assert staffed.iloc[-1] <= holders_at_start + hired
    assert staffed.iloc[-1] >= holders_at_start + hired - len(departures)


def test_a_newcomer_does_not_inherit_the_last_holders_secondment_months():
    from sim.agents.cadre import ATTRITION

    model = make_model("classroom", seed=1, days=5)
    roster = model.roster
    slot = int(np.flatnonzero(roster.occupied & (roster.unit < len(model.townships)))[-1])
    roster.secondment_days[slot] = 170.0
    roster.release(slot, 3, ATTRITION)
    roster.hire(slot, 4)
    assert roster.occupied[slot] and roster.secondment_days[slot] == 0.0
    assert roster.agents[slot].secondment_months == 0.0

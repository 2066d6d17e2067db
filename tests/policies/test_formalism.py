"""Formalism per unit and per head (issue 11, item 5; seed 004).

Routine meetings, the township's documents and its inspection preparation are charged to the
township as a unit; only the per-head parts grow with staff.
"""

import numpy as np

from sim.config import MeetingsPolicy, ScenarioConfig
from sim.kernels.columns import Mandatory
from sim.policies.meetings import MandatoryWork
from tests.conftest import run


def _per_unit_scenario(**kw):
    base = dict(name="t", meetings_per_cadre_week=1.0, routine_meetings_per_township_week=20.0,
                routine_meeting_attendees=3.0, meeting_hours=1.5, in_person_share=0.0,
                document_hours_per_cadre_week=1.0, document_hours_per_township_week=50.0,
                inspections_per_township_month=3.0, inspection_hours_per_cadre=0.5,
                inspection_hours_per_township=40.0, chat_groups_per_cadre=0.0)
    base.update(kw)
    return ScenarioConfig(**base)


def _township_hours(scenario, staff, days=4000, policy=None, seed=5):
    """Mean daily (meetings, documents, inspections) hours of one township with ``staff``."""
    work = MandatoryWork(scenario, policy or MeetingsPolicy(), np.random.default_rng(seed))
    unit = np.zeros(staff, dtype=np.int64)
    leader = np.arange(staff) < 2
    total = np.zeros(len(Mandatory))  # rows of mandatory work (the township duties' are 0)
    crew = work.crew_terms(unit, leader, np.array([10.0]))
    for _ in range(days):
        total += work.hours(crew).sum(axis=1)
    return total[:3] / days


def test_doubling_staff_does_not_double_meeting_hours():
    """Hand-made: per-unit parts stay, per-head parts double; expected values checked."""
    scenario = _per_unit_scenario()
    small, large = _township_hours(scenario, 20), _township_hours(scenario, 40)
    # Expected meeting hours a day: per head (1/5 a day each, leaders 2x) + 20/5 routine x 3.
    def meetings(n):
        return 1.5 * (1.0 / 5 * (n + 2) + 20 / 5 * 3)
    assert abs(small[0] - meetings(20)) / meetings(20) < 0.03
    assert abs(large[0] - meetings(40)) / meetings(40) < 0.03
    assert large[0] < 1.5 * small[0]  # not in proportion to staff
    # Documents: 1/5 h a head a day plus 50/5 for the township.
    assert abs(small[1] - (20 / 5 + 10)) / 14 < 0.05
    assert abs(large[1] - (40 / 5 + 10)) / 18 < 0.05
    # Inspections: 3 a month over 250/12 working days, each 0.5 h a head + 40 h the unit.
    rate = 3 * 12 / 250
    assert abs(small[2] - rate * (20 * 0.5 + 40)) / (rate * 50) < 0.08
    assert large[2] < 1.5 * small[2]


def test_per_head_charging_doubles_with_staff():
    """The old rule (nothing per unit) still doubles with staff: the contrast is real."""
    scenario = _per_unit_scenario(routine_meetings_per_township_week=0.0,
                                  document_hours_per_township_week=0.0,
                                  inspection_hours_per_township=0.0)
    small, large = _township_hours(scenario, 20), _township_hours(scenario, 40)
    assert np.allclose(large / small, [42 / 22, 2.0, 2.0], rtol=0.06)  # leaders weigh 2


def test_deputy_attends_routine_meetings():
    """Seed 004: with the deputies rule one cadre goes instead of routine_meeting_attendees."""
    scenario = _per_unit_scenario(meetings_per_cadre_week=0.0)
    before = _township_hours(scenario, 30)[0]
    after = _township_hours(scenario, 30, policy=MeetingsPolicy(deputies_attend_routine=True))[0]
    assert abs(after / before - 1 / 3) < 0.03


def test_attendance_capped_by_staff_on_duty():
    """A township with 2 cadres cannot send 3 to a meeting."""
    scenario = _per_unit_scenario(meetings_per_cadre_week=0.0)
    hours = _township_hours(scenario, 2)[0]
    assert abs(hours - 1.5 * 20 / 5 * 2) / (1.5 * 8) < 0.03


def test_leaders_alone_with_no_meeting_weight_share_the_attendance_equally():
    """Found by fuzzing: 2 leaders on duty, leaders' weight 0. The township still sends
    min(3, 2) = 2 cadres to each routine meeting, one each (it was 0/0, a crash)."""
    scenario = _per_unit_scenario(meetings_per_cadre_week=0.0, leader_meeting_multiplier=0.0)
    work = MandatoryWork(scenario, MeetingsPolicy(), np.random.default_rng(2))
    days = 4000
    crew = work.crew_terms(np.zeros(2, dtype=np.int64), np.ones(2, dtype=bool), np.array([10.0]))
    hours = sum(work.hours(crew)[0] for _ in range(days)) / days
    assert np.allclose(hours, 1.5 * 20 / 5 * 2 / 2, rtol=0.05)  # each cadre: half the meetings


#: typical_county's formalism charged per head only, as before issue 11 (same totals today).
PER_HEAD = ["scenario.meetings_per_cadre_week=4", "scenario.routine_meetings_per_township_week=0",
            "scenario.document_hours_per_cadre_week=3",
            "scenario.document_hours_per_township_week=0",
            "scenario.inspection_hours_per_cadre=2", "scenario.inspection_hours_per_township=0"]


def _meetings(overrides, seed):
    model, _, summary = run("typical_county", seed=seed, days=365, overrides=overrides)
    cadre_days = sum(t.cadre_days for t in model.townships)
    meeting_hours = sum(t.hours[3] for t in model.townships)  # MEETINGS
    return summary["hours_share"]["meetings"], meeting_hours / cadre_days * 5


def test_sinking_posts_no_longer_adds_meetings_in_proportion():
    """Over seeds, a year with both batches of 15 posts a township: per cadre, meeting hours
    fall (per head they stayed constant); the meeting share's rise is less than a third of what
    per-head charging gives. It does not vanish: each cadre's own weekly meeting stays while
    the added staff cut everyone's overtime, so fixed per-head hours weigh more in fewer hours.
    """
    rows = []
    for seed in (1, 2, 3):
        unit_base, unit_sunk = (_meetings(o, seed) for o in ([], ["policy/posts=sink"]))
        head_base, head_sunk = (_meetings(PER_HEAD + o, seed) for o in ([], ["policy/posts=sink"]))
        rows.append((unit_sunk[0] - unit_base[0], head_sunk[0] - head_base[0],
                     unit_sunk[1] / unit_base[1], head_sunk[1] / head_base[1]))
    rows = np.array(rows)
    assert (rows[:, 1] > 0).all(), rows  # per head, the share rises
    assert (rows[:, 0] < rows[:, 1] / 3).all(), rows
    assert (rows[:, 2] < 0.95).all() and (np.abs(rows[:, 3] - 1) < 0.03).all(), rows



"""The levers of issue 12 (training, promotion, transfer of secondees, secondment rules).

Each lever's mechanics on a hand-made case, and its direction over a few seeds (paired on the
same demand).
"""

import numpy as np
import pytest

from sim.agents.cadre import NOT_SECONDED, Roster
from sim.api import make_model
from sim.policies.training import _course_days
from tests.conftest import paired as paired_runs
from tests.conftest import run

SEEDS = (1, 2, 3)


def paired(scenario, overrides, metric, days=365, base=()):
    """Per-seed (baseline, reform) values of ``metric``, on seeds {SEEDS}."""
    return paired_runs(scenario, overrides, metric, days=days, base=base, seeds=SEEDS)


# -- training ---------------------------------------------------------------------------------


def test_course_days_are_spread_over_the_year_on_working_days():
    working = np.arange(365) % 7 < 5
    days = sorted(_course_days(12, working))
    assert len(days) == 12
    assert all(working[d] for d in days)
    assert all(25 <= b - a <= 35 for a, b in zip(days, days[1:], strict=False))
    assert _course_days(0, working) == frozenset()


def test_training_gain_halves_after_its_half_life_and_ends_with_the_holder():
    roster = Roster([0, 0, 0], [True] * 3, [False] * 3, [True] * 3)
    roster.bind(None, ramp_days=1.0, ramp_start=1.0, fatigue_loss=0.0, fatigue_decay=1.0)
    roster.training_decay = 0.5 ** (1 / 10)
    roster.train([1], day=5, hours=8.0, gain=0.2)
    assert roster.training_hours.tolist() == [0.0, 8.0, 0.0]
    np.testing.assert_allclose(roster.productivity(np.arange(3), 5), [1.0, 1.2, 1.0])
    np.testing.assert_allclose(roster.productivity(np.arange(3), 15), [1.0, 1.1, 1.0])
    roster.end_courses()
    assert not roster.training_hours.any() and roster.training_gain[1] == 0.2


def test_a_course_takes_its_share_of_cadres_off_the_day_and_raises_their_productivity():
    model = make_model("classroom", seed=7, days=40,
                       overrides=["policy/training=puge", "policy.training.trainee_share=0.25",
                                  "policy.training.hours_per_course=6",
                                  "policy.training.productivity_gain=0.1"])
    training = model.reforms["training"]
    course = min(training.course_days)
    for _ in range(course):
        model.step()
    roster = model.roster
    meetings_before = model.townships.hours.sum(axis=0).copy()
    before = roster.productivity(np.arange(len(roster)), course)  # fatigue as at the course
    model.step()
    # Who was on duty in a township when the course began (secondments start before it).
    trained = np.flatnonzero(roster.trained_day == course) if training.person_times else []
    on_duty = np.flatnonzero(roster.occupied & (roster.seconded_to == NOT_SECONDED)
                             & (roster.unit < len(model.townships))
                             & (roster.hired_day < course))  # not hired at the day's end
    assert training.person_times == len(trained) == round(0.25 * len(on_duty))
    assert np.all(roster.training_hours[trained] == 6.0)
    # The least productive went first: nobody left out was less productive than a trainee.
    left_out = np.setdiff1d(on_duty, trained)
    assert before[trained].max() <= before[left_out].min() + 1e-12
    with_gain = roster.productivity(trained, course)
    saved, roster.training_gain = roster.training_gain, np.zeros(len(roster))
    np.testing.assert_allclose(with_gain, 1.1 * roster.productivity(trained, course))
    roster.training_gain = saved
    assert np.all(roster.training_gain[trained] == 0.1)
    assert not roster.training_gain[left_out].any()
    # The course's hours are in the day's meetings (at least the trainees' 6 hours each,
    # unless the day's cap cut them).
    from sim.agents.township import HOURS_CATEGORIES
    meetings = HOURS_CATEGORIES.index("meetings")
    day_meetings = model.townships.hours.sum(axis=0)[meetings] - meetings_before[meetings]
    assert day_meetings >= 6.0 * len(trained) - 1e-9
    model.step()
    assert not roster.training_hours.any()  # the course is over the next day


def test_training_lowers_resolution_time_over_seeds():
    """Seed 004: the gain outweighs the hours the courses take (under the default figures)."""
    both = paired("classroom", ["policy/training=puge"], lambda s, t: s["resolution_hours_mean"])
    assert both[:, 1].mean() < both[:, 0].mean()


# -- promotion --------------------------------------------------------------------------------


def test_promotion_prospect_divides_the_hazard_and_the_wish_to_stay_seconded():
    model = make_model("classroom", seed=7, days=10,
                       overrides=["policy/promotion=puge", "policy/pay=premium",
                                  "policy.promotion.rank_rise_weight=0.5"])
    prospect = 0.094 + 0.5 * 0.373
    assert model.reforms["promotion"].prospect == pytest.approx(prospect)
    pay = 1.0 / (1.0 + 2.0 * 0.2)
    assert model.staffing.township_multiplier == pytest.approx(pay / (1.0 + 2.0 * prospect))
    base = model.scenario.secondee_extension_probability
    assert model.reforms["secondment"].extension_probability == pytest.approx(
        base * pay / (1.0 + 2.0 * prospect))


def test_a_lower_hazard_keeps_a_subset_of_the_same_leavers():
    """On the same draws, the promotion's multiplier only removes leavers, never adds one."""
    from sim.staffing import Staffing

    def leavers(multiplier):
        model = make_model("classroom", seed=3, days=5)
        staffing = Staffing(model.scenario, townships=len(model.townships),
                            attrition_multiplier=multiplier,
                            attrition_rng=np.random.default_rng(0),
                            hiring_rng=np.random.default_rng(1))
        staffing.monthly_hazard = 0.2  # enough leavers to compare
        before = model.roster.occupied.copy()
        staffing.turnover(model.roster, staffing.days_per_month)
        return set(np.flatnonzero(before & ~model.roster.occupied)), model

    base, model = leavers(1.0)
    fewer, _ = leavers(0.5)
    townships = set(np.flatnonzero(model.roster.unit < len(model.townships)))
    assert fewer < base
    assert base - townships == fewer - townships  # departments' hazard untouched


def test_promotion_lowers_attrition_and_overload_over_seeds():
    """Seeds 001, 003, 004: a prospect at home keeps cadres in the townships."""
    both = paired("classroom", ["policy/promotion=puge"],
                  lambda s, t: (s["attrition"], s["overload_index_mean"]))
    attrition, overload = both[..., 0], both[..., 1]
    assert attrition[:, 1].sum() < attrition[:, 0].sum()
    assert (overload[:, 1] <= overload[:, 0]).all()


# -- transfer of long-term secondees ----------------------------------------------------------


def _long_secondment(overrides):
    """A classroom county with one secondee 13 months into a secondment, and a vacant post in
    the borrowing department."""
    model = make_model("classroom", seed=7, days=30, overrides=overrides)
    roster, townships = model.roster, len(model.townships)
    roster.recall(np.flatnonzero(roster.seconded_to != NOT_SECONDED))
    slot = int(np.flatnonzero(roster.occupied & ~roster.leader & (roster.unit == 0))[0])
    department = int(model.departments.units[0])
    posts = roster.slots_of(department)
    vacant = int(posts[-1])
    if roster.occupied[vacant]:
        roster.release(vacant, 0, 0)
    roster.open_vacancy(vacant, 0, 500.0)
    roster.second([slot], department, day=-13 * 30.5, until=1e9)
    assert townships == 4
    return model, slot, department, vacant


def test_a_long_secondee_is_transferred_and_the_township_post_is_hired_for():
    from sim.agents.cadre import TRANSFERRED
    from sim.measures.metrics import summarize, task_table

    model, slot, department, vacant = _long_secondment(
        ["policy/transfer=kashgar", "policy.transfer.transfer_share=1"])
    roster = model.roster
    posts = roster.slots_of(department)
    was_vacant = set(posts[~roster.occupied[posts]].tolist())
    model.step()
    assert not roster.occupied[slot] and roster.seconded_to[slot] == NOT_SECONDED
    assert tuple(roster.departures[-1][[1, 2, 3]]) == (slot, 0, TRANSFERRED)
    assert 0 < roster.fill_day[slot] < np.inf  # the township post is being hired for
    (day, township_slot, township, target), = model.reforms["transfer"].transfers
    assert (day, township_slot, township) == (0, slot, 0) and target in was_vacant
    assert roster.occupied[target] and roster.hired_day[target] < -1e8  # filled, no ramp-up
    assert summarize(model, task_table(model))["secondees_transferred"] == 1


def test_no_transfer_without_a_vacant_post_or_under_the_threshold_or_the_baseline():
    for overrides, fill in ((["policy/transfer=kashgar", "policy.transfer.transfer_share=1"], True),
                            (["policy/transfer=kashgar", "policy.transfer.transfer_share=1",
                              "policy.transfer.after_months=14"], False),
                            ([], False)):
        model, slot, department, vacant = _long_secondment(overrides)
        roster = model.roster
        if fill:
            posts = roster.slots_of(department)
            for post in posts[~roster.occupied[posts]]:
                roster.hire(int(post), 0)
        model.step()
        assert roster.occupied[slot] and roster.seconded_to[slot] == department
        assert model.reforms["transfer"].transfers == []


# -- details of the secondment rules ----------------------------------------------------------

NO_DETAILS = ["policy.secondment.consent_probability=1",
              "policy.secondment.prohibited_request_share=0",
              "policy.secondment.approval_delay_days=0",
              "policy.secondment.major_project_share=0"]


def test_without_consent_no_request_goes_ahead():
    model = make_model("classroom", seed=2, days=365,
                       overrides=["policy.secondment.consent_probability=0"])
    model.run()
    rule = model.reforms["secondment"]
    assert rule.requests > 0 and rule.refused == rule.requests
    assert not (model.roster.secondment_started > 0).any()  # only the initial secondments


def test_an_approved_request_starts_after_the_approval_delay():
    model = make_model("classroom", seed=2, days=5,
                       overrides=["policy.secondment.approval_delay_days=10"])
    rule = model.reforms["secondment"]
    lengths = np.array([50.0, 60.0, 70.0])
    assert rule._requests_due(3, [2], lengths) == []
    assert rule._requests_due(12, [0], lengths) == []
    assert rule._requests_due(13, [], lengths) == [(2, 70.0, False)]
    assert rule._requests_due(22, [], lengths) == [(0, 50.0, False)]
    assert rule.pending == []


def test_major_project_secondees_stay_through_a_ban():
    for share, stays in ((1.0, True), (0.0, False)):
        model = make_model("classroom", seed=2, days=3,
                           overrides=["policy/secondment=banned",
                                      f"policy.secondment.major_project_share={share}"])
        seconded = np.flatnonzero(model.roster.seconded_to != NOT_SECONDED)
        assert len(seconded) == 4  # one a township (classroom)
        model.step()
        still = model.roster.seconded_to[seconded] != NOT_SECONDED
        assert still.all() if stays else not still.any()


def test_the_detailed_rules_lower_secondments_over_seeds():
    """Seed 003: consent, prohibitions and approval borrow fewer cadres than term caps alone."""
    both = np.array([[run("classroom", seed=seed, days=365, overrides=overrides)[2][
        "secondment_months_total"] for overrides in (["policy/secondment=regulated", *NO_DETAILS],
                                                     ["policy/secondment=regulated"])]
        for seed in SEEDS])
    assert both[:, 1].mean() < both[:, 0].mean()


def test_transfers_shorten_the_time_townships_lose_to_secondments_over_seeds():
    """Seed 003: transferred secondees stop being township cadres away from their posts."""
    both = paired("typical_county", ["policy/transfer=kashgar", "policy.transfer.after_months=6",
                                     "policy.transfer.transfer_share=1"],
                  lambda s, t: (s["secondments_active_mean"], s["secondees_transferred"]),
                  days=540)
    active, transferred = both[..., 0], both[..., 1]
    assert (transferred[:, 0] == 0).all() and (transferred[:, 1] > 0).all()
    assert active[:, 1].mean() < active[:, 0].mean()

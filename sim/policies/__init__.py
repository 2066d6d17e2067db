"""The reform levers: one module each, listed once in :data:`LEVERS`.

A lever is a Hydra config group ``policy/<name>`` (its presets under ``configs/policy/<name>/``,
its schema a dataclass in :mod:`sim.config`), a module here that builds the reform's object from
the model, and its texts on the dashboard. Everything that needs the list of levers (the
summary's ``policy`` record, ``sim.compare``'s baseline, the dashboard, the tests) reads it from
:data:`LEVERS`.

A reform object may have a ``start_day(model, day)`` hook, which the model calls at the start of
each day in the order of :data:`LEVERS` (posts moved, then secondments started or ended); the
others act through the collections that hold them (the townships' mandatory work, the demand's
refusals, the departments' case book, the staffing's hazards). A ``take_arrivals(model, day,
arrived, ids)`` hook returns the day's arrivals the townships keep (purchased services take some
out), and an ``end_day(model, day)`` hook returns items sent back to the townships and requests
resolved (contractors' returns, residents' call-backs); ``item_columns(n)`` and
``summary_figures()`` add a reform's columns to the task table and figures to the summary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from sim.policies.coordination import Coordination
from sim.policies.enforcement import EnforcementTeam
from sim.policies.feedback import ResidentsEvaluation
from sim.policies.meetings import MandatoryWork
from sim.policies.pay import PayPremium
from sim.policies.plaques import PlaqueClearing
from sim.policies.platform import Platform
from sim.policies.pool import PoolFlows
from sim.policies.posts import PostsReform, plan_for_county
from sim.policies.promotion import PromotionChannels
from sim.policies.purchase import PurchasedServices
from sim.policies.reallocation import Reallocation
from sim.policies.residence import VillageResidence
from sim.policies.secondment import SecondmentRule
from sim.policies.tasks import AccessList
from sim.policies.training import Training
from sim.policies.transfer import SecondeeTransfer
from sim.policies.work_teams import WorkTeams


@dataclass(frozen=True)
class Lever:
    """One reform lever.

    Args:
        name: Config group ``policy/<name>`` and key ``policy.<name>``.
        baseline: The preset that means "no reform" (the comparison's reference).
        seeds: The reports (``../shared/seeds/``) it comes from.
        build: Builds the reform's object for a model whose county is built.
        reform: The preset of the reform as the reports describe it (what studies compare
            with the baseline).
    """

    name: str
    baseline: str
    seeds: tuple[str, ...]
    build: Callable
    reform: str = ""


def _posts(model):
    policy = model.policy.posts
    plan = plan_for_county(policy, model.scenario, townships=model.townships,
                           departments=model.departments, roster=model.roster)
    return PostsReform(plan, with_people=policy.with_people,
                       department_min_posts=model.scenario.department_min_posts)


def _secondment(model):
    pay = PayPremium(model.policy.pay)
    promotion = PromotionChannels(model.policy.promotion)
    return SecondmentRule(model.scenario, model.policy.secondment, model.streams["secondment"],
                          extension_multiplier=pay.extension_multiplier
                          * promotion.extension_multiplier,
                          rules_rng=model.streams["secondment_rules"])


def _pool(model):
    flows = PoolFlows(model.scenario, model.policy.pool, model.pool_unit)
    reserve = model.roster.slots_of(model.pool_unit)
    model.roster.fill_day[reserve] = np.inf  # not hired for: they arrive with their cadres
    return flows


def _coordination(model):
    """The case book, with the platform's dispatch and the enforcement teams' matters."""
    return Coordination(model.scenario, model.policy.coordination,
                        platform=Platform(model.scenario, model.policy.platform),
                        enforcement=EnforcementTeam(model.scenario, model.policy.enforcement,
                                                    model.streams["enforcement"],
                                                    len(model.townships)))


LEVERS: tuple[Lever, ...] = (
    Lever("posts", "baseline", ("000", "002", "004"), _posts, reform="sink"),
    Lever("secondment", "unregulated", ("003",), _secondment, reform="banned"),
    Lever("meetings", "baseline", ("004",),
          lambda m: MandatoryWork(m.scenario, m.policy.meetings, m.streams["overhead"]),
          reform="cut"),
    Lever("tasks", "baseline", ("001", "002"), lambda m: AccessList(m.policy.tasks),
          reform="access_list"),
    Lever("coordination", "buck_passing", ("001", "002", "004"),
          _coordination, reform="whistle"),
    Lever("pay", "baseline", ("003",), lambda m: PayPremium(m.policy.pay), reform="premium"),
    Lever("training", "baseline", ("004", "001"),
          lambda m: Training(m.scenario, m.policy.training, m.streams["training"], m.working),
          reform="puge"),
    Lever("promotion", "baseline", ("000", "001", "003", "004"),
          lambda m: PromotionChannels(m.policy.promotion), reform="puge"),
    Lever("transfer", "baseline", ("003",),
          lambda m: SecondeeTransfer(m.scenario, m.policy.transfer, m.streams["transfer"]),
          reform="kashgar"),
    Lever("reallocation", "baseline", ("002",),
          lambda m: Reallocation(m.scenario, m.policy.reallocation,
                                 [t.population for t in m.townships],
                                 [t.posts for t in m.townships]),
          reform="qujing"),
    Lever("pool", "baseline", ("000",), _pool, reform="henan"),
    Lever("purchase", "baseline", ("001",),
          lambda m: PurchasedServices(m.scenario, m.policy.purchase, m.streams["purchase"],
                                      townships=len(m.townships), days=m.days),
          reform="zhucheng"),
    Lever("feedback", "baseline", ("001",),
          lambda m: ResidentsEvaluation(m.scenario, m.policy.feedback, m.streams["feedback"]),
          reform="zhucheng"),
    # Built into the case book (_coordination); the registry names the same objects.
    Lever("enforcement", "baseline", ("001", "002", "004"),
          lambda m: m.reforms["coordination"].enforcement, reform="one_team"),
    Lever("platform", "baseline", ("001", "002"),
          lambda m: m.reforms["coordination"].platform, reform="one_intake"),
    Lever("residence", "baseline", ("004", "003"),
          lambda m: VillageResidence(m.policy.residence, len(m.townships), m.pure_queue),
          reform="puge"),
    Lever("work_teams", "baseline", ("002",), lambda m: WorkTeams(m.policy.work_teams),
          reform="qujing"),
    Lever("plaques", "baseline", ("002", "004"),
          lambda m: PlaqueClearing(m.scenario, m.policy.plaques), reform="qujing"),
)
LEVER_NAMES: tuple[str, ...] = tuple(lever.name for lever in LEVERS)
#: The preset of every lever that means "no reform".
BASELINE_PRESETS: dict[str, str] = {lever.name: lever.baseline for lever in LEVERS}


def build_reforms(model) -> dict:
    """Every lever's reform object for ``model``, by lever name, in the order of ``LEVERS``.

    Built in that order into ``model.reforms``, so a lever may use those built before it.
    """
    model.reforms = {}
    for lever in LEVERS:
        model.reforms[lever.name] = lever.build(model)
    return model.reforms

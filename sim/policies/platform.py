"""One-stop platform: one intake, joint handling (一端受理、多口联办; 乡呼县应; 网格呼叫、部门报到).

Seed 001 (Zhucheng) reports that cross-department matters were "handled by many heads or kicked
around" and slow, that the community grids asked for one platform taking residents' matters in
at one end and handled jointly, and that the city built a "township calls, county answers"
(乡呼县应) platform on the government network with "grid calls, departments report". Seed 002
(Qujing) runs "one matter" (一件事) joint handling.

The platform acts in three ways, each switchable through its parameters:

* direct dispatch: a case goes straight to the department the responsibility list names, so a
  department bounces it ("not ours") less often (``bounce_multiplier``, applied by
  :class:`~sim.policies.coordination.Coordination`);
* merging: a share of residents' township-only requests repeat a matter already reported; the
  platform merges them, and handling a merged repeat takes ``merged_effort_share`` of its effort
  (which requests are repeats is drawn from the ``platform`` stream, so the same requests are
  repeats in every run of a seed);
* upkeep: every township spends ``upkeep_hours_per_township_week`` keeping the platform
  (entering, dispatching, closing and reporting cases), one item in its queue each Monday.
"""

from __future__ import annotations

import numpy as np

from sim.config import PlatformPolicy, ScenarioConfig
from sim.demand import Arrivals
from sim.kernels.columns import Kind

#: Kinds of request a township handles alone, whose repeats the platform merges.
MERGEABLE = (Kind.REQUEST, Kind.COMPLEX, Kind.UTILITY)


class Platform:
    """The one-stop platform's effects on bounces, repeated requests and township hours.

    Args:
        scenario: The county (a pure queue has no platform).
        policy: The reform's switch and parameters.
    """

    def __init__(self, scenario: ScenarioConfig, policy: PlatformPolicy):
        """Read the policy; everything is off unless ``policy.platform``."""
        self.on = bool(policy.platform) and not scenario.pure_queue
        self.policy = policy
        self.merged = 0

    def bounce_probability(self, probability: float) -> float:
        """A department's chance of bouncing a case, with cases dispatched by the platform."""
        return probability * self.policy.bounce_multiplier if self.on else probability

    def merge(self, rng: np.random.Generator, kind: np.ndarray, effort: np.ndarray) -> np.ndarray:
        """Cut the effort of merged repeats among requests of ``kind`` (in place); their mask.

        One uniform per request is drawn from ``rng`` (the ``platform`` stream).
        """
        repeat = (rng.random(len(kind)) < self.policy.duplicate_share) & np.isin(kind, MERGEABLE)
        effort[repeat] *= self.policy.merged_effort_share
        self.merged = int(repeat.sum())
        return repeat

    def upkeep(self, *, townships: int, days: int, open_hour: float) -> Arrivals | None:
        """The weekly upkeep: one item per township each Monday (day 0 is a Monday)."""
        hours = self.policy.upkeep_hours_per_township_week
        if not self.on or hours <= 0:
            return None
        mondays = np.arange(0, days, 7)
        time = np.tile(mondays * 24.0 + open_hour, townships)
        township = np.repeat(np.arange(townships), len(mondays))
        n = len(time)
        return Arrivals(township=township, time=time, effort=np.full(n, float(hours)),
                        kind=np.full(n, Kind.TASK, dtype=np.int8),
                        deadline=time + 7 * 24.0, extra={})

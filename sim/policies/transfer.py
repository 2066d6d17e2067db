"""Long secondments turned into transfers (调入; seed 003).

Kashgar (seed 003) found over a hundred long-term secondees in its organs: most went back, and
38 were transferred to the organs that had borrowed them, within those organs' posts. The
township's post was then free and could be hired for, so the township got a cadre back. Here a
secondee whose unbroken secondment reaches ``after_months`` is transferred with chance
``transfer_share`` (one draw per secondment) if the borrowing department has a vacant post: the
holder leaves the township post (reason ``TRANSFERRED``), which is hired for after the usual lag;
the department's vacant post is filled by the transferee at once (no ramp-up), in place of the
hire it was waiting for. Without a vacant post there is no transfer and the secondment goes on.
"""

from __future__ import annotations

import numpy as np

from sim.agents.cadre import NOT_SECONDED, TRANSFERRED
from sim.config import ScenarioConfig, TransferPolicy


class SecondeeTransfer:
    """Turns long secondments into transfers.

    Args:
        scenario: Month length; pure queues have no secondments.
        policy: Threshold and chance.
        rng: The ``transfer`` stream.
    """

    def __init__(self, scenario: ScenarioConfig, policy: TransferPolicy, rng):
        """Keep the threshold in days."""
        self.rng = rng
        self.enabled = policy.after_months is not None and not scenario.pure_queue
        self.after_days = (policy.after_months or 0.0) * scenario.days_per_month
        self.share = policy.transfer_share
        self._decided: dict[int, float] = {}  # slot -> start day of the secondment decided on
        #: Transfers made: (day, township slot, township, department slot).
        self.transfers: list[tuple[int, int, int, int]] = []

    def start_day(self, model, day: int) -> None:
        """Decide on the secondments that reach the threshold today; transfer the chosen."""
        if not self.enabled:
            return
        roster = model.roster
        started = roster.secondment_started
        due = np.flatnonzero((roster.seconded_to != NOT_SECONDED)
                             & (day - np.nan_to_num(started, nan=np.inf) >= self.after_days))
        due = [int(s) for s in due if self._decided.get(int(s)) != started[s]]
        if not due:
            return
        chosen = self.rng.random(len(due)) < self.share
        for slot, transfer in zip(due, chosen, strict=True):
            self._decided[slot] = started[slot]
            if transfer:
                self._transfer(model, slot, day)

    def _transfer(self, model, slot: int, day: int) -> None:
        roster = model.roster
        department = int(roster.seconded_to[slot])
        posts = roster.slots_of(department)
        vacant = posts[~roster.occupied[posts]]
        if len(vacant) == 0:
            return  # no post within the department's limit: the secondment goes on
        unit = int(roster.unit[slot])
        roster.release(slot, day, TRANSFERRED)
        model.staffing.open_vacancies(roster, [slot], day)
        target = int(vacant[0])
        roster.hire(target, day)
        roster.hired_day[target] = -1e9  # an experienced cadre: no ramp-up
        self.transfers.append((day, slot, unit, target))

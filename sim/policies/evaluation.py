"""Evaluation pressure as a queue discipline (考核; issue 11, item 2).

The reports describe formalism crowding out service: tasks from above that are backed by
evaluation and inspection are done before residents' requests, because they are what the
township is scored on (002, 004). Under ``scenario.discipline=evaluation`` each kind of work
carries an evaluation weight and the queue serves emergencies first, then work of higher weight,
then, within a weight, the nearest deadline (the compiled heap compares the item table's
``priority`` column first, then the deadline). Three reforms change the weight of tasks:

- two-way evaluation (双向考核, 002, 004): townships score the departments, and the departments'
  score of a township counts half, so a pushed-down task's weight is multiplied by
  ``policy.coordination.evaluation_task_weight_multiplier``;
- unified inspections (004): fewer ad hoc checks of each task, ``policy.meetings.
  unified_task_weight_multiplier``;
- an access list (001, 002): the township is not assessed on tasks outside its list, whose
  weight is multiplied by ``policy.tasks.outside_list_weight_multiplier``.

One reform changes the weight of residents' requests (and of re-handlings and reopened requests,
which share it): residents' evaluation (call-backs and on-site ratings, 001) puts their
satisfaction in the score, ``policy.feedback.request_weight_multiplier`` (``feedback.py``).

The township's own statutory work (本级法定职责, issue 11 item 9) carries
``scenario.own_work_evaluation_weight``, by default the weight of a pushed-down task before any
reform: the duties on the township's list are in its annual assessment as tasks are, and the
reforms above change how the departments' tasks are scored, not the township's own duties.

Under ``priority`` (emergencies, then nearest deadline) and ``fifo`` the table is today's: 0 for
emergencies, 1 for everything else (``fifo`` ignores it).
"""

from __future__ import annotations

import numpy as np

from sim.config import PolicyConfig, ScenarioConfig
from sim.work import EMERGENCY, TASK, Kind


def priority_table(scenario: ScenarioConfig, policy: PolicyConfig) -> np.ndarray:
    """Queue priority (0 first) of each kind of item, inside and outside the task list.

    Returns:
        int8 array of shape (len(Kind), 2): ``[kind, outside_list]``.
    """
    table = np.ones((len(Kind), 2), dtype=np.int8)
    table[EMERGENCY] = 0
    if scenario.discipline != "evaluation":
        return table
    request = scenario.request_evaluation_weight
    if policy.feedback.callback_share > 0:  # residents' satisfaction is scored (feedback.py)
        request *= policy.feedback.request_weight_multiplier
    weights = np.full((len(Kind), 2), request)
    task = scenario.task_evaluation_weight
    if policy.coordination.two_way_evaluation:
        task *= policy.coordination.evaluation_task_weight_multiplier
    if policy.meetings.unified_inspections:
        task *= policy.meetings.unified_task_weight_multiplier
    outside = task * (policy.tasks.outside_list_weight_multiplier
                      if policy.tasks.access_list else 1.0)
    weights[TASK] = (task, outside)
    # The township's own duties (issue 11, item 9); without any, their row takes the task's
    # weight, so that the other kinds' ranks are as before.
    own = scenario.own_work_evaluation_weight
    has_own = scenario.own_work_per_township_week or scenario.own_work_per_10k_people_week
    weights[Kind.OWN_WORK] = (task if not has_own
                              else scenario.task_evaluation_weight if own is None else own)
    others = np.ones_like(weights, dtype=bool)
    others[EMERGENCY] = False
    levels = np.unique(weights[others])[::-1]  # heaviest first
    table[others] = 1 + np.searchsorted(-levels, -weights[others])
    return table

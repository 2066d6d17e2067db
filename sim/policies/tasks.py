"""Task access lists (准入清单, 属地管理事项清单): refusing the department's own work.

Seeds 001 and 002: Zhucheng and Qujing list what townships are responsible for; a task outside
the list "goes back to the department: the department is responsible, the township exempt". In
the model a share of pushed-down tasks lies outside the list; under an access list the township
refuses such a task with the given rate and the department absorbs its hours.
"""

from __future__ import annotations

from sim.config import TasksPolicy


class AccessList:
    """Decides whether a pushed-down task is refused and returned to its department.

    Args:
        policy: Whether an access list is in force and how strictly it is applied.
    """

    def __init__(self, policy: TasksPolicy):
        """Keep the refusal rate (zero without an access list)."""
        self.refusal_rate = policy.refusal_rate if policy.access_list else 0.0

    def refuses(self, outside_list, draw):
        """Whether tasks are refused, given their pre-drawn uniforms ``draw`` (or one task's)."""
        return outside_list & (draw < self.refusal_rate)

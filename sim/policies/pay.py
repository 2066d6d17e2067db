"""Township pay premium (seed 003: township pay at least 20% above county organs).

Baotou raised township pay so that cadres stay and fewer want to be borrowed upward. The premium
divides the monthly hazard of leaving and the chance that a secondee asks to stay on at the
borrowing unit by ``1 + elasticity * premium``.
"""

from __future__ import annotations

from sim.config import PayPolicy


class PayPremium:
    """Multipliers the pay premium applies to attrition and to secondment extensions.

    Args:
        policy: The premium and its elasticities.
    """

    def __init__(self, policy: PayPolicy):
        """Compute the two multipliers once."""
        self.attrition_multiplier = 1.0 / (1.0 + policy.attrition_elasticity * policy.premium)
        self.extension_multiplier = 1.0 / (1.0 + policy.extension_elasticity * policy.premium)

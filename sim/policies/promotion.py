"""Promotion channels and leadership posts for township cadres (职数; seeds 000, 001, 003, 004).

Zhucheng (seed 001) added 70 deputy posts in its towns over three years; Baotou (seed 003) gave
45.2% of its promotions to grassroots cadres; Puge (seed 004) promoted 46 front-line cadres and
raised 251 in rank. A better prospect at home makes cadres less likely to leave and less keen to
stay on at a county department that borrowed them. The prospect is
``promotion_rate + rank_rise_weight * rank_rise_rate`` (yearly chances above today's); like the
pay premium (:mod:`sim.policies.pay`), it divides the monthly hazard of leaving and the chance
that a secondee asks to stay on by ``1 + elasticity * prospect``.
"""

from __future__ import annotations

from sim.config import PromotionPolicy


class PromotionChannels:
    """Multipliers the promotion prospect applies to attrition and to secondment extensions.

    Args:
        policy: The channels and their elasticities.
    """

    def __init__(self, policy: PromotionPolicy):
        """Compute the prospect and the two multipliers once."""
        self.prospect = policy.promotion_rate + policy.rank_rise_weight * policy.rank_rise_rate
        self.attrition_multiplier = 1.0 / (1.0 + policy.attrition_elasticity * self.prospect)
        self.extension_multiplier = 1.0 / (1.0 + policy.extension_elasticity * self.prospect)

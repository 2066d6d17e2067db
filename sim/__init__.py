"""Agent-based model of the workload of Chinese township governments ("小马拉大车")."""

from sim.config import register_configs

register_configs()

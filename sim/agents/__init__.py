"""The model's agents: townships, cadres and county departments."""

from sim.agents.cadre import Cadre, Roster
from sim.agents.department import CountyDepartment
from sim.agents.township import HOURS_CATEGORIES, Township

__all__ = ["Cadre", "CountyDepartment", "HOURS_CATEGORIES", "Roster", "Township"]

"""Teaching dashboard: a live, bilingual browser demonstration of the reforms (小马拉大车).

``make dashboard`` serves :mod:`sim.dashboard.app` with Mesa's SolaraViz. The class picks a
scenario and the reform levers of the seed reports (``seeds/000`` to ``seeds/004``), then watches
a baseline county and the reformed county run side by side on the same citizen demand.

Modules: :mod:`~sim.dashboard.levers` (the controls and the Hydra overrides they stand for),
:mod:`~sim.dashboard.comparison` (the two-county model SolaraViz drives),
:mod:`~sim.dashboard.text` (every string in Chinese and English), :mod:`~sim.dashboard.views`
(the plots and the headline table) and :mod:`~sim.dashboard.app` (the page).
"""

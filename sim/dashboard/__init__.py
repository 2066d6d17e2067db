"""Teaching dashboard: a bilingual browser page for comparing the reforms in class (小马拉大车).

``make dashboard`` (``python -m sim.dashboard``) serves :mod:`sim.dashboard.app` on Solara. A
class picks a scenario and the reform levers of the seed reports (``seeds/000`` to
``seeds/004``) and sees the whole year of a baseline county and the reformed county on the same
citizen demand at once, then replays it day by day.

Modules: :mod:`~sim.dashboard.engine` (the one owner of the models: builds, runs, caches and
releases county-years), :mod:`~sim.dashboard.snapshot` (the only adapter to the model: a
finished year as plain arrays), :mod:`~sim.dashboard.charts` (ECharts options from snapshots),
:mod:`~sim.dashboard.levers` (the levers, slider ranges and URL settings, one place each),
:mod:`~sim.dashboard.text` (every string in Chinese and English), :mod:`~sim.dashboard.store`
(saved scenarios) and :mod:`~sim.dashboard.app` (the page).
"""

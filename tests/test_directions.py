"""Directions reported in the seeds, which must come out of the mechanics (DESIGN.md section 7).

Each test compares a reform with the baseline on the same demand (same seeds) over a few seeds.
Nothing in the model is written to produce these directions: they follow from who does which
hours, and how long queues get.
"""


from tests.conftest import paired as paired_runs

SEEDS = (1, 2, 3)


def paired(scenario, overrides, metric, days=180, base=()):
    """Per-seed (baseline, reform) values of ``metric``, on seeds {SEEDS}."""
    return paired_runs(scenario, overrides, metric, days=days, base=base, seeds=SEEDS)


def test_returning_baotou_secondees_lowers_load_and_resolution_time():
    """Seed 003: Baotou's street got its 4 secondees back; the load on the others fell."""
    load = paired("baotou_street", ["policy/secondment=banned"],
                  lambda s, t: s["overload_index_mean"])
    assert (load[:, 1] < load[:, 0]).all()
    resolution = paired("baotou_street", ["policy/secondment=banned"],
                        lambda s, t: s["resolution_hours_mean"])
    assert resolution[:, 1].mean() < resolution[:, 0].mean()


def test_sinking_posts_lowers_township_overload_and_raises_department_utilisation():
    """Seed 000: 减县补乡 fills townships from county units with slack."""
    both = paired("typical_county", ["policy/posts=sink"],
                  lambda s, t: (s["overload_index_mean"], s["department_utilisation"]))
    overload, utilisation = both[..., 0], both[..., 1]
    assert (overload[:, 1] < overload[:, 0]).all()
    assert (utilisation[:, 1] > utilisation[:, 0]).all()


def test_cutting_meetings_shifts_hours_to_service():
    """Seed 004: 精文减会 frees hours for residents' matters."""
    def shares(s, t):
        h = s["hours_share"]
        return h["meetings"] + h["chat_groups"], h["service"] + h["cross_department"] + h["tasks"]
    both = paired("typical_county", ["policy/meetings=cut"], shares)
    formalism, service = both[..., 0], both[..., 1]
    assert (formalism[:, 1] < formalism[:, 0]).all()
    assert (service[:, 1] > service[:, 0]).all()


def test_whistle_shortens_cross_department_cases():
    """Seeds 001, 002, 004: joint handling with response deadlines ends the buck-passing."""
    def cross_resolution(s, t):
        cases = t[(t["kind"] == "cross_department") & (t["status"] == "resolved")]
        return cases["resolution_hours"].mean()
    both = paired("typical_county", ["policy/coordination=whistle"], cross_resolution)
    assert (both[:, 1] < both[:, 0]).all()


def test_access_list_returns_tasks_to_departments():
    """Seeds 001, 002: tasks outside the list go back; the department absorbs their hours."""
    both = paired("classroom", ["policy/tasks=access_list"],
                  lambda s, t: (s["hours_share"]["tasks"], s["department_refused_task_hours"]))
    assert (both[:, 1, 0] < both[:, 0, 0]).all()
    assert (both[:, 0, 1] == 0).all() and (both[:, 1, 1] > 0).all()

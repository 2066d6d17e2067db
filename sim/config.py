"""Typed configuration: the schema every Hydra config is checked against.

Each dataclass is the schema of one config group (a scenario, or one policy lever). Field names
are the keyword names the model takes, so a key reads the same in YAML, in the model and on the
dashboard. Hydra rejects an unknown key or a wrong type at composition; :func:`validate` then
checks the values (signs, shares, what the post ledger can supply) before anything is simulated.
Defaults here are neutral; the scenario files under ``configs/scenario/`` set and cite the figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hydra.core.config_store import ConfigStore
from omegaconf import MISSING


@dataclass
class ScenarioConfig:
    """A county (or one street/town): its units, staff, demand and everyday burdens.

    Units: hours are cadre-hours, rates are per calendar day/week/month/year as named.
    """

    name: str = MISSING
    description: str = ""
    # Counties of this kind run side by side (a province, e.g. Henan's 156, seed 000); above 1,
    # ``python -m sim`` hands the run to :mod:`sim.runners.province`, one model per county.
    counties: int = 1
    # Geography and people.
    townships: int = 14
    population_min: int = 20_000
    population_max: int = 80_000
    distance_km_min: float = 5.0
    distance_km_max: float = 60.0
    villages_per_township: int = 10
    # Posts (编制) and staff.
    posts_per_township: int = 70
    admin_share: float = 0.33
    fill_rate: float = 0.95
    leaders_per_township: int = 6
    departments: int = 35
    posts_per_department: int = 40
    department_fill_rate: float = 0.95
    department_utilisation_min: float = 0.4
    department_utilisation_max: float = 0.95
    department_min_posts: int = 8
    initial_secondees_per_township: int = 0
    initial_secondment_months: float = 9.0
    # Calendar.
    calendar: str = "working"  # working | always_on
    discipline: str = "priority"  # priority | fifo
    regular_hours_per_day: float = 8.0
    overtime_cap_hours_per_day: float = 3.0
    # Citizen requests (群众诉求).
    requests_per_1000_people_day: float = 0.12
    request_effort_mean_hours: float = 2.0
    request_effort_sigma: float = 0.8
    complex_share: float = 0.2
    utility_share: float = 0.05
    emergencies_per_township_month: float = 1.0
    emergency_effort_mean_hours: float = 6.0
    deadline_general_days: float = 7.0
    deadline_complex_days: float = 15.0
    deadline_utility_hours: float = 24.0
    deadline_emergency_hours: float = 2.0
    # Cross-department cases.
    cross_department_share: float = 0.15
    max_departments_per_case: int = 3
    department_response_days_mean: float = 4.0
    bounce_probability: float = 0.35
    max_bounces: int = 4
    rework_effort_mean_hours: float = 1.5
    department_part_effort_mean_hours: float = 4.0
    # Pushed-down tasks (上级交办).
    tasks_per_department_township_week: float = 0.6
    task_effort_mean_hours: float = 10.0
    task_effort_sigma: float = 0.9
    task_deadline_days: float = 10.0
    task_outside_list_share: float = 0.3
    # Mandatory work.
    meetings_per_cadre_week: float = 2.0
    meeting_hours: float = 1.5
    leader_meeting_multiplier: float = 2.0
    in_person_share: float = 0.8
    travel_speed_kmh: float = 40.0
    document_hours_per_cadre_week: float = 3.0
    inspections_per_township_month: float = 3.0
    inspection_hours_per_cadre: float = 2.0
    chat_groups_per_cadre: float = 25.0
    chat_hours_per_group_day: float = 0.05
    # Secondment (借调) demand from departments' special projects (专班).
    projects_per_department_year: float = 0.5
    secondees_per_project: int = 1
    project_months_mean: float = 9.0
    secondee_home_work_share: float = 0.3
    secondee_extension_probability: float = 0.5
    # Cadres: fatigue, attrition, hiring.
    attrition_rate_year: float = 0.015
    fatigue_hazard_multiplier: float = 3.0
    fatigue_productivity_loss: float = 0.2
    fatigue_half_life_days: float = 20.0
    hiring_lag_months: float = 6.0
    ramp_up_months: float = 6.0
    ramp_up_start_productivity: float = 0.6
    # Pure-queue validation (scenario ``mmc``): when ``pure_queue`` is set, the township is an
    # M/M/c queue with these three numbers and every other mechanism is off.
    pure_queue: bool = False
    servers: int = 3
    arrival_rate_per_hour: float = 2.0
    mean_service_hours: float = 1.0


@dataclass
class PostsPolicy:
    """Sinking posts from county units to townships (编制下沉, 减县补乡; seeds 000, 002, 004)."""

    name: str = "baseline"
    per_township: int = 0
    total: int | None = None
    allocation: str = "equal"  # equal | population | workload | score
    # allocation=workload gives each post in turn to the township with the highest expected
    # load; allocation=score weighs population^a * expected_load^b * distance_km^c (the family
    # the allocation study searches with Optuna).
    population_exponent: float = 0.0
    workload_exponent: float = 1.0
    distance_exponent: float = 0.0
    stages: int = 1
    stage_interval_days: int = 120
    with_people: bool = True
    min_posts_per_township: int = 0
    min_admin_posts_per_township: int = 0
    min_township_share: float = 0.0


@dataclass
class SecondmentPolicy:
    """Rules on borrowing township cadres (借调; seed 003)."""

    name: str = "unregulated"
    mode: str = "unregulated"  # unregulated | regulated | banned
    term_months: float = 3.0
    renewal_approval_probability: float = 0.5
    max_cumulative_months: float = 6.0


@dataclass
class MeetingsPolicy:
    """Cutting documents, meetings, chat groups and ad hoc inspections (精文减会; seed 004)."""

    name: str = "baseline"
    meeting_cut: float = 0.0
    video_share: float = 0.0
    deputies_attend_routine: bool = False
    document_cut: float = 0.0
    chat_group_cut: float = 0.0
    unified_inspections: bool = False
    inspection_batch_factor: float = 0.25


@dataclass
class TasksPolicy:
    """Task access list (准入清单 / 属地管理清单; seeds 001, 002)."""

    name: str = "baseline"
    access_list: bool = False
    refusal_rate: float = 0.0


@dataclass
class CoordinationPolicy:
    """Cross-department cases: buck-passing vs township whistles (吹哨报到; seeds 001, 002, 004)."""

    name: str = "buck_passing"
    mode: str = "serial"  # serial | parallel
    response_deadline_days: float | None = None
    bounce_multiplier: float = 1.0
    two_way_evaluation: bool = False
    evaluation_delay_multiplier: float = 0.7
    evaluation_bounce_multiplier: float = 0.6


@dataclass
class PayPolicy:
    """Township pay premium over county organs (seed 003: at least +20%)."""

    name: str = "baseline"
    premium: float = 0.0
    attrition_elasticity: float = 2.0
    extension_elasticity: float = 2.0


@dataclass
class PolicyConfig:
    """The six levers; each is a config group with presets under ``configs/policy/``."""

    posts: PostsPolicy = field(default_factory=PostsPolicy)
    secondment: SecondmentPolicy = field(default_factory=SecondmentPolicy)
    meetings: MeetingsPolicy = field(default_factory=MeetingsPolicy)
    tasks: TasksPolicy = field(default_factory=TasksPolicy)
    coordination: CoordinationPolicy = field(default_factory=CoordinationPolicy)
    pay: PayPolicy = field(default_factory=PayPolicy)


@dataclass
class OutputConfig:
    """What a run writes besides ``summary.json``."""

    tables: bool = True
    # The one-row-per-work-item table (tasks.parquet, zstd): None writes it for a single run and
    # leaves it out of sweeps (sim.compare reads summaries and daily series; a province
    # aggregated from a sweep needs it: output.tasks=true).
    tasks: bool | None = None
    # None draws figures for a single run and leaves them out of sweeps (sim.compare draws them).
    figures: bool | None = None
    progress: bool = True
    # The summary.json key a run returns to Hydra (what an Optuna sweep minimises).
    objective: str = "resolution_hours_mean"


@dataclass
class BlockConfig:
    """Several runs in one job (one process pays the imports once; see sim.runners.batch).

    With ``size`` above 1, a job of a county scenario runs seeds ``seed`` to ``seed + size - 1``;
    a job of a province (``scenario.counties > 1``) runs its counties ``first`` to
    ``first + size - 1`` and leaves them to ``python -m sim.province aggregate``.
    """

    size: int = 1
    first: int = 0


@dataclass
class Config:
    """Root schema: one run of one scenario under one mix of policies."""

    scenario: ScenarioConfig = field(default_factory=ScenarioConfig)
    policy: PolicyConfig = field(default_factory=PolicyConfig)
    output: OutputConfig = field(default_factory=OutputConfig)
    block: BlockConfig = field(default_factory=BlockConfig)
    seed: int = 20240328
    days: int = 365


def register_configs() -> None:
    """Register the root schema with Hydra's ConfigStore (called on import of :mod:`sim`).

    ``configs/config.yaml`` lists ``config_schema`` first in its defaults, so every scenario
    and preset file is merged onto these typed dataclasses and checked key by key.
    """
    ConfigStore.instance().store(name="config_schema", node=Config)

"""Typed configuration: the schema every Hydra config is checked against, one declaration a field.

Each dataclass is the schema of one config group (a scenario, or one policy lever). Field names
are the keyword names the model takes, so a key reads the same in YAML, in the model and on the
dashboard. Every field is declared once with :func:`param`: its default, unit, valid range (what
:func:`sim.validate.validate` enforces), the source of its figure (a seed report 000-004, a public
figure, or an assumption), the range a study should treat as plausible, and a short description.
The validator, the assumptions page (``docs/ASSUMPTIONS.md``, from
:mod:`sim.analysis.assumptions`) and anything that samples parameters (:func:`plausible_ranges`)
read these declarations; nothing is checked by naming convention.

Defaults here are neutral; the scenario files under ``configs/scenario/`` set and cite the figures.
Hydra composes YAML onto these dataclasses, so they stay plain dataclasses: the declaration lives
in each field's ``metadata``.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from hydra.core.config_store import ConfigStore
from omegaconf import MISSING

#: Where a figure comes from, besides a seed report ("seed 000" .. "seed 004").
PUBLIC, ASSUMPTION = "public figure", "assumption"
#: What a name may hold: it becomes part of a folder name (no '/', no spaces, no '..' tricks).
NAME_PATTERN = r"[\w][\w.-]*"


@dataclass(frozen=True)
class Spec:
    """The declaration of one config field (read by the validator, the page and the samplers).

    Attributes:
        unit: Unit of the value ("cadre-hours", "share 0-1", "yes/no", ...).
        doc: What the value means, in a short sentence.
        ge, gt, le, lt: Inclusive (``ge``, ``le``) or exclusive (``gt``, ``lt``) bounds of the
            valid range; None where unbounded (numbers must still be finite).
        choices: Allowed values of a text field, or a function returning them (for registries
            declared elsewhere, such as the summary's objectives).
        max_length: Longest allowed text.
        pattern: Regular expression a text must match in full (names used in folder names).
        source: "seed 000" .. "seed 004", "public figure" or "assumption", with a few words.
        plausible: (low, high) a study should sample; None where the value is a switch or a
            choice rather than an uncertain quantity.
        nullable: Whether ``null`` is allowed (meaning stated in ``doc``).
    """

    unit: str
    doc: str
    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None
    choices: tuple[str, ...] | Callable[[], tuple[str, ...]] | None = None
    max_length: int | None = None
    pattern: str | None = None
    source: str = ASSUMPTION
    plausible: tuple[float, float] | None = None
    nullable: bool = False

    def allowed(self) -> tuple[str, ...] | None:
        """The allowed values of a text field, or None."""
        return self.choices() if callable(self.choices) else self.choices

    def range_text(self) -> str:
        """The valid range as written in messages and on the assumptions page."""
        if self.allowed() is not None:
            return "one of " + ", ".join(self.allowed())
        if self.pattern is not None:
            return f"a name of 1 to {self.max_length} letters, digits, '_', '-' or '.'"
        if self.max_length is not None:
            return f"text of at most {self.max_length} characters"
        if self.unit == "yes/no":
            return "true or false"
        low = "(" if self.gt is not None else "["
        high = ")" if self.lt is not None else "]"
        lo = self.gt if self.gt is not None else self.ge
        hi = self.lt if self.lt is not None else self.le
        lo_text = "-inf" if lo is None else format_number(lo)
        hi_text = "inf" if hi is None else format_number(hi)
        text = f"{low}{lo_text}, {hi_text}{high}"
        return text + " or null" if self.nullable else text


def format_number(value: float) -> str:
    """A number as the page and the messages write it (1_000, 0.25)."""
    return f"{int(value):,}".replace(",", "_") if float(value).is_integer() else f"{value:g}"


def param(default: Any = MISSING, *, unit: str, doc: str, **spec: Any) -> Any:
    """A dataclass field carrying its :class:`Spec` (the one declaration of a config value).

    Example:
        ``townships: int = param(14, unit="townships", doc="Townships in the county.", ge=1,
        le=300, source="public figure: ~14 in a typical county", plausible=(8, 25))``
    """
    return field(default=default, metadata={"spec": Spec(unit=unit, doc=doc, **spec)})


def share(default: float, doc: str, **spec: Any) -> Any:
    """A field that is a share or probability in [0, 1]."""
    return param(default, unit="share 0-1", doc=doc, ge=0.0, le=1.0, **spec)


def switch(default: bool, doc: str, **spec: Any) -> Any:
    """A yes/no field."""
    return param(default, unit="yes/no", doc=doc, **spec)


def label(default: Any, doc: str) -> Any:
    """A preset's or scenario's name (used in folder names: short, no path characters)."""
    return param(default, unit="name", doc=doc, max_length=64, pattern=NAME_PATTERN)


def _objectives() -> tuple[str, ...]:
    from sim.measures.metrics import OBJECTIVES  # the registry of summary measures

    return tuple(OBJECTIVES)


@dataclass
class ScenarioConfig:
    """A county (or one street/town): its units, staff, demand and everyday burdens.

    Units: hours are cadre-hours, rates are per calendar day/week/month/year as named.
    """

    name: str = label(MISSING, "Scenario name (also the run folder's name).")
    description: str = param("", unit="text", doc="One line describing the scenario.",
                             max_length=300)
    # Counties of this kind run side by side (a province, e.g. Henan's 156, seed 000); above 1,
    # ``python -m sim`` hands the run to :mod:`sim.runners.province`, one model per county.
    counties: int = param(1, unit="counties", ge=1, le=5_000,
                          doc="Counties simulated side by side (a province above 1).",
                          source="seed 000: Henan's 156 counties")
    # A county described by tables (sim/county.py, counties/README.md): a folder holding
    # townships.csv (and optionally departments.csv, villages.csv); what they leave out comes
    # from the fields below. ``counties_table``: a province of real counties (a CSV with a row
    # per county, or a folder of county folders); set, the run is a province.
    county_dir: str | None = param(None, unit="path", nullable=True, max_length=4096,
                                   doc="A folder of CSV tables describing the county "
                                       "(counties/README.md); null: drawn from the fields below.")
    counties_table: str | None = param(None, unit="path", nullable=True, max_length=4096,
                                       doc="A province of real counties: a CSV with a row per "
                                           "county, or a folder of county folders.")
    # Geography and people.
    townships: int = param(14, unit="townships", ge=1, le=300,
                           doc="Townships and streets in the county.",
                           source="public figure: about 14 in a typical county",
                           plausible=(8, 25))
    population_min: int = param(20_000, unit="people", ge=0, le=5_000_000,
                                doc="Smallest township population (uniform draw).",
                                source="public figure: 20-80k people a township",
                                plausible=(5_000, 40_000))
    population_max: int = param(80_000, unit="people", ge=0, le=5_000_000,
                                doc="Largest township population (uniform draw).",
                                source="public figure: 20-80k people a township",
                                plausible=(40_000, 120_000))
    distance_km_min: float = param(5.0, unit="km", ge=0.0, le=2_000.0,
                                   doc="Nearest township's distance to the county seat.",
                                   plausible=(0.0, 15.0))
    distance_km_max: float = param(60.0, unit="km", ge=0.0, le=2_000.0,
                                   doc="Farthest township's distance to the county seat.",
                                   plausible=(30.0, 120.0))
    villages_per_township: int = param(10, unit="villages", ge=0, le=1_000,
                                       doc="Administrative villages and communities a township.",
                                       source="seed 004: 81 villages in Puge's 13 townships",
                                       plausible=(4, 20))
    # Villages as units, latent needs and proactive work (sim/agents/villages.py, issue 11).
    # No latent needs (the default) leaves the villages out of the run: today's model.
    villages_total: int | None = param(
        None, unit="villages", ge=0, le=100_000, nullable=True,
        doc="Villages of the county, spread over the townships in proportion to population "
            "(largest remainders); null: villages_per_township each.",
        source="seed 004: Puge's 81 villages")
    village_distance_km_max: float = param(
        10.0, unit="km", ge=0.0, le=500.0,
        doc="Farthest village from its township seat (uniform draw where no table gives it).",
        source="assumption: villages lie within about 10 km of the seat", plausible=(3.0, 25.0))
    household_size: float = param(2.6, unit="people", ge=1.0, le=20.0,
                                  doc="Residents per household (走访 visits households).",
                                  source="public figure: 2.62 people a household (2020 census)",
                                  plausible=(2.3, 3.5))
    latent_needs_per_1000_people_day: float = param(
        0.0, unit="needs/1000 people/day", ge=0.0, le=100.0,
        doc="Latent needs arising in villages (households to visit, problems not yet reported); "
            "0: villages are not modelled (today's model).",
        source="assumption: of the order of the reported requests", plausible=(0.0, 0.3))
    latent_need_report_days: float = param(
        30.0, unit="days", gt=0.0, le=3_650.0,
        doc="Days a latent need stays unnoticed before the household reports it (or it "
            "escalates).", source="assumption: about a month", plausible=(7.0, 90.0))
    latent_escalation_share: float = share(
        0.3, "Share of unnoticed needs that escalate (hotline 12345, a complaint upward) instead "
             "of arriving as an ordinary request.", source="assumption", plausible=(0.1, 0.6))
    escalation_effort_multiplier: float = param(
        3.0, unit="times", ge=1.0, le=20.0,
        doc="Effort of an escalated need against an ordinary request's (it becomes a complex "
            "request: 15-day deadline).", source="assumption: replies, reports, visits",
        plausible=(1.5, 5.0))
    found_effort_multiplier: float = param(
        0.5, unit="times", gt=0.0, le=5.0,
        doc="Effort of a need found early by a visit against an ordinary request's.",
        source="assumption: a problem caught early is smaller", plausible=(0.3, 1.0))
    proactive_rule: str = param(
        "idle_share", unit="choice", choices=("none", "idle_share"),
        doc="How township cadres do proactive work (走访, village duty): none, or a share of "
            "the regular hours left after mandatory work and the queue.",
        source="assumption (seeds 000, 002, 003: cadres visit every household)")
    proactive_idle_share: float = share(
        0.5, "Share of the regular hours left idle that township cadres give to proactive work.",
        source="assumption", plausible=(0.2, 1.0))
    visit_period_days: int = param(90, unit="days", ge=1, le=3_650,
                                   doc="Period over which visit coverage is measured (share of "
                                       "households visited at least once in it).",
                                   source="assumption: a quarterly round of visits")
    visit_hours: float = param(0.5, unit="hours", ge=0.05, le=24.0,
                               doc="Hours of one household visit, without travel.",
                               source="seed 002: up to 100 households in a day by a team",
                               plausible=(0.25, 1.0))
    visits_per_trip: float = param(8.0, unit="households", ge=1.0, le=200.0,
                                   doc="Households visited on one trip to a village (the "
                                       "round trip's travel is shared among them).",
                                   source="assumption", plausible=(4.0, 20.0))
    village_committee_members: int = param(
        5, unit="people", ge=0, le=50, doc="Members of a village committee (村两委).",
        source="public figure: 3-7 members", plausible=(3, 7))
    committee_hours_per_day: float = param(
        1.0, unit="hours", ge=0.0, le=12.0,
        doc="Hours a committee member gives to village affairs on a working day (before the "
            "plaques' ledgers; what is left goes to visits).",
        source="assumption: village cadres also farm and run the village's business",
        plausible=(0.5, 3.0))
    plaques_per_village: float = param(
        15.0, unit="plaques", ge=0.0, le=200.0,
        doc="Plaques, certificates and ledgers (挂牌, 证明) a village committee keeps today.",
        source="seed 002: about 10 removed a village; seed 004: 560 in Puge",
        plausible=(10.0, 25.0))
    plaque_committee_hours_week: float = param(
        0.5, unit="hours/week", ge=0.0, le=40.0,
        doc="Committee hours a week each plaque costs (its ledger, reports, checks).",
        source="assumption", plausible=(0.2, 1.0))
    plaque_township_hours_week: float = param(
        0.1, unit="hours/week", ge=0.0, le=40.0,
        doc="Township hours a week each village plaque costs (checking, collecting ledgers), "
            "taken from the township's idle hours before proactive work.",
        source="assumption", plausible=(0.05, 0.3))
    # The township's own work (issue 11, item 9; sim/demand.py, sim/agents/duties.py): its own
    # statutory duties as work items, the windows of its service centre, its grids. The schema's
    # defaults are the model before them (none of it); typical_county.yaml turns them on.
    own_work_per_township_week: float = param(
        0.0, unit="items/township/week", ge=0.0, le=1_000.0,
        doc="Items of the township's own statutory work (本级法定职责: its power and duty list) "
            "arising in each township a week, whatever its size (0: none).",
        source="seed 004: 117 township power items on Puge's list; seed 001: seven offices and "
               "five centres (七办五中心) in each town; assumption: up to 30 cases an item a "
               "year (117 x 30 / 50 weeks = 70; typical_county: 15, 35.1 a week)",
        plausible=(0.0, 70.0))
    own_work_per_10k_people_week: float = param(
        0.0, unit="items/10,000 people/week", ge=0.0, le=1_000.0,
        doc="Further items of own work a week per 10,000 residents (duties that grow with the "
            "people served: civil affairs, social security, safety checks).",
        source="assumption", plausible=(0.0, 10.0))
    own_work_effort_mean_hours: float = param(
        4.0, unit="cadre-hours", gt=0.0, le=1_000.0, doc="Mean effort of an item of own work.",
        source="assumption", plausible=(2.0, 12.0))
    own_work_effort_sigma: float = param(0.8, unit="log-sd", ge=0.0, le=3.0,
                                         doc="Spread of own-work effort (lognormal sigma).",
                                         plausible=(0.5, 1.2))
    own_work_deadline_days: float = param(
        10.0, unit="working days", gt=0.0, le=365.0, doc="Deadline of an item of own work.",
        source="assumption: two working weeks", plausible=(5.0, 20.0))
    own_work_evaluation_weight: float | None = param(
        None, unit="weight", ge=0.0, le=100.0, nullable=True,
        doc="Evaluation weight behind own work (discipline=evaluation); null: the weight of a "
            "pushed-down task before any reform (the township's annual assessment scores the "
            "duties on its list as it scores tasks; reforms of the departments' scoring do not "
            "change it).",
        source="seeds 001, 002, 004: the township is assessed on its responsibility list")
    service_centre_windows: int = param(
        0, unit="windows/township", ge=0, le=100,
        doc="Windows of the township's service centre (便民服务中心) staffed on a working day, "
            "each by a cadre of the township in turn (0: no centre; requests go to the queue).",
        source="seed 000: a township service centre; seed 004: 16 convenience services "
               "listed", plausible=(0.0, 8.0))
    service_centre_hours_per_day: float = param(
        8.0, unit="hours/window/day", ge=0.0, le=24.0,
        doc="Hours a window is staffed on a working day, from the start of the day (taken off "
            "its cadre's day before other work).",
        source="public figure: service halls open the working day", plausible=(4.0, 8.0))
    service_centre_max_effort_hours: float = param(
        0.0, unit="cadre-hours", ge=0.0, le=1_000.0,
        doc="Residents' simple requests (kinds request and utility) of at most this effort "
            "arriving while the windows are open are served at a free window, within its "
            "staffed hours (0: the windows serve none; staffing them is a fixed duty).",
        source="assumption: simple matters are settled at the counter", plausible=(0.0, 3.0))
    grids_per_village: float = param(
        0.0, unit="grids/village", ge=0.0, le=100.0,
        doc="Grids (网格) of the township per administrative village or community (0: none).",
        source="seeds 001, 002: grid governance in towns and villages; the figure is an "
               "assumption", plausible=(0.0, 3.0))
    grid_hours_per_week: float = param(
        0.0, unit="cadre-hours/grid/week", ge=0.0, le=168.0,
        doc="Township cadre hours a week each grid takes (patrols, collecting information, "
            "relaying residents' calls), shared among the cadres on duty on working days.",
        source="seed 001: grid calls and departments reporting (网格呼叫、部门报到); the figure "
               "is an assumption", plausible=(0.0, 8.0))
    # Posts (编制) and staff.
    posts_per_township: int = param(70, unit="posts", ge=0, le=5_000,
                                    doc="Authorised posts (编制) of each township.",
                                    source="public figure: ~70 staff a township; seed 004: "
                                           "18.7 in Puge before the reform",
                                    plausible=(19, 90))
    admin_share: float = share(0.33, "Share of a township's posts that are administrative (行政).",
                               source="public figure: institutional to administrative about 2:1",
                               plausible=(0.25, 0.45))
    fill_rate: float = share(0.95, "Share of township posts filled at the start (leaders always "
                                   "are).", source="seed 003: Yangting 70 on duty of 80 posts",
                             plausible=(0.85, 1.0))
    leaders_per_township: int = param(6, unit="posts", ge=0, le=5_000,
                                      doc="Leadership posts (职数) of each township, always "
                                          "filled; at most posts_per_township.",
                                      source="seed 001: 70 deputy posts across Zhucheng's towns",
                                      plausible=(3, 8))
    departments: int = param(35, unit="departments", ge=0, le=500,
                             doc="County departments (县直部门).",
                             source="public figure: about 35 county departments",
                             plausible=(20, 50))
    posts_per_department: int = param(40, unit="posts", ge=0, le=5_000,
                                      doc="Authorised posts of each county department.",
                                      plausible=(25, 60))
    department_fill_rate: float = share(0.95, "Share of department posts filled at the start.",
                                        plausible=(0.85, 1.0))
    department_utilisation_min: float = share(
        0.4, "Lowest share of a department's hours taken by its own work (uniform draw).",
        source="seed 000: some county units have staff without work (有人无事干)",
        plausible=(0.3, 0.6))
    department_utilisation_max: float = share(
        0.95, "Highest share of a department's hours taken by its own work.",
        plausible=(0.8, 1.0))
    department_min_posts: int = param(8, unit="posts", ge=0, le=5_000,
                                      doc="Posts a department keeps whatever is sunk.",
                                      plausible=(4, 15))
    initial_secondees_per_township: int = param(
        0, unit="cadres", ge=0, le=5_000, doc="Township cadres already seconded at the start.",
        source="seed 003: Baotou street 4 of 23 seconded; seed 004: 59 recalled in Puge",
        plausible=(0, 5))
    initial_secondment_months: float = param(
        9.0, unit="months", gt=0.0, le=240.0,
        doc="Mean remaining length of the secondments running at the start.",
        source="seed 003: '3-month' secondments that ran to a year", plausible=(3.0, 12.0))
    # Calendar.
    calendar: str = param("working", unit="choice", choices=("working", "always_on"),
                          doc="Working week (5 days, regular hours) or an always-on queue.")
    discipline: str = param("priority", unit="choice", choices=("priority", "fifo", "evaluation"),
                            doc="Queue order: emergencies then nearest deadline; first come "
                                "first served; or emergencies, then work of higher evaluation "
                                "weight (考核), then nearest deadline.",
                            source="seeds 002, 004: evaluated tasks crowd out service")
    task_evaluation_weight: float = param(
        1.0, unit="weight", ge=0.0, le=100.0,
        doc="Evaluation weight behind a pushed-down task (discipline=evaluation).",
        source="seeds 002, 004: tasks from above are what townships are scored on",
        plausible=(0.5, 2.0))
    request_evaluation_weight: float = param(
        0.5, unit="weight", ge=0.0, le=100.0,
        doc="Evaluation weight behind a resident's request or case (discipline=evaluation); "
            "below task_evaluation_weight, tasks come first.",
        source="assumption: residents' satisfaction weighs less in the score than tasks",
        plausible=(0.25, 1.0))
    regular_hours_per_day: float = param(8.0, unit="hours/day", ge=1.0, le=24.0,
                                         doc="Regular working hours of a cadre's day.",
                                         source="public figure: 8-hour working day")
    overtime_cap_hours_per_day: float = param(
        3.0, unit="hours/day", ge=0.0, le=24.0,
        doc="Most overtime a cadre works in a day when work waits (regular + overtime <= 24).",
        source="public figure: 10-12 hour days are common", plausible=(2.0, 4.0))
    # Citizen requests (群众诉求).
    requests_per_1000_people_day: float = param(
        0.12, unit="requests/1000 people/day", ge=0.0, le=100.0,
        doc="Citizen requests a day per 1,000 residents (weekdays; weekends weigh less).",
        source="public figure: a few to ~10 a township a day; one Beijing street 276-852 a month",
        plausible=(0.08, 0.25))
    request_effort_mean_hours: float = param(
        2.0, unit="cadre-hours", gt=0.0, le=1_000.0, doc="Mean effort of a citizen request.",
        source="public figure: about 2 cadre-hours", plausible=(1.0, 4.0))
    request_effort_sigma: float = param(0.8, unit="log-sd", ge=0.0, le=3.0,
                                        doc="Spread of request effort (lognormal sigma).",
                                        plausible=(0.5, 1.2))
    complex_share: float = share(0.2, "Share of requests that are complex (15-day deadline).",
                                 plausible=(0.1, 0.3))
    utility_share: float = share(0.05, "Share of requests about utilities (24-hour deadline); "
                                       "complex + utility <= 1.", plausible=(0.02, 0.1))
    emergencies_per_township_month: float = param(
        1.0, unit="emergencies/township/month", ge=0.0, le=1_000.0,
        doc="Emergencies (急难险情) a township a month.", plausible=(0.5, 3.0))
    emergency_effort_mean_hours: float = param(
        6.0, unit="cadre-hours", gt=0.0, le=1_000.0, doc="Mean effort of an emergency.",
        plausible=(3.0, 12.0))
    deadline_general_days: float = param(
        7.0, unit="working days", gt=0.0, le=365.0, doc="Deadline of a general request.",
        source="public figure: 7 working days")
    deadline_complex_days: float = param(
        15.0, unit="working days", gt=0.0, le=365.0, doc="Deadline of a complex request.",
        source="public figure: 15 working days")
    deadline_utility_hours: float = param(
        24.0, unit="hours", gt=0.0, le=8_760.0, doc="Deadline of a utilities request.",
        source="public figure: 24 hours")
    deadline_emergency_hours: float = param(
        2.0, unit="hours", gt=0.0, le=8_760.0, doc="Deadline of an emergency.",
        source="public figure: 2 hours")
    # Emergencies handled as emergencies, and work shared in teams (issue 11, items 3-4); the
    # schema's defaults are the model before them (nobody on call, no interruption, one cadre
    # an item); the scenario files turn them on.
    on_call_cadres: int = param(
        0, unit="cadres/township", ge=0, le=1_000,
        doc="Cadres of each township on call (值班) at nights and weekends, who answer the "
            "emergencies arriving outside office hours (0: nobody; they wait for the next "
            "working day).",
        source="public figure: townships keep a 24-hour duty roster with a leader on call "
               "(值班、带班); seed 004: flood and forest-fire duty on the front line")
    on_call_response_hours: float = param(
        0.5, unit="hours", ge=0.0, le=24.0,
        doc="From an emergency call outside office hours to an on-call cadre at work on it.",
        source="assumption: half an hour to reach a village of the township")
    emergency_preempts: bool = switch(
        False, "An emergency that finds no cadre free interrupts one at work on other work "
               "(which goes back to the queue with its remaining effort).",
        source="DESIGN.md: emergencies preempt other work")
    emergency_team_cadres: int = param(
        1, unit="cadres", ge=1, le=100,
        doc="Cadres sent to one emergency, its effort shared equally (on call: at most those "
            "on call).", source="assumption: a small team goes to an emergency")
    team_split_above_hours: float | None = param(
        None, unit="cadre-hours", gt=0.0, le=10_000.0, nullable=True,
        doc="Items of more effort than this are shared out in pieces among the township's "
            "cadres, done when every piece is (null: one cadre an item).",
        source="assumption: a long task is shared within the township's office (办)")
    team_piece_hours: float = param(
        4.0, unit="cadre-hours", ge=0.25, le=1_000.0,
        doc="Effort of one piece of a shared item (team_split_above_hours); a quarter hour at "
            "least (smaller pieces are not handed to a colleague, and a piece of a hair's breadth "
            "would cut an item into more pieces than a run can serve).",
        source="assumption: half a working day")
    # Cross-department cases.
    cross_department_share: float = share(
        0.15, "Share of requests that need county departments.",
        source="assumption (DESIGN.md): 10-20%, to sweep", plausible=(0.10, 0.20))
    max_departments_per_case: int = param(3, unit="departments", ge=1, le=50,
                                          doc="Most departments one case needs.",
                                          plausible=(2, 4))
    department_response_days_mean: float = param(
        4.0, unit="days", gt=0.0, le=365.0, doc="Mean delay of a department's answer.",
        source="seed 001: buck-passing (踢皮球) makes cross-department cases slow",
        plausible=(1.0, 8.0))
    bounce_probability: float = share(
        0.35, "Chance a department sends a case back as 'not ours'.",
        source="seed 001: buck-passing", plausible=(0.10, 0.60))
    max_bounces: int = param(4, unit="bounces", ge=0, le=100,
                             doc="Bounces after which a case is taken in the end.",
                             plausible=(2, 6))
    rework_effort_mean_hours: float = param(
        1.5, unit="cadre-hours", gt=0.0, le=1_000.0,
        doc="Township hours to re-handle a bounced case.", plausible=(0.5, 3.0))
    department_part_effort_mean_hours: float = param(
        4.0, unit="cadre-hours", gt=0.0, le=1_000.0,
        doc="Department hours on its part of a case.", plausible=(2.0, 8.0))
    # Pushed-down tasks (上级交办).
    tasks_per_department_township_week: float = param(
        0.6, unit="tasks/department/township/week", ge=0.0, le=100.0,
        doc="Tasks each department pushes down to each township a week (属地管理).",
        source="seeds 001, 002: pushed-down tasks; level calibrated per scenario "
               "(typical_county 1.1 beside the township's own work, 2.3 without it)",
        plausible=(0.6, 3.0))
    task_effort_mean_hours: float = param(10.0, unit="cadre-hours", gt=0.0, le=1_000.0,
                                          doc="Mean effort of a pushed-down task.",
                                          plausible=(8.0, 24.0))
    task_effort_sigma: float = param(0.9, unit="log-sd", ge=0.0, le=3.0,
                                     doc="Spread of task effort (lognormal sigma).",
                                     plausible=(0.6, 1.2))
    task_deadline_days: float = param(10.0, unit="working days", gt=0.0, le=365.0,
                                      doc="Deadline of a pushed-down task.", plausible=(5.0, 20.0))
    task_outside_list_share: float = share(
        0.3, "Share of pushed-down tasks that are really the department's own job.",
        source="seeds 001, 002: tasks outside the responsibility list", plausible=(0.2, 0.5))
    # Mandatory work.
    meetings_per_cadre_week: float = param(
        2.0, unit="meetings/cadre/week", ge=0.0, le=100.0,
        doc="Meetings a cadre attends a week, charged per head (besides the routine meetings "
            "called per township).",
        source="public figure: 4-5 a week before the reform, about 1 after",
        plausible=(0.5, 6.0))
    meeting_hours: float = param(1.5, unit="hours", ge=0.0, le=24.0,
                                 doc="Length of a meeting, without travel.",
                                 plausible=(1.0, 2.5))
    leader_meeting_multiplier: float = param(
        2.0, unit="times", ge=0.0, le=20.0, doc="Leaders attend this many times more meetings.",
        source="seed 004: routine meetings attended by a deputy", plausible=(1.5, 3.0))
    in_person_share: float = share(0.8, "Share of meetings attended in person (with travel).",
                                   plausible=(0.6, 1.0))
    travel_speed_kmh: float = param(40.0, unit="km/h", ge=1.0, le=300.0,
                                    doc="Speed of travel to the county seat.",
                                    plausible=(30.0, 60.0))
    document_hours_per_cadre_week: float = param(
        3.0, unit="hours/cadre/week", ge=0.0, le=168.0,
        doc="Hours on documents and reports a cadre a week, charged per head.",
        source="public figure: cut by a third or more under reform", plausible=(0.5, 5.0))
    routine_meetings_per_township_week: float = param(
        0.0, unit="meetings/township/week", ge=0.0, le=1_000.0,
        doc="Routine business meetings (日常业务性工作会议) a township is called to a week, "
            "charged per unit: the township sends routine_meeting_attendees cadres to each, "
            "whatever its staff (0: every meeting is per head).",
        source="seed 004: routine meetings attended by a designated deputy or staff member",
        plausible=(0.0, 80.0))
    routine_meeting_attendees: float = param(
        3.0, unit="cadres/meeting", gt=0.0, le=100.0,
        doc="Cadres a township sends to a routine meeting before the reform (leaders weigh "
            "leader_meeting_multiplier in who goes).",
        source="assumption: the leader in charge and the staff concerned", plausible=(2.0, 5.0))
    document_hours_per_township_week: float = param(
        0.0, unit="hours/township/week", ge=0.0, le=100_000.0,
        doc="Document and report hours charged to the township as a unit a week, shared among "
            "its cadres on duty (on top of the per-head document_hours_per_cadre_week).",
        source="seed 004: documents are issued to units", plausible=(0.0, 300.0))
    inspection_hours_per_township: float = param(
        0.0, unit="hours/inspection", ge=0.0, le=100_000.0,
        doc="Preparation hours an inspection costs the township as a unit, shared among its "
            "cadres on duty (on top of the per-head inspection_hours_per_cadre).",
        source="seed 004: inspections of a township", plausible=(0.0, 200.0))
    inspections_per_township_month: float = param(
        3.0, unit="inspections/township/month", ge=0.0, le=100.0,
        doc="Ad hoc inspections (督查检查考核) a township a month.", plausible=(1.0, 5.0))
    inspection_hours_per_cadre: float = param(
        2.0, unit="hours/cadre", ge=0.0, le=100.0,
        doc="Preparation and hosting hours an inspection costs each cadre (per head).",
        plausible=(0.25, 4.0))
    chat_groups_per_cadre: float = param(
        25.0, unit="groups", ge=0.0, le=1_000.0, doc="Work chat groups a cadre follows.",
        source="public figure: 10-40 before the reform, 2-8 after", plausible=(10.0, 40.0))
    chat_hours_per_group_day: float = param(
        0.05, unit="hours/group/day", ge=0.0, le=24.0, doc="Daily hours each chat group costs.",
        source="public figure: 1-2 hours a day over all groups", plausible=(0.02, 0.08))
    # Secondment (借调) demand from departments' special projects (专班).
    projects_per_department_year: float = param(
        0.5, unit="projects/department/year", ge=0.0, le=100.0,
        doc="Special projects (专班) a department starts a year, each borrowing cadres.",
        source="seed 003: special projects that borrow township cadres", plausible=(0.1, 1.0))
    secondees_per_project: int = param(1, unit="cadres", ge=0, le=100,
                                       doc="Township cadres a project borrows.",
                                       plausible=(1, 3))
    project_months_mean: float = param(
        9.0, unit="months", gt=0.0, le=240.0, doc="Mean length of a special project.",
        source="seed 003: '3 months' that ran to a year", plausible=(3.0, 12.0))
    secondees_work_for_department: bool = switch(
        True, "A secondee's regular hours count for the borrowing department, and each special "
              "project brings it its secondees' hours of work for its length (done by its own "
              "staff when it may not borrow).",
        source="seed 003: secondees work on the borrowing unit's projects")
    secondee_home_work_share: float = share(
        0.3, "Share of their home work a secondee still does (double burden).",
        source="seed 003: secondees work for both units", plausible=(0.1, 0.5))
    secondee_extension_probability: float = share(
        0.5, "Chance a department extends a secondment when its term ends.",
        source="seed 003", plausible=(0.3, 0.8))
    # Cadres: fatigue, attrition, hiring.
    attrition_rate_year: float = share(0.015, "Share of cadres leaving a year at no fatigue.",
                                       source="public figure: 1-2% a year",
                                       plausible=(0.01, 0.02))
    fatigue_hazard_multiplier: float = param(
        3.0, unit="times", ge=0.0, le=100.0,
        doc="How much full fatigue multiplies the hazard of leaving.", plausible=(1.0, 5.0))
    fatigue_productivity_loss: float = param(
        0.2, unit="share 0-1", ge=0.0, le=0.95,
        doc="Productivity lost at full fatigue (below 1: a cadre at work always gets on).",
        plausible=(0.1, 0.3))
    fatigue_half_life_days: float = param(
        20.0, unit="days", gt=0.0, le=3_650.0, doc="Half-life of fatigue without overtime.",
        plausible=(10.0, 40.0))
    hiring_lag_months: float = param(6.0, unit="months", ge=0.0, le=120.0,
                                     doc="Months to fill a vacant post.", plausible=(3.0, 12.0))
    ramp_up_months: float = param(6.0, unit="months", ge=0.0, le=120.0,
                                  doc="Months a new or sunk cadre takes to reach full "
                                      "productivity.", plausible=(3.0, 12.0))
    ramp_up_start_productivity: float = param(
        0.6, unit="share 0-1", ge=0.05, le=1.0,
        doc="Productivity of a new or sunk cadre on day one (above 0: a newcomer gets on).",
        plausible=(0.4, 0.8))
    # The calendar's constants (were module constants in the code).
    days_per_month: float = param(
        30.0, unit="days", ge=28.0, le=31.0,
        doc="Length of a month for durations and monthly rates (hazards, projects, "
            "emergencies, secondment terms).", source="assumption: a 30-day month")
    working_days_per_year: float = param(
        250.0, unit="days/year", ge=200.0, le=300.0,
        doc="Working days a year: turns monthly counts (inspections) into daily ones.",
        source="public figure: 5-day week less 11 public holidays (~250)")
    day_start_hour: float = param(8.0, unit="hour of day", ge=0.0, le=16.0,
                                  doc="When the township's working day starts.",
                                  source="public figure: offices open at 08:00-08:30")
    office_open_hour: float = param(8.0, unit="hour of day", ge=0.0, lt=24.0,
                                    doc="Start of office hours, when most requests arrive.",
                                    source="public figure: service centres open ~08:00")
    office_close_hour: float = param(18.0, unit="hour of day", gt=0.0, le=24.0,
                                     doc="End of office hours.",
                                     source="public figure: service centres close ~17:30-18:00")
    daytime_share: float = share(0.85, "Share of citizen requests arriving in office hours.",
                                 source="assumption", plausible=(0.7, 0.95))
    weekend_demand_share: float = share(0.5, "Weekend demand relative to a weekday's.",
                                        source="assumption", plausible=(0.3, 0.7))
    department_noise_shape: float = param(
        20.0, unit="gamma shape", ge=0.1, le=1e6,
        doc="Day-to-day variation of a department's own work: gamma with mean 1 and this "
            "shape (coefficient of variation 1/sqrt(shape): 22% at 20).", source="assumption",
        plausible=(5.0, 100.0))
    # Pure-queue validation (scenario ``mmc``): when ``pure_queue`` is set, the township is an
    # M/M/c queue with these three numbers and every other mechanism is off.
    pure_queue: bool = switch(False, "Run each township as a pure M/M/c queue (validation).")
    servers: int = param(3, unit="cadres", ge=1, le=10_000,
                         doc="Servers of the pure queue (one township's cadres).")
    arrival_rate_per_hour: float = param(2.0, unit="items/hour", ge=0.0, le=1_000.0,
                                         doc="Arrival rate of the pure queue.")
    mean_service_hours: float = param(1.0, unit="hours", ge=0.01, le=1_000.0,
                                      doc="Mean service time of the pure queue.")


@dataclass
class PostsPolicy:
    """Sinking posts from county units to townships (编制下沉, 减县补乡; seeds 000, 002, 004)."""

    name: str = label("baseline", "Preset name.")
    per_township: int = param(0, unit="posts/township", ge=0, le=5_000,
                              doc="Posts sunk to each township on average (ignored when total "
                                  "is set).", source="seed 000: about 15 a township in Henan; "
                                                     "seed 004: 18.7 to 51.8 in Puge",
                              plausible=(0, 35))
    total: int | None = param(None, unit="posts", ge=0, le=1_000_000, nullable=True,
                              doc="Posts sunk in all; null means per_township x townships.")
    allocation: str = param("equal", unit="choice",
                            choices=("equal", "population", "workload", "score"),
                            doc="How the posts are shared among townships.",
                            source="seed 000: by need; seed 002: by population")
    # allocation=workload gives each post in turn to the township with the highest expected
    # load; allocation=score weighs population^a * expected_load^b * distance_km^c (the family
    # the allocation study searches with Optuna).
    population_exponent: float = param(0.0, unit="exponent", ge=-10.0, le=10.0,
                                       doc="Weight of population in the score rule.",
                                       plausible=(-1.0, 2.0))
    workload_exponent: float = param(1.0, unit="exponent", ge=-10.0, le=10.0,
                                     doc="Weight of expected load in the score rule.",
                                     plausible=(0.0, 3.0))
    distance_exponent: float = param(0.0, unit="exponent", ge=-10.0, le=10.0,
                                     doc="Weight of distance in the score rule.",
                                     plausible=(-1.0, 1.0))
    stages: int = param(1, unit="stages", ge=1, le=100,
                        doc="Batches the posts move in.",
                        source="seed 000: 'in stages and batches'", plausible=(1, 4))
    stage_interval_days: int = param(120, unit="days", ge=0, le=3_650,
                                     doc="Days between batches.", source="seed 000: 2 batches",
                                     plausible=(30, 180))
    with_people: bool = switch(True, "Holders move with their posts (带编下沉); else the post "
                                     "arrives vacant.")
    min_posts_per_township: int = param(0, unit="posts", ge=0, le=5_000,
                                        doc="Floor of posts every township reaches.")
    min_admin_posts_per_township: int = param(
        0, unit="posts", ge=0, le=5_000, doc="Floor of administrative posts every township "
                                              "reaches.", source="seed 002: at least 20 in Qujing")
    min_township_share: float = share(
        0.0, "Floor of the townships' share of all the county's posts.",
        source="seed 002: at least 12% in Qujing")


@dataclass
class SecondmentPolicy:
    """Rules on borrowing township cadres (借调; seed 003)."""

    name: str = label("unregulated", "Preset name.")
    mode: str = param("unregulated", unit="choice",
                      choices=("unregulated", "regulated", "banned"),
                      doc="No rule, term caps with approval, or no secondment from townships.",
                      source="seed 003: 2024 rules; county organs may not second township staff")
    term_months: float = param(3.0, unit="months", gt=0.0, le=240.0,
                               doc="Longest term of one secondment (regulated).",
                               source="seed 003: at most 3 months", plausible=(2.0, 6.0))
    renewal_approval_probability: float = share(
        0.5, "Chance a renewal is approved (regulated).", plausible=(0.2, 0.8))
    max_cumulative_months: float = param(6.0, unit="months", gt=0.0, le=600.0,
                                         doc="Most months a cadre may spend seconded in all.",
                                         source="seed 003: at most 6 months in all",
                                         plausible=(4.0, 12.0))
    # Details of the rules (seed 003); the defaults leave a mode as it was.
    consent_probability: float = share(
        1.0, "Chance the lending township gives its written consent to a borrowing request.",
        source="seed 003: Kashgar asks the lender's written opinion; the share is an assumption",
        plausible=(0.5, 1.0))
    prohibited_request_share: float = share(
        0.0, "Share of borrowing requests refused under the three prohibitions (routine work, "
             "across levels or systems, from townships against the rules).",
        source="seed 003: Weihai's three prohibitions; the share is an assumption",
        plausible=(0.1, 0.6))
    approval_delay_days: float = param(
        0.0, unit="days", ge=0.0, le=365.0,
        doc="Days from a department's request to the secondment's start (double registration "
            "and the organisation department's approval).",
        source="seed 003: double registration (双备案), approval before the secondment; the "
               "days are an assumption", plausible=(3.0, 30.0))
    major_project_share: float = share(
        0.0, "Share of secondments for major projects (重大工程、重点项目): not recalled or cut "
             "short when a ban or a term cap comes in, and not capped at the term.",
        source="seed 003: Kashgar returns them only when their term ends; the share is an "
               "assumption", plausible=(0.0, 0.4))


@dataclass
class MeetingsPolicy:
    """Cutting documents, meetings, chat groups and ad hoc inspections (精文减会; seed 004)."""

    name: str = label("baseline", "Preset name.")
    meeting_cut: float = share(0.0, "Share of meetings cut.",
                               source="public figure: measured cuts of 35-40%",
                               plausible=(0.2, 0.6))
    video_share: float = share(0.0, "Share of remaining meetings held by video (no travel).",
                               source="seed 004", plausible=(0.2, 0.8))
    deputies_attend_routine: bool = switch(False, "A deputy attends routine meetings for the "
                                                  "leaders.")
    routine_attendees: float = param(
        1.0, unit="cadres/meeting", gt=0.0, le=100.0,
        doc="Cadres a township sends to a routine meeting when deputies_attend_routine is on.",
        source="seed 004: a designated deputy or one staff member attends")
    document_cut: float = share(0.0, "Share of document hours cut.",
                                source="public figure: a third or more", plausible=(0.2, 0.5))
    chat_group_cut: float = share(0.0, "Share of chat groups closed.",
                                  source="public figure: 10-40 groups down to 2-8",
                                  plausible=(0.5, 0.9))
    unified_inspections: bool = switch(False, "Ad hoc inspections batched into unified ones.")
    unified_task_weight_multiplier: float = param(
        0.75, unit="times", ge=0.0, le=1.0,
        doc="A pushed-down task's evaluation weight multiplied by this under unified "
            "inspections (fewer ad hoc checks of each task; discipline=evaluation).",
        source="assumption (seed 004: unified inspections)", plausible=(0.5, 1.0))
    inspection_batch_factor: float = share(
        0.25, "Inspection hours left when batched, as a share of before.", plausible=(0.1, 0.5))


@dataclass
class TasksPolicy:
    """Task access list (准入清单 / 属地管理清单; seeds 001, 002)."""

    name: str = label("baseline", "Preset name.")
    access_list: bool = switch(False, "Tasks outside the responsibility list may be refused.",
                               source="seeds 001, 002")
    refusal_rate: float = share(0.0, "Share of outside-list tasks actually refused.",
                                plausible=(0.5, 1.0))
    outside_list_weight_multiplier: float = param(
        0.0, unit="times", ge=0.0, le=1.0,
        doc="Evaluation weight of a task outside the list, kept rather than refused, "
            "multiplied by this under an access list (discipline=evaluation).",
        source="seeds 001, 002: townships are not assessed on tasks outside their list",
        plausible=(0.0, 0.5))


@dataclass
class CoordinationPolicy:
    """Cross-department cases: buck-passing vs township whistles (吹哨报到; seeds 001, 002, 004)."""

    name: str = label("buck_passing", "Preset name.")
    mode: str = param("serial", unit="choice", choices=("serial", "parallel"),
                      doc="One department at a time, or joint handling (一件事).",
                      source="seeds 002, 004: joint handling")
    response_deadline_days: float | None = param(
        None, unit="days", gt=0.0, le=365.0, nullable=True,
        doc="Deadline for a department's answer; null means none.",
        source="seeds 002, 004: response deadlines", plausible=(1.0, 5.0))
    bounce_multiplier: float = param(1.0, unit="times", ge=0.0, le=1.0,
                                     doc="Bounce probability multiplied by this (the list names "
                                         "who leads).", plausible=(0.2, 1.0))
    two_way_evaluation: bool = switch(False, "Townships score departments (双向考核).",
                                      source="seeds 002, 004: 50/50 two-way evaluation")
    evaluation_delay_multiplier: float = param(
        0.7, unit="times", ge=0.0, le=1.0, doc="Department delays multiplied by this under "
                                                "two-way evaluation.", plausible=(0.5, 0.9))
    evaluation_task_weight_multiplier: float = param(
        0.5, unit="times", ge=0.0, le=1.0,
        doc="A pushed-down task's evaluation weight multiplied by this under two-way "
            "evaluation (discipline=evaluation).",
        source="seed 002: departments' and townships' scores weigh 50/50", plausible=(0.3, 0.8))
    evaluation_bounce_multiplier: float = param(
        0.6, unit="times", ge=0.0, le=1.0, doc="Bounces multiplied by this under two-way "
                                                "evaluation.", plausible=(0.4, 0.9))


@dataclass
class EnforcementPolicy:
    """One enforcement team in each township (一支队伍管执法, 综合行政执法; seeds 001, 002, 004).

    Enforcement matters are a share of the cross-department cases; under the reform the
    township's team, with certified staff, does the enforcement part instead of referring the
    case to county departments, as far as its certified staff's hours go that week.
    """

    name: str = label("baseline", "Preset name.")
    team: bool = switch(False, "Township enforcement teams handle delegated enforcement matters "
                               "instead of referring them to county departments.",
                        source="seeds 001 (13 towns), 002 (26 items delegated), 004 (13 teams)")
    enforcement_share: float = share(
        0.3, "Share of cross-department cases that are enforcement matters (city management, "
             "markets, culture market, farming: the areas seed 002 names).",
        source="assumption: seed 002 names the areas, no share", plausible=(0.15, 0.5))
    delegated_share: float = share(
        0.7, "Share of enforcement matters whose powers were delegated to the township.",
        source="assumption: seed 002 delegated 26 enforcement and approval items, not all",
        plausible=(0.4, 1.0))
    certified_per_township: float = param(
        15.0, unit="cadres", ge=0.0, le=500.0,
        doc="Township cadres certified for enforcement once certification is complete.",
        source="seed 004: 197 certificates for 13 township teams (about 15 each)",
        plausible=(5.0, 25.0))
    certification_months: float = param(
        12.0, unit="months", gt=0.0, le=120.0,
        doc="Months over which the certificates are won, in equal rounds; staff not yet "
            "certified cannot handle matters.",
        source="assumption: seed 004 gives no period", plausible=(6.0, 24.0))
    certification_rounds: int = param(
        6, unit="exams", ge=1, le=100, doc="Exam rounds in which the certificates are won.",
        source="seed 004: 6 law-enforcement exams", plausible=(2, 12))
    hours_per_certified_week: float = param(
        2.0, unit="cadre-hours/week", ge=0.0, le=60.0,
        doc="Hours a certified cadre gives enforcement a week: the team keeps a matter only "
            "while its certified staff's hours of the week last; the rest go to departments.",
        source="assumption: team members keep their other duties", plausible=(1.0, 6.0))
    effort_multiplier: float = param(
        1.0, unit="times", gt=0.0, le=10.0,
        doc="The team's hours on a matter, as a multiple of one department's part (one joint "
            "inspection instead of a part per department).",
        source="assumption", plausible=(0.75, 2.0))
    training_hours_per_certificate: float = param(
        26.0, unit="cadre-hours", ge=0.0, le=1_000.0,
        doc="Township hours of training and exams per certificate won, booked in the "
            "township's queue when the round is passed.",
        source="seed 004: 630 person-times of training for 197 certificates (3.2 each), a "
               "course taken as one 8-hour day", plausible=(8.0, 40.0))


@dataclass
class PlatformPolicy:
    """One-stop platform (一端受理、多口联办; 乡呼县应; 网格呼叫、部门报到; seeds 001, 002).

    One intake dispatches cases straight to the department responsible (fewer bounces) and
    merges repeated reports of the same matter; keeping it costs township hours every week.
    """

    name: str = label("baseline", "Preset name.")
    platform: bool = switch(False, "Residents' matters come in through one platform that "
                                   "dispatches and merges them.",
                            source="seed 001: 乡呼县应 platform on the government network; "
                                   "seed 002: one-matter joint handling")
    bounce_multiplier: float = param(
        0.5, unit="times", ge=0.0, le=1.0,
        doc="Bounce probability multiplied by this: the platform sends a case straight to the "
            "department its responsibility list names.",
        source="assumption: seed 001 reports 'every call answered' without a figure",
        plausible=(0.2, 0.9))
    duplicate_share: float = share(
        0.1, "Share of residents' township-only requests that repeat a matter already reported "
             "(another channel or another resident).",
        source="assumption: seed 001, residents take matters past the community "
               "(有事不找社区找党委)", plausible=(0.05, 0.25))
    merged_effort_share: float = share(
        0.15, "A merged repeat's handling (linking it, replying), as a share of the effort of "
              "handling it separately.", source="assumption", plausible=(0.05, 0.4))
    upkeep_hours_per_township_week: float = param(
        8.0, unit="cadre-hours/township/week", ge=0.0, le=500.0,
        doc="Township hours a week to keep the platform (entering, dispatching, closing and "
            "reporting cases), booked in the township's queue each Monday.",
        source="assumption: one cadre one day a week", plausible=(2.0, 20.0))


@dataclass
class PayPolicy:
    """Township pay premium over county organs (seed 003: at least +20%)."""

    name: str = label("baseline", "Preset name.")
    premium: float = param(0.0, unit="share of county pay", ge=0.0, le=5.0,
                           doc="Township pay above county organs' (0.2 = +20%).",
                           source="seed 003: at least +20%", plausible=(0.0, 0.4))
    attrition_elasticity: float = param(2.0, unit="elasticity", ge=0.0, le=50.0,
                                        doc="How strongly the premium lowers attrition.",
                                        plausible=(1.0, 4.0))
    extension_elasticity: float = param(2.0, unit="elasticity", ge=0.0, le=50.0,
                                        doc="How strongly the premium lowers the wish to stay "
                                            "seconded.", plausible=(1.0, 4.0))


@dataclass
class TrainingPolicy:
    """Targeted training of township cadres (靶向培训; seeds 004, 001)."""

    name: str = label("baseline", "Preset name.")
    courses_per_year: int = param(0, unit="courses/year", ge=0, le=250,
                                  doc="Courses a year, spread evenly over the year (0: none).",
                                  source="seed 004: 12 courses in Puge", plausible=(4, 24))
    trainee_share: float = share(
        0.084, "Share of the township cadres on duty who attend each course.",
        source="seed 004: 680 person-times over 12 courses for about 673 township posts "
               "(13 x 51.8), so 680 / 12 / 673", plausible=(0.03, 0.2))
    hours_per_course: float = param(8.0, unit="hours", gt=0.0, le=24.0,
                                    doc="Hours a trainee spends in one course, taken off the "
                                        "course day before any service work.",
                                    source="assumption: a one-day course", plausible=(4.0, 24.0))
    productivity_gain: float = param(0.05, unit="share of productivity", ge=0.0, le=1.0,
                                     doc="Productivity gained right after a course (0.05 = +5%).",
                                     source="assumption: training effects of a few percent",
                                     plausible=(0.0, 0.15))
    gain_half_life_days: float = param(180.0, unit="days", gt=0.0, le=3_650.0,
                                       doc="Half-life of the gain after a course.",
                                       source="assumption: skills fade over months",
                                       plausible=(60.0, 720.0))
    selection: str = param("random", unit="choice", choices=("random", "least_productive"),
                           doc="Who attends: a random draw, or the least productive first "
                               "(newcomers still ramping up, the fatigued).",
                           source="seed 004: targeted (靶向) training; seed 001: ageing staff")


@dataclass
class PromotionPolicy:
    """Promotion channels and leadership posts for township cadres (职数; seeds 000, 001, 003, 004).

    The prospect of promotion is the yearly chance above today's that a township cadre is promoted
    (or given a leadership post), plus ``rank_rise_weight`` times the chance of a rank rise.
    """

    name: str = label("baseline", "Preset name.")
    promotion_rate: float = share(
        0.0, "Yearly share of township cadres promoted or given a leadership post, above today's.",
        source="seed 004: 46 promoted and 17 further used, about 63 / 673 township posts = 0.094 "
               "(taken as one year); seed 001: 70 deputy posts over 3 years in 13 towns; seed "
               "003: 45.2% of Baotou's promotions went to grassroots cadres",
        plausible=(0.0, 0.15))
    rank_rise_rate: float = share(
        0.0, "Yearly share of township cadres whose rank rises (晋升职级), above today's.",
        source="seed 004: 251 rank rises / 673 township posts = 0.373 (taken as one year)",
        plausible=(0.0, 0.4))
    rank_rise_weight: float = share(
        0.25, "How much a rank rise counts against a promotion in the prospect.",
        source="assumption: a rank rise brings pay but no post", plausible=(0.1, 0.5))
    attrition_elasticity: float = param(2.0, unit="elasticity", ge=0.0, le=50.0,
                                        doc="How strongly the prospect lowers attrition.",
                                        source="assumption, as the pay premium's",
                                        plausible=(1.0, 4.0))
    extension_elasticity: float = param(2.0, unit="elasticity", ge=0.0, le=50.0,
                                        doc="How strongly the prospect lowers the wish to stay "
                                            "seconded (promotion at home, not upward).",
                                        source="assumption, as the pay premium's",
                                        plausible=(1.0, 4.0))


@dataclass
class TransferPolicy:
    """Long secondments turned into transfers (调入; seed 003, Kashgar)."""

    name: str = label("baseline", "Preset name.")
    after_months: float | None = param(
        None, unit="months", gt=0.0, le=600.0, nullable=True,
        doc="Unbroken months seconded after which a secondee may be transferred to the borrowing "
            "department; null means never.",
        source="assumption: a year makes a secondment long-term", plausible=(6.0, 24.0))
    transfer_share: float = share(
        0.27, "Chance that a secondee reaching the threshold is transferred, when the borrowing "
              "department has a vacant post (the transfer is made within its posts).",
        source="seed 003: Kashgar transferred 38 of 141 long-term secondees (103 returned)",
        plausible=(0.1, 0.6))


@dataclass
class ReallocationPolicy:
    """Periodic re-allocation of posts between a county's townships (编制动态调整; seed 002)."""

    name: str = label("baseline", "Preset name.")
    interval_days: int | None = param(
        None, unit="days", ge=1, le=3_650, nullable=True,
        doc="Days between re-allocations (the first on first_day); null means never.",
        source="assumption: a yearly or half-yearly review of the post ledger",
        plausible=(90, 365))
    first_day: int = param(60, unit="days", ge=1, le=3_650,
                           doc="Day of the first re-allocation (workload is measured over the "
                               "days before it).",
                           source="assumption: after a first period of measurement")
    basis: str = param("population", unit="choice", choices=("population", "workload"),
                       doc="What the posts follow: residents, or the cadre-hours of work that "
                           "arrived at each township over the last period (requests, township "
                           "parts of cross-department cases, emergencies, pushed-down tasks).",
                       source="seed 002: by population size and other factors")
    floor_posts: int = param(20, unit="posts", ge=0, le=5_000,
                             doc="No township is taken below this many posts.",
                             source="seed 002: at least 20 administrative posts a township in "
                                    "Qujing", plausible=(10, 40))
    max_moved_share: float = share(
        0.05, "Share of the townships' posts that may move at one re-allocation.",
        source="assumption: a gradual adjustment; seed 002: 973 posts over Qujing's townships, "
               "about 7 each", plausible=(0.01, 0.2))
    with_people: bool = switch(True, "Holders move with their posts to the receiving township; "
                                     "else the post moves vacant and is hired for.")


@dataclass
class PoolPolicy:
    """Province pool of posts and flows between counties (seed 000: Henan, Yanshi to Yibin).

    Two parts. In a province run, ``province_posts`` posts to sink to townships are shared among
    the counties by need (a weighted score of area, population and tasks) and each county's
    share replaces its ``policy.posts.total`` (the posts lever then sinks them within the
    county). And ``transfer_staff`` cadres move with their posts from the counties of least need
    per post to those of most, in ``batches`` on given days: the province runner decides the
    flows before the counties run, from their initial need, and sets each county's
    ``staff_out`` / ``staff_in`` (which a single county may also be given by hand).
    """

    name: str = label("baseline", "Preset name.")
    province_posts: int | None = param(
        None, unit="posts", ge=0, le=10_000_000, nullable=True,
        doc="Province run: posts sunk to townships in the whole province, shared among the "
            "counties by need; null leaves each county's posts preset as it is.",
        source="seed 000: 33,699 posts over Henan's 156 counties")
    share_posts: bool = switch(
        False, "Province run: share the counties' own planned posts (the sum of their "
               "policy.posts plans) among them by need; the province's total is unchanged, only "
               "where the posts go (province_posts, when set, replaces the total).",
        source="seed 000: the province set each place's number by its need")
    area_weight: float = param(1.0, unit="weight", ge=0.0, le=100.0,
                               doc="Weight of the county's share of the province's area in its "
                                   "need (townships' area_km2; drawn counties: the sum of "
                                   "squared distances to the seat stands in).",
                               source="seed 000: by area, population and tasks; equal weights "
                                      "an assumption", plausible=(0.0, 2.0))
    population_weight: float = param(1.0, unit="weight", ge=0.0, le=100.0,
                                     doc="Weight of the county's share of the province's "
                                         "residents in its need.",
                                     source="seed 000", plausible=(0.0, 2.0))
    tasks_weight: float = param(1.0, unit="weight", ge=0.0, le=100.0,
                                doc="Weight of the county's share of the province's expected "
                                    "township work (requests and pushed-down tasks, cadre-hours "
                                    "a working day) in its need.",
                                source="seed 000", plausible=(0.0, 2.0))
    transfer_staff: int = param(0, unit="cadres", ge=0, le=1_000_000,
                                doc="Province run: cadres moved with their posts between "
                                    "counties over all batches (0: none).",
                                source="seed 000: 200 from Yanshi to Yibin in two batches")
    transfer_pairs: int = param(1, unit="pairs", ge=1, le=5_000,
                                doc="Province run: the sending counties (least need per post) "
                                    "and receiving counties (most) paired off; the staff are "
                                    "split evenly among the pairs.",
                                source="seed 000: one pair, Yanshi and Yibin")
    staff_out: int = param(0, unit="cadres/batch", ge=0, le=100_000,
                           doc="This county sends this many cadres a batch, with their posts, "
                               "from its departments of most slack (set by the province run).")
    staff_in: int = param(0, unit="cadres/batch", ge=0, le=100_000,
                          doc="This county receives this many cadres a batch, with their posts, "
                              "into its townships of highest expected load (set by the province "
                              "run).")
    batches: int = param(2, unit="batches", ge=1, le=100, doc="Batches the cadres move in.",
                         source="seed 000: two batches")
    first_batch_day: int = param(30, unit="days", ge=0, le=3_650,
                                 doc="Day of the first batch.", source="assumption")
    batch_interval_days: int = param(120, unit="days", ge=1, le=3_650,
                                     doc="Days between batches.", source="assumption")


@dataclass
class PurchasePolicy:
    """Purchased services and a cap on contract staff (花钱办事, 编外; seed 001, Zhucheng).

    Routine and auxiliary work (事务性、辅助性工作) is bought from contractors by contract or
    commission instead of being done by cadres; contract staff (编外聘用人员) are capped.
    """

    name: str = label("baseline", "Preset name.")
    task_share: float = share(
        0.0, "Share of the pushed-down tasks a township keeps that it contracts out (routine and "
             "auxiliary work).",
        source="seed 001: routine and auxiliary work bought by contract (花钱办事); the share is "
               "an assumption", plausible=(0.1, 0.4))
    request_share: float = share(
        0.0, "Share of routine citizen requests (kind request: not complex, utility, emergency or "
             "cross-department) contracted out.",
        source="seed 001: public services suited to purchase; the share is an assumption",
        plausible=(0.0, 0.3))
    price_yuan_per_hour: float = param(
        60.0, unit="yuan/hour", ge=0.0, le=10_000.0,
        doc="Price of one contracted hour of work (the item's effort at a cadre's full "
            "productivity).",
        source="assumption: auxiliary labour in a central/western county", plausible=(30.0, 120.0))
    price_yuan_per_item: float = param(
        0.0, unit="yuan/item", ge=0.0, le=100_000.0,
        doc="Fixed fee per contracted item, on top of the hourly price.",
        source="assumption", plausible=(0.0, 100.0))
    turnaround_days_mean: float = param(
        3.0, unit="days", ge=0.01, le=365.0,
        doc="Mean calendar days from contracting an item to the contractor's return (gamma, "
            "shape 2).", source="assumption: a few days", plausible=(1.0, 7.0))
    rework_share: float = share(
        0.15, "Share of contracted items that come back needing rework by cadres (quality).",
        source="assumption", plausible=(0.05, 0.3))
    rework_effort_share: float = share(
        0.3, "Cadre effort of the rework, as a share of the item's contracted effort.",
        source="assumption", plausible=(0.1, 0.6))
    contract_staff_cap: float | None = param(
        None, unit="staff/township", ge=0.0, le=10_000.0, nullable=True,
        doc="Most contract staff (编外) a township may engage: contracting stops for the week "
            "when their hours are used; null means no cap.",
        source="seed 001: strict discipline on contract staff (编外聘用); the number is an "
               "assumption", plausible=(1.0, 10.0))
    contract_hours_per_staff_week: float = param(
        40.0, unit="hours/week", gt=0.0, le=168.0,
        doc="Hours a contract staff member works a week (the cap's weekly hours per head).",
        source="public figure: a 40-hour week", plausible=(35.0, 50.0))


@dataclass
class FeedbackPolicy:
    """Residents' evaluation of service: call-backs and on-site evaluation (seed 001, Zhucheng).

    A share of resolved requests is called back; an unsatisfied resident's request reopens as
    rework. Knowing they are called back, cadres give residents' requests more care, and under
    ``scenario.discipline=evaluation`` satisfaction counts in the township's score.
    """

    name: str = label("baseline", "Preset name.")
    callback_share: float = share(
        0.0, "Share of resolved residents' requests (emergencies aside) called back or evaluated "
             "on site (0: no evaluation by residents).",
        source="seed 001: phone call-backs and on-site machine evaluation; the share is an "
               "assumption", plausible=(0.2, 1.0))
    callback_delay_days: float = param(
        2.0, unit="days", ge=0.0, le=60.0,
        doc="Calendar days from a request's resolution to its call-back.",
        source="assumption", plausible=(0.5, 5.0))
    unsatisfied_base: float = share(
        0.08, "Chance a resident called back is unsatisfied with a request resolved at once, at "
              "ordinary care.", source="assumption", plausible=(0.03, 0.2))
    unsatisfied_per_wait_day: float = param(
        0.1, unit="per day", ge=0.0, le=10.0,
        doc="Relative rise of that chance per day the resident waited: base x (1 + this x days) "
            "x care^-care_elasticity, at most 1.",
        source="assumption: satisfaction falls with waiting", plausible=(0.02, 0.3))
    care_effort_multiplier: float = param(
        1.1, unit="times", ge=1.0, le=3.0,
        doc="Effort cadres give a resident's request when requests are called back (times the "
            "need).", source="assumption: evaluation by residents improves work style (seed 001)",
        plausible=(1.0, 1.3))
    care_elasticity: float = param(
        2.0, unit="elasticity", ge=0.0, le=20.0,
        doc="How strongly care lowers dissatisfaction (the chance times care^-elasticity).",
        source="assumption", plausible=(0.5, 4.0))
    reopen_effort_share: float = share(
        0.5, "Cadre effort of a reopened request, as a share of its first effort.",
        source="assumption", plausible=(0.2, 1.0))
    request_weight_multiplier: float = param(
        2.0, unit="times", ge=1.0, le=10.0,
        doc="Residents' requests' evaluation weight multiplied by this when satisfaction is "
            "scored (discipline=evaluation).",
        source="seed 001: call-back satisfaction used to evaluate the grid's work",
        plausible=(1.0, 3.0))


@dataclass
class ResidencePolicy:
    """Village-resident cadres (驻村干部; seeds 004, 003): sent from above, or rotated from below.

    Cadres sent from above the township add hands at village level (Puge, 004); the township's
    own cadres rotated to its villages leave its crew for their turn (Kashgar, 003).
    """

    name: str = label("baseline", "Preset name.")
    residents_per_village: float = param(
        0.0, unit="cadres", ge=0.0, le=50.0,
        doc="Cadres posted to each village (from above the township).",
        source="seed 004: 216 for Puge's 81 villages (2.67 each)", plausible=(0.0, 4.0))
    hours_per_day: float = param(
        4.0, unit="hours", ge=0.0, le=12.0,
        doc="Hours a resident cadre gives to village work (visits, the committee's ledgers) on "
            "a working day; the rest goes to projects (rural revitalisation).",
        source="assumption", plausible=(2.0, 8.0))
    rotation_share: float = share(
        0.0, "Share of each township's own cadres (on duty, not leaders, not seconded) who "
             "live and work in its villages at any time, in turns (轮换下沉; 0: none). They do "
             "not serve the township's queue nor its night and weekend duty.",
        source="seed 003: half of a Kashgar township's cadres rotate down to the villages",
        plausible=(0.0, 0.5))
    rotation_days: int = param(
        30, unit="days", ge=1, le=365,
        doc="Calendar days of one turn in the villages; then the next cadres of the township's "
            "roster go.", source="assumption (seed 003 gives no length)", plausible=(7, 90))
    rotation_hours_per_day: float = param(
        6.0, unit="hours", ge=0.0, le=12.0,
        doc="Hours a rotated township cadre gives to village work (visits door to door) on a "
            "working day; the rest of its day goes to the village's other work.",
        source="assumption", plausible=(4.0, 8.0))


@dataclass
class WorkTeamsPolicy:
    """County work teams sent to villages (基层治理工作队; seed 002, Qujing)."""

    name: str = label("baseline", "Preset name.")
    members_per_village: float = param(
        0.0, unit="people", ge=0.0, le=50.0, doc="Work-team members in each village.",
        source="seed 002: 5,147 for Qujing's 1,688 villages (3.05 each)", plausible=(0.0, 4.0))
    hours_per_day: float = param(
        2.0, unit="hours", ge=0.0, le=12.0,
        doc="Hours a member gives to village work on a working day (the rest to rural "
            "revitalisation and key projects).",
        source="assumption (seed 002: teams take part in governance and projects)",
        plausible=(1.0, 6.0))


@dataclass
class PlaquesPolicy:
    """Clearing plaques and burdens of village committees (清牌子、减担子; seeds 002, 004)."""

    name: str = label("baseline", "Preset name.")
    cleared_per_village: float = param(
        0.0, unit="plaques", ge=0.0, le=200.0,
        doc="Plaques, certificates and ledgers cleared in each village (at most the scenario's "
            "plaques_per_village).",
        source="seed 002: about 10 a village; seed 004: 560 in Puge's 81 villages and 13 "
               "townships", plausible=(0.0, 15.0))


@dataclass
class PolicyConfig:
    """The levers (:data:`sim.policies.LEVERS`); each a config group (``configs/policy/``)."""

    posts: PostsPolicy = field(default_factory=PostsPolicy)
    secondment: SecondmentPolicy = field(default_factory=SecondmentPolicy)
    meetings: MeetingsPolicy = field(default_factory=MeetingsPolicy)
    tasks: TasksPolicy = field(default_factory=TasksPolicy)
    coordination: CoordinationPolicy = field(default_factory=CoordinationPolicy)
    enforcement: EnforcementPolicy = field(default_factory=EnforcementPolicy)
    platform: PlatformPolicy = field(default_factory=PlatformPolicy)
    pay: PayPolicy = field(default_factory=PayPolicy)
    training: TrainingPolicy = field(default_factory=TrainingPolicy)
    promotion: PromotionPolicy = field(default_factory=PromotionPolicy)
    transfer: TransferPolicy = field(default_factory=TransferPolicy)
    reallocation: ReallocationPolicy = field(default_factory=ReallocationPolicy)
    pool: PoolPolicy = field(default_factory=PoolPolicy)
    purchase: PurchasePolicy = field(default_factory=PurchasePolicy)
    feedback: FeedbackPolicy = field(default_factory=FeedbackPolicy)
    residence: ResidencePolicy = field(default_factory=ResidencePolicy)
    work_teams: WorkTeamsPolicy = field(default_factory=WorkTeamsPolicy)
    plaques: PlaquesPolicy = field(default_factory=PlaquesPolicy)


@dataclass
class OutputConfig:
    """What a run writes besides ``summary.json``."""

    tables: bool = switch(True, "Write the Parquet tables.")
    tasks: bool | None = param(None, unit="yes/no", nullable=True,
                               doc="Write the one-row-per-work-item table (tasks.parquet, zstd); "
                                   "null: for a single run, not in sweeps (a province "
                                   "aggregated from a sweep needs it).")
    figures: bool | None = param(None, unit="yes/no", nullable=True,
                                 doc="Draw the PNG figures; null: for a single run, not in "
                                     "sweeps (sim.compare draws them).")
    progress: bool = switch(True, "Show a progress bar on a terminal.")
    export: bool | None = param(None, unit="yes/no", nullable=True,
                                doc="Write CSV files and an Excel workbook of the tables by "
                                    "name (export/); null: for a single run, not in sweeps.")
    warmup_days: int = param(0, unit="days", ge=0, le=3_650,
                             doc="Days left out of the summary's statistics: requests arriving "
                                 "before are not counted, and hours shares count from then "
                                 "(below days).",
                             source="assumption: the first weeks start from empty queues")
    objective: str = param("resolution_hours_mean", unit="choice", choices=_objectives,
                           doc="The summary.json key a run returns to Hydra (what an Optuna "
                               "sweep minimises).")


@dataclass
class BlockConfig:
    """Several runs in one job (one process pays the imports once; see sim.runners.batch).

    With ``size`` above 1, a job of a county scenario runs seeds ``seed`` to ``seed + size - 1``;
    a job of a province (``scenario.counties > 1``) runs its counties ``first`` to
    ``first + size - 1`` and leaves them to ``python -m sim.province aggregate``.
    """

    size: int = param(1, unit="runs", ge=1, le=100_000,
                      doc="Runs (seeds, or a province's counties) done in one job.")
    first: int = param(0, unit="county", ge=0, le=100_000,
                       doc="A province block's first county (0-based); 0 for a county.")


@dataclass
class Config:
    """Root schema: one run of one scenario under one mix of policies."""

    scenario: ScenarioConfig = field(default_factory=ScenarioConfig)
    policy: PolicyConfig = field(default_factory=PolicyConfig)
    output: OutputConfig = field(default_factory=OutputConfig)
    block: BlockConfig = field(default_factory=BlockConfig)
    seed: int = param(20240328, unit="seed", ge=0, le=2**32 - 1,
                      doc="Seed of every random stream (a county's own seeds derive from it).")
    days: int = param(365, unit="days", ge=1, le=3_650, doc="Calendar days simulated.")


def register_configs() -> None:
    """Register the root schema with Hydra's ConfigStore (called on import of :mod:`sim`).

    ``configs/config.yaml`` lists ``config_schema`` first in its defaults, so every scenario
    and preset file is merged onto these typed dataclasses and checked key by key.
    """
    ConfigStore.instance().store(name="config_schema", node=Config)


# -- reading the declarations -----------------------------------------------------------------


def iter_fields(schema: type = Config, prefix: str = "") -> Iterator[tuple[str, dataclasses.Field]]:
    """Every leaf field of ``schema`` as (dotted key, dataclass field), groups descended into."""
    for item in dataclasses.fields(schema):
        key = f"{prefix}{item.name}"
        kind = _group_type(schema, item)
        if kind is not None:
            yield from iter_fields(kind, key + ".")
        else:
            yield key, item


def field_types() -> dict[str, str]:
    """The declared Python type of every leaf field, as written in the schema ("int", ...)."""
    return {key: str(item.type) for key, item in iter_fields(Config)}


def _group_type(schema: type, item: dataclasses.Field) -> type | None:
    """The dataclass a field holds, when it is a config group (a nested dataclass)."""
    if item.default_factory is not dataclasses.MISSING:
        made = item.default_factory()
        if dataclasses.is_dataclass(made):
            return type(made)
    return None


def iter_specs(schema: type = Config) -> Iterator[tuple[str, Spec, Any]]:
    """Every declared leaf as (dotted key, :class:`Spec`, schema default)."""
    if schema is Config:
        yield from _root_specs()
        return
    for key, item in iter_fields(schema):
        yield key, field_spec(key), item.default


@functools.cache
def _root_specs() -> tuple[tuple[str, Spec, Any], ...]:
    return tuple((key, field_spec(key), item.default) for key, item in iter_fields(Config))


def field_spec(key: str) -> Spec:
    """The declaration of a dotted config key, e.g. ``field_spec("scenario.townships")``.

    Raises:
        KeyError: the key is not a field of the schema, or has no declaration.
    """
    schema: type = Config
    *groups, leaf = key.split(".")
    for group in groups:
        match = {f.name: f for f in dataclasses.fields(schema)}.get(group)
        kind = _group_type(schema, match) if match is not None else None
        if kind is None:
            raise KeyError(key)
        schema = kind
    match = {f.name: f for f in dataclasses.fields(schema)}.get(leaf)
    if match is None or "spec" not in match.metadata:
        raise KeyError(key)
    return match.metadata["spec"]


def plausible_ranges(prefix: str = "") -> dict[str, tuple[float, float]]:
    """The declared plausible (low, high) of every uncertain parameter whose key starts so.

    What the sensitivity study, calibration and exploratory modelling sample; the dashboard's
    sliders use :func:`valid_range` instead (what the validator accepts).
    """
    return {key: spec.plausible for key, spec, _ in iter_specs()
            if spec.plausible is not None and key.startswith(prefix)}


def valid_range(key: str) -> tuple[float | None, float | None]:
    """The (low, high) the validator accepts for a numeric key (None where unbounded)."""
    spec = field_spec(key)
    low = spec.gt if spec.gt is not None else spec.ge
    high = spec.lt if spec.lt is not None else spec.le
    return low, high

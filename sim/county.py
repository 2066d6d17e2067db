"""A county's units, one row each: drawn from a scenario's ranges, or read from CSV tables.

A scenario describes a county by ranges ("14 townships of 20-80k people, 70 posts each"); a
county folder describes a real one by name, a row per unit (the tables' schema is declared once
below, in :data:`TOWNSHIP_COLUMNS`, :data:`DEPARTMENT_COLUMNS` and :data:`VILLAGE_COLUMNS`, and
documented in ``counties/README.md``):

- ``townships.csv``: one row per township or street (乡镇/街道): name, population, area,
  distance to the county seat, administrative (行政) and institutional (事业) posts (编制), staff
  holding those posts, of them seconded (借调) at the start, leaders, villages;
- ``departments.csv`` (optional): one row per county department (县直部门): name, posts, staff,
  the share of its staff hours its own work takes;
- ``villages.csv`` (optional): one row per administrative village (行政村): name, township,
  population, distance to its township's seat.

Both builders return a :class:`CountyLayout`, which :class:`sim.model.CountyWorkload` builds its
units and post ledger from. :func:`layout_from_scenario` makes the draws the model always made
(same streams, same order), so scenarios without tables give the same runs as before.
:func:`read_county` checks every table before any work and raises :class:`CountyTableError`
(a :class:`~sim.validate.ConfigError`) naming the file, the spreadsheet row (the header is row 1)
and the column. Cells left blank, and optional columns left out, take the scenario's defaults.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.config import ScenarioConfig
from sim.streams import Streams
from sim.validate import ConfigError

#: Where relative county paths are also looked for (the project folder), after the working one.
PROJECT_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Column:
    """One column of a county table.

    Attributes:
        name: Header in the CSV file.
        kind: ``text``, ``int`` or ``float``.
        required: The column must be present and every cell filled.
        unit: Unit of the values (``""`` for names and counts of people).
        meaning: What the column holds, and what a blank cell falls back to.
    """

    name: str
    kind: str
    required: bool
    unit: str
    meaning: str


TOWNSHIP_COLUMNS = (
    Column("name", "text", True, "", "township or street name, unique in the county"),
    Column("population", "int", True, "people", "residents"),
    Column("area_km2", "float", False, "km2",
           "land area (reported in the results; blank: unknown)"),
    Column("distance_km", "float", False, "km",
           "road distance to the county seat (meeting travel); blank: middle of the scenario's "
           "distance_km_min..distance_km_max"),
    Column("admin_posts", "int", False, "posts",
           "administrative posts (行政编制); blank: posts_per_township x admin_share"),
    Column("institutional_posts", "int", False, "posts",
           "institutional posts (事业编制); blank: posts_per_township minus the admin posts"),
    Column("staff_on_duty", "int", False, "people",
           "people holding the township's posts, secondees included; at most the posts; blank: "
           "posts x fill_rate, leaders at least"),
    Column("secondees", "int", False, "people",
           "of the staff, seconded (借调) to county departments when the run starts; blank: "
           "initial_secondees_per_township"),
    Column("leaders", "int", False, "people",
           "leaders among the staff (they attend more meetings); blank: leaders_per_township"),
    Column("villages", "int", False, "villages",
           "administrative villages; blank: the township's rows in villages.csv, or "
           "villages_per_township"),
)
DEPARTMENT_COLUMNS = (
    Column("name", "text", True, "", "county department name, unique in the county"),
    Column("posts", "int", True, "posts", "authorised posts (编制)"),
    Column("staff", "int", False, "people",
           "people holding the posts; at most the posts; blank: posts x department_fill_rate"),
    Column("own_workload_share", "float", False, "share",
           "share of the staff's regular hours the department's own work takes (0-1); blank: "
           "middle of department_utilisation_min..max"),
)
VILLAGE_COLUMNS = (
    Column("name", "text", True, "", "village name, unique within its township"),
    Column("township", "text", True, "", "the township it belongs to (a name in townships.csv)"),
    Column("population", "int", False, "people", "residents (blank: unknown)"),
    Column("distance_km", "float", False, "km",
           "distance to the township seat (reported; blank: unknown)"),
)
TABLES = {"townships.csv": TOWNSHIP_COLUMNS, "departments.csv": DEPARTMENT_COLUMNS,
          "villages.csv": VILLAGE_COLUMNS}


class CountyTableError(ConfigError):
    """A county table that cannot be used; the message names the file, row and column."""

    def __init__(self, path: Path | str, row: int | None, column: str | None, message: str):
        """Name where in which table the problem is."""
        where = [str(path)]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column}")
        super().__init__(", ".join(where), message)
        self.path, self.row, self.column = str(path), row, column


@dataclass
class CountyLayout:
    """The county's units, one entry per township and per department, in unit order.

    Townships are units ``0..n-1`` and departments ``n..n+m-1`` of the post ledger. Posts are
    laid out per unit as ``admin`` posts first, then institutional ones; the first ``leaders``
    posts are the leaders'.

    Attributes:
        township_names: Township names.
        population: Residents per township.
        distance_km: Distance to the county seat per township, km.
        area_km2: Land area per township, km2 (NaN: unknown).
        x: Map position east of the county seat, km.
        y: Map position north of the county seat, km.
        villages: Administrative villages per township.
        admin_posts: Administrative posts per township.
        institutional_posts: Institutional posts per township.
        leaders: Leaders' posts per township (always filled).
        staff: Filled posts per township (``exact_staff``), or the filled count the fill-rate
            draw starts from (scenario draws; leaders are added when not drawn).
        secondees: Cadres per township on secondment when the run starts.
        department_names: Department names.
        department_posts: Posts per department.
        department_admin: Administrative posts per department.
        department_staff: Filled posts per department (as ``staff``).
        department_utilisation: Share of each department's regular hours its own work takes.
        exact_staff: True when ``staff`` counts are exact (tables); False for the scenario's
            fill-rate draw, kept as it always was.
        exact_department_staff: The same for ``department_staff``.
        source: The county folder the tables came from (None: drawn from the scenario).
        village_table: The villages, one row each, when a villages table was given.
    """

    township_names: list[str]
    population: np.ndarray
    distance_km: np.ndarray
    area_km2: np.ndarray
    x: np.ndarray
    y: np.ndarray
    villages: np.ndarray
    admin_posts: np.ndarray
    institutional_posts: np.ndarray
    leaders: np.ndarray
    staff: np.ndarray
    secondees: np.ndarray
    department_names: list[str]
    department_posts: np.ndarray
    department_admin: np.ndarray
    department_staff: np.ndarray
    department_utilisation: np.ndarray
    exact_staff: bool = False
    exact_department_staff: bool = False
    source: str | None = None
    village_table: pd.DataFrame | None = None

    @property
    def township_posts(self) -> np.ndarray:
        """Posts per township (administrative plus institutional)."""
        return self.admin_posts + self.institutional_posts

    @staticmethod
    def fill(rng: np.random.Generator, posts: int, staff: int, leaders: int,
             exact: bool) -> np.ndarray:
        """Which of a unit's posts are filled when the run starts (leaders' always are).

        Args:
            rng: The geography stream (the draw is part of the county's layout).
            posts: The unit's posts.
            staff: Filled posts (see :attr:`staff`).
            leaders: Leaders' posts, the unit's first.
            exact: Fill exactly ``staff`` posts (tables), or draw ``staff`` posts and add any
                leader not drawn (the scenario's fill rate, as the model always drew it).
        """
        filled = np.zeros(posts, dtype=bool)
        if exact:
            filled[:leaders] = True
            filled[leaders + rng.permutation(posts - leaders)[: staff - leaders]] = True
        else:
            filled[rng.permutation(posts)[:staff]] = True
            filled[:leaders] = True
        return filled

    def scenario(self, scenario: ScenarioConfig) -> ScenarioConfig:
        """``scenario`` with its unit counts set to the layout's (what the model reads)."""
        return dataclasses.replace(scenario, townships=len(self.township_names),
                                   departments=len(self.department_names))


# -- from the scenario's draws ----------------------------------------------------------------


def layout_from_scenario(scenario: ScenarioConfig, streams, *, townships: bool = True,
                         departments: bool = True) -> CountyLayout:
    """The county as the model always drew it from the scenario's ranges.

    Draws, in this order: population, distance and map angle of each township from the
    ``geography`` stream, then each department's own-work share from the ``departments``
    stream (the post fill draws follow when the model lays out its posts).

    Args:
        scenario: The scenario.
        streams: The run's :class:`~sim.streams.Streams`.
        townships: Draw the townships (False leaves them empty, for a table to fill).
        departments: Draw the departments (False leaves them empty, for a table to fill).
    """
    s = scenario
    rng = streams["geography"]
    n = s.townships if townships else 0
    population = rng.integers(s.population_min, s.population_max + 1, n)
    distance = rng.uniform(s.distance_km_min, s.distance_km_max, n)
    angle = rng.uniform(0, 2 * np.pi, n)
    if s.pure_queue:
        admin, institutional, leaders, staff = (np.full(n, s.servers), np.zeros(n, int),
                                                np.zeros(n, int), np.full(n, s.servers))
    else:
        posts = s.posts_per_township
        admin = np.full(n, round(posts * s.admin_share))
        institutional = np.full(n, posts) - admin
        leaders = np.full(n, min(s.leaders_per_township, posts))
        staff = np.full(n, round(posts * s.fill_rate))
    m = 0 if (s.pure_queue or not departments) else s.departments
    utilisation = streams["departments"].uniform(s.department_utilisation_min,
                                                 s.department_utilisation_max, m)
    return CountyLayout(
        township_names=[f"T{i + 1:02d}" for i in range(n)],
        population=population.astype(np.int64),
        distance_km=distance,
        area_km2=np.full(n, np.nan),
        x=distance * np.cos(angle),
        y=distance * np.sin(angle),
        villages=spread_villages(s, population),
        admin_posts=admin, institutional_posts=institutional, leaders=leaders, staff=staff,
        secondees=np.full(n, max(s.initial_secondees_per_township, 0)),
        department_names=[f"D{d + 1:02d}" for d in range(m)],
        department_posts=np.full(m, s.posts_per_department),
        department_admin=np.full(m, round(s.posts_per_department * s.admin_share)),
        department_staff=np.full(m, round(s.posts_per_department * s.department_fill_rate)),
        department_utilisation=utilisation,
    )


# -- from tables -------------------------------------------------------------------------------


def resolve_dir(path: str | Path) -> Path:
    """A county (or province) path as given, or else relative to the project folder."""
    path = Path(path).expanduser()
    if path.is_absolute() or path.exists():
        return path
    beside = PROJECT_DIR / path
    return beside if beside.exists() else path


def _read(path: Path, columns: tuple[Column, ...]) -> list[dict]:
    """Read one table; check its header and each cell's type; return its rows with row numbers."""
    raw = None
    # UTF-8 (with or without Excel's byte-order mark), else GB18030: what a Chinese-language
    # Excel writes when it saves "CSV" without "UTF-8".
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            raw = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True,
                              encoding=encoding)
            break
        except UnicodeDecodeError:
            continue
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
            raise CountyTableError(path, None, None, "not a readable CSV table "
                                   f"({str(error).strip().splitlines()[0]})") from None
    if raw is None:
        raise CountyTableError(path, None, None, "not text in UTF-8 or GB18030; save it as "
                               "CSV UTF-8")
    header = [str(c).strip() for c in raw.columns]
    raw.columns = header
    known = {c.name for c in columns}
    for name in header:
        if name not in known:
            raise CountyTableError(path, 1, name, f"unknown column; allowed: {', '.join(known)}")
    for column in columns:
        if column.required and column.name not in header:
            raise CountyTableError(path, 1, column.name, "missing column (required)")
    if raw.empty:
        raise CountyTableError(path, 2, None, "the table has no rows")
    rows = []
    for i, record in enumerate(raw.to_dict("records")):
        row = {"_row": i + 2}
        for column in columns:
            text = str(record.get(column.name, "")).strip()
            row[column.name] = _cell(path, i + 2, column, text)
        rows.append(row)
    return rows


def _cell(path: Path, row: int, column: Column, text: str):
    """One cell's value (None when blank), or a one-line error naming where it is."""
    if text == "":
        if column.required:
            raise CountyTableError(path, row, column.name, "empty cell (required)")
        return None
    if column.kind == "text":
        return text
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        raise CountyTableError(path, row, column.name,
                               f"{text!r} is not a number ({column.unit or column.kind})") from None
    if not math.isfinite(value) or value < 0:
        raise CountyTableError(path, row, column.name, f"must not be negative (got {text})")
    if column.kind == "int":
        if value != int(value):
            raise CountyTableError(path, row, column.name, f"must be a whole number (got {text})")
        return int(value)
    return value


def _unique(path: Path, rows: list[dict], key=lambda r: r["name"], what="name") -> None:
    seen = {}
    for row in rows:
        k = key(row)
        if k in seen:
            raise CountyTableError(path, row["_row"], "name",
                                   f"duplicate {what} {row['name']!r} (also row {seen[k]})")
        seen[k] = row["_row"]


def _or(value, default):
    return default if value is None else value


def read_county(folder: str | Path, scenario: ScenarioConfig, streams) -> CountyLayout:
    """Read and check a county folder's tables; what they leave out comes from ``scenario``.

    Args:
        folder: The county folder (``townships.csv``, optional ``departments.csv`` and
            ``villages.csv``).
        scenario: The scenario whose defaults fill blanks and absent tables.
        streams: The run's streams (departments without a table are drawn as the scenario
            draws them).

    Raises:
        CountyTableError: the first problem, naming the file, row and column.
    """
    s = scenario
    where = Path(folder)
    folder = resolve_dir(folder)
    if not (folder / "townships.csv").is_file():
        raise CountyTableError(where / "townships.csv", None, None,
                               "no such file (a county folder needs townships.csv)")
    path = folder / "townships.csv"
    rows = _read(path, TOWNSHIP_COLUMNS)
    _unique(path, rows)
    village_rows = None
    if (folder / "villages.csv").is_file():
        vpath = folder / "villages.csv"
        village_rows = _read(vpath, VILLAGE_COLUMNS)
        names = {r["name"] for r in rows}
        for v in village_rows:
            if v["township"] not in names:
                raise CountyTableError(vpath, v["_row"], "township",
                                       f"unknown township {v['township']!r} (not in "
                                       f"townships.csv)")
        _unique(vpath, village_rows, key=lambda r: (r["township"], r["name"]),
                what="village name in its township:")
    default_posts = s.posts_per_township
    default_admin = round(default_posts * s.admin_share)
    mid_distance = (s.distance_km_min + s.distance_km_max) / 2
    columns = {key: [] for key in ("population", "distance_km", "area_km2", "villages",
                                   "admin_posts", "institutional_posts", "leaders", "staff",
                                   "secondees")}
    for r in rows:
        at = r["_row"]
        admin = _or(r["admin_posts"], default_admin)
        institutional = _or(r["institutional_posts"], default_posts - default_admin)
        posts = admin + institutional
        if posts < 1:
            raise CountyTableError(path, at, "admin_posts",
                                   "a township needs at least one post (admin_posts + "
                                   "institutional_posts)")
        leaders = _or(r["leaders"], min(s.leaders_per_township, posts))
        staff = _or(r["staff_on_duty"], max(round(posts * s.fill_rate), leaders))
        if staff > posts:
            raise CountyTableError(path, at, "staff_on_duty",
                                   f"{staff} staff exceed the township's {posts} posts "
                                   f"(admin_posts + institutional_posts)")
        if leaders > staff:
            raise CountyTableError(path, at, "leaders",
                                   f"{leaders} leaders exceed the {staff} staff on duty")
        secondees = _or(r["secondees"], s.initial_secondees_per_township)
        if secondees > staff - leaders:
            raise CountyTableError(path, at, "secondees",
                                   f"{secondees} secondees exceed the {staff - leaders} "
                                   f"staff other than leaders")
        in_table = [v for v in village_rows or [] if v["township"] == r["name"]]
        villages = r["villages"]
        if village_rows is not None and villages is not None and villages != len(in_table):
            raise CountyTableError(path, at, "villages",
                                   f"{villages} villages, but villages.csv lists "
                                   f"{len(in_table)} for {r['name']!r}")
        known = [v["population"] for v in in_table if v["population"] is not None]
        if sum(known) > r["population"]:
            raise CountyTableError(folder / "villages.csv", in_table[-1]["_row"], "population",
                                   f"the villages of {r['name']!r} hold {sum(known)} people, "
                                   f"more than the township's {r['population']}")
        if village_rows is not None and villages is None:
            villages = len(in_table)
        for key, value in (("population", r["population"]),
                           ("distance_km", _or(r["distance_km"], mid_distance)),
                           ("area_km2", _or(r["area_km2"], math.nan)),
                           ("villages", villages),
                           ("admin_posts", admin), ("institutional_posts", institutional),
                           ("leaders", leaders), ("staff", staff), ("secondees", secondees)):
            columns[key].append(value)
    n = len(rows)
    if any(v is None for v in columns["villages"]):  # blanks: the scenario's villages
        spread = spread_villages(s, np.array(columns["population"], dtype=np.int64))
        columns["villages"] = [int(spread[i]) if v is None else v
                               for i, v in enumerate(columns["villages"])]
    # No map positions in the tables: spread the townships round the seat, at their distance.
    angle = np.arange(n) * math.pi * (3 - math.sqrt(5))
    distance = np.array(columns["distance_km"], dtype=float)
    ints = {k: np.array(columns[k], dtype=np.int64) for k in
            ("population", "villages", "admin_posts", "institutional_posts", "leaders", "staff",
             "secondees")}
    dpath = folder / "departments.csv"
    if dpath.is_file():
        drows = _read(dpath, DEPARTMENT_COLUMNS)
        _unique(dpath, drows)
        mid = (s.department_utilisation_min + s.department_utilisation_max) / 2
        d_posts, d_staff, d_share = [], [], []
        for r in drows:
            if r["posts"] < 1:
                raise CountyTableError(dpath, r["_row"], "posts", "must be at least 1 (got 0)")
            staff = _or(r["staff"], max(round(r["posts"] * s.department_fill_rate), 1))
            if staff > r["posts"]:
                raise CountyTableError(dpath, r["_row"], "staff",
                                       f"{staff} staff exceed the department's {r['posts']} posts")
            share = _or(r["own_workload_share"], mid)
            if share > 1:
                raise CountyTableError(dpath, r["_row"], "own_workload_share",
                                       f"is a share and must lie in [0, 1] (got {share})")
            d_posts.append(r["posts"])
            d_staff.append(staff)
            d_share.append(share)
        department_names = [r["name"] for r in drows]
        department_posts = np.array(d_posts, dtype=np.int64)
        department_staff = np.array(d_staff, dtype=np.int64)
        utilisation = np.array(d_share, dtype=float)
    else:  # the scenario's departments, drawn as the scenario draws them
        drawn = layout_from_scenario(s, streams, townships=False)
        department_names, department_posts = drawn.department_names, drawn.department_posts
        department_staff, utilisation = drawn.department_staff, drawn.department_utilisation
    exact_department_staff = dpath.is_file()
    village_table = None
    if village_rows is not None:
        village_table = pd.DataFrame([{k: v for k, v in r.items() if k != "_row"}
                                      for r in village_rows])
    return CountyLayout(
        township_names=[r["name"] for r in rows],
        population=ints["population"], distance_km=distance,
        area_km2=np.array(columns["area_km2"], dtype=float),
        x=distance * np.cos(angle), y=distance * np.sin(angle),
        villages=ints["villages"], admin_posts=ints["admin_posts"],
        institutional_posts=ints["institutional_posts"], leaders=ints["leaders"],
        staff=ints["staff"], secondees=ints["secondees"],
        department_names=department_names, department_posts=department_posts,
        department_admin=np.array([round(p * s.admin_share) for p in department_posts],
                                  dtype=np.int64),
        department_staff=department_staff, department_utilisation=utilisation,
        exact_staff=True, exact_department_staff=exact_department_staff, source=str(where),
        village_table=village_table,
    )


def build_layout(scenario: ScenarioConfig, streams) -> CountyLayout:
    """The county of ``scenario``: from its ``county_dir`` tables when set, else drawn."""
    if getattr(scenario, "counties_table", None):
        check_province(scenario.counties_table, scenario)
    if getattr(scenario, "county_dir", None):
        if scenario.pure_queue:
            raise ConfigError("scenario.county_dir", "cannot be used with a pure-queue scenario")
        return read_county(scenario.county_dir, scenario, streams)
    return layout_from_scenario(scenario, streams)


# -- villages -----------------------------------------------------------------------------------


def spread_villages(scenario: ScenarioConfig, population: np.ndarray) -> np.ndarray:
    """Villages per township: ``villages_total`` spread by population, else the same number each.

    The spread gives each township its population's share of the county's villages, rounded by
    largest remainders, so the total is exactly ``villages_total`` (Puge's 81, seed 004).
    """
    n = len(population)
    total = getattr(scenario, "villages_total", None)
    if total is None or n == 0:
        return np.full(n, scenario.villages_per_township, dtype=np.int64)
    weights = np.asarray(population, dtype=float)
    weights = weights / weights.sum() if weights.sum() > 0 else np.full(n, 1.0 / n)
    exact = weights * total
    out = np.floor(exact).astype(np.int64)
    remainder = int(total - out.sum())
    out[np.argsort(-(exact - out), kind="stable")[:remainder]] += 1
    return out


@dataclass
class VillageLayout:
    """The county's administrative villages (行政村) and communities, one entry each.

    Attributes:
        names: Village names.
        township: Township index of each village.
        population: Residents of each village.
        distance_km: Distance of each village to its township seat, km.
    """

    names: list[str]
    township: np.ndarray
    population: np.ndarray
    distance_km: np.ndarray


def village_layout(layout: CountyLayout, scenario: ScenarioConfig,
                   rng: np.random.Generator) -> VillageLayout:
    """The villages of ``layout``: from its villages table, else drawn within each township.

    Drawn villages share their township's population with weights uniform in [0.5, 1.5] and lie
    uniformly up to ``village_distance_km_max`` from the seat; in a table, blank populations
    share what the listed ones leave of the township's, and blank distances are drawn. All
    draws come from ``rng`` (the ``villages`` stream), never the county's other streams.
    """
    names, township, population, distance = [], [], [], []
    table = layout.village_table
    for t, name in enumerate(layout.township_names):
        rows = (table[table["township"] == name].to_dict("records")
                if table is not None else [])
        k = len(rows) if rows else int(layout.villages[t])
        if k == 0:
            continue
        weights = rng.uniform(0.5, 1.5, k)
        drawn_distance = rng.uniform(0.0, scenario.village_distance_km_max, k)
        people = np.floor(weights / weights.sum() * layout.population[t]).astype(np.int64)
        if rows:
            known = [r.get("population") for r in rows]
            known = [None if v is None or (isinstance(v, float) and math.isnan(v)) else int(v)
                     for v in known]
            left = int(layout.population[t]) - sum(v for v in known if v is not None)
            blanks = [i for i, v in enumerate(known) if v is None]
            for i in range(k):
                people[i] = known[i] if known[i] is not None else left // max(len(blanks), 1)
            for i, r in enumerate(rows):
                d = r.get("distance_km")
                if d is not None and not (isinstance(d, float) and math.isnan(d)):
                    drawn_distance[i] = float(d)
            names.extend(str(r["name"]) for r in rows)
        else:
            names.extend(f"{name}-V{j + 1:02d}" for j in range(k))
        township.extend([t] * k)
        population.extend(people.tolist())
        distance.extend(drawn_distance.tolist())
    return VillageLayout(names=names, township=np.array(township, dtype=np.int64),
                         population=np.array(population, dtype=np.int64),
                         distance_km=np.array(distance, dtype=float))


# -- a province from a table of counties ---------------------------------------------------------


def province_counties(source: str | Path) -> list[tuple[str, str]]:
    """The counties of a province: ``(name, county folder)`` in order.

    Args:
        source: A CSV file with columns ``name`` and ``county_dir`` (a row per county; folders
            relative to the file), or a folder whose subfolders holding ``townships.csv`` are
            the counties (named after the subfolders, in name order), or a folder holding such
            a ``counties.csv``.

    Raises:
        CountyTableError: naming the file, row and column at fault.
    """
    where = Path(source)
    path = resolve_dir(source)
    if path.is_dir() and (path / "counties.csv").is_file():
        path, where = path / "counties.csv", where / "counties.csv"
    if path.is_dir():
        found = sorted(p for p in path.iterdir() if (p / "townships.csv").is_file())
        if not found:
            raise CountyTableError(where, None, None,
                                   "no county folders (subfolders with townships.csv) and no "
                                   "counties.csv")
        return [(p.name, str(p)) for p in found]
    if not path.is_file():
        raise CountyTableError(where, None, None, "no such file or folder")
    columns = (Column("name", "text", True, "", "county name"),
               Column("county_dir", "text", True, "", "the county's folder"))
    rows = _read(path, columns)
    _unique(path, rows)
    counties = []
    for r in rows:
        folder = Path(r["county_dir"]).expanduser()
        folder = folder if folder.is_absolute() else path.parent / folder
        if not (folder / "townships.csv").is_file():
            raise CountyTableError(where, r["_row"], "county_dir",
                                   f"{r['county_dir']!r} holds no townships.csv")
        counties.append((r["name"], str(folder)))
    return counties


def check_province(source: str | Path, scenario: ScenarioConfig) -> None:
    """Read every county of a province table (raising on the first bad table); build nothing.

    Draws (for counties without a departments table) come from throwaway streams, so checking
    leaves the run's own streams untouched.
    """
    for _name, folder in province_counties(source):
        read_county(folder, scenario, Streams(0))

"""A county from tables (sim.county): what the tables say is what the model builds; bad tables
stop before any work with one line naming the file, row and column; a province of real counties.
"""

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.api import compose_config, make_model
from sim.county import (
    DEPARTMENT_COLUMNS,
    TOWNSHIP_COLUMNS,
    VILLAGE_COLUMNS,
    CountyTableError,
    province_counties,
    read_county,
)
from sim.measures.by_unit import department_summary, township_summary
from sim.measures.metrics import summarize, task_table
from sim.runners.province import county_seed, run_province
from sim.streams import Streams
from sim.validate import ConfigError
from sim.work import CITIZEN_KINDS

ROOT = Path(__file__).resolve().parent.parent
PUGE = ROOT / "counties" / "puge"


def _rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def puge_run():
    model = make_model("puge_county", seed=5, days=60)
    start_seconded = int(np.count_nonzero(model.roster.seconded_to >= 0))
    model.run()
    tasks = task_table(model)
    return model, tasks, summarize(model, tasks), start_seconded


def test_the_model_builds_what_the_tables_say(puge_run):
    model, _, _, start_seconded = puge_run
    rows = _rows(PUGE / "townships.csv")
    assert [t.name for t in model.townships] == [r["name"] for r in rows]
    assert [t.population for t in model.townships] == [int(r["population"]) for r in rows]
    assert [t.distance_km for t in model.townships] == [float(r["distance_km"]) for r in rows]
    # Posts, admin posts, staff and leaders per township, counted in the ledger as built.
    roster = model.roster
    units = np.asarray(model.layout.township_posts)
    for i, r in enumerate(rows):
        mine = np.flatnonzero(roster.unit == i)
        assert len(mine) == int(r["admin_posts"]) + int(r["institutional_posts"]) == units[i]
        assert int(roster.admin[mine].sum()) == int(r["admin_posts"])
        assert int(roster.leader[mine].sum()) == int(r["leaders"])
        assert model.staff_start[i] == int(r["staff_on_duty"])
    assert start_seconded == sum(int(r["secondees"]) for r in rows) == 59  # seed 004
    assert len(roster.unit[roster.unit < len(rows)]) == 243  # 18.7 per township, seed 004
    villages = _rows(PUGE / "villages.csv")
    assert sum(t.villages for t in model.townships) == len(villages) == 81
    departments = _rows(PUGE / "departments.csv")
    assert model.department_names == [r["name"] for r in departments]
    assert [len(d.slots) for d in model.departments] == [int(r["posts"]) for r in departments]
    assert list(model.staff_start[len(rows):]) == [int(r["staff"]) for r in departments]
    start_capacity = model.staff_start[len(rows):] * model.scenario.regular_hours_per_day
    own = model.departments.own_work / start_capacity
    assert np.allclose(own, [float(r["own_workload_share"]) for r in departments])


def test_a_table_that_says_what_the_scenario_says_gives_the_same_run():
    """baotou_kexuelu's table repeats baotou_street's figures: same demand, same results."""
    a = make_model("baotou_street", seed=3, days=90)
    b = make_model("baotou_kexuelu", seed=3, days=90)
    a.run()
    b.run()
    sa, sb = summarize(a), summarize(b)
    assert [t.name for t in b.townships] == ["Kexuelu street"]
    differing = [k for k in sa if k not in ("scenario", "runtime_seconds") and sa[k] != sb[k]]
    assert differing == []


def test_blank_cells_and_absent_tables_take_the_scenario_defaults(tmp_path):
    (tmp_path / "townships.csv").write_text(
        "name,population,staff_on_duty\nA,30000,\nB,12000,20\n", encoding="utf-8"
    )
    cfg = compose_config(["scenario=classroom", f"scenario.county_dir={tmp_path}"])
    model = make_model("classroom", seed=2, days=1,
                       overrides=[f"scenario.county_dir={tmp_path}"])
    s = cfg.scenario
    assert [t.name for t in model.townships] == ["A", "B"]
    assert list(model.layout.township_posts) == [s.posts_per_township] * 2
    assert list(model.layout.admin_posts) == [round(s.posts_per_township * s.admin_share)] * 2
    assert model.staff_start[0] == round(s.posts_per_township * s.fill_rate)
    assert model.staff_start[1] == 20
    assert [t.distance_km for t in model.townships] == [
        (s.distance_km_min + s.distance_km_max) / 2] * 2
    assert len(model.departments) == s.departments  # no departments.csv: the scenario's
    assert model.scenario.townships == 2


def _drop(text, column):
    """The CSV ``text`` without ``column``."""
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    return df.drop(columns=column).to_csv(index=False)


BAD = [  # (file, edit, row, column, words in the message)
    ("townships.csv", lambda t: t.replace("staff_on_duty,", "staff,", 1), 1, "staff",
     "unknown column"),
    ("townships.csv", lambda t: _drop(t, "population"), 1, "population", "missing column"),
    ("townships.csv", lambda t: t.replace("Puge-C,19500,", "Puge-C,-19500,", 1), 4,
     "population", "negative"),
    ("townships.csv", lambda t: t.replace("Puge-B,22000,150,12,8,13,20,", "Puge-B,22000,150,12,8,"
                                          "13,30,", 1), 3, "staff_on_duty", "exceed"),
    ("townships.csv", lambda t: t.replace("Puge-D,", "Puge-C,", 1), 5, "name", "duplicate"),
    ("townships.csv", lambda t: t.replace("Puge-E,17500,", "Puge-E,many,", 1), 6, "population",
     "not a number"),
    ("villages.csv", lambda t: t.replace("Puge-A village 2,Puge-A,", "Puge-A village 2,Nowhere,",
                                         1), 3, "township", "unknown township"),
    ("departments.csv", lambda t: t.replace("Education,120,114,", "Education,120,130,", 1), 7,
     "staff", "exceed"),
    ("departments.csv", lambda t: t.replace("Justice,", "Finance,", 1), 11, "name",
     "duplicate"),
]


@pytest.mark.parametrize(("name", "edit", "row", "column", "words"), BAD)
def test_bad_tables_name_the_file_row_and_column(tmp_path, name, edit, row, column, words):
    folder = tmp_path / "county"
    shutil.copytree(PUGE, folder)
    path = folder / name
    path.write_text(edit(path.read_text(encoding="utf-8")))
    scenario = make_model("puge", seed=1, days=1).scenario
    with pytest.raises(CountyTableError) as raised:
        read_county(folder, scenario, Streams(1))
    error = raised.value
    assert isinstance(error, ConfigError)
    assert (Path(error.path).name, error.row, error.column) == (name, row, column)
    message = str(error)
    assert message.startswith(f"{path}, row {row}, column {column}: ")
    assert words in message and "\n" not in message


def test_a_bad_table_stops_the_command_before_any_work(tmp_path):
    folder = tmp_path / "county"
    shutil.copytree(PUGE, folder)
    path = folder / "townships.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Puge-C,19500,", "Puge-C,-5,", 1))
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "sim", "scenario=puge_county",
                             f"scenario.county_dir={folder}", f"hydra.run.dir={out}"],
                            capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "townships.csv, row 4, column population" in lines[0]
    assert not out.exists()


def test_chinese_names_in_utf8_or_gb18030_as_excel_saves_them(tmp_path):
    text = "name,population,staff_on_duty\n科学路街道,65000,23\n麻池镇,30000,\n"
    scenario = make_model("baotou_street", seed=1, days=1).scenario
    for encoding in ("utf-8-sig", "gb18030"):
        (tmp_path / "townships.csv").write_bytes(text.encode(encoding))
        layout = read_county(tmp_path, scenario, Streams(1))
        assert layout.township_names == ["科学路街道", "麻池镇"]
        assert list(layout.staff) == [23, scenario.posts_per_township]


def test_schema_is_documented_and_the_template_is_valid():
    readme = (ROOT / "counties" / "README.md").read_text(encoding="utf-8")
    for columns in (TOWNSHIP_COLUMNS, DEPARTMENT_COLUMNS, VILLAGE_COLUMNS):
        for column in columns:
            assert f"`{column.name}`" in readme, column.name
    scenario = make_model("typical_county", seed=1, days=1).scenario
    layout = read_county(ROOT / "counties" / "template", scenario, Streams(1))
    assert layout.township_names == ["First township", "Second township"]
    assert list(layout.villages) == [2, 1]  # from the villages column, agreeing with villages.csv


def test_results_by_name_add_up_to_the_county(puge_run):
    model, tasks, summary, _ = puge_run
    rows = township_summary(model, tasks)
    assert list(rows["name"]) == [t.name for t in model.townships]
    # Independent counts from the item table itself.
    kinds = model.table.column("kind")
    township = model.table.column("township")
    citizen = np.isin(kinds, [int(k) for k in CITIZEN_KINDS])
    assert list(rows["requests_arrived"]) == [
        int(np.count_nonzero(citizen & (township == i))) for i in range(len(rows))]
    assert rows["requests_arrived"].sum() == summary["requests_arrived"]
    assert rows["requests_resolved"].sum() == summary["requests_resolved"]
    assert rows["posts_end"].sum() == summary["posts_townships"]
    assert rows["overload_index"].mean() == pytest.approx(summary["overload_index_mean"])
    hours = rows[[c for c in rows if c.startswith("hours_")]].sum().to_numpy()
    assert np.allclose(hours, model.townships.hours.sum(axis=0))
    assert rows["population"].tolist() == [int(r["population"]) for r in
                                           _rows(PUGE / "townships.csv")]
    departments = department_summary(model)
    assert departments["posts_end"].sum() == summary["posts_departments"]
    assert departments["secondees_held_end"].sum() == int(
        np.count_nonzero(model.roster.occupied & (model.roster.seconded_to >= 0)))
    assert departments["name"].tolist() == model.department_names


def test_province_from_a_table_of_counties(tmp_path):
    table = ROOT / "counties" / "two_counties.csv"
    counties = province_counties(table)
    assert [name for name, _ in counties] == ["Puge", "Baotou Kexuelu"]
    folder = tmp_path / "province"
    for name in ("puge", "baotou_kexuelu"):
        shutil.copytree(ROOT / "counties" / name, folder / name)
    assert [n for n, _ in province_counties(folder)] == ["baotou_kexuelu", "puge"]
    cfg = compose_config(["scenario=puge", f"scenario.counties_table={table}", "days=20",
                          "seed=4", "output.figures=false"])
    summary = run_province(cfg, tmp_path / "out", n_jobs=1)
    rows = pd.read_parquet(tmp_path / "out" / "counties.parquet")
    assert rows["name"].tolist() == ["Puge", "Baotou Kexuelu"]
    assert summary["townships"] == 13 + 1
    # Each county is the model of its own folder, with the documented county seed.
    for k, (_name, folder_k) in enumerate(counties):
        model = make_model("puge", seed=county_seed(4, k), days=20,
                           overrides=[f"scenario.county_dir={folder_k}"])
        model.run()
        alone = summarize(model)
        assert rows.loc[k, "requests_arrived"] == alone["requests_arrived"]
        assert rows.loc[k, "resolution_hours_mean"] == pytest.approx(
            alone["resolution_hours_mean"])
    assert summary["requests_arrived"] == rows["requests_arrived"].sum()
    assert json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))["provenance"]


def test_a_bad_county_in_a_province_table_is_found_before_any_work(tmp_path):
    shutil.copytree(PUGE, tmp_path / "a")
    shutil.copytree(PUGE, tmp_path / "b")
    bad = tmp_path / "b" / "departments.csv"
    bad.write_text(bad.read_text(encoding="utf-8").replace("Audit,30,", "Audit,-30,", 1))
    with pytest.raises(ConfigError, match=r"b/departments.csv, row 23, column posts"):
        make_model("puge", seed=1, days=1, overrides=[f"scenario.counties_table={tmp_path}"])


def test_figures_label_townships_by_name_in_chinese(tmp_path):
    import warnings

    from sim.measures.figures import plot_run, township_labels, use_cjk_fonts
    from sim.measures.metrics import township_table
    from sim.runners.outputs import daily_table

    (tmp_path / "townships.csv").write_text("name,population\n科学路街道,65000\n麻池镇,30000\n",
                                            encoding="utf-8")
    model = make_model("baotou_street", seed=1, days=10,
                       overrides=[f"scenario.county_dir={tmp_path}"])
    model.run()
    units = township_summary(model)
    labels = township_labels(units)
    assert labels["麻池镇"] == "麻池镇 (30k people, 23 posts)"
    if not use_cjk_fonts():
        pytest.skip("no CJK font installed")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph warns
        paths = plot_run(daily_table(model), township_table(model), "zh", tmp_path / "fig",
                         units=units)
    assert all(p.stat().st_size > 0 for p in paths)

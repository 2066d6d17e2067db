"""The spreadsheet export (sim.runners.export): one workbook and one CSV per table, units in
the headers, the same numbers as the Parquet files and the by-unit tables."""

import json

import pandas as pd
import pytest
from openpyxl import load_workbook

from sim.api import compose_config, make_model
from sim.measures.by_unit import department_summary, township_summary
from sim.runners.outputs import write_run

SHEETS = ["summary", "townships", "departments", "daily"]


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    cfg = compose_config(["scenario=puge_county", "seed=2", "days=30"])
    model = make_model("puge_county", seed=2, days=30)
    model.run()
    summary = write_run(model, cfg, out, runtime_seconds=0.0, figures=False)
    return out, model, summary


def test_one_workbook_a_sheet_per_table_and_a_csv_each(written):
    out, _, _ = written
    book = load_workbook(out / "export" / "results.xlsx", read_only=True)
    assert book.sheetnames == SHEETS
    for name in [*SHEETS, "township_days"]:
        assert (out / "export" / f"{name}.csv").stat().st_size > 0
    days = pd.read_csv(out / "export" / "township_days.csv", encoding="utf-8-sig")
    assert len(days) == 30 * 13 and days["name"].iloc[0] == "Puge-A"


def test_headers_carry_units_and_rows_carry_names(written):
    out, model, _ = written
    book = load_workbook(out / "export" / "results.xlsx", read_only=True)
    rows = list(book["townships"].values)
    header = list(rows[0])
    for column in ("population [people]", "posts_start [posts]", "distance_km [km]",
                   "overload_index [ratio]", "resolution_hours_mean [calendar hours]"):
        assert column in header
    names = [r[header.index("name")] for r in rows[1:]]
    assert names == [t.name for t in model.townships]
    # The sheet holds the same numbers as the by-unit table (independently recomputed here).
    expected = township_summary(model)
    got = [r[header.index("requests_arrived [count]")] for r in rows[1:]]
    assert got == expected["requests_arrived"].tolist()
    loads = [r[header.index("overload_index [ratio]")] for r in rows[1:]]
    assert loads == pytest.approx(expected["overload_index"].tolist())
    departments = list(book["departments"].values)
    assert [r[1] for r in departments[1:]] == department_summary(model)["name"].tolist()


def test_csv_and_sheet_agree_and_match_parquet(written):
    out, _, summary = written
    daily_csv = pd.read_csv(out / "export" / "daily.csv", encoding="utf-8-sig")
    daily = pd.read_parquet(out / "daily.parquet")
    assert daily_csv["backlog [items]"].tolist() == daily["backlog"].tolist()
    facts = pd.read_csv(out / "export" / "summary.csv", encoding="utf-8-sig")
    row = facts.set_index("key").loc["requests_arrived"]
    assert int(row["value"]) == summary["requests_arrived"] and row["unit"] == "count"
    assert "hours_share.meetings" in facts["key"].tolist()
    stored = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert stored["provenance"]["dependencies"]["openpyxl"] == "3.1.5"


def test_export_can_be_switched_off(tmp_path):
    cfg = compose_config(["scenario=classroom", "seed=2", "days=5", "output.export=false"])
    model = make_model("classroom", seed=2, days=5)
    model.run()
    write_run(model, cfg, tmp_path, runtime_seconds=0.0, figures=False)
    assert (tmp_path / "summary.json").exists() and not (tmp_path / "export").exists()

"""Names defined once (sim/kernels/columns.py) and the modules that re-export them."""

import numpy as np

from sim.agents import township
from sim.kernels import columns
from sim.kernels.columns import (
    CATEGORY_OF_KIND,
    HOURS_CATEGORIES,
    MANDATORY_CATEGORIES,
    TOWNSHIP_COLUMNS,
    Hours,
    ItemColumns,
    Kind,
    Mandatory,
    TownshipColumn,
)
from sim.policies import coordination
from sim.work import STATUSES, ItemTable


def test_item_columns_are_the_item_table_columns():
    assert ItemColumns._fields == tuple(name for name, _ in ItemTable.COLUMNS)
    table = ItemTable(capacity=8)
    table.add(2, kind=Kind.TASK, township=1, arrival=0.0, deadline=5.0, effort=2.0)
    items = ItemColumns.of(table)
    assert items.kind is table.kind and items.done is table.done


def test_township_columns_name_the_record_columns():
    assert TOWNSHIP_COLUMNS[:TownshipColumn.HOURS] == (
        "day", "township", "backlog", "demand_hours", "capacity_hours", "on_duty", "seconded",
        "vacancies", "posts", "overtime_hours")
    assert TOWNSHIP_COLUMNS[TownshipColumn.HOURS:] == tuple(f"hours_{c}" for c in HOURS_CATEGORIES)
    for column in TownshipColumn:
        if column < TownshipColumn.HOURS:
            assert TOWNSHIP_COLUMNS[column] == column.name.lower()


def test_hours_categories_of_kinds_and_mandatory_rows():
    assert HOURS_CATEGORIES == ("service", "cross_department", "tasks", "meetings", "documents",
                                "inspections", "chat_groups", "seconded", "own_work",
                                "service_centre", "grid")
    for kind in Kind:
        expected = {Kind.CROSS_DEPARTMENT: Hours.CROSS_DEPARTMENT, Kind.REWORK:
                    Hours.CROSS_DEPARTMENT, Kind.TASK: Hours.TASKS,
                    Kind.OWN_WORK: Hours.OWN_WORK}.get(kind, Hours.SERVICE)
        assert CATEGORY_OF_KIND[kind] == expected
    assert [HOURS_CATEGORIES[c] for c in MANDATORY_CATEGORIES] == [
        row.name.lower() for row in Mandatory]


def test_old_homes_re_export_the_same_names():
    assert township.HOURS_CATEGORIES is HOURS_CATEGORIES
    assert township.TOWNSHIP_COLUMNS is TOWNSHIP_COLUMNS
    assert township.CATEGORY_OF_KIND is CATEGORY_OF_KIND
    assert np.array_equal(township.MANDATORY_CATEGORIES, MANDATORY_CATEGORIES)
    assert coordination.TOWNSHIP_PART == columns.TOWNSHIP_PART
    assert STATUSES == ("resolved", "open", "with_departments", "returned")


def test_kernels_import_nothing_from_policies_or_work():
    import ast
    import pathlib

    for path in pathlib.Path(columns.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sim"):
                assert node.module.startswith("sim.kernels"), (path.name, node.module)

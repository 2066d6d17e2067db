"""Results per county department (issue 11, item 7): ``departments.parquet``.

One row per department: its utilisation (hours worked over regular capacity, the secondees it
holds counted in its capacity), the answers it gave townships on cross-department cases and how
long they took, the hours of refused pushed-down tasks it absorbed under an access list, and the
township secondees it held on an average day.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Columns of ``departments.parquet`` (besides ``seed``, added by the writer).
DEPARTMENT_COLUMNS = ("department", "unit", "utilisation", "answers", "answer_days_mean",
                      "refused_task_hours", "secondees_held_mean")


def department_table(model) -> pd.DataFrame:
    """One row per county department: utilisation, answer times, refused-task hours, secondees.

    ``answer_days_mean`` and ``utilisation`` are NaN for a department that gave no answer or had
    no staff; ``secondees_held_mean`` is the township secondees held, averaged over the days run.
    """
    book = model.departments
    with np.errstate(divide="ignore", invalid="ignore"):
        utilisation = np.where(book.capacity_total > 0, book.worked / book.capacity_total, np.nan)
        answer_days = np.where(book.answers > 0, book.answer_days / book.answers, np.nan)
    return pd.DataFrame({
        "department": np.arange(len(book), dtype=np.int64),
        "unit": book.units.astype(np.int64),
        "utilisation": utilisation,
        "answers": book.answers.astype(np.int64),
        "answer_days_mean": answer_days,
        "refused_task_hours": book.refused_task_hours.astype(float),
        "secondees_held_mean": book.secondee_days / max(model.day, 1),
    }, columns=list(DEPARTMENT_COLUMNS))

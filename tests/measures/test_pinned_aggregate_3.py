"""The unit table's row labels and the dtype of the results' ``unit`` column
(``scorecard.measures.aggregate``), worked by hand (mutation testing; see docs/mutation.md).

Organisation: T1 and T2 in North, T3 with no area; county "County". The unit table is the
``units`` a computation gives users (``Computation.units``): one row per (team, unit, level).
"""

from __future__ import annotations

import pandas as pd

from scorecard.measures.aggregate import roll_up, unit_table
from scorecard.registry.model import ValueUnit

ORGANISATION = pd.DataFrame({"team": ["T1", "T2", "T3"], "area": ["North", "North", None]})
MONTHS = pd.PeriodIndex(["2015-04"], freq="M")


def test_the_unit_table_rows_are_numbered_from_0() -> None:
    # 3 county rows, 2 area rows (T3 has no area), 3 team rows: 8 rows labelled 0 .. 7, not the
    # organisation's labels 0, 1, 2, 0, 1, 0, 1, 2 repeated from each part
    units = unit_table(ORGANISATION, "County")
    assert units.index.tolist() == list(range(8))
    assert units.loc[3, "unit"] == "North" and units.loc[7, "unit"] == "T3"


def test_results_keep_the_unit_tables_text_dtypes() -> None:
    # the unit table's units are pandas' "string" text (teams and areas are read as "string");
    # the results' unit column keeps it, the level column keeps the table's "str"
    units = unit_table(ORGANISATION, "County")
    rows = pd.DataFrame(
        {
            "team": ["T1"],
            "month": pd.PeriodIndex(["2015-04"], freq="M"),
            "numerator": [1.0],
            "denominator": [2.0],
        }
    )
    got = roll_up(rows, "x", ValueUnit.PERCENT, MONTHS, units)
    assert str(units["unit"].dtype) == "string"
    assert str(got["unit"].dtype) == "string"
    assert got["level"].dtype == units["level"].dtype
    assert got["unit"].tolist() == ["County", "North", "T1", "T2", "T3"]

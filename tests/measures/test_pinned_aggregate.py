"""Roll-up to teams, areas and the county, worked by hand (mutation testing).

Organisation: T1 and T2 in North, T3 with no area (rolls up to the county only); county "County".
Units in report order: County, North, T1, T2, T3 (county first, then areas, then teams).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scorecard.measures.aggregate import Level, UnitGrid, result_values, roll_up, unit_table
from scorecard.registry.model import ValueUnit

ORGANISATION = pd.DataFrame({"team": ["T1", "T2", "T3"], "area": ["North", "North", None]})
APR, MAY = pd.Period("2015-04", "M"), pd.Period("2015-05", "M")
MONTHS = pd.PeriodIndex([APR, MAY], freq="M")
UNITS = unit_table(ORGANISATION, "County")
NAN = np.nan


def rows(data: list[tuple], categorical: bool = False) -> pd.DataFrame:
    frame = pd.DataFrame(data, columns=["team", "month", "numerator", "denominator"])
    frame["month"] = pd.PeriodIndex(frame["month"], freq="M")
    frame[["numerator", "denominator"]] = frame[["numerator", "denominator"]].astype(float)
    if categorical:
        frame["team"] = frame["team"].astype("category")
    return frame


def test_unit_table() -> None:
    assert UNITS[["team", "unit", "level"]].values.tolist() == [
        ["T1", "County", "county"], ["T2", "County", "county"], ["T3", "County", "county"],
        ["T1", "North", "area"], ["T2", "North", "area"],
        ["T1", "T1", "team"], ["T2", "T2", "team"], ["T3", "T3", "team"],
    ]  # fmt: skip
    assert [level.value for level in Level] == ["team", "area", "county"]


DATA = [
    ("T1", APR, 1, 1), ("T1", APR, 0, 1), ("T2", APR, 1, 1),  # April: T1 1/2, T2 1/1
    ("T3", MAY, 2, 4), ("T1", MAY, NAN, 1),  # May: T3 2/4; T1 a missing numerator (skipped)
    ("T2", pd.Period("2015-06", "M"), 5, 5),  # June is not asked for: left out
]  # fmt: skip


@pytest.mark.parametrize("categorical", [False, True])
def test_whole_number_sums(categorical) -> None:
    got = roll_up(rows(DATA, categorical), "x", ValueUnit.PERCENT, MONTHS, UNITS)
    assert (
        got["unit"].tolist()
        == ["County"] * 2 + ["North"] * 2 + ["T1"] * 2 + ["T2"] * 2 + ["T3"] * 2
    )
    assert got["level"].tolist()[::2] == ["county", "area", "team", "team", "team"]
    assert got["month"].tolist()[:2] == [APR, MAY]
    # County: April 2/3, May 2/5; North: April 2/3, May 0/1; T1: 1/2, 0/1; T2: 1/1, 0/0; T3: 0/0, 2/4
    assert got["numerator"].tolist() == [2, 2, 2, 0, 1, 0, 1, 0, 0, 2]
    assert got["denominator"].tolist() == [3, 5, 3, 1, 2, 1, 1, 0, 0, 4]
    value = got["value"].round(4).tolist()
    assert value[:6] == [66.6667, 40.0, 66.6667, 0.0, 50.0, 0.0]
    assert value[6] == 100.0 and np.isnan(value[7]) and np.isnan(value[8]) and value[9] == 50.0
    assert got["indicator"].tolist() == ["x"] * 10 and list(got.columns) == [
        "indicator", "unit", "level", "month", "numerator", "denominator", "value"]  # fmt: skip


def test_fractional_sums() -> None:
    # FTE-like contributions: T1 0.5 + 0.25 of 1.5 in April, T3 0.1 of a missing denominator
    data = [("T1", APR, 0.5, 1.0), ("T1", APR, 0.25, 0.5), ("T3", APR, 0.1, NAN)]
    got = roll_up(rows(data), "x", ValueUnit.RATIO, MONTHS, UNITS).set_index(["unit", "month"])
    assert got.loc[("T1", APR), ["numerator", "denominator", "value"]].tolist() == [0.75, 1.5, 0.5]
    assert got.loc[("County", APR), "numerator"] == pytest.approx(0.85)
    assert got.loc[("County", APR), "denominator"] == 1.5
    assert got.loc[("North", APR), "numerator"] == 0.75
    # T3's only denominator is missing: nothing to add, the unit's sum is 0 (a missing sum adds 0)
    assert got.loc[("T3", APR), ["numerator", "denominator"]].tolist() == [0.1, 0.0]
    assert got.loc[("T2", MAY), ["numerator", "denominator"]].tolist() == [0.0, 0.0]


def test_counts_have_no_denominator() -> None:
    data = [("T1", MAY, 1, NAN), ("T1", MAY, 1, NAN), ("T3", MAY, 1, NAN)]
    got = roll_up(rows(data), "n", ValueUnit.COUNT, MONTHS, UNITS).set_index(["unit", "month"])
    assert got.loc[("County", MAY), "value"] == 3 and got.loc[("T1", MAY), "value"] == 2
    assert got.loc[("T2", MAY), "value"] == 0 and got["denominator"].isna().all()


def test_results_of_several_indicators_and_one_not_computed() -> None:
    grid = UnitGrid(UNITS, MONTHS)
    sums = grid.sums(rows([("T2", MAY, 3, 4)]))
    out = grid.results([("a", ValueUnit.PERCENT, sums), ("b", ValueUnit.DAYS, None)])
    assert len(out) == 20 and out["indicator"].tolist() == ["a"] * 10 + ["b"] * 10
    a = out[out["indicator"] == "a"].set_index(["unit", "month"])
    assert a.loc[("T2", MAY), ["numerator", "denominator", "value"]].tolist() == [3, 4, 75.0]
    assert (
        out.loc[out["indicator"] == "b", ["numerator", "denominator", "value"]].isna().all().all()
    )
    empty = grid.results([])
    assert list(empty.columns) == ["indicator", "unit", "level", "month", "numerator",
                                   "denominator", "value"] and empty.empty  # fmt: skip


def test_result_values() -> None:
    n, d = pd.Series([1.0, 0.0, 3.0, 5.0]), pd.Series([4.0, 0.0, 0.0, 2.0])
    got = result_values(n, d, ValueUnit.PERCENT).tolist()
    assert got[0] == 25.0 and np.isnan(got[1]) and np.isnan(got[2]) and got[3] == 250.0
    days = result_values(n, d, ValueUnit.DAYS).tolist()
    assert days[0] == 0.25 and np.isnan(days[2]) and days[3] == 2.5
    assert result_values(n, d, ValueUnit.COUNT).tolist() == [1.0, 0.0, 3.0, 5.0]

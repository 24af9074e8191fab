"""Roll-up of record-level rows to teams, areas and the county, against a plain pandas roll-up."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.measures.aggregate import roll_up, unit_table
from scorecard.registry.model import ValueUnit

ORGANISATION = pd.DataFrame({"team": ["T1", "T2", "T3"], "area": ["North", "North", None]})
MONTHS = pd.period_range("2015-04", "2015-06", freq="M")
values = st.one_of(st.none(), st.integers(0, 3), st.sampled_from([0.1, 0.2, 0.7, 1e-9, 0.3]))
row = st.tuples(st.sampled_from(["T1", "T2", "T3"]), st.sampled_from(list(MONTHS)), values, values)


def _expected(rows: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Team sums (missing when no value), then each unit's sum over its teams (missing adds 0),
    each column summed on its own by pandas."""
    by_team = pd.concat(
        [rows.groupby(["team", "month"])[c].sum(min_count=1) for c in ("numerator", "denominator")],
        axis=1,
    )
    grid = pd.MultiIndex.from_product([units["team"].unique(), MONTHS], names=["team", "month"])
    by_team = by_team.reindex(grid).reset_index()
    joined = units.merge(by_team, on="team")
    keys = ["unit", "level", "month"]
    return pd.concat(
        [joined.groupby(keys, sort=False)[c].sum() for c in ("numerator", "denominator")], axis=1
    )


@settings(deadline=None)  # timing is not what this checks (exceeded 200 ms on a loaded machine)
@given(data=st.lists(row, max_size=25))
def test_roll_up_matches_pandas_exactly(data: list) -> None:
    rows = pd.DataFrame(data, columns=["team", "month", "numerator", "denominator"])
    rows[["numerator", "denominator"]] = rows[["numerator", "denominator"]].astype(float)
    rows["month"] = pd.PeriodIndex(rows["month"], freq="M")
    units = unit_table(ORGANISATION, "County")
    got = roll_up(rows, "x", ValueUnit.PERCENT, MONTHS, units).set_index(["unit", "level", "month"])
    want = _expected(rows, units)
    np.testing.assert_array_equal(got["numerator"].to_numpy(), want["numerator"].to_numpy())
    np.testing.assert_array_equal(got["denominator"].to_numpy(), want["denominator"].to_numpy())
    assert list(got.index) == list(want.index)


def test_whole_decides_which_sums_are_exact() -> None:
    from scorecard.measures.aggregate import _whole

    assert _whole(np.array([1.0, np.nan, -3.0, 0.0]))  # missing values skipped
    assert _whole(np.array([0.0, 1.0, np.nan, -0.0]))  # flags: the usual
    assert not _whole(np.array([0.0, 1.0, 0.5]))
    assert _whole(np.array([np.nan])) and _whole(np.array([]))
    assert not _whole(np.array([4.0, -2.5]))  # a negative fraction too
    assert not _whole(np.array([np.inf])) and not _whole(np.array([-np.inf, 1.0]))
    # the magnitudes must sum below 2**52: 2**51 + (2**51 - 1) does, 2**51 + 2**51 does not
    assert _whole(np.array([2.0**51, -(2.0**51 - 1)]))
    assert not _whole(np.array([2.0**51, np.nan, -(2.0**51)]))


@pytest.mark.parametrize(
    "months",
    [
        pd.PeriodIndex(["2015-04", "2015-05", "2015-06"], freq="M"),  # consecutive, in order
        pd.PeriodIndex(["2015-06", "2015-04"], freq="M"),  # a gap, out of order
    ],
)
@pytest.mark.parametrize("coded", [True, False])
@pytest.mark.parametrize("as_text", [True, False])
def test_rows_outside_the_grid_are_left_out(months: pd.PeriodIndex, coded: bool,
                                            as_text: bool) -> None:  # fmt: skip
    # T1 in 2015-04: 1/1 and 1/1; T2 in 2015-06: 0/1; left out: a row of 2015-05 when it is not
    # a grid month, of 2015-03 and 2015-07 (outside), of a missing month, of a missing team
    rows = pd.DataFrame(
        {
            "team": ["T1", "T1", "T2", "T2", "T1", "T3", "T3", None],
            "month": ["2015-04", "2015-04", "2015-06", "2015-05", "2015-03", "2015-07", None,
                      "2015-04"],
            "numerator": [1.0, 1.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0],
            "denominator": 1.0,
        }
    )  # fmt: skip
    rows["month"] = pd.PeriodIndex(rows["month"], freq="M")
    if as_text:
        rows["month"] = rows["month"].astype(str).replace("NaT", None)  # not Periods
    if coded:
        rows["team"] = rows["team"].astype(pd.CategoricalDtype(["T1", "T2", "T3", "T4"]))
    units = unit_table(ORGANISATION, "County")
    got = roll_up(rows, "x", ValueUnit.PERCENT, months, units)
    got = got.set_index(["unit", "month"])[["numerator", "denominator"]]
    in_may = pd.Period("2015-05", "M") in months
    assert got.loc[("T1", pd.Period("2015-04", "M"))].tolist() == [2.0, 2.0]
    assert got.loc[("T2", pd.Period("2015-06", "M"))].tolist() == [0.0, 1.0]
    assert got.loc[("T3", pd.Period("2015-06", "M"))].tolist() == [0.0, 0.0]
    assert got.loc[("County", pd.Period("2015-04", "M"))].tolist() == [2.0, 2.0]
    if in_may:
        assert got.loc[("T2", pd.Period("2015-05", "M"))].tolist() == [1.0, 1.0]
    assert got["denominator"].sum() == (3.0 if not in_may else 4.0) * 3  # team, area, county

"""Roll-up sums (``scorecard.measures.aggregate``) worked by hand (mutation testing; see
docs/mutation.md): fractional contributions summed to the float nearest their exact sum (pandas'
compensated grouped sum, not a plain left-to-right addition), a row without a team left out,
flags given as pandas' nullable booleans, and months given as "YYYY-MM" text.

Organisation as in test_pinned_aggregate: T1 and T2 in North, T3 with no area; teams in the grid
in the order T1, T2, T3.
"""

from __future__ import annotations

import pandas as pd

from scorecard.measures.aggregate import roll_up, unit_table
from scorecard.registry.model import ValueUnit

ORGANISATION = pd.DataFrame({"team": ["T1", "T2", "T3"], "area": ["North", "North", None]})
APR, MAY = pd.Period("2015-04", "M"), pd.Period("2015-05", "M")
MONTHS = pd.PeriodIndex([APR, MAY], freq="M")
UNITS = unit_table(ORGANISATION, "County")


def _frame(team: list, numerator: list, denominator: list, month: object = APR) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "team": team,
            "month": pd.PeriodIndex([month] * len(team), freq="M"),
            "numerator": pd.array(numerator, dtype=float),
            "denominator": pd.array(denominator, dtype=float),
        }
    )


def _at(got: pd.DataFrame, unit: str, month: pd.Period = APR) -> list[float]:
    row = got[(got["unit"] == unit) & (got["month"] == month)]
    return [float(row["numerator"].iloc[0]), float(row["denominator"].iloc[0])]


def test_fractional_denominators_sum_to_the_nearest_float() -> None:
    # T1 in April: three records, numerators 1 + 1 + 1 = 3 (whole), denominators 0.1 + 0.2 + 0.3
    # = 0.6 exactly; the sum is the float nearest 0.6 (0.1 + 0.2 + 0.3 added left to right in
    # floats would be 0.6000000000000001). Whole numerators do not make the fractional column
    # summed as if it were whole
    rows = _frame(["T1"] * 3, [1, 1, 1], [0.1, 0.2, 0.3])
    got = roll_up(rows, "x", ValueUnit.RATIO, MONTHS, UNITS)
    assert _at(got, "T1") == [3.0, 0.6]
    assert _at(got, "North") == [3.0, 0.6] and _at(got, "County") == [3.0, 0.6]


def test_fractional_numerators_and_denominators_sum_to_the_nearest_float() -> None:
    # both columns fractional: numerators 0.1 + 0.2 + 0.3 = 0.6, denominators 0.5 + 0.25 + 0.25
    # = 1 (exact in any order); value 0.6 / 1 = 0.6
    rows = _frame(["T1"] * 3, [0.1, 0.2, 0.3], [0.5, 0.25, 0.25])
    got = roll_up(rows, "x", ValueUnit.RATIO, MONTHS, UNITS)
    assert _at(got, "T1") == [0.6, 1.0]
    assert got[(got["unit"] == "T1") & (got["month"] == APR)]["value"].tolist() == [0.6]


def test_a_row_without_a_team_is_left_out() -> None:
    # categorical teams: T1 1/1 in April, and a row with no team (missing category) 1/1: it
    # belongs to no team, so T2 (the grid's second team) stays 0/0 and the county counts 1/1
    rows = _frame(["T1", None], [1, 1], [1, 1])
    rows["team"] = rows["team"].astype("category")
    got = roll_up(rows, "x", ValueUnit.PERCENT, MONTHS, UNITS)
    assert _at(got, "T1") == [1.0, 1.0]
    assert _at(got, "T2") == [0.0, 0.0]
    assert _at(got, "County") == [1.0, 1.0] and _at(got, "North") == [1.0, 1.0]


def test_flags_as_nullable_booleans() -> None:
    # T1 in April: numerator flags True, False, missing; denominator flags True, True, missing.
    # True counts 1, False 0, a missing flag is skipped: 1 / 2
    rows = _frame(["T1"] * 3, [1, 0, 0], [1, 1, 1])
    rows["numerator"] = pd.array([True, False, None], dtype="boolean")
    rows["denominator"] = pd.array([True, True, None], dtype="boolean")
    got = roll_up(rows, "x", ValueUnit.PERCENT, MONTHS, UNITS)
    assert _at(got, "T1") == [1.0, 2.0]
    assert _at(got, "County") == [1.0, 2.0]


def test_months_given_as_text() -> None:
    # a month column of "YYYY-MM" text is read as months: T3 2/4 in May, nothing in April
    rows = _frame(["T3"], [2], [4], MAY)
    rows["month"] = ["2015-05"]
    got = roll_up(rows, "x", ValueUnit.PERCENT, MONTHS, UNITS)
    assert _at(got, "T3", MAY) == [2.0, 4.0]
    assert _at(got, "T3", APR) == [0.0, 0.0]
    assert _at(got, "County", MAY) == [2.0, 4.0]

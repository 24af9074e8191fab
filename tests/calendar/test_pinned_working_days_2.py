"""Working-day arithmetic pinned where the other tests leave room (mutation review of
``scorecard.calendar.working_days``: ``_days``, ``_offsets`` and ``once_per_pair``).

Calendar facts used: Wednesday 1 April 2015 + 45 working days is Tuesday 9 June 2015 (the module's
own documented example: Good Friday 3 April, Easter Monday 6 April, 4 and 25 May are bank
holidays). After 2100 the holidays library knows no bank holidays, so only weekends are skipped.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from scorecard.calendar.working_days import HOLIDAY_YEARS, add_working_days

T = pd.Timestamp


@pytest.mark.parametrize("unit", ["s", "ms", "ns"])
def test_a_scalar_date_against_a_series_of_offsets_keeps_its_resolution(unit: str) -> None:
    # The result keeps the resolution of `dates`, also when `dates` is the scalar (n the Series).
    day = T("2015-04-01").as_unit(unit)
    got = add_working_days(day, pd.Series([45, 0], index=[10, 11]))
    assert got.dtype == f"datetime64[{unit}]"
    assert list(got.index) == [10, 11]
    # 45 working days after Wednesday 1 April 2015 is Tuesday 9 June 2015; 0 keeps the Wednesday
    assert got.tolist() == [T("2015-06-09"), T("2015-04-01")]


def test_fractional_offsets_in_a_series_are_refused() -> None:
    # Like a scalar n of 1.5 (refused with a TypeError), a Series n with 1.5 is not an integer:
    # refused, not truncated to 1 working day.
    dates = pd.Series([T("2015-04-01")])
    with pytest.raises(TypeError):
        add_working_days(dates, pd.Series([1.5]))
    # whole numbers stored as floats (with a missing one) are still integers
    got = add_working_days(pd.Series([T("2015-04-01")] * 2), pd.Series([45.0, np.nan]))
    assert got.iloc[0] == T("2015-06-09") and pd.isna(got.iloc[1])


def test_dates_and_offsets_too_wide_for_one_pair_key() -> None:
    """Days ~1,050,000 apart and offsets 0 .. 2**20: the pairs cannot be numbered on one key below
    2**40 (1,050,001 x (2**20 + 1) > 2**40), so every element is computed on its own."""
    assert HOLIDAY_YEARS[1] <= 2100  # after 2100 only weekends are skipped
    d0 = dt.date(2101, 1, 3)
    assert d0.weekday() == 0  # a Monday (1 January 2101 is a Saturday)
    d1 = d0 + dt.timedelta(days=7 * 150_000)  # 150,000 weeks later: a Monday again
    assert d1.weekday() == 0
    dates = pd.Series(
        np.array([str(d0), "NaT", str(d1)], dtype="datetime64[s]"), index=[5, 6, 7], name="due"
    )
    got = add_working_days(dates, pd.Series([0, 5, 2**20], index=[5, 6, 7]))
    # 0 working days from a Monday working day: the Monday itself.
    # 2**20 = 1,048,576 = 5 x 209,715 + 1 working days from a Monday, weekends only: 209,715 whole
    # weeks (1,468,005 days) bring another Monday, one more working day the Tuesday after it.
    expected = d1 + dt.timedelta(days=7 * 209_715 + 1)
    assert expected.weekday() == 1
    assert got.dtype == "datetime64[s]" and got.name == "due" and list(got.index) == [5, 6, 7]
    assert got.iloc[0] == T(d0)
    assert pd.isna(got.iloc[1])  # a missing date: NaT
    assert got.iloc[2] == T(expected)

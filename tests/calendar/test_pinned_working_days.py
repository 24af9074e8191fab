"""Working days and "open on a day", pinned where the other tests leave room (mutation testing).

Dates are checked against a calendar: Friday 29 May 2015 is the May snapshot (31 May is a Sunday);
Monday 25 May 2015 is the spring bank holiday; Monday 31 August 2015 the summer bank holiday.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scorecard.calendar.months import open_on, within_months
from scorecard.calendar.working_days import (
    HOLIDAY_YEARS,
    _supported_years,
    add_working_days_to_date,
    bank_holidays,
    is_working_day,
    working_days_between,
    working_days_between_dates,
)

T = pd.Timestamp


def test_the_holidays_library_range_is_read_from_the_library() -> None:
    # holidays 0.109 knows England from 1872 to 2100; the module constant is that range
    assert _supported_years() == HOLIDAY_YEARS
    first, last = HOLIDAY_YEARS
    assert first <= 1990 and last >= 2040


def test_bank_holidays_refuse_a_reversed_range() -> None:
    with pytest.raises(ValueError, match=r"^first_year 2016 is after last_year 2015$"):
        bank_holidays(2016, 2015)


class TestTimezoneAwareScalars:
    """A scalar date with a timezone is taken at its local wall-clock date (not converted to UTC)."""

    def test_working_days_to_a_tokyo_morning(self) -> None:
        # 05:00 on Fri 29 May in Tokyo is 20:00 on Thu 28 May in UTC: the local date, 29 May, counts
        tokyo = T("2015-05-29 05:00", tz="Asia/Tokyo")
        assert working_days_between_dates("2015-05-28", tokyo) == 1
        got = working_days_between(pd.Series([T("2015-05-22")]), tokyo)
        # 26, 27, 28, 29 May (25 May is the spring bank holiday)
        assert got.tolist() == [4]

    def test_adding_to_a_tokyo_morning(self) -> None:
        # Fri 29 May + 1 working day = Mon 1 June
        assert add_working_days_to_date(T("2015-05-29 05:00", tz="Asia/Tokyo"), 1) == T(
            "2015-06-01"
        )

    def test_missing_scalars(self) -> None:
        assert working_days_between_dates(None, "2015-05-29") is pd.NA
        assert working_days_between_dates(float("nan"), "2015-05-29") is pd.NA
        assert pd.isna(add_working_days_to_date(pd.NaT, 3))


def test_is_working_day_keeps_the_index_and_name() -> None:
    days = pd.Series([T("2015-05-25"), pd.NaT, T("2015-05-29")], index=[10, 20, 30], name="d")
    got = is_working_day(days)
    assert got.index.tolist() == [10, 20, 30] and got.name == "d" and str(got.dtype) == "boolean"
    assert got.tolist() == [False, pd.NA, True]


class TestOpenOnWithOneSeries:
    """Any one of start, end and day may be the only Series (the others scalars)."""

    def test_only_end_is_a_series(self) -> None:
        ends = pd.Series([T("2015-05-29"), None, T("2015-05-30")], index=[4, 5, 6])
        got = open_on("2015-05-01", ends, "2015-05-29")
        # ends on the day: closed; no end: open; ends the day after: open
        assert got.tolist() == [False, True, True] and got.index.tolist() == [4, 5, 6]

    def test_only_day_is_a_series(self) -> None:
        days = pd.Series(
            [T("2015-04-30"), T("2015-05-01"), T("2015-05-29"), pd.NaT], index=[7, 8, 9, 3]
        )
        got = open_on("2015-05-01", "2015-05-29", days)
        assert got.tolist() == [False, True, False, pd.NA] and got.index.tolist() == [7, 8, 9, 3]

    def test_only_start_is_a_series_with_a_missing_start(self) -> None:
        starts = pd.Series([T("2015-05-29"), pd.NaT, T("2015-05-30")])
        assert open_on(starts, None, "2015-05-29").tolist() == [True, pd.NA, False]


class TestWithinMonthsWithOneSeries:
    def test_only_later_is_a_series(self) -> None:
        # 12 months before 10 May 2016 is 10 May 2015: within; before 11 May 2016 is 11 May 2015
        later = pd.Series([T("2016-05-10"), T("2016-05-11"), pd.NaT], index=[2, 1, 0])
        got = within_months("2015-05-10", later, 12)
        assert got.tolist() == [True, False, pd.NA] and got.index.tolist() == [2, 1, 0]

    def test_only_n_is_a_series(self) -> None:
        # 10 May 2015 against 10 May 2016: within 12 months, not within 11; n missing: unknown
        n = pd.Series([12, 11, None], dtype="Int64")
        assert within_months("2015-05-10", "2016-05-10", n).tolist() == [True, False, pd.NA]

    def test_a_scalar_earlier_with_a_missing_date_is_unknown(self) -> None:
        got = within_months(None, pd.Series([T("2016-05-10")]), 12)
        assert got.tolist() == [pd.NA]


class TestMessages:
    """Programming errors in calling the calendar, word for word."""

    def test_no_series_at_all(self) -> None:
        with pytest.raises(TypeError, match=r"^at least one argument must be a pandas Series$"):
            working_days_between("2015-05-01", "2015-05-29")

    def test_two_series_with_different_indexes(self) -> None:
        a, b = pd.Series([T("2015-05-01")], index=[0]), pd.Series([T("2015-05-29")], index=[1])
        with pytest.raises(ValueError, match=r"^Series arguments must have the same index \(align "
                                             r"them first\)$"):  # fmt: skip
            working_days_between(a, b)

    @pytest.mark.parametrize("n", [1.5, "3", True, None])
    def test_n_must_be_whole(self, n) -> None:
        from scorecard.calendar.working_days import add_working_days

        with pytest.raises(TypeError) as caught:
            add_working_days(pd.Series([T("2015-05-01")]), n)
        assert str(caught.value) == f"n must be an integer or a Series of integers, got {n!r}"

    def test_numbers_are_not_dates(self) -> None:
        with pytest.raises(TypeError) as caught:
            is_working_day(pd.Series([20150501, 20150502], name="day"))
        assert str(caught.value) == "expected dates, got a Series of int64 (name 'day')"
        # an all-missing numeric column is just missing dates
        assert is_working_day(pd.Series([np.nan, np.nan])).tolist() == [pd.NA, pd.NA]
        with pytest.raises(TypeError, match="got a Series of bool"):
            is_working_day(pd.Series([True]))


class TestAddWorkingDays:
    def test_a_missing_n_gives_nat(self) -> None:
        from scorecard.calendar.working_days import add_working_days

        dates = pd.Series([T("2015-05-29"), T("2015-05-29"), pd.NaT], index=[3, 4, 5])
        n = pd.Series([1, None, 1], dtype="Int64", index=[3, 4, 5])
        # Fri 29 May + 1 working day = Mon 1 June; a missing n or date: NaT
        got = add_working_days(dates, n)
        assert got.iloc[0] == T("2015-06-01") and pd.isna(got.iloc[1]) and pd.isna(got.iloc[2])

    def test_a_scalar_date_with_a_series_of_n(self) -> None:
        from scorecard.calendar.working_days import add_working_days

        n = pd.Series([0, 1, -1], index=[7, 8, 9])
        got = add_working_days("2015-05-29", n)
        # Fri 29 May + 0, + 1 (Mon 1 June), - 1 (Thu 28 May)
        assert got.tolist() == [T("2015-05-29"), T("2015-06-01"), T("2015-05-28")]
        assert got.index.tolist() == [7, 8, 9]

    def test_n_with_another_index_is_refused(self) -> None:
        from scorecard.calendar.working_days import add_working_days

        with pytest.raises(ValueError, match="same index"):
            add_working_days(pd.Series([T("2015-05-29")], index=[0]), pd.Series([1], index=[1]))


class TestAddMonths:
    def test_a_scalar_date_with_a_series_of_n(self) -> None:
        from scorecard.calendar.months import add_months

        # 31 January 2015 + 1 month is 28 February (clipped), + 2 months 31 March, - 1 month 31 Dec
        got = add_months("2015-01-31", pd.Series([1, 2, -1], index=[5, 6, 7]))
        assert got.tolist() == [T("2015-02-28"), T("2015-03-31"), T("2014-12-31")]
        assert got.index.tolist() == [5, 6, 7] and got.name is None

    def test_n_with_another_index_is_refused(self) -> None:
        from scorecard.calendar.months import add_months

        with pytest.raises(ValueError, match="same index"):
            add_months(pd.Series([T("2015-05-29")], index=[0]), pd.Series([1], index=[1]))

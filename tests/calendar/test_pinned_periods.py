"""Financial years, outturn months and month columns, pinned value by value (mutation testing).

Every expected value is worked out from the rule "a financial year runs from 1 April to 31 March
and is written 2015/16": e.g. FY 2015/16 starts on 1 April 2015, ends on 31 March 2016 and has the
twelve months April 2015 to March 2016; January 2016 belongs to it, March 2015 to 2014/15.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from scorecard.calendar.periods import (
    FinancialYear,
    financial_year_labels,
    financial_year_starts,
    outturn_month,
    to_months,
)
from scorecard.errors import UsageError


def M(text: str) -> pd.Period:
    return pd.Period(text, freq="M")


class TestFinancialYear:
    def test_2015_16(self) -> None:
        fy = FinancialYear(2015)
        assert fy.label == "2015/16" and str(fy) == "2015/16"
        assert fy.first_month == M("2015-04") and fy.last_month == M("2016-03")
        assert fy.start_date == dt.date(2015, 4, 1) and fy.end_date == dt.date(2016, 3, 31)

    def test_months_are_april_to_march(self) -> None:
        months = FinancialYear(2015).months()
        assert isinstance(months, pd.PeriodIndex) and months.freqstr == "M"
        assert [str(m) for m in months] == [
            "2015-04", "2015-05", "2015-06", "2015-07", "2015-08", "2015-09",
            "2015-10", "2015-11", "2015-12", "2016-01", "2016-02", "2016-03",
        ]  # fmt: skip

    def test_a_century_turn_keeps_two_digits(self) -> None:
        # 1999/00 and 2009/10: (start + 1) % 100 written with two digits
        assert FinancialYear(1999).label == "1999/00"
        assert FinancialYear(2009).label == "2009/10"
        assert FinancialYear.parse("1999/00") == FinancialYear(1999)
        assert FinancialYear.parse(" 2009/10 ") == FinancialYear(2009)

    @pytest.mark.parametrize(
        ("when", "start"),
        [
            ("2015-04", 2015),  # April opens 2015/16
            ("2016-03", 2015),  # March closes it
            ("2015-03", 2014),  # March 2015 closes 2014/15
            ("2016-01", 2015),
            (dt.date(2015, 3, 31), 2014),
            (dt.date(2015, 4, 1), 2015),
            (M("2015-12"), 2015),
        ],
    )
    def test_of_a_month_or_a_date(self, when, start) -> None:
        assert FinancialYear.of(when) == FinancialYear(start)

    @pytest.mark.parametrize("label", ["2015/17", "15/16", "2015-16", "2015/1", "x2015/16", ""])
    def test_parse_refuses_other_labels(self, label) -> None:
        with pytest.raises(ValueError) as caught:
            FinancialYear.parse(label)
        assert repr(label) in str(caught.value)

    def test_parse_says_which_year_must_follow(self) -> None:
        # 2015/ must be followed by 16 (and 1999/ by 00: two digits)
        with pytest.raises(ValueError, match=r"2015/ must be followed by 16"):
            FinancialYear.parse("2015/17")
        with pytest.raises(ValueError, match=r"1999/ must be followed by 00"):
            FinancialYear.parse("1999/99")
        with pytest.raises(ValueError, match=r"is not of the form YYYY/YY, e\.g\. 2015/16"):
            FinancialYear.parse("15/16")

    def test_ordered_by_start(self) -> None:
        assert FinancialYear(2014) < FinancialYear(2015)


class TestVectorised:
    def test_financial_year_starts_and_labels(self) -> None:
        months = pd.Series(
            [M("2015-03"), M("2015-04"), M("2016-03"), M("2000-01")], index=[5, 6, 7, 8]
        )
        starts = financial_year_starts(months)
        # March 2015 -> 2014/15; April 2015 and March 2016 -> 2015/16; January 2000 -> 1999/00
        assert starts.tolist() == [2014, 2015, 2015, 1999]
        assert starts.index.tolist() == [5, 6, 7, 8]
        assert financial_year_labels(starts).tolist() == [
            "2014/15",
            "2015/16",
            "2015/16",
            "1999/00",
        ]

    def test_outturn_month_is_march_of_the_previous_financial_year(self) -> None:
        months = pd.Series(
            [M("2015-05"), M("2015-04"), M("2015-03"), M("2016-03")], index=[3, 1, 2, 0]
        )
        got = outturn_month(months)
        # May and April 2015 (2015/16) -> March 2015; March 2015 (2014/15) -> March 2014;
        # March 2016 (2015/16) -> March 2015
        assert got.tolist() == [M("2015-03"), M("2015-03"), M("2014-03"), M("2015-03")]
        assert got.index.tolist() == [3, 1, 2, 0]


class TestToMonths:
    def test_a_period_column_of_another_frequency_is_taken_as_its_month(self) -> None:
        days = pd.Series(pd.PeriodIndex(["2015-05-17", "2016-02-29"], freq="D"))
        got = to_months(days)
        assert got.dtype == "period[M]" and got.tolist() == [M("2015-05"), M("2016-02")]

    def test_a_timezone_aware_column_is_taken_at_its_local_date(self) -> None:
        stamps = pd.Series(pd.to_datetime(["2015-05-31 23:30", "2015-06-01 00:30"]).tz_localize(
            "Europe/London"))  # fmt: skip
        assert to_months(stamps).tolist() == [M("2015-05"), M("2015-06")]

    def test_naive_datetimes(self) -> None:
        stamps = pd.Series(pd.to_datetime(["2015-05-31 23:30", None]), name="when")
        got = to_months(stamps)
        assert got.iloc[0] == M("2015-05") and pd.isna(got.iloc[1])

    def test_text_keeps_name_and_index_and_strips_spaces(self) -> None:
        got = to_months(pd.Series([" 2015-05", "2015-06 "], index=[4, 2], name="m"))
        assert got.name == "m" and got.index.tolist() == [4, 2]
        assert got.tolist() == [M("2015-05"), M("2015-06")]

    def test_objects_and_text_mixed_with_missing_values(self) -> None:
        mixed = pd.Series([dt.date(2015, 5, 3), None, np.datetime64("2015-07-01"), "2015-08"])
        got = to_months(mixed)
        assert str(got.dtype) == "period[M]"
        assert got[0] == M("2015-05") and pd.isna(got[1])
        assert got[2] == M("2015-07") and got[3] == M("2015-08")

    def test_the_message_names_at_most_ten_rows_and_each_bad_value_once(self) -> None:
        values = pd.Series(["2015-5"] * 12 + ["2015-05"])
        with pytest.raises(UsageError) as caught:
            to_months(values)
        message = str(caught.value)
        # rows 0 to 9 of the 12 bad ones, the value shown once
        assert f"rows {list(range(10))} (values ['2015-5'])" in message
        assert message.startswith("values that are not months in rows [0, ")
        assert message.endswith("write months as YYYY-MM, e.g. '2015-05' (years 1700 to 2199)")

    def test_a_number_in_an_object_column_is_not_a_month(self) -> None:
        with pytest.raises(UsageError, match=r"rows \[1\]"):
            to_months(pd.Series(["2015-05", 201505], dtype=object))

"""Tests for scorecard.calendar.months.

Expected values are literal, worked out by hand (reasoning in the comments). dateutil's
``relativedelta`` is used only as an oracle in the property test.
"""

from __future__ import annotations

import doctest
from datetime import date

import pandas as pd
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

import scorecard.calendar.months as months_module
from scorecard.calendar.months import (
    add_months,
    open_on,
    r12m_starts,
    r12m_window,
    within_months,
    ytd_starts,
    ytd_window,
)
from scorecard.calendar.working_days import month_ends


def dates(*values: str | None, index: list | None = None) -> pd.Series:
    return pd.Series(pd.to_datetime(list(values)), index=index)


T = pd.Timestamp

# --------------------------------------------------------------------------------------------------
# add_months
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2016-02-29", 12, "2017-02-28"),  # 2017 is not a leap year: clip to 28 Feb
        ("2016-02-29", 48, "2020-02-29"),  # 2020 is a leap year: 29 Feb exists
        ("2015-01-31", 1, "2015-02-28"),  # February 2015 has 28 days
        ("2016-01-31", 1, "2016-02-29"),  # February 2016 has 29 days
        ("2015-08-31", -6, "2015-02-28"),  # six months back from August is February (28 days)
        ("2015-03-31", -1, "2015-02-28"),
        ("2015-05-31", 1, "2015-06-30"),  # June has 30 days
        ("2015-11-30", 3, "2016-02-29"),  # Nov + 3 = Feb 2016, day 30 clipped to 29
        ("2015-01-15", -1, "2014-12-15"),  # back across a year end
        ("2015-12-15", 1, "2016-01-15"),  # forward across a year end
        ("2015-05-15", 0, "2015-05-15"),
        ("2014-11-30", 18, "2016-05-30"),  # Nov 2014 + 18 months = May 2016
        ("2015-08-31", 24, "2017-08-31"),  # 2 years
    ],
)
def test_add_months_hand_worked(start, n, expected):
    assert add_months(dates(start), n).iloc[0] == T(expected)


def test_add_months_series_n_missing_values_index_name_and_resolution():
    start = pd.Series(
        pd.to_datetime(["2016-02-29", None, "2015-08-31", "2015-01-31"]).as_unit("s"),
        index=["a", "b", "c", "d"],
        name="plan_start",
    )
    n = pd.Series([12, 1, -6, pd.NA], index=["a", "b", "c", "d"], dtype="Int64")
    result = add_months(start, n)
    assert result.index.tolist() == ["a", "b", "c", "d"]
    assert result.name == "plan_start" and result.dt.unit == "s"
    assert result["a"] == T("2017-02-28")  # as above
    assert result["c"] == T("2015-02-28")  # as above
    assert result.isna().tolist() == [False, True, False, True]  # missing date, missing n


def test_add_months_drops_time_of_day():
    start = pd.Series(pd.to_datetime(["2016-02-29 15:30"]))
    assert add_months(start, 12).tolist() == [T("2017-02-28")]


# --------------------------------------------------------------------------------------------------
# within_months
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("earlier", "later", "n", "expected"),
    [
        # 12 months before 10 May 2016 is 10 May 2015: the boundary day is within, the day before not.
        ("2015-05-10", "2016-05-10", 12, True),
        ("2015-05-09", "2016-05-10", 12, False),
        # 28 Feb 2017 - 12 months = 28 Feb 2016; 29 Feb 2016 is after it, 27 Feb before.
        ("2016-02-28", "2017-02-28", 12, True),
        ("2016-02-29", "2017-02-28", 12, True),
        ("2016-02-27", "2017-02-28", 12, False),
        # 29 Feb 2016 - 12 months = 28 Feb 2015 (clipped).
        ("2015-02-28", "2016-02-29", 12, True),
        ("2015-02-27", "2016-02-29", 12, False),
        # 18 months: 30 Nov 2016 - 18 months = 30 May 2015.
        ("2015-05-30", "2016-11-30", 18, True),
        ("2015-05-29", "2016-11-30", 18, False),
        # 18 months with clipping: 31 Aug 2016 - 18 months = Feb 2015 -> 28 Feb 2015.
        ("2015-02-28", "2016-08-31", 18, True),
        ("2015-02-27", "2016-08-31", 18, False),
        # 24 months / 2 years: 31 Aug 2017 - 24 months = 31 Aug 2015.
        ("2015-08-31", "2017-08-31", 24, True),
        ("2015-08-30", "2017-08-31", 24, False),
        # Only the lower bound is tested: a later "earlier" date is within too.
        ("2016-06-01", "2016-05-10", 12, True),
    ],
)
def test_within_months_boundaries(earlier, later, n, expected):
    assert within_months(dates(earlier), dates(later), n).tolist() == [expected]


def test_within_months_scalar_later_missing_values_and_index():
    earlier = dates("2015-05-10", "2015-05-09", None, index=[7, 8, 9])
    result = within_months(earlier, T("2016-05-10"), 12)
    assert str(result.dtype) == "boolean" and result.index.tolist() == [7, 8, 9]
    # boundary day within; the day before not; missing -> NA
    assert result.tolist() == [True, False, pd.NA]
    later = dates("2016-05-10", None, "2016-05-10", index=[7, 8, 9])
    assert within_months(
        dates("2015-05-10", "2015-05-10", "2015-05-10", index=[7, 8, 9]), later, 12
    ).tolist() == [True, pd.NA, True]


def test_within_months_with_a_series_of_n():
    # Health assessments: 6 months for under-5s, 12 for the rest; snapshot 29 May 2015.
    # 29 May 2015 - 6 months = 29 Nov 2014; - 12 months = 29 May 2014.
    checks = dates("2014-11-29", "2014-11-28", "2014-05-29", "2014-05-28")
    n = pd.Series([6, 6, 12, 12])
    assert within_months(checks, T("2015-05-29"), n).tolist() == [True, False, True, False]


# --------------------------------------------------------------------------------------------------
# open_on
# --------------------------------------------------------------------------------------------------


def test_open_on_hand_worked():
    index = ["ends_on_day", "ends_after", "no_end", "starts_on_day", "starts_after", "no_start"]
    start = dates(
        "2015-05-01", "2015-05-01", "2015-05-01", "2015-05-29", "2015-05-30", None, index=index
    )
    end = dates("2015-05-29", "2015-05-30", None, None, None, None, index=index)
    result = open_on(start, end, T("2015-05-29"))
    assert str(result.dtype) == "boolean" and result.index.tolist() == index
    assert result.tolist() == [
        False,  # ending on the day: not open on it
        True,  # ends the day after
        True,  # no end: still open
        True,  # starts on the day: open
        False,  # starts after the day
        pd.NA,  # no start date: unknown
    ]


def test_open_on_with_a_series_of_days():
    start = dates("2015-05-01", "2015-05-01", "2015-05-01")
    end = dates("2015-05-29", "2015-05-29", "2015-05-29")
    day = dates("2015-05-28", "2015-05-29", None)
    # open the day before it ends; not on the end day; missing day -> NA
    assert open_on(start, end, day).tolist() == [True, False, pd.NA]


def test_open_on_ignores_time_of_day():
    # An episode ending at 17:00 on the snapshot date still "ends on the day".
    start = dates("2015-05-01")
    end = pd.Series(pd.to_datetime(["2015-05-29 17:00"]))
    assert open_on(start, end, "2015-05-29").tolist() == [False]


# --------------------------------------------------------------------------------------------------
# Windows
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "start", "end"),
    [
        ("2016-03", "2015-04-01", "2016-03-31"),  # March is the last month of FY 2015/16
        ("2016-04", "2016-04-01", "2016-04-30"),  # April starts FY 2016/17: YTD is April alone
        ("2015-05", "2015-04-01", "2015-05-31"),
        ("2016-01", "2015-04-01", "2016-01-31"),  # January belongs to the FY that began last April
        ("2016-02", "2015-04-01", "2016-02-29"),  # leap-year February
    ],
)
def test_ytd_window(month, start, end):
    assert ytd_window(month) == (T(start), T(end))
    assert ytd_window(pd.Period(month, freq="M")) == (T(start), T(end))


@pytest.mark.parametrize(
    ("month", "start", "end"),
    [
        ("2015-05", "2014-06-01", "2015-05-31"),  # Jun 2014 .. May 2015 = 12 months
        ("2015-12", "2015-01-01", "2015-12-31"),  # a calendar year
        ("2016-02", "2015-03-01", "2016-02-29"),  # Mar 2015 .. Feb 2016
    ],
)
def test_r12m_window(month, start, end):
    assert r12m_window(month) == (T(start), T(end))


def test_vectorised_window_starts_and_ends():
    months = pd.Series(["2016-03", "2016-04", None, "2015-05", "2016-01"], index=list("abcde"))
    starts = ytd_starts(months)
    assert starts.index.tolist() == list("abcde")
    # Same reasoning as test_ytd_window.
    assert starts.tolist()[:2] == [T("2015-04-01"), T("2016-04-01")]
    assert starts.isna().tolist() == [False, False, True, False, False]
    assert starts[["d", "e"]].tolist() == [T("2015-04-01"), T("2015-04-01")]
    r12 = r12m_starts(months)
    # Mar 2016 - 11 months = Apr 2015; Apr 2016 -> May 2015; May 2015 -> Jun 2014; Jan 2016 -> Feb 2015
    assert r12[["a", "b", "d", "e"]].tolist() == [
        T("2015-04-01"),
        T("2015-05-01"),
        T("2014-06-01"),
        T("2015-02-01"),
    ]
    assert r12.isna().tolist() == [False, False, True, False, False]
    ends = month_ends(months)
    assert ends[["a", "b"]].tolist() == [T("2016-03-31"), T("2016-04-30")]


def test_vectorised_windows_agree_with_scalar_windows_for_every_month():
    months = pd.Series(pd.period_range("1998-01", "2031-12", freq="M"))
    ytd, r12, ends = ytd_starts(months), r12m_starts(months), month_ends(months)
    for i, month in enumerate(months):
        assert (ytd[i], ends[i]) == ytd_window(month)
        assert (r12[i], ends[i]) == r12m_window(month)


# --------------------------------------------------------------------------------------------------
# Properties and hygiene
# --------------------------------------------------------------------------------------------------

DAYS = st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(DAYS, st.integers(-240, 240)), min_size=1, max_size=50))
def test_add_months_agrees_with_relativedelta(pairs):
    start = pd.Series(pd.to_datetime([d for d, _ in pairs]))
    n = pd.Series([k for _, k in pairs])
    expected = [pd.Timestamp(d + relativedelta(months=k)) for d, k in pairs]
    assert add_months(start, n).tolist() == expected


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(DAYS, DAYS), min_size=1, max_size=50), st.integers(0, 36))
def test_within_months_agrees_with_relativedelta(pairs, n):
    earlier = pd.Series(pd.to_datetime([a for a, _ in pairs]))
    later = pd.Series(pd.to_datetime([b for _, b in pairs]))
    expected = [a >= b - relativedelta(months=n) for a, b in pairs]
    assert within_months(earlier, later, n).tolist() == expected


def test_inputs_are_not_mutated():
    start = dates("2016-02-29", None, "2015-05-01", index=["a", "b", "c"])
    end = dates("2017-02-28", "2015-05-29", None, index=["a", "b", "c"])
    n = pd.Series([12, -6, 1], index=["a", "b", "c"])
    months = pd.Series(["2016-03", None, "2015-05"], index=["a", "b", "c"])
    copies = [s.copy(deep=True) for s in (start, end, n, months)]
    add_months(start, n)
    add_months(start, 12)
    within_months(start, end, n)
    open_on(start, end, end)
    ytd_starts(months)
    r12m_starts(months)
    for original, copy in zip((start, end, n, months), copies):
        pd.testing.assert_series_equal(original, copy)


def test_docstring_examples():
    failures, _ = doctest.testmod(months_module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert failures == 0

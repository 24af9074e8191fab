"""Months are YYYY-MM everywhere: to_month and to_months refuse every other spelling."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorecard.calendar.periods import to_month, to_months
from scorecard.errors import UsageError

BAD_MONTHS = ["01/02/2015", "2015", "May 15", "2015-5", "2015-13", "2015-00", "2015-05-01",
              "0000-01", "1500-05", "٢٠١٥-05",
              "15-05", "", " ", "2015/05", "2015-05x"]  # fmt: skip


@pytest.mark.parametrize("text", BAD_MONTHS)
def test_to_month_refuses_anything_but_yyyy_mm(text):
    with pytest.raises(UsageError) as caught:
        to_month(text)
    assert repr(text) in str(caught.value) and "YYYY-MM" in str(caught.value)


@pytest.mark.parametrize("value", [2015, 2015.5, None, pd.NaT, True, ["2015-05"]])
def test_to_month_refuses_other_kinds_of_value(value):
    with pytest.raises(UsageError, match="YYYY-MM"):
        to_month(value)


@pytest.mark.parametrize(
    "value",
    [
        "2015-05",
        " 2015-05 ",  # surrounding spaces aside
        pd.Period("2015-05", freq="M"),
        pd.Period("2015-05-17", freq="D"),  # a daily Period: its month
        pd.Timestamp("2015-05-31 10:00"),
        dt.date(2015, 5, 1),
        dt.datetime(2015, 5, 9),
        np.datetime64("2015-05-20"),
    ],
)
def test_to_month_accepts_yyyy_mm_and_period_or_date_objects(value):
    assert to_month(value) == pd.Period("2015-05", freq="M")


def test_usage_error_is_still_a_value_error():
    with pytest.raises(ValueError):
        to_month("2015-13")


def test_to_months_reads_text_and_keeps_missing_values():
    got = to_months(pd.Series(["2015-05", None, "2014-03"], index=[7, 8, 9]))
    assert got.dtype == "period[M]"
    assert got.index.tolist() == [7, 8, 9]
    assert got[7] == pd.Period("2015-05", "M") and pd.isna(got[8])
    assert got[9] == pd.Period("2014-03", "M")


def test_to_months_refuses_a_column_mixing_2015_05_and_2015_5():
    with pytest.raises(UsageError) as caught:
        to_months(pd.Series(["2015-05", "2015-5", "2015-05"]))
    message = str(caught.value)
    assert "rows [1]" in message and "'2015-5'" in message and "YYYY-MM" in message


@pytest.mark.parametrize("text", BAD_MONTHS[:6])
def test_to_months_refuses_each_bad_form(text):
    with pytest.raises(UsageError, match="YYYY-MM"):
        to_months(pd.Series(["2015-04", text]))


def test_to_months_accepts_periods_dates_and_period_objects_in_an_object_column():
    assert to_months(pd.Series(pd.PeriodIndex(["2015-05"], freq="M"))).iloc[0].month == 5
    assert to_months(pd.Series(pd.to_datetime(["2015-05-31"]))).iloc[0] == pd.Period("2015-05", "M")
    mixed = pd.Series([pd.Period("2015-05", "M"), pd.Timestamp("2015-01-03"), "2014-12"])
    assert to_months(mixed).astype(str).tolist() == ["2015-05", "2015-01", "2014-12"]


@given(st.integers(1700, 2199), st.integers(1, 12))
def test_every_yyyy_mm_reads_as_its_month(year, month):
    assert to_month(f"{year}-{month:02d}") == pd.Period(year=year, month=month, freq="M")


@given(st.text(max_size=12))
def test_any_other_text_is_a_usage_error_never_a_guess(text):
    """A string is a month only if it is exactly YYYY-MM with a year 1700-2199 and a month 01-12
    (spaces around it aside); every other string raises UsageError, never another exception."""
    stripped = text.strip()
    valid = (
        len(stripped) == 7
        and stripped[:4].isascii()
        and stripped[:4].isdigit()
        and 1700 <= int(stripped[:4]) <= 2199
        and stripped[4] == "-"
        and stripped[5:] in {f"{m:02d}" for m in range(1, 13)}
    )
    if valid:
        assert to_month(text) == pd.Period(stripped, freq="M")
    else:
        with pytest.raises(UsageError):
            to_month(text)

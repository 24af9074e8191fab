"""``sort_order``, ``_sortable`` (through ``sort_order``) and ``joint_codes``
(``scorecard.measures.kernels``) called directly on tiny frames worked by hand (mutation testing;
see docs/mutation.md).

``sort_order(frame, columns)``: the row positions of ``frame.sort_values(columns, kind="stable")``,
missing values last, ties in frame order, on one integer key per row when the columns are ordered
categoricals, periods or dates at midnight (and the key fits an int64), else by pandas.
``joint_codes``: numbers from 0 (missing) to ``size - 1``, equal exactly when the values are.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scorecard.measures.kernels import joint_codes, sort_order

NAT = pd.NaT


def _dates(*texts: str | None) -> pd.Series:
    return pd.Series(pd.to_datetime(list(texts)), dtype="datetime64[ns]")


def _months(*texts: str | None) -> pd.Series:
    return pd.Series(pd.PeriodIndex(list(texts), freq="M"))


def _seconds(*ordinals: int) -> pd.Series:
    """Periods of one second each, ``ordinals`` seconds after 1 January 1970."""
    return pd.Series(pd.PeriodIndex.from_ordinals(np.array(ordinals, dtype=np.int64), freq="s"))


def _order(**columns: pd.Series) -> list[int]:
    return sort_order(pd.DataFrame(columns), list(columns)).tolist()


# --- joint_codes --------------------------------------------------------------------------------


def test_a_categorical_against_plain_text() -> None:
    # left: categorical "a", "b"; right: plain text "b", "c". The dtypes differ, so the values
    # are numbered jointly: left "b" equals right "b" (right's first row), nothing else matches
    left = pd.Series(pd.Categorical(["a", "b"], categories=["a", "b"]))
    right = pd.Series(["b", "c"])
    (mine, theirs), size = joint_codes(left, right)
    assert mine[1] == theirs[0]
    assert mine[0] != theirs[0] and mine[0] != theirs[1] and mine[1] != theirs[1]
    assert mine[0] != mine[1]
    assert all(0 < code < size for code in [*mine, *theirs])


def test_missing_months_on_one_side_are_numbered_0() -> None:
    # left: January 2024, missing, missing, February 2024; right: March 2024. Three months known
    # of five values (4 - 1 = 3 too): the two missing ones are 0, the three months 1 .. size - 1,
    # all different
    left = _months("2024-01", None, None, "2024-02")
    right = _months("2024-03")
    (mine, theirs), size = joint_codes(left, right)
    assert mine[1] == 0 and mine[2] == 0
    known = [mine[0], mine[3], theirs[0]]
    assert len(set(known)) == 3 and all(0 < code < size for code in known)


# --- sort_order: missing values last --------------------------------------------------------------


def test_missing_dates_sort_last() -> None:
    # 1 March, missing, 5 March, 2 March: 1 March (row 0), 2 March (3), 5 March (2), missing (1);
    # the missing date must not tie with the latest one nor sort first
    dates = _dates("2024-03-01", None, "2024-03-05", "2024-03-02")
    assert _order(d=dates) == [0, 3, 2, 1]


def test_missing_dates_before_1970_sort_last() -> None:
    # 22 December 1969, missing, 20 December 1969 (days -10 and -12 since 1970): row 2, row 0,
    # then the missing date
    assert _order(d=_dates("1969-12-22", None, "1969-12-20")) == [2, 0, 1]


@pytest.mark.parametrize(
    ("months", "expected"),
    [
        # March 2000, missing, January 2000: January (row 2), March (row 0), missing (row 1)
        (("2000-03", None, "2000-01"), [2, 0, 1]),
        # the same in 1969 (months -10 and -12 since January 1970)
        (("1969-03", None, "1969-01"), [2, 0, 1]),
    ],
)
def test_missing_months_sort_last(months: tuple, expected: list[int]) -> None:
    assert _order(m=_months(*months)) == expected


def test_missing_values_of_an_ordered_categorical_sort_last() -> None:
    # categories low < high; values high, missing, low: low (row 2), high (row 0), missing (row 1)
    values = pd.Series(
        pd.Categorical(["high", None, "low"], categories=["low", "high"], ordered=True)
    )
    assert _order(c=values) == [2, 0, 1]


@pytest.mark.parametrize(
    "second",
    [_dates("2000-05-05", None), _months("2000-05", None)],
    ids=["dates", "months"],
)
def test_a_missing_second_value_sorts_last_within_its_first_value(second: pd.Series) -> None:
    # rows: (2 January, 5 May), (1 January, missing). By the first column row 1 comes first,
    # whatever its second value: a missing second value is last only among rows of 1 January
    first = _dates("2000-01-02", "2000-01-01")
    assert _order(a=first, b=second) == [1, 0]


@pytest.mark.parametrize(
    "second",
    [
        _dates("1969-12-20", "1969-12-25", "1969-12-25", "1969-12-20"),
        _months("1969-03", "1969-06", "1969-06", "1969-03"),
    ],
    ids=["dates", "months"],
)
def test_two_columns_the_second_before_1970(second: pd.Series) -> None:
    # first column: 2, 1, 2, 1 January 2000; second: early, late, late, early (all in 1969).
    # By (first, second): (1 Jan, early) row 3, (1 Jan, late) row 1, (2 Jan, early) row 0,
    # (2 Jan, late) row 2
    first = _dates("2000-01-02", "2000-01-01", "2000-01-02", "2000-01-01")
    assert _order(a=first, b=second) == [3, 1, 0, 2]


def test_times_of_day_on_one_date() -> None:
    # 3 pm then 9 am of the same day: the 9 am row first (times of day are not cut to the day)
    stamps = pd.Series(
        pd.to_datetime(["2024-01-01 15:00", "2024-01-01 09:00"]), dtype="datetime64[ns]"
    )
    assert _order(t=stamps) == [1, 0]


def test_all_dates_missing() -> None:
    # nothing to order: every row ties, so they keep the frame's order
    assert _order(d=_dates(None, None, None)) == [0, 1, 2]


# --- sort_order: keys too large for a float, or for an int64 ----------------------------------------


def test_keys_beyond_the_precision_of_a_float() -> None:
    # first column: seconds 0 then 10**11 four times (10**11 + 2 possible numbers); second: dates
    # 1 January 1700 then 4, 3, 2, 1 January 2200 (some 182,600 possible days). The rows of
    # 10**11 s have keys near 10**11 * 182,600, about 1.8e16 > 2**53, one apart for one day: a
    # float key rounds them together. By date: row 0, then 1 January 2200 (row 4), 2 (3), 3 (2),
    # 4 (1)
    first = _seconds(0, 10**11, 10**11, 10**11, 10**11)
    second = _dates("1700-01-01", "2200-01-04", "2200-01-03", "2200-01-02", "2200-01-01")
    assert _order(s=first, d=second) == [0, 4, 3, 2, 1]


def test_keys_beyond_one_int64() -> None:
    # first column: seconds 2**31, 0, 0 (2**31 + 2 possible numbers); second: 0, 2**32, 0 (2**32 + 2).
    # Their product is about 2**63, beyond one int64 key (row 0's key 2**31 * (2**32 + 2) would
    # wrap to a negative number), so pandas sorts: (0, 0) row 2, (0, 2**32) row 1, (2**31, 0) row 0
    first = _seconds(2**31, 0, 0)
    second = _seconds(0, 2**32, 0)
    assert _order(a=first, b=second) == [2, 1, 0]


# --- sort_order: ties keep the frame's order -----------------------------------------------------


def test_ties_of_dates_keep_the_frame_order() -> None:
    # 1,000 rows, every third on 1 January, the others on 2 January: first the rows of 1 January
    # in frame order (0, 3, 6, ...), then those of 2 January (1, 2, 4, 5, ...)
    rows = np.arange(1000)
    dates = pd.Series(np.where(rows % 3 == 0, "2024-01-01", "2024-01-02"), dtype="datetime64[ns]")
    expected = [*rows[rows % 3 == 0], *rows[rows % 3 != 0]]
    assert _order(d=dates) == expected


def test_ties_of_one_column_pandas_sorts_keep_the_frame_order() -> None:
    # whole numbers (no integer key of their own: pandas sorts them): 1,000 rows, 0 at every third
    # row and 1 at the others; the zeros in frame order, then the ones
    rows = np.arange(1000)
    numbers = pd.Series(np.where(rows % 3 == 0, 0, 1))
    expected = [*rows[rows % 3 == 0], *rows[rows % 3 != 0]]
    assert _order(n=numbers) == expected

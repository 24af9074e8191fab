"""``joint_codes`` and ``last_in_groups`` (``scorecard.measures.kernels``) called directly on tiny
frames worked by hand (mutation testing; see docs/mutation.md): categoricals and periods of
different dtypes, months before 1970, a group column pandas sorts itself with ties, and group keys
too large for a float or for one int64.

``joint_codes``: numbers from 0 (missing) to ``size - 1``, equal exactly when the values are.
``last_in_groups(frame, by, then)``: ``frame.sort_values(by + then, kind="stable")
.drop_duplicates(by, keep="last")``, i.e. per combination of ``by`` the row that sorts last.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scorecard.measures.kernels import has_match, joint_codes, last_in_groups


def _months(*texts: str) -> pd.Series:
    return pd.Series(pd.PeriodIndex(list(texts), freq="M"))


def _nanoseconds(*ordinals: int) -> pd.Series:
    """Periods of one nanosecond each, ``ordinals`` nanoseconds after 1 January 1970."""
    return pd.Series(pd.PeriodIndex.from_ordinals(np.array(ordinals, dtype=np.int64), freq="ns"))


# --- joint_codes --------------------------------------------------------------------------------


def test_categoricals_with_other_categories() -> None:
    # left: "a", "b" (categories [a, b]); right: "c", "a" (categories [c, a]). Within each
    # categorical the codes are 0, 1, but "a" on the left must equal "a" on the right (right's
    # second row) and nothing else
    left = pd.Series(pd.Categorical(["a", "b"], categories=["a", "b"]))
    right = pd.Series(pd.Categorical(["c", "a"], categories=["c", "a"]))
    (mine, theirs), size = joint_codes(left, right)
    assert mine[0] == theirs[1]
    assert mine[0] != theirs[0] and mine[1] != theirs[0] and mine[1] != theirs[1]
    assert all(0 < code < size for code in [*mine, *theirs])


def test_categoricals_with_the_same_categories_in_another_order() -> None:
    # found by the mutation review: unordered categoricals with the same categories in another
    # order have equal dtypes, and the codes were read as if in the left's category order
    # left: "a", "b" with categories [a, b]; right: "b", "a" with categories [b, a]: "a" on the
    # left equals "a" on the right (right's second row), "b" equals right's first row
    left = pd.Series(pd.Categorical(["a", "b"], categories=["a", "b"]))
    right = pd.Series(pd.Categorical(["b", "a"], categories=["b", "a"]))
    assert left.dtype == right.dtype  # the premise: pandas ignores the order of the categories
    (mine, theirs), _ = joint_codes(left, right)
    assert mine[0] == theirs[1] and mine[1] == theirs[0]
    assert mine[0] != mine[1]


def test_periods_of_different_frequencies_are_not_equal() -> None:
    # January 2020 as a month is month 600 after January 1970; day 600 after 1 January 1970 is
    # 24 August 1971: the same ordinal, but not the same period
    left = _months("2020-01")
    right = pd.Series(pd.PeriodIndex(["1971-08-24"], freq="D"))
    assert left.array.asi8[0] == right.array.asi8[0] == 600  # the premise
    (mine, theirs), size = joint_codes(left, right)
    assert mine[0] != theirs[0]
    assert 0 < mine[0] < size and 0 < theirs[0] < size


def test_months_before_1970() -> None:
    # November and December 1969 (months -2 and -1 from January 1970): two different present
    # values, so two different numbers in 1 .. size - 1 (0 is for missing)
    (mine, theirs), size = joint_codes(_months("1969-11"), _months("1969-12", "1969-11"))
    assert size >= 3
    assert 0 < mine[0] < size and 0 < theirs[0] < size and 0 < theirs[1] < size
    assert mine[0] != theirs[0] and mine[0] == theirs[1]


def test_missing_months_are_numbered_0() -> None:
    # every month missing on both sides: all are the missing value, numbered 0 (and only it)
    missing = pd.Series(pd.PeriodIndex([None, None], freq="M"))
    (mine, theirs), size = joint_codes(missing, missing.iloc[:1])
    assert mine.tolist() == [0, 0] and theirs.tolist() == [0]
    assert size == 1


def test_has_match_on_months_before_1970() -> None:
    # December 1969 is not among the months [November 1969]; November 1969 is
    frame = pd.DataFrame({"month": _months("1969-12", "1969-11")})
    others = pd.DataFrame({"month": _months("1969-11")})
    assert has_match(frame, others, ["month"]).tolist() == [False, True]


# --- last_in_groups -----------------------------------------------------------------------------


def test_groups_of_a_column_pandas_sorts() -> None:
    # whole numbers (int64: no integer key of the kernel's own, pandas sorts them): keys 2, 1, 3
    # repeated 30 times, rows 0 .. 89; with nothing to sort by within a group, each group's last
    # row is its last row in frame order: 1 -> row 88, 2 -> row 87, 3 -> row 89 (in key order)
    frame = pd.DataFrame({"key": [2, 1, 3] * 30, "row": range(90)})
    got = last_in_groups(frame, ["key"], [])
    assert got["row"].tolist() == [88, 87, 89]
    assert got.index.tolist() == [88, 87, 89]


def test_group_keys_beyond_the_precision_of_a_float() -> None:
    # two group columns of nanosecond periods each spanning 0 .. 2**31 - 2 (2**31 possible values
    # with missing): the combined key reaches about 2**62, where floats are 512 apart. Rows 1 and
    # 2 share a but differ in b by one nanosecond: three groups, three rows
    big = 2**31 - 2
    frame = pd.DataFrame(
        {"a": _nanoseconds(0, big, big), "b": _nanoseconds(big, 0, 1), "row": [0, 1, 2]}
    )
    got = last_in_groups(frame, ["a", "b"], [])
    assert got["row"].tolist() == [0, 1, 2]


def test_group_keys_beyond_one_int64() -> None:
    # a spans 0 .. 2**33 - 2 (2**33 possible values), b 0 .. 2**32 - 2 (2**32): together 2**65
    # combinations, more than one int64 holds, so pandas sorts the frame. Rows 0 and 1 differ in
    # a by 2**32 (a * 2**32 + b would be equal modulo 2**64): three groups, three rows
    frame = pd.DataFrame(
        {
            "a": _nanoseconds(0, 2**32, 2**33 - 2),
            "b": _nanoseconds(0, 0, 2**32 - 2),
            "row": [0, 1, 2],
        }
    )
    got = last_in_groups(frame, ["a", "b"], [])
    assert got["row"].tolist() == [0, 1, 2]


def test_group_keys_of_two_date_columns() -> None:
    # a: days 0, 3 and 4 after 1 Jan 2014 (5 possible values with missing), b: days 1, 0, 0
    # (3 possible values). Rows 0 (a 0, b 1) and 1 (a 3, b 0) are different groups (a key
    # a / 3 + b would make both 1); rows in a order, each its own group
    day = pd.Timestamp("2014-01-01")
    frame = pd.DataFrame(
        {
            "a": [day, day + pd.Timedelta(days=3), day + pd.Timedelta(days=4)],
            "b": [day + pd.Timedelta(days=1), day, day],
            "row": [0, 1, 2],
        }
    )
    frame[["a", "b"]] = frame[["a", "b"]].astype("datetime64[ns]")
    got = last_in_groups(frame, ["a", "b"], [])
    assert got["row"].tolist() == [0, 1, 2]


def test_one_group_column_spanning_more_than_an_int64() -> None:
    # nanosecond periods from about 1823 to 2116: -(2**62 + 10), 2**62 + 10 and 0 ns from 1970,
    # a span of more than 2**63 values, beyond one int64: pandas sorts them. Three groups, in
    # time order: rows 0 (1823), 2 (1970), 1 (2116)
    frame = pd.DataFrame({"a": _nanoseconds(-(2**62) - 10, 2**62 + 10, 0), "row": [0, 1, 2]})
    got = last_in_groups(frame, ["a"], [])
    assert got["row"].tolist() == [0, 2, 1]

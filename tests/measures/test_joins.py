"""The integer-key joins of the measure framework agree with pandas' joins on the columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from scorecard.measures.base import has_match, merge_on

children = st.one_of(st.none(), st.sampled_from(["C1", "C2", "C10", "c1"]))
months = st.one_of(st.none(), st.sampled_from(["2015-03", "2015-04", "2016-01"]))
rows = st.lists(st.tuples(months, children, st.integers(0, 9)), max_size=12)
CHILD = pd.CategoricalDtype(["C1", "C10", "C2", "c1"], ordered=True)


def _frame(data: list[tuple], value: str, coded: bool) -> pd.DataFrame:
    frame = pd.DataFrame(data, columns=["month", "child_id", value])
    frame["month"] = pd.PeriodIndex(frame["month"], freq="M")
    frame["child_id"] = frame["child_id"].astype(CHILD if coded else "str")
    return frame


@given(left=rows, right=rows, coded=st.booleans())
def test_merge_on_equals_merge(left: list, right: list, coded: bool) -> None:
    a, b = _frame(left, "x", coded), _frame(right, "y", coded)
    expected = a.merge(b, on=["month", "child_id"])
    pd.testing.assert_frame_equal(merge_on(a, b, ["month", "child_id"]), expected)


@given(left=rows, right=rows, coded=st.booleans())
def test_has_match_equals_a_left_join(left: list, right: list, coded: bool) -> None:
    a, b = _frame(left, "x", coded), _frame(right, "y", coded)
    on = ["month", "child_id"]
    found = a[on].merge(b[on].drop_duplicates(), on=on, how="left", indicator=True)
    expected = (found["_merge"] == "both").to_numpy()
    np.testing.assert_array_equal(has_match(a, b, on).to_numpy(), expected)


@given(left=rows, right=rows)
def test_has_match_by_hashing_equals_by_flags(left: list, right: list) -> None:
    import scorecard.measures.base as base

    a, b = _frame(left, "x", True), _frame(right, "y", True)
    on = ["month", "child_id"]
    by_flags = has_match(a, b, on)
    limit, base._BITMAP_LIMIT = base._BITMAP_LIMIT, 0
    try:
        by_hashing = has_match(a, b, on)
    finally:
        base._BITMAP_LIMIT = limit
    pd.testing.assert_series_equal(by_flags, by_hashing)

"""key_groups: the combinations of key columns numbered in order of first appearance."""

from __future__ import annotations

import pandas as pd

from scorecard.extracts.arrays import key_groups


def test_combinations_are_numbered_in_order_of_first_appearance() -> None:
    frame = pd.DataFrame({"indicator": ["b", "a", "b", "a", "b"],
                          "month": pd.PeriodIndex(["2015-05", "2015-04", "2015-05", "2015-05",
                                                   "2015-04"], freq="M")})  # fmt: skip
    # (b, May) 0, (a, Apr) 1, (b, May) again 0, (a, May) 2, (b, Apr) 3: worked by hand
    assert key_groups(frame, ["indicator", "month"]).tolist() == [0, 1, 0, 2, 3]
    assert key_groups(frame, ["indicator"]).tolist() == [0, 1, 0, 1, 0]
    assert key_groups(frame.iloc[:0], ["indicator", "month"]).tolist() == []


def test_a_missing_key_gives_none() -> None:
    frame = pd.DataFrame({"indicator": ["a", None], "unit": ["Kent", "Kent"]})
    assert key_groups(frame, ["indicator", "unit"]) is None
    assert key_groups(frame, ["unit"]).tolist() == [0, 0]

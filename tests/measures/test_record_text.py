"""Record rows published with text where the extracts held categoricals."""

from __future__ import annotations

import pandas as pd

from scorecard.measures.base import record_text


def test_record_text_turns_categorical_text_back_into_the_published_dtypes() -> None:
    coded = pd.CategoricalDtype(["A", "B"], ordered=True)
    rows = pd.DataFrame({
        "team": pd.Series(["B", None], dtype=coded),
        "record_id": pd.Series(["r1", "r2"], dtype="string"),
        "child_id": pd.Series(["c1", "c2"], dtype="category"),
        "numerator": [1.0, 0.0],
        "reason": pd.Series(["why", "not"], dtype="category"),
        "placement_type": pd.Series(["U1", None], dtype="category"),
        "placement_start": pd.to_datetime(["2015-01-01", None]),
    })  # fmt: skip
    out = record_text(rows)
    assert out["team"].tolist() == ["B", pd.NA] and out["team"].dtype == "string"
    assert out["child_id"].dtype == "string" and out["record_id"] is not None
    assert out["placement_type"].dtype == "str" and out["placement_type"].isna().tolist() == [
        False, True]  # fmt: skip
    assert out["reason"].dtype == "category"  # the measure's own categorical stays
    pd.testing.assert_frame_equal(out[["numerator", "placement_start"]],
                                  rows[["numerator", "placement_start"]])  # fmt: skip
    assert rows["team"].dtype == coded  # the input is not modified
    plain = rows.drop(columns=["team", "child_id", "placement_type"])
    assert record_text(plain) is plain  # nothing categorical but the reason: itself

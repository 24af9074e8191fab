"""RAG boundaries and directions of travel, worked by hand on the tiny registry.

Published wording: "85% and above" is Green, "76.5% to 85%" Amber, "< 76.5%" Red (ref 8); ref 14:
Green 5% to 10%, Amber 2% to 5% or 10% to 13%, Red < 2% or > 13%.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scorecard.rating import ResultsError, rate
from tests.rating.conftest import results


def rag_of(tiny, indicator: str, value: float, month: str = "2015-05", denominator=np.nan) -> str:
    rated = rate(results([(indicator, "Kent", month, np.nan, denominator, value)]), tiny)
    got = rated["rag"].iloc[0]
    return "-" if pd.isna(got) else got


@pytest.mark.parametrize(
    ("value", "expected"),
    [(100, "G"), (85.0, "G"), (84.99, "A"), (76.5, "A"), (76.49, "R"), (0, "R")],
)
def test_target_floor_high(tiny, value, expected) -> None:
    assert rag_of(tiny, "high", value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, "G"), (15.0, "G"), (15.01, "A"), (20.0, "A"), (20.01, "R")],
)
def test_target_floor_low(tiny, value, expected) -> None:
    assert rag_of(tiny, "low", value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(7.5, "G"), (5.0, "G"), (10.0, "G"), (4.99, "A"), (10.01, "A"), (2.0, "A"), (13.0, "A"),
     (1.99, "R"), (13.01, "R"), (15.3, "R"), (0, "R")],
)
def test_bands_around_target(tiny, value, expected) -> None:
    assert rag_of(tiny, "close", value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(70, "G"), (62.0, "G"), (61.99, "A"), (60, "A"), (58.0, "A"), (57.99, "R")],
)
def test_benchmark_better_similar_worse(tiny, value, expected) -> None:
    # benchmark 60 +/- tolerance 2, higher is better; edges go to the better rating
    assert rag_of(tiny, "versus_england", value) == expected


def test_targets_follow_the_financial_year(tiny) -> None:
    # 82 is Amber against 2015/16's 85 but Green against 2014/15's 80 (March 2015)
    assert rag_of(tiny, "high", 82, month="2015-03") == "G"
    assert rag_of(tiny, "high", 82, month="2015-04") == "A"
    rated = rate(results([("high", "Kent", "2016-04", np.nan, np.nan, 90.0)]), tiny)
    assert pd.isna(rated["rag"].iloc[0]) and rated["rag_note"].iloc[0] == "no thresholds for 2016/17"


def test_float_noise_does_not_decide_a_boundary(tiny) -> None:
    # 17/20 of 100 is 85.00000000000001 or 84.99999999999999 depending on the order of operations
    assert 0.85 * 100 != 85 or 0.29 * 100 != 29
    assert rag_of(tiny, "high", 0.85 * 100) == "G"
    assert rag_of(tiny, "high", 85 - 1e-12) == "G"
    assert rag_of(tiny, "low", 15 + 1e-12) == "G"


def test_minimum_denominator_withholds_rag_but_not_value(tiny) -> None:
    rated = rate(results([("high", "Kent", "2015-05", 2, 3, np.nan),
                          ("high", "Team", "2015-05", 4, 5, np.nan),
                          ("backlog", "Kent", "2015-05", np.nan, np.nan, 3)]), tiny)  # fmt: skip
    assert rated["value"].round(4).tolist() == [66.6667, 80.0, 3.0]
    assert [None if pd.isna(r) else r for r in rated["rag"]] == [None, "A", "A"]
    assert rated["rag_note"].iloc[0] == "denominator below the minimum of 5"


def test_zero_denominator_gives_no_result(tiny) -> None:
    rated = rate(results([("high", "Kent", "2015-05", 0, 0, np.nan)]), tiny)
    assert pd.isna(rated["value"].iloc[0]) and pd.isna(rated["rag"].iloc[0])
    assert rated["rag_note"].iloc[0] == "no result"


def test_directions_of_travel(tiny) -> None:
    rows = [
        ("high", "Kent", "2015-03", np.nan, np.nan, 80.0),  # outturn
        ("high", "Kent", "2015-04", np.nan, np.nan, 90.0),
        ("high", "Kent", "2015-05", np.nan, np.nan, 85.0),  # lower than April: worse for H
        ("low", "Kent", "2015-04", np.nan, np.nan, 18.0),
        ("low", "Kent", "2015-05", np.nan, np.nan, 16.0),  # lower: better for L
        ("close", "Kent", "2015-04", np.nan, np.nan, 4.0),  # 3.5 from 7.5
        ("close", "Kent", "2015-05", np.nan, np.nan, 10.0),  # 2.5 from 7.5: closer, better
        ("close", "Team", "2015-04", np.nan, np.nan, 6.0),  # 1.5 from 7.5
        ("close", "Team", "2015-05", np.nan, np.nan, 9.0),  # 1.5 from 7.5: the same
    ]
    rated = rate(results(rows), tiny).set_index(["indicator", "unit", "month"])
    may = pd.Period("2015-05", freq="M")
    assert rated.loc[("high", "Kent", may), "dot_previous"] == "worsened"
    assert rated.loc[("high", "Kent", may), "dot_outturn"] == "improved"  # 85 vs 80
    assert rated.loc[("low", "Kent", may), "dot_previous"] == "improved"
    assert pd.isna(rated.loc[("low", "Kent", may), "dot_outturn"])  # no March row
    assert rated.loc[("close", "Kent", may), "dot_previous"] == "improved"
    assert rated.loc[("close", "Team", may), "dot_previous"] == "same"
    assert str(rated.loc[("high", "Kent", may), "outturn_month"]) == "2015-03"


def test_unrounded_values_decide_direction(tiny) -> None:
    # 9.74 and 9.7 both show as 9.7, yet for L the move from 9.7 to 9.74 is worse
    rated = rate(results([("low", "Kent", "2015-04", np.nan, np.nan, 9.7),
                          ("low", "Kent", "2015-05", 182, 1869, np.nan)]), tiny)  # fmt: skip
    assert rated["dot_previous"].iloc[1] == "worsened"


def test_input_is_not_modified_and_index_is_kept(tiny) -> None:
    frame = results([("high", "Kent", "2015-05", 17, 20, np.nan),
                     ("low", "Kent", "2015-05", 3, 20, np.nan)]).set_index(pd.Index([10, 20]))  # fmt: skip
    before = frame.copy(deep=True)
    rated = rate(frame, tiny)
    pd.testing.assert_frame_equal(frame, before)
    assert rated.index.tolist() == [10, 20]
    assert rated["value"].tolist() == [85.0, 15.0]


def test_bad_results_are_reported_with_columns_and_rows(tiny) -> None:
    frame = results([
        ("high", "Kent", "2015-05", 1, 10, np.nan),
        ("nonsense", "Kent", "2015-05", 1, 10, np.nan),
        ("high", "Kent", "2015-05", 2, 10, np.nan),
        ("low", "Kent", "2015-05", -1, 10, np.nan),
    ])
    with pytest.raises(ResultsError) as caught:
        rate(frame, tiny)
    message = str(caught.value)
    assert "column indicator" in message and "[1]" in message and "nonsense" in message
    assert "column numerator" in message and "[3]" in message
    assert "[0, 2]" in message  # the duplicated indicator/unit/month rows


def test_missing_columns_and_bad_months(tiny) -> None:
    with pytest.raises(ResultsError, match="missing column.*denominator"):
        rate(pd.DataFrame({"indicator": ["high"], "unit": ["Kent"], "month": ["2015-05"],
                           "numerator": [1], "value": [1.0]}), tiny)  # fmt: skip
    with pytest.raises(ResultsError, match=r"month.*rows \[1\]"):
        rate(results([("high", "Kent", "2015-05", 1, 10, np.nan),
                      ("low", "Kent", "May fifteen", 1, 10, np.nan)]), tiny)  # fmt: skip

"""What ``rate`` refuses and what it returns, pinned at their edges (mutation testing).

The refusals of results that cannot be rated (a missing key, a unit or indicator that is not text,
a value that cannot come from its numerator and denominator), the two tolerances at their exact
boundary, the dtypes of the columns ``rate`` returns, and the index it keeps. Every expected value
is worked out by hand in the comment next to it, from the tiny registry of
``tests/rating/conftest.py`` (``high``: H percent, 2015/16 target 85, floor 76.5; ``low``: L
percent, target 15, floor 20; ``close``: T percent, green 5-10, amber 2-13; ``backlog``: L count,
target 0, floor 5) and the days/ratio registry of ``test_pinned_rate.py`` (``wait``: L days, target
20, floor 30).
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest

from scorecard.rating import ResultsError, rate
from scorecard.rating.rate import validate_results
from tests.rating.conftest import results
from tests.rating.test_pinned_rate import UNITS

MAY = "2015-05"  # financial year 2015/16

DISAGREES = (
    "column value: disagrees with numerator and denominator (numerator x scale / denominator)"
)


@pytest.fixture(scope="module")
def units(tmp_path_factory: pytest.TempPathFactory):
    from scorecard.registry import load_registry
    from tests.conftest import REPO

    path = tmp_path_factory.mktemp("units3") / "indicators.yaml"
    path.write_text(UNITS, encoding="utf-8")
    return load_registry(path, REPO / "rag_rules")


def message(frame: pd.DataFrame, registry) -> str:
    with pytest.raises(ResultsError) as caught:
        rate(frame, registry)
    return str(caught.value)


# --- the rows a message names are the frame's own labels ------------------------------------------


def test_the_finite_check_names_the_rows_by_the_frames_own_labels(tiny) -> None:
    # rows labelled 10 and 20 (not 0 and 1): the infinite value is in the row labelled 20
    frame = results([("high", "Kent", MAY, 8, 10, np.nan), ("high", "B", MAY, 1, 10, np.inf)])
    frame.index = [10, 20]
    assert message(frame, tiny) == (
        "results: column value: fails finite (not inf or -inf) in rows [20] (values ['inf'])"
    )


# --- a key that is missing, or not text --------------------------------------------------------


@pytest.mark.parametrize("column", ["indicator", "unit", "month"])
def test_a_missing_key_is_refused(tiny, column: str) -> None:
    # the first row's key lacks one part: a row that cannot be placed (which indicator, which unit,
    # which month?) is refused, never rated
    row = {"indicator": "high", "unit": "Kent", "month": MAY}
    row[column] = None
    frame = results([(row["indicator"], row["unit"], row["month"], 8, 10, np.nan),
                     ("low", "Kent", MAY, 1, 10, np.nan)])  # fmt: skip
    assert message(frame, tiny) == (
        f"results: column {column}: fails not_nullable in rows [0] (values ['nan'])"
    )


def test_a_unit_that_is_not_text_is_refused(tiny) -> None:
    # units are names ("Kent", "Team A"); a number is refused by the text dtype of the column
    text = message(results([("high", 7, MAY, 8, 10, np.nan)]), tiny)
    assert re.fullmatch(
        r"results: column unit: fails dtype\('[^']+'\) in rows \[0\] \(values \['7'\]\)", text
    ), text


def test_an_indicator_level_or_team_type_that_is_not_text_says_so(tiny) -> None:
    # a number is neither text nor a known name: both failures are named, the dtype's first (the
    # dtype's own name, e.g. str or string[pyarrow], depends on pandas' string backend)
    text = message(results([(1, "Kent", MAY, 8, 10, np.nan)]), tiny)
    assert re.fullmatch(
        r"results: column indicator: fails dtype\('[^']+'\) in rows \[0\] \(values \['1'\]\); "
        r"column indicator: fails isin\(\('high', 'low', 'close', 'versus_england', 'backlog'\)\) "
        r"in rows \[0\] \(values \['1'\]\)",
        text,
    ), text
    frame = results([("high", "Kent", MAY, 8, 10, np.nan)]).assign(level=[2])
    text = message(frame, tiny)
    assert re.fullmatch(
        r"results: column level: fails dtype\('[^']+'\) in rows \[0\] \(values \['2'\]\); "
        r"column level: fails isin\(\['county', 'area', 'team'\]\) in rows \[0\] \(values \['2'\]\)",
        text,
    ), text
    frame = results([("high", "Kent", MAY, 8, 10, np.nan)]).assign(level=["team"], team_type=[3])
    text = message(frame, tiny)
    assert re.match(
        r"results: column team_type: fails dtype\('[^']+'\) in rows \[0\] \(values \['3'\]\); "
        r"column team_type: fails isin\(\('assessment_and_family_support', ",
        text,
    ), text
    assert text.endswith("in rows [0] (values ['3'])")


def test_columns_named_twice_are_listed_in_order_with_commas(tiny) -> None:
    frame = results([("high", "Kent", MAY, 8, 10, 80.0)])
    frame.columns = ["indicator", "value", "month", "numerator", "value", "numerator"]
    # two names twice, sorted: numerator, then value
    assert message(frame, tiny) == "results: column(s) named more than once: numerator, value"


def test_a_categorical_team_type_is_read_as_text(tiny) -> None:
    # a team of the front-door type, as a categorical column (as read from a parquet file): "high"
    # applies to every unit; 8/10 = 80%, between the floor 76.5 and the target 85 (H): Amber
    frame = results([("high", "Duty", MAY, 8, 10, np.nan)]).assign(
        level=["team"], team_type=pd.Categorical(["front_door"])
    )
    rated = rate(frame, tiny)
    assert rated["state"].astype(str).tolist() == ["rated"]
    assert rated["rag"].astype(str).tolist() == ["A"]


# --- numbers: floats out, whatever came in -----------------------------------------------------


def test_the_measures_come_back_as_floats(tiny) -> None:
    # whole numbers (int64 columns) and text numbers are read as floats, as validate_results
    # promises ("a copy with float measures"): 8/10 = 80%; a count of 3 (its denominator, 0, is
    # not read for a count)
    frame = results([("high", "Kent", MAY, 8, 10, 80), ("backlog", "Kent", MAY, 3, 0, 3)])
    assert [str(frame[c].dtype) for c in ("numerator", "denominator", "value")] == ["int64"] * 3
    for out in (validate_results(frame, tiny), rate(frame, tiny)):
        assert [str(out[c].dtype) for c in ("numerator", "denominator", "value")] == ["float64"] * 3
        assert out["value"].tolist() == [80.0, 3.0]
    text = results([("high", "Kent", MAY, "8", "10", "80")])
    rated = rate(text, tiny)
    assert (rated["numerator"].iloc[0], rated["denominator"].iloc[0]) == (8.0, 10.0)
    assert rated["rag"].astype(str).tolist() == ["A"]  # 80%: Amber, as above


# --- values that cannot come from their numerator and denominator --------------------------------


def test_a_count_is_its_numerator(tiny) -> None:
    # a count has no denominator: its value must be its numerator, 3, not 5
    assert message(results([("backlog", "Kent", MAY, 3, np.nan, 5.0)]), tiny) == (
        f"results: {DISAGREES} in rows [0] (values ['5'], computed ['3'])"
    )


def test_a_value_with_a_zero_denominator_is_refused(units) -> None:
    # 30 days over 0 children is no value (the module doc: a denominator of 0 gives no value), so a
    # value of 10 given with it cannot agree: the computed value is missing, not infinite
    assert message(results([("wait", "Kent", MAY, 30, 0, 10.0)]), units) == (
        f"results: {DISAGREES} in rows [0] (values ['10'], computed ['nan'])"
    )


def test_a_value_off_by_exactly_the_rounding_agrees(tiny) -> None:
    # 0 x 100 / 10 = 0; 0.05 is off by 0.05 exactly (the same double as ROUNDING): "at most" agrees.
    # 0.05% is below the floor 76.5 (H): Red
    rated = rate(results([("high", "Kent", MAY, 0, 10, 0.05)]), tiny)
    assert rated["value"].tolist() == [0.05] and rated["rag"].astype(str).tolist() == ["R"]


def test_a_value_off_by_exactly_the_relative_tolerance_agrees(tiny) -> None:
    # a count of 1,000,000 given as 1,000,001: off by 1, and 1e-6 x 1,000,000 is 1.0 exactly in
    # doubles, so the gap is exactly the relative tolerance: "at most" agrees. 1,000,001 is above
    # the floor 5 (L): Red. Off by 1.5 it disagrees.
    rated = rate(results([("backlog", "Kent", MAY, 1_000_000, np.nan, 1_000_001.0)]), tiny)
    assert rated["value"].tolist() == [1_000_001.0] and rated["rag"].astype(str).tolist() == ["R"]
    assert message(results([("backlog", "Kent", MAY, 1_000_000, np.nan, 1_000_001.5)]), tiny) == (
        f"results: {DISAGREES} in rows [0] (values ['1e+06'], computed ['1e+06'])"
    )


def test_zero_denominators_give_no_data_and_no_warning(units) -> None:
    # 30/0 (a division by zero) and 0/0 (an invalid value): no value, "no data", and NumPy must not
    # print a RuntimeWarning to the user on the way (neither while checking nor while rating)
    frame = results([("wait", "Kent", MAY, 30, 0, np.nan), ("wait", "North", MAY, 0, 0, np.nan)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rated = rate(frame, units)
    assert rated["value"].isna().tolist() == [True, True]
    assert rated["state"].astype(str).tolist() == ["no data", "no data"]


# --- the index kept and the dtypes returned ------------------------------------------------------


def test_an_index_named_like_a_column_is_kept(tiny) -> None:
    # a frame indexed by its own indicator column (set_index(..., drop=False)), or by two of its
    # columns: rate returns the same index; 8/10 = 80%: Amber; 1/10 = 10% at or below 15 (L): Green
    frame = results([("high", "Kent", MAY, 8, 10, np.nan), ("low", "Kent", MAY, 1, 10, np.nan)])
    rated = rate(frame.set_index("indicator", drop=False), tiny)
    assert rated.index.tolist() == ["high", "low"] and rated.index.name == "indicator"
    assert rated["rag"].astype(str).tolist() == ["A", "G"]
    rated = rate(frame.set_index(["indicator", "unit"], drop=False), tiny)
    assert rated.index.tolist() == [("high", "Kent"), ("low", "Kent")]
    assert rated["rag"].astype(str).tolist() == ["A", "G"]


def test_the_dtypes_of_the_added_columns(tiny) -> None:
    # one row, rated Amber (8/10 = 80%), no earlier month: every category is declared whether or
    # not it occurs, in the vocabulary's order
    rated = rate(results([("high", "Kent", MAY, 8, 10, np.nan)]), tiny)
    state, rag = rated["state"].dtype, rated["rag"].dtype
    assert list(state.categories) == ["rated", "not applicable", "extract absent", "no data",
                                      "no thresholds", "not rated at this level",
                                      "below minimum"]  # fmt: skip
    assert not state.ordered
    assert list(rag.categories) == ["R", "A", "G"] and rag.ordered  # R < A < G
    assert (rated["rag"] < "G").tolist() == [True]  # Amber is worse than Green
    for column in ("dot_previous", "dot_outturn"):
        dtype = rated[column].dtype
        assert list(dtype.categories) == ["improved", "same", "worsened"] and not dtype.ordered
        assert rated[column].isna().tolist() == [True]
    # thresholds_year is pandas' text dtype, missing as <NA>: 2015/16 here, none for March 2015
    # of "low" (its thresholds begin in 2015/16 and do not carry back)
    assert rated["thresholds_year"].dtype == "string"
    assert rated["thresholds_year"].tolist() == ["2015/16"]
    none = rate(results([("low", "Kent", "2015-03", 1, 10, np.nan)]), tiny)
    assert none["thresholds_year"].dtype == "string" and none["thresholds_year"].iloc[0] is pd.NA


# --- defects found by the review (fixed) ---------------------------------------------------------


def test_a_value_that_is_not_a_number_is_named_once(tiny) -> None:
    # "abc" cannot be read as a number: the coercion and dtype failures name it; the finite check
    # should not add "fails finite ... in rows [] (values ['ValueError(...)'])"
    frame = results([("high", "Kent", MAY, 8, 10, np.nan), ("high", "B", MAY, 1, 10, "abc")])
    text = message(frame, tiny)
    assert "finite" not in text, text
    # the failures that remain name the column, the check, the row and the value
    assert text == (
        "results: column value: fails coerce_dtype('float64') in rows [1] (values ['abc']); "
        "column value: fails dtype('float64') in rows [1] (values ['abc'])"
    )


def test_a_column_named_like_a_registry_column_is_refused_clearly(tiny) -> None:
    frame = results([("high", "Kent", MAY, 8, 10, np.nan)]).assign(ref=[1])
    with pytest.raises(ResultsError) as caught:
        rate(frame, tiny)
    assert str(caught.value) == (
        "results: column(s) ref are added by rate from the registry: drop or rename them (to rate "
        "a rated frame again, pass only its result columns)"
    )
    # a rated frame given back: every registry column it carries is named, in its order
    rated = rate(results([("high", "Kent", MAY, 8, 10, np.nan)]), tiny)
    with pytest.raises(ResultsError, match=r"column\(s\) ref, title, group, polarity, period, "):
        rate(rated, tiny)
    # its result columns alone are rated again, to the same figures
    again = rate(rated[["indicator", "unit", "month", "numerator", "denominator", "value"]], tiny)
    assert again["rag"].tolist() == rated["rag"].tolist() == ["A"]  # 80%: target 85, floor 76.5


@pytest.mark.parametrize("column", ["thresholds_year", "unit_thresholds"])
def test_the_columns_rate_adds_itself_are_refused_too(tiny, column) -> None:
    # thresholds_year and unit_thresholds are not registry columns but rate adds them
    frame = results([("high", "Kent", MAY, 8, 10, np.nan)]).assign(**{column: ["x"]})
    with pytest.raises(ResultsError, match=rf"column\(s\) {column} are added by rate"):
        rate(frame, tiny)


def test_columns_rate_computes_or_never_reads_are_not_refused(tiny) -> None:
    # rule (left out of the registry columns merged), carry_forward (read from the thresholds
    # table only), fy_start and financial_year (worked out from the month by rate) do not collide:
    # 8/10 = 80% rates as it does without them (tiny's "high" in 2015/16: target 85, floor 76.5: Amber)
    extra = {"rule": ["x"], "carry_forward": ["x"], "fy_start": [1999], "financial_year": ["x"]}
    plain = rate(results([("high", "Kent", MAY, 8, 10, np.nan)]), tiny)
    rated = rate(results([("high", "Kent", MAY, 8, 10, np.nan)]).assign(**extra), tiny)
    assert plain["rag"].tolist() == rated["rag"].tolist() == ["A"]
    assert rated["financial_year"].tolist() == ["2015/16"]

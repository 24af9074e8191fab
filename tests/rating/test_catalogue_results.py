"""Catalogue rows 116-126, 128-130, 456 and 457 (docs/bad-input.md, "Catalogue: registry and results"): results that
cannot be rated.

Each test gives :func:`scorecard.rate` a results frame with one impossible row (the others valid)
and checks the :class:`ResultsError` (or :class:`UsageError`) names the column and the row, with
the example message of the catalogue row. The registry is the tiny one of ``conftest.py``:
``high`` is a percentage (scale 100), ``backlog`` a count.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scorecard.errors import UsageError
from scorecard.rating import ResultsError, rate
from tests.catalogue import documented
from tests.rating.conftest import results

#: A valid first row: 8 of 10 is 80%.
GOOD = ("high", "Kent", "2015-05", 8, 10, 80.0)


def refused(tiny, row: tuple, columns=None) -> str:
    frame = results([GOOD, row]) if columns is None else pd.DataFrame([row], columns=columns)
    with pytest.raises(ResultsError) as caught:
        rate(frame, tiny)
    return str(caught.value)


def test_results_value_inf(request, tiny) -> None:
    message = refused(tiny, ("high", "North", "2015-05", np.nan, np.nan, np.inf))
    assert "column value" in message and "rows [1]" in message
    documented(request, message)


def test_results_numerator_inf(request, tiny) -> None:
    message = refused(tiny, ("high", "North", "2015-05", np.inf, 10, np.nan))
    assert "column numerator" in message and "rows [1]" in message
    documented(request, message)


def test_results_negative_denominator(request, tiny) -> None:
    message = refused(tiny, ("high", "North", "2015-05", 0, -4, np.nan))
    assert "column denominator" in message and "rows [1]" in message
    documented(request, message)


def test_results_negative_value(request, tiny) -> None:
    # -50 for a percentage: was rated Green (below a floor of an L indicator it would be)
    message = refused(tiny, ("high", "North", "2015-05", np.nan, np.nan, -50))
    assert "column value" in message and "rows [1]" in message
    documented(request, message)


def test_results_negative_count(request, tiny) -> None:
    message = refused(tiny, ("backlog", "North", "2015-05", np.nan, np.nan, -3))
    assert "column value" in message and "rows [1]" in message
    documented(request, message)


def test_results_percentage_above_100(request, tiny) -> None:
    message = refused(tiny, ("high", "North", "2015-05", np.nan, np.nan, 125))
    assert "rows [1]" in message
    documented(request, message)


def test_results_numerator_above_denominator(request, tiny) -> None:
    # 25 of 20: was rated as 125%
    message = refused(tiny, ("high", "North", "2015-05", 25, 20, np.nan))
    assert "column numerator" in message and "rows [1]" in message
    documented(request, message)


def test_results_value_disagrees(request, tiny) -> None:
    # 3 of 4 is 75%, not 60% (the value is rated, so it must be the numerator's)
    message = refused(tiny, ("high", "North", "2015-05", 3, 4, 60))
    assert "rows [1]" in message and "computed ['75']" in message
    documented(request, message)


def test_results_unknown_level(request, tiny) -> None:
    columns = ["indicator", "unit", "level", "month", "numerator", "denominator", "value"]
    message = refused(tiny, ("high", "North", "region", "2015-05", 1, 2, np.nan), columns)
    assert "column level" in message and "rows [0]" in message
    documented(request, message)


def test_results_unknown_team_type(request, tiny) -> None:
    columns = ["indicator", "unit", "level", "team_type", "month", "numerator", "denominator",
               "value"]  # fmt: skip
    message = refused(tiny, ("high", "A", "team", "duty", "2015-05", 1, 2, np.nan), columns)
    assert "column team_type" in message and "rows [0]" in message
    documented(request, message)


def test_results_not_a_dataframe(request, tiny) -> None:
    with pytest.raises(UsageError) as caught:
        rate(results([GOOD])["value"], tiny)  # a Series, not a frame
    documented(request, str(caught.value))


def test_quality_values_rounded_to_one_decimal_agree(tiny) -> None:
    # 5 of 7 is 71.428571...%; the published 71.4 is the same figure rounded, not a disagreement
    rated = rate(results([("high", "Kent", "2015-05", 5, 7, 71.4)]), tiny)
    assert rated["value"].iloc[0] == 71.4


def test_quality_every_kind_of_impossible_value_at_once(tiny) -> None:
    frame = results([GOOD, ("high", "B", "2015-05", 25, 20, np.nan),
                     ("high", "C", "2015-05", np.nan, np.nan, 101),
                     ("high", "D", "2015-05", 1, 2, 40)])  # fmt: skip
    with pytest.raises(ResultsError) as caught:
        rate(frame, tiny)
    message = str(caught.value)
    assert "rows [1]" in message and "rows [2]" in message and "rows [3]" in message


def test_results_empty(request, tiny) -> None:
    with pytest.raises(ResultsError) as caught:
        rate(results([]), tiny)
    documented(request, str(caught.value))


def test_results_column_twice(request, tiny) -> None:
    frame = results([GOOD])
    frame.insert(len(frame.columns), "value_again", frame["value"])
    frame.columns = [*frame.columns[:-1], "value"]  # two columns named value
    with pytest.raises(ResultsError) as caught:
        rate(frame, tiny)
    documented(request, str(caught.value))


def test_results_multiindex_columns(request, tiny) -> None:
    frame = results([GOOD])
    frame.columns = pd.MultiIndex.from_tuples([(c, "") for c in frame.columns])
    with pytest.raises(ResultsError) as caught:
        rate(frame, tiny)
    documented(request, str(caught.value))


def test_quality_categorical_units_and_levels_are_read_as_text(tiny) -> None:
    frame = pd.DataFrame({
        "indicator": pd.Categorical(["high"]), "unit": pd.Categorical(["Kent"]),
        "level": pd.Categorical(["county"]), "month": ["2015-05"], "numerator": [8],
        "denominator": [10], "value": [np.nan],
    })  # fmt: skip
    rated = rate(frame, tiny)
    # 8/10 = 80%: below the target 85, at or above the floor 76.5 (tiny 2015/16): Amber
    assert rated["rag"].tolist() == ["A"]


def test_results_registry_column(request, tiny) -> None:
    # a frame rate returned, given back: its registry columns (ref, title, ...) are named in order
    rated = rate(results([GOOD]), tiny)
    with pytest.raises(ResultsError) as caught:
        rate(rated, tiny)
    message = str(caught.value)
    assert "to rate a rated frame again, pass only its result columns" in message
    documented(request, message)


def test_results_value_text(request, tiny) -> None:
    message = refused(tiny, ("high", "North", "2015-05", 1, 10, "abc"))
    assert "finite" not in message and "Error(" not in message
    documented(request, message)

"""Text made inert for spreadsheets (``scorecard.reports.safety``): the same as the plain
``where`` expression, whether or not a column has anything to guard."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.reports.safety import FORMULA_PREFIXES, guard_formulas, guard_text


def _plain(values: pd.Series) -> pd.Series:
    text = values.astype("string")
    return values.where(~text.str.startswith(FORMULA_PREFIXES).fillna(False), "'" + text)


_CELLS = st.one_of(
    st.none(), st.just(np.nan), st.floats(-50, 50, allow_nan=False),
    st.sampled_from(["c", "G", "=1+1", "-3", "+x", "@a", "\tx", "plain", ""]),
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(cells=st.lists(_CELLS, max_size=8), dtype=st.sampled_from([object, "string", "category"]))
def test_guard_text_is_the_plain_expression(cells: list[object], dtype: object) -> None:
    values = pd.Series(cells, dtype=object)
    if dtype != object:
        values = values.map(lambda v: v if isinstance(v, str) else None).astype(dtype)
    if dtype == "category" and any(c.startswith(FORMULA_PREFIXES) for c in values.cat.categories):
        # a category column with something to guard: guarded as plain objects
        expected = _plain(values.astype(object))
    else:
        expected = _plain(values)
    pd.testing.assert_series_equal(guard_text(values), expected)


def test_category_columns_are_guarded() -> None:
    teams = pd.Categorical(["=HYPERLINK(x)", "Kent", "=HYPERLINK(x)"])
    words = pd.Categorical(["Common cause", None, "Special cause"])
    frame = pd.DataFrame({"team": teams, "word": words})
    out = guard_formulas(frame)
    assert out["team"].tolist() == ["'=HYPERLINK(x)", "Kent", "'=HYPERLINK(x)"]
    pd.testing.assert_series_equal(out["word"], frame["word"])  # nothing to guard: as it was
    numbers = pd.Series(pd.Categorical([-1, 2, -1]))
    pd.testing.assert_series_equal(guard_text(numbers), numbers)  # numbers stay numbers


def test_guard_formulas_hand_worked() -> None:
    frame = pd.DataFrame({"unit": ["=HYPERLINK(x)", "Kent"], "value": [-1.5, 2.0],
                          "note": pd.Series([None, "fine"], dtype="string")})  # fmt: skip
    out = guard_formulas(frame)
    assert out["unit"].tolist() == ["'=HYPERLINK(x)", "Kent"]
    assert out["value"].tolist() == [-1.5, 2.0]  # numbers stay numbers
    pd.testing.assert_series_equal(out["note"], frame["note"])  # nothing to guard: as it was
    assert out is not frame and out["unit"] is not frame["unit"]

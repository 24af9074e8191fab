"""Publication safety for files people open in spreadsheets.

A text cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) is read by Excel and
other spreadsheets as a formula; a team named ``=HYPERLINK(...)`` in a CSV would become a live link.
Such text gets a leading apostrophe, the spreadsheet convention for "this is text" (OWASP's advice on
CSV injection). Numbers are left alone, so negative numbers stay numbers.
"""

from __future__ import annotations

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def guard_text(values: pd.Series) -> pd.Series:
    """A copy of a text Series in which values that a spreadsheet would run are made inert.

    A category column of text is guarded on its categories: as it is when none starts like a
    formula, else as plain objects (a guarded value is not one of its categories); categories
    that are numbers stay numbers."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        kind = values.cat.categories.dtype
        if not (pd.api.types.is_object_dtype(kind) or pd.api.types.is_string_dtype(kind)):
            return values.copy()
        categories = pd.Series(values.cat.categories, dtype=object)
        if not guard_text(categories).equals(categories):
            return guard_text(values.astype(object))
        return values.copy()
    text = values.astype("string")
    risky = text.str.startswith(FORMULA_PREFIXES).fillna(False)
    if not risky.any():  # the common case: nothing to change (``where`` would copy it as is)
        return values.copy()
    return values.where(~risky, "'" + text)


def guard_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text column passed through :func:`guard_text`."""
    out = frame.copy()
    for column in out.columns:
        dtype = out[column].dtype
        if (
            pd.api.types.is_object_dtype(dtype)
            or pd.api.types.is_string_dtype(dtype)
            or isinstance(dtype, pd.CategoricalDtype)
        ):
            out[column] = guard_text(out[column])
    return out

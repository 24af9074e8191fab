"""Publication safety for files people open in spreadsheets.

A text cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) is read by Excel and
other spreadsheets as a formula; a team named ``=HYPERLINK(...)`` in a CSV would become a live link.
Such text gets a leading apostrophe, the spreadsheet convention for "this is text" (OWASP's advice on
CSV injection). Numbers are left alone, so negative numbers stay numbers.
"""

from __future__ import annotations

import numpy as np
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
    """A copy of ``frame`` with every text column passed through :func:`guard_text`.

    Which columns :func:`guard_text` would change is found in one pass over all their values
    (the categories of a category column): the others are left as copied."""
    out = frame.copy()
    if out.columns.has_duplicates:  # as it always was (one name, several columns)
        return _guard_each(out)
    texts = []
    for column in out.columns:
        series = out[column]
        dtype = series.dtype
        if isinstance(dtype, pd.CategoricalDtype):
            kind = series.cat.categories.dtype
            if pd.api.types.is_object_dtype(kind) or pd.api.types.is_string_dtype(kind):
                texts.append((column, series.cat.categories.to_numpy(dtype=object)))
        elif pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
            texts.append((column, series.to_numpy(dtype=object)))
    for part in _batches(texts):  # a few batches of values for a large frame (memory)
        values = pd.Series(np.concatenate([v for _, v in part]), dtype=object).astype("string")
        risky = values.str.startswith(FORMULA_PREFIXES).fillna(False).to_numpy(dtype=bool)
        ends = np.cumsum([len(v) for _, v in part])
        for (column, _), flags in zip(part, np.split(risky, ends[:-1]), strict=True):
            if flags.any():
                out[column] = guard_text(out[column])
    return out


#: Most text values checked together by :func:`guard_formulas`.
_BATCH = 200_000


def _batches(texts: list[tuple[object, np.ndarray]]) -> list[list[tuple[object, np.ndarray]]]:
    """``texts`` in consecutive groups of at most :data:`_BATCH` values (a longer column alone)."""
    batches: list[list[tuple[object, np.ndarray]]] = []
    size = 0
    for item in texts:
        if not batches or size + len(item[1]) > _BATCH:
            batches.append([])
            size = 0
        batches[-1].append(item)
        size += len(item[1])
    return batches


def _guard_each(out: pd.DataFrame) -> pd.DataFrame:
    """:func:`guard_formulas` column by column (the reference of its one pass)."""
    for column in out.columns:
        dtype = out[column].dtype
        if (
            pd.api.types.is_object_dtype(dtype)
            or pd.api.types.is_string_dtype(dtype)
            or isinstance(dtype, pd.CategoricalDtype)
        ):
            out[column] = guard_text(out[column])
    return out

"""Rule-change preview: rate the same results under two registries and show what moves.

A regression test for a rule change loads the registry before and after the change, rates the same
results with both and asserts on the rows returned here (see ``tests/rating/test_rule_change.py``).
"""

from __future__ import annotations

import pandas as pd

from scorecard.rating.rate import KEY, THRESHOLD_COLUMNS, rate
from scorecard.registry.model import Registry

COMPARED = [*THRESHOLD_COLUMNS, "rag"]


def compare_ratings(results: pd.DataFrame, before: Registry, after: Registry) -> pd.DataFrame:
    """The rows whose thresholds in force or RAG differ between two registries.

    Returns ``indicator, unit, month, value`` and, for each of ``target, floor, green_lower,
    green_upper, amber_lower, amber_upper, benchmark, tolerance, rag``, the ``_before`` and
    ``_after`` columns, plus ``changed``: the names of the columns that differ. Missing equals
    missing. An empty frame means the change moves nothing on these results.
    """
    old, new = rate(results, before), rate(results, after)
    differs = pd.DataFrame(
        {
            column: ~(
                (old[column].astype(object) == new[column].astype(object))
                | (old[column].isna() & new[column].isna())
            )
            for column in COMPARED
        }
    )
    rows = differs.any(axis=1)
    out = old.loc[rows, [*KEY, "value"]].copy()
    for column in COMPARED:
        out[f"{column}_before"] = old.loc[rows, column]
        out[f"{column}_after"] = new.loc[rows, column]
    labels = differs[rows].astype(object).dot(pd.Index(COMPARED) + ", ")
    out["changed"] = labels.astype("string").str.removesuffix(", ")
    return out

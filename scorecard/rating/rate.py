"""Rate a long frame of results: thresholds in force, RAG, direction of travel.

``rate(results)`` takes one row per indicator, organisational unit and month, and returns the same rows
(same index, same order, input not modified) with these columns added:

=================  ==========================================================================
ref, title, group  from the registry
polarity, period   H/L/T and YTD/SS/R12M
value_unit         percent, count, days or ratio
financial_year     the financial year of the month, e.g. ``2015/16``
target ... tol.    the thresholds in force that financial year (``target, floor, green_lower,
                   green_upper, amber_lower, amber_upper, benchmark, tolerance``)
rag                ``R``/``A``/``G`` (ordered categorical) or missing
rag_note           why a row has no RAG: no result, below the minimum denominator, no thresholds
previous_value     the value of the month before for the same indicator and unit (if in the frame)
dot_previous       direction of travel from it: improved / same / worsened
outturn_month      March of the previous financial year
outturn_value      the value of that month (if in the frame)
dot_outturn        direction of travel from the outturn
=================  ==========================================================================

A missing ``value`` is computed as ``numerator * scale / denominator`` (scale 100 for percentages),
and a denominator of 0 gives no value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa

from scorecard.calendar.periods import (
    financial_year_labels,
    financial_year_starts,
    outturn_month,
    to_months,
)
from scorecard.errors import DataError
from scorecard.rating.rules import direction_codes, rag_codes
from scorecard.rating.vocabulary import DIRECTION_DTYPE, RAG_DTYPE
from scorecard.registry.loader import load_registry
from scorecard.registry.model import Registry

KEY = ["indicator", "unit", "month"]
RESULT_COLUMNS = [*KEY, "numerator", "denominator", "value"]
THRESHOLD_COLUMNS = ["target", "floor", "green_lower", "green_upper", "amber_lower", "amber_upper",
                     "benchmark", "tolerance"]  # fmt: skip


class ResultsError(DataError):
    """A results frame that cannot be rated; the message names the columns and rows at fault."""


def _results_schema(registry: Registry) -> pa.DataFrameSchema:
    number = {"nullable": True, "coerce": True}
    return pa.DataFrameSchema(
        {
            "indicator": pa.Column(str, pa.Check.isin(registry.ids), nullable=False),
            "unit": pa.Column(str, nullable=False),
            "month": pa.Column(nullable=False),
            "numerator": pa.Column(float, pa.Check.ge(0), **number),
            "denominator": pa.Column(float, pa.Check.ge(0), **number),
            "value": pa.Column(float, **number),
        },
        unique=KEY,
        report_duplicates="all",
    )


def validate_results(results: pd.DataFrame, registry: Registry, name: str = "results") -> pd.DataFrame:
    """Check a results frame; return a copy with float measures and monthly-Period ``month``.

    Every problem is collected before one :class:`ResultsError` is raised.
    """
    missing = [c for c in RESULT_COLUMNS if c not in results.columns]
    if missing:
        raise ResultsError(f"{name}: missing column(s) {', '.join(missing)}")
    try:
        checked = _results_schema(registry).validate(results, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise ResultsError(f"{name}: {_describe_failures(exc.failure_cases)}") from None
    checked = checked.copy()
    try:
        checked["month"] = to_months(checked["month"])
    except ValueError as exc:
        raise ResultsError(f"{name}: column month: {exc}") from None
    return checked


def _describe_failures(cases: pd.DataFrame) -> str:
    parts = []
    for (column, check), group in cases.groupby(["column", "check"], dropna=False, sort=False):
        rows = [i for i in group["index"].tolist() if pd.notna(i)][:10]
        values = sorted({str(v) for v in group["failure_case"].tolist()})[:5]
        parts.append(f"column {column}: fails {check} in rows {rows} (values {values})")
    return "; ".join(parts)


def rate(results: pd.DataFrame, registry: Registry | None = None) -> pd.DataFrame:
    """Add thresholds in force, RAG and directions of travel to ``results`` (see module doc)."""
    registry = registry if registry is not None else load_registry()
    frame = validate_results(results, registry)
    index = frame.index
    frame = frame.reset_index(drop=True)

    meta = registry.to_frame().drop(columns=["rule"])
    thresholds = registry.thresholds_frame()
    frame["fy_start"] = financial_year_starts(frame["month"])
    frame["financial_year"] = financial_year_labels(frame["fy_start"])
    joined = frame.merge(meta, on="indicator", how="left", validate="many_to_one").merge(
        thresholds.drop(columns="financial_year"),
        on=["indicator", "fy_start"],
        how="left",
        validate="many_to_one",
    )

    numerator = joined["numerator"].to_numpy(dtype=float)
    denominator = joined["denominator"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        computed = np.where(denominator > 0, numerator * joined["scale"] / denominator, np.nan)
    joined["value"] = joined["value"].fillna(pd.Series(computed, index=joined.index))

    codes = rag_codes(joined)
    below_minimum = denominator < joined["min_denominator"].to_numpy(dtype=float)
    no_value = joined["value"].isna().to_numpy()
    no_thresholds = joined["method"].isna().to_numpy()
    joined["rag_note"] = pd.array(
        np.select(
            [no_value, no_thresholds, below_minimum],
            [
                "no result",
                "no thresholds for " + joined["financial_year"],
                "denominator below the minimum of "
                + joined["min_denominator"].fillna(0).astype(int).astype(str),
            ],
            None,
        ),
        dtype="string",
    )
    withheld = no_value | no_thresholds | below_minimum
    joined["rag"] = pd.Categorical(np.where(withheld, None, codes), dtype=RAG_DTYPE)

    joined = _add_travel(joined)
    joined.index = index
    order = [
        *results.columns,
        "ref", "title", "group", "polarity", "period", "value_unit", "financial_year",
        *THRESHOLD_COLUMNS, "rag", "rag_note",
        "previous_value", "dot_previous", "outturn_month", "outturn_value", "dot_outturn",
    ]  # fmt: skip
    return joined[[c for c in dict.fromkeys(order)]]


def _add_travel(frame: pd.DataFrame) -> pd.DataFrame:
    """Previous-month and outturn values, and directions of travel from them (one merge each)."""
    lookup = frame[KEY + ["value"]]
    frame["previous_month"] = frame["month"] - 1
    frame["outturn_month"] = outturn_month(frame["month"])
    for name, month_column in (("previous", "previous_month"), ("outturn", "outturn_month")):
        found = frame[["indicator", "unit", month_column]].merge(
            lookup.rename(columns={"month": month_column, "value": f"{name}_value"}),
            on=["indicator", "unit", month_column],
            how="left",
            validate="many_to_one",
        )
        frame[f"{name}_value"] = found[f"{name}_value"].to_numpy()
        frame[f"dot_{name}"] = pd.Categorical(
            direction_codes(
                frame["value"].to_numpy(dtype=float),
                frame[f"{name}_value"].to_numpy(dtype=float),
                frame["sign"].to_numpy(dtype=float),
                frame["target"].to_numpy(dtype=float),
            ),
            dtype=DIRECTION_DTYPE,
        )
    return frame

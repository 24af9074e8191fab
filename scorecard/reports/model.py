"""What every report shows, independent of its format (workbook, HTML, notebook).

The renderers (:mod:`scorecard.reports.workbook`, :mod:`scorecard.reports.html`) only lay out the
frames and words built here, so the workbook, the HTML and the notebook say the same thing.
"""

from __future__ import annotations

from typing import assert_never

import numpy as np
import pandas as pd

from scorecard.calendar.periods import FinancialYear, to_month
from scorecard.rating.vocabulary import RAG, Direction
from scorecard.registry.model import Indicator, Polarity, Registry, RuleMethod, ValueUnit

#: Arrows for directions of travel (with the words, for screen readers and black-and-white print).
DOT_ARROWS = {
    Direction.IMPROVED.value: "▲ improved",
    Direction.SAME.value: "► same",
    Direction.WORSENED.value: "▼ worsened",
}
#: Fill colours of the RAG ratings (the published report's key) and of "not rated".
RAG_COLOURS = {RAG.RED.value: "#E8494A", RAG.AMBER.value: "#F5B335", RAG.GREEN.value: "#4CAF50"}
NOT_RATED_COLOUR = "#D9D9D9"

UNIT_TABLE_COLUMNS = [
    "group", "ref", "indicator", "title", "polarity", "period", "value_unit", "value", "rag",
    "numerator", "denominator", "target", "previous_value", "dot_previous", "outturn_value",
    "dot_outturn", "note",
]  # fmt: skip


def format_value(value: float, unit: ValueUnit | str) -> str:
    """A result as printed: ``93.1%``, ``31``, ``423.2``; ``-`` when there is none."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or pd.isna(value):
        return "-"
    unit = ValueUnit(unit)
    match unit:
        case ValueUnit.PERCENT:
            return f"{value:.1f}%"
        case ValueUnit.COUNT:
            return f"{value:,.0f}"
        case ValueUnit.DAYS | ValueUnit.RATIO:
            return f"{value:,.1f}"
        case _:
            assert_never(unit)


def format_count(value: float) -> str:
    """A numerator or denominator as printed (FTE keeps one decimal): ``2,306``, ``331.9``."""
    if value is None or pd.isna(value):
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def unit_table(frame: pd.DataFrame, unit: str, month: object) -> pd.DataFrame:
    """The scorecard table of one unit for one month, in ref order, grouped as published."""
    period = to_month(month)
    rows = frame[(frame["unit"] == unit) & (frame["month"] == period)]
    if rows.empty:
        raise KeyError(f"no results for unit {unit!r} in {period}")
    table = rows.sort_values("ref")
    if "note" not in table.columns:
        table = table.assign(note=pd.NA)
    return table[UNIT_TABLE_COLUMNS].reset_index(drop=True)


def thresholds_in_words(
    indicator: Indicator, registry: Registry, financial_year: FinancialYear
) -> str:
    """The RAG bands in words, as the exception reports' data notes give them."""
    thresholds = indicator.thresholds_for(financial_year)
    if thresholds is None:
        return f"No thresholds for {financial_year.label}."
    rule = registry.rule_of(indicator)

    def v(number: float) -> str:
        return format_value(number, indicator.unit)

    match rule.method:
        case RuleMethod.TARGET_FLOOR:
            t, f = thresholds.target.value, thresholds.floor.value  # type: ignore[union-attr]
            better, worse = ("above", "below") if indicator.polarity is Polarity.HIGH else (
                "below", "above")  # fmt: skip
            return (
                f"Target {v(t)}. Green: {v(t)} and {better}; "
                f"Amber: {v(min(t, f))} to {v(max(t, f))}; Red: {worse} {v(f)}."
            )
        case RuleMethod.BANDS:
            t = thresholds.target.value  # type: ignore[union-attr]
            g, a = thresholds.green, thresholds.amber
            assert g is not None and a is not None
            return (
                f"Target {v(t)}. Green: {v(g.lower)} to {v(g.upper)}; Amber: {v(a.lower)} to "
                f"{v(g.lower)} or {v(g.upper)} to {v(a.upper)}; Red: below {v(a.lower)} or "
                f"above {v(a.upper)}."
            )
        case RuleMethod.BENCHMARK:
            b, tol = thresholds.benchmark.value, thresholds.tolerance.value  # type: ignore[union-attr]
            return (
                f"Benchmark {v(b)}. Green: better than the benchmark by more than {tol:g}; "
                f"Amber: within {tol:g} of it; Red: worse by more than {tol:g}."
            )
        case _:
            assert_never(rule.method)


def data_notes(indicator: Indicator, registry: Registry, month: object) -> dict[str, str]:
    """The data notes of an exception report: target and bands, tolerance, period, source."""
    fy = FinancialYear.of(to_month(month))
    return {
        "Target and RAG bands": thresholds_in_words(indicator, registry, fy),
        "Tolerance": indicator.polarity.in_words,
        "Data period": indicator.period.in_words,
        "Data source": indicator.source,
    }


def trend(frame: pd.DataFrame, indicator: str, unit: str, month: object, months: int) -> pd.DataFrame:
    """The last ``months`` month-ends up to ``month`` for one indicator and unit: ``month, value,
    numerator, denominator, target, floor, rag`` (months without results are left out)."""
    period = to_month(month)
    wanted = pd.period_range(period - (months - 1), period, freq="M")
    rows = frame[
        (frame["indicator"] == indicator) & (frame["unit"] == unit) & frame["month"].isin(wanted)
    ]
    return rows.sort_values("month")[
        ["month", "value", "numerator", "denominator", "target", "floor", "green_lower",
         "green_upper", "amber_lower", "amber_upper", "rag"]
    ].reset_index(drop=True)  # fmt: skip


def red_indicators(frame: pd.DataFrame, unit: str, month: object) -> list[str]:
    """Ids of the indicators rated Red for a unit and month, in ref order (one exception each)."""
    table = unit_table(frame, unit, month)
    return table.loc[table["rag"] == RAG.RED.value, "indicator"].tolist()


def activity_table(activity: pd.DataFrame, unit: str, month: object) -> pd.DataFrame:
    """Activity of one unit: ``label, this month, last month, change``."""
    period = to_month(month)
    mine = activity[activity["unit"] == unit]
    now = mine[mine["month"] == period].set_index("activity")
    before = mine[mine["month"] == period - 1].set_index("activity")["count"]
    table = pd.DataFrame(
        {
            "activity": now["label"],
            "this_month": now["count"],
            "last_month": before.reindex(now.index),
        }
    )
    table["change"] = table["this_month"] - table["last_month"]
    return table.reset_index(drop=True)


def units_in_order(frame: pd.DataFrame) -> pd.DataFrame:
    """``unit, level`` of a results frame: the county, then areas, then teams (as computed)."""
    order = {"county": 0, "area": 1, "team": 2}
    if "level" not in frame.columns:
        return frame[["unit"]].drop_duplicates().assign(level="county").reset_index(drop=True)
    units = frame[["unit", "level"]].drop_duplicates()
    rank = units["level"].map(order).fillna(3)
    return units.assign(_rank=rank).sort_values("_rank", kind="stable").drop(columns="_rank")


SUPPRESSED = "c"  # the DfE symbol for a figure withheld to protect confidentiality


def suppress_small_counts(frame: pd.DataFrame, below: int | None) -> pd.DataFrame:
    """A copy of a rated frame fit for publication.

    Where a numerator or denominator is a count from 1 to ``below - 1``, the numerator, denominator
    and value are withheld (set missing) and ``suppressed`` is True (DfE tables show such cells as
    "c"). A previous or outturn result whose own month was withheld is withheld too
    (``previous_suppressed``, ``outturn_suppressed``). ``below=None`` withholds nothing; zero is
    never withheld. Ratings are kept: they say no more than the published thresholds.
    """
    out = frame.copy()
    if below is None:
        return out.assign(suppressed=False, previous_suppressed=False, outturn_suppressed=False)
    small = pd.Series(False, index=out.index)
    for column in ("numerator", "denominator"):
        values = out[column]
        small |= (values > 0) & (values < below)
    out["suppressed"] = small
    out.loc[small, ["numerator", "denominator", "value"]] = np.nan
    key = ["indicator", "unit", "month"]
    hidden = pd.MultiIndex.from_frame(out.loc[small, key])
    for name, month in (("previous", out["month"] - 1), ("outturn", out["outturn_month"])):
        looked_up = pd.MultiIndex.from_arrays([out["indicator"], out["unit"], month])
        flag = small.to_numpy() | looked_up.isin(hidden)
        out[f"{name}_suppressed"] = flag
        out.loc[flag, f"{name}_value"] = np.nan
    return out


def suppress_activity(table: pd.DataFrame, below: int | None) -> pd.DataFrame:
    """An :func:`activity_table` with ``*_withheld`` flags: counts from 1 to ``below - 1`` are
    withheld, and so is a change computed from a withheld count."""
    out = table.copy()
    for column in ("this_month", "last_month"):
        small = (out[column] > 0) & (out[column] < below) if below is not None else False
        out[f"{column}_withheld"] = pd.Series(small, index=out.index).fillna(False).astype(bool)
    out["change_withheld"] = out["this_month_withheld"] | out["last_month_withheld"]
    return out

"""An indicator's monthly trend for one unit as a matplotlib chart, for analysts in a notebook.

>>> ax = card.plot(14, "North")        # ref, id or title; unit in any case   # doctest: +SKIP

The chart shows what the HTML report's trend chart shows (:mod:`scorecard.reports.charts`), for
every month of the scorecard: the result line with one point per month coloured by its RAG rating
(grey when not rated), the target (dashed) and floor (dotted) in force each month as steps (they
change with the financial year), for a target-band (T) indicator its Green and Amber bands shaded,
and for a benchmark rule the benchmark and its tolerance. No threshold is drawn for a month whose
state says it does not hold for the unit (not rated at its level, or the indicator does not
apply: the title says so). It draws the rated frame as it is: nothing is withheld, so a chart of
a small team is for analysts, not for publication.

Months are Periods in the frame; they are drawn at their first day (``Period.to_timestamp``).
matplotlib is imported here, when a chart is drawn, never by ``import scorecard``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from scorecard.rating.vocabulary import RatingState
from scorecard.registry.model import Indicator, ValueUnit
from scorecard.reports.charts import (
    BAND_COLOUR,
    FLOOR_COLOUR,
    GRID_COLOUR,
    LINE_COLOUR,
    TARGET_COLOUR,
)
from scorecard.reports.model import NOT_RATED_COLOUR, RAG_COLOURS

if TYPE_CHECKING:
    from matplotlib.axes import Axes

#: The amber band's shade (the Green band uses the report's band colour).
AMBER_BAND_COLOUR = RAG_COLOURS["A"]
#: Labels of the lines and bands (the tests find the lines by them).
TARGET_LABEL, FLOOR_LABEL, BENCHMARK_LABEL = "Target", "Floor", "Benchmark"
GREEN_BAND_LABEL, AMBER_BAND_LABEL, TOLERANCE_LABEL = "Green band", "Amber band", "Tolerance"

_Y_LABELS = {
    ValueUnit.PERCENT: "%",
    ValueUnit.COUNT: "count",
    ValueUnit.DAYS: "days (average)",
    ValueUnit.RATIO: "per unit (average)",
}


def plot_indicator(
    frame: pd.DataFrame, indicator: Indicator, unit: str, *, ax: Axes | None = None
) -> Axes:
    """Draw ``indicator``'s monthly results for ``unit`` from a rated frame (the output of
    :func:`scorecard.rating.rate`, e.g. ``Scorecard.frame``) on ``ax`` (default: a new figure);
    return the Axes. Raises ``KeyError`` when the frame has no row of the indicator and unit."""
    import matplotlib.pyplot as plt
    from matplotlib.dates import DateFormatter, MonthLocator

    rows = frame[(frame["indicator"] == indicator.id) & (frame["unit"] == unit)]
    if rows.empty:
        raise KeyError(f"no results of {indicator.id} for {unit!r} in the frame")
    rows = rows.sort_values("month")
    months = pd.PeriodIndex(rows["month"], freq="M")
    x = months.to_timestamp()
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 3.6), layout="constrained")

    state = (
        rows["state"].astype(object).to_numpy()
        if "state" in rows.columns
        else np.full(len(rows), None, dtype=object)
    )
    # where the thresholds do not hold (the indicator is not rated at the unit's level, or does
    # not apply to it), none is drawn: a county's count target is no team's target
    unrated = np.isin(state, [RatingState.NOT_RATED_AT_LEVEL.value,
                              RatingState.NOT_APPLICABLE.value])  # fmt: skip

    def column(name: str, thresholds: bool = True) -> np.ndarray:
        if name not in rows.columns:
            return np.full(len(rows), np.nan)
        values = pd.to_numeric(rows[name], errors="coerce").to_numpy(dtype=float)
        return np.where(unrated, np.nan, values) if thresholds else values

    def step_line(values: np.ndarray, label: str, colour: str, style: str) -> None:
        if np.isfinite(values).any():
            ax.plot(x, values, drawstyle="steps-mid", color=colour, linestyle=style, linewidth=1.4,
                    label=label)  # fmt: skip

    def band(lower: np.ndarray, upper: np.ndarray, label: str, colour: str) -> None:
        if (np.isfinite(lower) & np.isfinite(upper)).any():
            ax.fill_between(x, lower, upper, step="mid", color=colour, alpha=0.18, linewidth=0,
                            label=label)  # fmt: skip

    band(column("amber_lower"), column("amber_upper"), AMBER_BAND_LABEL, AMBER_BAND_COLOUR)
    band(column("green_lower"), column("green_upper"), GREEN_BAND_LABEL, BAND_COLOUR)
    benchmark, tolerance = column("benchmark"), column("tolerance")
    band(benchmark - tolerance, benchmark + tolerance, TOLERANCE_LABEL, NOT_RATED_COLOUR)
    step_line(column("target"), TARGET_LABEL, TARGET_COLOUR, "--")
    step_line(column("floor"), FLOOR_LABEL, FLOOR_COLOUR, ":")
    step_line(benchmark, BENCHMARK_LABEL, TARGET_COLOUR, "-.")

    values = column("value", thresholds=False)
    ax.plot(x, values, color=LINE_COLOUR, linewidth=1.6, zorder=3, label="Result")
    rag = rows["rag"].astype(object) if "rag" in rows.columns else pd.Series(None, index=rows.index)
    colours = [RAG_COLOURS.get(str(r), NOT_RATED_COLOUR) if pd.notna(r) else NOT_RATED_COLOUR
               for r in rag]  # fmt: skip
    shown = np.isfinite(values)
    ax.scatter(x[shown], values[shown], c=[c for c, s in zip(colours, shown, strict=True) if s],
               edgecolors=LINE_COLOUR, linewidths=0.6, s=36, zorder=4)  # fmt: skip

    notes = [
        RatingState(value).label
        for value in (RatingState.NOT_APPLICABLE.value, RatingState.NOT_RATED_AT_LEVEL.value)
        if (state == value).any()
    ]
    where = f"{unit} ({'; '.join(notes)}: no thresholds drawn)" if notes else unit
    ax.set_title(f"Ref {indicator.ref}: {indicator.title}\n{where}", fontsize=10, loc="left")
    ax.set_ylabel(_Y_LABELS[indicator.unit])
    ax.xaxis.set_major_locator(MonthLocator())
    ax.xaxis.set_major_formatter(DateFormatter("%b %y"))
    ax.tick_params(axis="x", labelrotation=45, labelsize=8)
    ax.grid(axis="y", color=GRID_COLOUR)
    ax.legend(fontsize=8, loc="best", frameon=False)
    return ax

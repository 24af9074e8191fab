"""RAG and direction-of-travel counts per unit and month, and the published summary sentence.

Only the rows whose indicator applies to the unit count (``state`` other than ``not applicable``,
see :func:`applicable_rows`); a frame without ``state`` counts every row.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from scorecard.calendar.periods import to_month
from scorecard.rating.vocabulary import RAG, Assurance, Direction, RatingState, Variation

COUNT_COLUMNS = [
    "green", "amber", "red", "not_rated", "no_thresholds",
    "improved_previous", "same_previous", "worsened_previous",
    "improved_outturn", "same_outturn", "worsened_outturn",
]  # fmt: skip


def applicable_rows(rated: pd.DataFrame) -> pd.DataFrame:
    """The rows of a rated frame whose indicator applies to their unit: what a unit's page lists.

    Every row of a frame without a ``state`` column (rated by an older version, or built by hand).
    """
    return rated[_applies(rated)]


def _applies(rated: pd.DataFrame) -> np.ndarray:
    """Per row: whether the indicator applies to the unit (True for every row without ``state``)."""
    if "state" not in rated.columns:
        return np.ones(len(rated), dtype=bool)
    return (rated["state"] != RatingState.NOT_APPLICABLE.value).to_numpy(dtype=bool)


def _no_thresholds(rated: pd.DataFrame) -> pd.Series:
    """Rows without thresholds for their financial year (whatever else keeps them unrated)."""
    if "thresholds_year" in rated.columns:
        return rated["thresholds_year"].isna()
    if "state" in rated.columns:
        return rated["state"] == RatingState.NO_THRESHOLDS.value
    return pd.Series(False, index=rated.index)


def summary_counts(rated: pd.DataFrame) -> pd.DataFrame:
    """Counts of RAG ratings and directions of travel per ``unit`` and ``month`` of a rated frame,
    over the rows that apply to the unit (:func:`applicable_rows`). ``not_rated`` counts the
    applicable rows without a RAG, ``no_thresholds`` those whose financial year has no thresholds."""
    applies = _applies(rated)
    keys = [rated["unit"], rated["month"]]
    counts = {
        "green": rated["rag"] == RAG.GREEN.value,
        "amber": rated["rag"] == RAG.AMBER.value,
        "red": rated["rag"] == RAG.RED.value,
        "not_rated": rated["rag"].isna(),
        "no_thresholds": _no_thresholds(rated),
    }
    for name in ("previous", "outturn"):
        for direction in Direction:
            counts[f"{direction.value}_{name}"] = rated[f"dot_{name}"] == direction.value
    # every unit and month keeps its row (zeros when nothing applies to it)
    counts = {name: mask.to_numpy(dtype=bool) & applies for name, mask in counts.items()}
    frame = pd.DataFrame(counts, index=rated.index).groupby(keys, observed=True, sort=True).sum()
    outturn = rated.groupby(keys, observed=True, sort=True)["outturn_month"].first()
    return frame.astype(int).assign(outturn_month=outturn).reset_index()[
        ["unit", "month", *COUNT_COLUMNS, "outturn_month"]
    ]


def _n(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


def summary_sentence(rated: pd.DataFrame, unit: str, month: Any) -> str:
    """The scorecard's summary in the published structure, for one unit and month.

    "As at 31/05/2015, Kent has 20 indicators rated as Green, 20 indicators rated as Amber and 3
    indicators rated as Red. When comparing performance from last month to this month, ..."

    Only the indicators that apply to the unit count. When the month's financial year has no
    thresholds the sentence says so ("Kent has no thresholds for 2020/21: 44 indicators not
    rated") instead of counting no Green, Amber or Red.
    """
    period = to_month(month)
    chosen = rated[(rated["unit"] == unit) & (rated["month"] == period)]
    counts = summary_counts(chosen)
    if counts.empty:
        raise KeyError(f"no rated results for unit {unit!r} in {period}")
    return _sentence(counts.iloc[0], applicable_rows(chosen), unit, period)


def summary_sentences(rated: pd.DataFrame, month: Any) -> dict[Any, str]:
    """:func:`summary_sentence` of every unit with results in ``month``, counted in one pass (a
    report shows one per unit)."""
    period = to_month(month)
    chosen = rated[rated["month"] == period]
    rows = applicable_rows(chosen)
    by_unit = dict(tuple(rows.groupby("unit", sort=False, observed=True)))
    return {
        c["unit"]: _sentence(c, by_unit.get(c["unit"], rows.iloc[:0]), c["unit"], period)
        for _, c in summary_counts(chosen).iterrows()
    }


def _sentence(c: pd.Series, rows: pd.DataFrame, unit: Any, period: pd.Period) -> str:
    """The summary sentence from a unit's :func:`summary_counts` row ``c`` and its applicable
    ``rows`` of the month."""
    as_at = period.to_timestamp(how="end").strftime("%d/%m/%Y")
    if rows.empty:
        return f"As at {as_at}, no indicator of the scorecard applies to {unit}."
    outturn = pd.Period(c["outturn_month"], freq="M").strftime("%B %y")

    def travel(name: str) -> str:
        improved, same, worsened = (int(c[f"{d.value}_{name}"]) for d in Direction)
        return (
            f"{_n(improved, 'indicator has', 'indicators have')} shown an improvement, "
            f"{_n(same, 'indicator has', 'indicators have')} remained the same and "
            f"{_n(worsened, 'indicator has', 'indicators have')} shown a reduction"
        )

    green, amber, red = int(c["green"]), int(c["amber"]), int(c["red"])
    missing = int(c["no_thresholds"])
    ratings = (
        f"{_n(green, 'indicator', 'indicators')} rated as Green, "
        f"{_n(amber, 'indicator', 'indicators')} rated as Amber and "
        f"{_n(red, 'indicator', 'indicators')} rated as Red"
    )
    if missing:
        year = _financial_year(rows)
        gap = f"no thresholds for {year}: {_n(missing, 'indicator', 'indicators')} not rated"
        ratings = gap if green + amber + red == 0 else f"{ratings}; {gap}"
    return (
        f"As at {as_at}, {unit} has {ratings}. "
        f"When comparing performance from last month to this month, {travel('previous')}. "
        f"When comparing performance from outturn ({outturn}) to this month, {travel('outturn')}."
    )


def _financial_year(rows: pd.DataFrame) -> str:
    if "financial_year" in rows.columns and rows["financial_year"].notna().any():
        return str(rows["financial_year"].dropna().iloc[0])
    return "the year"


def spc_sentences(rated: pd.DataFrame, month: Any) -> dict[Any, str]:
    """What statistical process control says of each unit in ``month``, in one sentence per unit:
    how many of the indicators that apply show a special cause of improvement, of concern or
    neither way (close-to-target indicators), and how many are consistently passing, consistently
    failing or hit and miss against their target. Reports print it after the summary sentence.

    Counts of indicators only (never of children); a frame without the SPC columns of
    :func:`scorecard.rating.spc.add_spc` gives ``{}``, and a unit without any process limits
    in the month says so."""
    if not {"spc_variation", "spc_assurance"} <= set(rated.columns):
        return {}
    period = to_month(month)
    chosen = rated[rated["month"] == period]
    rows = applicable_rows(chosen)
    units = pd.Index(chosen["unit"].unique())
    variation = _state_counts(rows, "spc_variation", [v.value for v in Variation], units)
    assurance = _state_counts(rows, "spc_assurance", [a.value for a in Assurance], units)
    return {
        unit: _spc_sentence(variation.loc[unit], assurance.loc[unit]) for unit in units
    }


def _state_counts(rows: pd.DataFrame, column: str, states: list[str], units: pd.Index) -> pd.DataFrame:
    """Rows of each unit (index ``units``) by ``column``'s value, one column per state (0 where none)."""
    counts = pd.crosstab(rows["unit"].astype(object), rows[column].astype(object))
    return counts.reindex(index=units, columns=states, fill_value=0).astype(int)


def _spc_sentence(variation: pd.Series, assurance: pd.Series) -> str:
    improvement, concern, neither, _common = (int(variation[v.value]) for v in Variation)
    passing, failing, hit_and_miss = (int(assurance[a.value]) for a in Assurance)
    if variation.sum() + assurance.sum() == 0:
        return "Statistical process control: no indicator has process limits this month."
    special = (
        f"special cause of improvement in {_n(improvement, 'indicator', 'indicators')}, "
        f"of concern in {concern} and neither way in {neither}"
    )
    against = (
        f"against the target, {_n(passing, 'indicator is', 'indicators are')} consistently "
        f"passing, {failing} consistently failing and {hit_and_miss} hit and miss"
    )
    return f"Statistical process control: {special}; {against}."

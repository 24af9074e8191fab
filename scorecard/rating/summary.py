"""RAG and direction-of-travel counts per unit and month, and the published summary sentence."""

from __future__ import annotations

from typing import Any

import pandas as pd

from scorecard.calendar.periods import to_month
from scorecard.rating.vocabulary import RAG, Direction

COUNT_COLUMNS = [
    "green", "amber", "red", "not_rated",
    "improved_previous", "same_previous", "worsened_previous",
    "improved_outturn", "same_outturn", "worsened_outturn",
]  # fmt: skip


def summary_counts(rated: pd.DataFrame) -> pd.DataFrame:
    """Counts of RAG ratings and directions of travel per ``unit`` and ``month`` of a rated frame."""
    keys = [rated["unit"], rated["month"]]
    counts = {
        "green": rated["rag"] == RAG.GREEN.value,
        "amber": rated["rag"] == RAG.AMBER.value,
        "red": rated["rag"] == RAG.RED.value,
        "not_rated": rated["rag"].isna(),
    }
    for name in ("previous", "outturn"):
        for direction in Direction:
            counts[f"{direction.value}_{name}"] = rated[f"dot_{name}"] == direction.value
    frame = pd.DataFrame(counts).groupby(keys, observed=True, sort=True).sum()
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
    """
    period = to_month(month)
    counts = summary_counts(rated[(rated["unit"] == unit) & (rated["month"] == period)])
    if counts.empty:
        raise KeyError(f"no rated results for unit {unit!r} in {period}")
    c = counts.iloc[0]
    as_at = period.to_timestamp(how="end").strftime("%d/%m/%Y")
    outturn = pd.Period(c["outturn_month"], freq="M").strftime("%B %y")

    def travel(name: str) -> str:
        improved, same, worsened = (int(c[f"{d.value}_{name}"]) for d in Direction)
        return (
            f"{_n(improved, 'indicator has', 'indicators have')} shown an improvement, "
            f"{_n(same, 'indicator has', 'indicators have')} remained the same and "
            f"{_n(worsened, 'indicator has', 'indicators have')} shown a reduction"
        )

    ratings = (
        f"{_n(int(c['green']), 'indicator', 'indicators')} rated as Green, "
        f"{_n(int(c['amber']), 'indicator', 'indicators')} rated as Amber and "
        f"{_n(int(c['red']), 'indicator', 'indicators')} rated as Red"
    )
    return (
        f"As at {as_at}, {unit} has {ratings}. "
        f"When comparing performance from last month to this month, {travel('previous')}. "
        f"When comparing performance from outturn ({outturn}) to this month, {travel('outturn')}."
    )

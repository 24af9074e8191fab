"""Notebook display: a ``.scorecard`` accessor on rated frames and a rich display of a Scorecard.

>>> rated.scorecard.table("Kent", "2015-05")     # the unit's scorecard table   # doctest: +SKIP
>>> rated.scorecard.style("Kent", "2015-05")     # the same, coloured by RAG    # doctest: +SKIP
>>> card                                         # in Jupyter: summary + coloured county table
>>> card.table("North")                          # in Jupyter: any unit's table, coloured
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, ClassVar

import pandas as pd

# `import scorecard` imports this module to register the accessor: the report model (rating,
# validation, calendar) and pandas' Styler (jinja2) are imported by the functions that use them.
if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

DISPLAY_COLUMNS = {
    "ref": "Ref",
    "title": "Indicator",
    "polarity": "Polarity",
    "period": "Data period",
    "result": "Result",
    "rag": "RAG",
    "numerator": "Numerator",
    "denominator": "Denominator",
    "target": "Target",
    "previous": "Previous",
    "dot_previous": "DoT",
    "outturn": "Outturn",
    "dot_outturn": "DoT (outturn)",
}


class UnitTable(pd.DataFrame):
    """A unit's scorecard table (:func:`display_table`): a DataFrame of text that Jupyter shows
    as :func:`style_table` does, coloured by RAG with the indicator names left-aligned. What is
    derived from it (``.loc``, ``.head()``, ...) is a plain DataFrame."""

    _metadata: ClassVar[list[str]] = ["unit_name", "month"]

    @property
    def _constructor(self) -> type[pd.DataFrame]:
        return pd.DataFrame

    def styled(self) -> Styler:
        """The table as a pandas Styler (RAG colours, escaped text)."""
        return _style(pd.DataFrame(self), self.unit_name, self.month)

    def _repr_html_(self) -> str:
        return self.styled().to_html()


def unit_table_of(frame: pd.DataFrame, unit: str, month: object) -> UnitTable:
    """:func:`display_table` as a :class:`UnitTable` (rich display in Jupyter)."""
    from scorecard.calendar.periods import to_month

    table = UnitTable(display_table(frame, unit, month))
    table.unit_name, table.month = unit, to_month(month)
    return table


def display_table(frame: pd.DataFrame, unit: str, month: object) -> pd.DataFrame:
    """The unit's table as text, formatted as published (values, arrows, ``-`` for none): the
    indicators that apply to the unit; a row without a rating shows why in the RAG column
    ("below the minimum denominator", "no thresholds for the year", ...); a partial figure is
    marked ``(partial: ...)``."""
    from scorecard.reports.model import (
        DOT_ARROWS,
        format_count,
        format_value,
        partial_text,
        state_label,
        unit_table,
    )

    table = unit_table(frame, unit, month)
    units = table["value_unit"]
    shown = pd.DataFrame(
        {
            "ref": table["ref"],
            "title": table["title"],
            "polarity": table["polarity"],
            "period": table["period"],
            "result": [
                f"{format_value(v, u)} ({partial_text(p, n)})" if p else format_value(v, u)
                for v, u, p, n in zip(
                    table["value"], units, table["partial"], table["partial_note"], strict=True
                )
            ],
            "rag": [
                str(rag) if pd.notna(rag) else state_label(state)
                for rag, state in zip(table["rag"], table["state"], strict=True)
            ],
            "numerator": table["numerator"].map(format_count),
            "denominator": table["denominator"].map(format_count),
            "target": [format_value(v, u) for v, u in zip(table["target"], units, strict=True)],
            "previous": [
                format_value(v, u) for v, u in zip(table["previous_value"], units, strict=True)
            ],
            "dot_previous": table["dot_previous"].astype(object).map(DOT_ARROWS).fillna(""),
            "outturn": [
                format_value(v, u) for v, u in zip(table["outturn_value"], units, strict=True)
            ],
            "dot_outturn": table["dot_outturn"].astype(object).map(DOT_ARROWS).fillna(""),
        }
    )
    return shown.rename(columns=DISPLAY_COLUMNS)


def style_table(frame: pd.DataFrame, unit: str, month: object) -> Styler:
    """:func:`display_table` as a pandas Styler with RAG-coloured result cells and left-aligned
    indicator names (text escaped)."""
    from scorecard.calendar.periods import to_month

    return _style(display_table(frame, unit, month), unit, to_month(month))


def _style(shown: pd.DataFrame, unit: str, month: pd.Period) -> Styler:
    from scorecard.reports.model import NOT_RATED_COLOUR, RAG_COLOURS

    colours = shown["RAG"].map(RAG_COLOURS).fillna(NOT_RATED_COLOUR)

    def colour(column: pd.Series) -> list[str]:
        return [f"background-color: {c}" for c in colours]

    name = DISPLAY_COLUMNS["title"]
    return (
        shown.style.hide(axis="index")
        .apply(colour, subset=["Result", "RAG"])
        .set_properties(subset=[name], **{"text-align": "left"})
        .set_table_styles(
            [{"selector": f"th.col{shown.columns.get_loc(name)}", "props": "text-align: left;"}]
        )
        .format(escape="html")
        .set_caption(html.escape(f"Scorecard - {unit}, {month.strftime('%B %Y')}"))
    )


@pd.api.extensions.register_dataframe_accessor("scorecard")
class ScorecardAccessor:
    """``rated.scorecard``: views of a rated results frame (the output of ``rate``)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        missing = {"unit", "month", "rag", "ref"} - set(frame.columns)
        if missing:
            raise AttributeError(f"not a rated results frame: no column(s) {sorted(missing)}")
        self._frame = frame

    def _month(self, month: object | None) -> pd.Period:
        from scorecard.calendar.periods import to_month

        return to_month(month) if month is not None else self._frame["month"].max()

    def _unit(self, unit: str | None) -> str:
        if unit is not None:  # any case; an unknown name lists the closest
            from scorecard.measures.compute import find_unit

            return find_unit(self._frame["unit"].unique(), unit)
        if "level" in self._frame.columns and (self._frame["level"] == "county").any():
            return str(self._frame.loc[self._frame["level"] == "county", "unit"].iloc[0])
        return str(self._frame["unit"].iloc[0])

    def table(self, unit: str | None = None, month: object | None = None) -> UnitTable:
        """The unit's scorecard table (default: the county, the latest month), shown coloured by
        RAG in Jupyter."""
        return unit_table_of(self._frame, self._unit(unit), self._month(month))

    def style(self, unit: str | None = None, month: object | None = None) -> Styler:
        """The unit's scorecard table coloured by RAG."""
        return style_table(self._frame, self._unit(unit), self._month(month))

    def summary(self, unit: str | None = None, month: object | None = None) -> str:
        """The published summary sentence."""
        from scorecard.reports.model import summary_sentence

        return summary_sentence(self._frame, self._unit(unit), self._month(month))


def scorecard_html(frame: pd.DataFrame, unit: str, month: object) -> str:
    """Summary sentence and coloured table for a notebook (everything escaped)."""
    from scorecard.calendar.periods import to_month
    from scorecard.reports.model import summary_sentence

    sentence = html.escape(summary_sentence(frame, unit, to_month(month)))
    return f"<p>{sentence}</p>{style_table(frame, unit, month).to_html()}"

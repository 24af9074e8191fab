"""The whole pipeline in one call: extracts -> results for every unit and month -> rated scorecard.

>>> import scorecard as sc
>>> card = sc.compute_scorecard("data/extracts", "2014-05", "2015-05", county="Kent")  # doctest: +SKIP
>>> card.frame                      # every indicator, unit and month, rated
>>> card.summary_sentence("Kent")   # latest month
>>> card.drill_down("cp_plans_18_months", "Kent", "2015-05")
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pandas as pd

from scorecard.calendar.periods import to_month
from scorecard.extracts import Extracts, load_extracts, quality_report
from scorecard.measures.compute import DEFAULT_COUNTY, Computation, compute, month_range
from scorecard.rating import rate, summary_sentence
from scorecard.registry import Registry, load_registry
from scorecard.reports.notebook import scorecard_html


@dataclass(frozen=True)
class Scorecard:
    """A rated scorecard: ``frame`` (rated results), the computation behind it, its registry and
    ``quality``, the data-quality report that comes with it (rows loaded and excluded per extract,
    absent extracts, skipped checks, indicators that could not be computed)."""

    frame: pd.DataFrame
    computation: Computation
    registry: Registry
    county: str
    quality: pd.DataFrame | None = None

    @property
    def months(self) -> pd.PeriodIndex:
        return pd.PeriodIndex(sorted(self.frame["month"].unique()), freq="M")

    @property
    def latest_month(self) -> pd.Period:
        return self.months[-1]

    def summary_sentence(self, unit: str | None = None, month: object | None = None) -> str:
        """The published summary sentence for a unit (default: the county) and month (latest)."""
        return summary_sentence(
            self.frame,
            unit if unit is not None else self.county,
            to_month(month) if month is not None else self.latest_month,
        )

    def drill_down(self, indicator: str, unit: str, month: object) -> pd.DataFrame:
        """Record ids behind a figure (person-level: for analysts, never for publication)."""
        return self.computation.drill_down(indicator, unit, month)

    def table(self, unit: str | None = None, month: object | None = None) -> pd.DataFrame:
        """A unit's scorecard table as published (default: the county, the latest month)."""
        return self.frame.scorecard.table(unit or self.county, month or self.latest_month)

    def _repr_html_(self) -> str:
        return scorecard_html(self.frame, self.county, self.latest_month)

    def __repr__(self) -> str:
        units = self.frame["unit"].nunique()
        return (
            f"<Scorecard {self.county}: {len(self.registry)} indicators, {units} units, "
            f"{self.months[0]} to {self.latest_month}>"
        )


def compute_scorecard(
    extracts: Extracts | str | os.PathLike[str],
    first_month: object,
    last_month: object | None = None,
    *,
    registry: Registry | None = None,
    county: str = DEFAULT_COUNTY,
    as_of: object | None = None,
) -> Scorecard:
    """Load (if given a folder) and compute every indicator for the months ``first_month`` to
    ``last_month`` (default: just ``first_month``), for every team, area and the county, and rate
    them. Give at least 13 months for a year's trend and the previous-month direction of travel,
    and include March of the previous financial year for the outturn direction.

    ``as_of`` is the extraction date: records dated after it are excluded and counted in the
    data-quality report. It defaults to the last day of ``last_month`` when loading a folder.
    """
    registry = registry if registry is not None else load_registry()
    months = month_range(first_month, last_month if last_month is not None else first_month)
    if isinstance(extracts, Extracts):
        loaded = extracts
    else:
        loaded = load_extracts(extracts, as_of=as_of if as_of is not None else months[-1])
    computation = compute(loaded, months, registry, county=county)
    rated = rate(computation.results, registry)
    return Scorecard(rated, computation, registry, county, scorecard_quality(loaded, rated))


def scorecard_quality(extracts: Extracts, rated: pd.DataFrame) -> pd.DataFrame:
    """The extracts' :func:`quality_report` plus one row per indicator that was not computable."""
    report = quality_report(extracts)
    notes = rated.loc[rated["note"].notna(), ["indicator", "note"]].drop_duplicates("indicator")
    missing = pd.DataFrame(
        {
            "section": "not computable",
            "extract": pd.NA,
            "column": pd.NA,
            "check": notes["indicator"].to_numpy(),
            "rows": pd.NA,
            "detail": notes["note"].to_numpy(),
        }
    )
    return pd.concat([report, missing], ignore_index=True) if len(missing) else report

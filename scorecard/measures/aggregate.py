"""Roll record-level rows up to teams, areas and the county.

A team's numerator and denominator are the sums of its records' contributions; an area's and the
county's are the sums over their teams (teams with a blank area roll up to the county directly).
Every unit gets a row for every month, so a unit with nothing to count shows a denominator of 0
(no result) rather than disappearing; a count indicator shows 0.
"""

from __future__ import annotations

from enum import Enum

import numpy as np
import pandas as pd

from scorecard.registry.model import ValueUnit


class Level(str, Enum):
    TEAM = "team"
    AREA = "area"
    COUNTY = "county"


RESULT_COLUMNS = ["indicator", "unit", "level", "month", "numerator", "denominator", "value"]


def unit_table(organisation: pd.DataFrame, county: str) -> pd.DataFrame:
    """``team -> unit, level`` pairs: a team belongs to the county, its area (if any) and itself."""
    teams = organisation["team"].astype("string")
    areas = organisation["area"].astype("string")
    parts = [  # county first, then areas, then teams: the order reports show them in
        pd.DataFrame({"team": teams, "unit": county, "level": Level.COUNTY.value}),
        pd.DataFrame({"team": teams, "unit": areas, "level": Level.AREA.value})[areas.notna()],
        pd.DataFrame({"team": teams, "unit": teams, "level": Level.TEAM.value}),
    ]
    return pd.concat(parts, ignore_index=True)


def result_values(numerator: pd.Series, denominator: pd.Series, unit: ValueUnit) -> pd.Series:
    """``numerator * scale / denominator``; a count's value is its numerator; 0 denominator -> NA."""
    if not unit.has_denominator:
        return numerator.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        values = numerator * unit.scale / denominator
    return values.where(denominator > 0)


def roll_up(
    rows: pd.DataFrame,
    name: str,
    unit: ValueUnit,
    months: pd.PeriodIndex,
    units: pd.DataFrame,
) -> pd.DataFrame:
    """Results named ``name`` (an indicator id) for every unit of ``units`` and every month, from
    record-level ``rows`` measured in ``unit``."""
    by_team = rows.groupby(["team", "month"], observed=True)[["numerator", "denominator"]].sum(
        min_count=1
    )
    # every unit, team and month (units x months, unit-major), with the team's sums (or missing)
    every_month = np.tile(np.arange(len(months)), len(units))
    grid_months = months[every_month]
    grid_teams = units["team"].repeat(len(months)).reset_index(drop=True)
    sums = by_team.reindex(pd.MultiIndex.from_arrays([grid_teams, grid_months]))
    joined = pd.DataFrame(
        {
            "unit": units["unit"].repeat(len(months)).reset_index(drop=True),
            "level": units["level"].repeat(len(months)).reset_index(drop=True),
            "month": grid_months,
            "numerator": sums["numerator"].to_numpy(),
            "denominator": sums["denominator"].to_numpy(),
        }
    )
    summed = joined.groupby(["unit", "level", "month"], observed=True, sort=False)[
        ["numerator", "denominator"]
    ].sum()  # missing contributions sum to 0
    summed = summed.reset_index()
    if not unit.has_denominator:
        summed["denominator"] = np.nan
    summed["value"] = result_values(summed["numerator"], summed["denominator"], unit)
    summed.insert(0, "indicator", name)
    return summed[RESULT_COLUMNS]

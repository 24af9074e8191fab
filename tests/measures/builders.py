"""Tiny hand-built extracts for measure tests.

``build(referrals=[{...}, ...], ...)`` takes only the columns a test cares about; every other column
of the extract is filled with a neutral value (blank where the column is nullable, ``False`` for a
required flag, the first code for a required code), and the result goes through the real
validation, so a test can never feed the engine something the loader would refuse.

The default organisation has two areas and a county-wide team:

    team   area   team_type
    A1     North  assessment_and_family_support
    C1     North  children_in_care
    A2     South  assessment_and_family_support
    F      -      fostering            (rolls up to the county directly)
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from scorecard.extracts import SPECS, Extracts, validate_extracts
from scorecard.measures import Computation, compute
from scorecard.registry import load_registry

COUNTY = "Shire"
ORGANISATION = pd.DataFrame(
    {
        "team": ["A1", "C1", "A2", "F"],
        "area": ["North", "North", "South", None],
        "team_type": ["assessment_and_family_support", "children_in_care",
                      "assessment_and_family_support", "fostering"],
    }
)  # fmt: skip


def _filled(name: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows) if rows else pd.DataFrame(columns=list(SPECS[name].columns))
    for field in SPECS[name].fields:
        if field.name in frame.columns:
            continue
        if field.nullable:
            frame[field.name] = None
        elif field.kind == "bool":
            frame[field.name] = False
        elif field.kind == "code":
            frame[field.name] = field.codes[0]
        else:
            raise ValueError(f"{name}.{field.name} is required: give it in the test rows")
    return frame


def build(organisation: pd.DataFrame | None = None, **extracts: list[dict[str, Any]]) -> Extracts:
    """Validated extracts from rows given as dicts (dates as 'YYYY-MM-DD' strings)."""
    frames = {name: _filled(name, rows) for name, rows in extracts.items()}
    return validate_extracts(frames, ORGANISATION if organisation is None else organisation)


_registry = lru_cache(maxsize=1)(load_registry)


def run(extracts: Extracts, indicator: str | list[str], months: str | list[str]) -> Computation:
    """Compute indicator(s) for the given months with the bundled registry."""
    months = [months] if isinstance(months, str) else months
    wanted = [indicator] if isinstance(indicator, str) else indicator
    return compute(extracts, months, _registry(), county=COUNTY, indicators=wanted)


def figures(computation: Computation, unit: str, month: str) -> tuple[float, float]:
    """(numerator, denominator) of the single computed indicator for a unit and month."""
    results = computation.results
    row = results[(results["unit"] == unit) & (results["month"] == pd.Period(month, freq="M"))]
    assert len(row) == 1, row
    return float(row["numerator"].iloc[0]), float(row["denominator"].iloc[0])


def count(computation: Computation, unit: str, month: str) -> float:
    """The figure of a count indicator (which has no denominator)."""
    numerator, denominator = figures(computation, unit, month)
    assert np.isnan(denominator)
    return numerator

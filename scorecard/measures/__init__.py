"""Measures: the counting rules of the indicators, computed from case-level extracts.

:mod:`scorecard.measures.base` defines what a measure returns; one module per domain holds the
measures; :func:`compute` runs them for a range of months and rolls them up to teams, areas and the
county.
"""

from scorecard.measures.aggregate import Level, roll_up, unit_table
from scorecard.measures.base import (
    DOMAINS,
    Measure,
    MeasureInput,
    NotComputable,
    at_snapshots,
    in_period,
    measure,
    records,
    registered_measures,
)
from scorecard.measures.compute import Computation, compute, month_range

__all__ = [
    "DOMAINS",
    "Computation",
    "Level",
    "Measure",
    "MeasureInput",
    "NotComputable",
    "at_snapshots",
    "compute",
    "in_period",
    "measure",
    "month_range",
    "records",
    "registered_measures",
    "roll_up",
    "unit_table",
]

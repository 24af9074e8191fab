"""Closed vocabularies of the rating stage: RAG ratings and directions of travel."""

from __future__ import annotations

from enum import Enum

import pandas as pd


class RAG(str, Enum):
    """A rating. Values are the letters of the published scorecard."""

    RED = "R"
    AMBER = "A"
    GREEN = "G"

    @property
    def label(self) -> str:
        match self:
            case RAG.RED:
                return "Red"
            case RAG.AMBER:
                return "Amber"
            case RAG.GREEN:
                return "Green"


class Direction(str, Enum):
    """Direction of travel of a result, judged with the indicator's polarity."""

    IMPROVED = "improved"
    SAME = "same"
    WORSENED = "worsened"


class RatingState(str, Enum):
    """Why a result has, or has no, RAG rating: one state per row of a rated frame (``state``).

    The states are distinct and shown as such in every output; a unit's page lists every row
    whose state is not :attr:`NOT_APPLICABLE`.
    """

    RATED = "rated"
    NOT_APPLICABLE = "not applicable"  # the indicator does not apply to this unit (level or team type)
    EXTRACT_ABSENT = "extract absent"  # an extract the measure needs was not supplied
    NO_DATA = "no data"  # no records in the period: nothing to compute a value from
    NO_THRESHOLDS = "no thresholds"  # no thresholds for the month's financial year
    NOT_RATED_AT_LEVEL = "not rated at this level"  # thresholds hold for other levels only
    BELOW_MINIMUM = "below minimum"  # denominator below the minimum denominator

    @property
    def label(self) -> str:
        """The words shown for the state in reports."""
        match self:
            case RatingState.RATED:
                return "rated"
            case RatingState.NOT_APPLICABLE:
                return "does not apply"
            case RatingState.EXTRACT_ABSENT:
                return "extract absent"
            case RatingState.NO_DATA:
                return "no data in the period"
            case RatingState.NO_THRESHOLDS:
                return "no thresholds for the year"
            case RatingState.NOT_RATED_AT_LEVEL:
                return "thresholds not set at this level"
            case RatingState.BELOW_MINIMUM:
                return "below the minimum denominator"


#: Categorical dtypes used in result frames (RAG ordered, worst first).
RAG_DTYPE = pd.CategoricalDtype([r.value for r in RAG], ordered=True)
DIRECTION_DTYPE = pd.CategoricalDtype([d.value for d in Direction], ordered=False)
STATE_DTYPE = pd.CategoricalDtype([s.value for s in RatingState], ordered=False)

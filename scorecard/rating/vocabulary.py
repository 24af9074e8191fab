"""Closed vocabularies of the rating stage: RAG ratings and directions of travel."""

from __future__ import annotations

from enum import Enum
from typing import assert_never

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


# --- statistical process control (scorecard.rating.spc) ------------------------------------------


class SpecialCause(str, Enum):
    """The special-cause rule that flags a point of an XmR chart, with the side it points to
    (``spc_special_cause``). A point flagged by several rules shows the first of: beyond a limit,
    a run increasing or decreasing, two of three beyond two sigma, a run on one side."""

    ABOVE_UPPER = "above the upper limit"
    BELOW_LOWER = "below the lower limit"
    RUN_INCREASING = "run increasing"
    RUN_DECREASING = "run decreasing"
    TWO_OF_THREE_HIGH = "two of three high"
    TWO_OF_THREE_LOW = "two of three low"
    RUN_ABOVE = "run above the centre"
    RUN_BELOW = "run below the centre"

    @property
    def side(self) -> int:
        """+1 when the rule points to higher values, -1 to lower ones."""
        match self:
            case (SpecialCause.ABOVE_UPPER | SpecialCause.RUN_INCREASING
                  | SpecialCause.TWO_OF_THREE_HIGH | SpecialCause.RUN_ABOVE):  # fmt: skip
                return 1
            case (SpecialCause.BELOW_LOWER | SpecialCause.RUN_DECREASING
                  | SpecialCause.TWO_OF_THREE_LOW | SpecialCause.RUN_BELOW):  # fmt: skip
                return -1
            case _:
                assert_never(self)


class Variation(str, Enum):
    """A point's variation read with the indicator's polarity (``spc_variation``), as the "Making
    Data Count" variation icons: special cause of improvement or concern (H and L), special cause
    "neither" (T: no direction is better, so a special cause is neither good nor bad; which side
    is in ``spc_special_cause``), or common cause."""

    IMPROVEMENT = "improvement"
    CONCERN = "concern"
    NEITHER = "neither"
    COMMON_CAUSE = "common cause"


class Assurance(str, Enum):
    """Whether the process, as its limits describe it, meets the month's target (``spc_assurance``):
    every value between the limits passes, none does, or some do and some do not."""

    PASSING = "consistently passing"
    FAILING = "consistently failing"
    HIT_AND_MISS = "hit and miss"


class TrendDirection(str, Enum):
    """Direction of travel by regression (``trend_direction``): the 95% interval of the slope
    lies above or below zero (improving / worsening, read with the polarity; for T, where no
    direction is better, rising / falling), or holds zero (no clear change)."""

    IMPROVING = "improving"
    WORSENING = "worsening"
    RISING = "rising"
    FALLING = "falling"
    NO_CLEAR_CHANGE = "no clear change"


SPECIAL_CAUSE_DTYPE = pd.CategoricalDtype([c.value for c in SpecialCause], ordered=False)
VARIATION_DTYPE = pd.CategoricalDtype([v.value for v in Variation], ordered=False)
ASSURANCE_DTYPE = pd.CategoricalDtype([a.value for a in Assurance], ordered=False)
TREND_DTYPE = pd.CategoricalDtype([t.value for t in TrendDirection], ordered=False)

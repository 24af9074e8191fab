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


#: Ordered categorical dtypes used in result frames (worst first).
RAG_DTYPE = pd.CategoricalDtype([r.value for r in RAG], ordered=True)
DIRECTION_DTYPE = pd.CategoricalDtype([d.value for d in Direction], ordered=False)

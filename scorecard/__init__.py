"""scorecard: the monthly performance scorecard of a children's social care service.

Typical use in a notebook::

    import pandas as pd
    import scorecard as sc

    registry = sc.load_registry()                     # indicators.yaml + rag_rules/
    rated = sc.rate(pd.read_csv("results.csv"), registry)
    print(sc.summary_sentence(rated, "Kent", "2015-05"))
"""

from scorecard.errors import DataError, OutputError, ScorecardError, UsageError
from scorecard.extracts import (
    Extracts,
    ExtractValidationError,
    Manifest,
    ManifestError,
    load_extracts,
    validate_extracts,
)
from scorecard.measures import Computation, compute, month_range
from scorecard.pipeline import CoverageError, Scorecard, compute_scorecard
from scorecard.rating import (
    RAG,
    Direction,
    RatingState,
    ResultsError,
    applicable_rows,
    compare_ratings,
    rate,
    summary_counts,
    summary_sentence,
)
from scorecard.registry import (
    Polarity,
    Registry,
    RegistryError,
    default_registry_path,
    load_registry,
)

__version__ = "0.1.0"

__all__ = [
    "RAG",
    "Computation",
    "CoverageError",
    "DataError",
    "Direction",
    "ExtractValidationError",
    "Extracts",
    "Manifest",
    "ManifestError",
    "OutputError",
    "Polarity",
    "RatingState",
    "Registry",
    "RegistryError",
    "ResultsError",
    "Scorecard",
    "ScorecardError",
    "UsageError",
    "applicable_rows",
    "compare_ratings",
    "compute",
    "compute_scorecard",
    "default_registry_path",
    "load_extracts",
    "load_registry",
    "month_range",
    "rate",
    "summary_counts",
    "summary_sentence",
    "validate_extracts",
]

"""scorecard: the monthly performance scorecard of a children's social care service.

Typical use in a notebook::

    import pandas as pd
    import scorecard as sc

    registry = sc.load_registry()                     # indicators.yaml + rag_rules/
    rated = sc.rate(pd.read_csv("results.csv"), registry)
    print(sc.summary_sentence(rated, "Kent", "2015-05"))

``import scorecard`` is quick: it loads pandas and registers the ``.scorecard`` accessor of a
DataFrame (:mod:`scorecard.reports.notebook`), and nothing else heavy. Each public name below (and
each subpackage such as ``scorecard.calendar``) is imported from its module the first time it is
used (PEP 562), so the validation, Excel, plotting and import machinery is loaded only by the code
that needs it. ``from scorecard import rate``, ``dir(scorecard)`` and tab completion work as usual.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from scorecard.errors import DataError, OutputError, ScorecardError, UsageError

# The accessor is registered as a side effect of this import: a frame read back from a CSV has
# ``frame.scorecard`` as soon as ``scorecard`` is imported (the module imports its helpers lazily).
from scorecard.reports import notebook as _notebook  # noqa: F401

if TYPE_CHECKING:  # what type checkers and editors see; at run time see __getattr__ below
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

#: Public name -> the module it comes from (imported on first use).
_LAZY: dict[str, str] = {
    **dict.fromkeys(
        ["Extracts", "ExtractValidationError", "Manifest", "ManifestError", "load_extracts",
         "validate_extracts"],
        "scorecard.extracts",
    ),
    **dict.fromkeys(["Computation", "compute", "month_range"], "scorecard.measures"),
    **dict.fromkeys(["CoverageError", "Scorecard", "compute_scorecard"], "scorecard.pipeline"),
    **dict.fromkeys(
        ["RAG", "Direction", "RatingState", "ResultsError", "applicable_rows", "compare_ratings",
         "rate", "summary_counts", "summary_sentence"],
        "scorecard.rating",
    ),
    **dict.fromkeys(
        ["Polarity", "Registry", "RegistryError", "default_registry_path", "load_registry"],
        "scorecard.registry",
    ),
}  # fmt: skip

#: Subpackages that ``import scorecard`` used to load eagerly: ``scorecard.calendar`` etc. still
#: work after a plain ``import scorecard``.
_SUBPACKAGES = frozenset(
    {"calendar", "errors", "extracts", "measures", "pipeline", "rating", "registry", "reports"}
)

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


def __getattr__(name: str) -> Any:
    """A public name or subpackage, imported on first use (and kept, so this runs once a name)."""
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
    elif name in _SUBPACKAGES:
        value = importlib.import_module(f"{__name__}.{name}")
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__) | _SUBPACKAGES)

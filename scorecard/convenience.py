"""The top-level convenience functions ``scorecard.compute`` and ``scorecard.rate``.

The engine's own :func:`scorecard.measures.compute` and :func:`scorecard.rating.rate` need the
registry they work with; these two load the bundled one (``indicators.yaml`` and ``rag_rules/``,
checked against the measures' declarations) when none is given, as the command line does. Code
that keeps its own indicator set passes its registry to either.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from scorecard.measures.compute import DEFAULT_COUNTY

if TYPE_CHECKING:
    import pandas as pd

    from scorecard.extracts import Extracts
    from scorecard.measures.compute import Computation
    from scorecard.registry import Registry


def bundled_registry() -> Registry:
    """The bundled registry, checked against the measures' declarations."""
    from scorecard.measures.base import contracts
    from scorecard.registry import load_registry

    return load_registry(measures=contracts())


def compute(
    extracts: Extracts,
    months: Iterable[object] | pd.PeriodIndex,
    registry: Registry | None = None,
    county: str = DEFAULT_COUNTY,
    indicators: Iterable[str] | None = None,
) -> Computation:
    """:func:`scorecard.measures.compute`, with the bundled registry when ``registry`` is None."""
    from scorecard.measures.compute import compute as compute_with

    registry = registry if registry is not None else bundled_registry()
    return compute_with(extracts, months, registry, county=county, indicators=indicators)


def rate(results: pd.DataFrame, registry: Registry | None = None) -> pd.DataFrame:
    """:func:`scorecard.rating.rate`, with the bundled registry when ``registry`` is None."""
    from scorecard.rating import rate as rate_with

    return rate_with(results, registry if registry is not None else bundled_registry())

"""scorecard: the monthly performance scorecard of a children's social care service.

Typical use in a notebook::

    import pandas as pd
    import scorecard as sc

    registry = sc.load_registry()                     # indicators.yaml + rag_rules/
    rated = sc.rate(pd.read_csv("results.csv"), registry)
    print(sc.summary_sentence(rated, "Kent", "2015-05"))

``import scorecard`` is quick: each public name below (and each subpackage such as
``scorecard.calendar``) is imported from its module the first time it is used (PEP 562), so pandas
and the validation, Excel, plotting and import machinery are loaded only by the code that needs
them (``scorecard --help`` loads none of them). ``from scorecard import rate``, ``dir(scorecard)``
and tab completion work as usual. The ``.scorecard`` accessor of a DataFrame
(:mod:`scorecard.reports.notebook`) is registered by ``import scorecard`` when pandas is already
imported, else as soon as pandas is imported.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any

from scorecard.errors import DataError, OutputError, ScorecardError, UsageError

if TYPE_CHECKING:  # what type checkers and editors see; at run time see __getattr__ below
    from collections.abc import Sequence
    from importlib.machinery import ModuleSpec

    from scorecard.convenience import compute, rate
    from scorecard.extracts import (
        Extracts,
        ExtractValidationError,
        Manifest,
        ManifestError,
        load_extracts,
        validate_extracts,
    )
    from scorecard.measures import Computation, month_range
    from scorecard.measures.compute import NotComputedError, UnknownNameError
    from scorecard.pipeline import CoverageError, Scorecard, compute_scorecard
    from scorecard.rating import (
        RAG,
        Direction,
        RatingState,
        ResultsError,
        applicable_rows,
        compare_ratings,
        summary_counts,
        summary_sentence,
    )
    from scorecard.rating.spc import SpcSettings, add_spc
    from scorecard.registry import (
        Polarity,
        Registry,
        RegistryError,
        default_registry_path,
        load_registry,
    )
    from scorecard.registry.benchmarks import load_benchmarks
    from scorecard.reports.commentary import CommentaryError, load_commentary
    from scorecard.reports.movement import movements

__version__ = "0.1.0"

#: Public name -> the module it comes from (imported on first use).
_LAZY: dict[str, str] = {
    **dict.fromkeys(
        ["Extracts", "ExtractValidationError", "Manifest", "ManifestError", "load_extracts",
         "validate_extracts"],
        "scorecard.extracts",
    ),
    **dict.fromkeys(["Computation", "month_range"], "scorecard.measures"),
    **dict.fromkeys(["NotComputedError", "UnknownNameError"], "scorecard.measures.compute"),
    **dict.fromkeys(["SpcSettings", "add_spc"], "scorecard.rating.spc"),
    "load_benchmarks": "scorecard.registry.benchmarks",
    **dict.fromkeys(["CommentaryError", "load_commentary"], "scorecard.reports.commentary"),
    "movements": "scorecard.reports.movement",
    **dict.fromkeys(["compute", "rate"], "scorecard.convenience"),
    **dict.fromkeys(["CoverageError", "Scorecard", "compute_scorecard"], "scorecard.pipeline"),
    **dict.fromkeys(
        ["RAG", "Direction", "RatingState", "ResultsError", "applicable_rows", "compare_ratings",
         "summary_counts", "summary_sentence"],
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
    "CommentaryError",
    "Computation",
    "CoverageError",
    "DataError",
    "Direction",
    "ExtractValidationError",
    "Extracts",
    "Manifest",
    "ManifestError",
    "NotComputedError",
    "OutputError",
    "Polarity",
    "RatingState",
    "Registry",
    "RegistryError",
    "ResultsError",
    "Scorecard",
    "ScorecardError",
    "SpcSettings",
    "UnknownNameError",
    "UsageError",
    "add_spc",
    "applicable_rows",
    "compare_ratings",
    "compute",
    "compute_scorecard",
    "default_registry_path",
    "load_benchmarks",
    "load_commentary",
    "load_extracts",
    "load_registry",
    "month_range",
    "movements",
    "rate",
    "summary_counts",
    "summary_sentence",
    "validate_extracts",
]


# --------------------------------------------------------------------------------------------------
# The DataFrame accessor: a frame read back from a CSV has ``frame.scorecard`` once ``scorecard`` is
# imported, whichever of pandas and scorecard is imported first.

_ACCESSOR_MODULE = "scorecard.reports.notebook"  # registers the accessor when imported


class _AccessorAfterPandas:
    """A finder on ``sys.meta_path`` (importlib.abc.MetaPathFinder's protocol; the ABC itself costs
    an import of importlib.resources) that imports :mod:`scorecard.reports.notebook`, which
    registers the accessor, right after pandas has been imported, and then leaves the import system
    as it was: it finds nothing itself, it only adds that step to the spec the other finders give
    for ``pandas``, and removes itself once pandas is imported. A mere look-up
    (``importlib.util.find_spec("pandas")`` by another library) leaves it waiting."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname != "pandas":
            return None
        spec = None
        for finder in list(sys.meta_path):  # the other finders, in order, as the import system
            find = getattr(finder, "find_spec", None)
            if finder is not self and find is not None:
                spec = find(fullname, path, target)
                if spec is not None:
                    break
        loader = spec.loader if spec is not None else None
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        exec_module = loader.exec_module

        def exec_then_register(module: ModuleType) -> None:
            try:
                exec_module(module)
            finally:
                vars(loader).pop("exec_module", None)  # the loader's own method again
            if self in sys.meta_path:
                sys.meta_path.remove(self)
            try:
                importlib.import_module(_ACCESSOR_MODULE)
            except Exception as exc:  # noqa: BLE001 - never make `import pandas` fail
                import warnings

                warnings.warn(f"scorecard: the DataFrame accessor .scorecard is not available: "
                              f"{type(exc).__name__}: {exc}", RuntimeWarning, stacklevel=2)  # fmt: skip

        try:
            loader.exec_module = exec_then_register  # type: ignore[method-assign]
        except (AttributeError, TypeError):  # a loader without instance attributes: not hooked
            return spec
        return spec


def _is_ours(finder: object) -> bool:
    # by name, so that a finder left by this module before an importlib.reload counts too
    kind = type(finder)
    return kind.__module__ == __name__ and kind.__qualname__ == _AccessorAfterPandas.__qualname__


def _register_accessor() -> None:
    if "pandas" in sys.modules:
        importlib.import_module(_ACCESSOR_MODULE)
    elif not any(_is_ours(finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _AccessorAfterPandas())


_register_accessor()


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
    """The public names, the subpackages (loaded or not) and the module's dunders: what tab
    completion offers (not this module's own helpers and imports)."""
    loaded = {name for name, value in globals().items()
              if isinstance(value, ModuleType) and value.__name__ == f"{__name__}.{name}"}  # fmt: skip
    dunders = {name for name in globals() if name.startswith("__")}
    return sorted(set(__all__) | _SUBPACKAGES | loaded | dunders)

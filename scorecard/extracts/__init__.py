"""Canonical case-level extracts: schemas, loading from a folder, validation at the boundary.

The indicator engine reads only canonical extracts (see ``docs/extracts.md``). Importers for the
CIN census, SSDA903 and Ofsted Annex A formats, or a local case management system, produce them;
:func:`load_extracts` (a folder of CSV/Parquet files) and :func:`validate_extracts` (in-memory
DataFrames) check them and return an immutable :class:`Extracts`, or raise one
:class:`ExtractValidationError` that lists every failure.
"""

from scorecard.extracts.container import Extracts
from scorecard.extracts.load import load_extracts, load_organisation, write_extracts
from scorecard.extracts.schemas import EXTRACT_NAMES, SCHEMAS, SPECS
from scorecard.extracts.spec import ExtractSpec, Field
from scorecard.extracts.validate import (
    FAILURE_COLUMNS,
    ExtractValidationError,
    ExtractWarning,
    validate_extracts,
)

__all__ = [
    "EXTRACT_NAMES",
    "FAILURE_COLUMNS",
    "SCHEMAS",
    "SPECS",
    "ExtractSpec",
    "ExtractValidationError",
    "ExtractWarning",
    "Extracts",
    "Field",
    "load_extracts",
    "load_organisation",
    "validate_extracts",
    "write_extracts",
]

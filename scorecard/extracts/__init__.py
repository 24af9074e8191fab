"""Canonical case-level extracts: schemas, loading from a folder, validation at the boundary.

The indicator engine reads only canonical extracts (see ``docs/extracts.md``). Importers for the
CIN census, SSDA903 and Ofsted Annex A formats, or a local case management system, produce them;
:func:`load_extracts` (a folder of CSV/Parquet files) and :func:`validate_extracts` (in-memory
DataFrames) check them and return an immutable :class:`Extracts`, or raise one
:class:`ExtractValidationError` that lists every failure. A few kinds of bad input exclude the
offending rows instead (records dated after the extraction date ``as_of``, exact copies of a row):
they are counted in ``Extracts.quality``, and :func:`quality_report` lists everything a reader of
the scorecard should know about the data (see ``docs/bad-input.md``).
"""

from scorecard.extracts.container import Extracts
from scorecard.extracts.load import (
    MAX_FILE_BYTES,
    ExtractFolderError,
    NotAFolderError,
    load_extracts,
    load_organisation,
    write_extracts,
)
from scorecard.extracts.manifest import (
    MANIFEST_NAME,
    Manifest,
    ManifestError,
    infer_manifest,
    read_manifest,
    write_manifest,
)
from scorecard.extracts.quality import (
    FINDING_COLUMNS,
    QUALITY_COLUMNS,
    REPORT_COLUMNS,
    format_quality_report,
    quality_report,
)
from scorecard.extracts.schemas import EXTRACT_NAMES, SCHEMAS, SPECS
from scorecard.extracts.spec import ExtractSpec, Field, NotAfter, Severity
from scorecard.extracts.validate import (
    FAILURE_COLUMNS,
    ExtractValidationError,
    ExtractWarning,
    validate_extracts,
)

__all__ = [
    "EXTRACT_NAMES",
    "FAILURE_COLUMNS",
    "FINDING_COLUMNS",
    "MANIFEST_NAME",
    "MAX_FILE_BYTES",
    "QUALITY_COLUMNS",
    "REPORT_COLUMNS",
    "SCHEMAS",
    "SPECS",
    "ExtractFolderError",
    "ExtractSpec",
    "ExtractValidationError",
    "ExtractWarning",
    "Extracts",
    "Field",
    "Manifest",
    "ManifestError",
    "NotAFolderError",
    "NotAfter",
    "Severity",
    "format_quality_report",
    "infer_manifest",
    "load_extracts",
    "load_organisation",
    "quality_report",
    "read_manifest",
    "validate_extracts",
    "write_extracts",
    "write_manifest",
]

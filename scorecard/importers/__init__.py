"""Importers of the national returns (SSDA903, CIN census, Ofsted Annex A) to canonical extracts.

Each importer reads one source's files and returns an :class:`ImportResult`: the canonical extracts
it can fill (frames with the canonical columns of ``scorecard.extracts.SPECS``; ``team`` left
missing where the source has none), an import report (rows read, mapped, repaired, excluded, by
reason) and what the source says about coverage. :mod:`scorecard.importers.combine` merges several
results (with a documented precedence), assigns teams and writes an extracts folder.
"""

from scorecard.importers.base import REPORT_COLUMNS, ImportResult, ReturnImportError, report_rows

__all__ = ["REPORT_COLUMNS", "ImportResult", "ReturnImportError", "report_rows"]

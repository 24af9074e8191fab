"""Importers of the national returns (SSDA903, CIN census, Ofsted Annex A) to canonical extracts.

Each importer reads one source's files and returns an :class:`ImportResult`: the canonical extracts
it can fill (frames with the canonical columns of ``scorecard.extracts.SPECS``; ``team`` left
missing where the source has none), an import report (rows read, mapped, repaired, excluded, by
reason) and what the source says about coverage. :mod:`scorecard.importers.combine` merges several
results (with a documented precedence), assigns teams and writes an extracts folder;
:mod:`scorecard.importers.coverage` says which indicators each source can feed. See
``docs/importers.md``.
"""

from scorecard.importers.annex_a import import_annex_a
from scorecard.importers.base import (
    REPORT_COLUMNS,
    ImportResult,
    ReturnImportError,
    report_row,
    report_rows,
)
from scorecard.importers.cin_census import InvalidRecords, import_cin_census
from scorecard.importers.combine import (
    PRECEDENCE,
    UNMAPPED_TEAM,
    TeamMapError,
    Teams,
    assign_teams,
    combine,
    read_team_map,
    report_summary,
    write_import,
)
from scorecard.importers.coverage import SOURCE_FILLS, SOURCES, coverage_table
from scorecard.importers.ssda903 import import_ssda903

__all__ = [
    "PRECEDENCE",
    "REPORT_COLUMNS",
    "SOURCES",
    "SOURCE_FILLS",
    "UNMAPPED_TEAM",
    "ImportResult",
    "InvalidRecords",
    "ReturnImportError",
    "TeamMapError",
    "Teams",
    "assign_teams",
    "combine",
    "coverage_table",
    "import_annex_a",
    "import_cin_census",
    "import_ssda903",
    "read_team_map",
    "report_row",
    "report_rows",
    "report_summary",
    "write_import",
]

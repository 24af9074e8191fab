"""What every importer returns: :class:`ImportResult`, and the import report's shape."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import pandas as pd

from scorecard.errors import DataError

#: Columns of an import report: one row per (source file, table, action, reason).
#: ``action``: ``read`` (rows read from the file), ``mapped`` (rows written to a canonical extract),
#: ``repaired`` (rows changed by a documented repair rule, e.g. an overlapping episode cut),
#: ``excluded`` (rows left out, with the reason), ``unknown_code`` (a value outside the DfE code
#: list: the row is kept or excluded as ``detail`` says), ``not_mapped`` (a table or field the
#: library does not use). ``rows`` is a count; ``detail`` names records by the return's own ids
#: (the report is for the analyst who runs the import, not for publication).
REPORT_COLUMNS = ("source", "file", "table", "action", "reason", "rows", "detail")


class ReturnImportError(DataError):
    """A return that cannot be imported; the message names the file, the record and the element
    or column at fault (every problem of the file at once where possible)."""


@dataclass(frozen=True)
class ImportResult:
    """One source's canonical extracts and what happened on the way.

    ``extracts``: canonical extract name -> frame holding that extract's canonical columns (values
    may still be text: ``scorecard.extracts.validate_extracts`` coerces and checks them).
    ``report``: :data:`REPORT_COLUMNS`. ``collection_years``: e.g. ``("2016/17", "2017/18")``.
    ``first_date_covered`` / ``extraction_date``: what the return says or implies (the start and
    end of its collection years), for the folder manifest.
    """

    source: str
    extracts: Mapping[str, pd.DataFrame]
    report: pd.DataFrame
    collection_years: tuple[str, ...] = ()
    first_date_covered: dt.date | None = None
    extraction_date: dt.date | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        object.__setattr__(self, "extracts", MappingProxyType(dict(self.extracts)))
        missing = [c for c in REPORT_COLUMNS if c not in self.report.columns]
        if missing:
            raise ValueError(f"import report without column(s) {missing}")


def report_row(
    source: str, file: str, table: str, action: str, reason: str, rows: int, detail: str = ""
) -> dict[str, object]:
    """One row of an import report (:data:`REPORT_COLUMNS`), ``rows`` as a plain int."""
    return {"source": source, "file": file, "table": table, "action": action, "reason": reason,
            "rows": int(rows), "detail": detail}  # fmt: skip


def report_rows(rows: Iterable[Mapping[str, object]]) -> pd.DataFrame:
    """An import report frame from dicts with the keys of :data:`REPORT_COLUMNS`."""
    frame = pd.DataFrame(list(rows), columns=list(REPORT_COLUMNS))
    return frame.astype({"rows": "int64"}) if len(frame) else frame

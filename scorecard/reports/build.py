"""The monthly outputs of ``scorecard build``: workbook, HTML, long results CSV, data quality.

Everything written here is meant for publication: aggregates only (no record-level rows, no child
ids), counts below ``suppress_below`` withheld, text guarded against spreadsheet formulas and
escaped in HTML. The drill-down stays available to analysts through the Python API.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from scorecard.calendar.periods import to_month
from scorecard.pipeline import Scorecard
from scorecard.reports.html import write_html
from scorecard.reports.model import (
    SUPPRESSED,
    publication_frame,
    publishable_text,
    quality_for_publication,
)
from scorecard.reports.safety import guard_formulas
from scorecard.reports.workbook import write_workbook

#: Columns of the long results CSV, in order.
RESULTS_CSV_COLUMNS = [
    "indicator", "ref", "title", "unit", "level", "month", "numerator", "denominator", "value",
    "target", "floor", "green_lower", "green_upper", "amber_lower", "amber_upper", "rag",
    "rag_note", "previous_value", "dot_previous", "outturn_month", "outturn_value", "dot_outturn",
    "note", "state", "partial", "partial_note", "suppressed", "previous_suppressed",
    "outturn_suppressed",
]  # fmt: skip
#: Columns of the results CSV shown as ``c`` in a withheld cell (and in a withheld previous or
#: outturn result and the direction of travel from it).
_CELL_COLUMNS = ["numerator", "denominator", "value", "rag", "rag_note", "dot_previous",
                 "dot_outturn"]  # fmt: skip
_PREVIOUS_COLUMNS = {"previous": ["previous_value", "dot_previous"],
                     "outturn": ["outturn_value", "dot_outturn"]}  # fmt: skip


def results_for_publication(card: Scorecard, suppress_below: int | None) -> pd.DataFrame:
    """The long results (every indicator, unit and month) as published: small numbers withheld
    over the organisation (see :mod:`scorecard.reports.suppression`) and shown as ``c`` (as are
    the rating, state and directions of a withheld cell, and a previous or outturn result whose
    own month is withheld, with the direction from it), each row's ``state`` and ``partial`` mark,
    text free of record ids and paths, guarded against spreadsheet formulas."""
    frame = publication_frame(card, suppress_below)
    columns = [c for c in RESULTS_CSV_COLUMNS if c in frame.columns]
    shown_as_c = [c for c in columns if c in _CELL_COLUMNS or c.endswith("_value") or c == "state"]
    ordered = frame[columns].sort_values(["ref", "month"], kind="stable")
    ordered = ordered.astype(dict.fromkeys(shown_as_c, object))
    hidden = ordered["suppressed"].to_numpy(dtype=bool)
    cell = [c for c in _CELL_COLUMNS if c in ordered.columns]
    ordered.loc[hidden, cell] = SUPPRESSED
    if "state" in ordered.columns:
        ordered.loc[hidden & ordered["state"].isna().to_numpy(), "state"] = SUPPRESSED
    for name, previous in _PREVIOUS_COLUMNS.items():
        flag = f"{name}_suppressed"
        if flag in ordered.columns:
            present = [c for c in previous if c in ordered.columns]
            ordered.loc[ordered[flag].to_numpy(dtype=bool), present] = SUPPRESSED
    for column in ("note", "partial_note"):
        if column in ordered.columns:
            ordered[column] = publishable_text(ordered[column])
    return guard_formulas(ordered)


def write_outputs(
    card: Scorecard,
    month: object,
    out: Path | str,
    *,
    suppress_below: int | None = None,
    quality: pd.DataFrame | None = None,
) -> dict[str, Path]:
    """Write the month's workbook, HTML report, results CSV and data-quality CSV into ``out``."""
    period = to_month(month)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"scorecard_{period}"
    paths = {
        "workbook": write_workbook(card, period, folder / f"{stem}.xlsx",
                                   suppress_below=suppress_below),  # fmt: skip
        "html": write_html(card, period, folder / f"{stem}.html", suppress_below=suppress_below),
        "results": folder / f"{stem}_results.csv",
    }
    results_for_publication(card, suppress_below).to_csv(paths["results"], index=False)
    if quality is not None:
        paths["data_quality"] = folder / f"{stem}_data_quality.csv"
        quality_for_publication(quality).to_csv(paths["data_quality"], index=False)
    return paths

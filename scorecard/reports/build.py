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
from scorecard.reports.model import suppress_small_counts
from scorecard.reports.safety import guard_formulas
from scorecard.reports.workbook import write_workbook

#: Columns of the long results CSV, in order.
RESULTS_CSV_COLUMNS = [
    "indicator", "ref", "title", "unit", "level", "month", "numerator", "denominator", "value",
    "target", "floor", "green_lower", "green_upper", "amber_lower", "amber_upper", "rag",
    "rag_note", "previous_value", "dot_previous", "outturn_month", "outturn_value", "dot_outturn",
    "note", "suppressed",
]  # fmt: skip


def results_for_publication(card: Scorecard, suppress_below: int | None) -> pd.DataFrame:
    """The long results (every indicator, unit and month) as published: suppressed and guarded."""
    frame = suppress_small_counts(card.frame, suppress_below)
    columns = [c for c in RESULTS_CSV_COLUMNS if c in frame.columns]
    ordered = frame[columns].sort_values(["ref", "month"], kind="stable")
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
        guard_formulas(quality).to_csv(paths["data_quality"], index=False)
    return paths

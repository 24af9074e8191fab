"""The monthly outputs of ``scorecard build``: workbook, HTML, long results CSV, data quality.

Everything written here is meant for publication: aggregates only (no record-level rows, no child
ids), counts below ``suppress_below`` withheld, text guarded against spreadsheet formulas and
escaped in HTML. The drill-down stays available to analysts through the Python API.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from scorecard.calendar.periods import to_month
from scorecard.pipeline import Scorecard
from scorecard.reports.html import write_html
from scorecard.reports.model import SUPPRESSED, publication_frame
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
    ordered = frame[columns].sort_values(["ref", "month"], kind="stable").astype(
        {c: object for c in columns if c in _CELL_COLUMNS or c.endswith("_value") or c == "state"}
    )
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


# --- the data-quality report as published ---------------------------------------------------------

#: Columns of a quality frame that hold record-level detail: never published.
_RECORD_COLUMNS = frozenset({"examples", "record", "row", "line", "value", "record_id",
                             "child_id", "findings"})  # fmt: skip
#: Columns of a quality frame that name a file: published as the file's name only.
_FILE_COLUMNS = frozenset({"file", "path", "source", "folder"})
#: Examples appended to a reason ("...; e.g. line 4 [child_id=C0005]; line 9 [...]").
_EXAMPLES = re.compile(r"[;,]?\s*\be\.g\.?[:,]?\s.*$", re.IGNORECASE | re.DOTALL)
#: A record identifier in brackets: ``[child_id=C0005]``, ``[referral_id=R9001, visit_id=V3]``.
_BRACKETED_IDS = re.compile(r"\s*\[[^\[\]]*=[^\[\]]*\]")
#: An identifier written out: ``child_id=C0005``, ``referral_id: R9001``.
_NAMED_IDS = re.compile(r"\b\w*_?id\s*[=:]\s*['\"]?[^\s,;)\]'\"]+['\"]?", re.IGNORECASE)
#: A line or row of a file: ``line 4``, ``rows 3, 5 and 9``.
_LINES = re.compile(r"\s*\(?\b(?:lines?|rows?)\s+\d+(?:\s*(?:,|-|and)\s*\d+)*\)?", re.IGNORECASE)
_SEGMENT = r"[^\s\\/;,'\"()\[\]<>|]+"
#: An absolute path (POSIX, home, Windows drive or UNC) or a relative path to a data file.
_PATHS = re.compile(
    rf"(?<![\w.\\/])(?:(?:[A-Za-z]:[\\/]|\\\\|~[\\/]|/){_SEGMENT}(?:[\\/]{_SEGMENT})*[\\/]?"
    rf"|(?:{_SEGMENT}[\\/])+{_SEGMENT}\.(?:csv|tsv|txt|parquet|pq|xlsx|xlsm|xls|ods|json|ya?ml))"
)


def _file_name(match: re.Match[str]) -> str:
    parts = [p for p in re.split(r"[\\/]", match.group(0)) if p and not p.endswith(":")]
    last = parts[-1] if parts else ""
    return last if "." in last else (f"{last}/" if last else "")


def publishable_text(values: pd.Series) -> pd.Series:
    """Text fit for publication: record identifiers, line-level examples and directory paths
    removed (a path keeps its file name: ``/home/a/extracts/referrals.csv`` -> ``referrals.csv``).
    Missing values stay missing."""
    text = values.astype("string")
    for pattern, replacement in ((_EXAMPLES, ""), (_BRACKETED_IDS, ""), (_NAMED_IDS, "")):
        text = text.str.replace(pattern, replacement, regex=True)
    text = text.str.replace(_PATHS, _file_name, regex=True)
    text = text.str.replace(_LINES, "", regex=True).str.replace(r"\s*\(\s*\)", "", regex=True)
    text = text.str.replace(r"\s{2,}", " ", regex=True).str.replace(r"\s+([;,.)])", r"\1", regex=True)
    return text.str.strip().str.strip(";,").str.strip()


def quality_for_publication(quality: pd.DataFrame | None) -> pd.DataFrame:
    """The data-quality report as published (the ``_data_quality.csv`` file, the HTML section and
    the workbook sheet): counts and reasons kept; record ids, line-level examples and record
    columns dropped, directory paths cut to the file name; text guarded against formulas."""
    if quality is None:
        return pd.DataFrame(columns=["section", "extract", "column", "check", "rows", "detail"])
    kept = [c for c in quality.columns if str(c).lower() not in _RECORD_COLUMNS]
    out = quality[kept].copy()
    for column in out.columns:
        series = out[column]
        if not (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
            continue
        text = series.astype("string")
        if str(column).lower() in _FILE_COLUMNS:
            text = text.str.replace(r"^.*[\\/](?=[^\\/]+$)", "", regex=True)
        out[column] = publishable_text(text).astype(object).where(series.notna(), np.nan)
    return guard_formulas(out.reset_index(drop=True))


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

"""Data quality: checks that exclude or count rows instead of failing, and the report of them.

Most bad input is an error (:class:`~scorecard.extracts.ExtractValidationError`): the load fails and
the message names the extract, column and rows. A few checks instead *exclude* the offending rows,
or *keep and count* them, because the rows are not wrong but out of scope (see ``docs/bad-input.md``
for the catalogue and the reasons):

- ``after_as_of``: a record dated after the extraction date ``as_of`` (a planned visit, a booked
  review, a referral received after the reporting period) is excluded; any other date after
  ``as_of`` (a closure recorded after the end of the period) is kept and counted. Checked only when
  ``as_of`` is given.
- ``duplicate_row``: an exact copy of an earlier row (every column equal) is excluded; two different
  rows sharing a key remain a ``duplicate_id`` error.
- ``parent_excluded``: a record referring to an excluded record (a review of an excluded plan) is
  excluded too, so that an exclusion never leaves orphans behind.

Which checks do what is data: every check of an :class:`~scorecard.extracts.spec.ExtractSpec` has a
``severity`` (``error``, ``exclude`` or ``warn``). Every excluded or counted row is recorded in
``Extracts.findings`` (one row per record, ids only) and summarised in ``Extracts.quality`` (one row
per extract, column and check, with the count, example record ids and the action taken), which also
records checks that could not run, blank lines ignored and columns dropped. :func:`quality_report`
turns an :class:`~scorecard.extracts.Extracts` into the table a reader of the scorecard needs.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np
import pandas as pd

from scorecard.errors import UsageError
from scorecard.extracts.schemas import EXTRACT_NAMES, SPECS, overlapping
from scorecard.extracts.spec import ExtractSpec, NoOverlap, Severity

if TYPE_CHECKING:
    from scorecard.extracts.container import Extracts

#: What was done about a finding: rows ``excluded`` from an extract, rows ``kept`` (and counted),
#: blank lines ``ignored``, a column ``dropped``, a file ``not read`` or a check ``skipped``.
Action = Literal["excluded", "kept", "ignored", "dropped", "not read", "skipped"]

#: An extraction date as accepted by :func:`to_as_of`.
AsOf = str | dt.date | pd.Timestamp | pd.Period | np.datetime64 | None

#: Columns of ``Extracts.findings``: the failure columns plus the action taken.
FINDING_COLUMNS = (
    "extract",
    "file",
    "column",
    "check",
    "detail",
    "row",
    "line",
    "record",
    "value",
    "action",
)

#: Columns of ``Extracts.quality``.
QUALITY_COLUMNS = ("extract", "file", "column", "check", "action", "rows", "detail", "examples")

#: Columns of :func:`quality_report`.
REPORT_COLUMNS = ("section", "extract", "column", "check", "rows", "detail")

#: Sections of :func:`quality_report`, in order.
SECTIONS = (
    "as_of",
    "loaded",
    "absent",
    "excluded",
    "kept",
    "ignored",
    "dropped",
    "not read",
    "skipped",
    "unknown_file",
)

_EXAMPLES = 5


# --------------------------------------------------------------------------------------------------
# The extraction date
# --------------------------------------------------------------------------------------------------


def to_as_of(value: object) -> pd.Timestamp | None:
    """The extraction date as a midnight ``Timestamp`` (``None`` stays ``None``).

    Accepts ``YYYY-MM-DD`` text, a ``date``/``datetime``/``Timestamp`` without a time of day, or a
    monthly ``Period`` (its last day: the end of the last reporting month). Anything else is a
    :class:`~scorecard.errors.UsageError` (a ``ValueError``): the date is never guessed.
    """
    if value is None:
        return None
    if isinstance(value, pd.Period):
        return pd.Timestamp(value.end_time).normalize()
    if isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise UsageError(f"as_of must be a date YYYY-MM-DD, not {value!r}")
        stamp = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    elif isinstance(value, (dt.date, np.datetime64)):
        stamp = pd.Timestamp(value)
    else:
        raise UsageError(f"as_of must be a date, not {type(value).__name__}")
    if pd.isna(stamp):
        raise UsageError(f"as_of is not a calendar date: {value!r}")
    stamp = pd.Timestamp(stamp)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_localize(None)
    if stamp != stamp.normalize():
        raise UsageError(f"as_of must be a date without a time of day, not {value!r}")
    return stamp


# --------------------------------------------------------------------------------------------------
# Row checks that are not part of the pandera schema
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RowCheck:
    """A vectorised row check applied outside pandera: ``fails(frame)`` is True for flagged rows.

    ``needs`` are the columns it reads (skipped when one is missing); flagged rows are reported
    against ``column`` (``None`` = the whole row).
    """

    column: str | None
    check: str
    detail: str
    severity: Severity
    needs: tuple[str, ...]
    fails: Callable[[pd.DataFrame], pd.Series]


def _later_than(column: str, as_of: pd.Timestamp) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda frame: (frame[column] > as_of).fillna(False).astype(bool)


def _before(earlier: str, later: str) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda frame: (frame[later] < frame[earlier]).fillna(False).astype(bool)


def _overlaps(rule: NoOverlap) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda frame: overlapping(frame, rule)


def _exact_copies(key: tuple[str, ...]) -> Callable[[pd.DataFrame], pd.Series]:
    """Rows equal in every column to an earlier row. Such rows share their ``key`` with it, so only
    the rows whose key repeats are compared in full."""

    def copies(frame: pd.DataFrame) -> pd.Series:
        flagged = pd.Series(False, index=frame.index)
        if len(frame) < 2:
            return flagged
        shared = frame.duplicated(list(key), keep=False).to_numpy() if key else None
        if shared is None:
            return frame.duplicated(keep="first")
        if shared.any():
            flagged[shared] = frame[shared].duplicated(keep="first").to_numpy()
        return flagged

    return copies


def row_checks(spec: ExtractSpec, as_of: pd.Timestamp | None) -> tuple[RowCheck, ...]:
    """The checks of ``spec`` applied outside pandera, in the order they are applied.

    These are the ``as_of`` checks (only when ``as_of`` is given), the exact-copy check and every
    date order, row rule and overlap rule whose severity is not ``error`` (error-severity rules are
    part of the pandera schema). An excluded row is attributed to the first check that flags it.
    """
    checks: list[RowCheck] = []
    if spec.duplicate_rows != "error":
        checks.append(
            RowCheck(
                None,
                "duplicate_row",
                "an exact copy of an earlier row (every column equal)",
                spec.duplicate_rows,
                spec.key,
                _exact_copies(spec.key),
            )
        )
    if as_of is not None:
        for limit in spec.not_after:
            checks.append(
                RowCheck(
                    limit.column,
                    limit.check,
                    limit.detail(as_of),
                    limit.severity,
                    (limit.column,),
                    _later_than(limit.column, as_of),
                )
            )
    for order in spec.date_orders:
        if order.severity != "error":
            checks.append(
                RowCheck(
                    order.later,
                    order.check,
                    order.detail,
                    order.severity,
                    (order.earlier, order.later),
                    _before(order.earlier, order.later),
                )
            )
    for rule in spec.rules:
        if rule.severity != "error":
            checks.append(
                RowCheck(
                    rule.column, rule.check, rule.detail, rule.severity, rule.columns, rule.fails
                )
            )
    for overlap in spec.no_overlap:
        if overlap.severity != "error":
            checks.append(
                RowCheck(
                    overlap.start,
                    "overlap",
                    overlap.detail,
                    overlap.severity,
                    (overlap.group, overlap.start, overlap.end),
                    _overlaps(overlap),
                )
            )
    return tuple(checks)


def applies(check: RowCheck, frame: pd.DataFrame) -> bool:
    """True if every column the check reads is in ``frame``."""
    return all(column in frame.columns for column in check.needs)


def flag(check: RowCheck, frame: pd.DataFrame) -> np.ndarray:
    """The check's boolean mask over ``frame`` (as a NumPy array)."""
    return check.fails(frame).fillna(False).astype(bool).to_numpy()


def dependency_order(specs: Mapping[str, ExtractSpec]) -> tuple[str, ...]:
    """Extract names ordered so that every extract comes after the extracts it refers to."""
    order: list[str] = []
    waiting = list(specs)
    while waiting:
        ready = [
            name
            for name in waiting
            if all(
                ref.target in order or ref.target == name or ref.target not in specs
                for ref in specs[name].references
            )
        ]
        if not ready:  # a cycle: keep the remaining ones in their given order
            ready = waiting[:]
        order += ready
        waiting = [name for name in waiting if name not in ready]
    return tuple(order)


# --------------------------------------------------------------------------------------------------
# The quality table
# --------------------------------------------------------------------------------------------------


def _empty(columns: Iterable[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def empty_findings() -> pd.DataFrame:
    """A new, empty findings frame."""
    return _empty(FINDING_COLUMNS)


def empty_quality() -> pd.DataFrame:
    """A new, empty quality frame."""
    frame = _empty(QUALITY_COLUMNS)
    return frame.astype({"rows": "Int64"})


def quality_entry(
    extract: str | None,
    file: str | None,
    column: str | None,
    check: str,
    action: Action,
    detail: str,
    rows: int | None = None,
    examples: str = "",
) -> pd.DataFrame:
    """One row of ``Extracts.quality`` that is not a count of records (a skipped check, a dropped
    column, blank lines ignored)."""
    frame = pd.DataFrame(
        [[extract, file, column, check, action, rows, detail, examples]],
        columns=list(QUALITY_COLUMNS),
    ).astype(object)
    return frame.astype({"rows": "Int64"})


def _given(value: Any) -> bool:
    """True unless ``value`` is ``None`` or a missing value."""
    return value is not None and not bool(pd.isna(value))


def _text(value: Any) -> str | None:
    return str(value) if _given(value) else None


def _where(line: Any, row: Any) -> str:
    return f"line {int(line)}" if _given(line) else f"row {row}"


def examples_of(group: pd.DataFrame, limit: int = _EXAMPLES) -> str:
    """Up to ``limit`` offending records as ``line 4 [visit_id=V3]`` (identifiers only)."""
    head = group.iloc[:limit]
    items = [
        f"{_where(line, row)} [{record}]" if _given(record) else _where(line, row)
        for line, row, record in zip(head["line"], head["row"], head["record"], strict=True)
    ]
    more = len(group) - len(head)
    return "; ".join(items) + (f"; +{more} more" if more > 0 else "")


def _rank(extract: Any) -> int:
    if not _given(extract):
        return -1
    rank = {name: i for i, name in enumerate(SPECS)}
    return rank.get(str(extract), len(rank))


def summarise(findings: pd.DataFrame, entries: Iterable[pd.DataFrame] = ()) -> pd.DataFrame:
    """``Extracts.quality``: ``findings`` counted per (extract, column, check, action), plus the
    ``entries`` (skipped checks, ignored lines, dropped columns), grouped by extract."""
    parts: list[pd.DataFrame] = []
    if len(findings):
        keys = ["extract", "file", "column", "check", "detail", "action"]
        grouped = findings.fillna({"column": ""}).groupby(keys, sort=False, dropna=False)
        for (extract, file, column, check, detail, action), group in grouped:
            parts.append(
                quality_entry(
                    _text(extract),
                    _text(file),
                    _text(column) or None,
                    str(check),
                    cast(Action, action),
                    str(detail),
                    rows=len(group),
                    examples=examples_of(group),
                )
            )
    parts += [entry for entry in entries if len(entry)]
    if not parts:
        return empty_quality()
    quality = pd.concat(parts, ignore_index=True)
    order = quality["extract"].map(_rank).to_numpy()
    quality = quality.iloc[np.argsort(order, kind="stable")].reset_index(drop=True)
    return quality.astype({"rows": "Int64"})


def excluded_counts(quality: pd.DataFrame) -> pd.Series:
    """Rows excluded per extract (extracts with none are left out)."""
    excluded = quality[quality["action"].eq("excluded")]
    return excluded.groupby("extract", sort=False)["rows"].sum().astype(int)


def did_you_mean(name: str, choices: Iterable[str]) -> str | None:
    """The closest of ``choices`` to ``name`` (compared in lower case), if any is close."""
    close = difflib.get_close_matches(name.lower(), list(choices), n=1)
    return close[0] if close else None


# --------------------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------------------


def _report_row(
    section: str,
    extract: str | None,
    detail: str,
    rows: int | None = None,
    column: str | None = None,
    check: str | None = None,
) -> list[object]:
    return [section, extract, column, check, rows, detail]


def quality_report(
    extracts: Extracts, used_by: Mapping[str, Sequence[int]] | None = None
) -> pd.DataFrame:
    """Everything a reader of a scorecard should know about the data behind it.

    One row per finding, in sections (column ``section``): ``loaded`` (rows kept per extract, with
    the file and the rows excluded), ``absent`` (extracts not supplied, with the indicators that use
    them), ``excluded`` / ``kept`` (rows excluded or flagged, by extract, column and check, with
    example record ids), ``ignored`` (blank lines), ``dropped`` (columns), ``not read`` (files
    overridden, or named like an extract but not readable as one), ``skipped`` (checks that could not run, e.g. dates not checked against an
    extraction date) and ``unknown_file`` (files in the folder that are not extracts). Columns:
    ``section, extract, column, check, rows, detail``. Identifiers only: no personal values.
    ``used_by`` (extract -> refs, see :func:`scorecard.measures.base.extract_users`) names the
    indicators an absent extract is used by.
    """
    quality = extracts.quality
    excluded = excluded_counts(quality)
    rows: list[list[object]] = []
    if extracts.as_of is not None:
        rows.append(
            _report_row(
                "as_of",
                None,
                f"extraction date {extracts.as_of:%Y-%m-%d}: records dated after it are excluded, "
                "other dates after it are kept and counted",
                check="after_as_of",
            )
        )
    for name in ("organisation", *EXTRACT_NAMES):
        frame = extracts.get(name)
        refs = (used_by or {}).get(name, ())
        used = ", ".join(str(n) for n in refs) if name != "organisation" else "all"
        if frame is None:
            why = extracts.unloaded.get(name)
            shown = "not supplied" if why in (None, "no file", "not supplied") else why
            detail = f"{shown}; used by indicators {used}" if used else shown
            if name == "organisation":
                detail = f"{shown}: teams were not checked"
            rows.append(_report_row("absent", name, detail, 0))
            continue
        out = int(excluded.get(name, 0))
        source = extracts.sources.get(name, "<DataFrame>")
        detail = f"{_rows(len(frame))} loaded from {source}"
        if out:
            detail += f" ({len(frame) + out} read, {out} excluded)"
        rows.append(_report_row("loaded", name, detail, len(frame)))
    for item in quality.to_dict("records"):
        detail = str(item["detail"])
        if _given(item["examples"]) and item["examples"]:
            detail += f"; e.g. {item['examples']}"
        count = int(item["rows"]) if _given(item["rows"]) else None
        rows.append(
            _report_row(
                str(item["action"]),
                _text(item["extract"]),
                detail,
                count,
                _text(item["column"]),
                _text(item["check"]),
            )
        )
    for file in extracts.unknown_files:
        hint = did_you_mean(file.rsplit(".", 1)[0], SPECS)
        detail = "not an extract: not read" + (f" (did you mean {hint}?)" if hint else "")
        rows.append(_report_row("unknown_file", None, f"{file}: {detail}"))
    report = pd.DataFrame(rows, columns=list(REPORT_COLUMNS)).astype(object)
    rank = {section: i for i, section in enumerate(SECTIONS)}
    order = report["section"].map(lambda s: rank.get(s, len(rank))).to_numpy()
    report = report.iloc[np.argsort(order, kind="stable")].reset_index(drop=True)
    return report.astype({"rows": "Int64"})


def format_quality_report(report: pd.DataFrame) -> str:
    """The report as text, one line per row grouped by section (for a console or a log)."""
    lines: list[str] = []
    for section, group in report.groupby("section", sort=False):
        lines.append(f"{section}:")
        for item in group.to_dict("records"):
            subject = ".".join(str(item[k]) for k in ("extract", "column") if _given(item[k]))
            if _given(item["check"]):
                subject = f"{subject} {item['check']}".strip()
            if _given(item["rows"]) and section not in ("loaded", "absent"):
                subject = f"{subject} ({_rows(int(item['rows']))})".strip()
            detail = item["detail"]
            lines.append(f"  - {subject}: {detail}" if subject else f"  - {detail}")
    return "\n".join(lines)


def _rows(count: int) -> str:
    return f"{count} row{'s' if count != 1 else ''}"

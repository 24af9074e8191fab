"""Validation at the boundary: all failures of all extracts, collected and raised once.

:func:`validate_extracts` checks in-memory frames; :func:`scorecard.extracts.load_extracts` reads a
folder and goes through the same checks. Each extract is copied, coerced to canonical dtypes
(:mod:`scorecard.extracts.coerce`) and checked against its pandera schema; then the extracts are
checked against each other (unknown teams, orphan identifiers, a record's child differing from its
parent's). Nothing is raised until every check of every extract has run; then a single
:class:`ExtractValidationError` lists every failure.

Failures never print child-level values other than identifiers: offending dates, flags and text are
shown by their shape only (``99/99/9999``).
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd
import pandera.pandas as pa

from scorecard.errors import DataError, UsageError
from scorecard.extracts.arrays import differs_from_parent, has_repeats, unknown_values
from scorecard.extracts.coerce import coerce_frame
from scorecard.extracts.container import Extracts
from scorecard.extracts.categories import as_categories, as_text, early_coded, is_case
from scorecard.extracts.identifiers import (
    IdentifierCodes,
    code_identifiers,
    codes_differ_from_parent,
    held_as_codes,
    linking_identifiers,
    unknown_codes,
)
from scorecard.extracts.quality import (
    FINDING_COLUMNS,
    Action,
    AsOf,
    applies,
    dependency_order,
    did_you_mean,
    empty_findings,
    excluded_counts,
    flag,
    quality_entry,
    row_checks,
    summarise,
    to_as_of,
)
from scorecard.extracts.schemas import (
    COERCED_SCHEMAS,
    EXTRACT_NAMES,
    SPECS,
    UNIQUE_KEY_SCHEMAS,
    build_schema,
)
from scorecard.extracts.spec import SHOWN_KINDS, DateFormat, ExtractSpec, Reference
from scorecard.progress import step

#: Columns of :attr:`ExtractValidationError.failures`.
FAILURE_COLUMNS = ("extract", "file", "column", "check", "detail", "row", "line", "record", "value")
assert FINDING_COLUMNS == (*FAILURE_COLUMNS, "action"), "findings out of step with failures"

#: What to do with columns that are not part of an extract.
ExtraColumns = Literal["error", "drop"]

_MAX_ROWS_SHOWN = 10
_MAX_VALUE_CHARS = 30

#: The most columns a file or frame may have: far above any extract's (at most a dozen), so that a
#: runaway header (100,000 columns) is rejected before any work on its rows.
MAX_COLUMNS = 1000


class ExtractWarning(UserWarning):
    """A non-fatal finding about the extracts (unknown file, dropped column)."""


class ExtractValidationError(DataError):
    """The extracts failed validation.

    ``failures`` is a DataFrame with one row per offending cell/row/column and the columns
    ``extract, file, column, check, detail, row, line, record, value``: ``row`` is the index label
    in the frame, ``line`` the line of the CSV file (header = line 1; blank for Parquet and
    in-memory frames), ``record`` the key of the offending record (e.g. ``referral_id=R7``) and
    ``value`` the offending value, or its shape for dates, flags and text.
    """

    def __init__(self, failures: pd.DataFrame, notes: Iterable[str] = ()) -> None:
        self.failures = failures.reset_index(drop=True)
        self.notes = tuple(notes)
        super().__init__(format_failures(self.failures))


@dataclass(frozen=True, slots=True)
class Source:
    """Where an extract came from: a CSV or Parquet file, or an in-memory DataFrame."""

    kind: Literal["csv", "parquet", "frame"]
    path: str | None = None
    #: For a CSV: the file line on which each record (by position = index label) starts.
    lines: Sequence[int] | None = None

    @property
    def label(self) -> str:
        return self.path if self.path is not None else "<DataFrame>"

    def line(self, row: object) -> int | None:
        """The file line of the record with index label ``row`` (CSV only; header = line 1)."""
        if self.kind != "csv" or not isinstance(row, (int, np.integer)):
            return None
        if self.lines is None:
            return int(row) + 2
        return int(self.lines[int(row)]) if 0 <= int(row) < len(self.lines) else None


FRAME_SOURCE = Source("frame")


# --------------------------------------------------------------------------------------------------
# Failure records
# --------------------------------------------------------------------------------------------------


_EMPTY_FAILURES = pd.DataFrame({c: pd.Series(dtype=object) for c in FAILURE_COLUMNS})


def empty_failures() -> pd.DataFrame:
    """An empty failures frame (a shared object: do not modify it)."""
    return _EMPTY_FAILURES


def shape_of(value: object) -> str:
    """A value's shape: digits -> 9, letters -> A/a, others kept (``31/1/15`` -> ``99/9/99``)."""
    text = str(value)[:_MAX_VALUE_CHARS]
    text = re.sub(r"[0-9]", "9", text)
    text = re.sub(r"[A-Z]", "A", text)
    return re.sub(r"[^\W\d_A-Z]", "a", text)


def display_value(spec: ExtractSpec | None, column: str | None, value: object) -> object:
    """The value to report: itself for ids, teams, codes and numbers; otherwise only its shape."""
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return None
    kind = None
    if spec is not None and column is not None and spec.has(column):
        kind = spec.field(column).kind
    if kind in SHOWN_KINDS:
        return str(value)[:_MAX_VALUE_CHARS]
    return shape_of(value)


def failure_frame(
    spec: ExtractSpec | None,
    source: Source,
    column: str | None,
    check: str,
    detail: str,
    rows: Iterable[object] = (),
    values: Iterable[object] | None = None,
    keys: pd.DataFrame | None = None,
    *,
    extract: str | None = None,
    lines: Iterable[int] | None = None,
) -> pd.DataFrame:
    """Failure rows for ``rows`` (index labels; empty = one failure about the whole column/file).

    ``keys`` is the extract's frame holding its key columns, used to name each offending record.
    ``lines`` gives file lines directly, for records that are not in any frame (``row`` is blank).
    """
    if lines is not None:
        lines = [int(line) for line in lines]
        rows = [None] * len(lines)
    rows = list(rows)
    name = extract if extract is not None else (spec.name if spec is not None else None)
    if not rows:
        return pd.DataFrame(
            [[name, source.label, column, check, detail, None, None, None, None]],
            columns=list(FAILURE_COLUMNS),
        ).astype(object)
    values_list = list(values) if values is not None else [None] * len(rows)
    line = lines if lines is not None else [source.line(r) for r in rows]
    record: list[object] = [None] * len(rows)
    if spec is not None and keys is not None and all(k in keys.columns for k in spec.key):
        picked = keys.loc[rows, list(spec.key)].astype("str")
        record = [
            ", ".join(f"{k}={v}" for k, v in zip(spec.key, vals, strict=True))
            for vals in picked.itertuples(index=False, name=None)
        ]
    return pd.DataFrame(
        {
            "extract": name,
            "file": source.label,
            "column": column,
            "check": check,
            "detail": detail,
            "row": pd.Series(rows, dtype=object),
            "line": pd.Series(line, dtype=object),
            "record": pd.Series(record, dtype=object),
            "value": pd.Series([display_value(spec, column, v) for v in values_list], dtype=object),
        },
        columns=list(FAILURE_COLUMNS),
    )


def concat_failures(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    found = [f for f in frames if len(f)]
    if not found:
        return empty_failures()
    return pd.concat(found, ignore_index=True)


def sort_failures(failures: pd.DataFrame) -> pd.DataFrame:
    """Failures grouped by extract (in ``SPECS`` order, unknown names last), stable within."""
    rank = {name: i for i, name in enumerate(SPECS)}
    order = failures["extract"].map(lambda name: rank.get(name, len(rank)))
    return failures.iloc[order.argsort(kind="stable").to_numpy()].reset_index(drop=True)


def _rows_text(group: pd.DataFrame) -> str:
    use_lines = bool(group["line"].notna().all())
    where = group["line"] if use_lines else group["row"]
    shown = [str(v) for v in where.iloc[:_MAX_ROWS_SHOWN]]
    more = len(group) - len(shown)
    label = "line" if use_lines else "row"
    text = f"{label}{'s' if len(group) > 1 else ''} {', '.join(shown)}"
    if more > 0:
        text += f" (+{more} more)"
    records = [str(v) for v in group["record"].iloc[:_MAX_ROWS_SHOWN] if v is not None]
    if records:
        text += f" [{'; '.join(records)}]"
    values = list(dict.fromkeys(str(v) for v in group["value"] if v is not None))
    if values:
        shown_values = values[:_MAX_ROWS_SHOWN]
        text += f" values: {', '.join(repr(v) for v in shown_values)}"
        if len(values) > len(shown_values):
            text += ", ..."
    return text


def format_failures(failures: pd.DataFrame) -> str:
    """A readable, multi-line summary: one line per (extract, column, check)."""
    if failures.empty:
        return "no validation failures"
    extracts = failures["extract"].astype("str")
    lines = [
        (
            f"{len(failures)} validation failure{'s' if len(failures) != 1 else ''} in "
            f"{extracts.nunique()} extract{'s' if extracts.nunique() != 1 else ''}:"
        )
    ]
    keys = ["extract", "file", "column", "check", "detail"]
    ordered = failures.assign(_order=range(len(failures)))
    grouped = ordered.fillna({"column": "", "file": ""}).groupby(keys, sort=False, dropna=False)
    current = None
    for (extract, file, column, check, detail), group in grouped:
        if (extract, file) != current:
            lines.append(f"{extract} ({file}):")
            current = (extract, file)
        subject = f"{column}: " if column else ""
        located = group["row"].notna() | group["line"].notna()
        where = f" at {_rows_text(group)}" if located.any() else ""
        lines.append(f"  - {subject}{check} ({detail}){where}")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------------
# One extract
# --------------------------------------------------------------------------------------------------


def _code_detail(spec: ExtractSpec, column: str) -> str:
    codes = spec.field(column).codes
    listed = ", ".join(codes[:12]) + (", ..." if len(codes) > 12 else "")
    return f"not one of: {listed}"


def _range_detail(spec: ExtractSpec, column: str) -> str:
    return f"must be {spec.field(column).range_text}"


def _column_check(spec: ExtractSpec, column: str, check: str) -> tuple[str, str, bool]:
    """Our name and detail for a pandera column check, and whether to show offending values."""
    if check == "not_nullable":
        return "missing_value", "a value is required", False
    if check == "field_uniqueness":
        return "duplicate_id", f"{column} occurs more than once", True
    if check == "unknown_code":
        return check, _code_detail(spec, column), True
    if check == "out_of_range":
        return check, _range_detail(spec, column), True
    if check == "not_finite":
        return check, "not a finite number (inf or -inf)", True
    return check, check, True


def _known_rows(rows: Iterable[object]) -> list[object]:
    """Distinct, non-missing index labels in order."""
    return list(dict.fromkeys(r for r in rows if r is not None and not pd.isna(r)))


def _translate_pandera(
    spec: ExtractSpec,
    source: Source,
    cases: pd.DataFrame,
    keys: pd.DataFrame,
    schema: pa.DataFrameSchema,
) -> list[pd.DataFrame]:
    """Turn pandera's failure cases into failure rows (one per offending row and check)."""
    out: list[pd.DataFrame] = []
    lookup: dict[str, tuple[str, str, str]] = schema.metadata["frame_checks"]
    column_level = cases[cases["schema_context"].eq("Column")]
    for (column_key, check_key), group in column_level.groupby(["column", "check"], sort=False):
        column, check = str(column_key), str(check_key)
        if check.startswith("dtype("):
            detail = (
                f"expected dtype {spec.field(column).dtype}, found {group['failure_case'].iloc[0]}"
            )
            out.append(failure_frame(spec, source, column, "wrong_type", detail))
            continue
        name, detail, show = _column_check(spec, column, check)
        known = group[group["index"].notna()]
        values = known["failure_case"].tolist() if show else None
        out.append(
            failure_frame(spec, source, column, name, detail, known["index"].tolist(), values, keys)
        )
    frame_level = cases[~cases["schema_context"].eq("Column")]
    for check_key, group in frame_level.groupby("check", sort=False):
        check = str(check_key)
        rows = _known_rows(group["index"])
        if check in lookup:
            column, name, detail = lookup[check]
            show = column in keys.columns and spec.field(column).kind in SHOWN_KINDS
            values = keys.loc[rows, column].tolist() if show else None
            out.append(failure_frame(spec, source, column, name, detail, rows, values, keys))
        else:
            columns = ", ".join(map(str, group["column"].dropna().unique())) or None
            out.append(failure_frame(spec, source, columns, check, check, rows, None, keys))
    return out


def schema_for(spec: ExtractSpec, *, check_key: bool = True) -> pa.DataFrameSchema:
    """The (dtype-unchecked) schema of ``spec``: the prebuilt one for a spec of ``SPECS``.

    ``check_key=False`` leaves out the uniqueness of the key, for a frame known to have none
    repeated.
    """
    if SPECS.get(spec.name) is spec:
        return (COERCED_SCHEMAS if check_key else UNIQUE_KEY_SCHEMAS)[spec.name]
    return build_schema(spec, check_dtypes=False, check_key=check_key)


class CheckedExtract(NamedTuple):
    """What :func:`check_extract` found about one extract."""

    #: The canonical rows kept (``None`` if the frame could not be built).
    frame: pd.DataFrame | None
    #: Errors (the columns of ``ExtractValidationError.failures``).
    failures: pd.DataFrame
    notes: list[str]
    #: Excluded and counted rows (frames with ``FINDING_COLUMNS``).
    findings: list[pd.DataFrame]
    #: Quality entries that are not about rows (columns dropped).
    entries: list[pd.DataFrame]
    #: The canonical rows excluded (to find the records that refer to them).
    excluded: pd.DataFrame | None


def finding_frame(
    spec: ExtractSpec,
    source: Source,
    column: str | None,
    check: str,
    detail: str,
    action: Action,
    rows: Iterable[object],
    keys: pd.DataFrame,
    values: Iterable[object] | None = None,
) -> pd.DataFrame:
    """Rows of ``Extracts.findings``: a failure frame plus the action taken."""
    found = failure_frame(spec, source, column, check, detail, list(rows), values, keys)
    return found.assign(action=action)[list(FINDING_COLUMNS)]


def concat_findings(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    found = [f for f in frames if len(f)]
    return pd.concat(found, ignore_index=True) if found else empty_findings()


def _extra_detail(column: str, missing: list[str]) -> str:
    detail = "column is not part of the extract"
    close = did_you_mean(column.strip(), missing)
    return detail + (f" (did you mean {close}?)" if close else "")


def _shape_problem(frame: pd.DataFrame) -> tuple[str, str] | None:
    """(check, detail) when a frame's columns or index cannot name columns and rows at all."""
    if isinstance(frame.columns, pd.MultiIndex):
        return (
            "multiindex_columns",
            (
                f"the columns have {frame.columns.nlevels} levels (a MultiIndex): give one row "
                "of column names (e.g. frame.columns = frame.columns.get_level_values(-1))"
            ),
        )
    if len(frame.columns) > MAX_COLUMNS:
        return (
            "too_many_columns",
            f"{len(frame.columns):,} columns, more than the {MAX_COLUMNS:,} any extract could have",
        )
    if isinstance(frame.index, pd.MultiIndex):
        return (
            "multiindex_rows",
            (
                f"the index has {frame.index.nlevels} levels (a MultiIndex): rows could not be "
                "named; use frame.reset_index(drop=True)"
            ),
        )
    return None


def check_extract(
    spec: ExtractSpec,
    frame: pd.DataFrame,
    source: Source = FRAME_SOURCE,
    extra_columns: ExtraColumns = "error",
    as_of: pd.Timestamp | None = None,
    date_format: DateFormat = DateFormat.ISO,
) -> CheckedExtract:
    """Check one extract on its own.

    In order: the columns; the conversion of every value; the checks that exclude rows (exact
    copies, records dated after ``as_of``, and any spec check of severity ``exclude``), each row
    being attributed to the first that flags it; then, on the rows kept, the pandera schema (every
    ``error`` check) and the checks that only count rows (severity ``warn``). An excluded row is not
    checked further, except that a value that cannot be converted is always an error (such a row is
    never excluded). ``frame`` is never modified.
    """
    notes: list[str] = []
    failures: list[pd.DataFrame] = []
    entries: list[pd.DataFrame] = []
    shape = _shape_problem(frame)
    if shape is not None:
        check, detail = shape
        failures.append(failure_frame(spec, source, None, check, detail))
        return CheckedExtract(None, concat_failures(failures), notes, [], [], None)
    names = [str(c) for c in frame.columns]
    duplicated = sorted(name for name, count in Counter(names).items() if count > 1)
    for column in duplicated:
        failures.append(
            failure_frame(
                spec, source, column, "duplicate_column", "the column appears more than once"
            )
        )
    if duplicated:
        return CheckedExtract(None, concat_failures(failures), notes, [], [], None)
    if not frame.index.is_unique:
        failures.append(
            failure_frame(
                spec,
                source,
                None,
                "duplicate_index",
                "index labels must be unique so that rows can be named",
            )
        )
        return CheckedExtract(None, concat_failures(failures), notes, [], [], None)
    missing = [c for c in spec.columns if c not in names]
    extra = [c for c in names if c not in spec.columns]
    for column in missing:
        failures.append(
            failure_frame(spec, source, column, "missing_column", "required column is missing")
        )
    if extra and extra_columns == "drop":
        message = (
            f"{spec.name} ({source.label}): dropped column(s) not part of the extract: "
            f"{', '.join(extra)}"
        )
        notes.append(message)
        warnings.warn(message, ExtractWarning, stacklevel=4)
        entries += [
            quality_entry(
                spec.name,
                source.label,
                column,
                "extra_column",
                "dropped",
                "column is not part of the extract (extra_columns='drop')",
            )
            for column in extra
        ]
    else:
        for column in extra:
            failures.append(
                failure_frame(spec, source, column, "extra_column", _extra_detail(column, missing))
            )
    canonical, problems = coerce_frame(spec, frame, date_format)
    # Most extracts repeat no key: then no row is an exact copy of another and the key is unique
    # on every subset of the rows, which spares the costlier checks of both.
    keyed = all(column in canonical.columns for column in spec.key)
    unique_key = keyed and not has_repeats(canonical, spec.key)

    # rows excluded: every row is attributed to the first check that flags it
    findings: list[pd.DataFrame] = []
    blocked = np.zeros(len(canonical), dtype=bool)
    if len(problems):
        unconvertible = problems.loc[problems["check"].ne("missing_value"), "row"]
        blocked = canonical.index.isin(pd.Index(unconvertible.tolist(), dtype=object))
    kept = np.ones(len(canonical), dtype=bool)
    checks = row_checks(spec, as_of)
    for check in checks:
        if check.severity != "exclude" or not applies(check, canonical):
            continue
        if check.check == "duplicate_row" and unique_key:
            continue
        hit = np.zeros(len(canonical), dtype=bool)
        hit[np.flatnonzero(kept)] = flag(check, canonical if kept.all() else canonical[kept])
        hit &= ~blocked
        if hit.any():
            kept &= ~hit
            findings.append(
                finding_frame(
                    spec,
                    source,
                    check.column,
                    check.check,
                    check.detail,
                    "excluded",
                    canonical.index[hit],
                    canonical,
                )
            )
    remaining, excluded = canonical, None
    if not kept.all():
        remaining, excluded = canonical[kept], canonical[~kept]
        problems = problems[problems["row"].isin(pd.Index(remaining.index.tolist(), dtype=object))]

    for (problem_column, check_name, detail), group in problems.groupby(
        ["column", "check", "detail"], sort=False
    ):
        whole_column = group["row"].isna().all()  # e.g. a column of a type that cannot be read
        failures.append(
            failure_frame(
                spec,
                source,
                str(problem_column),
                str(check_name),
                str(detail),
                [] if whole_column else group["row"].tolist(),
                None if whole_column else group["raw"].tolist(),
                canonical,
            )
        )
    schema = schema_for(spec, check_key=not unique_key)
    if missing:
        schema = schema.remove_columns(missing)
    try:
        # pandera copies the frame it checks unless told to check it in place: a shallow copy of
        # ours (the same columns, another frame) is checked in place instead, with no copy
        schema.validate(remaining.copy(deep=False), lazy=True, inplace=True)
    except pa.errors.SchemaErrors as err:
        found = concat_failures(
            _translate_pandera(spec, source, err.failure_cases, remaining, schema)
        )
        if len(problems) and len(found):
            seen = set(zip(problems["column"], problems["row"], strict=True))
            unread = set(problems.loc[problems["row"].isna(), "column"])  # whole columns
            keep = [
                (c, r) not in seen and c not in unread
                for c, r in zip(found["column"], found["row"], strict=True)
            ]
            found = found[keep]
        failures.append(found)

    # rows kept but counted, and row checks of severity "error" that pandera does not run
    for check in checks:
        if check.severity == "exclude" or not applies(check, remaining):
            continue
        hit = flag(check, remaining)
        if not hit.any():
            continue
        rows = remaining.index[hit]
        if check.severity == "warn":
            findings.append(
                finding_frame(
                    spec, source, check.column, check.check, check.detail, "kept", rows, remaining
                )
            )
        else:
            failures.append(
                failure_frame(
                    spec, source, check.column, check.check, check.detail, rows, None, remaining
                )
            )
    return CheckedExtract(remaining, concat_failures(failures), notes, findings, entries, excluded)


# --------------------------------------------------------------------------------------------------
# Across extracts
# --------------------------------------------------------------------------------------------------


def _folded(values: pd.Series) -> pd.Series:
    """Text with letter case and runs of spaces ignored."""
    text = values.dropna().astype(object).astype("str")
    return text.str.casefold().str.replace(r"\s+", " ", regex=True)


def near_miss_hint(bad: pd.Series, allowed: pd.Series, what: str) -> str:
    """A hint when some unknown values match a known one loosely: only letter case or spacing
    differ (a team typed by hand), or only leading zeros (Excel drops them from numeric ids)."""
    bad_folded, allowed_folded = _folded(bad), _folded(allowed)
    folded = bad_folded.isin(allowed_folded)
    zeros = ~folded & bad_folded.str.lstrip("0").isin(allowed_folded.str.lstrip("0"))
    kinds = []
    if folded.any():
        kinds.append("letter case or spacing")
    if zeros.any():
        kinds.append("leading zeros (Excel drops them from numbers)")
    if not kinds:
        return ""
    return f"; some differ from a known {what} only in {' or '.join(kinds)}"


def _unknown(
    identifiers: IdentifierCodes,
    frame: tuple[str, pd.DataFrame, str],
    target: tuple[str, pd.DataFrame, str],
) -> pd.Series:
    """``unknown_values`` of ``frame``'s column against ``target``'s, on their identifier codes
    when both are coded."""
    (name, rows, column), (target_name, target_rows, target_column) = frame, target
    if column == target_column:
        values = identifiers.get(name, rows, column)
        allowed = identifiers.get(target_name, target_rows, target_column)
        if values is not None and allowed is not None:
            return pd.Series(unknown_codes(values, allowed), index=rows.index)
    return unknown_values(rows[column], target_rows[target_column])


def _differs(
    identifiers: IdentifierCodes,
    name: str,
    frame: pd.DataFrame,
    ref: Reference,
    target: pd.DataFrame,
    same: str,
) -> pd.Series:
    """``differs_from_parent`` for ``ref``'s ``same`` column, on identifier codes when coded."""
    if ref.column == ref.target_column:
        coded = [
            identifiers.get(name, frame, ref.column),
            identifiers.get(name, frame, same),
            identifiers.get(ref.target, target, ref.target_column),
            identifiers.get(ref.target, target, same),
        ]
        if all(c is not None for c in coded):
            return pd.Series(codes_differ_from_parent(*coded), index=frame.index)
    return differs_from_parent(
        frame[ref.column], frame[same], target[ref.target_column], target[same]
    )


def cross_check(
    frames: Mapping[str, pd.DataFrame],
    sources: Mapping[str, Source],
    identifiers: IdentifierCodes | None = None,
) -> tuple[pd.DataFrame, list[str], list[pd.DataFrame]]:
    """Checks between extracts: teams, references (orphan ids) and agreeing child ids.

    Returns the failures, the notes and the quality entries of the checks that could not run.
    References whose severity is not ``error`` are handled by :func:`exclude_dependents`.
    ``identifiers`` (codes of the linking identifiers of ``frames``) makes the look-ups faster.
    """
    identifiers = identifiers if identifiers is not None else IdentifierCodes()
    failures: list[pd.DataFrame] = []
    notes: list[str] = []
    entries: list[pd.DataFrame] = []
    organisation = frames.get("organisation")
    for name in EXTRACT_NAMES:
        frame = frames.get(name)
        if frame is None:
            continue
        spec, source = SPECS[name], sources[name]
        if spec.has("team") and "team" in frame.columns:
            if organisation is None or "team" not in organisation.columns:
                notes.append(f"{name}: teams not checked (no organisation table)")
                entries.append(
                    quality_entry(
                        name,
                        source.label,
                        "team",
                        "unknown_team",
                        "skipped",
                        "teams not checked: no organisation table",
                    )
                )
            else:
                bad = _unknown(
                    identifiers, (name, frame, "team"), ("organisation", organisation, "team")
                )
                if bad.any():
                    hint = near_miss_hint(frame.loc[bad, "team"], organisation["team"], "team")
                    failures.append(
                        failure_frame(
                            spec,
                            source,
                            "team",
                            "unknown_team",
                            "team is not in the organisation table" + hint,
                            frame.index[bad.to_numpy()],
                            frame.loc[bad, "team"],
                            frame,
                        )
                    )
        for ref in spec.references:
            if ref.column not in frame.columns:
                continue
            target = frames.get(ref.target)
            if target is None or ref.target_column not in target.columns:
                if frame[ref.column].notna().any():
                    notes.append(
                        f"{name}.{ref.column} not checked against {ref.target}.{ref.target_column} "
                        f"({ref.target} absent)"
                    )
                    entries.append(
                        quality_entry(
                            name,
                            source.label,
                            ref.column,
                            f"unknown_{ref.column}",
                            "skipped",
                            f"not checked against {ref.target}.{ref.target_column}: "
                            f"{ref.target} absent",
                        )
                    )
                continue
            if ref.severity != "error":  # see exclude_dependents
                bad = pd.Series(False, index=frame.index)
            else:
                bad = _unknown(
                    identifiers,
                    (name, frame, ref.column),
                    (ref.target, target, ref.target_column),
                )
            if bad.any():
                hint = near_miss_hint(
                    frame.loc[bad, ref.column], target[ref.target_column], ref.target_column
                )
                failures.append(
                    failure_frame(
                        spec,
                        source,
                        ref.column,
                        f"unknown_{ref.column}",
                        f"{ref.column} is not in {ref.target}.{ref.target_column}" + hint,
                        frame.index[bad.to_numpy()],
                        frame.loc[bad, ref.column],
                        frame,
                    )
                )
            for same in ref.same:
                if same not in frame.columns or same not in target.columns:
                    continue
                differs = _differs(identifiers, name, frame, ref, target, same)
                if differs.any():
                    failures.append(
                        failure_frame(
                            spec,
                            source,
                            same,
                            f"{same}_mismatch",
                            f"{same} differs from the {same} of its {ref.target} record "
                            f"({ref.column})",
                            frame.index[differs.to_numpy()],
                            frame.loc[differs, same],
                            frame,
                        )
                    )
    return concat_failures(failures), notes, entries


def exclude_dependents(
    kept: dict[str, pd.DataFrame],
    excluded: dict[str, pd.DataFrame],
    sources: Mapping[str, Source],
) -> list[pd.DataFrame]:
    """Exclude records that refer to excluded records, and apply non-error references.

    Extracts are visited so that every extract comes after those it refers to: a CP review of a CP
    plan excluded because it started after ``as_of`` is excluded (``parent_excluded``), and so is
    anything referring to that review. A reference of severity ``exclude`` excludes its orphans; one
    of severity ``warn`` counts them. ``kept`` and ``excluded`` (name -> canonical rows) are updated
    in place; the findings are returned.
    """
    findings: list[pd.DataFrame] = []
    for name in dependency_order(SPECS):
        if name not in kept:
            continue
        spec, source = SPECS[name], sources[name]
        for ref in spec.references:
            frame = kept[name]
            target = kept.get(ref.target)
            if ref.column not in frame.columns or target is None:
                continue
            if ref.target_column not in target.columns:
                continue
            gone = excluded.get(ref.target)
            hit = np.zeros(len(frame), dtype=bool)
            if gone is not None and len(gone) and ref.target_column in gone.columns:
                values = frame[ref.column].astype(object)
                lost = gone[ref.target_column].astype(object)
                lost = lost[~lost.isin(target[ref.target_column].astype(object))]
                hit = (values.notna() & values.isin(lost)).to_numpy(dtype=bool, copy=True)
                if hit.any():
                    findings.append(
                        finding_frame(
                            spec,
                            source,
                            ref.column,
                            "parent_excluded",
                            f"refers to an excluded {ref.target} record "
                            f"({ref.target}.{ref.target_column})",
                            "excluded",
                            frame.index[hit],
                            frame,
                            frame.loc[hit, ref.column],
                        )
                    )
            if ref.severity == "error":  # orphans are failures: see cross_check
                orphan = np.zeros(len(frame), dtype=bool)
            else:
                orphan = unknown_values(frame[ref.column], target[ref.target_column]).to_numpy()
                orphan = orphan & ~hit
            if orphan.any():
                action: Action = "excluded" if ref.severity == "exclude" else "kept"
                findings.append(
                    finding_frame(
                        spec,
                        source,
                        ref.column,
                        f"unknown_{ref.column}",
                        f"{ref.column} is not in {ref.target}.{ref.target_column}",
                        action,
                        frame.index[orphan],
                        frame,
                        frame.loc[orphan, ref.column],
                    )
                )
                if ref.severity == "exclude":
                    hit |= orphan
            if hit.any():
                kept[name] = frame[~hit]
                previous = excluded.get(name)
                out = frame[hit]
                excluded[name] = out if previous is None else pd.concat([previous, out])
    return findings


# --------------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------------


def _warn_excluded(quality: pd.DataFrame) -> None:
    counts = excluded_counts(quality)
    if counts.empty:
        return
    total = int(counts.sum())
    parts = ", ".join(f"{name} {count}" for name, count in counts.items())
    warnings.warn(
        f"{total} row{'s' if total != 1 else ''} excluded from the extracts ({parts}); "
        "see Extracts.quality and quality_report()",
        ExtractWarning,
        stacklevel=4,
    )


def assemble(
    frames: Mapping[str, pd.DataFrame | None],
    sources: Mapping[str, Source],
    *,
    extra_columns: ExtraColumns = "error",
    failures: Iterable[pd.DataFrame] = (),
    notes: Iterable[str] = (),
    unknown_files: Iterable[str] = (),
    entries: Iterable[pd.DataFrame] = (),
    as_of: AsOf = None,
    consume: bool = False,
    not_loaded: Mapping[str, str] | None = None,
    date_format: DateFormat | str = DateFormat.ISO,
) -> Extracts:
    """Check every supplied extract and the cross-extract rules; raise once or return ``Extracts``.

    ``frames`` maps extract names (and ``organisation``) to raw frames (a mapping that reads each
    frame when asked for it, in ``SPECS`` order, will do); ``failures``, ``notes`` and quality
    ``entries`` carry findings made while reading (e.g. unreadable files, blank lines) so that they
    are reported together, first: they are iterated once, after every frame has been asked for.
    ``as_of`` is the extraction date (see :func:`validate_extracts`).
    With ``consume`` (for a caller that owns ``frames``, a dict), each raw frame is removed from
    ``frames`` once converted, so that it can be freed before the next extract is read: at most one
    raw extract is held alongside the canonical ones. ``not_loaded`` says why absent extracts
    are absent (by default "not supplied"). ``date_format``: how text dates are written
    (:class:`~scorecard.extracts.spec.DateFormat`; ISO dates are always read).
    """
    if not isinstance(extra_columns, str) or extra_columns not in ("error", "drop"):
        raise UsageError(f"extra_columns must be 'error' or 'drop', not {extra_columns!r}")
    order = date_format_of(date_format)
    stamp = to_as_of(as_of)
    all_failures: list[pd.DataFrame] = []  # the caller's findings go first, read after the loop
    all_notes: list[str] = []
    all_entries: list[pd.DataFrame] = []
    all_findings: list[pd.DataFrame] = []
    canonical: dict[str, pd.DataFrame] = {}
    excluded: dict[str, pd.DataFrame] = {}
    for name, spec in SPECS.items():
        frame = frames.get(name)
        if consume and isinstance(frames, dict):
            frames.pop(name, None)
        if frame is None:
            continue
        if not isinstance(frame, pd.DataFrame):
            all_failures.append(
                failure_frame(
                    spec,
                    sources.get(name, FRAME_SOURCE),
                    None,
                    "not_a_dataframe",
                    f"expected a DataFrame, got {type(frame).__name__}",
                )
            )
            continue
        with step(f"checking {name}"):
            checked = check_extract(
                spec, frame, sources.get(name, FRAME_SOURCE), extra_columns, stamp, order
            )
        all_failures.append(checked.failures)
        all_notes.extend(checked.notes)
        all_findings.extend(checked.findings)
        all_entries.extend(checked.entries)
        if checked.frame is not None:  # checked: its codes and teams now held as categoricals
            kept = checked.frame
            canonical[name] = (
                as_categories(kept, spec, early_coded(kept))
                if is_case(name)
                else as_text(kept, spec)
            )
            del kept
        if checked.excluded is not None and len(checked.excluded):
            excluded[name] = checked.excluded
        del frame, checked  # the raw frame (if consumed) is freed here
    # read now: ``frames`` may be read as it is checked, and add what reading found to these
    all_failures[:0] = failures
    all_notes[:0] = notes
    all_entries[:0] = entries
    known = {name: sources.get(name, FRAME_SOURCE) for name in canonical}
    with step("checking the links between extracts"):
        all_findings += exclude_dependents(canonical, excluded, known)
        identifiers = code_identifiers(canonical)
        crossed, cross_notes, cross_entries = cross_check(canonical, known, identifiers)
    all_failures.append(crossed)
    all_notes.extend(cross_notes)
    all_entries.extend(cross_entries)
    merged = sort_failures(concat_failures(all_failures))
    if len(merged):
        raise ExtractValidationError(merged, all_notes)
    if stamp is None and any(SPECS[name].not_after for name in canonical):
        all_entries.insert(
            0,
            quality_entry(
                None,
                None,
                None,
                "after_as_of",
                "skipped",
                "dates not checked against an extraction date: no as_of given",
            ),
        )
    findings = concat_findings(all_findings)
    if len(findings):
        findings = findings.iloc[
            np.argsort(findings["extract"].map(_extract_rank).to_numpy(), kind="stable")
        ].reset_index(drop=True)
    quality = summarise(findings, all_entries)
    _warn_excluded(quality)
    complete = {name: _in_spec_order(canonical.pop(name), SPECS[name]) for name in list(canonical)}
    identifiers = identifiers.rebound(complete)
    # the extracts' linking identifiers (teams among them) held once: as the codes shared by
    # every extract, their text freed (the organisation table keeps its text)
    cases = {name: frame for name, frame in complete.items() if name in EXTRACT_NAMES}
    complete.update(held_as_codes(cases, identifiers, linking_identifiers()))
    return Extracts(
        **complete,
        identifiers=identifiers.rebound(complete),
        sources={name: sources.get(name, FRAME_SOURCE).label for name in complete},
        unknown_files=tuple(unknown_files),
        unloaded={k: v for k, v in (not_loaded or {}).items() if k not in complete},
        validated=True,
        notes=tuple(all_notes),
        as_of=stamp,
        quality=quality,
        findings=findings,
    )


def _in_spec_order(frame: pd.DataFrame, spec: ExtractSpec) -> pd.DataFrame:
    """``frame`` with exactly the spec's columns, in spec order (itself if it already is)."""
    columns = list(spec.columns)
    return frame if list(frame.columns) == columns else frame[columns]


def _extract_rank(name: object) -> int:
    rank = {extract: i for i, extract in enumerate(SPECS)}
    return rank.get(str(name), len(rank))


def validate_extracts(
    extracts: Mapping[str, pd.DataFrame | None],
    organisation: pd.DataFrame | None = None,
    *,
    extra_columns: ExtraColumns = "error",
    as_of: AsOf = None,
    date_format: DateFormat | str = DateFormat.ISO,
) -> Extracts:
    """Validate in-memory extracts and return them as canonical :class:`Extracts`.

    ``extracts`` maps extract names (see ``EXTRACT_NAMES``) to DataFrames; a missing name or
    ``None`` means the extract is absent. The organisation table may be given as ``organisation``
    or under the key ``"organisation"``. Values may be raw (strings from a CSV, ``datetime.date``
    objects, 0/1 flags): they are converted strictly. The returned frames are new objects with the
    original index; the inputs are not modified. ``extra_columns="drop"`` drops (and warns about)
    columns that are not part of an extract instead of failing.

    ``as_of`` is the extraction date (``YYYY-MM-DD``, a date, or a monthly ``Period`` meaning its
    last day): records dated after it are excluded and other dates after it counted (see
    ``docs/bad-input.md``). Without it, dates are not checked against any date (recorded as a
    skipped check in ``Extracts.quality``). Exact copies of a row are always excluded; every
    excluded row is counted in ``Extracts.quality`` and listed in ``Extracts.findings``, and an
    :class:`ExtractWarning` says how many rows were excluded.

    ``date_format`` says how dates held as text are written: ``"YYYY-MM-DD"`` (the default),
    ``"DD/MM/YYYY"`` or ``"MM/DD/YYYY"`` (:class:`~scorecard.extracts.spec.DateFormat`; ISO dates
    are read under every format, and a date that does not fit is an error, never guessed).

    Raises :class:`ExtractValidationError` listing every failure of every extract.
    """
    if not isinstance(extracts, Mapping):
        raise UsageError(
            "validate_extracts takes a mapping of extract names to DataFrames "
            f"({{'referrals': frame, ...}}), not {type(extracts).__name__}"
        )
    frames: dict[str, pd.DataFrame | None] = dict(extracts)
    failures: list[pd.DataFrame] = []
    if organisation is not None:
        if frames.get("organisation") is not None:
            raise UsageError("organisation given twice (argument and 'organisation' key)")
        frames["organisation"] = organisation
    for name in frames:
        if name not in SPECS:
            failures.append(
                failure_frame(
                    None,
                    FRAME_SOURCE,
                    None,
                    "unknown_extract",
                    f"not an extract name; known: {', '.join(SPECS)}",
                    extract=str(name),
                )
            )
    return assemble(frames, {}, extra_columns=extra_columns, failures=failures, as_of=as_of,
                    date_format=date_format)  # fmt: skip


def date_format_of(value: DateFormat | str | None) -> DateFormat:
    """A :class:`DateFormat` from itself or its text (``None``: ISO); :class:`UsageError`
    naming the formats otherwise."""
    if value is None:
        return DateFormat.ISO
    try:
        return DateFormat.parse(value)
    except ValueError as exc:
        raise UsageError(f"date_format: {exc}") from None

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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
import pandera.pandas as pa

from scorecard.extracts.coerce import coerce_frame
from scorecard.extracts.container import Extracts
from scorecard.extracts.schemas import COERCED_SCHEMAS, EXTRACT_NAMES, SCHEMAS, SPECS
from scorecard.extracts.spec import SHOWN_KINDS, ExtractSpec

#: Columns of :attr:`ExtractValidationError.failures`.
FAILURE_COLUMNS = ("extract", "file", "column", "check", "detail", "row", "line", "record", "value")

#: What to do with columns that are not part of an extract.
ExtraColumns = Literal["error", "drop"]

_MAX_ROWS_SHOWN = 10
_MAX_VALUE_CHARS = 30


class ExtractWarning(UserWarning):
    """A non-fatal finding about the extracts (unknown file, dropped column)."""


class ExtractValidationError(ValueError):
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
    lines: tuple[int, ...] | None = None

    @property
    def label(self) -> str:
        return self.path if self.path is not None else "<DataFrame>"

    def line(self, row: object) -> int | None:
        """The file line of the record with index label ``row`` (CSV only; header = line 1)."""
        if self.kind != "csv" or not isinstance(row, (int, np.integer)):
            return None
        if self.lines is None:
            return int(row) + 2
        return self.lines[int(row)] if 0 <= int(row) < len(self.lines) else None


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
        f"{len(failures)} validation failure{'s' if len(failures) != 1 else ''} in "
        f"{extracts.nunique()} extract{'s' if extracts.nunique() != 1 else ''}:"
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
    field = spec.field(column)
    return f"must be {'>=' if field.minimum_inclusive else '>'} {field.minimum:g}"


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
    return check, check, True


def _known_rows(rows: Iterable[object]) -> list[object]:
    """Distinct, non-missing index labels in order."""
    return list(dict.fromkeys(r for r in rows if r is not None and not pd.isna(r)))


def _translate_pandera(
    spec: ExtractSpec, source: Source, cases: pd.DataFrame, keys: pd.DataFrame
) -> list[pd.DataFrame]:
    """Turn pandera's failure cases into failure rows (one per offending row and check)."""
    out: list[pd.DataFrame] = []
    lookup: dict[str, tuple[str, str, str]] = SCHEMAS[spec.name].metadata["frame_checks"]
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


def check_extract(
    spec: ExtractSpec,
    frame: pd.DataFrame,
    source: Source = FRAME_SOURCE,
    extra_columns: ExtraColumns = "error",
) -> tuple[pd.DataFrame | None, pd.DataFrame, list[str]]:
    """Check one extract on its own.

    Returns the canonical frame (``None`` if it could not be built), the failures and notes.
    ``frame`` is never modified.
    """
    notes: list[str] = []
    failures: list[pd.DataFrame] = []
    names = [str(c) for c in frame.columns]
    duplicated = sorted({c for c in names if names.count(c) > 1})
    for column in duplicated:
        failures.append(
            failure_frame(
                spec, source, column, "duplicate_column", "the column appears more than once"
            )
        )
    if duplicated:
        return None, concat_failures(failures), notes
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
        return None, concat_failures(failures), notes
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
    else:
        for column in extra:
            failures.append(
                failure_frame(
                    spec, source, column, "extra_column", "column is not part of the extract"
                )
            )
    canonical, problems = coerce_frame(spec, frame)
    for (problem_column, check, detail), group in problems.groupby(
        ["column", "check", "detail"], sort=False
    ):
        failures.append(
            failure_frame(
                spec,
                source,
                str(problem_column),
                str(check),
                str(detail),
                group["row"].tolist(),
                group["raw"].tolist(),
                canonical,
            )
        )
    schema = COERCED_SCHEMAS[spec.name]
    if missing:
        schema = schema.remove_columns(missing)
    try:
        schema.validate(canonical, lazy=True)
    except pa.errors.SchemaErrors as err:
        found = concat_failures(_translate_pandera(spec, source, err.failure_cases, canonical))
        if len(problems) and len(found):
            seen = set(zip(problems["column"], problems["row"], strict=True))
            keep = [(c, r) not in seen for c, r in zip(found["column"], found["row"], strict=True)]
            found = found[keep]
        failures.append(found)
    return canonical, concat_failures(failures), notes


# --------------------------------------------------------------------------------------------------
# Across extracts
# --------------------------------------------------------------------------------------------------


def _unknown_values(values: pd.Series, allowed: pd.Series) -> pd.Series:
    """True where a non-missing value is not among ``allowed``.

    Compared as object arrays: ``isin`` on Arrow-backed strings is slow for large ``allowed`` sets.
    """
    known = values.astype(object).isin(allowed.dropna().astype(object))
    return (values.notna() & ~known).astype(bool)


def cross_check(
    frames: Mapping[str, pd.DataFrame], sources: Mapping[str, Source]
) -> tuple[pd.DataFrame, list[str]]:
    """Checks between extracts: teams, references (orphan ids) and agreeing child ids."""
    failures: list[pd.DataFrame] = []
    notes: list[str] = []
    organisation = frames.get("organisation")
    for name in EXTRACT_NAMES:
        frame = frames.get(name)
        if frame is None:
            continue
        spec, source = SPECS[name], sources[name]
        if spec.has("team") and "team" in frame.columns:
            if organisation is None or "team" not in organisation.columns:
                notes.append(f"{name}: teams not checked (no organisation table)")
            else:
                bad = _unknown_values(frame["team"], organisation["team"])
                if bad.any():
                    failures.append(
                        failure_frame(
                            spec,
                            source,
                            "team",
                            "unknown_team",
                            "team is not in the organisation table",
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
                continue
            bad = _unknown_values(frame[ref.column], target[ref.target_column])
            if bad.any():
                failures.append(
                    failure_frame(
                        spec,
                        source,
                        ref.column,
                        f"unknown_{ref.column}",
                        f"{ref.column} is not in {ref.target}.{ref.target_column}",
                        frame.index[bad.to_numpy()],
                        frame.loc[bad, ref.column],
                        frame,
                    )
                )
            for same in ref.same:
                if same not in frame.columns or same not in target.columns:
                    continue
                parent = target.drop_duplicates(ref.target_column).set_index(ref.target_column)[
                    same
                ]
                expected = frame[ref.column].map(parent)
                differs = (
                    (
                        frame[ref.column].notna()
                        & expected.notna()
                        & frame[same].notna()
                        & frame[same].ne(expected)
                    )
                    .fillna(False)
                    .astype(bool)
                )
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
    return concat_failures(failures), notes


# --------------------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------------------


def assemble(
    frames: Mapping[str, pd.DataFrame | None],
    sources: Mapping[str, Source],
    *,
    extra_columns: ExtraColumns = "error",
    failures: Iterable[pd.DataFrame] = (),
    notes: Iterable[str] = (),
    unknown_files: Iterable[str] = (),
) -> Extracts:
    """Check every supplied extract and the cross-extract rules; raise once or return ``Extracts``.

    ``frames`` maps extract names (and ``organisation``) to raw frames; ``failures`` and ``notes``
    carry findings made earlier (e.g. unreadable files) so that they are reported together.
    """
    if extra_columns not in ("error", "drop"):
        raise ValueError(f"extra_columns must be 'error' or 'drop', not {extra_columns!r}")
    all_failures = list(failures)
    all_notes = list(notes)
    canonical: dict[str, pd.DataFrame] = {}
    for name, spec in SPECS.items():
        frame = frames.get(name)
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
        checked, found, found_notes = check_extract(
            spec, frame, sources.get(name, FRAME_SOURCE), extra_columns
        )
        all_failures.append(found)
        all_notes.extend(found_notes)
        if checked is not None:
            canonical[name] = checked
    known = {**{name: sources.get(name, FRAME_SOURCE) for name in canonical}}
    crossed, cross_notes = cross_check(canonical, known)
    all_failures.append(crossed)
    all_notes.extend(cross_notes)
    merged = sort_failures(concat_failures(all_failures))
    if len(merged):
        raise ExtractValidationError(merged, all_notes)
    complete = {name: canonical[name][list(SPECS[name].columns)] for name in canonical}
    return Extracts(
        **complete,
        sources={name: sources.get(name, FRAME_SOURCE).label for name in complete},
        unknown_files=tuple(unknown_files),
        notes=tuple(all_notes),
    )


def validate_extracts(
    extracts: Mapping[str, pd.DataFrame | None],
    organisation: pd.DataFrame | None = None,
    *,
    extra_columns: ExtraColumns = "error",
) -> Extracts:
    """Validate in-memory extracts and return them as canonical :class:`Extracts`.

    ``extracts`` maps extract names (see ``EXTRACT_NAMES``) to DataFrames; a missing name or
    ``None`` means the extract is absent. The organisation table may be given as ``organisation``
    or under the key ``"organisation"``. Values may be raw (strings from a CSV, ``datetime.date``
    objects, 0/1 flags): they are converted strictly. The returned frames are new objects with the
    original index; the inputs are not modified. ``extra_columns="drop"`` drops (and warns about)
    columns that are not part of an extract instead of failing.

    Raises :class:`ExtractValidationError` listing every failure of every extract.
    """
    frames: dict[str, pd.DataFrame | None] = dict(extracts)
    failures: list[pd.DataFrame] = []
    if organisation is not None:
        if frames.get("organisation") is not None:
            raise ValueError("organisation given twice (argument and 'organisation' key)")
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
    return assemble(frames, {}, extra_columns=extra_columns, failures=failures)

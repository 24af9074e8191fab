"""Reading canonical extracts from a folder of CSV or Parquet files.

A folder holds at most one file per extract, named ``<extract>.csv`` or ``<extract>.parquet``
(``referrals.csv``, ``cic_episodes.parquet``, ..., and ``organisation.csv``). CSV files are UTF-8
(a byte-order mark is tolerated), comma-separated, with a header line; every value is read as text
and converted strictly (dates must be ``YYYY-MM-DD``). A header-only file is a present, empty
extract; a missing file is an absent extract. Files that are not extracts are listed in
``Extracts.unknown_files`` and reported with an :class:`ExtractWarning`; names starting with a dot
are ignored.
"""

from __future__ import annotations

import csv
import difflib
import os
import warnings
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from scorecard.extracts.container import Extracts
from scorecard.extracts.schemas import SPECS
from scorecard.extracts.validate import (
    ExtraColumns,
    ExtractValidationError,
    ExtractWarning,
    Source,
    assemble,
    failure_frame,
)

FileKind = Literal["csv", "parquet"]

#: File formats read, by suffix.
SUFFIXES: dict[str, FileKind] = {".csv": "csv", ".parquet": "parquet"}


class _FileProblem(Exception):
    """A file that cannot be read as an extract (the message says why)."""


def _read_csv(path: Path) -> tuple[pd.DataFrame, tuple[int, ...], list[tuple[int, int]], int]:
    """Parse a CSV file strictly.

    Returns the frame (all values text; index = record position), the line on which each record
    starts, the (line, field count) of records whose field count differs from the header's (left
    out of the frame), and the number of blank records ignored.
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            records = [(record, reader.line_num) for record in reader]
    except UnicodeDecodeError as exc:
        raise _FileProblem("not UTF-8 text; save the file as UTF-8") from exc
    except csv.Error as exc:
        raise _FileProblem(f"not a valid CSV file: {exc}") from exc
    ends = np.array([end for _, end in records], dtype=int)
    starts = np.concatenate([[1], ends[:-1] + 1]) if len(ends) else ends
    filled = np.array([any(value.strip() for value in record) for record, _ in records], bool)
    if not filled.any():
        raise _FileProblem("the file is empty: not even a header line")
    first = int(np.argmax(filled))
    header = [name.strip() for name in records[first][0]]
    body = [record for record, _ in records[first + 1 :]]
    body_starts = starts[first + 1 :]
    keep_filled = filled[first + 1 :]
    sizes = np.array([len(record) for record in body], dtype=int)
    wrong = keep_filled & (sizes != len(header))
    good = keep_filled & ~wrong
    frame = pd.DataFrame(
        [record for record, ok in zip(body, good, strict=True) if ok],
        columns=header,
        dtype="str",
    )
    if not len(frame):
        frame = pd.DataFrame({name: pd.Series(dtype="str") for name in header})
    mismatched = [
        (int(line), int(size)) for line, size in zip(body_starts[wrong], sizes[wrong], strict=True)
    ]
    return (
        frame,
        tuple(int(line) for line in body_starts[good]),
        mismatched,
        int((~keep_filled).sum()),
    )


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        frame = pd.read_parquet(path)
    except (OSError, ValueError, ImportError) as exc:
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise _FileProblem(f"cannot be read as Parquet: {reason}") from exc
    frame.columns = [str(c) for c in frame.columns]
    return frame.reset_index(drop=True)


def read_extract_file(
    name: str, path: Path, kind: FileKind
) -> tuple[pd.DataFrame | None, Source, list[pd.DataFrame], list[str]]:
    """Read one file; return the raw frame (or ``None``), its source, failures and notes.

    For a CSV the frame's index is the record position and the source maps it to file lines.
    Blank lines are ignored (noted); records with the wrong number of fields are failures.
    """
    spec = SPECS[name]
    source = Source(kind, str(path))
    notes: list[str] = []
    failures: list[pd.DataFrame] = []
    try:
        if kind == "csv":
            frame, lines, mismatched, blank = _read_csv(path)
        else:
            frame, lines, mismatched, blank = _read_parquet(path), None, [], 0
    except _FileProblem as exc:
        return None, source, [failure_frame(spec, source, None, "unreadable_file", str(exc))], notes
    if lines is not None:
        source = Source(kind, str(path), lines)
    if blank:
        notes.append(f"{name} ({path}): {blank} blank line(s) ignored")
    for size, group in pd.DataFrame(mismatched, columns=["line", "size"]).groupby("size"):
        failures.append(
            failure_frame(
                spec,
                source,
                None,
                "field_count",
                f"{size} fields where the header has {len(frame.columns)}; record not read",
                lines=group["line"].tolist(),
            )
        )
    return frame, source, failures, notes


def _organisation_source(
    organisation: pd.DataFrame | str | os.PathLike[str] | None,
) -> tuple[pd.DataFrame | None, Source | None, list[pd.DataFrame], list[str]]:
    """Frame/path given for the organisation table -> (frame or None, Source, failures, notes)."""
    if organisation is None:
        return None, None, [], []
    if isinstance(organisation, pd.DataFrame):
        return organisation, Source("frame"), [], []
    path = Path(organisation)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None or not path.is_file():
        raise FileNotFoundError(f"organisation table {path} is not a .csv or .parquet file")
    frame, source, failures, notes = read_extract_file("organisation", path, kind)
    return frame, source, failures, notes


def load_extracts(
    folder: str | os.PathLike[str],
    organisation: pd.DataFrame | str | os.PathLike[str] | None = None,
    *,
    extra_columns: ExtraColumns = "error",
) -> Extracts:
    """Read and validate every extract in ``folder``.

    ``organisation`` (a DataFrame or a file path) overrides an ``organisation`` file in the folder;
    with neither, teams are not checked (noted in ``Extracts.notes``). Absent extracts are ``None``
    in the result. Raises :class:`ExtractValidationError` listing every failure of every file
    (line numbers: header = line 1), ``FileNotFoundError``/``NotADirectoryError`` for a bad folder.
    """
    root = Path(folder)
    if not root.exists():
        raise FileNotFoundError(f"extract folder {root} does not exist")
    if not root.is_dir():
        raise NotADirectoryError(f"{root} is not a folder")
    found: dict[str, list[tuple[Path, FileKind]]] = {}
    unknown: list[str] = []
    for entry in sorted(root.iterdir()):
        if entry.name.startswith("."):
            continue
        kind = SUFFIXES.get(entry.suffix) if entry.is_file() else None
        if kind is not None and entry.stem in SPECS:
            found.setdefault(entry.stem, []).append((entry, kind))
        else:
            unknown.append(entry.name)
    frames: dict[str, pd.DataFrame | None] = {}
    sources: dict[str, Source] = {}
    failures: list[pd.DataFrame] = []
    notes: list[str] = []
    given, given_source, given_failures, given_notes = _organisation_source(organisation)
    failures += given_failures
    notes += given_notes
    if given is not None and given_source is not None:
        frames["organisation"], sources["organisation"] = given, given_source
        if "organisation" in found:
            ignored = ", ".join(p.name for p, _ in found.pop("organisation"))
            notes.append(f"{ignored} in {root} ignored: organisation table given explicitly")
    elif given_source is not None:  # given as a file that could not be read
        found.pop("organisation", None)
    for name, files in found.items():
        if len(files) > 1:
            failures.append(
                failure_frame(
                    SPECS[name],
                    Source("csv", str(root / name)),
                    None,
                    "ambiguous_source",
                    f"both {' and '.join(p.name for p, _ in files)} exist; keep one",
                )
            )
            continue
        path, kind = files[0]
        frame, source, file_failures, file_notes = read_extract_file(name, path, kind)
        failures += file_failures
        notes += file_notes
        if frame is not None:
            frames[name], sources[name] = frame, source
    if unknown:
        hints = []
        for item in unknown:
            close = difflib.get_close_matches(Path(item).stem.lower(), list(SPECS), n=1)
            hints.append(f"{item} (did you mean {close[0]}?)" if close else item)
        message = f"files in {root} that are not extracts (not read): {', '.join(hints)}"
        notes.append(message)
        warnings.warn(message, ExtractWarning, stacklevel=2)
    return assemble(
        frames,
        sources,
        extra_columns=extra_columns,
        failures=failures,
        notes=notes,
        unknown_files=unknown,
    )


def load_organisation(organisation: str | os.PathLike[str] | pd.DataFrame) -> pd.DataFrame:
    """Read (from a .csv/.parquet file) or take a DataFrame, validate and return the organisation
    table in canonical form (team, area, team_type).

    Raises :class:`ExtractValidationError` if it is invalid.
    """
    frame, source, failures, notes = _organisation_source(organisation)
    if frame is None or source is None:
        raise ExtractValidationError(pd.concat(failures, ignore_index=True), notes)
    extracts = assemble(
        {"organisation": frame}, {"organisation": source}, failures=failures, notes=notes
    )
    assert extracts.organisation is not None
    return extracts.organisation


def write_extracts(
    extracts: Extracts, folder: str | os.PathLike[str], *, file_format: str = "csv"
) -> list[Path]:
    """Write the present extracts (and organisation table) as ``<name>.csv`` or ``<name>.parquet``.

    CSV output is canonical: UTF-8 without BOM, ISO dates, ``True``/``False`` flags, blank for
    missing values, no index. Returns the paths written.
    """
    if file_format not in ("csv", "parquet"):
        raise ValueError(f"file_format must be 'csv' or 'parquet', not {file_format!r}")
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, frame in extracts.frames().items():
        path = root / f"{name}.{file_format}"
        if file_format == "csv":
            frame.to_csv(path, index=False, encoding="utf-8", date_format="%Y-%m-%d")
        else:
            frame.reset_index(drop=True).to_parquet(path, index=False)
        written.append(path)
    return written

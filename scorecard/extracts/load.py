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

import codecs
import csv
import dataclasses
import io
import os
import warnings
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from scorecard.extracts.arrays import release_unused_memory
from scorecard.extracts.container import Extracts
from scorecard.extracts.manifest import MANIFEST_NAME, manifest_for, write_manifest
from scorecard.extracts.quality import AsOf, did_you_mean, quality_entry
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
    """A file that cannot be read as an extract (the message says why; ``line`` where, if known)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def _decode(data: bytes) -> str:
    """The text of a CSV file: UTF-8, with or without a byte-order mark."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _FileProblem(
            "UTF-16 text (Excel's 'Unicode Text'); save the file as 'CSV UTF-8'", line=1
        )
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _FileProblem(
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} on line {line} (a Windows-1252 or "
            "Latin-1 file, as Excel saves plain 'CSV'?); save the file as 'CSV UTF-8'",
            line=line,
        ) from exc


def _read_csv(path: Path) -> tuple[pd.DataFrame, tuple[int, ...], list[tuple[int, int]], list[int]]:
    """Parse a CSV file strictly.

    Returns the frame (all values text; index = record position), the line on which each record
    starts, the (line, field count) of records whose field count differs from the header's (left
    out of the frame), and the lines of blank records ignored.
    """
    text = _decode(path.read_bytes())
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[list[str], int]] = []
    try:
        for record in reader:
            records.append((record, reader.line_num))
    except csv.Error as exc:
        start = records[-1][1] + 1 if records else 1
        hint = " (a double quote that is never closed?)" if "end of data" in str(exc) else ""
        raise _FileProblem(
            f"not a valid CSV file: {exc}{hint} in the record starting on line {start}", line=start
        ) from exc
    ends = np.array([end for _, end in records], dtype=int)
    starts = np.concatenate([[1], ends[:-1] + 1]) if len(ends) else ends
    filled = np.array([any(value.strip() for value in record) for record, _ in records], bool)
    if not filled.any():
        raise _FileProblem("the file is empty: not even a header line")
    first = int(np.argmax(filled))
    header = [name.strip() for name in records[first][0]]
    if len(header) == 1:
        for separator, label in ((";", "semicolon"), ("\t", "tab"), ("|", "pipe")):
            if separator in header[0]:
                raise _FileProblem(
                    f"the header has no commas but has {label}s: the file looks {label}-separated "
                    "(as Excel writes 'CSV' in some locales); save it comma-separated",
                    line=int(starts[first]),
                )
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
        [int(line) for line in body_starts[~keep_filled]],
    )


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        # the file's one table, without pyarrow's dataset layer (same frame as pd.read_parquet)
        with pq.ParquetFile(path) as parquet:
            frame = parquet.read().to_pandas()
    except (OSError, ValueError, ImportError) as exc:
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise _FileProblem(f"cannot be read as Parquet: {reason}") from exc
    frame.columns = [str(c) for c in frame.columns]
    return frame.reset_index(drop=True)


def read_extract_file(
    name: str, path: Path, kind: FileKind
) -> tuple[pd.DataFrame | None, Source, list[pd.DataFrame], list[str], list[pd.DataFrame]]:
    """Read one file; return the raw frame (or ``None``), its source, failures, notes and quality
    entries.

    For a CSV the frame's index is the record position and the source maps it to file lines.
    Blank lines are ignored (noted and counted); records with the wrong number of fields are
    failures.
    """
    spec = SPECS[name]
    source = Source(kind, str(path))
    notes: list[str] = []
    entries: list[pd.DataFrame] = []
    failures: list[pd.DataFrame] = []
    try:
        if kind == "csv":
            frame, lines, mismatched, blank = _read_csv(path)
        else:
            frame, lines, mismatched, blank = _read_parquet(path), None, [], []
    except _FileProblem as exc:
        where = [exc.line] if exc.line is not None else None
        failure = failure_frame(spec, source, None, "unreadable_file", str(exc), lines=where)
        return None, source, [failure], notes, entries
    if lines is not None:
        source = Source(kind, str(path), lines)
    if blank:
        notes.append(f"{name} ({path}): {len(blank)} blank line(s) ignored")
        shown = ", ".join(str(line) for line in blank[:10]) + (", ..." if len(blank) > 10 else "")
        entries.append(
            quality_entry(
                name,
                str(path),
                None,
                "blank_line",
                "ignored",
                "blank lines hold no record",
                rows=len(blank),
                examples=f"line{'s' if len(blank) > 1 else ''} {shown}",
            )
        )
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
    return frame, source, failures, notes, entries


def _organisation_source(
    organisation: pd.DataFrame | str | os.PathLike[str] | None,
) -> tuple[pd.DataFrame | None, Source | None, list[pd.DataFrame], list[str], list[pd.DataFrame]]:
    """Frame/path given for the organisation table -> (frame or None, Source, failures, notes,
    quality entries)."""
    if organisation is None:
        return None, None, [], [], []
    if isinstance(organisation, pd.DataFrame):
        return organisation, Source("frame"), [], [], []
    path = Path(organisation)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None or not path.is_file():
        raise FileNotFoundError(f"organisation table {path} is not a .csv or .parquet file")
    return read_extract_file("organisation", path, kind)


def load_extracts(
    folder: str | os.PathLike[str],
    organisation: pd.DataFrame | str | os.PathLike[str] | None = None,
    *,
    extra_columns: ExtraColumns = "error",
    as_of: AsOf = None,
) -> Extracts:
    """Read and validate every extract in ``folder``.

    ``organisation`` (a DataFrame or a file path) overrides an ``organisation`` file in the folder;
    with neither, teams are not checked (noted in ``Extracts.notes``). Absent extracts are ``None``
    in the result. ``as_of`` is the extraction date: records dated after it are excluded and
    counted (see :func:`~scorecard.extracts.validate_extracts`); ``Extracts.quality`` counts every
    excluded row. Raises :class:`ExtractValidationError` listing every failure of every file
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
        if entry.name.startswith(".") or entry.name == MANIFEST_NAME:
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
    entries: list[pd.DataFrame] = []
    given, given_source, given_failures, given_notes, given_entries = _organisation_source(
        organisation
    )
    failures += given_failures
    notes += given_notes
    entries += given_entries
    if given is not None and given_source is not None:
        frames["organisation"], sources["organisation"] = given, given_source
        if "organisation" in found:
            ignored = ", ".join(p.name for p, _ in found.pop("organisation"))
            notes.append(f"{ignored} in {root} ignored: organisation table given explicitly")
            entries.append(
                quality_entry(
                    "organisation",
                    str(root),
                    None,
                    "ignored_file",
                    "not read",
                    f"{ignored} not read: organisation table given explicitly",
                )
            )
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
        frame, source, file_failures, file_notes, file_entries = read_extract_file(name, path, kind)
        failures += file_failures
        notes += file_notes
        entries += file_entries
        if frame is not None:
            frames[name], sources[name] = frame, source
        del frame  # held by ``frames`` only, which ``assemble`` empties as it converts
    if unknown:
        hints = []
        for item in unknown:
            close = did_you_mean(Path(item).stem, SPECS)
            hints.append(f"{item} (did you mean {close}?)" if close else item)
        message = f"files in {root} that are not extracts (not read): {', '.join(hints)}"
        notes.append(message)
        warnings.warn(message, ExtractWarning, stacklevel=2)
    try:
        loaded = assemble(
            frames,
            sources,
            extra_columns=extra_columns,
            failures=failures,
            notes=notes,
            unknown_files=unknown,
            entries=entries,
            as_of=as_of,
            consume=True,
        )
    finally:
        release_unused_memory()
    return dataclasses.replace(loaded, manifest=manifest_for(loaded, root, loaded.as_of))


def load_organisation(organisation: str | os.PathLike[str] | pd.DataFrame) -> pd.DataFrame:
    """Read (from a .csv/.parquet file) or take a DataFrame, validate and return the organisation
    table in canonical form (team, area, team_type).

    Raises :class:`ExtractValidationError` if it is invalid.
    """
    frame, source, failures, notes, _ = _organisation_source(organisation)
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
    missing values, no index. ``extracts.manifest``, unless inferred, is written as
    ``manifest.yaml``. Returns the paths written.
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
    if extracts.manifest is not None and not extracts.manifest.inferred:
        written.append(write_manifest(extracts.manifest, root))
    return written

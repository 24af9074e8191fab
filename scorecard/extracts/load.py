"""Reading canonical extracts from a folder of CSV or Parquet files.

A folder holds at most one file per extract, named ``<extract>.csv`` or ``<extract>.parquet``
(``referrals.csv``, ``cic_episodes.parquet``, ..., and ``organisation.csv``); ``<extract>.parquet``
may also be a Parquet dataset folder (part files, as Spark writes them). CSV files are UTF-8
(a byte-order mark is tolerated), comma-separated, with a header line; every value is read as text
and converted strictly (dates ``YYYY-MM-DD``, or also ``DD/MM/YYYY`` or ``MM/DD/YYYY`` when the
folder declares that ``date_format``: never guessed). A header-only file is a present, empty
extract; a missing file is an absent extract. Files that are not extracts are listed in
``Extracts.unknown_files`` and reported with an :class:`ExtractWarning`; names starting with a dot
are ignored.

Only regular files (and Parquet dataset folders of regular files) of at most ``max_file_bytes``
are read, and symbolic links only when they lead to a file inside the folder. Anything else named
like an extract (an Excel workbook, another folder, a dangling link, a link leading out of the
folder, a pipe or a device) is *not read*, without being opened: the extract is absent, the reason
is in ``Extracts.not_loaded`` and ``Extracts.quality`` (action ``not read``), and an
:class:`ExtractWarning` names the file.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import io
import mmap
import os
import stat
import warnings
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Literal

import numpy as np
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.csv as pacsv  # type: ignore[import-untyped]
import pyarrow.dataset as pads  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from scorecard.errors import DataError, UsageError
from scorecard.extracts.arrays import release_unused_memory
from scorecard.extracts.coerce import DATE_RANGE, FALSE_WORDS, TRUE_WORDS
from scorecard.extracts.container import Extracts
from scorecard.extracts.manifest import (
    MANIFEST_NAME,
    Manifest,
    infer_manifest,
    read_manifest,
    warn_inferred,
    write_manifest,
)
from scorecard.extracts.categories import is_case
from scorecard.extracts.spec import CATEGORY_KINDS, DateFormat
from scorecard.progress import step

#: The report ``scorecard import`` leaves in the folder it writes: not an extract, not unknown.
IMPORT_REPORT_NAME = "import_report.csv"
from scorecard.extracts.quality import AsOf, did_you_mean, quality_entry
from scorecard.extracts.schemas import SPECS
from scorecard.extracts.validate import (
    MAX_COLUMNS,
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

#: The largest file (or Parquet dataset folder, all parts together) read, in bytes, unless
#: ``max_file_bytes`` says otherwise: far above any real extract, well below what would exhaust
#: the memory of an ordinary machine.
MAX_FILE_BYTES = 2 * 1024**3

#: Suffixes of spreadsheet workbooks: not read (an extract must be saved as CSV or Parquet).
SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".numbers"})

#: Why an extract was not loaded when there was no file for it at all.
NO_FILE = "no file"


class ExtractFolderError(UsageError, FileNotFoundError):
    """The extract folder (or an organisation file given explicitly) does not exist."""


class NotAFolderError(UsageError, NotADirectoryError):
    """The path given as the extract folder is not a folder."""


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


def _too_large(size: int, limit: int) -> _FileProblem:
    return _FileProblem(
        f"the file is larger than the limit of {limit:,} bytes ({size:,} bytes or more); "
        "raise max_file_bytes to read it"
    )


@contextmanager
def _open_regular(path: Path, limit: int) -> Iterator[BinaryIO]:
    """A binary handle on a regular file of at most ``limit`` bytes (by its size on disk).

    The file is opened without blocking (a pipe is not waited on) and checked to be a regular file
    before a byte is read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        raise _FileProblem(f"cannot be opened: {exc.strerror or type(exc).__name__}") from exc
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise _FileProblem("not a regular file (a pipe, device or socket): not read")
        if info.st_size > limit:
            raise _too_large(info.st_size, limit)
        yield handle


def _read_bytes(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (:func:`_open_regular`); reading
    stops after ``limit + 1`` bytes, whatever the file claims."""
    with _open_regular(path, limit) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise _too_large(len(data), limit)
    return data


class UnreadableFileError(DataError):
    """A file that is not a regular file, is larger than the limit, or cannot be opened; the
    message says why (without the file's name, which the caller adds)."""


def read_regular_file(path: str | os.PathLike[str], limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, for readers of other formats (the
    importers of the national returns): the same rules as the extracts' own files (opened without
    blocking, a pipe or device refused before a byte is read, reading stops past the limit).
    Raises :class:`UnreadableFileError`."""
    try:
        return _read_bytes(Path(path), limit)
    except _FileProblem as exc:
        raise UnreadableFileError(str(exc)) from None


#: A parsed CSV file: the frame (all values text; index = record position), the line on which each
#: record starts, the (line, field count) of records whose field count differs from the header's
#: (left out of the frame), and the lines of blank records ignored.
_ParsedCsv = tuple[pd.DataFrame, Sequence[int], list[tuple[int, int]], list[int]]


def _read_csv(
    path: Path,
    limit: int = MAX_FILE_BYTES,
    dates: Collection[str] = (),
    flags: Collection[str] = (),
    categories: Collection[str] = (),
) -> _ParsedCsv:
    """Parse a CSV file strictly (see :func:`_parse_csv`).

    A file of records one per line, without quotes, blank or ragged lines, is read by Arrow's
    vectorised reader (:func:`_parse_csv_fast`), its columns named in ``dates`` and ``flags`` read
    as dates and flags where every value allows it, and those named in ``categories`` as
    ``Categorical`` columns of their text; any other file, record by record (the same result, and
    the same errors with the same line numbers).
    """
    with _file_bytes(path, limit) as data:
        parsed = _parse_csv_fast(data, dates, flags, categories) if dates or flags else None
        if parsed is None:
            parsed = _parse_csv_fast(data, (), (), categories)
        return parsed if parsed is not None else _parse_csv(bytes(data))


#: Files from this size (bytes) are mapped into memory to be parsed rather than copied (smaller
#: ones are read: mapping them would save little).
_MAP_FROM = 1 << 20


@contextmanager
def _file_bytes(path: Path, limit: int) -> Iterator[bytes | mmap.mmap]:
    """The bytes of a regular file of at most ``limit`` bytes, as :func:`_read_bytes` reads them;
    a file of :data:`_MAP_FROM` bytes or more is mapped into memory (read-only, the size it had
    when opened) instead of copied, which saves the copy and the fresh memory it fills (about 0.2 s
    of the 2.7 s of CPU of reading the CSV extracts at scale 10). As with any mapped file, a file
    cut short by another program while it is being read ends the process (``SIGBUS``) rather than
    being read short; extracts are not expected to change while they are loaded."""
    with _open_regular(path, limit) as handle:
        size = os.fstat(handle.fileno()).st_size
        mapped = None
        if size >= _MAP_FROM:
            try:
                mapped = mmap.mmap(handle.fileno(), size, access=mmap.ACCESS_READ)
            except (OSError, ValueError):  # a file system that cannot map files: read it
                mapped = None
        if mapped is None:
            data = handle.read(limit + 1)
            if len(data) > limit:
                raise _too_large(len(data), limit)
            yield data
            return
        try:
            yield mapped
        finally:
            try:
                mapped.close()
            except BufferError:  # still exported (an error's traceback): closed when collected
                pass


#: Python's whitespace (what ``str.strip()`` removes) as a regular-expression class for Arrow.
_PY_WHITESPACE = (
    r"[\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}"
    r"\x{202f}\x{205f}\x{3000}]"
)
#: A blank field: nothing but whitespace.
_BLANK = f"^{_PY_WHITESPACE}*$"
#: The type of the text columns read dictionary-encoded (``categories`` of :func:`_parse_csv_fast`):
#: each distinct text held once, as :func:`pyarrow.compute.dictionary_encode` holds it.
_TEXT_CODES = pa.dictionary(pa.int32(), pa.large_string())
#: The spellings Arrow reads as flags: each word of the loader's in lower case, capitalised and in
#: capitals (the loader reads any case; other spellings leave the file to be read as text).
_FLAG_SPELLINGS = {
    flag: sorted({form for word in words for form in (word, word.title(), word.upper())})
    for flag, words in ((True, TRUE_WORDS), (False, FALSE_WORDS))
}


def _parse_csv_fast(
    data: bytes | mmap.mmap,
    dates: Collection[str] = (),
    flags: Collection[str] = (),
    categories: Collection[str] = (),
) -> _ParsedCsv | None:
    """:func:`_parse_csv` by Arrow's vectorised CSV reader, for the files where it is sure to give
    the same result; ``None`` for any other file (then read record by record).

    With ``dates``, the columns of those names are read as dates (``date32``) instead of text,
    and the file is read so only if every value present in them is a date ``YYYY-MM-DD`` from
    1678 to 2261, with nothing around it but spaces or tabs (Arrow's reading; the same date as
    :func:`~scorecard.extracts.coerce.to_date` reads from the text), or blank; otherwise ``None``
    (the caller then reads the file as text). Conversion then has nothing to report on them.
    Likewise ``flags``, read as booleans (``boolean``, missing when blank) only if every value
    present is one of :data:`~scorecard.extracts.coerce.TRUE_WORDS` or ``FALSE_WORDS`` in lower
    case, capitalised or in capitals, with nothing around it (the same flag as
    :func:`~scorecard.extracts.coerce.to_flag` reads from the text). The text columns named in
    ``categories`` are dictionary-encoded (``Categorical`` columns of the same text, each distinct
    value held once: see :func:`~scorecard.extracts.coerce.categorical_to_text`).

    Read here: UTF-8 files (with or without a byte-order mark) whose header line is the first line
    and has at least two names, with no double quote at all (so each line is one record, split at
    its commas), lines ending in LF or CR LF, and every line a record with the header's number of
    fields or a blank line. Arrow's rows are then exactly the lines after the header: a row of
    blank fields (an empty line is one) is a blank line, ignored; the others are the records.
    """
    start = len(codecs.BOM_UTF8) if data[: len(codecs.BOM_UTF8)] == codecs.BOM_UTF8 else 0
    if (
        len(data) <= start
        or data[start : start + 1] in (b"\n", b"\r")
        or data.find(b'"') >= 0
        or (data.find(b"\r") >= 0 and not _crs_end_lines(data))
    ):
        return None
    first_end = data.find(b"\n", start)
    first = data[start : len(data) if first_end < 0 else first_end].removesuffix(b"\r")
    if first.count(b",") >= MAX_COLUMNS:
        return None
    try:
        header = [name.strip() for name in first.decode("utf-8").split(",")]
    except UnicodeDecodeError:
        return None
    if len(header) < 2 or not any(header):
        return None
    positions = [f"f{i}" for i in range(len(header))]
    types = {
        position: pa.date32()
        if name in dates
        else pa.bool_()
        if name in flags
        else _TEXT_CODES
        if name in categories
        else pa.large_string()
        for position, name in zip(positions, header, strict=True)
    }
    if (dates or flags) and not {pa.date32(), pa.bool_()} & set(types.values()):
        return None
    # blocks of a sixteenth of the file (1-64 MiB): few chunks per column, parsed on every core
    block = min(max(len(data) // 16, 1 << 20), 1 << 26)
    try:
        # text as large strings, as pandas holds them; values not UTF-8 raise (a field holds
        # every byte that is not a comma or a line end: valid fields make a valid file)
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(data).slice(start)),
            read_options=pacsv.ReadOptions(column_names=positions, skip_rows=1, block_size=block),
            parse_options=pacsv.ParseOptions(
                delimiter=",", quote_char=False, newlines_in_values=False, ignore_empty_lines=False
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=types,
                null_values=[""],  # for the dates and flags only: text is never null
                true_values=_FLAG_SPELLINGS[True],
                false_values=_FLAG_SPELLINGS[False],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                check_utf8=True,
            ),
        )
    except (pa.ArrowException, ValueError):  # ragged, not UTF-8, not a date: read otherwise
        return None
    for column in table.columns:
        if column.type == pa.date32() and column.null_count < len(column):
            low, high = pc.min_max(column).values()
            if low.as_py() < DATE_RANGE[0] or high.as_py() > DATE_RANGE[1]:
                return None  # a date that conversion refuses: read as text, and reported
    # an empty line is a row of empty values, as a line of blank fields is: a blank record
    blank = _blank_values(table.column(0), None)
    candidates = np.flatnonzero(blank)  # the rows blank in every column seen so far
    for column in table.columns[1:]:
        if not len(candidates):
            break
        candidates = candidates[_blank_values(column, candidates)]
    blank[:] = False
    blank[candidates] = True
    lines: Sequence[int] = range(2, table.num_rows + 2)  # record i is on line i + 2
    ignored: list[int] = []
    if blank.any():  # blank records (and empty lines) are ignored, and noted
        table = table.filter(pa.array(~blank))
        # the text codes of the records kept only (as encoded once the blank ones are left out)
        table = pa.table(
            [
                pc.dictionary_encode(pc.cast(c, pa.large_string())) if c.type == _TEXT_CODES else c
                for c in table.columns
            ],
            names=table.column_names,
        )
        lines = tuple((np.flatnonzero(~blank) + 2).tolist())
        ignored = (np.flatnonzero(blank) + 2).tolist()
    if not table.num_rows:
        frame = pd.DataFrame({name: pd.Series(dtype="str") for name in header})
    else:
        text = pd.StringDtype("pyarrow", na_value=np.nan)
        # dates as the canonical datetime64[ns] (in range: checked above), missing as NaT
        stamps = pa.timestamp("ns")
        table = pa.table(
            [pc.cast(c, stamps) if c.type == pa.date32() else c for c in table.columns],
            names=table.column_names,
        )
        mapper = {pa.large_string(): text, pa.bool_(): pd.BooleanDtype()}
        frame = table.to_pandas(types_mapper=mapper.get)
        frame.columns = header
    return frame, lines, [], ignored


def _crs_end_lines(data: bytes | mmap.mmap, step: int = 1 << 24) -> bool:
    """Whether every carriage return in ``data`` is followed by a line feed (``data.count(b"\\r")
    == data.count(b"\\r\\n")``, for a mapped file as well), looked at ``step`` bytes at a time
    so that a large file exported with CRLF line ends needs no mask of its whole size."""
    values = np.frombuffer(data, dtype=np.uint8)
    for start in range(0, len(values), step):
        returns = np.flatnonzero(values[start : start + step] == 0x0D) + start
        if len(returns) and (
            int(returns[-1]) + 1 >= len(values) or not (values[returns + 1] == 0x0A).all()
        ):
            return False
    return True


def _blank_values(column: pa.ChunkedArray, rows: np.ndarray | None) -> np.ndarray:
    """Which of the values at positions ``rows`` (ascending; ``None``: all) of a column of
    :func:`_parse_csv_fast` are blank: nothing but whitespace (a date or flag column: missing).

    A value whose first byte is printable ASCII other than the space is not blank; only the others
    are matched against :data:`_BLANK`.
    """
    if column.type in (pa.date32(), pa.bool_()):
        missing = np.asarray(column.is_null(), dtype=bool)
        return missing if rows is None else missing[rows]
    if column.type == _TEXT_CODES:  # each chunk's distinct values matched once, then looked up
        found = [
            np.asarray(pc.match_substring_regex(chunk.dictionary, _BLANK), dtype=bool)[
                np.asarray(chunk.indices)
            ]
            for chunk in column.chunks
        ]
        blank = np.concatenate(found) if found else np.zeros(0, dtype=bool)
        return blank if rows is None else blank[rows]
    firsts = []
    for chunk in column.chunks:  # large strings: int64 offsets
        offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int64)
        starts = offsets[chunk.offset : chunk.offset + len(chunk)]
        filled = offsets[chunk.offset + 1 : chunk.offset + len(chunk) + 1] > starts
        first = np.zeros(len(chunk), dtype=np.uint8)
        if filled.any():
            data = np.frombuffer(chunk.buffers()[2], dtype=np.uint8)
            first[filled] = data[starts[filled]]
        firsts.append(first)
    first = np.concatenate(firsts) if firsts else np.zeros(0, dtype=np.uint8)
    if rows is not None:
        first = first[rows]
    maybe = (first < 0x21) | (first > 0x7E)  # empty, whitespace or not ASCII: look closer
    out = np.zeros(len(first), dtype=bool)
    if maybe.any():
        at = np.flatnonzero(maybe) if rows is None else rows[maybe]
        values = column.take(pa.array(at))
        out[maybe] = np.asarray(pc.match_substring_regex(values, _BLANK), dtype=bool)
    return out


def _parse_csv(data: bytes) -> _ParsedCsv:
    """Parse the bytes of a CSV file strictly, record by record (Python's ``csv`` module).

    The reference reading of a CSV file: :func:`_parse_csv_fast` gives the same result, faster,
    for the files it can read.
    """
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[list[str], int]] = []
    try:
        for record in reader:
            if len(record) > MAX_COLUMNS:  # checked as the file is parsed: no work on the rest
                start = records[-1][1] + 1 if records else 1
                what = (
                    "the header"
                    if not any(any(v.strip() for v in r) for r, _ in records)
                    else (f"the record starting on line {start}")
                )
                raise _FileProblem(
                    f"{what} has {len(record):,} fields, more than the {MAX_COLUMNS:,} columns any "
                    "extract could have: not read",
                    line=start,
                )
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


def _parquet_problem(exc: Exception) -> _FileProblem:
    reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    return _FileProblem(f"cannot be read as Parquet: {reason}")


def _check_width(schema: pa.Schema) -> None:
    if len(schema.names) > MAX_COLUMNS:
        raise _FileProblem(
            f"the file has {len(schema.names):,} columns, more than the {MAX_COLUMNS:,} any "
            "extract could have: not read"
        )


def _dataset_parts(folder: Path) -> tuple[list[Path], str | None]:
    """The part files of a Parquet dataset folder, or why the folder is not read.

    Every entry below the folder must be a regular file or a folder (partitions such as
    ``year=2015/``); names starting with ``.`` or ``_`` (``_SUCCESS``, ``.crc`` files) are left
    out, as pyarrow leaves them out.
    """
    parts: list[Path] = []
    for current, folders, files in os.walk(folder, followlinks=False):
        folders[:] = sorted(f for f in folders if not f.startswith((".", "_")))
        for name in [*folders, *sorted(files)]:
            if name.startswith((".", "_")):
                continue
            mode = os.lstat(Path(current) / name).st_mode
            if stat.S_ISLNK(mode):
                return [], "a Parquet dataset folder holding a symbolic link: not followed"
            if stat.S_ISREG(mode):
                parts.append(Path(current) / name)
            elif not stat.S_ISDIR(mode):
                return [], "a Parquet dataset folder holding a pipe, device or socket"
    if not parts:
        return [], "a folder holding no Parquet part files"
    return parts, None


def _read_parquet(
    path: Path, limit: int = MAX_FILE_BYTES, dictionary: Collection[str] = ()
) -> pd.DataFrame:
    """A Parquet file (or dataset folder) as a frame; its text columns named in ``dictionary``
    are read as Arrow dictionaries (pandas ``Categorical`` columns: each distinct text held once,
    as the file stores it), the others as pandas reads them."""
    if path.is_dir():
        return _read_parquet_dataset(path, limit)
    with _open_regular(path, limit) as handle:
        try:
            # the file's one table, without pyarrow's dataset layer (same frame as pd.read_parquet)
            schema = pq.read_schema(handle)
            _check_width(schema)
            text = [
                f.name
                for f in schema
                if f.name in dictionary and f.type in (pa.string(), pa.large_string())
            ]
            handle.seek(0)
            with pq.ParquetFile(handle, read_dictionary=text or None) as parquet:
                frame = parquet.read().to_pandas()
        except (OSError, ValueError, ImportError, pa.ArrowException) as exc:
            raise _parquet_problem(exc) from exc
    frame.columns = [str(c) for c in frame.columns]
    return frame.reset_index(drop=True)


def _read_parquet_dataset(folder: Path, limit: int) -> pd.DataFrame:
    """A Parquet dataset folder (``referrals.parquet/part-0000.parquet``, ...) as one frame."""
    parts, problem = _dataset_parts(folder)
    if problem is not None:
        raise _FileProblem(problem)
    size = sum(part.stat().st_size for part in parts)
    if size > limit:
        raise _too_large(size, limit)
    try:
        dataset = pads.dataset(str(folder), format="parquet", partitioning="hive")
        _check_width(dataset.schema)
        frame = dataset.to_table().to_pandas()
    except (OSError, ValueError, ImportError, pa.ArrowException) as exc:
        raise _parquet_problem(exc) from exc
    frame.columns = [str(c) for c in frame.columns]
    return frame.reset_index(drop=True)


def read_extract_file(
    name: str, path: Path, kind: FileKind, max_file_bytes: int = MAX_FILE_BYTES
) -> tuple[pd.DataFrame | None, Source, list[pd.DataFrame], list[str], list[pd.DataFrame]]:
    """Read one file; return the raw frame (or ``None``), its source, failures, notes and quality
    entries.

    For a CSV the frame's index is the record position and the source maps it to file lines.
    Blank lines are ignored (noted and counted); records with the wrong number of fields are
    failures. A file larger than ``max_file_bytes`` is a failure (``unreadable_file``).
    """
    spec = SPECS[name]
    source = Source(kind, str(path))
    notes: list[str] = []
    entries: list[pd.DataFrame] = []
    failures: list[pd.DataFrame] = []
    try:
        if kind == "csv":
            dates = [field.name for field in spec.fields if field.kind == "date"]
            flags = [field.name for field in spec.fields if field.kind == "bool"]
            # an extract's codes and teams dictionary-encoded (the organisation keeps its text)
            text = [f.name for f in spec.fields if f.kind in CATEGORY_KINDS and is_case(name)]
            frame, lines, mismatched, blank = _read_csv(path, max_file_bytes, dates, flags, text)
        else:
            # an extract's codes and teams read as dictionaries: never text row by row (see
            # coerce; the organisation table keeps its text)
            text = [f.name for f in spec.fields if f.kind in CATEGORY_KINDS and is_case(name)]
            frame = _read_parquet(path, max_file_bytes, text)
            lines, mismatched, blank = None, [], []
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
    max_file_bytes: int = MAX_FILE_BYTES,
) -> tuple[pd.DataFrame | None, Source | None, list[pd.DataFrame], list[str], list[pd.DataFrame]]:
    """Frame/path given for the organisation table -> (frame or None, Source, failures, notes,
    quality entries)."""
    if organisation is None:
        return None, None, [], [], []
    if isinstance(organisation, pd.DataFrame):
        return organisation, Source("frame"), [], [], []
    if not isinstance(organisation, (str, os.PathLike)):
        raise UsageError(
            "organisation must be a DataFrame or the path of a .csv or .parquet file, not "
            f"{type(organisation).__name__}"
        )
    path = Path(organisation)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None or not (path.is_file() or (kind == "parquet" and path.is_dir())):
        raise ExtractFolderError(f"organisation table {path} is not a .csv or .parquet file")
    return read_extract_file("organisation", path, kind, max_file_bytes)


def _not_read_reason(entry: Path, suffix: str, inside: Path) -> str | None:
    """Why ``entry`` (named like an extract, with ``suffix``) is not read; ``None`` if it is read.

    Decided from the entry's metadata only: nothing is opened. ``inside`` is the resolved folder
    that a symbolic link must lead into.
    """
    try:
        info = os.lstat(entry)
        if stat.S_ISLNK(info.st_mode):
            try:
                target = entry.resolve(strict=True)
            except (OSError, RuntimeError):
                return "a symbolic link to nothing (its target does not exist)"
            if not target.is_relative_to(inside):
                return "a symbolic link leading outside the extracts folder: not followed"
            info = os.stat(target)
    except OSError as exc:
        return f"cannot be examined: {exc.strerror or type(exc).__name__}"
    kind = SUFFIXES.get(suffix)
    if kind is None:
        if suffix.lower() in SPREADSHEET_SUFFIXES:
            return "save as CSV UTF-8 or Parquet"
        if stat.S_ISDIR(info.st_mode):
            return "a folder, not a file (a Parquet dataset folder must be named <extract>.parquet)"
        return "only <extract>.csv and <extract>.parquet files are read (lower case)"
    if stat.S_ISDIR(info.st_mode):
        if kind == "parquet":
            _, problem = _dataset_parts(entry)
            return problem
        return "a folder, not a CSV file"
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file (a pipe, device or socket)"
    return None


def survey_folder(
    root: Path,
) -> tuple[dict[str, list[tuple[Path, FileKind]]], dict[str, list[tuple[str, str]]], list[str]]:
    """The entries of an extract folder: ``(found, unread, unknown)``.

    ``found`` maps each extract to the files (or Parquet dataset folders) to read; ``unread`` maps
    an extract to the entries named like it (``referrals.xlsx``, a ``referrals`` folder, a dangling
    ``referrals.csv`` link) that are not read, with the reason; ``unknown`` lists the other entries
    (names starting with a dot are ignored). Nothing is opened.
    """
    inside = root.resolve()
    found: dict[str, list[tuple[Path, FileKind]]] = {}
    unread: dict[str, list[tuple[str, str]]] = {}
    unknown: list[str] = []
    for entry in sorted(root.iterdir()):
        if entry.name.startswith("."):
            continue
        base, dot, rest = entry.name.partition(".")
        if base not in SPECS:
            unknown.append(entry.name)
            continue
        suffix = dot + rest
        reason = _not_read_reason(entry, suffix, inside)
        if reason is None:
            found.setdefault(base, []).append((entry, SUFFIXES[suffix]))
        else:
            unread.setdefault(base, []).append((entry.name, reason))
    return found, unread, unknown


def _unread_entries(
    root: Path, unread: dict[str, list[tuple[str, str]]]
) -> tuple[list[pd.DataFrame], list[str]]:
    """Quality entries (action ``not read``) and notes for the entries not read."""
    entries, notes = [], []
    for name, items in unread.items():
        for file, reason in items:
            detail = f"{file}: not read: {reason}"
            notes.append(f"{name} ({root / file}): {detail}")
            entries.append(
                quality_entry(name, str(root / file), None, "not_read", "not read", detail)
            )
    return entries, notes


def load_extracts(
    folder: str | os.PathLike[str],
    organisation: pd.DataFrame | str | os.PathLike[str] | None = None,
    *,
    extra_columns: ExtraColumns = "error",
    as_of: AsOf = None,
    max_file_bytes: int = MAX_FILE_BYTES,
    date_format: DateFormat | str | None = None,
) -> Extracts:
    """Read and validate every extract in ``folder``.

    ``date_format`` says how the CSV files write dates: ``"YYYY-MM-DD"``, ``"DD/MM/YYYY"`` (day
    first, as Excel writes dates in the UK) or ``"MM/DD/YYYY"``; ISO dates are read under every
    format, and a date that does not fit is an error naming the extract, column and lines, never
    guessed. By default the folder's ``manifest.yaml`` says (``date_format:``), else
    ``YYYY-MM-DD``; a ``date_format`` given that disagrees with the manifest is a
    :class:`UsageError`.

    ``organisation`` (a DataFrame or a file path) overrides an ``organisation`` file in the folder;
    with neither, teams are not checked (noted in ``Extracts.notes``). Absent extracts are ``None``
    in the result. ``as_of`` is the extraction date: records dated after it are excluded and
    counted (see :func:`~scorecard.extracts.validate_extracts`); ``Extracts.quality`` counts every
    excluded row. Entries named like an extract that are not read (an Excel workbook, a folder, a
    dangling link, a link out of the folder, a pipe) leave the extract absent, with the reason in
    ``Extracts.not_loaded``; a file larger than ``max_file_bytes`` is a failure. Raises
    :class:`ExtractValidationError` listing every failure of every file (line numbers: header =
    line 1), :class:`ExtractFolderError` / :class:`NotAFolderError` (``UsageError``s, also
    ``FileNotFoundError`` / ``NotADirectoryError``) for a bad folder.
    """
    if (
        isinstance(max_file_bytes, bool)
        or not isinstance(max_file_bytes, int)
        or max_file_bytes < 1
    ):
        raise UsageError(
            f"max_file_bytes must be a whole number of bytes >= 1, not {max_file_bytes!r}"
        )
    root = Path(folder)
    if not root.exists():
        raise ExtractFolderError(f"extract folder {root} does not exist")
    if not root.is_dir():
        raise NotAFolderError(f"{root} is not a folder")
    declared = read_manifest(root)  # a broken manifest.yaml is reported before anything is read
    order = folder_date_format(date_format, declared, root)
    with step(f"loading the extracts in {root.name or root}/"):
        loaded = _load_folder(root, organisation, extra_columns, as_of, max_file_bytes, order)
    return dataclasses.replace(loaded, manifest=_manifest(loaded, root, declared))


def _manifest(loaded: Extracts, root: Path, declared: Manifest | None) -> Manifest | None:
    """The folder's manifest, else one inferred from the records (with the warning, attributed
    to the caller of :func:`load_extracts`)."""
    if declared is not None:
        return declared
    inferred = infer_manifest(loaded, loaded.as_of)
    warn_inferred(inferred, str(root))
    return inferred


def folder_date_format(
    given: DateFormat | str | None, manifest: Manifest | None, root: Path | None = None
) -> DateFormat:
    """The date format to read a folder with: ``given`` (checked against the manifest's), else
    the manifest's ``date_format``, else ``YYYY-MM-DD``."""
    from scorecard.extracts.validate import date_format_of

    declared = manifest.date_format if manifest is not None else None
    if given is None:
        return declared if declared is not None else DateFormat.ISO
    chosen = date_format_of(given)
    if declared is not None and chosen is not declared:
        where = f"{root / MANIFEST_NAME}" if root is not None else MANIFEST_NAME
        raise UsageError(
            f"date format {chosen.value} given, but {where} declares date_format "
            f"{declared.value}: give the one the files are written in"
        )
    return chosen


def _load_folder(
    root: Path,
    organisation: pd.DataFrame | str | os.PathLike[str] | None,
    extra_columns: ExtraColumns,
    as_of: AsOf,
    max_file_bytes: int,
    date_format: DateFormat,
) -> Extracts:
    """:func:`load_extracts` once the folder and its manifest are known (without the manifest)."""
    found, unread, unknown = survey_folder(root)
    unknown = [name for name in unknown if name not in (MANIFEST_NAME, IMPORT_REPORT_NAME)]
    frames: dict[str, pd.DataFrame | None] = {}
    sources: dict[str, Source] = {}
    failures: list[pd.DataFrame] = []
    notes: list[str] = []
    entries: list[pd.DataFrame] = []
    given, given_source, given_failures, given_notes, given_entries = _organisation_source(
        organisation, max_file_bytes
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
    if given_source is not None:
        unread.pop("organisation", None)
    for name in found:  # an entry not read beside the file that is read: reported, not a reason
        for file, reason in unread.get(name, []):
            message = f"{file} in {root} not read ({reason}): {name} read from another file"
            notes.append(message)
    unread_entries, unread_notes = _unread_entries(root, unread)
    entries += unread_entries
    notes += unread_notes
    unread_files = [file for items in unread.values() for file, _ in items]
    if unread_files:
        warnings.warn(
            f"files in {root} named like extracts but not read: "
            + ", ".join(
                f"{file} ({reason})" for items in unread.values() for file, reason in items
            ),
            ExtractWarning,
            stacklevel=4,
        )
    not_loaded = {
        name: "; ".join(f"{file}: not read: {reason}" for file, reason in unread[name])
        if name in unread and name not in found
        else NO_FILE
        for name in SPECS
        if name not in found and not (name == "organisation" and given_source is not None)
    }
    files: dict[str, tuple[Path, FileKind]] = {}
    for name, candidates in found.items():
        if len(candidates) > 1:
            failures.append(
                failure_frame(
                    SPECS[name],
                    Source("csv", str(root / name)),
                    None,
                    "ambiguous_source",
                    f"both {' and '.join(p.name for p, _ in candidates)} exist; keep one",
                )
            )
        else:
            files[name] = candidates[0]
    later_notes: list[str] = []
    if unknown:
        hints = []
        for item in unknown:
            close = did_you_mean(Path(item).stem, SPECS)
            hints.append(f"{item} (did you mean {close}?)" if close else item)
        message = f"files in {root} that are not extracts (not read): {', '.join(hints)}"
        later_notes.append(message)
        warnings.warn(message, ExtractWarning, stacklevel=4)
    try:
        with ThreadPoolExecutor(max_workers=1) as reader:
            reading = _ReadAhead(files, max_file_bytes, frames, sources, reader)
            try:
                loaded = assemble(
                    reading,
                    sources,
                    extra_columns=extra_columns,
                    failures=_After(lambda: [*failures, *reading.failures()]),
                    notes=_After(lambda: [*notes, *reading.notes(), *later_notes]),
                    unknown_files=unknown,
                    entries=_After(lambda: [*entries, *reading.entries()]),
                    as_of=as_of,
                    consume=True,
                    not_loaded=not_loaded,
                    date_format=date_format,
                )
            finally:
                reading.cancel()
    finally:
        release_unused_memory()
    return loaded


_Read = tuple[pd.DataFrame | None, Source, list[pd.DataFrame], list[str], list[pd.DataFrame]]


class _After:
    """An iterable whose items are made when it is iterated (findings of files read later)."""

    def __init__(self, make: Callable[[], list]) -> None:
        self._make = make

    def __iter__(self) -> Iterator:
        return iter(self._make())


class _ReadAhead(Mapping[str, pd.DataFrame]):
    """The extracts of a folder for :func:`assemble`, each file read on a second thread while the
    extract before it is checked (one file ahead, so that at most two raw extracts are held).

    ``assemble`` asks for the extracts in ``SPECS`` order; asking for one waits for its file (the
    step "reading <file>" shown is that wait) and starts reading the next. What reading found is
    kept by extract and given in the order of the folder's files (:meth:`failures`, :meth:`notes`,
    :meth:`entries`), as when the files were read one after the other before checking.
    """

    def __init__(
        self,
        files: Mapping[str, tuple[Path, FileKind]],
        max_file_bytes: int,
        given: Mapping[str, pd.DataFrame | None],
        sources: dict[str, Source],
        pool: ThreadPoolExecutor,
    ) -> None:
        self._files = dict(files)
        self._order = [name for name in SPECS if name in self._files]
        self._given = dict(given)
        self._sources = sources
        self._pool = pool
        self._limit = max_file_bytes
        self._pending: dict[str, Future[_Read]] = {}
        self._read: dict[str, _Read] = {}
        self._start(0)

    def _start(self, position: int) -> None:
        if position < len(self._order):
            name = self._order[position]
            if name not in self._pending and name not in self._read:
                path, kind = self._files[name]
                self._pending[name] = self._pool.submit(
                    read_extract_file, name, path, kind, self._limit
                )

    def get(self, name: str, default: pd.DataFrame | None = None) -> pd.DataFrame | None:  # type: ignore[override]
        if name in self._given:
            return self._given.pop(name)
        if name not in self._files or name in self._read:
            return default
        position = self._order.index(name)
        self._start(position)
        self._start(position + 1)
        path, _ = self._files[name]
        with step(f"reading {path.name}"):
            frame, source, failures, notes, entries = self._pending.pop(name).result()
        self._read[name] = (None, source, failures, notes, entries)  # the frame is not kept
        if frame is None:
            return default
        self._sources[name] = source
        return frame

    def __getitem__(self, name: str) -> pd.DataFrame:
        frame = self.get(name)
        if frame is None:
            raise KeyError(name)
        return frame

    def __iter__(self) -> Iterator[str]:
        return iter([*self._given, *self._order])

    def __len__(self) -> int:
        return len(self._given) + len(self._order)

    def cancel(self) -> None:
        """Stop reading ahead (when checking stopped early)."""
        for future in self._pending.values():
            future.cancel()

    def _found(self, part: int) -> list:
        return [
            item for name in self._files if name in self._read for item in self._read[name][part]
        ]

    def failures(self) -> list[pd.DataFrame]:
        return self._found(2)

    def notes(self) -> list[str]:
        return self._found(3)

    def entries(self) -> list[pd.DataFrame]:
        return self._found(4)


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

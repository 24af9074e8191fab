"""SSDA903 (children looked after return) to canonical extracts: :func:`import_ssda903`.

Input: the return's CSV tables (``header``, ``episodes``, ``reviews``, ``uasc``, ``oc2``, ``oc3``,
``ad1``, ``placed_for_adoption``, ``missing``, ``previous_permanence``, ``sw_episodes``), a file
per table and collection year, or the XML form (``<EXPSSDA903><CHILD><HEADER>...<EPISODE>``).

The rules (each counted in the import report, never silent):

* **Files.** A file's table is the table name in its file name (``episodes_2017.csv``,
  ``SSDA903_2016-17_reviews.csv``); a folder is read with its sub-folders (one level). A folder
  holding CSV tables is read for its CSV tables only (an XML file beside them is reported, not
  read: give it on its own). Other files are reported as not read.
* **Collection years.** One year given for every file (``collection_years=2017``) is that year;
  else the year a ``collection_years`` mapping (path -> year) gives the file, else a year in the
  file name, else in a folder name (``2016-17``, ``2016_17``: 2016-17; a lone ``2017``: the return
  of the year ending 31 March 2017, i.e. 2016-17). Either every file has a
  year or none has (an error names the files). Undated input is one return: its year is the one
  holding the latest episode start (DECOM); the first year is the one holding the earliest episode
  end (DEC), if earlier. ``first_date_covered`` is 1 April of the first year, ``extraction_date``
  31 March after the last. A year missing between two given years moves ``first_date_covered`` to
  after it (episodes that began and ended in it are missing), with a note. Dates after the
  extraction date (other than DUC) are kept and counted in the report.
* **Dates** ``dd/mm/yyyy``: a value that is not a date is a :class:`ReturnImportError` naming file,
  line (CSV) or element (XML), child and column (every bad date at once); so is a missing CHILD,
  DOB, DECOM or REVIEW.
* **Years combined.** Exact repeats (header, reviews, episodes, ... repeated in each year's return)
  are kept once. Episodes with the same CHILD and DECOM: the latest year's row wins (it completes an
  earlier year's open episode with its DEC and REC). Header, UASC, AD1 and placed-for-adoption rows
  of one child: the latest year wins; conflicting values are counted.
* **Codes** are checked against :mod:`scorecard.importers.dfe_codes`. An unknown RNE, LS, PLACE or
  (on an ended episode) REC excludes the episode; an unknown REVIEW_CODE the review; an unknown
  IN_TOUCH the OC3 contact (the care leaver stays). An unknown PLACE_PROVIDER, ACCOM, ACTIV or
  FOSTER_CARE is left blank and the row kept; an unknown SEX becomes ``U``. Unknown CIN,
  REASON_PLACE_CHANGE and ETHNIC codes (fields not mapped) are reported, the row kept.
* **Episodes.** REC on an open episode (no DEC) is dropped (the canonical extract has no reason
  without an end). An episode with DEC but no REC, or ending before it starts, is excluded.
  **Overlaps**: the episode with the later start is in force: an earlier episode of the child that
  is still open at (or ends after) the next episode's DECOM is cut there: its end becomes that DECOM
  and its reason ``X1`` (episode ceased, still looked after). Each cut is listed (old and new end).
* **Identifiers**: episode ``<CHILD>-<DECOM ISO>``; review ``<CHILD>-<REVIEW ISO>-<REVIEW_CODE>``
  (a child can have two review codes on one date); allocation ``<CHILD>-<SW_DECOM ISO>-<SW_ID>``;
  care leaver contact ``<CHILD>-<contact date ISO>``; adoption ``<CHILD>``.
* **Care leavers** (OC3): every young person in OC3 is a ``care_leavers`` row (eligibility
  ``former_relevant``, the OC3 cohort); each OC3 row a contact dated on the birthday in its
  collection year (the same answers in two years are two contacts). ACCOM splits into type and
  suitability (``0``: both blank); ACTIV ``0`` is blank.
* **Adoptions**: one row per child in AD1 or placed_for_adoption, or with an episode of LS E1, a
  placement A1-A6 or an ending E11/E12: decision = DATE_PLACED (else DATE_INT); placement order =
  DECOM of the first E1 episode; match = DATE_MATCH; placed = DECOM of the first A1-A6 episode;
  adoption order = DEC of the last E11/E12 episode; reversed = DATE_PLACED_CEASED; foster carer
  adoption = FOSTER_CARE, else A5/A6 yes, A3/A4 no; moved in with the carer = DECOM of the child's
  first episode at the adoptive placement's postcode (PL_POST), for foster carer adoptions. An
  adoption order before the placement, or a reversal before the decision, is left blank (counted).
* **Allocations** (sw_episodes): worker SW_ID, role ``social_worker``; an end before the start
  excludes the row.
* **Records of a child without a header row** are excluded from every extract (the children
  extract needs the sex and date of birth); listed. When no header table is given at all, children
  is absent and nothing is excluded for it.
* ``team`` is left missing: the 903 return has no team. ``distance_miles`` is left missing: it
  needs a postcode lookup of HOME_POST / PL_POST (reported).
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import io
import operator
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Self, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from scorecard.extracts.load import UnreadableFileError, read_regular_file
from scorecard.importers import dfe_codes as codes
from scorecard.importers.base import REPORT_COLUMNS, ImportResult, ReturnImportError

SOURCE = "ssda903"
S = TypeVar("S")
T = TypeVar("T")

#: Table -> columns the importer needs (other columns are read and ignored).
REQUIRED_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "header": ("CHILD", "SEX", "DOB"),
    "episodes": ("CHILD", "DECOM", "RNE", "LS", "PLACE", "DEC", "REC"),
    "reviews": ("CHILD", "REVIEW", "REVIEW_CODE"),
    "uasc": ("CHILD", "DUC"),
    "oc3": ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
    "ad1": ("CHILD", "DATE_INT", "DATE_MATCH", "FOSTER_CARE"),
    "placed_for_adoption": ("CHILD", "DATE_PLACED", "DATE_PLACED_CEASED"),
    "sw_episodes": ("CHILD", "SW_ID", "SW_DECOM", "SW_DEC"),
    "oc2": ("CHILD",),
    "missing": ("CHILD",),
    "previous_permanence": ("CHILD",),
}
#: Tables read but not mapped to any canonical extract, and why.
NOT_MAPPED = {
    "oc2": "OC2 health flags are yes/no for the year, not dates (health_checks needs dates)",
    "missing": "missing episodes are not used by any indicator",
    "previous_permanence": "previous permanence is not used by any indicator",
}
#: Date columns parsed per table (``dd/mm/yyyy``).
DATE_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "header": ("DOB",),
    "episodes": ("DECOM", "DEC"),
    "reviews": ("REVIEW",),
    "uasc": ("DUC",),
    "oc3": ("DOB",),
    "ad1": ("DATE_INT", "DATE_MATCH"),
    "placed_for_adoption": ("DATE_PLACED", "DATE_PLACED_CEASED"),
    "sw_episodes": ("SW_DECOM", "SW_DEC"),
}
#: Values that must be present (a missing one is an error naming the lines).
REQUIRED_VALUES: Mapping[str, tuple[str, ...]] = {
    "header": ("CHILD", "DOB"),
    "episodes": ("CHILD", "DECOM"),
    "reviews": ("CHILD", "REVIEW"),
    "uasc": ("CHILD",),
    "oc3": ("CHILD", "DOB"),
    "ad1": ("CHILD",),
    "placed_for_adoption": ("CHILD",),
    "sw_episodes": ("CHILD", "SW_ID", "SW_DECOM"),
    "oc2": ("CHILD",),
    "missing": ("CHILD",),
    "previous_permanence": ("CHILD",),
}
_TABLES_LONGEST_FIRST = sorted(REQUIRED_COLUMNS, key=len, reverse=True)
_META = ["_file", "_line", "_year"]
_RANGE_YEAR = re.compile(r"(?<!\d)(20\d{2}|19\d{2})[-_ ]?(\d{2})(?!\d)")
_LONE_YEAR = re.compile(r"(?<!\d)(20\d{2}|19\d{2})(?!\d)")
_LABEL = re.compile(r"^\s*(\d{4})\s*[-/_]\s*(\d{2})\s*$")
_ADOPTION_PLACEMENTS = ("A1", "A2", "A3", "A4", "A5", "A6")
_ADOPTED = ("E11", "E12")
_XML_HEADER_FIELDS = ("CHILDID", "UPN", "SEX", "DOB", "ETHNIC", "MOTHER", "MC_DOB")
_XML_EPISODE_FIELDS = (
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PL",
    "PL_POST",
    "HOME_POST",
    "URN",
    "PLACE_PROVIDER",
    "DEC",
    "REC",
    "REASON_PLACE_CHANGE",
)


# --------------------------------------------------------------------------------------------------
# Collection years


def year_label(year_end: int) -> str:
    """``2017`` -> ``"2016/17"``."""
    return f"{year_end - 1}/{year_end % 100:02d}"


def parse_year(value: object) -> int:
    """A collection year given by the caller: ``"2016/17"``, ``"2016-17"`` or the year it ends
    (``2017``) -> ``2017``."""
    if isinstance(value, int) and not isinstance(value, bool) and 1900 < value < 2300:
        return value
    text = str(value)
    match = _LABEL.match(text)
    if match and (int(match.group(1)) + 1) % 100 == int(match.group(2)):
        return int(match.group(1)) + 1
    if re.fullmatch(r"\s*\d{4}\s*", text):
        return int(text)
    raise ReturnImportError(
        f"collection year {value!r}: write it 2016/17 (or 2017, the year it ends)"
    )


def _year_in(name: str) -> int | None:
    match = _RANGE_YEAR.search(name)
    if match and (int(match.group(1)) + 1) % 100 == int(match.group(2)):
        return int(match.group(1)) + 1
    match = _LONE_YEAR.search(name)
    return int(match.group(1)) if match else None


def _year_of_date(dates: pd.Series) -> pd.Series:
    """Collection year (year end) holding each date: 1 April Y-1 to 31 March Y -> Y."""
    return dates.dt.year + (dates.dt.month >= 4).astype("int64")


# --------------------------------------------------------------------------------------------------
# Reading


@dataclass
class _Source:
    """What was read: raw string tables (with ``_file``, ``_line``, ``_year``) and report rows."""

    tables: dict[str, list[pd.DataFrame]] = field(default_factory=dict)
    report: list[dict[str, object]] = field(default_factory=list)
    #: The names of the files to read, when known: ``_file`` is then a categorical of them (a
    #: byte a row, not a copy of the name in each row; its values are the same names).
    names: pd.CategoricalDtype | None = None

    def add(self, table: str, frame: pd.DataFrame) -> None:
        self.tables.setdefault(table, []).append(frame)

    def file_column(self, name: str, rows: int) -> pd.Categorical | str:
        """The ``_file`` column of ``rows`` rows of the file named ``name``."""
        if self.names is None or name not in self.names.categories:
            return name
        code = self.names.categories.get_loc(name)
        return pd.Categorical.from_codes(np.full(rows, code), dtype=self.names)

    def note(self, file: str, table: str, action: str, reason: str, rows: int, detail: str) -> None:
        self.report.append(
            {
                "source": SOURCE,
                "file": file,
                "table": table,
                "action": action,
                "reason": reason,
                "rows": rows,
                "detail": detail,
            }
        )


def _table_of(path: Path) -> str | None:
    stem = path.stem.lower()
    for table in _TABLES_LONGEST_FIRST:
        if re.search(rf"(?<![a-z]){table}(?![a-z])", stem):
            return table
    return None


def _expand(paths: Iterable[str | PathLike[str]], source: _Source) -> list[Path]:
    files: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            entries = sorted(p for p in [*path.iterdir(), *path.glob("*/*")] if not p.is_dir())
            found = [p for p in entries if p.is_file()]
            for p in entries:
                if not p.is_file():  # a pipe, device, socket or dangling link: never opened
                    source.note(p.name, "", "not_mapped", "file not read: not a regular file", 0,
                                "")  # fmt: skip
            csvs = [p for p in found if p.suffix.lower() == ".csv" and _table_of(p)]
            for p in found:
                if p in csvs or (not csvs and p.suffix.lower() == ".xml"):
                    files.append(p)
                else:
                    why = (
                        "XML beside CSV tables: give the XML file on its own"
                        if p.suffix.lower() == ".xml"
                        else "not an SSDA903 table (CSV named like a table, or XML)"
                    )
                    source.note(p.name, "", "not_mapped", f"file not read: {why}", 0, "")
        elif path.exists():  # a file, or a pipe or device given by name: read_regular_file says
            files.append(path)
        else:
            raise ReturnImportError(f"{path}: no such file or folder")
    return files


def _file_year(path: Path, given: object) -> int | None:
    if isinstance(given, Mapping):
        for key, value in given.items():
            where = Path(key).resolve()
            if where == path.resolve() or where in path.resolve().parents:
                return parse_year(value)
    if given is not None and not isinstance(given, Mapping):
        return parse_year(given)  # one year given for every file: it beats a guess from names
    year = _year_in(path.stem)
    if year is None:
        for parent in path.parents[:2]:
            year = _year_in(parent.name)
            if year is not None:
                break
    return year


def _read_bytes(path: Path) -> bytes:
    """A return file's bytes: a regular file under the extracts' size limit, or an error."""
    try:
        return read_regular_file(path)
    except UnreadableFileError as error:
        raise ReturnImportError(f"{path.name}: {error}") from None


def _pandas_frame(data: bytes, path: Path) -> pd.DataFrame:
    """The table as pandas reads it (every value a string, stripped, blank -> missing): the
    reference reading, used when :func:`_arrow_frame` declines the file and to name its errors."""
    try:
        frame = pd.read_csv(
            io.BytesIO(data),
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            encoding="utf-8-sig",
        )
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise ReturnImportError(f"{path.name}: not a readable CSV table ({error})") from error
    return frame


def _rfc4180_quotes(body: bytes) -> bool:
    """Whether every quote of ``body`` follows RFC 4180: a field quoted whole (the opening quote
    first in its field, the closing one last), ``""`` for a quote inside it, none left open. In
    and out of quotes alternate at each quote, so the k-th quote opens a field if k is even."""
    chars = np.frombuffer(body, dtype=np.uint8)
    at = np.flatnonzero(chars == ord('"'))
    if len(at) % 2:
        return False
    ends = np.array([ord(","), ord("\n"), ord("\r")], dtype=np.uint8)
    opening, closing = at[0::2], at[1::2]
    before = chars[np.maximum(opening - 1, 0)]
    after = chars[np.minimum(closing + 1, len(chars) - 1)]
    opens_ok = (opening == 0) | np.isin(before, ends) | (before == ord('"'))
    closes_ok = (closing == len(chars) - 1) | np.isin(after, ends) | (after == ord('"'))
    return bool(opens_ok.all() and closes_ok.all())


#: The ASCII characters ``str.strip`` (and pyarrow's ``utf8_trim_whitespace``) remove.
_ASCII_SPACE = " \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f"


def _blank_missing(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """``column`` (large strings) with its empty values missing: a validity bitmap made from the
    offsets (length 0), the values shared, not copied as ``if_else`` copies them."""
    chunks = []
    for chunk in column.chunks:
        _, offsets_buffer, data_buffer = chunk.buffers()
        if data_buffer is None:  # no text at all: pyarrow decides
            chunks.append(pc.if_else(pc.equal(chunk, ""), pa.scalar(None, chunk.type), chunk))
            continue
        n, start = len(chunk), chunk.offset
        offsets = np.frombuffer(offsets_buffer, dtype=np.int64)[start : start + n + 1]
        filled = offsets[1:] > offsets[:-1]
        if chunk.null_count:
            filled &= chunk.is_valid().to_numpy(zero_copy_only=False)
        bits = np.packbits(np.concatenate([np.zeros(start, dtype=bool), filled]), bitorder="little")
        chunks.append(
            pa.Array.from_buffers(
                chunk.type,
                n,
                [pa.py_buffer(bits), offsets_buffer, data_buffer],
                null_count=n - int(filled.sum()),
                offset=start,
            )
        )
    return pa.chunked_array(chunks, type=column.type)


def _arrow_frame(data: bytes) -> pd.DataFrame | None:
    """The table read by pyarrow's CSV reader (multi-threaded, every column a string), or None
    when it might differ from :func:`_pandas_frame` in anything: a file pyarrow refuses (a short
    or long row, bad UTF-8, no header), or column names pandas would rename (blank or repeated).
    Same values otherwise (quotes, CRLF, blank lines as empty rows: tested against pandas)."""
    try:
        names = pd.read_csv(
            io.BytesIO(data), dtype=str, nrows=0, keep_default_na=False, encoding="utf-8-sig"
        ).columns
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError):
        return None
    raw = [str(c) for c in names]
    if any(c == "" or c.startswith("Unnamed: ") for c in raw) or len(set(raw)) != len(raw):
        return None
    body = data.removeprefix(codecs.BOM_UTF8)
    if body.startswith(codecs.BOM_UTF8) or (b'"' in body and not _rfc4180_quotes(body)):
        return None  # a quote outside RFC 4180 quoting: pandas and pyarrow may differ
    try:
        table = pacsv.read_csv(
            pa.py_buffer(body),
            # two blocks (two threads) a file: few pieces to join when the years are stacked
            read_options=pacsv.ReadOptions(block_size=max(1 << 20, len(body) // 2 + 1)),
            parse_options=pacsv.ParseOptions(
                newlines_in_values=b'"' in body, ignore_empty_lines=False
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.large_string() for c in raw}, strings_can_be_null=False
            ),
        )
    except (pa.ArrowException, ValueError):
        return None
    if table.column_names != raw or any(f.type != pa.large_string() for f in table.schema):
        return None
    plain = body.isascii()
    columns = []
    for column in table.columns:  # stripped as pandas' str.strip (the same pyarrow kernel)
        if plain:  # the same for ASCII text, several times faster
            trimmed = pc.ascii_trim(column, characters=_ASCII_SPACE)
        else:
            trimmed = pc.utf8_trim_whitespace(column)
        columns.append(_blank_missing(trimmed))
    return pa.table(columns, names=raw).to_pandas()


#: Files read (and parsed by pyarrow) at once, ahead of the importer's loop over them: pyarrow
#: lets go of the GIL, so one file is parsed while the importer takes another's rows.
_READERS = 2
#: Threads for the steps done side by side after reading (tables stacked, checks of child ids;
#: the header, reviews and OC3 mapped on a second thread beside the episodes): two, or one (every
#: step in turn, in this thread) where only one processor is available. Two are faster on an idle
#: two-core machine (import of the N = 300 benchmark returns: 13 s against 20 s); while another
#: process keeps one core busy, one is (N = 100: 4.4-4.9 s against 4.9-5.8 s). Set it to 1 there.
_THREADS = min(
    2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
)


class _InTurn:
    """The executor of :data:`_THREADS` = 1: each step run when submitted, in this thread."""

    def submit(self, fn: Callable[[], T], /) -> Future[T]:
        done: Future[T] = Future()
        try:
            done.set_result(fn())
        except Exception as error:  # noqa: BLE001 - raised by result(), in the order of the steps
            done.set_exception(error)
        return done

    def map(self, fn: Callable[[S], T], items: Iterable[S]) -> Iterator[T]:
        return map(fn, items)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        pass

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def _side_by_side(workers: int) -> ThreadPoolExecutor | _InTurn:
    """An executor of ``workers`` threads, or :class:`_InTurn` when :data:`_THREADS` is 1."""
    return ThreadPoolExecutor(max_workers=workers) if _THREADS > 1 else _InTurn()


def _read_arrow(path: Path) -> tuple[bytes | None, pd.DataFrame | None]:
    """A CSV file's pyarrow reading (:func:`_arrow_frame`), with its bytes only when pyarrow
    declines it (for pandas to read); raises :class:`ReturnImportError` if it cannot be read."""
    data = _read_bytes(path)
    frame = _arrow_frame(data)
    return (data if frame is None else None), frame


def _read_csv(
    path: Path,
    table: str,
    year: int | None,
    source: _Source,
    read: Future[tuple[bytes | None, pd.DataFrame | None]] | None = None,
) -> None:
    """Add a CSV table to ``source``; ``read``: its :func:`_read_arrow`, begun ahead (its error,
    if any, is raised here, in the order of the files)."""
    data, frame = read.result() if read is not None else _read_arrow(path)
    if frame is None:
        assert data is not None
        frame = _pandas_frame(data, path)
        frame = frame.apply(lambda column: column.str.strip()).replace("", pd.NA)
    frame.columns = [str(c).strip().upper() for c in frame.columns]
    repeated = frame.columns[frame.columns.duplicated()].unique().tolist()
    if repeated:
        raise ReturnImportError(
            f"{path.name} ({table}): column(s) {', '.join(repeated)} given more than once "
            "(names are read without surrounding spaces and case); keep one of each"
        )
    missing = [c for c in REQUIRED_COLUMNS[table] if c not in frame.columns]
    if missing:
        raise ReturnImportError(
            f"{path.name} ({table}): column(s) {', '.join(missing)} missing; the columns are "
            f"{', '.join(frame.columns)}"
        )
    frame["_line"] = np.arange(2, len(frame) + 2)
    filled = frame.drop(columns="_line").notna().any(axis=1)
    if not filled.all():  # blank lines and rows of empty fields (selecting all rows copies them)
        frame = frame[filled]
    frame["_file"] = source.file_column(path.name, len(frame))
    frame["_year"] = year
    source.add(table, frame)
    source.note(path.name, table, "read", "rows read", len(frame), "")


#: A document type declaration, refused before parsing (no DTD, no entity is ever expanded).
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


def _read_xml(path: Path, year: int | None, source: _Source) -> None:
    """The XML form: one ``<CHILD>`` per child with ``<HEADER>`` and ``<EPISODE>`` elements; its
    tables are built as the CSV ones (line = blank: XML has one element per value)."""
    data = _read_bytes(path)
    if _DOCTYPE.search(data):  # entities could expand without bound or read other files
        raise ReturnImportError(
            f"{path.name}: has a document type declaration (<!DOCTYPE>): not read; an SSDA903 "
            "return has none"
        )
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise ReturnImportError(f"{path.name}: not readable XML ({error})") from error
    rows: dict[str, list[dict[str, str | None]]] = {t: [] for t in REQUIRED_COLUMNS}

    def text(element: ET.Element | None, name: str) -> str | None:
        found = element.find(name) if element is not None else None
        value = found.text.strip() if found is not None and found.text else ""
        return value or None

    for child in root.iter("CHILD"):  # parsing XML is per element by nature
        head = child.find("HEADER")
        cid = text(head, "CHILDID")
        dob = text(head, "DOB")
        header = {f: text(head, f) for f in _XML_HEADER_FIELDS}
        header["CHILD"] = header.pop("CHILDID")
        rows["header"].append(header)
        for episode in child.findall("EPISODE"):
            values = {f: text(episode, f) for f in _XML_EPISODE_FIELDS}
            values["PLACE"] = values.pop("PL")
            rows["episodes"].append({"CHILD": cid, **values})
        for review in head.findall("AREVIEW") if head is not None else ():
            rows["reviews"].append(
                {
                    "CHILD": cid,
                    "DOB": dob,
                    "REVIEW": text(review, "REVIEW"),
                    "REVIEW_CODE": text(review, "REVIEW_CODE"),
                }
            )
        if text(head, "UASC") == "1" or text(head, "DUC"):
            rows["uasc"].append({"CHILD": cid, "DOB": dob, "DUC": text(head, "DUC")})
        if text(head, "IN_TOUCH"):
            rows["oc3"].append(
                {
                    "CHILD": cid,
                    "DOB": dob,
                    **{f: text(head, f) for f in ("IN_TOUCH", "ACTIV", "ACCOM")},
                }
            )
        if text(head, "DATE_INT") or text(head, "DATE_MATCH"):
            rows["ad1"].append(
                {
                    "CHILD": cid,
                    "DOB": dob,
                    **{
                        f: text(head, f)
                        for f in (
                            "DATE_INT",
                            "DATE_MATCH",
                            "FOSTER_CARE",
                            "NB_ADOPTR",
                            "SEX_ADOPTR",
                            "LS_ADOPTR",
                        )
                    },
                }
            )
        for placed in head.findall("AD_PLACED") if head is not None else ():
            rows["placed_for_adoption"].append(
                {
                    "CHILD": cid,
                    "DOB": dob,
                    **{
                        f: text(placed, f)
                        for f in ("DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED")
                    },
                }
            )
        for missing in head.findall("AMISSING") if head is not None else ():
            rows["missing"].append(
                {
                    "CHILD": cid,
                    "DOB": dob,
                    **{f: text(missing, f) for f in ("MISSING", "MIS_START", "MIS_END")},
                }
            )
        if head is not None and head.find("OC2") is not None:
            rows["oc2"].append({"CHILD": cid, "DOB": dob})
        if head is not None and head.find("PERMANENCE") is not None:
            rows["previous_permanence"].append({"CHILD": cid, "DOB": dob})
    for table, records in rows.items():
        if not records:
            continue
        frame = pd.DataFrame(records).astype("str").where(pd.DataFrame(records).notna(), pd.NA)
        for column in REQUIRED_COLUMNS[table]:
            if column not in frame.columns:
                frame[column] = pd.NA
        frame["_line"] = pd.NA
        frame["_file"] = source.file_column(path.name, len(frame))
        frame["_year"] = year
        source.add(table, frame)
        source.note(path.name, table, "read", "rows read (XML)", len(frame), "")


# --------------------------------------------------------------------------------------------------
# Checks of values


def _where(frame: pd.DataFrame) -> pd.Series:
    """``file line N`` (CSV) or ``file`` (XML) for each row."""
    line = frame["_line"].astype("Int64").astype("string")
    return frame["_file"].astype("string") + (" line " + line).fillna(" (XML)")


def _child_where(rows: pd.DataFrame) -> pd.Series:
    """``CHILD <CHILD> (<file> line N)`` for each row: ``"CHILD " + CHILD + " (" + _where(rows)
    + ")"``, joined by pyarrow in one step when every row has a CHILD, a file and a line (CSV
    rows; the pandas sum makes four passes and a copy of each part)."""
    child, file, line = rows["CHILD"].array, rows["_file"].array, rows["_line"]
    if not (
        isinstance(child, pd.arrays.ArrowStringArray)
        and isinstance(file, (pd.arrays.ArrowStringArray, pd.Categorical))
        and line.dtype == np.dtype("int64")
        and not child.isna().any()
        and not file.isna().any()
    ):
        return "CHILD " + rows["CHILD"].astype("string") + " (" + _where(rows) + ")"
    text = pa.large_string()
    joined = pc.binary_join_element_wise(
        pa.scalar("CHILD ", text),
        pa.array(child).cast(text),
        pa.scalar(" (", text),
        pa.array(file).cast(text),  # text, or coded text (categorical): decoded
        pa.scalar(" line ", text),
        pa.array(line.to_numpy()).cast(text),
        pa.scalar(")", text),
        pa.scalar("", text),  # the separator
    )
    joined = joined if isinstance(joined, pa.ChunkedArray) else pa.chunked_array([joined])
    return pd.Series(pd.arrays.ArrowStringArray(joined), index=rows.index).astype("string")


def _dates(raw: pd.Series) -> pd.Series:
    """``dd/mm/yyyy`` texts -> dates (NaT where not a date), each distinct text parsed once."""
    encoded = _encoded(raw)
    if encoded is not None:  # missing -> the last code, which takes the NaT appended below
        codes_, uniques = encoded[0], encoded[1].to_numpy(zero_copy_only=False)
    else:  # missing -> -1, which takes the NaT appended below as well
        codes_, uniques = pd.factorize(raw)
    parsed = pd.to_datetime(pd.Series(uniques, dtype="object"), format="%d/%m/%Y", errors="coerce")
    table = np.append(parsed.to_numpy(dtype="datetime64[ns]"), np.datetime64("NaT", "ns"))
    return pd.Series(table[codes_], index=raw.index)


#: Pieces an Arrow column may have before :func:`_one_chunk` joins them (taking rows from 70
#: pieces took 2.5 times as long as from one; from 5, as long).
_MAX_PIECES = 16


def _one_chunk(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with each Arrow-backed column of many pieces (blocks of the files and the
    reader) joined into one: taking rows from a column of many pieces joins them each time."""
    if not frame.columns.is_unique:
        return frame
    out = {}
    for column in frame.columns:
        values = frame[column].array
        pieces = (
            pa.chunked_array(pa.array(values))
            if isinstance(values, pd.arrays.ArrowStringArray)
            else None
        )
        if pieces is not None and pieces.num_chunks > _MAX_PIECES:
            whole = pa.chunked_array([pieces.combine_chunks()])
            out[column] = pd.arrays.ArrowStringArray(whole, dtype=values.dtype)
        else:
            out[column] = values
    return pd.DataFrame(out, index=frame.index)


def _parse_dates(frame: pd.DataFrame, table: str, problems: list[str]) -> pd.DataFrame:
    out = frame.copy()
    for column in REQUIRED_VALUES[table]:
        blank = out[column].isna()
        if blank.any():
            bad = out[blank]
            places = (_where(bad) + " CHILD " + bad["CHILD"].fillna("?").astype("string")).head(20)
            problems.append(
                f"{table}: {column} is blank ({int(blank.sum())} row(s)): " + "; ".join(places)
            )
    for column in DATE_COLUMNS.get(table, ()):
        raw = out[column]
        parsed = _dates(raw)
        bad = raw.notna() & parsed.isna()
        if bad.any():
            rows = out[bad]
            shapes = (
                raw[bad]
                .str.replace(r"[0-9]", "9", regex=True)
                .str.replace(r"[A-Za-z]", "a", regex=True)
            )
            places = (
                _where(rows)
                + " CHILD "
                + rows["CHILD"].fillna("?").astype("string")
                + " "
                + column
                + " '"
                + shapes.astype("string")
                + "'"
            ).head(20)
            problems.append(
                f"{table}: {column} is not a date dd/mm/yyyy ({int(bad.sum())} row(s)): "
                + "; ".join(places)
            )
        out[column] = parsed.astype("datetime64[ns]")
    return out


@dataclass
class _Log:
    """The import report under construction (list of frames with :data:`REPORT_COLUMNS`)."""

    frames: list[pd.DataFrame] = field(default_factory=list)

    def rows(self, rows: list[dict[str, object]]) -> None:
        if rows:
            self.frames.append(pd.DataFrame(rows, columns=list(REPORT_COLUMNS)))

    def one(
        self, table: str, action: str, reason: str, rows: int, detail: str = "", file: str = ""
    ) -> None:
        if rows:
            self.rows(
                [
                    {
                        "source": SOURCE,
                        "file": file,
                        "table": table,
                        "action": action,
                        "reason": reason,
                        "rows": rows,
                        "detail": detail,
                    }
                ]
            )

    def listed(
        self, frame: pd.DataFrame, table: str, action: str, reason: str, what: pd.Series
    ) -> None:
        """One row per file: the count and, in ``detail``, ``what`` of every record."""
        if not len(frame):
            return
        # grouped by file (in order of name; rows in their order), joined by pyarrow
        file_codes, files = pd.factorize(frame["_file"].to_numpy(), sort=True)
        order = np.argsort(file_codes, kind="stable")
        sizes = np.bincount(file_codes, minlength=len(files))
        texts = pa.array(what, from_pandas=True)
        if isinstance(texts, pa.ChunkedArray):
            texts = texts.combine_chunks()
        lists = pa.ListArray.from_arrays(
            pa.array(np.concatenate([[0], np.cumsum(sizes)]), pa.int64()), texts.take(order)
        )
        self.frames.append(
            pd.DataFrame(
                {
                    "source": SOURCE,
                    "file": files,
                    "table": table,
                    "action": action,
                    "reason": reason,
                    "rows": sizes,
                    "detail": pc.binary_join(lists, pa.scalar("; ", texts.type)).to_numpy(
                        zero_copy_only=False
                    ),
                }
            )
        )


def _check_codes(
    frame: pd.DataFrame, table: str, column: str, outcome: str, log: _Log
) -> pd.Series:
    """Rows of ``frame`` whose ``column`` is not a valid code (reported: ``outcome`` says what
    happens to the row); returns the mask."""
    code_list = codes.CODE_LISTS[(table, column)]
    if column not in frame.columns:
        return pd.Series(False, index=frame.index)
    bad = ~code_list.valid(frame[column], frame["_year"])
    if bad.any():
        rows = frame[bad]
        what = (
            "CHILD "
            + rows["CHILD"].astype("string")
            + " ("
            + _where(rows)
            + ") '"
            + rows[column].astype("string")
            + "'"
        )
        log.listed(
            rows,
            table,
            "unknown_code",
            f"{column}: not a code of {code_list.source}; {outcome}",
            what,
        )
    return bad


# --------------------------------------------------------------------------------------------------
# Combining the years


#: Text columns with fewer distinct values than this are taken by their codes in :func:`_combine`
#: (one byte a row below 255 values, else two; the last code for missing).
_FEW = 2**16 - 1

#: Bound of the row ids of :func:`_row_ids` before they are renumbered.
_ID_LIMIT = 2**62


def _encoded(values: pd.Series) -> tuple[np.ndarray, pa.Array] | None:
    """Arrow text coded by pyarrow's ``dictionary_encode`` (what ``pd.factorize`` calls, without
    its copies): the codes (in order of first appearance; missing: the number of distinct values)
    and the distinct values. None for other data (or a frame: a column name given twice)."""
    array = values.array if isinstance(values, pd.Series) else None
    if not isinstance(array, pd.arrays.ArrowStringArray):
        return None
    encoded = pa.array(array).dictionary_encode()
    if isinstance(encoded, pa.ChunkedArray):  # pieces coded, then joined (one dictionary): the
        encoded = encoded.combine_chunks()  # codes are joined, not the text
    size = len(encoded.dictionary)
    return encoded.indices.fill_null(size).to_numpy().astype("int64"), encoded.dictionary


def _coded(values: pd.Series, *, sort: bool = False) -> tuple[np.ndarray, int]:
    """Integer codes of ``values`` (missing: the last code) and how many codes there are; with
    ``sort``, the codes order the values as ``sort_values`` does (missing last). Arrow text is
    coded by :func:`_encoded`. Integers (numpy: never missing) whose greatest less least is below
    the number of rows, such as the collection years, are coded by subtracting the least (no
    hashing): the codes then order and match the values as well, some unused."""
    if (
        isinstance(values, pd.Series)
        and isinstance(values.dtype, np.dtype)
        and values.dtype.kind in "iu"
        and len(values)
    ):
        numbers = values.to_numpy()
        least, most = int(numbers.min()), int(numbers.max())
        if most - least < len(numbers):
            return (numbers - least).astype("int64"), most - least + 2
    encoded = _encoded(values)
    if encoded is not None:
        codes_, dictionary = encoded
        size = len(dictionary)
        if sort and size:  # the rank of each value among the values (byte order, as sort_values)
            rank = np.empty(size + 1, dtype="int64")
            rank[pc.array_sort_indices(dictionary).to_numpy()] = np.arange(size)
            rank[size] = size
            codes_ = rank[codes_]
        return codes_, size + 1
    codes_, uniques = pd.factorize(values, sort=sort)
    return np.where(codes_ < 0, len(uniques), codes_).astype("int64"), len(uniques) + 1


def _row_ids(columns: Iterable[tuple[np.ndarray, int]]) -> np.ndarray:
    """One integer per row, equal for rows with equal codes in every column (:func:`_coded`:
    missing equals missing, as in ``duplicated``): the codes in mixed radix, renumbered only when
    the next column would overflow 63 bits. ``columns`` may be a generator: each column's codes
    are let go once added (one column's codes held at a time, not every column's)."""
    ids = np.zeros(0, dtype="int64")
    size = 1  # ids are below size
    for at, (codes_, base) in enumerate(columns):
        if at == 0:
            ids = np.zeros(len(codes_), dtype="int64")
        if size * base >= _ID_LIMIT:
            ids, found = pd.factorize(ids)
            ids, size = ids.astype("int64"), len(found)
        ids = ids * base + codes_
        size *= base
    return ids


def _ranks(columns: list[tuple[np.ndarray, int]]) -> tuple[np.ndarray, int]:
    """One integer per row ordering the rows as ``np.lexsort`` of the codes does (the first column
    first; equal integers for equal codes in every column), and a bound of them: the codes in mixed
    radix, renumbered in order (``np.unique``) only when the next column would overflow 63 bits."""
    ids = np.zeros(len(columns[0][0]) if columns else 0, dtype="int64")
    size = 1  # ids are below size
    for codes_, base in columns:
        if size * base >= _ID_LIMIT:
            found, ids = np.unique(ids, return_inverse=True)
            ids, size = ids.astype("int64").reshape(-1), len(found)
        ids = ids * base + codes_
        size *= base
    return ids, size


def _combine(
    frame: pd.DataFrame,
    key: list[str],
    table: str,
    log: _Log,
    what: str,
    columns: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Exact repeats kept once; then per ``key`` the latest year's row (ties: the row with more
    values, then a hash of its values, so the result never depends on the order of the files).
    ``columns``: the columns returned (with ``_file``, ``_line``, ``_year``), by default all; every
    column counts in finding repeats and breaking ties.

    The key columns coded as integers (in order); one stable sort by key, year and number of
    values (one integer per row, :func:`_ranks`); the hash of a row's values is computed only for
    the rows still tied after that, which are then ordered by it within their tie (the same order
    as sorting every row by its hash); the other columns are coded only when rows share a key, and
    then a returned text column of fewer than :data:`_FEW` values is taken by its codes."""
    data = [c for c in frame.columns if not c.startswith("_")]
    keyed = [_coded(frame[c], sort=True) for c in key]
    filled = np.zeros(len(frame), dtype="int64")
    for column in data:  # the number of values of each row (missing: NA, NaN, NaT)
        values = frame[column]
        if not isinstance(values, pd.Series):  # a name given twice: refused by factorize, as ever
            _coded(values)
        filled += values.notna().to_numpy(dtype=bool)
    by_key, size = _ranks(keyed)
    ranks, _ = _ranks([(by_key, size), _coded(frame["_year"], sort=True), (filled, len(data) + 1)])
    first = np.argsort(ranks, kind="stable")
    ranked = ranks[first]
    same = np.zeros(len(first), dtype=bool)  # the row before has the same key, year and count
    same[1:] = ranked[1:] == ranked[:-1]
    tied = same.copy()
    tied[:-1] |= same[1:]
    if tied.any():
        at = np.flatnonzero(tied)
        rows = first[at]
        hashes = pd.util.hash_pandas_object(frame[data].iloc[rows], index=False).to_numpy()
        tie = np.cumsum(~same)[at]  # which tie each row is in: rows of one tie are consecutive
        first[at] = rows[np.lexsort([hashes, tie])]
    ranked_key = by_key[first]
    same_key = np.zeros(len(first), dtype=bool)  # the row before has the same key
    same_key[1:] = ranked_key[1:] == ranked_key[:-1]
    candidates = same_key.copy()
    candidates[:-1] |= same_key[1:]  # exact repeats share their key: only these rows can be one
    repeats = np.zeros(len(first), dtype=bool)
    returned = [c for c in frame.columns if columns is None or c in columns or c.startswith("_")]
    # text columns returned with few values: their codes (one or two bytes a row) and values, kept
    # to take the rows by code (values taken in key order from a short list, not from every row)
    few: dict[str, tuple[np.ndarray, pa.Array]] = {}
    if candidates.any():
        coded = dict(zip(key, keyed, strict=True))

        def codes_of(column: str) -> tuple[np.ndarray, int]:
            if column in coded:
                return coded[column]
            values = frame[column]
            encoded = _encoded(values) if column in returned else None
            if encoded is None:
                return _coded(values)
            codes_, dictionary = encoded
            if len(dictionary) < _FEW:
                small = np.uint8 if len(dictionary) < 255 else np.uint16
                few[column] = (codes_.astype(small), dictionary)
            return codes_, len(dictionary) + 1

        codes_ = (codes_of(c) for c in data)  # one at a time
        rows = pd.Series(_row_ids(codes_)[first[candidates]])
        repeats[candidates] = rows.duplicated(keep="last").to_numpy()
    log.one(
        table,
        "excluded",
        "exact repeat of a row (e.g. the same row in two years' returns)",
        int(repeats.sum()),
    )
    kept = first[~repeats]
    # rows of one key are consecutive: a row is superseded when the next one has its key
    group = np.cumsum(~same_key)[~repeats]
    superseded = np.zeros(len(kept), dtype=bool)
    superseded[:-1] = group[1:] == group[:-1]
    if superseded.any():
        rows = frame[["CHILD", "_file", "_line"]].take(kept[superseded])
        log.listed(
            rows,
            table,
            "excluded",
            f"superseded: a later collection year's row for the "
            f"same {' and '.join(key)} is used ({what})",
            _child_where(rows),
        )
    rows = kept[~superseded]
    if columns is not None:  # the others are not taken (rows are taken in key order: slow)
        frame = frame[returned]
    if not few:
        return frame.take(rows)
    result = frame.drop(columns=list(few)).take(rows)
    for at, column in enumerate(frame.columns):  # in their places, as frame.take puts them
        if column in few:
            codes_, dictionary = few[column]
            picked = codes_[rows]
            text = dictionary.take(pa.array(picked, mask=picked == len(dictionary)))
            values = pd.arrays.ArrowStringArray(
                pa.chunked_array([text], type=dictionary.type), dtype=frame[column].dtype
            )
            result.insert(at, column, pd.Series(values, index=result.index, copy=False))
    return result


# --------------------------------------------------------------------------------------------------
# The mapping


def _isin(values: pd.Series, known: pd.Series | pd.Index) -> pd.Series:
    """``values.isin(known)`` (missing matches missing) by pyarrow's hash set: ``isin`` of Arrow
    strings converts every one of a long ``known`` to a Python object."""
    given = pa.array(values, from_pandas=True)
    table = pa.array(pd.Series(known), from_pandas=True)
    if table.type != given.type:
        table = table.cast(given.type)
    found = pc.is_in(given, value_set=table, skip_nulls=False)
    return pd.Series(found.to_numpy(zero_copy_only=False), index=values.index, dtype=bool)


def _iso(dates: pd.Series) -> pd.Series:
    """``dates.dt.strftime("%Y-%m-%d")`` as ``string`` (missing stays missing), each distinct date
    formatted once (a few thousand days among a million rows) and taken by pyarrow."""
    codes_, days = pd.factorize(dates)  # missing -> -1: a null index, which takes a null
    text = pa.array(pd.DatetimeIndex(days).strftime("%Y-%m-%d").to_numpy(dtype=object),
                    type=pa.large_string())  # fmt: skip
    taken = text.take(pa.array(codes_, mask=codes_ < 0))
    return pd.Series(
        pd.arrays.ArrowStringArray(pa.chunked_array([taken])), index=dates.index, name=dates.name
    ).astype("string")


def _joined(*parts: pd.Series | str) -> pd.Series:
    """``parts`` (text columns of one frame, and texts) joined end to end as ``string``, missing
    where a part is missing: the sum of the parts, each column as ``string``, taken by pyarrow in
    one step when every column is Arrow text (the pandas sum takes a pass, and a copy, a part)."""
    columns = [part for part in parts if isinstance(part, pd.Series)]
    if not all(isinstance(column.array, pd.arrays.ArrowStringArray) for column in columns):
        total = [part.astype("string") if isinstance(part, pd.Series) else part for part in parts]
        return functools.reduce(operator.add, total)
    text = pa.large_string()
    joined = pc.binary_join_element_wise(
        *[
            pa.array(part.array).cast(text)
            if isinstance(part, pd.Series)
            else pa.scalar(part, text)
            for part in parts
        ],
        pa.scalar("", text),  # the separator; a missing part makes the whole missing
    )
    joined = joined if isinstance(joined, pa.ChunkedArray) else pa.chunked_array([joined])
    return pd.Series(pd.arrays.ArrowStringArray(joined), index=columns[0].index).astype("string")


def _na_team(n: int, index: pd.Index) -> pd.Series:
    return pd.Series(pd.NA, index=index, dtype="string")


def _by_child_and_start(eps: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """``eps.sort_values(["CHILD", "DECOM"], kind="mergesort")`` and the sorted CHILD codes;
    episodes come out of :func:`_combine` in that order already, which is checked, not sorted
    (each CHILD compared with the next by pyarrow: in order, the codes count the changes)."""
    start = eps["DECOM"].to_numpy().view("int64")
    values = eps["CHILD"].array
    if (
        len(eps)
        and isinstance(values, pd.arrays.ArrowStringArray)
        and not values.isna().any()
        and not eps["DECOM"].isna().any()
    ):
        texts = pa.array(values)
        changed = pc.not_equal(texts[:-1], texts[1:]).to_numpy(zero_copy_only=False)
        if (
            pc.all(pc.less_equal(texts[:-1], texts[1:])).as_py() is not False
            and (np.diff(start)[~changed] >= 0).all()
        ):
            return eps, np.concatenate([[0], np.cumsum(changed)]).astype("int64")
    child = _coded(eps["CHILD"], sort=True)[0]
    if len(eps) and not eps["DECOM"].isna().any():
        step = np.diff(child)
        if (step >= 0).all() and (np.diff(start)[step == 0] >= 0).all():
            return eps, child
    order = np.lexsort([_coded(eps["DECOM"], sort=True)[0], child])
    return eps.take(order), child[order]


#: The episodes' columns used once the years are combined (by the checks, the extract and
#: :func:`_adoptions`).
_EPISODE_COLUMNS = ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                    "REASON_PLACE_CHANGE", "PL_POST")  # fmt: skip


def _episodes(raw: pd.DataFrame, log: _Log) -> pd.DataFrame:
    eps = _combine(
        raw,
        ["CHILD", "DECOM"],
        "episodes",
        log,
        "an open episode completed, or a changed episode",
        _EPISODE_COLUMNS,
    )
    del raw  # the stacked years: let go once combined
    excluded = pd.Series(False, index=eps.index)
    for column in ("RNE", "LS", "PLACE"):
        excluded |= _check_codes(eps, "episodes", column, "the episode is excluded", log)
    ended = eps["DEC"].notna()
    checked = eps.loc[ended, ["CHILD", "REC", *_META]]  # the columns _check_codes reads
    rec_bad = np.zeros(len(eps), dtype=bool)  # the ended episodes' check, put in their places
    rec_bad[ended.to_numpy()] = _check_codes(
        checked, "episodes", "REC", "the episode (ended) is excluded", log
    ).to_numpy()
    excluded |= rec_bad
    provider_bad = _check_codes(
        eps, "episodes", "PLACE_PROVIDER", "the row is kept, PLACE_PROVIDER left blank", log
    )
    for column in ("CIN", "REASON_PLACE_CHANGE"):
        _check_codes(eps, "episodes", column, "the row is kept (field not mapped)", log)
    no_rec = ended & eps["REC"].isna()
    backwards = ended & (eps["DEC"] < eps["DECOM"])
    for mask, reason in (
        (no_rec & ~excluded, "DEC given but REC blank: the episode is excluded"),
        (backwards & ~excluded, "DEC before DECOM: the episode is excluded"),
    ):
        rows = eps[mask]
        log.listed(
            rows,
            "episodes",
            "excluded",
            reason,
            _child_where(rows),
        )
    keep = ~(excluded | no_rec | backwards).to_numpy()
    if not keep.all():  # (selecting every row would copy every row)
        eps = eps[keep]
    eps.loc[provider_bad.to_numpy()[keep], "PLACE_PROVIDER"] = pd.NA
    open_rec = eps["DEC"].isna() & eps["REC"].notna()
    log.one(
        "episodes",
        "repaired",
        "REC on an open episode (no DEC) dropped: the canonical "
        "extract has a reason only with an end",
        int(open_rec.sum()),
    )
    eps.loc[open_rec, "REC"] = pd.NA
    # overlaps: the episode with the later start is in force; the earlier one is cut at it
    eps, child = _by_child_and_start(eps)
    same_child = np.zeros(len(eps), dtype=bool)
    same_child[:-1] = child[1:] == child[:-1]
    following = np.append(eps["DECOM"].to_numpy()[1:], np.datetime64("NaT", "ns"))
    next_start = pd.Series(
        np.where(same_child, following, np.datetime64("NaT", "ns")), index=eps.index
    ).astype("datetime64[ns]")
    cut = next_start.notna() & (eps["DEC"].isna() | (eps["DEC"] > next_start))
    if cut.any():
        rows = eps[cut]
        old = _iso(rows["DEC"]).fillna("open") + " " + rows["REC"].astype("string").fillna("")
        what = (
            "episode "
            + rows["CHILD"].astype("string")
            + "-"
            + _iso(rows["DECOM"])
            + " ("
            + _where(rows)
            + ") end "
            + old.str.strip()
            + " -> "
            + _iso(next_start[cut])
            + " X1"
        )
        log.listed(
            rows,
            "episodes",
            "repaired",
            "overlap: the episode with the later start is in "
            "force; the earlier one is cut at its start (DEC = next DECOM, REC = X1)",
            what,
        )
        eps.loc[cut, "DEC"] = next_start[cut]
        eps.loc[cut, "REC"] = "X1"
    return eps


def _episode_frame(eps: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "episode_id": _joined(eps["CHILD"], "-", _iso(eps["DECOM"])),
            "child_id": eps["CHILD"].astype("string"),
            "team": _na_team(len(eps), eps.index),
            "start_date": eps["DECOM"],
            "end_date": eps["DEC"],
            "reason_new_episode": eps["RNE"].astype("string"),
            "legal_status": eps["LS"].astype("string"),
            "placement_type": eps["PLACE"].astype("string"),
            "placement_provider": eps["PLACE_PROVIDER"].astype("string")
            if "PLACE_PROVIDER" in eps
            else pd.NA,
            "reason_ceased": eps["REC"].astype("string"),
            "distance_miles": np.nan,
        }
    ).reset_index(drop=True)


def _children(header: pd.DataFrame, uasc: pd.DataFrame | None, log: _Log) -> pd.DataFrame:
    head = _combine(
        header,
        ["CHILD"],
        "header",
        log,
        "conflicting header values",
        ("CHILD", "SEX", "DOB", "ETHNIC"),
    )
    del header
    bad_sex = _check_codes(head, "header", "SEX", "the row is kept, sex U", log)
    if "ETHNIC" in head.columns:
        _check_codes(head, "header", "ETHNIC", "the row is kept (field not mapped)", log)
    sex = head["SEX"].map({"1": "M", "2": "F"}).astype("string").where(~bad_sex, "U").fillna("U")
    frame = pd.DataFrame(
        {
            "child_id": head["CHILD"].astype("string"),
            "date_of_birth": head["DOB"],
            "expected_date_of_birth": pd.Series(pd.NaT, index=head.index, dtype="datetime64[ns]"),
            "sex": sex,
            "uasc": False,
            "uasc_ceased_date": pd.Series(pd.NaT, index=head.index, dtype="datetime64[ns]"),
            "disabled": pd.Series(pd.NA, index=head.index, dtype="boolean"),
        }
    )
    if uasc is not None and len(uasc):
        listed = _combine(uasc, ["CHILD"], "uasc", log, "conflicting DUC")
        ceased = listed.set_index("CHILD")["DUC"]
        frame["uasc"] = _isin(frame["child_id"], ceased.index)
        frame["uasc_ceased_date"] = frame["child_id"].map(ceased).astype("datetime64[ns]")
        orphans = listed[~_isin(listed["CHILD"], frame["child_id"])]
        log.listed(
            orphans,
            "uasc",
            "excluded",
            "child without a header row",
            "CHILD " + orphans["CHILD"].astype("string"),
        )
    return frame.reset_index(drop=True)


def _reviews(raw: pd.DataFrame, log: _Log) -> pd.DataFrame:
    key = ["CHILD", "REVIEW", "REVIEW_CODE"]
    reviews = _combine(raw, key, "reviews", log, "repeated review", tuple(key))
    del raw
    bad = _check_codes(reviews, "reviews", "REVIEW_CODE", "the review is excluded", log)
    kept = (~bad & reviews["REVIEW_CODE"].notna()).to_numpy()
    if not kept.all():  # (selecting every row would copy every row)
        reviews = reviews[kept]
    return pd.DataFrame(
        {
            "cic_review_id": _joined(
                reviews["CHILD"], "-", _iso(reviews["REVIEW"]), "-", reviews["REVIEW_CODE"]
            ),
            "child_id": reviews["CHILD"].astype("string"),
            "team": _na_team(len(reviews), reviews.index),
            "review_date": reviews["REVIEW"],
            "participation": reviews["REVIEW_CODE"].astype("string"),
        }
    ).reset_index(drop=True)


def _birthday_in(dob: pd.Series, year_end: pd.Series) -> pd.Series:
    """The birthday falling in collection year ``year_end`` (29 February -> 28 February)."""
    calendar_year = np.where(dob.dt.month >= 4, year_end - 1, year_end)
    day = np.where((dob.dt.month == 2) & (dob.dt.day == 29), 28, dob.dt.day)
    return pd.to_datetime(
        pd.DataFrame({"year": calendar_year, "month": dob.dt.month, "day": day}), errors="coerce"
    ).astype("datetime64[ns]")


def _care_leavers(
    raw: pd.DataFrame, last_year: int, log: _Log
) -> tuple[pd.DataFrame, pd.DataFrame]:
    # the year is part of the row: the same answers in two years are two annual contacts
    oc3 = raw.assign(YEAR=raw["_year"].fillna(last_year).astype("int64"))
    oc3 = _combine(oc3, ["CHILD", "YEAR"], "oc3", log, "one OC3 row per young person and year")
    bad_touch = _check_codes(
        oc3, "oc3", "IN_TOUCH", "the contact is excluded (the care leaver is kept)", log
    )
    bad_activ = _check_codes(oc3, "oc3", "ACTIV", "the row is kept, activity left blank", log)
    bad_accom = _check_codes(oc3, "oc3", "ACCOM", "the row is kept, accommodation left blank", log)
    leavers = pd.DataFrame(
        {
            "child_id": oc3["CHILD"].drop_duplicates().astype("string"),
        }
    )
    leavers["team"] = _na_team(len(leavers), leavers.index)
    leavers["eligibility"] = "former_relevant"
    contacts = oc3[~bad_touch & oc3["IN_TOUCH"].notna()]
    accom = contacts["ACCOM"].where(~bad_accom.reindex(contacts.index, fill_value=False))
    accom = accom.where(accom.ne("0"))
    activity = contacts["ACTIV"].where(~bad_activ.reindex(contacts.index, fill_value=False))
    date = _birthday_in(contacts["DOB"], contacts["YEAR"])
    frame = pd.DataFrame(
        {
            "contact_id": _joined(contacts["CHILD"], "-", _iso(date)),
            "child_id": contacts["CHILD"].astype("string"),
            "contact_date": date,
            "in_touch": contacts["IN_TOUCH"].astype("string"),
            "accommodation_type": accom.str[0].astype("string"),
            "accommodation_suitable": accom.str[1].map({"1": True, "2": False}).astype("boolean"),
            "activity": activity.where(activity.ne("0")).astype("string"),
        }
    )
    return leavers.reset_index(drop=True), frame.reset_index(drop=True)


def _adoptions(
    ad1: pd.DataFrame | None, placed: pd.DataFrame | None, eps: pd.DataFrame | None, log: _Log
) -> pd.DataFrame | None:
    parts: list[pd.Series] = []
    if ad1 is not None:
        ad1 = _combine(ad1, ["CHILD"], "ad1", log, "conflicting AD1 rows")
        bad = _check_codes(
            ad1, "ad1", "FOSTER_CARE", "the row is kept, FOSTER_CARE left blank", log
        )
        ad1 = ad1.assign(FOSTER_CARE=ad1["FOSTER_CARE"].where(~bad)).set_index("CHILD")
        parts.append(ad1.index.to_series())
    if placed is not None:
        placed = _combine(
            placed, ["CHILD"], "placed_for_adoption", log, "conflicting placed-for-adoption rows"
        ).set_index("CHILD")
        parts.append(placed.index.to_series())
    first_e1 = first_placed = adopted = placed_post = None
    if eps is not None:
        ordered, _ = _by_child_and_start(eps)  # rows selected with the columns used only
        e1 = ordered.loc[ordered["LS"].eq("E1"), ["CHILD", "DECOM"]]
        first_e1 = e1.drop_duplicates("CHILD").set_index("CHILD")["DECOM"]
        used = [c for c in ("CHILD", "DECOM", "PLACE", "PL_POST") if c in ordered]
        adoptive = ordered.loc[ordered["PLACE"].isin(_ADOPTION_PLACEMENTS), used]
        first = adoptive.drop_duplicates("CHILD").set_index("CHILD")
        first_placed = first["DECOM"]
        placed_post = first[["DECOM", "PLACE"] + (["PL_POST"] if "PL_POST" in first else [])]
        ends = ordered.loc[ordered["REC"].isin(_ADOPTED), ["CHILD", "DEC"]]
        adopted = ends.drop_duplicates("CHILD", keep="last").set_index("CHILD")["DEC"]
        parts += [
            first_e1.index.to_series(),
            first_placed.index.to_series(),
            adopted.index.to_series(),
        ]
    if not parts:
        return None
    children = pd.Index(pd.concat(parts).drop_duplicates().sort_values().to_numpy(), name="CHILD")

    def take(frame: pd.DataFrame | pd.Series | None, column: str | None = None) -> pd.Series:
        if frame is None:
            return pd.Series(pd.NaT, index=children, dtype="datetime64[ns]")
        series = frame[column] if column is not None else frame
        return series.reindex(children)

    should = take(placed, "DATE_PLACED").fillna(take(ad1, "DATE_INT"))
    foster = take(ad1, "FOSTER_CARE").map({"1": True, "0": False}) if ad1 is not None else None
    moved_in = pd.Series(pd.NaT, index=children, dtype="datetime64[ns]")
    by_place = pd.Series(pd.NA, index=children, dtype="boolean")
    if placed_post is not None:
        place = placed_post["PLACE"].reindex(children)
        by_place = place.map({"A5": True, "A6": True, "A3": False, "A4": False}).astype("boolean")
        if "PL_POST" in placed_post:
            # the first episode at the adoptive placement's postcode (the carer's home) on or before
            # the placement for adoption: the date the child moved in with the carer
            post = placed_post[["DECOM", "PL_POST"]].rename(columns={"DECOM": "placed"})
            theirs = eps.loc[_isin(eps["CHILD"], post.index), ["CHILD", "DECOM", "PL_POST"]]
            same = theirs.merge(post.reset_index(), on=["CHILD", "PL_POST"])  # their episodes only
            same = same[same["PL_POST"].notna() & (same["DECOM"] <= same["placed"])]
            moved_in = same.groupby("CHILD")["DECOM"].min().reindex(children)
    foster_flag = (
        foster.astype("boolean").fillna(by_place) if foster is not None else by_place
    ).astype("boolean")
    frame = pd.DataFrame(
        {
            "adoption_id": children.astype("string"),
            "child_id": children.astype("string"),
            "team": pd.Series(pd.NA, index=children, dtype="string"),
            "should_be_placed_date": should.astype("datetime64[ns]"),
            "placement_order_date": take(first_e1).astype("datetime64[ns]"),
            "match_date": take(ad1, "DATE_MATCH").astype("datetime64[ns]"),
            "placed_for_adoption_date": take(first_placed).astype("datetime64[ns]"),
            "adoption_order_date": take(adopted).astype("datetime64[ns]"),
            "decision_reversed_date": take(placed, "DATE_PLACED_CEASED").astype("datetime64[ns]"),
            "foster_carer_adoption": foster_flag,
            "moved_in_with_carer_date": moved_in.where(foster_flag.fillna(False).to_numpy()).astype(
                "datetime64[ns]"
            ),
        }
    )
    order = frame["adoption_order_date"] < frame["placed_for_adoption_date"]
    reversed_ = frame["decision_reversed_date"] < frame["should_be_placed_date"]
    for mask, column, reason in (
        (
            order,
            "adoption_order_date",
            "adoption order before the placement for adoption: adoption order date left blank",
        ),
        (
            reversed_,
            "decision_reversed_date",
            "DATE_PLACED_CEASED before DATE_PLACED: decision reversed date left blank",
        ),
    ):
        if mask.any():
            log.one(
                "adoptions",
                "repaired",
                reason,
                int(mask.sum()),
                "; ".join("CHILD " + frame.loc[mask, "child_id"]),
            )
            frame.loc[mask, column] = pd.NaT
    return frame.reset_index(drop=True)


def _allocations(raw: pd.DataFrame, log: _Log) -> pd.DataFrame:
    sw = _combine(raw, ["CHILD", "SW_ID", "SW_DECOM"], "sw_episodes", log, "SW_DEC completed")
    backwards = sw["SW_DEC"].notna() & (sw["SW_DEC"] < sw["SW_DECOM"])
    rows = sw[backwards]
    log.listed(
        rows,
        "sw_episodes",
        "excluded",
        "SW_DEC before SW_DECOM: the row is excluded",
        _child_where(rows),
    )
    sw = sw[~backwards]
    return pd.DataFrame(
        {
            "allocation_id": _joined(sw["CHILD"], "-", _iso(sw["SW_DECOM"]), "-", sw["SW_ID"]),
            "child_id": sw["CHILD"].astype("string"),
            "worker_id": sw["SW_ID"].astype("string"),
            "team": _na_team(len(sw), sw.index),
            "start_date": sw["SW_DECOM"],
            "end_date": sw["SW_DEC"],
            "worker_role": "social_worker",
        }
    ).reset_index(drop=True)


# --------------------------------------------------------------------------------------------------
# The importer


def _stacked(table: tuple[str, list[pd.DataFrame]]) -> tuple[pd.DataFrame, list[str]]:
    """A table's files stacked, its dates parsed, and its problems (:func:`_parse_dates`)."""
    name, frames = table
    problems: list[str] = []
    return _parse_dates(_one_chunk(pd.concat(frames, ignore_index=True)), name, problems), problems


def _years(
    tables: Mapping[str, pd.DataFrame], files: list[Path], dated: list[int | None]
) -> tuple[int, int]:
    if any(y is not None for y in dated):
        if any(y is None for y in dated):
            undated = [f.name for f, y in zip(files, dated, strict=True) if y is None]
            raise ReturnImportError(
                "some files have a collection year and some have none: "
                + ", ".join(undated)
                + " (put each year's files in a folder named like 2016-17, a year in each file "
                "name, or pass collection_years)"
            )
        years = sorted({y for y in dated if y is not None})
        return years[0], years[-1]
    eps = tables.get("episodes")
    candidates: list[pd.Series] = []
    if eps is not None and eps["DECOM"].notna().any():
        last = int(_year_of_date(eps["DECOM"].dropna()).max())
        ends = eps["DEC"].dropna()
        first = int(min(_year_of_date(ends).min(), last)) if len(ends) else last
        return first, last
    for table, frame in tables.items():
        for column in DATE_COLUMNS.get(table, ()):
            if column != "DOB" and column in frame:
                candidates.append(frame[column].dropna())
    dates = pd.concat(candidates) if candidates else pd.Series(dtype="datetime64[ns]")
    if not len(dates):
        raise ReturnImportError(
            "no dated records: cannot tell the collection year; pass collection_years"
        )
    year = int(_year_of_date(dates).max())
    return year, year


def import_ssda903(
    paths: Iterable[str | PathLike[str]],
    *,
    collection_years: Mapping[str | PathLike[str], object] | object | None = None,
) -> ImportResult:
    """Read SSDA903 CSV tables and/or XML files (files or folders) into canonical extracts.

    ``collection_years``: a mapping file-or-folder -> year (``"2016/17"`` or ``2017``), or one
    year for every file without a year in its name; by default read from the names (see the module
    documentation for every rule). Raises :class:`ReturnImportError` for input that cannot be read
    (no table, a missing column, a bad date, a blank CHILD/DOB/DECOM/REVIEW), with every problem.
    """
    source = _Source()
    if isinstance(paths, (str, PathLike)):
        paths = [paths]
    files = _expand(list(paths), source)
    source.names = pd.CategoricalDtype(sorted({path.name for path in files}))
    dated: list[int | None] = []
    read_files: list[Path] = []
    pool = ThreadPoolExecutor(max_workers=_READERS)
    try:  # the CSV tables read ahead, in order; taken (and their errors raised) in the loop
        reads = [
            pool.submit(_read_arrow, path)
            if path.suffix.lower() == ".csv" and _table_of(path) is not None
            else None
            for path in files
        ]
        for at, path in enumerate(files):
            year = _file_year(path, collection_years)
            if path.suffix.lower() == ".xml":
                _read_xml(path, year, source)
            else:
                table = _table_of(path)
                if table is None or path.suffix.lower() != ".csv":
                    source.note(
                        path.name, "", "not_mapped", "file not read: not an SSDA903 table", 0, ""
                    )
                    continue
                read, reads[at] = reads[at], None  # let go of the frame once it is added
                _read_csv(path, table, year, source, read)
            dated.append(year)
            read_files.append(path)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    if not source.tables:
        raise ReturnImportError(
            "no SSDA903 table found: give CSV files named like header.csv, episodes.csv, "
            "reviews.csv, ... (a year in the name or folder), or the XML file"
        )
    with _side_by_side(_THREADS) as pool:  # the tables stacked side by side
        stacked = list(pool.map(_stacked, source.tables.items()))  # in the order of the tables
    tables = {name: frame for name, (frame, _) in zip(source.tables, stacked, strict=True)}
    problems = [problem for _, found in stacked for problem in found]
    del stacked
    source.tables.clear()  # each table is held once, stacked: the raw tables are let go as mapped
    if problems:
        raise ReturnImportError(
            f"{len(problems)} problem(s) in the SSDA903 return:\n  - " + "\n  - ".join(problems)
        )
    first, last = _years(tables, read_files, dated)
    notes: list[str] = []
    given = sorted({y for y in dated if y is not None})
    gaps = [y for y in range(first, last + 1) if given and y not in given]
    if gaps:
        # records that began and ended in a missing year are missing: complete only after it
        first = gaps[-1] + 1
        notes.append(
            f"collection year(s) {', '.join(year_label(y) for y in gaps)} not supplied: the "
            f"extracts are complete from 1 April {first - 1} only"
        )
    for frame in tables.values():  # undated input is one return: its rows belong to its year
        frame["_year"] = frame["_year"].fillna(last).astype("int64")
    log = _Log()
    log.rows(source.report)
    extracts: dict[str, pd.DataFrame] = {}
    end = pd.Timestamp(last, 3, 31)
    for table, frame in tables.items():
        for column in DATE_COLUMNS.get(table, ()):
            if column == "DUC":  # the date UASC status ends (the 18th birthday) may lie ahead
                continue
            late = int((frame[column] > end).sum())
            log.one(
                table,
                "read",
                f"{column} after 31 March {last}, the end of the last "
                "collection year: kept (an extraction date of that day counts them)",
                late,
            )
    children = None
    supplied = set(tables)
    # the header, reviews and OC3 are mapped in a second thread while this one maps the episodes
    # (pyarrow and numpy let go of the GIL); each with its own report, joined in this order
    logs = {name: _Log() for name in ("header", "episodes", "reviews", "oc3")}
    # handed over in a dict the second thread takes them from: an argument of ``submit`` would be
    # held until the step ends, the stacked years with it (they are let go once combined)
    handed = {t: tables.pop(t) for t in ("header", "uasc", "reviews", "oc3") if t in tables}
    pool = _side_by_side(1)
    try:
        mapped_header = (
            pool.submit(
                lambda: _children(handed.pop("header"), handed.pop("uasc", None), logs["header"])
            )
            if "header" in handed
            else None
        )
        mapped_reviews = (
            pool.submit(lambda: _reviews(handed.pop("reviews"), logs["reviews"]))
            if "reviews" in handed
            else None
        )
        mapped_oc3 = (
            pool.submit(lambda: _care_leavers(handed.pop("oc3"), last, logs["oc3"]))
            if "oc3" in handed
            else None
        )
        try:
            eps = (
                _episodes(tables.pop("episodes"), logs["episodes"])
                if "episodes" in tables
                else None
            )
            episode_frame = _episode_frame(eps) if eps is not None else None
        finally:  # the first error in the order of the steps is raised, as when one at a time
            if mapped_header is not None:
                children = mapped_header.result()
        log.frames += logs["header"].frames
        if children is not None:
            extracts["children"] = children
        else:
            notes.append("no header table: the children extract is absent")
        log.frames += logs["episodes"].frames
        if eps is not None:
            extracts["cic_episodes"] = episode_frame
            log.one(
                "cic_episodes",
                "not_mapped",
                "distance_miles left blank: it needs a postcode "
                "lookup of HOME_POST and PL_POST (not done here)",
                len(eps),
            )
        if mapped_reviews is not None:
            extracts["cic_reviews"] = mapped_reviews.result()
            log.frames += logs["reviews"].frames
        if mapped_oc3 is not None:
            leavers, contacts = mapped_oc3.result()
            extracts["care_leavers"] = leavers
            extracts["care_leaver_contacts"] = contacts
            log.frames += logs["oc3"].frames
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    adoptions = _adoptions(
        tables.pop("ad1", None), tables.pop("placed_for_adoption", None), eps, log
    )
    if adoptions is not None:
        extracts["adoptions"] = adoptions
    if "sw_episodes" in tables:
        extracts["allocations"] = _allocations(tables.pop("sw_episodes"), log)
    for table, why in NOT_MAPPED.items():
        if table in tables:
            log.one(table, "not_mapped", why, len(tables[table]))
    for table in ("header", "episodes", "reviews"):
        if table not in supplied:
            log.one(table, "not_mapped", "table not supplied", 1, "no file")
            notes.append(f"no {table} table")
    if children is not None:
        known = children["child_id"]
        others = [name for name in extracts if name != "children"]
        with _side_by_side(_THREADS) as pool:  # pyarrow's is_in lets go of the GIL
            found = list(pool.map(lambda name: _isin(extracts[name]["child_id"], known), others))
        for name, in_header in zip(others, found, strict=True):
            frame = extracts[name]
            orphan = ~in_header
            if orphan.any():
                log.one(
                    name,
                    "excluded",
                    "child without a header row: record excluded",
                    int(orphan.sum()),
                    "; ".join(frame.loc[orphan, "child_id"].unique()[:50]),
                )
                extracts[name] = frame[~orphan].reset_index(drop=True)
    for name, frame in extracts.items():
        log.one(name, "mapped", "rows written to the canonical extract", len(frame))
    report = (
        pd.concat(log.frames, ignore_index=True)
        if log.frames
        else pd.DataFrame(columns=list(REPORT_COLUMNS))
    )
    report = report.astype({"rows": "int64"})
    years = tuple(year_label(y) for y in range(first, last + 1))
    return ImportResult(
        source=SOURCE,
        extracts=extracts,
        report=report,
        collection_years=years,
        first_date_covered=dt.date(first - 1, 4, 1),
        extraction_date=dt.date(last, 3, 31),
        notes=tuple(notes),
    )

"""Strict, vectorised conversion of raw extract columns to canonical dtypes.

Raw columns come from a CSV (all strings), a Parquet file or an analyst's DataFrame. Every value
that cannot be converted is reported (never silently turned into a missing value):

- identifiers, teams, codes, text -> ``str`` (integers written without ``.0``, also when stored
  as floats: ``1.0`` -> ``1``, lossless for whole numbers below 2**53; any other float is an
  error, ``not_whole_number``), surrounding whitespace removed; an empty string is a missing value;
- dates -> ``datetime64[ns]``: ISO ``YYYY-MM-DD`` strings, ``datetime.date``/``datetime`` objects or
  datetime64 values without a time of day; anything else (``31/01/2015``, ``2015-02-30``, a time of
  day, a year outside 1678-2261) is an error, whose detail says what the value looks like (a
  day/month/year date or an Excel serial number, as Excel writes them; a placeholder such as
  ``NULL``; ``9999-12-31`` for an open period);
- flags -> ``bool`` (``boolean`` when the column may be blank): ``true/false``, ``t/f``,
  ``yes/no``, ``y/n``, ``1/0`` in any letter case, or real booleans;
- numbers -> ``float64`` (``NaN``, ``NULL``, ... written as text are errors: a missing number is an
  empty cell; infinite values are rejected by the schema's ``not_finite`` check).

A column of a type that cannot hold the kind's values at all (complex numbers, durations, nested
lists) is an error (``wrong_type``) naming the column, never a Python exception.
"""

from __future__ import annotations

import datetime as dt
from typing import assert_never

import numpy as np
import pandas as pd
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
from pandas.api import types as ptypes

from scorecard.extracts.arrays import arrow_strings
from scorecard.extracts.spec import CATEGORY_KINDS, DateFormat, ExtractSpec, Field

#: Accepted spellings of flags (compared in lower case, after stripping whitespace).
TRUE_WORDS = frozenset({"true", "t", "yes", "y", "1", "1.0"})
FALSE_WORDS = frozenset({"false", "f", "no", "n", "0", "0.0"})
_BOOL_WORDS = {**{w: True for w in TRUE_WORDS}, **{w: False for w in FALSE_WORDS}}
#: The integer type of a string array's offsets, by the array's type.
_OFFSETS = {pa.string(): np.int32, pa.large_string(): np.int64}
_TRUE_SET = pa.array(sorted(TRUE_WORDS), type=pa.large_string())
_FALSE_SET = pa.array(sorted(FALSE_WORDS), type=pa.large_string())

_ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
#: An ISO date followed by a time of day (``2015-05-31 09:30``, ``2015-05-31T00:00:00``).
_ISO_DATE_TIME = r"^\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$"
_FIRST_DAY = pd.Timestamp("1678-01-01")
_LAST_DAY = pd.Timestamp("2261-12-31")
#: The first and last dates conversion accepts (whole years of pandas' nanosecond range).
DATE_RANGE = (_FIRST_DAY.date(), _LAST_DAY.date())

#: Columns of the problems frame returned by :func:`coerce_frame`.
PROBLEM_COLUMNS = ("column", "check", "detail", "row", "raw")

DETAILS = {
    "invalid_date": "not an ISO date YYYY-MM-DD between 1678 and 2261",
    "date_has_time": "has a time of day; a date is expected",
    "invalid_boolean": "not a flag: true/false, yes/no, y/n or 1/0",
    "invalid_number": "not a number",
    "missing_value": "a value is required",
    "not_whole_number": (
        "a decimal number where text is expected (with a fraction, infinite, or beyond 2**53, "
        "where its digits may have been lost): store this column as text"
    ),
}

#: Text standing for a missing number (an export's ``NaN``, ``NULL``, ...): not a number.
_NUMBER_PLACEHOLDER = r"(?i)na|n/a|null|none|nan|-|\?|#n/a|#value!|#div/0!"

#: Floats are whole numbers written exactly below this (the 53 bits of a double's mantissa).
_EXACT_INTEGERS = 2.0**53

#: What an invalid date looks like -> the hint given with ``invalid_date`` (first match wins; the
#: patterns are matched against the stripped text of the value). ISO-shaped values are told apart
#: by :func:`date_details` (a year out of range, or not a calendar date).
DATE_HINTS: tuple[tuple[str, str], ...] = (
    (
        r"(?i)na|n/a|null|none|nan|nat|-|\?",
        "a placeholder for a missing value: leave the cell empty",
    ),
    (
        r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4}",
        (
            "a day/month/year (or month/day/year) date, as Excel displays dates; a folder written "
            "so declares its date_format (docs/extracts.md, 'Dates')"
        ),
    ),
    (r"\d{1,2}-\d{1,2}-\d{2,4}", "a day-month-year date"),
    (r"\d{5}(\.\d+)?", "a number, like an Excel serial date (days since 1899-12-30)"),
    (r"\d{4}-\d{1,2}-\d{1,2}", "month and day need two digits"),
    (r"\d{4}/\d{1,2}/\d{1,2}", "separate year, month and day with hyphens"),
    (r".*[A-Za-z].*", "written with words or letters"),
)
#: A date written with slashes: two numbers of one or two digits and a year of four digits.
_SLASHED = r"^(?P<first>[0-9]{1,2})/(?P<second>[0-9]{1,2})/(?P<year>[0-9]{4})$"
_OUT_OF_RANGE = "a year outside 1678-2261 (an open period has a blank end date, not 9999-12-31)"
_NOT_A_DAY = "not a calendar date (e.g. 30 February)"


def _declared_details(text: pd.Series, date_format: DateFormat) -> tuple[list, list]:
    """Conditions and details for slashed dates that do not fit the declared ``date_format``."""
    parts = text.str.extract(_SLASHED)
    slashed = parts["year"].notna().to_numpy(dtype=bool)
    first = pd.to_numeric(parts["first"], errors="coerce").to_numpy(dtype="float64")
    second = pd.to_numeric(parts["second"], errors="coerce").to_numpy(dtype="float64")
    match date_format:
        case DateFormat.DAY_FIRST:
            other, month_at, where = DateFormat.MONTH_FIRST, second, "second"
        case DateFormat.MONTH_FIRST:
            other, month_at, where = DateFormat.DAY_FIRST, first, "first"
        case DateFormat.ISO:
            return [], []
        case _:
            assert_never(date_format)
    declared = f"not a date {date_format.value} (the declared date format) or YYYY-MM-DD"
    with np.errstate(invalid="ignore"):
        wrong_order = slashed & (month_at > 12)
    short_year = text.str.fullmatch(r"[0-9]{1,2}/[0-9]{1,2}/[0-9]{2}").to_numpy(
        dtype=bool, na_value=False
    )
    return [wrong_order, slashed, short_year], [
        (
            f"{declared}: its {where} number is above 12, so not a month (a date written "
            f"{other.value}?)"
        ),
        f"{declared}: not a calendar date in that order",
        f"{declared}: the year needs four digits",
    ]


def date_details(raw: pd.Series, date_format: DateFormat = DateFormat.ISO) -> pd.Series:
    """The ``invalid_date`` detail of each raw value: what it looks like, when that is clear
    (with a declared ``date_format``, why a slashed date does not fit it)."""
    base = DETAILS["invalid_date"]
    text = pd.Series(raw.to_numpy(dtype=object), index=raw.index).astype("str").str.strip()
    declared, declared_details = _declared_details(text, date_format)
    iso = text.str.fullmatch(_ISO_DATE.strip("^$")).to_numpy(dtype=bool, na_value=False)
    year = pd.to_numeric(text.str[:4].where(iso), errors="coerce").to_numpy(dtype="float64")
    outside = iso & ((year < _FIRST_DAY.year) | (year > _LAST_DAY.year))
    conditions = [*declared, outside, iso & ~outside] + [
        text.str.fullmatch(pattern).to_numpy(dtype=bool, na_value=False)
        for pattern, _ in DATE_HINTS
    ]
    hints = [_OUT_OF_RANGE, _NOT_A_DAY] + [hint for _, hint in DATE_HINTS]
    choices = declared_details + [f"not an ISO date YYYY-MM-DD: {hint}" for hint in hints]
    return pd.Series(np.select(conditions, choices, default=base), index=raw.index, dtype=object)


def _problems(
    column: str,
    check: str,
    bad: pd.Series,
    raw: pd.Series,
    details: pd.Series | None = None,
) -> pd.DataFrame | None:
    """One problem row per True in ``bad`` (index labels in ``row``); ``None`` if there are none.

    ``details`` gives a detail per row (aligned with ``raw``); by default the check's detail.
    """
    mask = bad.to_numpy(dtype=bool)
    if not mask.any():
        return None
    rows = bad.index[mask]
    detail: object = DETAILS[check]
    if details is not None:
        detail = pd.Series(details.loc[mask].to_numpy(), dtype=object)
    return pd.DataFrame(
        {
            "column": column,
            "check": check,
            "detail": detail,
            "row": pd.Series(rows, dtype=object),
            "raw": pd.Series(raw.loc[mask].to_numpy(), dtype=object),
        },
        columns=list(PROBLEM_COLUMNS),
    )


#: The canonical text dtype (pandas' ``str``: Arrow-backed, NaN for missing).
_TEXT = pd.StringDtype("pyarrow", na_value=np.nan)


#: The ASCII characters ``utf8_trim_whitespace`` (pandas' ``.str.strip()``) removes.
_ASCII_WHITESPACE = " \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f"


def not_whole(values: pd.Series) -> np.ndarray:
    """For a float column: the values that are not whole numbers written exactly (a fraction,
    infinite, or beyond 2**53); all False for any other column."""
    if not ptypes.is_float_dtype(values.dtype):
        return np.zeros(len(values), dtype=bool)
    numbers = values.to_numpy(dtype="float64", na_value=np.nan)
    with np.errstate(invalid="ignore"):
        whole = np.isfinite(numbers) & (numbers == np.floor(numbers))
        whole &= np.abs(numbers) < _EXACT_INTEGERS
    return ~np.isnan(numbers) & ~whole


def to_text(values: pd.Series) -> pd.Series:
    """Strings with surrounding whitespace removed; empty strings and nulls become missing.

    Floats that are whole numbers below 2**53 are written as integers (``1.0`` -> ``1``); other
    floats keep Python's text (``1.5``, ``inf``): :func:`coerce_column` reports them.
    """
    if ptypes.is_float_dtype(values.dtype) and not not_whole(values).any():
        values = values.astype("Float64").astype("Int64")
    array = arrow_strings(values)
    if array is not None and _clean_ends(array):  # nothing to strip and nothing blank
        text = pa.chunked_array(getattr(array, "chunks", [array]), type=array.type)
        series = text.to_pandas(types_mapper={text.type: _TEXT}.get)
        return pd.Series(series.array, index=values.index, name=values.name)
    if array is not None:  # the same steps on the Arrow array (what pandas' .str.strip() runs)
        if pc.all(pc.string_is_ascii(array)).as_py() is False:
            stripped = pc.utf8_trim_whitespace(array)
        else:  # the same characters, found faster in ASCII text
            stripped = pc.ascii_trim(array, characters=_ASCII_WHITESPACE)
        lengths = pc.binary_length(stripped)
        if (
            pc.all(pc.equal(lengths, pc.binary_length(array))).as_py() is not False
            and (pc.min(lengths).as_py() or 0) > 0
        ):
            cleaned = array  # nothing to strip and nothing blank: the values as they are
        else:
            blank = pc.fill_null(pc.equal(lengths, 0), False)
            cleaned = pc.if_else(blank, pa.scalar(None, type=stripped.type), stripped)
        if isinstance(cleaned, pa.Array):
            cleaned = pa.chunked_array([cleaned])
        text = cleaned.to_pandas(types_mapper={cleaned.type: _TEXT}.get)
        return pd.Series(text.array, index=values.index, name=values.name)
    missing = values.isna()
    text = values.astype("str").str.strip()
    text = text.mask(missing | text.eq(""))
    return text.astype("str")


def _text_categories(values: pd.Series) -> bool:
    """True for a ``Categorical`` whose categories are pandas' ``str`` (as a Parquet dictionary
    column of text reads)."""
    dtype = values.dtype
    return isinstance(dtype, pd.CategoricalDtype) and dtype.categories.dtype == _TEXT


def categorical_to_text(values: pd.Series) -> pd.Series:
    """:func:`to_text` of a ``Categorical`` of text, kept categorical: each category converted
    once (surrounding whitespace removed, blank -> missing), the categories then the distinct
    results, sorted (an ordered dtype). ``categorical_to_text(v).astype("str")`` equals
    ``to_text(v)``."""
    categories = values.dtype.categories
    cleaned = to_text(pd.Series(categories, dtype=_TEXT)).to_numpy(dtype=object, na_value=None)
    distinct = sorted({text for text in cleaned if text is not None})  # (few: codes, teams)
    position = {text: at for at, text in enumerate(distinct)}
    moved = np.array([position.get(text, -1) for text in cleaned] + [-1], dtype=np.int32)
    codes = moved[np.asarray(values.array.codes)]  # -1 for a blank category: missing
    dtype = pd.CategoricalDtype(pd.Index(distinct, dtype=_TEXT), ordered=True)
    coded = pd.Categorical.from_codes(codes, dtype=dtype, validate=False)
    return pd.Series(coded, index=values.index, name=values.name, copy=False)


def _solid(data: np.ndarray) -> np.ndarray:
    """True for bytes that are a whole character and not whitespace: printable ASCII other than
    the space (0x21 to 0x7E; one comparison on bytes, below 0x21 wrapping round to large)."""
    return (data - np.uint8(0x21)) < np.uint8(0x7F - 0x21)


def _clean_ends(array: pa.Array | pa.ChunkedArray) -> bool:
    """True if every value present begins and ends with a printable ASCII character other than
    the space (so that stripping whitespace changes none and none is empty), read from the first
    and last byte of each value; False when that is not so (or cannot be told this way).

    Values all of one length (identifiers, as systems write them) are read as the rows of a
    table of bytes, their first and last columns compared with no index arrays."""
    for chunk in getattr(array, "chunks", [array]):
        if chunk.type not in _OFFSETS:
            return False
        count = len(chunk)
        if not count:
            continue
        offsets = np.frombuffer(chunk.buffers()[1], dtype=_OFFSETS[chunk.type])
        offsets = offsets[chunk.offset : chunk.offset + count + 1]
        data = np.frombuffer(chunk.buffers()[2], dtype=np.uint8)  # (never null: Arrow checks)
        first, width = int(offsets[0]), int(offsets[1] - offsets[0])
        if (
            not chunk.null_count
            and width > 0
            and int(offsets[-1]) - first == count * width
            and (np.diff(offsets) == width).all()
        ):
            table = data[first : first + count * width].reshape(count, width)
            if not (_solid(table[:, 0]).all() and _solid(table[:, -1]).all()):
                return False
            continue
        starts, ends = offsets[:-1], offsets[1:]
        if chunk.null_count:
            present = ~np.asarray(chunk.is_null(), dtype=bool)
            starts, ends = starts[present], ends[present]
        if not len(starts):
            continue
        if (ends <= starts).any():  # an empty value
            return False
        if not _solid(data.take(starts)).all():  # (take: faster than indexing)
            return False
        if not _solid(data.take(ends - 1)).all():
            return False
    return True


def _parse_iso(text: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Parse stripped strings strictly as ``YYYY-MM-DD``.

    Returns the stamps, a mask of bad values and a mask of ISO dates followed by a time of day
    (``2015-05-31 09:30``; not dates, but reported as ``date_has_time`` rather than invalid).
    """
    array = arrow_strings(text)
    found = _ascii_iso(array) if array is not None else None
    if found is not None:  # ASCII text: read on its bytes
        stamps, iso, filled = pd.Series(found[0], index=text.index), found[1], found[2]
    else:
        iso = text.str.fullmatch(_ISO_DATE).to_numpy(dtype=bool, na_value=False)
        filled = text.str.len().to_numpy(dtype="float64", na_value=0.0) > 0
        stamps = pd.to_datetime(text.where(iso), format="%Y-%m-%d", errors="coerce")
    timed = np.zeros(len(text), dtype=bool)
    other = filled & ~iso
    if other.any():  # only values that are not plain dates can carry a time
        timed[other] = (
            text[other].str.fullmatch(_ISO_DATE_TIME).to_numpy(dtype=bool, na_value=False)
        )
    return stamps, filled & ~timed & stamps.isna().to_numpy(), timed


#: Where an ISO date ``YYYY-MM-DD`` has digits, and where hyphens.
_DIGIT_AT = np.array([0, 1, 2, 3, 5, 6, 8, 9])
_HYPHEN_AT = np.array([4, 7])


def _ascii_iso(
    array: pa.Array | pa.ChunkedArray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """For ASCII text (``None`` otherwise): the dates written ``YYYY-MM-DD`` as ``datetime64[ns]``,
    a mask of the values written so, and a mask of the values that are not empty.

    The values written so are those of ten characters: four digits, a hyphen, two digits, a hyphen,
    two digits (what ``_ISO_DATE`` matches). Their date is NaT when it is not a
    calendar date (month 13, 30 February, ...) or falls outside 1678-2261 (whose dates
    :func:`to_date` rejects): what ``pd.to_datetime(..., format="%Y-%m-%d", errors="coerce")``
    gives, computed on the bytes with numpy.
    """
    chunks = array.chunks if isinstance(array, pa.ChunkedArray) else [array]
    if any(pc.all(pc.string_is_ascii(chunk)).as_py() is False for chunk in chunks):
        return None  # a digit may be a non-ASCII one (\d is any decimal digit)
    stamps, isos, filleds = [], [], []
    for chunk in chunks:
        count = len(chunk)
        offsets = np.frombuffer(chunk.buffers()[1], dtype=_OFFSETS[chunk.type])
        lengths = np.diff(offsets[chunk.offset : chunk.offset + count + 1])
        present = ~np.asarray(chunk.is_null(), dtype=bool) if chunk.null_count else None
        filled = lengths > 0 if present is None else present & (lengths > 0)
        ten = lengths == 10 if present is None else present & (lengths == 10)
        out = np.full(count, np.datetime64("NaT"), dtype="datetime64[ns]")
        iso = np.zeros(count, dtype=bool)
        if ten.any():
            # the values of ten characters, one after another: a row of 10 bytes per value
            dates = chunk if ten.all() else chunk.filter(pa.array(ten))
            ends = np.frombuffer(dates.buffers()[1], dtype=_OFFSETS[dates.type])
            first, last = ends[dates.offset], ends[dates.offset + len(dates)]
            data = np.frombuffer(dates.buffers()[2], dtype=np.uint8)[first:last]
            text = data.reshape(len(dates), 10)
            digits = text[:, _DIGIT_AT] - np.uint8(ord("0"))  # not a digit: above 9 (wraps)
            shaped = (digits <= 9).all(axis=1) & (text[:, _HYPHEN_AT] == ord("-")).all(axis=1)
            at = np.flatnonzero(ten)[shaped]
            iso[at] = True
            out[at] = _calendar_days(digits[shaped].astype(np.int32))
        stamps.append(out)
        isos.append(iso)
        filleds.append(filled)
    if len(chunks) == 1:
        return stamps[0], isos[0], filleds[0]
    if not chunks:
        return np.array([], "datetime64[ns]"), np.zeros(0, bool), np.zeros(0, bool)
    return np.concatenate(stamps), np.concatenate(isos), np.concatenate(filleds)


#: Days in each month (index 1-12) of a common year.
_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int32)
_NS_PER_DAY = np.int64(86_400 * 10**9)


def _calendar_days(digits: np.ndarray) -> np.ndarray:
    """Dates from rows of the eight digits of ``YYYY-MM-DD``: NaT for a month or day that does not
    exist, or a year outside 1678-2261 (days counted by the proleptic Gregorian calendar, as
    numpy and pandas count them)."""
    year = digits[:, 0] * 1000 + digits[:, 1] * 100 + digits[:, 2] * 10 + digits[:, 3]
    month = digits[:, 4] * 10 + digits[:, 5]
    day = digits[:, 6] * 10 + digits[:, 7]
    return _civil_days(year, month, day)


def _civil_days(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Dates (``datetime64[ns]``) from year, month and day numbers (int32 arrays): NaT for a month
    or day that does not exist, or a year outside 1678-2261."""
    known = (year >= _FIRST_DAY.year) & (year <= _LAST_DAY.year) & (month >= 1) & (month <= 12)
    month = np.where(known, month, 1)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    length = _MONTH_DAYS[month] + ((month == 2) & leap)
    known &= (day >= 1) & (day <= length)
    # days since 1970-01-01 (H. Hinnant's days_from_civil; years here are positive)
    shifted = year - (month <= 2)
    era = shifted // 400
    of_era = shifted - era * 400
    of_year = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    of_era_days = of_era * 365 + of_era // 4 - of_era // 100 + of_year
    days = era.astype(np.int64) * 146_097 + of_era_days - 719_468
    stamps = (days * _NS_PER_DAY).view("datetime64[ns]")
    stamps[~known] = np.datetime64("NaT")
    return stamps


def _parse_slashed(text: pd.Series, date_format: DateFormat) -> np.ndarray:
    """Stripped strings read as ``DD/MM/YYYY`` or ``MM/DD/YYYY`` (``date_format``): the dates, NaT
    for a value not written so or not a calendar date read in that order (``31/01/2015`` read
    month first has no month 31). Nothing is guessed: the order is the one declared."""
    out = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[ns]")
    array = arrow_strings(text)
    if array is None:  # text held as Python objects
        array = pa.array(text.to_numpy(dtype=object), type=pa.large_string(), from_pandas=True)
    parts = pc.extract_regex(array, _SLASHED)
    found = np.asarray(pc.is_valid(parts), dtype=bool)
    if not found.any():
        return out
    numbers = {
        name: pc.cast(pc.struct_field(parts.filter(pa.array(found)), name), pa.int32())
        for name in ("first", "second", "year")
    }
    first, second, year = (
        np.asarray(numbers[n], dtype=np.int32) for n in ("first", "second", "year")
    )
    match date_format:
        case DateFormat.DAY_FIRST:
            day, month = first, second
        case DateFormat.MONTH_FIRST:
            month, day = first, second
        case DateFormat.ISO:
            return out
        case _:
            assert_never(date_format)
    out[found] = _civil_days(year, month, day)
    return out


def to_date(
    values: pd.Series, date_format: DateFormat = DateFormat.ISO
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Canonical dates, plus masks of invalid values and of values carrying a time of day.

    Text is read as ``YYYY-MM-DD``; with ``date_format`` ``DD/MM/YYYY`` or ``MM/DD/YYYY``, the text
    values that are not ISO dates are also read in that order (:func:`_parse_slashed`).
    """
    n = len(values)
    invalid = np.zeros(n, dtype=bool)
    timed = np.zeros(n, dtype=bool)
    stamps: pd.Series | None = None
    whole_days = False
    if isinstance(values.dtype, pd.ArrowDtype) and (
        pa.types.is_date(values.dtype.pyarrow_dtype)
        or pa.types.is_timestamp(values.dtype.pyarrow_dtype)
    ):  # Arrow dates (``date32``, as pyarrow reads them) and timestamps: numpy datetimes
        converted = pa.chunked_array(pa.array(values)).to_pandas(date_as_object=False)
        values = pd.Series(converted.to_numpy(), index=values.index)
    if ptypes.is_datetime64_any_dtype(values.dtype):
        stamps = values
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            stamps = values.dt.tz_localize(None)
    elif ptypes.is_string_dtype(values.dtype) and not ptypes.is_object_dtype(values.dtype):
        text = values.str.strip()
        stamps, invalid, timed = _parse_iso(text)
        stamps, invalid = _read_declared(text, stamps, invalid, date_format)
        whole_days = True  # parsed from YYYY-MM-DD (or the declared format): no time of day
    elif ptypes.is_object_dtype(values.dtype):
        objects = values.to_numpy(dtype=object)
        missing = values.isna().to_numpy()
        is_str = np.array([isinstance(v, str) for v in objects], dtype=bool)
        datelike = np.array([isinstance(v, (dt.date, np.datetime64)) for v in objects], dtype=bool)
        datelike &= ~missing
        text = pd.Series(np.where(is_str, objects, None), index=values.index, dtype="str")
        text = text.str.strip()
        stamps, invalid, timed = _parse_iso(text)
        stamps, invalid = _read_declared(text, stamps, invalid, date_format)
        if datelike.any():
            converted = pd.to_datetime(
                pd.Series(np.where(datelike, objects, None)), errors="coerce"
            )
            stamps = stamps.astype("datetime64[us]").mask(datelike, converted.to_numpy())
            invalid |= datelike & converted.isna().to_numpy()
        invalid |= ~missing & ~is_str & ~datelike
    else:
        invalid = values.notna().to_numpy()
    if stamps is None:
        array = np.full(n, np.datetime64("NaT"), dtype="datetime64[us]")
    elif stamps.dtype == "datetime64[ns]":  # already in the canonical unit: no conversion
        array = stamps.to_numpy()  # read only; copied below if a value must be cleared
    else:
        array = stamps.to_numpy(dtype="datetime64[us]", copy=True)
    outside, out_of_range = _outside_range(array)
    has_time = timed
    if not whole_days:
        has_time = timed | _time_of_day(array, outside)
    cleared = out_of_range | has_time
    index = values.index
    if stamps is not None and stamps.dtype == "datetime64[ns]" and not cleared.any():
        dates = stamps.rename(None).set_axis(index)  # shares the values (copy on write)
    else:
        array = array.copy() if stamps is not None and stamps.dtype == "datetime64[ns]" else array
        array[cleared] = np.datetime64("NaT")
        dates = pd.Series(array.astype("datetime64[ns]", copy=False), index=index)
    return (
        dates,
        pd.Series(invalid | out_of_range, index=index),
        pd.Series(has_time, index=index),
    )


def _outside_range(array: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the values of ``array`` (numpy datetimes) that are missing or outside the dates
    conversion accepts, and of those outside (present). One subtraction and one comparison: as
    unsigned, a value before the first day (or NaT, the smallest int64) wraps round to a number
    larger than the span, as does one so far after the last day that the subtraction wraps."""
    unit = array.dtype
    first = int(_FIRST_DAY.to_datetime64().astype(unit).view(np.int64))
    span = np.uint64(int(_LAST_DAY.to_datetime64().astype(unit).view(np.int64)) - first)
    outside = np.subtract(array.view(np.int64), first).view(np.uint64) > span
    if not outside.any():
        return outside, outside
    return outside, outside & ~np.isnat(array)


def _time_of_day(array: np.ndarray, outside: np.ndarray) -> np.ndarray:
    """True for the values of ``array`` (numpy datetimes) that are not whole days, the values
    ``outside`` (missing, or out of range: :func:`_outside_range`) left out. A value is a whole
    day when it is its day (floor division) times a day: quicker than a remainder."""
    unit, count = np.datetime_data(array.dtype)
    per_day = int(np.timedelta64(1, "D") // np.timedelta64(count, unit))
    ticks = array.view(np.int64)
    day = np.floor_divide(ticks, per_day)
    day *= per_day  # (wraps round only for values outside, left out below)
    timed = day != ticks
    if outside.any():
        timed &= ~outside
    return timed


def _read_declared(
    text: pd.Series, stamps: pd.Series, invalid: np.ndarray, date_format: DateFormat
) -> tuple[pd.Series, np.ndarray]:
    """The dates and invalid mask of :func:`_parse_iso`, with the values that are not ISO dates
    read in the declared ``date_format`` (nothing changes for ``YYYY-MM-DD``: the ISO reading is
    left exactly as it is)."""
    if date_format is DateFormat.ISO or not invalid.any():
        return stamps, invalid
    read = _parse_slashed(text[invalid], date_format)
    good = ~np.isnat(read)
    if not good.any():
        return stamps, invalid
    array = stamps.to_numpy(dtype="datetime64[ns]", copy=True)
    at = np.flatnonzero(invalid)[good]
    array[at] = read[good]
    fixed = invalid.copy()
    fixed[at] = False
    return pd.Series(array, index=stamps.index), fixed


def to_flag(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Nullable booleans plus a mask of values that are not a recognised flag."""
    if ptypes.is_bool_dtype(values.dtype):
        return values.astype("boolean"), pd.Series(False, index=values.index)
    words = to_text(values).str.lower()
    array = arrow_strings(words)
    if array is not None:  # words.map(_BOOL_WORDS), by Arrow's set lookups
        true = np.asarray(pc.is_in(array, value_set=_TRUE_SET), dtype=bool)
        false = np.asarray(pc.is_in(array, value_set=_FALSE_SET), dtype=bool)
        flags = pd.Series(pd.arrays.BooleanArray(true, ~(true | false)), index=values.index)
        invalid = pd.Series(words.notna().to_numpy() & ~(true | false), index=values.index)
        return flags, invalid
    flags = words.map(_BOOL_WORDS)
    invalid = (words.notna() & flags.isna()).astype(bool)
    return flags.astype("boolean"), invalid


def to_number(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Floats plus a mask of values that are not numbers."""
    if ptypes.is_bool_dtype(values.dtype) or ptypes.is_complex_dtype(values.dtype):
        return pd.Series(np.nan, index=values.index), values.notna()
    if ptypes.is_numeric_dtype(values.dtype):
        numbers = values.to_numpy(dtype="float64", na_value=np.nan)
        return pd.Series(numbers, index=values.index), pd.Series(False, index=values.index)
    text = to_text(values)
    # each distinct text read once (a column repeats few values: a distance, a score), then
    # looked up by row: the numbers of pd.to_numeric(text, errors="coerce"), read value by value
    codes, distinct = pd.factorize(text)  # missing: code -1
    read = pd.to_numeric(pd.Series(distinct, dtype=text.dtype), errors="coerce")
    found = np.append(read.to_numpy(dtype="float64", na_value=np.nan), np.nan)[codes]
    numbers = pd.Series(found, index=text.index, name=text.name)
    return numbers, (text.notna() & numbers.isna()).astype(bool)


def _dates_shown(raw: pd.Series) -> pd.Series:
    """``raw`` as it is reported, but an Arrow date column as the ISO text of its days (numpy's,
    which writes any year: an Arrow date may hold a day beyond Python's year 9999, which cannot
    become a Python date), missing as ``None``."""
    dtype = raw.dtype
    if not (isinstance(dtype, pd.ArrowDtype) and pa.types.is_date(dtype.pyarrow_dtype)):
        return raw
    days = pc.cast(pa.array(raw), pa.date32(), safe=False).to_numpy(zero_copy_only=False)
    text = np.where(np.isnat(days), None, days.astype(str))
    return pd.Series(text, index=raw.index, dtype=object)


def coerce_column(
    field: Field, values: pd.Series, date_format: DateFormat = DateFormat.ISO
) -> tuple[pd.Series, pd.DataFrame]:
    """Convert one raw column; return the canonical column and its conversion problems (dates in
    text read as ``YYYY-MM-DD`` or the declared ``date_format``, see :func:`to_date`)."""
    raw = values
    problems: list[pd.DataFrame | None] = []
    if _unusable(values):
        detail = f"values of type {values.dtype} cannot be read as {field.type_label}"
        empty = pd.Series(np.nan, index=values.index, dtype="float64")
        out = empty if field.kind == "number" else to_text(pd.Series(None, index=values.index))
        if field.kind == "date":
            out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
        elif field.kind == "bool":
            out = pd.Series(pd.NA, index=values.index, dtype="boolean")
        problem = pd.DataFrame(
            [[field.name, "wrong_type", detail, None, None]], columns=list(PROBLEM_COLUMNS)
        ).astype(object)
        return out.rename(field.name), problem
    if field.kind in CATEGORY_KINDS and _text_categories(values):
        out = categorical_to_text(values)  # (no fraction: the categories are text)
    elif field.kind in ("id", "team", "text", "code"):
        out = to_text(values)
        fraction = pd.Series(not_whole(values), index=values.index)
        problems.append(_problems(field.name, "not_whole_number", fraction, raw))
    elif field.kind == "date":
        out, invalid, has_time = to_date(values, date_format)
        bad = invalid.to_numpy(dtype=bool)
        shown = _dates_shown(raw) if bad.any() else raw
        details = date_details(shown[bad], date_format).reindex(raw.index) if bad.any() else None
        problems += [
            _problems(field.name, "invalid_date", invalid, shown, details),
            _problems(field.name, "date_has_time", has_time, raw),
        ]
    elif field.kind == "bool":
        out, invalid = to_flag(values)
        problems.append(_problems(field.name, "invalid_boolean", invalid, raw))
        if not field.nullable:
            missing = (out.isna() & ~invalid).astype(bool)
            problems.append(_problems(field.name, "missing_value", missing, raw))
            out = out.fillna(False).astype(bool)
    else:
        out, invalid = to_number(values)
        details = None
        if invalid.any():
            text = pd.Series(raw.to_numpy(dtype=object), index=raw.index).astype("str").str.strip()
            placeholder = text.str.fullmatch(_NUMBER_PLACEHOLDER).to_numpy(dtype=bool)
            details = pd.Series(
                np.where(
                    placeholder,
                    "not a number: a placeholder for a missing value: leave the cell empty",
                    DETAILS["invalid_number"],
                ),
                index=raw.index,
                dtype=object,
            )
        problems.append(_problems(field.name, "invalid_number", invalid, raw, details))
    found = [p for p in problems if p is not None]
    merged = pd.concat(found, ignore_index=True) if found else empty_problems()
    return out.rename(field.name), merged


def _unusable(values: pd.Series) -> bool:
    """True for a column whose type cannot hold the kind's values at all."""
    dtype = values.dtype
    if ptypes.is_complex_dtype(dtype) or ptypes.is_timedelta64_dtype(dtype):
        return True
    if isinstance(dtype, pd.ArrowDtype):
        arrow = dtype.pyarrow_dtype
        nested = pa.types.is_nested(arrow) or pa.types.is_dictionary(arrow)
        return nested or pa.types.is_duration(arrow) or pa.types.is_binary(arrow)
    return isinstance(dtype, (pd.PeriodDtype, pd.IntervalDtype, pd.SparseDtype))


_EMPTY_PROBLEMS = pd.DataFrame({c: pd.Series(dtype=object) for c in PROBLEM_COLUMNS})


def empty_problems() -> pd.DataFrame:
    """An empty problems frame (a shared object: do not modify it)."""
    return _EMPTY_PROBLEMS


def coerce_frame(
    spec: ExtractSpec, frame: pd.DataFrame, date_format: DateFormat = DateFormat.ISO
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Canonical copy of the spec's columns present in ``frame`` (spec order, same index); dates
    in text are read as ``YYYY-MM-DD`` or the declared ``date_format``.

    Returns the new frame and a problems frame (column, check, detail, row, raw). ``frame`` is not
    modified.
    """
    columns: dict[str, pd.Series] = {}
    problems: list[pd.DataFrame] = []
    for field in spec.fields:
        if field.name not in frame.columns:
            continue
        out, found = coerce_column(field, frame[field.name], date_format)
        columns[field.name] = out
        if len(found):
            problems.append(found)
    # copy=False: each coerced column is its own block, not stacked into a new 2-D block (a copy
    # of every column of a dtype, about a tenth of a second per million rows of dates)
    canonical = pd.DataFrame(columns, index=frame.index, copy=False)
    merged = pd.concat(problems, ignore_index=True) if problems else empty_problems()
    return canonical, merged

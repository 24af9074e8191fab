"""Fuzzing ``validate_extracts``: whatever frames it is given, it returns canonical extracts or raises
one of the library's documented errors (a :class:`scorecard.errors.ScorecardError`), and warns only
with :class:`ExtractWarning`. Never a Python exception from deep inside pandas, never another
warning.

The frames are random: any extract (or an unknown name), a random subset of its columns plus extra
ones, each column of a random kind of values (text, odd strings, whole and decimal numbers, NaN and
infinities, flags, dates as text and as objects, Arrow dates, blanks) in a random dtype, zero to
six rows, under odd indexes and column names (repeated, MultiIndex, not text), sometimes not a
DataFrame at all (or no mapping), sometimes with the organisation table (perhaps twice), and
``as_of`` and ``extra_columns`` right or wrong.
``FUZZ_N`` sets the number of examples (default 120, about 15 seconds).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import warnings
from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorecard.errors import ScorecardError
from scorecard.extracts import SCHEMAS, SPECS, Extracts, ExtractWarning, validate_extracts
from tests.extracts.conftest import VALID_CSV, frame_of

ODD_TEXT = ["", " ", "NULL", "NaN", "nan", "inf", "-inf", "1e999", "=1+1", "\x00", "é", "2015-02-30",
            "31/05/2015", "41791", "true", "0", "1.0", "-0.5", "Team A", "C1", "  R1 ", "9999-12-31",
            "2015-05-31 09:30", "\u202e", "a" * 300]  # fmt: skip

VALUES = st.one_of(
    st.none(),
    st.sampled_from(ODD_TEXT),
    st.text(max_size=12),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1600, 1, 1), max_value=dt.datetime(2300, 1, 1)),
    st.sampled_from([pd.NA, pd.NaT, np.nan, [1, 2], {"a": 1}, b"C1", Decimal("1.5"), 1 + 2j,
                     dt.timedelta(days=1), np.datetime64("2015-05-01"), np.int64(7), ("C1",)]),
)  # fmt: skip

DTYPES = st.sampled_from(
    ["object", "str", "float64", "Int64", "boolean", "category", "date32", "datetime", "string",
     "complex128", "timedelta64[ns]", "int64[pyarrow]", "string[pyarrow]", "double[pyarrow]",
     "bool[pyarrow]", "Float64", "datetime64[s]", "period[M]"]
)  # fmt: skip

#: Indexes a user's frame may have (rows are named by them).
INDEXES = st.sampled_from(["range", "strings", "repeated", "multi", "shifted"])


def _column(values: list[object], dtype: str) -> pd.Series:
    """``values`` in ``dtype`` when they can be (else as objects, as a user's frame would be)."""
    series = pd.Series(values, dtype=object)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas' notes on guessing date formats
        return _convert(series, dtype)


def _convert(series: pd.Series, dtype: str) -> pd.Series:
    try:
        if dtype == "object":
            return series
        if dtype == "date32":  # (dates beyond 9999 that pandas cannot show are left as objects:
            # the library's handling of them is tested in test_coerce)
            dates = pd.to_datetime(series, errors="raise").astype(pd.ArrowDtype(pa.date32()))
            dates.to_numpy(dtype=object)  # OverflowError for a day no Python date holds
            return dates
        if dtype == "datetime":
            return pd.to_datetime(series, errors="raise")
        return series.astype(dtype)
    except (ValueError, TypeError, OverflowError, pd.errors.OutOfBoundsDatetime, pa.ArrowException):
        return series


@st.composite
def frames(draw: st.DrawFn) -> tuple[dict[str, object], dict[str, object]]:
    name = draw(st.sampled_from([*SPECS, "referals"]))
    spec = SPECS.get(name, SPECS["referrals"])
    rows = draw(st.integers(min_value=0, max_value=6))
    kept = draw(st.lists(st.sampled_from(spec.columns), unique=True, max_size=len(spec.columns)))
    if draw(st.booleans()):  # usually most columns, so that deeper checks run
        kept = list(dict.fromkeys([*spec.columns, *kept]))
    extra = draw(st.lists(st.sampled_from(["notes", "Referral_ID", " team ", 0, None]), max_size=2))
    columns: dict[object, pd.Series] = {}
    for column in [*kept, *extra]:
        if draw(st.booleans()):  # a column of the valid set's values, sometimes spoiled
            base = frame_of(VALID_CSV[spec.name]).get(str(column))
            pool = list(base) if base is not None and len(base) else [""]
            values = [draw(st.sampled_from(pool)) for _ in range(rows)]
            if rows and draw(st.booleans()):
                values[draw(st.integers(0, rows - 1))] = draw(VALUES)
        else:
            values = draw(st.lists(VALUES, min_size=rows, max_size=rows))
        columns[column] = _column(values, draw(DTYPES))
    frame = pd.DataFrame(columns, index=pd.RangeIndex(rows)) if columns else pd.DataFrame()
    index = draw(INDEXES)
    if index == "strings":
        frame.index = [f"r{i}" for i in range(len(frame))]
    elif index == "repeated" and len(frame):
        frame.index = [0] * len(frame)
    elif index == "multi":
        frame.index = pd.MultiIndex.from_arrays([range(len(frame)), range(len(frame))])
    elif index == "shifted":
        frame.index = frame.index + 100
    if len(frame.columns) and draw(st.integers(0, 9)) == 0:  # two rows of column names
        frame.columns = pd.MultiIndex.from_arrays([frame.columns, frame.columns])
    given: dict[str, object] = {name: frame} if draw(st.integers(0, 19)) else {}
    if given and draw(st.integers(0, 9)) == 0:  # not a DataFrame at all
        given[name] = draw(st.sampled_from([frame.to_dict(), [1, 2], "referrals.csv", 3]))
    if given and name != "organisation" and draw(st.booleans()):
        given["organisation"] = frame_of(VALID_CSV["organisation"])
    options: dict[str, object] = {}
    if draw(st.booleans()):
        options["as_of"] = draw(st.sampled_from(["2015-05-31", pd.Period("2015-05", "M"),
                                                 "31/05/2015", 20150531, "2015-02-30", None]))  # fmt: skip
    if draw(st.booleans()):
        options["extra_columns"] = draw(st.sampled_from(["drop", "error", "keep", None]))
    if draw(st.integers(0, 19)) == 0:
        options["organisation"] = frame_of(VALID_CSV["organisation"])  # maybe given twice
    return given, options


@settings(
    max_examples=int(os.environ.get("FUZZ_N", "120")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(case=frames())
def test_validate_extracts_raises_only_library_errors(
    case: tuple[dict[str, object], dict[str, object]],
) -> None:
    given_frames, options = case
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any other warning fails the test
        warnings.simplefilter("ignore", ExtractWarning)
        if not given_frames:  # not a mapping at all
            given_frames = [frame_of(VALID_CSV["children"])]  # type: ignore[assignment]
        try:
            extracts = validate_extracts(given_frames, **options)  # type: ignore[arg-type]
        except ScorecardError as error:
            assert str(error)  # a message, never empty
            return
    assert isinstance(extracts, Extracts) and extracts.validated
    for name, frame in extracts.frames().items():  # what passes is canonical
        SCHEMAS[name].validate(frame)
        for field in SPECS[name].fields:
            if field.kind == "number":
                numbers = frame[field.name].dropna()
                assert np.isfinite(numbers).all(), (name, field.name)
                assert not any(math.isnan(v) for v in numbers)

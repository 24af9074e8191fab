"""Text cleaning: the Arrow fast paths give exactly what pandas' ``.str.strip()`` gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.extracts.coerce import to_text


def _by_pandas(values: pd.Series) -> pd.Series:
    text = values.astype("str").str.strip()
    return text.mask(values.isna() | text.eq("")).astype("str")


ASCII = [chr(i) + "x" + chr(i) for i in range(128)] + ["  ", "", None, " a b "]


@pytest.mark.parametrize(
    "values",
    [
        ASCII,
        [*ASCII, " é ", "\u00a0y\u2003", "\u3000"],
        [None, None],
        [],
        ["C1", "C2", None],
        ["C1", "é"],
    ],
    ids=["ascii", "unicode", "all-missing", "empty", "clean", "clean-unicode"],
)
def test_to_text_matches_pandas_strip(values: list[str | None]) -> None:
    series = pd.Series(values, dtype="str", index=pd.RangeIndex(len(values)) + 5, name="c")
    pd.testing.assert_series_equal(to_text(series), _by_pandas(series))


def test_ascii_control_separators_are_whitespace() -> None:
    # \x1c-\x1f are whitespace to Python and to Arrow's UTF-8 trim, not to its ASCII trim
    assert to_text(pd.Series(["\x1fid\x1c"], dtype="str")).tolist() == ["id"]


@pytest.mark.parametrize("unit", ["ns", "us", "s"])
def test_dates_with_a_time_of_day_are_found_either_side_of_1970(unit: str) -> None:
    from scorecard.extracts.coerce import to_date

    values = pd.Series(
        ["1969-12-31 00:00", "1969-12-31 23:59:59", "1970-01-01 00:00:01", "2015-02-28", None],
        dtype=f"datetime64[{unit}]",
    )
    stamps, invalid, has_time = to_date(values)
    assert has_time.tolist() == [False, True, True, False, False]
    assert invalid.tolist() == [False] * 5
    assert stamps.dt.strftime("%Y-%m-%d").tolist()[::3] == ["1969-12-31", "2015-02-28"]
    assert stamps.isna().tolist() == [False, True, True, False, True]


@pytest.mark.parametrize("unit", ["ns", "us"])
def test_dates_at_the_ends_of_the_range_and_beyond(unit: str) -> None:
    from scorecard.extracts.coerce import to_date

    # worked by hand: the range is 1678-01-01 to 2261-12-31 (midnight), both included
    values = pd.Series(
        ["1677-12-31", "1678-01-01", "1678-01-01 06:00", "2261-12-31", "2261-12-31 00:00:01",
         "1677-12-31 06:00", None],
        dtype=f"datetime64[{unit}]",
    )  # fmt: skip
    stamps, invalid, has_time = to_date(values)
    assert invalid.tolist() == [True, False, False, False, True, True, False]
    assert has_time.tolist() == [False, False, True, False, False, False, False]
    assert stamps.notna().tolist() == [False, True, False, True, False, False, False]


def _range_and_time_as_before(array: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Out of range and time of day, written as :func:`to_date` wrote them before 2026-12-05
    (NaT compared, then a remainder)."""
    nat = np.isnat(array)
    first, last = np.datetime64("1678-01-01"), np.datetime64("2261-12-31")
    out_of_range = ~nat & ((array < first) | (array > last))
    unit, count = np.datetime_data(array.dtype)
    per_day = int(np.timedelta64(1, "D") // np.timedelta64(count, unit))
    return out_of_range, ~nat & ~out_of_range & (array.view(np.int64) % per_day != 0)


@settings(max_examples=60, deadline=None)
@given(
    ticks=st.lists(
        st.one_of(
            st.integers(-(2**63) + 1, 2**63 - 1),  # anywhere (NaT is the smallest int64)
            st.integers(-110_000, 110_000).map(lambda day: day * 86_400),  # whole days
            st.integers(-110_000 * 86_400, 110_000 * 86_400),  # around the range, any second
        ),
        max_size=40,
    ),
    unit=st.sampled_from(["s", "us", "ns"]),
    nat=st.booleans(),
)
def test_range_and_time_of_day_as_written_before(ticks: list[int], unit: str, nat: bool) -> None:
    from scorecard.extracts.coerce import _outside_range, _time_of_day

    scale = {"s": 1, "us": 10**6, "ns": 10**9}[unit]
    values = [t * scale if abs(t) < 110_000 * 86_400 + 1 else t for t in ticks]
    values = [v for v in values if -(2**63) < v < 2**63] + ([-(2**63)] if nat else [])
    array = np.array(values, dtype=np.int64).view(f"datetime64[{unit}]")
    outside, out_of_range = _outside_range(array)
    expected_range, expected_time = _range_and_time_as_before(array)
    assert out_of_range.tolist() == expected_range.tolist()
    assert outside.tolist() == (expected_range | np.isnat(array)).tolist()
    assert _time_of_day(array, outside).tolist() == expected_time.tolist()


def test_dates_kept_as_they_are_do_not_follow_later_changes_to_the_input() -> None:
    from scorecard.extracts.coerce import to_date

    values = pd.Series(pd.to_datetime(["2015-01-01", "2015-02-01"]).astype("datetime64[ns]"))
    dates, _, _ = to_date(values)  # nothing to clear: the values are shared, copied on write
    values.iloc[0] = pd.Timestamp("2016-01-01")
    dates.iloc[1] = pd.NaT
    assert dates.tolist()[0] == pd.Timestamp("2015-01-01") and pd.isna(dates.tolist()[1])
    assert values.tolist() == [pd.Timestamp("2016-01-01"), pd.Timestamp("2015-02-01")]
    assert dates.name is None and dates.index.equals(values.index)


def test_categorical_to_text_is_to_text_kept_categorical() -> None:
    from scorecard.extracts.coerce import categorical_to_text, to_text

    values = pd.Series([" b", "a", None, "  ", "b", "a "], dtype="str", index=[5, 4, 3, 2, 1, 0])
    categorical = values.astype("category")
    out = categorical_to_text(categorical)
    assert list(out.cat.categories) == ["a", "b"] and out.cat.ordered
    pd.testing.assert_series_equal(out.astype("str"), to_text(values))
    assert out.tolist()[:2] == ["b", "a"] and out.isna().tolist() == [False, False, True, True,
                                                                      False, False]  # fmt: skip



# --------------------------------------------------------------------------------------------------
# Numbers: each distinct text read once, the same numbers as reading every row


def _same_floats(left: pd.Series, right: pd.Series) -> bool:
    """Equal bit for bit (so -0.0 is not 0.0), any NaN equal to any NaN."""
    import numpy as np

    a, b = left.to_numpy(dtype="float64"), right.to_numpy(dtype="float64")
    both_nan = np.isnan(a) & np.isnan(b)
    return bool(((a.view(np.int64) == b.view(np.int64)) | both_nan).all())


def _number_cases() -> list[list[str | None]]:
    return [
        [" 1.5", "2", None, "x", "1e3", "2", "-0", "0", "nan", "inf", "", "1,5", "2"],
        ["9007199254740993", "9007199254740993", "1.0"],  # past 2**53: as the whole column reads
        ["18446744073709551616", "-1"],  # past uint64
        [None, None],
        [],
    ]


@pytest.mark.parametrize("texts", _number_cases())
def test_numbers_read_once_per_distinct_text_as_row_by_row(texts: list[str | None]) -> None:
    from scorecard.extracts.coerce import to_number

    values = pd.Series(texts, dtype="str", index=range(10, 10 + len(texts)), name="n")
    numbers, bad = to_number(values)
    text = to_text(values)
    expected = pd.to_numeric(text, errors="coerce").astype("float64")  # every row read
    assert _same_floats(numbers, expected)
    assert numbers.index.equals(values.index) and numbers.name == "n"
    assert numbers.dtype == "float64"
    assert bad.tolist() == (text.notna() & expected.isna()).tolist()


@given(
    st.lists(
        st.one_of(
            st.none(), st.text(alphabet=st.sampled_from(list("0123456789.-+e ,x")), max_size=6)
        ),
        max_size=20,
    )
)
def test_numbers_read_once_per_distinct_text_any_column(texts: list[str | None]) -> None:
    test_numbers_read_once_per_distinct_text_as_row_by_row(texts)

"""Text cleaning: the Arrow fast paths give exactly what pandas' ``.str.strip()`` gives."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
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

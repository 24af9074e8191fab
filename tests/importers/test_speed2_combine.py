"""Second speed pass of the SSDA903 importer (issue 10): years coded by subtraction, few-valued
text columns taken by their codes in ``_combine``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scorecard.importers import ssda903

TEXT = pd.StringDtype("pyarrow", na_value=np.nan)


def test_integers_of_a_short_span_are_coded_by_subtracting_the_least() -> None:
    codes, count = ssda903._coded(pd.Series([2018, 2016, 2018, 2017]), sort=True)
    assert codes.tolist() == [2, 0, 2, 1] and codes.dtype == np.int64
    assert count == 4  # 2016..2018 and the (unused) code for missing
    # 1000 - 5 not below 3 rows: hashed as before, codes in order of the values
    codes, count = ssda903._coded(pd.Series([1000, 5, 1000]), sort=True)
    assert codes.tolist() == [1, 0, 1] and count == 3
    codes, count = ssda903._coded(pd.Series([7, 3, 7]))  # 7 - 3 not below 3 rows: first appearance
    assert codes.tolist() == [0, 1, 0] and count == 3
    codes, count = ssda903._coded(pd.Series([7, 3, 7, 5, 4]))  # 7 - 3 below 5 rows: 3 subtracted
    assert codes.tolist() == [4, 0, 4, 2, 1] and count == 6


def _years(children: int) -> pd.DataFrame:
    """Child c000..c{children-1}: a 2017 row (LS C1) and a 2018 row (LS C2 for even children,
    blank for odd ones), URN u<i> both years; then c000's 2018 row again (an exact repeat)."""
    ids = [f"c{i:03d}" for i in range(children)]
    later = ["C2" if i % 2 == 0 else None for i in range(children)]
    child = ids + ids + [ids[0]]
    ls = ["C1"] * children + later + ["C2"]
    urn = [f"u{i}" for i in range(children)] * 2 + ["u0"]
    return pd.DataFrame(
        {
            "CHILD": pd.array(child, dtype=TEXT),
            "LS": pd.array(ls, dtype=TEXT),
            "URN": pd.array(urn, dtype=TEXT),
            "_line": np.arange(2, len(child) + 2),
            "_file": ["a.csv"] * children + ["b.csv"] * (children + 1),
            "_year": [2017] * children + [2018] * (children + 1),
        }
    )


@pytest.mark.parametrize("few", [2**16 - 1, 256, 0])
def test_combined_rows_taken_by_code_are_the_rows_taken_by_text(monkeypatch, few) -> None:
    """300 children: LS has two values and blanks (taken by one-byte codes), URN 300 values (by
    two-byte codes; as text when ``_FEW`` is 256; both as text with 0). Each child's 2018 row wins;
    of c000's two identical 2018 rows (index 300 and 600) the last is kept. Rows in CHILD order,
    columns and dtypes as given."""
    monkeypatch.setattr(ssda903, "_FEW", few)
    frame = _years(300)
    before = frame.copy()
    log = ssda903._Log()
    out = ssda903._combine(frame, ["CHILD"], "header", log, "test")
    pd.testing.assert_frame_equal(frame, before)  # the input untouched
    assert list(out.columns) == ["CHILD", "LS", "URN", "_line", "_file", "_year"]
    assert out.index.tolist() == [600, *range(301, 600)]
    assert out["CHILD"].tolist() == [f"c{i:03d}" for i in range(300)]
    assert out["LS"].iloc[:4].isna().tolist() == [False, True, False, True]
    assert out["LS"].dropna().unique().tolist() == ["C2"] and out["LS"].isna().sum() == 150
    assert out["URN"].tolist() == [f"u{i}" for i in range(300)]
    assert out["_year"].unique().tolist() == [2018] and out["_line"].iloc[0] == 602
    assert out["LS"].dtype == TEXT and out["URN"].dtype == TEXT
    assert isinstance(out["LS"].array, pd.arrays.ArrowStringArray)
    assert isinstance(out["URN"].array, pd.arrays.ArrowStringArray)
    # the same frame as taking every column's rows as text
    pd.testing.assert_frame_equal(out, frame.take(out.index.to_numpy()))


def test_only_the_returned_columns_are_taken() -> None:
    frame = _years(4)
    out = ssda903._combine(frame, ["CHILD"], "header", ssda903._Log(), "test", ("CHILD", "LS"))
    assert list(out.columns) == ["CHILD", "LS", "_line", "_file", "_year"]
    assert out.index.tolist() == [8, 5, 6, 7]
    assert out["LS"].tolist()[0] == "C2" and out["LS"].isna().tolist() == [False, True, False, True]

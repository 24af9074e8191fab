"""The integer-key joins of the measure framework agree with pandas' joins on the columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorecard.measures.kernels import has_match, lookup_table, sort_order

children = st.one_of(st.none(), st.sampled_from(["C1", "C2", "C10", "c1"]))
months = st.one_of(st.none(), st.sampled_from(["2015-03", "2015-04", "2016-01"]))
rows = st.lists(st.tuples(months, children, st.integers(0, 9)), max_size=12)
CHILD = pd.CategoricalDtype(["C1", "C10", "C2", "c1"], ordered=True)


def _frame(data: list[tuple], value: str, coded: bool) -> pd.DataFrame:
    frame = pd.DataFrame(data, columns=["month", "child_id", value])
    frame["month"] = pd.PeriodIndex(frame["month"], freq="M")
    frame["child_id"] = frame["child_id"].astype(CHILD if coded else "str")
    return frame


@given(left=rows, right=rows, coded=st.booleans())
def test_has_match_equals_a_left_join(left: list, right: list, coded: bool) -> None:
    a, b = _frame(left, "x", coded), _frame(right, "y", coded)
    on = ["month", "child_id"]
    found = a[on].merge(b[on].drop_duplicates(), on=on, how="left", indicator=True)
    expected = (found["_merge"] == "both").to_numpy()
    np.testing.assert_array_equal(has_match(a, b, on).to_numpy(), expected)


@given(left=rows, right=rows)
def test_has_match_by_hashing_equals_by_flags(left: list, right: list) -> None:
    from scorecard.measures import kernels

    a, b = _frame(left, "x", True), _frame(right, "y", True)
    on = ["month", "child_id"]
    by_flags = has_match(a, b, on)
    limit, kernels._BITMAP_LIMIT = kernels._BITMAP_LIMIT, 0
    try:
        by_hashing = has_match(a, b, on)
    finally:
        kernels._BITMAP_LIMIT = limit
    pd.testing.assert_series_equal(by_flags, by_hashing)


dates = st.one_of(st.none(), st.sampled_from(["2015-03-01", "2014-12-31", "1969-07-20"]))


@given(data=st.lists(st.tuples(children, dates, st.integers(0, 3)), max_size=15))
@pytest.mark.parametrize("unit", ["ns", "us"])  # ns: the loader's dates (integer keys); us: pandas
def test_sort_order_equals_sort_values(data: list, unit: str) -> None:
    frame = pd.DataFrame(data, columns=["child_id", "date", "n"])
    frame["child_id"] = frame["child_id"].astype(CHILD)
    frame["date"] = pd.to_datetime(frame["date"]).astype(f"datetime64[{unit}]")
    for columns in (["child_id", "date"], ["date", "child_id"], ["child_id", "n"]):
        expected = frame.sort_values(columns, kind="stable")
        pd.testing.assert_frame_equal(frame.take(sort_order(frame, columns)), expected)


@given(
    pairs=st.lists(
        st.tuples(st.integers(0, 5), st.sampled_from(["2015-03-01", "2014-12-31", "1969-07-20"])),
        max_size=15,
    )
)
def test_key_date_order_equals_lexsort(pairs: list) -> None:
    from scorecard.measures.kernels import _key_date_order

    keys = np.array([k for k, _ in pairs], dtype=np.int64)
    stamps = pd.to_datetime([d for _, d in pairs]).to_numpy().view(np.int64)
    np.testing.assert_array_equal(_key_date_order(keys, stamps), np.lexsort((stamps, keys)))


@given(data=st.lists(st.tuples(months, children, dates, st.integers(0, 3)), max_size=15))
@pytest.mark.parametrize("unit", ["ns", "us"])  # ns: the loader's dates (integer keys); us: pandas
def test_last_in_groups_equals_sort_and_drop_duplicates(data: list, unit: str) -> None:
    from scorecard.measures.kernels import last_in_groups

    frame = pd.DataFrame(data, columns=["month", "child_id", "date", "n"])
    frame["month"] = pd.PeriodIndex(frame["month"], freq="M")
    frame["child_id"] = frame["child_id"].astype(CHILD)
    frame["date"] = pd.to_datetime(frame["date"]).astype(f"datetime64[{unit}]")
    for by, then in ((["month", "child_id"], ["date"]), (["month", "child_id"], ["date", "n"])):
        expected = frame.sort_values(by + then, kind="stable").drop_duplicates(by, keep="last")
        pd.testing.assert_frame_equal(last_in_groups(frame, by, then), expected)


@given(
    pairs=st.lists(
        st.tuples(st.integers(0, 3), st.one_of(st.none(), st.integers(0, 6))), max_size=12
    ),
    asked=st.lists(st.tuples(st.integers(0, 4), st.integers(-1, 7)), max_size=8),
)
@pytest.mark.parametrize("hour", [0, 6], ids=["midnights", "times-of-day"])
def test_count_at_most_counts_by_brute_force(pairs: list, asked: list, hour: int) -> None:
    from scorecard.measures.kernels import count_at_most

    day = pd.Timestamp("2015-01-01") + pd.Timedelta(hours=hour)
    groups = np.array([g for g, _ in pairs], dtype=np.int64)
    values = pd.Series(
        [None if v is None else day + pd.Timedelta(days=v) for _, v in pairs],
        dtype="datetime64[ns]",
    )
    asked_groups = np.array([g for g, _ in asked], dtype=np.int64)
    asked_days = pd.Series(
        [day.normalize() + pd.Timedelta(days=v) for _, v in asked], dtype="datetime64[ns]"
    )
    at = {v: day + pd.Timedelta(days=v) for _, v in pairs if v is not None}
    expected = [
        sum(1 for g, v in pairs if g == ag and v is not None and at[v] <= asked_days[i])
        for i, (ag, _) in enumerate(asked)
    ]
    got = count_at_most(groups, values, asked_groups, asked_days)
    assert list(got) == expected


day_offsets = st.one_of(st.none(), st.integers(0, 40))


@given(
    spans=st.lists(st.tuples(children, st.integers(0, 40), day_offsets), max_size=10),
    asked=st.lists(st.tuples(children, st.sampled_from([5, 12, 20, 31])), max_size=8),
)
def test_open_on_snapshot_by_brute_force(spans: list, asked: list) -> None:
    from scorecard.measures.kernels import open_on_snapshot

    day0 = pd.Timestamp("2015-03-01")
    spans = [(c, s, e if e is None else max(e, s)) for c, s, e in spans]  # end never before start
    records = pd.DataFrame(
        {
            "child_id": pd.Series([c for c, _, _ in spans], dtype=CHILD),
            "start_date": pd.Series(
                [day0 + pd.Timedelta(days=s) for _, s, _ in spans], dtype="datetime64[ns]"
            ),
            "end_date": pd.Series(
                [None if e is None else day0 + pd.Timedelta(days=e) for _, _, e in spans],
                dtype="datetime64[ns]",
            ),
        }
    )
    questions = pd.DataFrame(
        {
            "child_id": pd.Series([c for c, _ in asked], dtype=CHILD),
            "snapshot": pd.Series(
                [day0 + pd.Timedelta(days=d) for _, d in asked], dtype="datetime64[ns]"
            ),
        }
    )
    expected = [
        any(c == a and s <= d and (e is None or e > d) for c, s, e in spans) for a, d in asked
    ]
    assert list(open_on_snapshot(records, questions, "child_id")) == expected


@given(keys=st.sets(st.integers(0, 40), max_size=10), asked=st.lists(st.integers(0, 40)))
@pytest.mark.parametrize("table", [True, False], ids=["table", "hash-index"])
def test_lookup_table_finds_positions(keys: set, asked: list, table: bool) -> None:
    from scorecard.measures import kernels

    ordered = np.array(sorted(keys, reverse=True), dtype=np.int64)
    limit, kernels._TABLE_LIMIT = kernels._TABLE_LIMIT, (1 << 27) if table else 0
    try:
        found = lookup_table(ordered, 41)(np.array(asked, dtype=np.int64))
    finally:
        kernels._TABLE_LIMIT = limit
    expected = [list(ordered).index(a) if a in keys else -1 for a in asked]
    assert list(found) == expected

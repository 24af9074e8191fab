"""The fast paths of ``scorecard.measures.kernels`` (issue 12) against the plain numpy or pandas
expressions they replace: packed sorts, sorts in several passes, the last row of each group found
from the rows of groups with several rows only, and gathers by ``np.take``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.measures import kernels
from scorecard.measures.kernels import last_in_groups, sort_order, take_rows, take_values

CHILD = pd.CategoricalDtype(["C1", "C10", "C2", "c1"], ordered=True)
children = st.one_of(st.none(), st.sampled_from(CHILD.categories.tolist()))
months = st.one_of(st.none(), st.sampled_from(["2015-03", "2015-04", "2016-01"]))
dates = st.one_of(st.none(), st.sampled_from(["2015-03-01", "2014-12-31", "1969-07-20"]))
texts = st.one_of(st.none(), st.sampled_from(["b", "a", "B", "ab"]))


# --- _stable_argsort: np.argsort(key, kind="stable") ------------------------------------------


def test_stable_argsort_by_hand() -> None:
    # keys 2, 0, 2, 1, 0: the 0s (rows 1, 4), the 1 (row 3), the 2s (rows 0, 2); ties in row order
    key = np.array([2, 0, 2, 1, 0])
    assert kernels._stable_argsort(key, 3).tolist() == [1, 4, 3, 0, 2]
    assert kernels._stable_argsort(key, 3).dtype == np.argsort(key, kind="stable").dtype
    assert kernels._stable_argsort(np.array([], dtype=np.int64), 1).tolist() == []
    assert kernels._stable_argsort(np.array([7], dtype=np.int32), 8).tolist() == [0]


def test_stable_argsort_at_the_edge_of_the_packed_key() -> None:
    # 5 rows: 3 bits of positions, so keys below 2**60 are packed (key << 3 | row < 2**63), a key
    # range above it is sorted by numpy's stable argsort; the orders are the same
    top = 2**60 - 1
    key = np.array([top, 0, top, 5, 0], dtype=np.int64)
    expected = [1, 4, 3, 0, 2]
    assert kernels._stable_argsort(key, 2**60).tolist() == expected  # packed: top << 3 | 7 fits
    assert kernels._stable_argsort(key, 2**60 + 1).tolist() == expected  # argsort
    assert kernels._position_bits(5) == 3 and kernels._position_bits(8) == 3
    assert kernels._position_bits(9) == 4 and kernels._position_bits(0) == 0


@given(st.lists(st.integers(0, 6), max_size=40), st.sampled_from([np.int8, np.int32, np.int64]))
def test_stable_argsort_equals_numpy(values: list, dtype: type) -> None:
    key = np.array(values, dtype=dtype)
    expected = np.argsort(key, kind="stable")
    np.testing.assert_array_equal(kernels._stable_argsort(key, 7), expected)
    assert key.tolist() == values  # not modified


# --- _order_of_keys: np.lexsort, in as many passes as the key ranges need ---------------------


@given(
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2), st.integers(0, 4)), max_size=30),
    st.sampled_from([(4, 3, 5), (2**40, 2**20, 5), (2**61, 3, 2**61)]),
)
def test_order_of_keys_equals_lexsort(rows: list, sizes: tuple) -> None:
    # the same small values in key ranges that fit one packed number, two, or three (one of
    # them too wide to be packed with positions: numpy's stable argsort)
    columns = [np.array([r[i] for r in rows], dtype=np.int64) for i in range(3)]
    ranked = list(zip(columns, sizes, strict=True))
    expected = np.lexsort(columns[::-1]) if rows else np.array([], dtype=np.intp)
    np.testing.assert_array_equal(kernels._order_of_keys(ranked, len(rows)), expected)


def test_order_of_keys_in_two_passes_by_hand() -> None:
    # 3 rows, 2 bits of positions: the first two keys (ranges 2**40 and 2**21) do not fit one
    # packed number with them (2**61 * 4 > 2**63), so the second is sorted first, then the first
    first = np.array([2**40 - 1, 0, 2**40 - 1], dtype=np.int64)
    second = np.array([1, 2**21 - 1, 0], dtype=np.int64)
    got = kernels._order_of_keys([(first, 2**40), (second, 2**21)], 3)
    assert got.tolist() == [1, 2, 0]
    assert kernels._order_of_keys([], 3).tolist() == [0, 1, 2]


# --- _sortable: numbers in pandas' order, missing last ----------------------------------------


def _ns(days: list) -> pd.Series:
    """Dates in nanoseconds (the unit of the canonical extracts' dates)."""
    return pd.Series(pd.to_datetime(days, format="ISO8601")).astype("datetime64[ns]")


def test_sortable_numbers_by_hand() -> None:
    codes, size = kernels._sortable(pd.Series(["C2", None, "C1"], dtype=CHILD))
    assert (codes.tolist(), size) == ([2, 4, 0], 5)  # missing: the last number
    codes, size = kernels._sortable(pd.Series(["C2", "C1"], dtype=CHILD))
    assert (codes.tolist(), size) == ([2, 0], 5)  # no missing: the codes as they are
    days = _ns(["2015-03-03", None, "2015-03-01"])
    values, size = kernels._sortable(days)
    assert (values.tolist(), size) == ([2, 3, 0], 4)  # days 0..2 since the first, missing 3
    values, size = kernels._sortable(_ns([None, None]))
    assert values.tolist() == [size - 1, size - 1]
    late = _ns(["2015-03-03", None, "2015-03-01 00:00:01"])
    assert kernels._sortable(late) is None  # a time of day: pandas sorts
    months = pd.Series(pd.PeriodIndex(["2015-06", None, "2015-04"], freq="M"))
    values, size = kernels._sortable(months)
    assert (values.tolist(), size) == ([2, 3, 0], 4)
    values, size = kernels._sortable(pd.Series(pd.PeriodIndex(["2015-06", "2015-04"], freq="M")))
    assert (values.tolist(), size) == ([2, 0], 4)
    assert kernels._sortable(pd.Series(["b", "a"])) is None


# --- sort_order and last_in_groups against pandas ---------------------------------------------


def _frame(data: list[tuple], times: bool = False) -> pd.DataFrame:
    frame = pd.DataFrame(data, columns=["month", "child_id", "date", "text", "n"])
    frame["month"] = pd.PeriodIndex(frame["month"], freq="M")
    frame["child_id"] = frame["child_id"].astype(CHILD)
    frame["date"] = _ns(frame["date"].tolist())
    if times and len(frame):
        frame.loc[0, "date"] = pd.Timestamp("2015-03-01 12:00")
    frame["text"] = frame["text"].astype("str")
    # index labels other than the positions, kept by last_in_groups
    return frame.set_axis(pd.Index([10 * i + 3 for i in range(len(frame))]))


row = st.tuples(months, children, dates, texts, st.integers(0, 3))


@settings(max_examples=200)
@given(data=st.lists(row, max_size=25), times=st.booleans())
def test_last_in_groups_equals_sort_and_drop_duplicates(data: list, times: bool) -> None:
    frame = _frame(data, times)
    for by, then in (
        (["month", "child_id"], ["date"]),
        (["month", "child_id"], ["date", "text"]),  # text: pandas sorts the shared groups
        (["child_id"], ["n", "date"]),
        (["month", "child_id"], []),
        (["date"], ["month"]),  # times of day in ``by``: pandas for all
    ):
        expected = frame.sort_values(by + then, kind="stable").drop_duplicates(by, keep="last")
        pd.testing.assert_frame_equal(last_in_groups(frame, by, then), expected)


def test_last_in_groups_by_hand() -> None:
    frame = _frame(
        [
            ("2015-03", "C2", "2015-03-02", "a", 0),
            ("2015-03", "C1", "2015-03-01", "b", 1),  # C1, alone
            ("2015-03", "C2", "2015-03-02", "a", 2),  # a tie with row 0: the later row wins
            ("2015-03", "C2", "2015-03-01", "a", 3),  # an earlier date: not last, though last here
            (None, "C1", None, None, 4),  # no month: last of the months
            ("2015-03", None, None, "c", 5),  # no child: last of the children; NaT sorts last,
            ("2015-03", None, "2015-03-01", "b", 6),  # so row 5 wins
        ]
    )
    got = last_in_groups(frame, ["month", "child_id"], ["date"])
    assert got["n"].tolist() == [1, 2, 5, 4]
    assert got.index.tolist() == [13, 23, 53, 43]
    empty = last_in_groups(frame.iloc[:0], ["month", "child_id"], ["date"])
    pd.testing.assert_frame_equal(empty, frame.iloc[:0])


@given(data=st.lists(row, max_size=25))
def test_sort_order_equals_sort_values(data: list) -> None:
    frame = _frame(data)
    for columns in (["month", "child_id", "date"], ["date", "n", "child_id"], ["text", "month"]):
        expected = frame.sort_values(columns, kind="stable")
        pd.testing.assert_frame_equal(frame.take(sort_order(frame, columns)), expected)


# --- take_values and take_rows: pandas' take with a new RangeIndex ----------------------------


@pytest.mark.parametrize("kind", [np.int32, np.int64, np.uint32, "list"])
def test_take_rows_equals_take(kind: object) -> None:
    frame = _frame(
        [
            ("2015-03", "C2", "2015-03-01", "a", 0),
            (None, None, None, None, 1),
            ("2016-01", "c1", "1969-07-20", "b", 2),
        ]
    )
    frame["flag"] = [True, False, True]
    frame["x"] = [0.5, np.nan, 2.0]
    frame["nullable"] = pd.array([1, None, 3], dtype="Int64")
    wanted = [2, 0, 2, 1, 1]
    positions = wanted if kind == "list" else np.array(wanted, dtype=kind)
    expected = frame.take(wanted).reset_index(drop=True)
    pd.testing.assert_frame_equal(take_rows(frame, positions), expected)
    for column in frame.columns:
        pd.testing.assert_series_equal(take_values(frame[column], positions), expected[column])
    assert take_rows(frame, np.array([], dtype=np.intp)).shape == (0, frame.shape[1])
    with pytest.raises(IndexError):
        take_rows(frame, np.array([0, 3]))  # out of range, as pandas


# --- previous_event_date: the latest earlier date of the same key, against pandas -------------


def _previous_by_pandas(events: pd.DataFrame) -> pd.Series:
    distinct = events[["child", "day"]].dropna().drop_duplicates().sort_values(["child", "day"])
    distinct["_previous"] = distinct.groupby("child", sort=False, observed=True)["day"].shift()
    found = events[["child", "day"]].merge(distinct, on=["child", "day"], how="left")
    return pd.Series(found["_previous"].to_numpy(), index=events.index)


@settings(max_examples=200)
@given(
    data=st.lists(st.tuples(children, st.one_of(st.none(), st.integers(-3, 6))), max_size=25),
    hour=st.sampled_from([0, 0, 5]),
    unit=st.sampled_from(["ns", "ns", "us"]),
)
def test_previous_event_date_equals_pandas(data: list, hour: int, unit: str) -> None:
    from scorecard.measures.kernels import previous_event_date

    day0 = pd.Timestamp("2015-03-01")
    days = [None if d is None else day0 + pd.Timedelta(days=d) for _, d in data]
    if hour and days and days[0] is not None:  # a time of day: the sort of two keys
        days[0] += pd.Timedelta(hours=hour)
    events = pd.DataFrame(
        {
            "child": pd.Series([c for c, _ in data], dtype=CHILD),
            "day": pd.Series(days, dtype=f"datetime64[{unit}]"),
        },
        index=pd.Index([5 * i + 1 for i in range(len(data))]),
    )
    got = previous_event_date(events, "child", "day")
    pd.testing.assert_series_equal(got, _previous_by_pandas(events), check_names=False)


def test_previous_event_date_by_hand() -> None:
    from scorecard.measures.kernels import previous_event_date

    day = pd.Timestamp("2015-03-01")
    events = pd.DataFrame(
        {
            "child": pd.Series(["C2", "C1", "C2", "C2", None, "C1", "C2"], dtype=CHILD),
            "day": pd.Series(
                [day, day, day + pd.Timedelta(days=3), day, day, None, day - pd.Timedelta(days=9)],
                dtype="datetime64[ns]",
            ),
        }
    )
    got = previous_event_date(events, "child", "day")
    # C2: days -9, 0, 0, 3: the -9 has none, both 0s have -9 (not each other), 3 has 0; C1: day 0
    # has none (its other row has no date); no child or no date: none
    nat = pd.NaT
    expected = [day - pd.Timedelta(days=9), nat, day, day - pd.Timedelta(days=9), nat, nat, nat]
    assert got.tolist() == [pd.Timestamp(x) if x is not nat else nat for x in expected]


# --- count_at_most with the questions sorted first (_search_order) ----------------------------


@contextmanager
def _searches_sorted() -> Iterator[None]:
    """Questions sorted before every search, however few (as they are for many)."""
    limits = kernels._SEARCH_SORT_NEEDLES, kernels._SEARCH_SORT_ITEMS
    kernels._SEARCH_SORT_NEEDLES = kernels._SEARCH_SORT_ITEMS = 0
    try:
        yield
    finally:
        kernels._SEARCH_SORT_NEEDLES, kernels._SEARCH_SORT_ITEMS = limits


@given(
    pairs=st.lists(
        st.tuples(st.integers(0, 3), st.one_of(st.none(), st.integers(0, 6))), max_size=12
    ),
    asked=st.lists(
        st.tuples(st.integers(0, 4), st.one_of(st.none(), st.integers(-1, 7))), max_size=10
    ),
    strictly=st.booleans(),
    hour=st.sampled_from([0, 6]),
)
def test_count_at_most_with_sorted_questions_by_brute_force(
    pairs: list, asked: list, strictly: bool, hour: int
) -> None:
    from scorecard.measures.kernels import count_at_most

    day = pd.Timestamp("2015-01-01")
    at = {v: day + pd.Timedelta(days=v, hours=hour) for _, v in pairs if v is not None}
    values = pd.Series([None if v is None else at[v] for _, v in pairs], dtype="datetime64[ns]")
    questions = [None if v is None else day + pd.Timedelta(days=v) for _, v in asked]
    asked_days = pd.Series(questions, dtype="datetime64[us]")
    expected = [
        0 if q is None else sum(
            1 for g, v in pairs if g == ag and v is not None and (at[v] < q if strictly else at[v] <= q)
        )
        for (ag, _), q in zip(asked, questions, strict=True)
    ]  # fmt: skip
    groups = np.array([g for g, _ in pairs], dtype=np.int64)
    asked_groups = np.array([g for g, _ in asked], dtype=np.int64)
    with _searches_sorted():
        got = count_at_most(groups, values, asked_groups, asked_days, strictly=strictly)
    assert got.tolist() == expected
    assert got.dtype == np.int64


def test_search_order() -> None:
    needles = np.array([5, -2, 5, 9, -2])
    assert kernels._search_order(needles, 10) is None  # few needles: searched as they come
    with _searches_sorted():
        assert kernels._search_order(needles, 10).tolist() == [1, 4, 0, 2, 3]
        assert kernels._search_order(np.array([1, 1, 2]), 10) is None  # already ascending
        wide = np.array([2**62, -(2**62)])  # a range too wide to pack: numpy's argsort
        assert kernels._search_order(wide, 10).tolist() == [1, 0]


# --- joint_codes and joint_keys: equal numbers exactly for equal values -----------------------


def _same_numbering(codes: np.ndarray, values: list, size: int) -> None:
    """``codes`` number ``values`` (None: missing, numbered 0) from 0 to ``size - 1``, equal
    exactly where the values are."""
    assert codes.dtype == np.int64 and ((codes >= 0) & (codes < size)).all()
    assert [c == 0 for c in codes.tolist()] == [v is None for v in values]
    for i, a in enumerate(values):
        for j, b in enumerate(values):
            assert (codes[i] == codes[j]) == (a == b)


@given(
    left=st.lists(months, max_size=8),
    right=st.lists(months, max_size=8),
    coded=st.lists(children, max_size=8),
    other=st.lists(children, max_size=8),
)
def test_joint_codes_and_keys_number_equal_values_equally(
    left: list, right: list, coded: list, other: list
) -> None:
    from scorecard.measures.kernels import joint_codes, joint_keys

    as_months = lambda values: pd.Series(pd.PeriodIndex(values, freq="M"))
    (a, b), size = joint_codes(as_months(left), as_months(right))
    _same_numbering(np.concatenate([a, b]), left + right, size)
    (a, b), size = joint_codes(pd.Series(coded, dtype=CHILD), pd.Series(other, dtype=CHILD))
    _same_numbering(np.concatenate([a, b]), coded + other, size)
    assert size == len(CHILD.categories) + 1
    # two columns: one key per row, equal exactly where both values are
    n, m = min(len(left), len(coded)), min(len(right), len(other))
    frame = pd.DataFrame({"month": as_months(left[:n]), "child": pd.Series(coded[:n], dtype=CHILD)})
    others = pd.DataFrame(
        {"month": as_months(right[:m]), "child": pd.Series(other[:m], dtype=CHILD)}
    )
    mine, theirs, size = joint_keys(frame, others, ["month", "child"])
    pairs = list(zip(left[:n], coded[:n], strict=True)) + list(
        zip(right[:m], other[:m], strict=True)
    )
    keys = np.concatenate([mine, theirs])
    assert ((keys >= 0) & (keys < size)).all()
    for i, a_ in enumerate(pairs):
        for j, b_ in enumerate(pairs):
            assert (keys[i] == keys[j]) == (a_ == b_)


def test_previous_day_at_the_edge_of_the_packed_number() -> None:
    # days 0..3 after the first: 2 bits of days, so keys below 2**61 fit ``key << 2 | day``
    day = np.int64(16_436) * kernels.NS_PER_DAY  # 1 January 2015
    stamps = day + np.array([3, 0, 2, 0], dtype=np.int64) * kernels.NS_PER_DAY
    top = 2**61 - 1
    keys = np.array([top, top, 0, -1], dtype=np.int64)  # -1: no key, no previous event
    got = kernels._previous_day(keys, stamps)
    assert got is not None
    assert got.tolist() == [int(day), kernels._NAT, kernels._NAT, kernels._NAT]
    assert kernels._previous_day(keys + np.array([1, 1, 0, 0]), stamps) is None  # 2**61: no room
    late = stamps + np.array([0, 1, 0, 0])  # a time of day
    assert kernels._previous_day(keys, late) is None


# --- open_on_snapshot: only the records open on a snapshot repeated -----------------------------


def test_open_on_snapshot_by_hand() -> None:
    from scorecard.measures.kernels import open_on_snapshot

    def ns(*days: str | None) -> pd.Series:
        return pd.Series(pd.to_datetime(list(days)), dtype="datetime64[ns]")

    # snapshots 31 Jan, 28 Feb, 31 Mar 2015 (asked in microseconds)
    records = pd.DataFrame(
        {
            "child_id": pd.Series(["C1", "C2", "C2", "C10", "c1"], dtype=CHILD),
            "start_date": ns("2014-01-01", "2014-01-01", "2015-04-01", "2015-01-31", None),
            # C1: ended before the first snapshot; C2: ended on 28 Feb (not open on it), then
            # a record starting after the last snapshot; C10: from 31 Jan, no end; c1: no start
            "end_date": ns("2014-12-31", "2015-02-28", None, None, None),
        }
    )
    snapshot = ["2015-01-31", "2015-02-28", "2015-03-31"]
    asked = pd.DataFrame(
        {
            "child_id": pd.Series([c for c in CHILD.categories for _ in snapshot], dtype=CHILD),
            "snapshot": pd.Series(pd.to_datetime(snapshot * 4), dtype="datetime64[us]"),
        }
    )
    got = open_on_snapshot(records, asked, "child_id").reshape(4, 3).tolist()
    # rows: C1, C10, C2, c1 (the categories' order); columns: the three snapshots
    assert got == [
        [False, False, False],
        [True, True, True],
        [True, False, False],
        [False, False, False],
    ]


@given(
    items=st.lists(st.integers(-3, 8), max_size=15),
    needles=st.lists(st.integers(-4, 9), max_size=30),
    side=st.sampled_from(["left", "right"]),
)
def test_search_runs_equals_searchsorted(items: list, needles: list, side: str) -> None:
    haystack = np.sort(np.array(items, dtype=np.int64))
    asked = np.sort(np.array(needles, dtype=np.int64))  # ascending: many runs of equal needles
    asked = np.concatenate([asked, asked[::-1]])  # and descending
    expected = np.searchsorted(haystack, asked, side=side)
    with _searches_sorted():
        np.testing.assert_array_equal(kernels._search_runs(haystack, asked, side), expected)
    np.testing.assert_array_equal(kernels._search_runs(haystack, asked, side), expected)


def test_search_runs_by_hand() -> None:
    items = np.array([1, 3, 3, 7])
    needles = np.array([3, 3, 3, 0, 0, 0, 8, 8])  # 3 runs of 8 needles: each searched once
    with _searches_sorted():
        assert kernels._search_runs(items, needles, "right").tolist() == [3, 3, 3, 0, 0, 0, 4, 4]
        assert kernels._search_runs(items, needles, "left").tolist() == [1, 1, 1, 0, 0, 0, 4, 4]
    assert kernels._search_runs(items, needles[:7], "left").tolist() == [1, 1, 1, 0, 0, 0, 4]


# --- count_between: both bounds answered on one sort of the pairs -----------------------------


@settings(max_examples=200)
@given(
    pairs=st.lists(
        st.tuples(st.integers(0, 3), st.one_of(st.none(), st.integers(0, 6))), max_size=12
    ),
    asked=st.lists(
        st.tuples(
            st.integers(0, 4),
            st.one_of(st.none(), st.integers(-1, 7)),
            st.one_of(st.none(), st.integers(-1, 7)),
        ),
        max_size=10,
    ),
    include_low=st.booleans(),
    hours=st.sampled_from([(0, 0, 0), (6, 0, 0), (0, 0, 12), (0, 12, 0)]),
    sorted_first=st.booleans(),
)
def test_count_between_by_brute_force(
    pairs: list, asked: list, include_low: bool, hours: tuple, sorted_first: bool
) -> None:
    # values, low and high bounds at midnight or not (each: a day and an hour)
    from scorecard.measures.kernels import count_between

    day = pd.Timestamp("2015-01-01")
    value_hour, low_hour, high_hour = hours
    at = {v: day + pd.Timedelta(days=v, hours=value_hour) for _, v in pairs if v is not None}
    values = pd.Series([None if v is None else at[v] for _, v in pairs], dtype="datetime64[ns]")
    lows = [
        None if lo is None else day + pd.Timedelta(days=lo, hours=low_hour) for _, lo, _ in asked
    ]
    highs = [
        None if hi is None else day + pd.Timedelta(days=hi, hours=high_hour) for *_, hi in asked
    ]

    def counted(group: int, bound: pd.Timestamp | None, strictly: bool) -> int:
        # the pairs of the group at most the bound (below it: strictly); a missing bound, none
        if bound is None:
            return 0
        return sum(
            1 for g, v in pairs
            if g == group and v is not None and (at[v] < bound if strictly else at[v] <= bound)
        )  # fmt: skip

    # in [low, high] (or (low, high]): those at most high less those below (at most) low; a
    # missing high counts none, a missing low takes none away
    expected = [
        counted(ag, hi, False) - counted(ag, lo, include_low)
        for (ag, *_), lo, hi in zip(asked, lows, highs, strict=True)
    ]
    groups = np.array([g for g, _ in pairs], dtype=np.int64)
    asked_groups = np.array([a[0] for a in asked], dtype=np.int64)
    low = pd.Series(lows, dtype="datetime64[us]")
    high = pd.Series(highs, dtype="datetime64[ns]")
    if sorted_first:
        with _searches_sorted():
            got = count_between(groups, values, asked_groups, low, high, include_low)
    else:
        got = count_between(groups, values, asked_groups, low, high, include_low)
    assert got.tolist() == expected
    assert got.dtype == np.int64

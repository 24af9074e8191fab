"""The run and month-arithmetic kernels of scorecard.measures.kernels, by hand and against plain
pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from dateutil.relativedelta import relativedelta

from scorecard.calendar.months import _shift_months
from scorecard.measures import kernels
from scorecard.measures.base import month_positions
from scorecard.measures.kernels import (
    any_so_far,
    bound_positions,
    count_upto,
    last_at_or_before,
    once_per_pair,
    position_in_run,
    run_starts,
    shift_months,
)


def test_run_starts_on_several_keys_and_dates() -> None:
    child = np.array([1, 1, 1, 2, 2])
    start = np.array(
        ["2015-01-01", "2015-01-01", "2015-03-01", "2015-03-01", "NaT"], dtype="datetime64[ns]"
    )
    # a new run when either key changes; NaT is a value of its own
    assert run_starts(child, start).tolist() == [True, False, True, True, True]
    assert run_starts(np.array([], dtype=np.int64)).tolist() == []


def test_position_in_run_and_any_so_far() -> None:
    starts = np.array([True, False, False, True, True, False])
    assert position_in_run(starts).tolist() == [0, 1, 2, 0, 0, 1]
    late = np.array([False, True, False, True, False, False])
    # run 1: late from its 2nd row on; run 2 (one row): late; run 3: never (the flag before it
    # belongs to another run)
    assert any_so_far(late, starts).tolist() == [False, True, True, True, False, False]


def test_any_so_far_is_a_grouped_cummax() -> None:
    rng = np.random.default_rng(5)
    runs_of = np.sort(rng.integers(0, 40, 500))
    flags = rng.random(500) < 0.1
    expected = pd.Series(flags).groupby(runs_of).cummax().to_numpy()
    assert (any_so_far(flags, run_starts(runs_of)) == expected).all()


def test_last_at_or_before() -> None:
    # run 0: days 10, 20, 20; run 1: no rows; run 2: day 5
    run_of_row = np.array([0, 0, 0, 2])
    days = np.array([10, 20, 20, 5])
    begins = np.array([0, 4, 3])  # run 1 has no row (its begin is never read)
    asked_runs = np.array([0, 0, 0, 0, 2, 2, -1])
    asked = np.array([9, 10, 19, 20, 4, 5, 100])
    row, count = last_at_or_before(run_of_row, days, begins, asked_runs, asked)
    assert count.tolist() == [0, 1, 1, 3, 0, 1, 0]  # the boundary day counts
    assert row.tolist() == [-1, 0, 0, 2, -1, 3, -1]


def test_last_at_or_before_without_rows() -> None:
    row, count = last_at_or_before(
        np.array([], dtype=np.int64), np.array([], dtype=np.int64), np.array([], dtype=np.int64),
        np.array([-1, -1]), np.array([3, 4]),
    )  # fmt: skip
    assert row.tolist() == [-1, -1] and count.tolist() == [0, 0]


def test_bound_positions() -> None:
    # bounds (snapshots): 31 Jan, 27 Feb, 27 Feb (equal bounds share a position), 31 Mar
    bounds = np.array(["2015-01-31", "2015-02-27", "2015-02-27", "2015-03-31"], "datetime64[D]")
    values = np.array(
        ["2015-01-01", "2015-01-31", "2015-02-01", "2015-02-27", "2015-03-31", "2015-04-01", "NaT"],
        dtype="datetime64[ns]",  # another unit than the bounds': compared as dates
    )
    assert bound_positions(values, bounds).tolist() == [0, 0, 1, 1, 3, 4, 4]
    # the bounds' own positions: a value is at most a bound exactly when its position is at most
    assert bound_positions(bounds, bounds).tolist() == [0, 1, 1, 3]
    assert bound_positions(np.array([1.0, np.nan]), np.array([0.5, 2.0])).tolist() == [1, 2]


@pytest.mark.parametrize("table", [True, False])
def test_count_upto(table: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if not table:  # the binary search taken when the table would be too large
        monkeypatch.setattr(kernels, "_COUNT_TABLE_LIMIT", 0)
    # group 0: items at positions 0, 2, 2 and 3 (= size: never counted); group 1: none;
    # group 3: one item at 1 (group 2 is asked, never had items)
    groups = np.array([0, 3, 0, 0, 0])
    positions = np.array([2, 1, 0, 3, 2])
    asked_groups = np.array([0, 0, 0, 1, 2, 3, 3, -1])
    asked = np.array([0, 1, 2, 2, 2, 0, 1, 2])
    got = count_upto(groups, positions, asked_groups, asked, 3)
    assert got.dtype == np.int32  # counts of fewer than 2**31 items
    assert got.tolist() == [1, 1, 3, 0, 0, 0, 1, 0]
    none = count_upto(np.array([], np.int64), np.array([], np.int64), np.array([0, -1]),
                      np.array([1, 1]), 2)  # fmt: skip
    assert none.tolist() == [0, 0]


@pytest.mark.parametrize("table", [True, False])
def test_count_upto_by_brute_force(table: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if not table:
        monkeypatch.setattr(kernels, "_COUNT_TABLE_LIMIT", 0)
    rng = np.random.default_rng(7)
    groups, positions = rng.integers(0, 30, 400), rng.integers(0, 12, 400)
    asked_groups, asked = rng.integers(-1, 35, 300), rng.integers(0, 10, 300)
    expected = [
        int(((groups == g) & (positions <= a)).sum()) if g >= 0 else 0
        for g, a in zip(asked_groups, asked, strict=True)
    ]
    assert count_upto(groups, positions, asked_groups, asked, 10).tolist() == expected


def test_month_positions() -> None:
    months = pd.PeriodIndex(["2015-05", "2015-04", "2015-07"], freq="M")  # any order, a gap
    rows = pd.Series(pd.PeriodIndex(
        ["2015-04", "2015-07", "2015-06", None, "2015-05", "2015-03", "2015-08"], freq="M"))
    assert month_positions(rows, months).tolist() == [1, 2, -1, -1, 0, -1, -1]
    assert month_positions(rows, months[:0]).tolist() == [-1] * 7


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2016-02-29", 12, "2017-02-28"),  # clipped to the end of February
        ("2015-01-31", 1, "2015-02-28"),
        ("2015-08-31", -6, "2015-02-28"),
        ("2015-03-31", -1, "2015-02-28"),
        ("2016-01-31", 1, "2016-02-29"),  # leap year
        ("2015-05-10", -12, "2014-05-10"),
    ],
)
def test_shift_months_by_hand(day: str, months: int, expected: str) -> None:
    days = np.array([day, "NaT"], dtype="datetime64[D]")
    got = shift_months(days, np.array([months, months]))
    assert str(got[0]) == expected and np.isnat(got[1])


def test_shift_months_matches_relativedelta_and_the_elementwise_kernel() -> None:
    rng = np.random.default_rng(11)
    days = (np.datetime64("1990-01-01") + rng.integers(0, 20_000, 3_000)).astype("datetime64[D]")
    days[::17] = np.datetime64("NaT")
    months = rng.integers(-30, 30, len(days))
    got = shift_months(days, months)
    assert (np.isnat(got) == np.isnat(days)).all()
    known = ~np.isnat(days)
    assert (got[known] == _shift_months(days[known], months[known])).all()
    for d, n, g in list(zip(days[known], months[known], got[known], strict=True))[:300]:
        expected = pd.Timestamp(d) + relativedelta(months=int(n))
        assert pd.Timestamp(g) == expected


def test_once_per_pair_runs_the_kernel_on_distinct_pairs_only() -> None:
    seen: list[int] = []

    def kernel(days: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        seen.append(len(days))
        return days + offsets.astype("timedelta64[D]")

    days = np.array(["2015-01-01"] * 1000 + ["2015-01-02"] * 1000, dtype="datetime64[D]")
    offsets = np.tile([0, 1], 1000)
    got = once_per_pair(days, offsets, kernel)
    assert (got == days + offsets.astype("timedelta64[D]")).all()
    assert seen == [4]  # 2 days x 2 offsets, not 2,000 rows
    # all missing: all NaT, the kernel not run
    nat = np.array(["NaT", "NaT"], dtype="datetime64[D]")
    assert np.isnat(once_per_pair(nat, np.array([1, 2]), kernel)).all() and seen == [4]


def test_once_per_pair_over_wide_ranges_factorizes() -> None:
    # a range too wide for a table: the distinct pairs are numbered instead, same answers
    days = np.array(["1700-01-01", "2200-12-31", "1700-01-01", "NaT"], dtype="datetime64[D]")
    offsets = np.array([-5_000, 7_000, -5_000, 3])
    got = shift_months(days, offsets)
    known = ~np.isnat(days)
    assert (got[known] == _shift_months(days[known], offsets[known])).all() and np.isnat(got[3])

"""The named kernels of ``scorecard.measures.kernels`` (``run_starts``, ``any_so_far``,
``last_at_or_before``, ``count_at_most``, ``open_on_snapshot``) called directly on tiny arrays
worked by hand, at their boundaries: no keys, empty inputs, runs of two rows, NaT next to a date,
dates before 1970, a question at a time of day or missing, a record without a start
(mutation testing; see docs/mutation.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scorecard.measures.kernels import (
    any_so_far,
    count_at_most,
    last_at_or_before,
    open_on_snapshot,
    run_starts,
)


def _dates(*texts: str | None) -> pd.Series:
    return pd.Series(pd.to_datetime(list(texts)).as_unit("ns"))


# --- run_starts ---------------------------------------------------------------------------------


def test_no_keys_no_rows() -> None:
    # no key arrays at all: no rows, so no run starts (not one row)
    assert run_starts().tolist() == []


def test_two_equal_rows_are_one_run() -> None:
    # two rows (the smallest input compared at all): equal keys, one run; unequal, two
    assert run_starts(np.array([5, 5])).tolist() == [True, False]
    assert run_starts(np.array([5, 6])).tolist() == [True, True]


def test_nat_is_compared_as_a_value() -> None:
    # NaT next to NaT is the same key (NumPy's NaT != NaT would split them); NaT next to the
    # epoch itself (0 ns, whose bits are those of +0.0 where NaT's are -0.0) is another key
    nat = np.array(["NaT", "NaT", "1970-01-01", "1970-01-01"], dtype="datetime64[ns]")
    assert run_starts(nat).tolist() == [True, False, True, False]
    gaps = np.array(["NaT", "NaT", 0, 0], dtype="timedelta64[ns]")
    assert run_starts(gaps).tolist() == [True, False, True, False]


def test_keys_that_are_not_dates_are_compared_as_they_are() -> None:
    # int32 and text keys are compared as such (not reinterpreted as int64)
    small = np.array([1, 1, 2], dtype=np.int32)
    text = np.array(["a", "a", "b"], dtype=object)
    assert run_starts(small).tolist() == [True, False, True]
    assert run_starts(text).tolist() == [True, False, True]
    assert run_starts(small, text).tolist() == [True, False, True]


# --- any_so_far ---------------------------------------------------------------------------------


def test_any_so_far_of_no_rows_is_empty() -> None:
    got = any_so_far(np.zeros(0, dtype=bool), np.zeros(0, dtype=bool))
    assert got.tolist() == [] and got.dtype == bool


# --- last_at_or_before --------------------------------------------------------------------------


def test_negative_values_keep_runs_apart() -> None:
    # run 0: values -5, 0 (rows 0, 1); run 1: value -5 (row 2). low = -5, max = 0.
    # run 1 asked 0: its row 2 (one row at most 0); run 0 asked -5: row 0, one row;
    # run 0 asked 3: row 1, two rows
    got = last_at_or_before(
        np.array([0, 0, 1]), np.array([-5, 0, -5]), np.array([0, 2]),
        np.array([1, 0, 0]), np.array([0, -5, 3]),
    )  # fmt: skip
    assert got[0].tolist() == [2, 0, 1] and got[1].tolist() == [1, 1, 2]


def test_a_question_far_below_every_value_counts_none() -> None:
    # run 0: values 0, 1 (rows 0, 1); run 1: value 0 (row 2). Asked run 1 at -10, and run 0 at
    # -10: no row at most -10 in either run: count 0, row -1 (not a row of another run)
    got = last_at_or_before(
        np.array([0, 0, 1]), np.array([0, 1, 0]), np.array([0, 2]),
        np.array([1, 0]), np.array([-10, -10]),
    )  # fmt: skip
    assert got[0].tolist() == [-1, -1] and got[1].tolist() == [0, 0]


# --- count_at_most ------------------------------------------------------------------------------


def test_strictly_before_a_time_of_day_on_the_same_date() -> None:
    # one value, 1 May 2015 at midnight (group 0). A question at 10:00 on 1 May: the value is
    # before it (strictly) and at most it; a question at midnight on 1 May: not strictly before
    values = _dates("2015-05-01")
    asked = pd.Series(pd.to_datetime(["2015-05-01 10:00", "2015-05-01 00:00"]).as_unit("ns"))
    groups, asked_groups = np.array([0]), np.array([0, 0])
    assert count_at_most(groups, values, asked_groups, asked, strictly=True).tolist() == [1, 0]
    assert count_at_most(groups, values, asked_groups, asked).tolist() == [1, 1]


def test_a_missing_question_counts_none() -> None:
    # values on 1 May (the earliest date) and 3 May 2015, group 0: a missing question counts none
    # (it is below every value, even the earliest); 3 May counts both
    values = _dates("2015-05-01", "2015-05-03")
    asked = _dates(None, "2015-05-03")
    got = count_at_most(np.array([0, 0]), values, np.array([0, 0]), asked)
    assert got.tolist() == [0, 2]


def test_a_missing_question_counts_none_before_1970() -> None:
    # the earliest value, 30 December 1969, is the first day counted (days from the earliest
    # date, which is before the epoch): a missing question still counts none of it
    got = count_at_most(np.array([0]), _dates("1969-12-30"), np.array([0, 0]),
                        _dates(None, "1969-12-30"))  # fmt: skip
    assert got.tolist() == [0, 1]


def test_dates_before_1970() -> None:
    # group 0: 30 and 31 December 1969; group 1: 30 December 1969. Asked group 0 on 30 December
    # (one value), group 0 on 31 December (two), group 1 on 30 December (one), group 1 on
    # 29 December (none)
    values = _dates("1969-12-30", "1969-12-31", "1969-12-30")
    asked = _dates("1969-12-30", "1969-12-31", "1969-12-30", "1969-12-29")
    got = count_at_most(np.array([0, 0, 1]), values, np.array([0, 0, 1, 1]), asked)
    assert got.tolist() == [1, 2, 1, 0]


# --- open_on_snapshot ---------------------------------------------------------------------------


def test_a_record_without_a_start_is_never_open() -> None:
    # a has a record without a start (and no end), b one from 1 January 2015, open. On the
    # earliest snapshot, 31 January 2015, a is not open and b is
    records = pd.DataFrame(
        {"child_id": ["a", "b"], "start_date": _dates(None, "2015-01-01"),
         "end_date": _dates(None, None)}
    )  # fmt: skip
    asked = pd.DataFrame({"child_id": ["a", "b"], "snapshot": _dates("2015-01-31", "2015-01-31")})
    assert open_on_snapshot(records, asked, "child_id").tolist() == [False, True]


def test_snapshots_in_another_unit() -> None:
    # snapshots held in seconds (not nanoseconds): a record open from 15 January 2015 to
    # 15 February is open on 31 January, not on 28 February (read in the same unit as the dates)
    records = pd.DataFrame(
        {"child_id": ["a"], "start_date": _dates("2015-01-15"), "end_date": _dates("2015-02-15")}
    )
    snapshot = pd.Series(pd.to_datetime(["2015-01-31", "2015-02-28"]).as_unit("s"))
    asked = pd.DataFrame({"child_id": ["a", "a"], "snapshot": snapshot})
    assert open_on_snapshot(records, asked, "child_id").tolist() == [True, False]


def test_a_missing_number_as_a_question_counts_none() -> None:
    # values 1.0 and 2.0 (group 0): a missing question counts none; 2.0 counts both
    got = count_at_most(np.array([0, 0]), pd.Series([1.0, 2.0]), np.array([0, 0]),
                        pd.Series([np.nan, 2.0]))  # fmt: skip
    assert got.tolist() == [0, 2]


def test_joint_keys_count_the_combinations_and_refuse_what_overflows(monkeypatch) -> None:
    from scorecard.measures import kernels

    # by hand: codes are numbered from 1 in order of first appearance (left, then right), 0 for
    # missing: x: a 1, b 2 (3 codes); y: 2.0 1, 3.0 2, 1.0 3 (4 codes): 3 x 4 = 12 possible keys;
    # (a, 2.0) = 1 x 4 + 1 = 5, (missing, 3.0) = 0 x 4 + 2 = 2, (b, 1.0) = 2 x 4 + 3 = 11
    left = pd.DataFrame({"x": ["a", None], "y": [2.0, 3.0]})
    right = pd.DataFrame({"x": ["b"], "y": [1.0]})
    left_key, right_key, total = kernels.joint_keys(left, right, ["x", "y"])
    assert total == 12
    assert left_key.tolist() == [5, 2] and right_key.tolist() == [11]
    # three columns of 2**40 codes each: 2**120 combinations do not fit in an int64 -> None;
    # two of them (2**80) do not either, one (2**40) does
    huge = ((np.zeros(1, dtype=np.int64), np.zeros(1, dtype=np.int64)), 2**40)
    monkeypatch.setattr(kernels, "joint_codes", lambda a, b: huge)
    frame = pd.DataFrame({"x": [1], "y": [1], "z": [1]})
    assert kernels.joint_keys(frame, frame, ["x"]) is not None
    assert kernels.joint_keys(frame, frame, ["x", "y"]) is None
    assert kernels.joint_keys(frame, frame, ["x", "y", "z"]) is None


@pytest.mark.parametrize("path", ["table of flags", "hash lookup", "merge"])
def test_has_match_gives_the_same_answer_on_every_path(monkeypatch, path) -> None:
    from scorecard.measures import kernels

    # by hand: rows (c1, 2015-01) and (c2, missing) of `frame` (index 10, 11, 12) against
    # `others` (c1, 2015-01), (c2, missing), (c3, 2015-02): the first two match (missing matches
    # missing, as in a merge), (c1, 2015-02) does not
    frame = pd.DataFrame({"child": ["c1", "c2", "c1"],
                          "month": pd.PeriodIndex(["2015-01", None, "2015-02"], freq="M")},
                         index=[10, 11, 12])  # fmt: skip
    others = pd.DataFrame({"child": ["c1", "c2", "c3"],
                           "month": pd.PeriodIndex(["2015-01", None, "2015-02"], freq="M")})
    if path == "hash lookup":
        monkeypatch.setattr(kernels, "_BITMAP_LIMIT", 0)
    elif path == "merge":  # too many combinations for one int64 key
        monkeypatch.setattr(kernels, "joint_keys", lambda *args: None)
    got = kernels.has_match(frame, others, ["child", "month"])
    assert got.index.tolist() == [10, 11, 12]
    assert got.tolist() == [True, True, False]

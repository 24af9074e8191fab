"""``previous_event_date`` on dates of any kind (mutation testing).

By hand: for each row, the latest value of another row with the same key strictly before it; rows
of one key on the same date are not each other's previous event; a missing key or date has none.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scorecard.measures.kernels import previous_event_date


def test_previous_event_of_day_numbers() -> None:
    events = pd.DataFrame(
        {
            "child": ["a", "a", "b", "a", "a", None, "b"],
            "day": [10, 3, 5, 10, 12, 1, np.nan],
        },
        index=[7, 6, 5, 4, 3, 2, 1],
    )
    got = previous_event_date(events, "child", "day")
    assert got.index.tolist() == [7, 6, 5, 4, 3, 2, 1]
    # a: 3 -> none, 10 (twice) -> 3, 12 -> 10; b: 5 -> none; missing child or day -> none
    assert [None if pd.isna(x) else x for x in got] == [3, None, None, 3, 10, None, None]


def test_previous_event_of_datetimes_with_times_of_day() -> None:
    stamps = pd.to_datetime(["2015-05-01 10:00", "2015-05-01 09:00", "2015-04-30 00:00",
                             "2015-05-01 10:00"])  # fmt: skip
    events = pd.DataFrame({"child": ["a", "a", "a", "b"], "when": stamps})
    got = previous_event_date(events, "child", "when")
    # a: 10:00 on 1 May follows 09:00, which follows 30 April; b has one event
    assert got.iloc[0] == pd.Timestamp("2015-05-01 09:00")
    assert got.iloc[1] == pd.Timestamp("2015-04-30")
    assert pd.isna(got.iloc[2]) and pd.isna(got.iloc[3])


def test_rows_without_a_key_have_no_previous_event_even_together() -> None:
    events = pd.DataFrame(
        {
            "child": [None, None, "a"],
            "day": pd.to_datetime(["2015-05-01", "2015-05-02", "2015-05-03"]),
        }
    )
    got = previous_event_date(events, "child", "day")
    assert got.isna().all()  # the two rows without a child are not one child's events


def test_dates_before_1970() -> None:
    # before the epoch the nanosecond counts are negative: 30 December 1969 still comes first
    events = pd.DataFrame({"child": ["a", "a", "a"],
                           "day": pd.to_datetime(["1969-12-31", "1969-12-30", "1970-01-02"])})  # fmt: skip
    got = previous_event_date(events, "child", "day")
    assert pd.isna(got.iloc[1])
    assert got.iloc[0] == pd.Timestamp("1969-12-30") and got.iloc[2] == pd.Timestamp("1969-12-31")


def test_the_first_run_of_same_day_rows_has_no_previous_event() -> None:
    # a's first date (3 May) twice, then 7 May; the index is kept
    events = pd.DataFrame({"child": ["a", "a", "a"],
                           "day": pd.to_datetime(["2015-05-03", "2015-05-03", "2015-05-07"])},
                          index=[30, 20, 10])  # fmt: skip
    got = previous_event_date(events, "child", "day")
    assert got.index.tolist() == [30, 20, 10]
    assert pd.isna(got[30]) and pd.isna(got[20]) and got[10] == pd.Timestamp("2015-05-03")


def test_one_child_s_span_of_dates_does_not_overlap_the_next_child_s() -> None:
    # a: 1 and 11 January (10 days apart, the widest span), b: 1 January; a's second referral
    # follows a's first, not b's
    # nanosecond dates, as the validated extracts have (the one-key sort is for whole days in ns)
    days = pd.to_datetime(["2015-01-01", "2015-01-11", "2015-01-01"]).as_unit("ns")
    events = pd.DataFrame({"child": ["a", "a", "b"], "day": days})
    got = previous_event_date(events, "child", "day")
    assert pd.isna(got[0]) and got[1] == pd.Timestamp("2015-01-01") and pd.isna(got[2])

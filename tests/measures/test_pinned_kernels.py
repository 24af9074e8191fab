"""``previous_event_date`` and its sort ``_key_date_order`` (``scorecard.measures.kernels``),
called directly on tiny inputs worked by hand (mutation testing); at the end, two helpers of the
shared frames (``node_key``, ``present_extract`` of ``scorecard.measures.base``).

The rule: for each row, the latest date of another row with the same key strictly before it; rows
of one key on the same date are not each other's previous event; a row without a key or a date
has none. The rows may come in any order and keep their index.

Two paths: dates (``datetime64``) go through a sort of integer keys (one combined integer when the
dates are whole days in nanoseconds, as in the validated extracts; else a two-key ``lexsort``);
anything else (day numbers) through pandas. Both are pinned here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scorecard.measures.kernels import NS_PER_DAY, _key_date_order, previous_event_date

T = pd.Timestamp


def _days(*texts: str | None) -> pd.DatetimeIndex:
    """Dates at midnight in nanoseconds (the validated extracts' unit: the one-key sort)."""
    return pd.to_datetime(list(texts)).as_unit("ns")


def _listed(values: pd.Series) -> list:
    return [None if pd.isna(v) else v for v in values]


# --- the pandas path: day numbers ---------------------------------------------------------------


def test_day_numbers_in_any_order_with_missing_keys_and_days() -> None:
    events = pd.DataFrame(
        {
            "child": ["b", "a", "a", None, "a", "b", "a", "c"],
            "day": [7.0, 12.0, 3.0, 4.0, 12.0, 2.0, 9.0, np.nan],
        },
        index=[80, 70, 60, 50, 40, 30, 20, 10],
    )
    got = previous_event_date(events, "child", "day")
    # a: 3 -> none, 9 -> 3, 12 (twice, same day: not each other's) -> 9;
    # b: 2 -> none, 7 -> 2; the row without a child and c's row without a day -> none
    assert got.index.tolist() == [80, 70, 60, 50, 40, 30, 20, 10]
    assert _listed(got) == [2.0, 9.0, None, None, 9.0, None, 3.0, None]


def test_day_numbers_of_one_key_only() -> None:
    events = pd.DataFrame({"child": ["a", "a"], "day": [5, 1]}, index=["x", "y"])
    got = previous_event_date(events, "child", "day")
    # 5 follows 1; 1 is the first
    assert got.index.tolist() == ["x", "y"] and _listed(got) == [1, None]


# --- the integer-key path: dates ----------------------------------------------------------------


def test_dates_in_any_order_keep_their_index() -> None:
    events = pd.DataFrame(
        {"child": ["a", "b", "a"], "day": _days("2015-05-09", "2015-05-01", "2015-05-02")},
        index=[3, 2, 1],
    )
    got = previous_event_date(events, "child", "day")
    # a: 2 May -> none, 9 May -> 2 May (the row just before, at position 0 of the sorted rows);
    # b has one event
    assert got.index.tolist() == [3, 2, 1]
    assert _listed(got) == [T("2015-05-02"), None, None]


def test_same_day_rows_of_a_key_that_is_not_the_first() -> None:
    # a comes first (the first key of the sort), then b
    events = pd.DataFrame(
        {"child": ["a", "b", "b", "b"],
         "day": _days("2015-05-01", "2015-05-05", "2015-05-05", "2015-05-08")}
    )  # fmt: skip
    got = previous_event_date(events, "child", "day")
    # b's two referrals on 5 May are its first (not each other's previous), 8 May follows them;
    # a's 1 May is not b's
    assert _listed(got) == [None, None, None, T("2015-05-05")]


def test_the_first_run_of_same_day_rows_has_no_previous_event() -> None:
    events = pd.DataFrame(
        {"child": ["a", "a", "a"], "day": _days("2015-05-03", "2015-05-03", "2015-05-07")}
    )
    got = previous_event_date(events, "child", "day")
    assert _listed(got) == [None, None, T("2015-05-03")]


def test_rows_without_a_key_or_a_date() -> None:
    events = pd.DataFrame(
        {"child": [None, "a", None, "a", "a"],
         "day": _days("2015-05-01", None, "2015-05-02", "2015-05-04", "2015-05-06")}
    )  # fmt: skip
    got = previous_event_date(events, "child", "day")
    # the two rows without a child are not one child's events (none, not 1 May for the second);
    # a's row without a date has none and is nobody's previous event: 6 May follows 4 May
    assert _listed(got) == [None, None, None, None, T("2015-05-04")]


def test_no_rows_and_no_usable_rows() -> None:
    empty = pd.DataFrame({"child": pd.Series([], dtype=object), "day": _days()})
    got = previous_event_date(empty, "child", "day")
    assert len(got) == 0 and got.dtype == "datetime64[ns]"
    unusable = pd.DataFrame({"child": [None, "a"], "day": _days("2015-05-01", None)}, index=[5, 6])
    got = previous_event_date(unusable, "child", "day")
    assert got.index.tolist() == [5, 6] and got.isna().all()


def test_dates_before_1970() -> None:
    # before the epoch the nanosecond counts are negative: 30 December 1969 still comes first
    events = pd.DataFrame(
        {"child": ["a", "a", "a"], "day": _days("1969-12-31", "1969-12-30", "1970-01-02")}
    )
    got = previous_event_date(events, "child", "day")
    assert _listed(got) == [T("1969-12-30"), None, T("1969-12-31")]


def test_dates_either_side_of_1970() -> None:
    # a: 27 December 1969 and 6 January 1970, b: 1 January 1970. The combined sort key is
    # child * span + (day - first day), with span = 6 - (-5) + 1 = 11 days (day numbers since
    # 1 January 1970): a's days give 0 and 10, b's 11 + 5 = 16. a's second event follows a's first.
    events = pd.DataFrame(
        {"child": ["a", "b", "a"], "day": _days("1970-01-06", "1970-01-01", "1969-12-27")}
    )
    got = previous_event_date(events, "child", "day")
    assert _listed(got) == [T("1969-12-27"), None, None]


def test_one_key_s_span_of_dates_does_not_reach_the_next_key_s() -> None:
    # a: 1 and 11 January (the widest span, 11 days counted), b: 1 January. a's second event
    # follows a's first, not b's (b's key starts a whole span above a's)
    events = pd.DataFrame(
        {"child": ["a", "a", "b"], "day": _days("2015-01-01", "2015-01-11", "2015-01-01")}
    )
    got = previous_event_date(events, "child", "day")
    assert _listed(got) == [None, T("2015-01-01"), None]


def test_times_of_day_order_the_events_of_one_day() -> None:
    stamps = pd.to_datetime(["2015-05-01 10:00", "2015-05-01 09:00", "2015-04-30 00:00",
                             "2015-05-01 10:00"]).as_unit("ns")  # fmt: skip
    events = pd.DataFrame({"child": ["a", "a", "a", "b"], "when": stamps})
    got = previous_event_date(events, "child", "when")
    # a: 10:00 on 1 May follows 09:00, which follows 30 April; b has one event
    assert _listed(got) == [T("2015-05-01 09:00"), T("2015-04-30"), None, None]


# --- _key_date_order: np.lexsort((stamps, keys)), one sort when it fits -----------------------

DAY0 = 16_436  # 1 January 2015, in days since 1970
M = np.iinfo(np.int64).max  # 9,223,372,036,854,775,807


def _stamps(*days: int) -> np.ndarray:
    return np.array(days, dtype=np.int64) * NS_PER_DAY


def test_key_date_order_of_nothing() -> None:
    none = np.array([], dtype=np.int64)
    assert _key_date_order(none, none).tolist() == []


def test_key_date_order_at_the_edge_of_the_combined_key() -> None:
    # The dates span 5 days (offsets 0 to 4), so the combined key is key * 5 + offset. The largest
    # key for which it is used is M // 5 - 2 = 1,844,674,407,370,955,159: key * 5 + 4 =
    # M - 8 still fits in an int64 (as a float, key * 5 and key * 5 + 4 would be one number). Rows: (big key, offset 4), (key 0, offset 0), (big key, offset 0):
    # sorted by key then date, [1, 2, 0].
    big = M // 5 - 2
    assert big == 1_844_674_407_370_955_159
    keys = np.array([big, 0, big], dtype=np.int64)
    stamps = _stamps(DAY0 + 4, DAY0, DAY0)
    assert _key_date_order(keys, stamps).tolist() == [1, 2, 0]
    # one key more than the guard allows: M // 5 = 1,844,674,407,370,955,161, whose key * 5 + 4
    # = M + 2 would overflow; the two-key sort gives the same order
    bigger = M // 5
    keys = np.array([bigger, 0, bigger], dtype=np.int64)
    assert _key_date_order(keys, stamps).tolist() == [1, 2, 0]
    assert _key_date_order(keys, stamps).tolist() == np.lexsort((stamps, keys)).tolist()


# --- the shared frames' machinery (scorecard.measures.base) --------------------------------------
# (the cache key of a node and the extract an open-records node reads)


def test_node_key_of_a_tuple_is_the_tuple_of_its_items_keys() -> None:
    from scorecard.measures.base import node_key

    months = pd.period_range("2015-04", "2015-05", freq="M")
    # plain items stand for themselves; different tuples give different keys (a cache entry per
    # distinct input); reporting months inside a tuple (not hashable as they are) by their key
    assert node_key(("start_date", 12)) == ("start_date", 12)
    assert node_key(("start_date",)) != node_key(("end_date",))
    assert node_key((months, "team")) == (node_key(months), "team")
    assert node_key(()) == ()


def test_an_absent_extract_is_not_computable_saying_which() -> None:
    import pytest

    from scorecard.extracts import Extracts
    from scorecard.measures.base import NotComputable, present_extract

    # the message becomes the indicator's note ("not computable: extract 'cp_plans' is absent")
    with pytest.raises(NotComputable) as caught:
        present_extract(Extracts(), "cp_plans")
    assert str(caught.value) == "extract 'cp_plans' is absent"

"""The measure framework's row helpers, pinned (mutation testing): ``open_at`` on both of its
paths (binary search over ascending snapshots; the cross join used when the snapshots are not
ascending or a column is shared), ``in_period`` on a date outside every window, and ``reasons``
with missing values in its masks.

Every expected row is worked out by hand from the rules in the docstrings: open on day d is
``start <= d and (end missing or end > d)``; ``in_period`` repeats an event for each month whose
window holds its date; ``reasons`` gives the first choice whose mask holds (missing: not holding).
Snapshots used: 30 April 2015 (Thursday), 29 May 2015 (Friday), 30 June 2015 (Tuesday).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scorecard.measures.base import MeasureInput, in_period, open_at, reasons
from scorecard.registry import load_registry

SNAPSHOTS = {"2015-04": "2015-04-30", "2015-05": "2015-05-29", "2015-06": "2015-06-30"}


def calendar(months: list[str]) -> pd.DataFrame:
    """``month, snapshot`` for ``months``, in the order given."""
    return pd.DataFrame(
        {
            "month": pd.PeriodIndex(months, freq="M"),
            "snapshot": pd.to_datetime([SNAPSHOTS[m] for m in months]),
        }
    )


def spans(rows: list[tuple[str, str | None, str | None]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [r[0] for r in rows],
            "start": pd.to_datetime([r[1] for r in rows]),
            "end": pd.to_datetime([r[2] for r in rows]),
        }
    )


def open_months(found: pd.DataFrame) -> list[tuple[str, str]]:
    return [(i, str(m)) for i, m in zip(found["id"], found["month"], strict=True)]


#: Records on the exact edges of the rule, and (by hand) the snapshots each is open on.
EDGES = spans(
    [
        ("a", "2015-05-29", None),  # starts on May's snapshot: open then (start <= d) and after
        ("b", "2015-04-01", "2015-05-29"),  # ends on May's snapshot: closed then (end > d fails)
        ("c", "2015-06-01", None),  # starts after May's snapshot: June only
        ("d", "2015-04-30", "2015-06-30"),  # April (start on it) and May; ends on June's
        ("e", None, None),  # no start: open on no snapshot
    ]
)


def test_open_at_on_ascending_snapshots() -> None:
    found = open_at(EDGES, calendar(["2015-04", "2015-05", "2015-06"]), "start", "end")
    # for each record in order, its snapshots in calendar order; e (no start date) nowhere
    assert open_months(found) == [
        ("a", "2015-05"), ("a", "2015-06"),
        ("b", "2015-04"),
        ("c", "2015-06"),
        ("d", "2015-04"), ("d", "2015-05"),
    ]  # fmt: skip
    assert list(found.columns) == ["id", "start", "end", "month", "snapshot"]
    assert found.index.equals(pd.RangeIndex(6))


def test_open_at_on_snapshots_in_descending_order() -> None:
    # not ascending: the cross join decides each pair with the rule itself; the rows keep the
    # calendar's order (June, May, April) within each record
    months = ["2015-06", "2015-05", "2015-04"]
    found = open_at(EDGES, calendar(months), "start", "end")
    expected = [
        ("a", "2015-06"), ("a", "2015-05"),
        ("b", "2015-04"),
        ("c", "2015-06"),
        ("d", "2015-05"), ("d", "2015-04"),
    ]  # fmt: skip
    assert open_months(found) == expected
    # the whole frame: the record's columns, then the calendar's, a new RangeIndex (no "index")
    rows = EDGES.set_index("id").loc[[i for i, _ in expected]].reset_index()
    months_found = pd.PeriodIndex([m for _, m in expected], freq="M")
    want = rows.assign(
        month=months_found, snapshot=pd.to_datetime([SNAPSHOTS[m] for _, m in expected])
    )
    pd.testing.assert_frame_equal(found, want)


def test_open_at_keeps_a_column_the_records_share_with_the_calendar_apart() -> None:
    # records carrying their own "month" (the month they were recorded in): the two columns
    # must stay two distinct names (pandas' merge suffixes, "_x" for the records', "_y" for the
    # calendar's), never two columns both called "month"
    records = spans([("a", "2015-05-01", None), ("b", "2015-04-01", "2015-05-01")])
    records["month"] = pd.PeriodIndex(["2015-01", "2015-02"], freq="M")
    found = open_at(records, calendar(["2015-04", "2015-05", "2015-06"]), "start", "end")
    assert found.columns.is_unique
    assert list(found.columns) == ["id", "start", "end", "month_x", "month_y", "snapshot"]
    # a: open on May's and June's snapshots; b: April's only (ends 1 May)
    pairs = zip(
        found["id"], found["month_x"].astype(str), found["month_y"].astype(str), strict=True
    )
    assert list(pairs) == [
        ("a", "2015-01", "2015-05"),
        ("a", "2015-01", "2015-06"),
        ("b", "2015-02", "2015-04"),
    ]


def test_an_event_dated_far_beyond_every_window_is_in_none() -> None:
    # 2**64 nanoseconds (about 584.5 years) after 10 May 2015 is late November 2599 (a typing
    # error in a year, say): after every window, so in no month. In nanoseconds it does not fit
    # an int64 and would wrap round to 10 May 2015 (plus 384 ns): only the window test on the
    # dates themselves keeps it out.
    far = np.datetime64("2015-05-10", "us") + np.timedelta64(-(-(2**64) // 1000), "us")
    assert str(far).startswith("2599-11-27")
    events = pd.DataFrame(
        {"event": ["e0", "e1", "e2"],
         "date": pd.Series([np.datetime64("2015-05-10", "us"), far,
                            np.datetime64("NaT", "us")])}
    )  # fmt: skip
    indicator = load_registry()["re_referrals_12m"]  # YTD
    inp = MeasureInput(None, pd.PeriodIndex(["2015-05"], freq="M"), indicator)  # type: ignore[arg-type]
    found = in_period(events, "date", inp)
    # May 2015's window is 1 April - 31 May 2015: e0 only (e2 has no date)
    assert list(found["event"]) == ["e0"]
    assert [str(m) for m in found["month"]] == ["2015-05"]


def test_missing_values_in_a_mask_do_not_hold() -> None:
    index = pd.Index(["w", "x", "y", "z"])
    first = pd.array([pd.NA, True, pd.NA, False], dtype="boolean")  # nullable booleans
    second = np.array([True, None, None, False], dtype=object)  # Python objects
    found = reasons([(first, "one"), (second, "two")], "otherwise", index)
    # w: first missing (not holding), second holds; x: first holds; y: both missing; z: neither
    assert found.tolist() == ["two", "one", "otherwise", "otherwise"]
    assert found.index.equals(index)
    assert list(found.cat.categories) == ["one", "two", "otherwise"]


@pytest.mark.parametrize("mask", [pd.array([True, pd.NA], dtype="boolean"),
                                  pd.Series([True, None], dtype=object)])  # fmt: skip
def test_one_mask_with_a_missing_value(mask) -> None:
    found = reasons([(mask, "held")], "not held", pd.RangeIndex(2))
    assert found.tolist() == ["held", "not held"]

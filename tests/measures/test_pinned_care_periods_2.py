"""``placements`` and ``period_at`` (``scorecard.measures.care_periods``) on tiny frames worked by
hand (mutation testing; see docs/mutation.md): the columns of both paths of ``placements`` (rows
in placement order, as ``care_episodes`` gives them, and rows in another order), and
``period_at`` on the day a period starts and for a row without a period."""

from __future__ import annotations

import pandas as pd

from scorecard.measures.care_periods import period_at, placements

T = pd.Timestamp
COLUMNS = ["child_id", "placement_id", "start", "end"]


def _episodes(ids: list[int], starts: list[str], ends: list[str | None]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "child_id": ["c1"] * len(ids),
            "placement_id": ids,
            "start_date": pd.to_datetime(starts).as_unit("ns"),
            "end_date": pd.to_datetime(ends).as_unit("ns"),
        }
    )


def test_placements_of_rows_in_placement_order() -> None:
    # placement 1: two episodes, 1 Jan to 1 Mar and 1 Mar to 1 Jun 2014; placement 2: from
    # 1 Jun 2014, open. One row per placement: its first episode's start, its last one's end
    eps = _episodes([1, 1, 2], ["2014-01-01", "2014-03-01", "2014-06-01"],
                    ["2014-03-01", "2014-06-01", None])  # fmt: skip
    got = placements(eps)
    assert list(got.columns) == COLUMNS
    assert got["placement_id"].tolist() == [1, 2]
    assert got["start"].tolist() == [T("2014-01-01"), T("2014-06-01")]
    assert got["end"][0] == T("2014-06-01") and pd.isna(got["end"][1])


def test_placements_of_rows_in_another_order() -> None:
    # the same placements, placement 2 first (rows not in ascending placement order): placement
    # 2 from 1 Jun 2014, open; placement 1 from its first row (1 Jan) to its last row's end (1 Jun)
    eps = _episodes([2, 1, 1], ["2014-06-01", "2014-01-01", "2014-03-01"],
                    [None, "2014-03-01", "2014-06-01"])  # fmt: skip
    got = placements(eps)
    assert list(got.columns) == COLUMNS
    assert got["child_id"].tolist() == ["c1", "c1"]
    assert got["placement_id"].tolist() == [2, 1]
    assert got["start"].tolist() == [T("2014-06-01"), T("2014-01-01")]
    assert pd.isna(got["end"][0]) and got["end"][1] == T("2014-06-01")


def test_placements_of_interleaved_rows_one_row_each() -> None:
    # placement 1's episodes are rows 0 and 2, placement 2's row 1: still one row per placement
    # (two, not three), each starting at its first row
    eps = _episodes([1, 2, 1], ["2014-01-01", "2014-06-01", "2014-03-01"],
                    ["2014-03-01", None, "2014-06-01"])  # fmt: skip
    got = placements(eps)
    assert got["placement_id"].tolist() == [1, 2]
    assert got["start"].tolist() == [T("2014-01-01"), T("2014-06-01")]


def test_placements_of_interleaved_rows_end_at_their_last_row() -> None:
    # placement 1 (rows 0 and 2) ends with row 2 (1 Jun 2014); placement 2 (row 1) is open
    eps = _episodes([1, 2, 1], ["2014-01-01", "2014-06-01", "2014-03-01"],
                    ["2014-03-01", None, "2014-06-01"])  # fmt: skip
    got = placements(eps)
    assert got["end"][0] == T("2014-06-01") and pd.isna(got["end"][1])


def _periods() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "child_id": ["c1", "c1"],
            "care_start": pd.to_datetime(["2014-01-01", "2015-05-01"]).as_unit("ns"),
            "care_end": pd.to_datetime(["2014-12-01", None]).as_unit("ns"),
        }
    )


def test_period_at_the_day_a_period_starts() -> None:
    # c1: periods from 1 Jan 2014 (to 1 Dec 2014) and from 1 May 2015 (open). On 1 May 2015 the
    # latest period started on or before the date is the second (it starts that day)
    frame = pd.DataFrame({"child_id": ["c1"], "day": pd.to_datetime(["2015-05-01"]).as_unit("ns")})
    got = period_at(frame, "day", _periods())
    assert got["care_start"].tolist() == [T("2015-05-01")] and pd.isna(got["care_end"][0])


def test_period_at_keeps_rows_without_a_period() -> None:
    # row 7: c1 on 1 Dec 2013, before any period of c1: missing; row 8: c2, no period: missing;
    # row 9: c1 on 30 Apr 2015: the first period (the second starts the day after)
    frame = pd.DataFrame(
        {"child_id": ["c1", "c2", "c1"],
         "day": pd.to_datetime(["2013-12-01", "2015-01-01", "2015-04-30"]).as_unit("ns")},
        index=[7, 8, 9],
    )  # fmt: skip
    got = period_at(frame, "day", _periods())
    assert got.index.tolist() == [7, 8, 9]
    assert got["care_start"].isna().tolist() == [True, True, False]
    assert got["care_start"][9] == T("2014-01-01") and got["care_end"][9] == T("2014-12-01")

"""Taking rows without pandas' ``take`` (``take_values``, ``take_rows``), the looked-after rows
without their snapshot date, and the rows of ``explained`` with a date built from the columns
``records`` reads: by hand, and against the plain pandas they replace."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scorecard.extracts import Extracts
from scorecard.measures.base import MeasureInput, Shown, explained, in_period, records, sharing
from scorecard.measures.care_periods import looked_after_on_snapshots, looked_after_positions
from scorecard.measures.codes import coded_extracts
from scorecard.measures.kernels import take_rows, take_values
from scorecard.registry import load_registry
from tests.measures.test_children_in_care import TestSamePlacement

REGISTRY = load_registry()


def _every_dtype(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """``n`` rows of every kind of column the measures take (some missing values in each)."""
    days = pd.Series(pd.to_datetime("2015-01-01") + pd.to_timedelta(rng.integers(0, 900, n), "D"))
    days[rng.random(n) < 0.2] = pd.NaT
    text = [f"id{i}" if i % 5 else None for i in range(n)]
    return pd.DataFrame(
        {
            "int32": rng.integers(-5, 5, n).astype(np.int32),
            "int64": rng.integers(-(2**40), 2**40, n),
            "float": np.where(rng.random(n) < 0.2, np.nan, rng.random(n)),
            "flag": rng.random(n) < 0.5,
            "date_ns": days.to_numpy("datetime64[ns]"),
            "date_us": days.to_numpy("datetime64[us]"),
            "month": pd.PeriodIndex(days, freq="M"),
            "coded": pd.Categorical.from_codes(
                rng.integers(-1, 3, n), categories=["a", "b", "c"], ordered=True
            ),
            "str": pd.array(text, dtype="str"),
            "string": pd.array(text, dtype="string"),
            "boolean": pd.array([[True, None, False][i % 3] for i in range(n)], "boolean"),
            "object": pd.array([("t", i) for i in range(n)], dtype=object),
        },
        index=pd.Index(rng.integers(0, 5, n)),  # labels repeated: taking is by position
    )


def test_take_values_by_hand() -> None:
    months = pd.Series(pd.PeriodIndex(["2015-04", None, "2015-06"], freq="M"), name="month")
    coded = pd.Series(pd.Categorical(["x", None, "y"], categories=["x", "y"]), index=[7, 8, 9])
    dates = pd.Series(pd.to_datetime(["2015-04-30", None, "2015-06-30"]).as_unit("us"))
    at = np.array([2, 2, 0, 1], dtype=np.int32)
    assert take_values(months, at).astype("string").tolist() == [
        "2015-06", "2015-06", "2015-04", pd.NA
    ]  # fmt: skip
    assert take_values(months, at).name == "month"
    assert take_values(coded, at).tolist() == ["y", "y", "x", np.nan]
    assert take_values(coded, at).index.tolist() == [0, 1, 2, 3]  # a new RangeIndex
    assert take_values(coded, at).dtype == coded.dtype
    assert take_values(dates, at).dtype == "datetime64[us]"  # the unit kept
    assert take_values(dates, at).dt.day.tolist()[:3] == [30, 30, 30]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_take_rows_is_pandas_take(seed: int) -> None:
    rng = np.random.default_rng(seed)
    frame = _every_dtype(60, rng)
    for at in (rng.integers(0, 60, 500), rng.integers(-60, 60, 200), np.array([], dtype=int)):
        for positions in (at, at.astype(np.int32)):
            expected = frame.take(positions).reset_index(drop=True)
            pd.testing.assert_frame_equal(take_rows(frame, positions), expected, check_exact=True)
            for column in frame.columns:
                pd.testing.assert_series_equal(
                    take_values(frame[column], positions), expected[column], check_exact=True
                )


def test_take_rows_without_columns_or_with_a_repeated_name() -> None:
    frame = pd.DataFrame({"a": [1, 2, 3], "b": [4.0, 5.0, 6.0]})
    at = np.array([2, 0])
    empty = take_rows(frame[[]], at)
    assert empty.shape == (2, 0) and empty.index.equals(pd.RangeIndex(2))
    twice = frame[["a", "b", "a"]]  # taken by pandas, as it is
    pd.testing.assert_frame_equal(take_rows(twice, at), twice.take(at).reset_index(drop=True))


def test_looked_after_without_the_snapshot_date() -> None:
    extracts = coded_extracts(TestSamePlacement.extracts)
    months = pd.PeriodIndex(["2015-04", "2015-05", "2015-06"], freq="M")
    with sharing(extracts):
        everything = looked_after_on_snapshots(extracts, months, ("child_id", "team"))
        undated = looked_after_on_snapshots(extracts, months, ("child_id", "team"), snapshot=False)
        keep = (looked_after_positions(extracts, months)["_at"] != 1).to_numpy()  # not May
        kept = looked_after_on_snapshots(extracts, months, ("child_id",), keep=keep, snapshot=False)
    # the nine children d1-d9 each have one episode open on the three snapshots
    assert len(everything) == 3 * 9 and list(undated.columns) == ["child_id", "team", "month"]
    pd.testing.assert_frame_equal(undated, everything.drop(columns="snapshot"))
    # with ``keep``: the rows kept, labelled by their positions, without the snapshot either
    assert list(kept.columns) == ["child_id", "month"]
    pd.testing.assert_frame_equal(kept, everything.loc[keep, ["child_id", "month"]])
    assert (kept["month"] != pd.Period("2015-05", freq="M")).all()


def _events() -> pd.DataFrame:
    """Reviews with a text id, a repeated index, a missing date and columns records never reads."""
    return pd.DataFrame(
        {
            "review": pd.array(["r1", "r2", "r3", "r4", "r5"], dtype="str"),
            "child_id": pd.array(["c1", "c1", "c2", "c3", "c3"], dtype="str"),
            "team": pd.array(["A1", "A1", "C1", "F", "F"], dtype="str"),
            "date": pd.to_datetime(["2015-03-31", "2015-04-01", None, "2015-05-31", "2014-03-31"]),
            "took_part": [True, False, True, True, False],
            "weight": [0.5, 2.0, 1.0, 3.0, 1.0],
            "unread": ["x", "y", "z", "w", "v"],
        },
        index=[3, 3, 1, 0, 0],
    )


@pytest.mark.parametrize("detail", [False, True])
@pytest.mark.parametrize("denominator", [1.0, "weight", None])
def test_explained_with_a_date_is_records_of_in_period(detail: bool, denominator) -> None:
    events = _events()
    months = pd.PeriodIndex(["2015-03", "2015-04", "2015-05"], freq="M")
    inp = MeasureInput(Extracts(), months, REGISTRY["re_referrals_12m"], detail=detail)  # YTD

    def why(frame: pd.DataFrame) -> Shown:
        return Shown(pd.Series(pd.Categorical(np.where(frame["took_part"], "yes", "no")),
                               index=frame.index), {"when": "date", "what": "unread"})  # fmt: skip

    got = explained(inp, events, why, record_id="review", numerator="took_part", date="date",
                    denominator=denominator)  # fmt: skip
    # as explained did: the whole frame (with the reason and shown columns) repeated first
    frame = events
    extra = {}
    if detail:
        shown = why(events)
        frame = events.assign(_reason=shown.reason, _shown_0=events["date"],
                              _shown_1=events["unread"])  # fmt: skip
        extra = {"when": "_shown_0", "what": "_shown_1"}
    repeated = in_period(frame, "date", inp)
    expected = records(
        repeated, record_id="review", numerator=repeated["took_part"],
        denominator=repeated[denominator] if isinstance(denominator, str) else denominator,
        reason=repeated["_reason"] if detail else None, extra=extra,
    )  # fmt: skip
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    # by hand: r1 (31 March 2015) in March only (April starts a new year); r2 in April and May;
    # r4 in May; r3 (no date) and r5 (March 2014, the year before) in none
    assert got["record_id"].tolist() == ["r1", "r2", "r2", "r4"]
    assert got["month"].astype("string").tolist() == ["2015-03", "2015-04", "2015-05", "2015-05"]
    assert got["numerator"].tolist() == [1.0, 0.0, 0.0, 1.0]
    assert got["record_id"].dtype == "string" and got["team"].dtype == "string"

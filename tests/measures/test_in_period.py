"""``in_period``: events repeated for every reporting month whose window holds their date, worked
by hand on boundary dates (1 April, month ends, the 12-month edge of R12M)."""

from __future__ import annotations

import pandas as pd
import pytest

from scorecard.measures import MeasureInput, in_period
from scorecard.registry import load_registry

REGISTRY = load_registry()
YTD = REGISTRY["re_referrals_12m"]  # period YTD
R12M = next(i for i in REGISTRY if i.period.value == "R12M")


def months_of(indicator, months: list[str], dates: list[str]) -> dict[str, list[str]]:
    events = pd.DataFrame({"event": [f"e{i}" for i in range(len(dates))],
                           "date": pd.to_datetime(dates)})  # fmt: skip
    inp = MeasureInput(None, pd.PeriodIndex(months, freq="M"), indicator)  # type: ignore[arg-type]
    rows = in_period(events, "date", inp)
    out: dict[str, list[str]] = {}
    for event, month in zip(rows["event"], rows["month"], strict=True):
        out.setdefault(event, []).append(str(month))
    return out


def test_ytd_windows() -> None:
    # months 2015-03 .. 2015-05: 2015-03's window is 1 Apr 2014 - 31 Mar 2015; April's and May's
    # start on 1 April 2015 (a new financial year)
    got = months_of(YTD, ["2015-03", "2015-04", "2015-05"],
                    ["2015-03-31", "2015-04-01", "2015-04-30", "2015-05-31", "2015-06-01",
                     "2014-04-01", "2014-03-31"])  # fmt: skip
    assert got == {
        "e0": ["2015-03"],  # 31 March: the last day of 2014/15
        "e1": ["2015-04", "2015-05"],  # 1 April: in April and in May (year to date)
        "e2": ["2015-04", "2015-05"],
        "e3": ["2015-05"],  # the last day of May
        # e4 (after the last month) and e6 (before 1 April 2014) are in no window
        "e5": ["2015-03"],  # 1 April 2014: the first day of 2014/15
    }


def test_r12m_windows() -> None:
    # R12M of 2015-05: 1 June 2014 - 31 May 2015; of 2015-06: 1 July 2014 - 30 June 2015
    got = months_of(R12M, ["2015-05", "2015-06"],
                    ["2014-05-31", "2014-06-01", "2014-06-30", "2014-07-01", "2015-06-30"])  # fmt: skip
    assert got == {
        "e1": ["2015-05"],  # exactly 12 months before the end of May 2015
        "e2": ["2015-05"],
        "e3": ["2015-05", "2015-06"],
        "e4": ["2015-06"],
    }


def test_months_must_ascend_and_events_have_no_month_column() -> None:
    with pytest.raises(ValueError, match="ascending, distinct months"):
        months_of(YTD, ["2015-05", "2015-04"], ["2015-04-10"])
    events = pd.DataFrame({"date": pd.to_datetime(["2015-04-10"]), "month": ["x"]})
    inp = MeasureInput(None, pd.PeriodIndex(["2015-04"], freq="M"), YTD)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="without a 'month' column"):
        in_period(events, "date", inp)

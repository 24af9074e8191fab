"""Periods of care from SSDA903 episodes, and the month range, pinned (mutation testing).

Expected periods are worked out from the rules in ``scorecard.measures.care_periods``: a period
of care is a run of a child's episodes each starting on the day the previous one ended with X1;
short breaks (V3, V4) are left out; ``placed_start`` is the first A1-A6 episode's start.
"""

from __future__ import annotations

import pandas as pd

from scorecard.measures import month_range
from scorecard.measures.care_periods import periods_of_care
from tests.measures.builders import build
from tests.measures.test_children_in_care import ep, kid

T = pd.Timestamp


def test_month_range_is_inclusive() -> None:
    got = month_range("2015-11", pd.Period("2016-02", "M"))
    assert isinstance(got, pd.PeriodIndex) and got.freqstr == "M"
    assert [str(m) for m in got] == ["2015-11", "2015-12", "2016-01", "2016-02"]
    assert list(month_range("2015-05", "2015-05").astype(str)) == ["2015-05"]


def test_periods_of_care() -> None:
    extracts = build(
        children=[kid("c1"), kid("c2")],
        cic_episodes=[
            # c1, period 1: e1 -> e2 (X1, starts the day e1 ends) -> e3 placed for adoption (A4)
            ep("e1", "c1", "2014-01-10", "2014-03-01"),
            ep("e2", "c1", "2014-03-01", "2014-06-01", rne="P", place="A4", team="A1"),
            ep(
                "e3", "c1", "2014-06-01", "2014-09-01", rne="L", place="A5", team="A2", reason="E11"
            ),
            # c1, a short break between periods: left out
            ep("e4", "c1", "2014-10-01", "2014-10-03", status="V3", reason="E13"),
            # c1, period 2: a return to care, still open
            ep("e5", "c1", "2015-01-05"),
            # c2, period 3: one episode, ended E8; not placed for adoption
            ep("e6", "c2", "2015-02-01", "2015-04-01", team="F", reason="E8"),
        ],
    )
    periods = periods_of_care(extracts.get("cic_episodes"))
    assert list(periods.columns) == ["period_id", "child_id", "care_start", "care_end",
                                     "reason_ceased", "last_episode_id", "team", "placed_start"]  # fmt: skip
    assert periods["period_id"].tolist() == [1, 2, 3]
    assert periods["child_id"].astype(str).tolist() == ["c1", "c1", "c2"]
    assert periods["care_start"].tolist() == [T("2014-01-10"), T("2015-01-05"), T("2015-02-01")]
    assert periods["care_end"].tolist()[0] == T("2014-09-01") and pd.isna(periods["care_end"][1])
    assert periods["care_end"][2] == T("2015-04-01")
    assert periods["reason_ceased"].tolist()[0] == "E11" and pd.isna(periods["reason_ceased"][1])
    assert periods["last_episode_id"].astype(str).tolist() == ["e3", "e5", "e6"]
    assert periods["team"].astype(str).tolist() == ["A2", "C1", "F"]
    # first A1-A6 episode of period 1 is e2 (1 March 2014); the others have none
    assert periods["placed_start"][0] == T("2014-03-01")
    assert periods["placed_start"][1:].isna().all()

"""The first day of data a figure reads, whatever the order of its parameters (mutation testing).

Worked by hand for May 2015 (YTD starts 1 April 2015): 24 months back is 1 April 2013, 30 months
back 1 October 2012; parameters that do not reach back (a timescale counted forward, an age) change
nothing, wherever they come in the registry's order.
"""

from __future__ import annotations

import pandas as pd

from scorecard.calendar.coverage import window_starts

MAY = pd.Series(pd.PeriodIndex(["2015-05"], freq="M"))


def test_a_parameter_that_does_not_reach_back_does_not_stop_the_others() -> None:
    got = window_starts("YTD", {"timescale_working_days": 45, "lookback_months": 24}, MAY)
    assert got.iloc[0] == pd.Timestamp("2013-04-01")


def test_the_furthest_reaching_parameter_wins_in_any_order() -> None:
    parameters = {"lookback_months": 12, "age_under": 16, "looked_after_months": 30,
                  "check_months": 24}  # fmt: skip
    assert window_starts("YTD", parameters, MAY).iloc[0] == pd.Timestamp("2012-10-01")
    reversed_order = dict(reversed(list(parameters.items())))
    assert window_starts("YTD", reversed_order, MAY).iloc[0] == pd.Timestamp("2012-10-01")


def test_two_equal_reaches_give_that_day() -> None:
    # 12 months back twice (check_months and lookback_months): 1 April 2014
    got = window_starts("YTD", {"check_months": 12, "lookback_months": 12}, MAY)
    assert got.iloc[0] == pd.Timestamp("2014-04-01")

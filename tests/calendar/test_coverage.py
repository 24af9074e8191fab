"""Each indicator's look-back window start (scorecard.calendar.coverage), worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from scorecard.calendar.coverage import (
    LOOKBACK_PARAMETERS,
    NOT_LOOKBACK,
    indicator_window_starts,
    period_starts,
    window_key,
    window_starts,
)
from scorecard.registry import load_registry

MAY_2015 = pd.Series(pd.PeriodIndex(["2015-05"], freq="M"))


def start(period, parameters, month="2015-05"):
    return window_starts(period, parameters, pd.Series(pd.PeriodIndex([month], freq="M"))).iloc[0]


def test_period_starts():
    # YTD: 1 April of the financial year; R12M: 1 June 2014 (12 whole months to May 2015);
    # SS: the snapshot, the last working day (31 May 2015 is a Sunday, so Friday 29 May).
    assert period_starts("YTD", MAY_2015).iloc[0] == pd.Timestamp("2015-04-01")
    assert period_starts("R12M", MAY_2015).iloc[0] == pd.Timestamp("2014-06-01")
    assert period_starts("SS", MAY_2015).iloc[0] == pd.Timestamp("2015-05-29")
    with pytest.raises(ValueError, match="unknown data period"):
        period_starts("weekly", MAY_2015)


@pytest.mark.parametrize(
    ("period", "parameters", "month", "expected", "why"),
    [
        ("YTD", {}, "2015-05", "2015-04-01", "no look-back: the year's start"),
        ("YTD", {}, "2015-03", "2014-04-01", "March is in the year that started the April before"),
        ("YTD", {"lookback_months": 12}, "2015-05", "2014-04-01", "ref 1: 1 Apr 2015 - 12 months"),
        ("YTD", {"lookback_months": 24}, "2015-03", "2012-04-01", "ref 14: 1 Apr 2014 - 24 months"),
        (
            "SS",
            {"lookback_months": 12, "placements": 3},
            "2015-05",
            "2014-05-29",
            "ref 19: snapshot 29 May 2015 - 12 months; placements is not a look-back",
        ),
        (
            "SS",
            {"same_placement_months": 24, "looked_after_months": 30, "age_under": 16},
            "2015-05",
            "2012-11-29",
            "ref 20: the furthest of 24 and 30 months before 29 May 2015",
        ),
        ("SS", {"visit_window_days": 28}, "2015-05", "2015-05-01", "ref 6: 29 May - 28 days"),
        (
            "SS",
            {"visit_interval_working_days": 10, "window_months": 3},
            "2015-05",
            "2015-02-13",
            (
                "ref 12: 29 May - 3 months = Sat 28 Feb 2015 (clipped), rolled back to Fri 27 Feb; "
                "10 working days before it is Fri 13 Feb (16-20 and 23-27 Feb are 10)"
            ),
        ),
        ("YTD", {"visit_interval_days": 42}, "2015-05", "2015-02-18", "ref 9: 1 Apr - 42 days"),
        (
            "R12M",
            {"window_months_before": 3, "window_months_after": 1},
            "2015-05",
            "2014-03-01",
            "refs 32-34: 1 June 2014 - 3 months; the month after is forward",
        ),
        (
            "SS",
            {"duration_months": 18},
            "2015-05",
            "2015-05-29",
            "ref 11: a plan's own length, read from the plan: no look-back",
        ),
        ("YTD", {"timescale_working_days": 45}, "2015-05", "2015-04-01", "ref 2: forward"),
    ],
)
def test_window_starts_by_hand(period, parameters, month, expected, why):
    assert start(period, parameters, month) == pd.Timestamp(expected), why


def test_every_parameter_of_the_registry_has_a_decision():
    """A new parameter must be classed as a look-back or not (so the coverage check is right)."""
    registry = load_registry()
    used = {name for indicator in registry for name in indicator.parameters}
    assert used <= set(LOOKBACK_PARAMETERS) | set(NOT_LOOKBACK), used - set(LOOKBACK_PARAMETERS)
    assert not set(LOOKBACK_PARAMETERS) & set(NOT_LOOKBACK)


def test_registry_indicators_window_starts_for_may_2015():
    """The registry's own parameters, as worked in the table above (refs 1, 14, 20, 12, 32)."""
    registry = load_registry()
    expected = {
        "re_referrals_12m": "2014-04-01",
        "cp_repeat_24_months": "2013-04-01",
        "cic_same_placement_2y": "2012-11-29",
        "cp_visits_in_time": "2015-02-13",
        "care_leavers_in_touch": "2014-03-01",
        "cic_same_worker_12m": "2013-11-29",  # 18 months (looked after) beats 12 (same worker)
        "cp_plans_18_months": "2015-05-29",
        "audits_completed": "2015-04-01",
    }
    got = {i: indicator_window_starts(registry[i], MAY_2015).iloc[0] for i in expected}
    assert got == {i: pd.Timestamp(d) for i, d in expected.items()}


def test_window_starts_is_vectorised_and_keeps_the_index():
    months = pd.Series(pd.PeriodIndex(["2015-03", "2015-04", None], freq="M"), index=[4, 5, 6])
    got = window_starts("YTD", {"lookback_months": 12}, months)
    assert got.index.tolist() == [4, 5, 6]
    assert got[4] == pd.Timestamp("2013-04-01") and got[5] == pd.Timestamp("2014-04-01")
    assert pd.isna(got[6])


def test_indicators_with_the_same_window_key_have_the_same_window_starts():
    """``window_key`` (what coverage works out once for several indicators): by hand, and over
    the registry's indicators, the same key gives the same starts."""
    from types import SimpleNamespace

    one = SimpleNamespace(period="YTD", parameters={"lookback_months": 12, "placements": 3})
    assert window_key(one) == ("YTD", (("lookback_months", 12),))
    assert window_key(SimpleNamespace(period="R12M", parameters={})) == ("R12M", ())
    registry = load_registry()
    months = pd.Series(pd.period_range("2014-05", "2015-05", freq="M"))
    seen: dict[tuple, list] = {}
    for indicator in registry:
        starts = indicator_window_starts(indicator, months).tolist()
        seen.setdefault(window_key(indicator), []).append(starts)
    assert all(all(s == starts[0] for s in starts) for starts in seen.values())
    assert len(seen) < len(registry)  # some indicators share their windows

"""Statistical process control (scorecard.rating.spc) pinned further (second review): the t
quantile below 1, the messages of add_spc's refusals, a chart of two months, runs and windows
cut by a re-baselining month or a month without a point, the first window of a chart, the
screening tie, no NumPy warning for a T indicator, the joined note, trend_points of a month that
is no point, and the dtypes of the input columns add_spc accepts.

Unless said otherwise a series is the twelve months of 2014 alternating 12 and 10 (as in
tests/rating/test_spc.py): centre 11, mean moving range 2, limits 11 -/+ 2.66 x 2 = 5.68 and
16.32, two sigma 11 -/+ (2 x 2.66 / 3) x 2 = 11 -/+ 3.5467 (7.4533 and 14.5467).
"""

from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pandas as pd
import pytest

from scorecard.errors import UsageError
from scorecard.rating.spc import SpcSettings, add_spc, t_quantile
from scorecard.rating.vocabulary import SpecialCause
from tests.rating.test_spc import causes, series

BASELINE = [12.0, 10.0] * 6
HIGH = SpecialCause.TWO_OF_THREE_HIGH.value
UP = SpecialCause.RUN_INCREASING.value


# --- the t quantile below 1 ----------------------------------------------------------------------


def test_t_quantile_of_confidence_one_half_is_below_one() -> None:
    # SpcSettings allows confidence 0.5: the 75% point, below 1 for df >= 2. For df = 2,
    # P(|T| < t) = t / sqrt(2 + t^2) (A&S 26.7.4); = 1/2 gives 4 t^2 = 2 + t^2, t = sqrt(2/3).
    assert t_quantile(0.5, 2) == pytest.approx(math.sqrt(2 / 3), rel=1e-12)
    # NIST/SEMATECH 1.3.6.7.2, column 0.75: df 10 -> 0.700, df 30 -> 0.683
    assert t_quantile(0.5, 10) == pytest.approx(0.700, abs=5e-4)
    assert t_quantile(0.5, 30) == pytest.approx(0.683, abs=5e-4)


# --- the messages of the refusals (printed by the command line) ----------------------------------


def refused(*args: object) -> str:
    with pytest.raises(UsageError) as info:
        add_spc(*args)  # type: ignore[arg-type]
    return str(info.value)


def test_the_messages_of_a_refusal_name_what_was_given() -> None:
    assert refused(series(BASELINE), "2014-01:2014-12") == "spc: expected SpcSettings, got str"
    assert refused([1, 2]) == "add_spc() needs a rated DataFrame, got list"
    lacking = series(BASELINE).drop(columns=["value", "polarity"])
    assert refused(lacking) == "add_spc(): the frame lacks column(s) value, polarity"
    bad_month = series(BASELINE).assign(month="2014-13")
    assert refused(bad_month).startswith("add_spc(): column month: ")
    twice = pd.concat([series(BASELINE), series(BASELINE)], ignore_index=True)
    assert refused(twice) == "add_spc(): more than one row for an indicator, unit and month"


def test_unknown_polarities_are_shown_five_at_most_in_order() -> None:
    # only the unknown values are shown (not the H of the other rows), as text, sorted
    mixed = series(BASELINE, polarity=["H"] * 11 + ["X"])
    assert refused(mixed) == "add_spc(): column polarity: unknown value(s) ['X'] (H, L or T)"
    # six unknown values: the first five in sorted order, F left out
    six = series(BASELINE, polarity=["H"] * 6 + ["F", "E", "D", "C", "B", "A"])
    assert refused(six) == (
        "add_spc(): column polarity: unknown value(s) ['A', 'B', 'C', 'D', 'E'] (H, L or T)"
    )


# --- the least chart: two months -----------------------------------------------------------------


def test_a_chart_of_two_months() -> None:
    # 10 then 12 with min_baseline_points=2: two baseline points and one moving range (2), which
    # is enough for limits: centre 11, limits 11 -/+ 2.66 x 2 = 5.68 and 16.32. With
    # trend_points=2 one step up is a run increasing: both points flagged.
    out = add_spc(series([10.0, 12.0]), SpcSettings(min_baseline_points=2, trend_points=2))
    assert out["spc_centre"].tolist() == pytest.approx([11.0, 11.0])
    assert out["spc_lower"].tolist() == pytest.approx([5.68, 5.68])
    assert out["spc_upper"].tolist() == pytest.approx([16.32, 16.32])
    assert causes(out) == [UP, UP]
    assert out["spc_note"].isna().all()


# --- runs and windows: a re-baselining month and a month without a point cut them ----------------


def test_a_run_increasing_within_a_later_period_and_not_across_the_cut() -> None:
    # 2014 alternating 12/10 (December 10), re-baselined from January 2015: 20, 21, 22, 23, 24,
    # 25; min_baseline_points=2. The second period: centre 22.5, moving ranges 1, limits
    # 22.5 -/+ 2.66 (19.84, 25.16), two sigma 22.5 -/+ 1.7733 (20.7267, 24.2733): 20 is low and
    # 25 high, but no window of three holds two on one side; three points below, three above
    # (no run of 7). Six points rising: a run increasing, all six flagged. December 2014 (10,
    # first period) is lower than January's 20 but the run does not cross the cut: December is
    # common cause (a run of 7 counted across the cut would flag it).
    values = BASELINE + [20.0, 21.0, 22.0, 23.0, 24.0, 25.0]
    out = add_spc(series(values), SpcSettings(rebaseline=("2015-01",), min_baseline_points=2))
    assert out["spc_centre"].tolist() == pytest.approx([11.0] * 12 + [22.5] * 6)
    assert out["spc_upper"].tolist() == pytest.approx([16.32] * 12 + [25.16] * 6)
    assert causes(out) == [None] * 12 + [UP] * 6
    assert out["spc_variation"].astype(str).tolist() == ["common cause"] * 12 + ["improvement"] * 6


def test_a_run_increasing_after_a_first_month_without_a_point() -> None:
    # no value in January, then 1, 2, 3, 4, 5, 6 (min_baseline_points=2): centre 3.5, moving
    # ranges 1, limits 3.5 -/+ 2.66 (0.84, 6.16), two sigma 3.5 -/+ 1.7733: 1 low, 6 high, no
    # window of three with two on a side; three below, three above. Six rising points: a run
    # increasing; the month without a point at the start does not stop it.
    out = add_spc(series([np.nan, 1, 2, 3, 4, 5, 6]), SpcSettings(min_baseline_points=2))
    assert causes(out) == [None] + [UP] * 6


def test_two_of_three_needs_three_consecutive_points() -> None:
    # baseline 2014 (baseline_end 2014-12), then 2015: 15, -, 15, -, 15, 15 (-: no value). 15 is
    # beyond two sigma (14.5467) and inside the upper limit (16.32). A month without a point
    # breaks every window of three: January and March are not consecutive points, nor are May
    # and June with April (the window ending in June is April, May, June), so nothing is
    # flagged. The same months with 11 (on the centre) in the gaps: windows of three points each
    # holding two beyond two sigma high, every 15 flagged.
    settings = SpcSettings(baseline_end="2014-12")
    gaps = add_spc(series(BASELINE + [15.0, np.nan, 15.0, np.nan, 15.0, 15.0]), settings)
    assert gaps["spc_centre"].tolist() == pytest.approx([11.0] * 18)
    assert causes(gaps) == [None] * 18
    filled = add_spc(series(BASELINE + [15.0, 11.0, 15.0, 11.0, 15.0, 15.0]), settings)
    assert causes(filled) == [None] * 12 + [HIGH, None, HIGH, None, HIGH, HIGH]


def test_the_first_three_months_are_a_window() -> None:
    # January 15, February 15, March 11, then April 2014 to March 2015 alternating 12/10 (the
    # baseline, from 2014-04: centre 11, limits 5.68 and 16.32, which apply to the months before
    # it too). January and February are beyond two sigma high in the first window of three.
    values = [15.0, 15.0, 11.0] + BASELINE
    out = add_spc(series(values), SpcSettings(baseline_start="2014-04"))
    assert out["spc_upper"].tolist() == pytest.approx([16.32] * 15)
    assert causes(out) == [HIGH, HIGH] + [None] * 13


# --- screening: a moving range of exactly 3.267 x the mean is left out ---------------------------


def test_a_moving_range_of_exactly_the_screening_factor_is_screened_out() -> None:
    # 0, 733, 0, 733, 10534: moving ranges 733, 733, 733, 9801, mean 12000 / 4 = 3000, and
    # 3.267 x 3000 = 9801 exactly (in floating point too): "3.267 x the mean or more" is left
    # out, the mean taken again over 733, 733, 733 = 733. Centre 12000 / 5 = 2400; limits
    # 2400 -/+ 2.66 x 733 = 2400 -/+ 1949.78 (450.22 and 4349.78), not 2400 -/+ 7980.
    assert 3.267 * 3000.0 == 9801.0
    settings = SpcSettings(min_baseline_points=5, screen_moving_ranges=True)
    out = add_spc(series([0.0, 733.0, 0.0, 733.0, 10534.0]), settings)
    assert out["spc_centre"].tolist() == pytest.approx([2400.0] * 5)
    assert out["spc_lower"].tolist() == pytest.approx([450.22] * 5)
    assert out["spc_upper"].tolist() == pytest.approx([4349.78] * 5)


# --- no NumPy warning for a T indicator ----------------------------------------------------------


def test_a_t_indicator_gives_no_warning() -> None:
    # a T indicator has sign 0; its variation is worked out without dividing by that sign
    # (a NumPy "divide by zero" / "invalid value" warning would be printed by `scorecard build`)
    values = BASELINE + [20.0]  # 2014, then 20 in January 2015: above the upper limit (16.32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = add_spc(series(values, polarity="T"), SpcSettings(baseline_end="2014-12"))
    assert out["spc_variation"].astype(str).tolist() == ["common cause"] * 12 + ["neither"]


# --- the note users read in the CSV --------------------------------------------------------------


def test_a_month_without_a_point_and_without_limits_has_both_reasons_joined() -> None:
    # no value in January, then two points: 2 baseline points, fewer than the default 12
    out = add_spc(series([np.nan, 1.0, 2.0]))
    assert out["spc_note"].tolist() == [
        "not a point: no value; no limits: 2 baseline point(s), fewer than 12",
        "no limits: 2 baseline point(s), fewer than 12",
        "no limits: 2 baseline point(s), fewer than 12",
    ]


# --- trend_points --------------------------------------------------------------------------------


def test_trend_points_missing_for_a_month_that_is_no_point() -> None:
    # 1, 2, -, 4, 5, 6 with trend_min_points=3: June's window holds 5 points; the month without a
    # value (March) has no slope and no trend_points (missing, not 1)
    out = add_spc(series([1.0, 2.0, np.nan, 4.0, 5.0, 6.0]), SpcSettings(trend_min_points=3))
    assert out["trend_points"].tolist() == [pd.NA, pd.NA, pd.NA, 3, 4, 5]
    assert str(out["trend_points"].dtype) == "Int64"


def test_trend_points_is_a_whole_number_column_even_when_no_month_has_a_trend() -> None:
    out = add_spc(series([1.0, 2.0]))  # fewer than 6 points: no month has a slope
    assert out["trend_points"].isna().all()
    assert str(out["trend_points"].dtype) == "Int64"


# --- the input columns as a frame may hold them --------------------------------------------------


def test_a_value_column_of_python_objects() -> None:
    # values typed in by hand, a missing one as None: object dtype, read as numbers
    frame = series(BASELINE)
    frame["value"] = pd.Series([12.0, None] + BASELINE[2:], dtype=object)
    out = add_spc(frame, SpcSettings(min_baseline_points=11))
    # February is no point; the 11 others: centre (6 x 12 + 5 x 10) / 11 = 122 / 11
    assert out["spc_point"].tolist() == [True, False] + [True] * 10
    assert out["spc_centre"].iloc[0] == pytest.approx(122 / 11)


@pytest.mark.parametrize("name", ["suppressed", "partial"])
@pytest.mark.parametrize("dtype", ["boolean", object])
def test_a_missing_flag_is_false(name: str, dtype: object) -> None:
    # suppressed / partial missing (NA, None or NaN) for every month but January: only
    # January is no point (withheld or partial)
    flags = pd.Series([True] + [None] * 11, dtype=dtype)
    out = add_spc(series(BASELINE, **{name: flags}))
    assert out["spc_point"].tolist() == [False] + [True] * 11
    why = "withheld (small numbers)" if name == "suppressed" else "partial figure"
    assert re.fullmatch(f"not a point: {re.escape(why)}; no limits: 11 .*", out["spc_note"][0])


def test_a_missing_state_is_no_state() -> None:
    # state missing for every month but January ("no data": no point): the others are points
    states = pd.Series(["no data"] + [None] * 11, dtype=object)
    out = add_spc(series(BASELINE, state=states))
    assert out["spc_point"].tolist() == [False] + [True] * 11

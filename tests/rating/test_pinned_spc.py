"""Statistical process control (scorecard.rating.spc) pinned where its own tests left it loose:
the exact t distribution for odd degrees of freedom, assurance of banded and benchmark-rated
indicators, the regression on three points and on large values, figures without a warning,
re-baselining months after the months computed, the columns of an empty frame, the SPC of a
published frame and the words of a row with missing readings.

Unless said otherwise a series is the twelve months of 2014 alternating 12 and 10, whose figures
are worked out in tests/rating/test_spc.py: centre 11, mean moving range 2, limits
11 -/+ 2.66 x 2 = 5.68 and 16.32.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from scorecard.rating.spc import (
    SPC_COLUMNS,
    SpcSettings,
    _runs,
    _t_two_sided,
    add_spc,
    published_spc,
    spc_words,
    t_quantile,
)
from scorecard.rating.vocabulary import (
    ASSURANCE_DTYPE,
    SPECIAL_CAUSE_DTYPE,
    TREND_DTYPE,
    VARIATION_DTYPE,
    Assurance,
    TrendDirection,
)

BASELINE = [12.0, 10.0] * 6
from tests.rating.test_spc import series


def assurances(frame: pd.DataFrame) -> set[str | None]:
    return {None if pd.isna(a) else str(a) for a in add_spc(frame)["spc_assurance"]}


# --- the t distribution --------------------------------------------------------------------------

# Critical values of Student's t: NIST/SEMATECH e-Handbook of Statistical Methods, section
# 1.3.6.7.2 "Critical Values of the Student's t Distribution", columns 0.95, 0.975 and 0.995 (the
# upper-tail points whose two-sided confidence is 90%, 95% and 99%), rounded there to 3 decimals.
T_TABLE = {
    0.90: {1: 6.314, 2: 2.920, 3: 2.353, 4: 2.132, 5: 2.015, 6: 1.943, 7: 1.895, 8: 1.860,
           9: 1.833, 10: 1.812, 11: 1.796, 12: 1.782, 20: 1.725, 30: 1.697},
    0.95: {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
           9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 20: 2.086, 30: 2.042},
    0.99: {1: 63.657, 2: 9.925, 3: 5.841, 4: 4.604, 5: 4.032, 6: 3.707, 7: 3.499, 8: 3.355,
           9: 3.250, 10: 3.169, 11: 3.106, 12: 3.055, 20: 2.845, 30: 2.750},
}  # fmt: skip


@pytest.mark.parametrize(
    ("confidence", "df", "value"),
    [(c, df, v) for c, column in T_TABLE.items() for df, v in column.items()],
)
def test_t_quantile_matches_the_nist_table(confidence: float, df: int, value: float) -> None:
    assert t_quantile(confidence, df) == pytest.approx(value, abs=5e-4)


def test_t_quantile_of_one_degree_of_freedom_in_closed_form() -> None:
    # df 1 is the Cauchy distribution: P(|T| < t) = 2 atan(t) / pi, so t = tan(pi c / 2)
    for confidence in (0.5, 0.9, 0.95, 0.99):
        assert t_quantile(confidence, 1) == pytest.approx(
            math.tan(math.pi * confidence / 2), rel=1e-12
        )
    with pytest.raises(ValueError, match="at least 1, not 0"):
        t_quantile(0.95, 0)


@pytest.mark.parametrize(
    ("t", "df", "probability"),
    [
        # Abramowitz and Stegun 26.7.3 (odd df), with theta = atan(t / sqrt(df)):
        # A = 2/pi (theta + sin(theta) (cos(theta) + 2/3 cos^3 + (2 4)/(3 5) cos^5 + ...)), the
        # series having (df - 1) / 2 terms. Each t below makes theta a simple angle.
        (1.0, 1, 0.5),  # 2/pi x pi/4
        (math.sqrt(3), 1, 2 / 3),  # 2/pi x pi/3
        # df 3, t = sqrt(3): theta = pi/4, sin cos = 1/2: 2/pi (pi/4 + 1/2) = 1/2 + 1/pi
        (math.sqrt(3), 3, 0.5 + 1 / math.pi),
        # df 3, t = 3: theta = pi/3, sin = sqrt(3)/2, cos = 1/2: 2/pi (pi/3 + sqrt(3)/4)
        (3.0, 3, 2 / 3 + math.sqrt(3) / (2 * math.pi)),
        # df 5, t = sqrt(5): theta = pi/4, sin cos^(2j+1) = 2^-(j+1): 1/2 + 2/3 x 1/4 = 2/3;
        # 2/pi (pi/4 + 2/3) = 1/2 + 4/(3 pi)
        (math.sqrt(5), 5, 0.5 + 4 / (3 * math.pi)),
        # df 5, t = sqrt(15): theta = pi/3: sqrt(3)/2 (1/2 + 2/3 x 1/8) = 7 sqrt(3)/24;
        # 2/pi (pi/3 + 7 sqrt(3)/24) = 2/3 + 7 sqrt(3)/(12 pi)
        (math.sqrt(15), 5, 2 / 3 + 7 * math.sqrt(3) / (12 * math.pi)),
        # df 7, t = sqrt(7): 1/2 + 1/6 + (8/15)(1/8) = 11/15: 1/2 + 22/(15 pi)
        (math.sqrt(7), 7, 0.5 + 22 / (15 * math.pi)),
        # df 9, t = 3: 1/2 + 1/6 + 1/15 + (48/105)(1/16) = 16/21: 1/2 + 32/(21 pi)
        (3.0, 9, 0.5 + 32 / (21 * math.pi)),
        # A and S 26.7.4 (even df): A = sin(theta) (1 + 1/2 cos^2 + (1 3)/(2 4) cos^4 + ...)
        # df 2, t = 1: sin(atan(1/sqrt 2)) = 1/sqrt(3)
        (1.0, 2, 1 / math.sqrt(3)),
        # df 4, t = 2: theta = pi/4: (1/sqrt 2)(1 + 1/4) = 5 / (4 sqrt 2)
        (2.0, 4, 5 / (4 * math.sqrt(2))),
        # df 6, t = sqrt(6): (1/sqrt 2)(1 + 1/4 + 3/32) = 43 / (32 sqrt 2)
        (math.sqrt(6), 6, 43 / (32 * math.sqrt(2))),
    ],
)
def test_two_sided_probability_in_closed_form(t: float, df: int, probability: float) -> None:
    assert _t_two_sided(t, df) == pytest.approx(probability, rel=1e-12)


def test_two_sided_probability_at_zero_and_far_out() -> None:
    for df in (1, 2, 3, 5, 7, 10, 11):
        assert _t_two_sided(0.0, df) == 0.0
        assert _t_two_sided(1e9, df) == pytest.approx(1.0, abs=1e-9)


# --- assurance ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("polarity", "benchmark", "tolerance", "expected"),
    [
        # H: Green from benchmark + tolerance. 4 + 2 = 6: the lower limit 5.68 is below it, the
        # upper 16.32 above: hit and miss (the benchmark alone, 4, would be passing)
        ("H", 4.0, 2.0, Assurance.HIT_AND_MISS),
        ("H", 2.0, 2.0, Assurance.PASSING),  # 4: the lower limit 5.68 reaches it
        ("H", 15.0, 2.0, Assurance.FAILING),  # 17: the upper limit 16.32 is below it
        # L: Green up to benchmark - tolerance. 18 - 2 = 16: the upper limit 16.32 is above it
        # (hit and miss; the benchmark alone, 18, would be passing)
        ("L", 18.0, 2.0, Assurance.HIT_AND_MISS),
        ("L", 20.0, 2.0, Assurance.PASSING),  # 18: the upper limit 16.32 is at most 18
        ("L", 6.0, 2.0, Assurance.FAILING),  # 4: the lower limit 5.68 is above it
        # no tolerance given: the benchmark itself
        ("H", 6.0, np.nan, Assurance.HIT_AND_MISS),
        ("H", 5.0, np.nan, Assurance.PASSING),
    ],
)
def test_assurance_of_a_benchmark_rated_indicator(
    polarity: str, benchmark: float, tolerance: float, expected: Assurance
) -> None:
    frame = series(BASELINE, polarity, benchmark=benchmark, tolerance=tolerance)
    assert assurances(frame) == {expected.value}


def test_a_target_goes_before_a_benchmark() -> None:
    # target 17 (H): the upper limit 16.32 is below it, failing; the benchmark 4 would pass
    frame = series(BASELINE, "H", target=17.0, benchmark=4.0, tolerance=0.0)
    assert assurances(frame) == {Assurance.FAILING.value}


@pytest.mark.parametrize(
    ("green_lower", "green_upper", "expected"),
    [
        # only the lower edge given: the band runs on upwards
        (5.0, np.nan, Assurance.PASSING),  # 5.68 and 16.32 both from 5 up
        (17.0, np.nan, Assurance.FAILING),  # both below 17
        (10.0, np.nan, Assurance.HIT_AND_MISS),
        # only the upper edge given: the band runs on downwards
        (np.nan, 17.0, Assurance.PASSING),  # both up to 17
        (np.nan, 4.0, Assurance.FAILING),  # both above 4
        (np.nan, 12.0, Assurance.HIT_AND_MISS),
    ],
)
def test_assurance_of_a_band_with_one_edge(
    green_lower: float, green_upper: float, expected: Assurance
) -> None:
    frame = series(BASELINE, "T", target=11.0, green_lower=green_lower, green_upper=green_upper)
    assert assurances(frame) == {expected.value}


def test_no_assurance_for_a_t_indicator_without_a_band() -> None:
    # close to the target is better, but without a Green band there is no side to pass on
    assert assurances(series(BASELINE, "T", target=11.0)) == {None}
    assert assurances(series(BASELINE, "T", benchmark=11.0, tolerance=1.0)) == {None}


def test_a_threshold_that_is_not_a_number_is_no_threshold() -> None:
    # thresholds read as text (e.g. from a CSV): numbers are read, anything else is missing
    as_text = series(BASELINE, "H", target=["5"] * 12)
    assert assurances(as_text) == {Assurance.PASSING.value}  # 5: the lower limit 5.68 reaches it
    missing = series(BASELINE, "H", target=["n/a"] * 11 + ["5"])
    assert add_spc(missing)["spc_assurance"].isna().tolist() == [True] * 11 + [False]


# --- the regression ----------------------------------------------------------------------------


def test_a_line_through_three_points() -> None:
    # x = 0, 1, 2, y = 1, 2, 4: mean x 1, mean y 7/3; Sxx = 2; Sxy = (-1)(-4/3) + 0 + (1)(5/3) = 3:
    # slope 3/2; Syy = 16/9 + 1/9 + 25/9 = 14/3, residual 14/3 - 3/2 x 3 = 1/6; se =
    # sqrt(1/6 / 1 / 2) = sqrt(1/12); t with 1 degree of freedom: tan(0.95 pi / 2) = 12.7062:
    # half-width 3.66797, interval -2.16797 to 5.16797 (holds 0: no clear change)
    out = add_spc(series([1.0, 2.0, 4.0]), SpcSettings(trend_min_points=3))
    half = math.tan(0.95 * math.pi / 2) * math.sqrt(1 / 12)
    last = out.iloc[-1]
    assert last["trend_slope"] == pytest.approx(1.5)
    assert last["trend_low"] == pytest.approx(1.5 - half, rel=1e-9)
    assert last["trend_high"] == pytest.approx(1.5 + half, rel=1e-9)
    assert last["trend_points"] == 3
    assert last["trend_direction"] == TrendDirection.NO_CLEAR_CHANGE.value
    # the first two months have too few points: no slope, no count of points
    assert out["trend_slope"].iloc[:2].isna().all()
    assert out["trend_points"].iloc[:2].isna().all()
    assert out["trend_direction"].iloc[:2].isna().all()
    # by default six points are needed: none of the three months has a slope
    default = add_spc(series([1.0, 2.0, 4.0]))
    assert default["trend_slope"].isna().all() and default["trend_points"].isna().all()


def test_a_window_of_three_months() -> None:
    # trend_months 3: the last three months only. 5, 1, 2, 4: the last month's window is 1, 2, 4,
    # the line above (slope 1.5); the month before, 5, 1, 2: mean y 8/3, Sxy = (-1)(7/3) + 0 +
    # (1)(-2/3) = -3: slope -1.5
    out = add_spc(series([5.0, 1.0, 2.0, 4.0]), SpcSettings(trend_months=3, trend_min_points=3))
    assert out["trend_slope"].tolist()[2:] == pytest.approx([-1.5, 1.5])
    assert out["trend_points"].tolist()[2:] == [3, 3]


def test_the_trend_of_large_values_is_as_exact_as_that_of_small_ones() -> None:
    # 1, 3, 2, 4, 3, 5 (tests/rating/test_spc.py::test_slope_and_interval_by_hand): slope
    # 11 / 17.5, interval 0.045639 to 1.211504. Adding a billion to every value moves the line up
    # and changes neither. The values are centred on the mean of their own series before the sums
    # of squares (1e9 + 3 here: y = -2, 0, -1, 1, 0, 2, exact), so no digit is lost; uncentred,
    # or centred on a mean over both series, y * y would be about 1e18, beyond the 2**53 (9e15)
    # whole numbers a float holds exactly, and the lost digits would move the interval.
    pattern = [1.0, 3.0, 2.0, 4.0, 3.0, 5.0]
    large = series([1e9 + v for v in pattern], unit="Large")
    small = series(pattern, unit="Small")
    out = add_spc(pd.concat([large, small], ignore_index=True))
    for last in (out.iloc[5], out.iloc[11]):
        assert last["trend_slope"] == pytest.approx(11 / 17.5, abs=1e-9)
        assert last["trend_low"] == pytest.approx(0.045639, abs=1e-6)
        assert last["trend_high"] == pytest.approx(1.211504, abs=1e-6)
        assert last["trend_direction"] == TrendDirection.IMPROVING.value


# --- no warnings ---------------------------------------------------------------------------------


def quietly(frame: pd.DataFrame, settings: SpcSettings | None = None) -> pd.DataFrame:
    """add_spc with every warning an error: missing figures (a month with one point, a series
    without values) are computed without NumPy's "invalid value" or "divide by zero" warnings,
    which `scorecard build` would otherwise print."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return add_spc(frame, settings)


def test_figures_that_cannot_be_computed_give_no_warning() -> None:
    # a series without any value: no baseline point, no moving range, no regression point
    out = quietly(series([np.nan] * 4))
    assert out["spc_centre"].isna().all() and out["trend_slope"].isna().all()
    # the first months of a series: one point (0 / 0 for the slope), two points (no degree of
    # freedom left): no slope; 21.0 and 48.8 leave a residual of rounding, not exactly 0
    out = quietly(series([21.0, 48.8, 2.2, 65.0]), SpcSettings(trend_min_points=3))
    assert out["trend_slope"].iloc[:2].isna().all() and out["trend_slope"].notna().iloc[2:].all()
    # a period without any month: re-baselined in January 2014, the first month
    out = quietly(series(BASELINE), SpcSettings(rebaseline=("2014-01",)))
    assert out["spc_centre"].tolist() == pytest.approx([11.0] * 12)


# --- periods -------------------------------------------------------------------------------------


def test_a_rebaselining_month_after_the_months_computed() -> None:
    # re-baselined from January 2016, after the last month (December 2014): its period holds no
    # month, the first period is every month; two units, 12/10 and 24/20 (centre 22, moving
    # ranges 4: limits 22 -/+ 10.64)
    frame = pd.concat([series(BASELINE), series([24.0, 20.0] * 6, unit="Other")], ignore_index=True)
    out = add_spc(frame, SpcSettings(rebaseline=("2016-01",)))
    assert out["spc_centre"].tolist() == pytest.approx([11.0] * 12 + [22.0] * 12)
    assert out["spc_lower"].tolist() == pytest.approx([5.68] * 12 + [11.36] * 12)
    assert out["spc_upper"].tolist() == pytest.approx([16.32] * 12 + [32.64] * 12)
    screened = add_spc(frame, SpcSettings(rebaseline=("2016-01",), screen_moving_ranges=True))
    assert screened["spc_upper"].tolist() == pytest.approx([16.32] * 12 + [32.64] * 12)


def test_runs_of_equal_values_along_each_row() -> None:
    # the helper behind the run rules: the length of the run each cell belongs to
    assert _runs(np.array([[5, 5]])).tolist() == [[2, 2]]
    assert _runs(np.array([[5, 6]])).tolist() == [[1, 1]]
    assert _runs(np.array([[1, 1, 2], [3, 3, 3]])).tolist() == [[2, 2, 1], [3, 3, 3]]
    assert _runs(np.array([[7]])).tolist() == [[1]]


# --- the frame -----------------------------------------------------------------------------------


def test_an_empty_frame_gets_the_columns_with_their_dtypes() -> None:
    empty = add_spc(series(BASELINE).iloc[:0])
    expected = {
        "spc_point": np.dtype(bool),
        "spc_centre": np.dtype(float),
        "spc_lower": np.dtype(float),
        "spc_upper": np.dtype(float),
        "spc_special_cause": SPECIAL_CAUSE_DTYPE,
        "spc_variation": VARIATION_DTYPE,
        "spc_assurance": ASSURANCE_DTYPE,
        "spc_note": pd.StringDtype(),
        "trend_slope": np.dtype(float),
        "trend_low": np.dtype(float),
        "trend_high": np.dtype(float),
        "trend_direction": TREND_DTYPE,
        "trend_points": pd.Int64Dtype(),
    }
    assert {c: empty[c].dtype for c in SPC_COLUMNS} == expected
    # the same as those of a frame with rows
    full = add_spc(series(BASELINE))
    assert {c: full[c].dtype for c in SPC_COLUMNS} == expected
    assert list(empty.columns[-len(SPC_COLUMNS) :]) == SPC_COLUMNS and empty.empty


# --- the frame as published ----------------------------------------------------------------------

SETTINGS = SpcSettings(min_baseline_points=11)


def published() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The analysts' frame (12, 10, ... with April, a 10, being 40) with its SPC columns, and
    that frame as published: April withheld (value missing, ``suppressed``), the SPC columns
    still the analysts'."""
    values = list(BASELINE)
    values[3] = 40.0
    analysts = add_spc(series(values, suppressed=False), SETTINGS)
    out = analysts.assign(value=analysts["value"].where(analysts.index != 3))
    out.loc[3, "suppressed"] = True
    return analysts, out


def test_a_published_frame_that_withholds_a_month_is_computed_again() -> None:
    # the analysts' centre is (6 x 12 + 5 x 10 + 40) / 12 = 13.5; published, that of the eleven
    # published months: (6 x 12 + 5 x 10) / 11 = 122 / 11, so the withheld 40 cannot be worked
    # out from it. min_baseline_points 11 (the settings given): with the default, 12, the eleven
    # points would give no limits at all
    analysts, frame = published()
    assert analysts["spc_centre"].iloc[0] == pytest.approx(13.5)
    out = published_spc(frame, SETTINGS)
    assert out["spc_centre"].tolist() == pytest.approx([122 / 11] * 12)
    assert out["spc_point"].tolist() == [True] * 3 + [False] + [True] * 8
    assert out["spc_note"].iloc[3] == "not a point: withheld (small numbers)"
    assert list(out.columns) == list(frame.columns)  # the columns replaced, not added again


def test_a_published_frame_without_the_columns_gets_them() -> None:
    frame = series(BASELINE, suppressed=False)
    out = published_spc(frame, SETTINGS)
    assert list(out.columns) == [*frame.columns, *SPC_COLUMNS]
    assert out["spc_centre"].tolist() == pytest.approx([11.0] * 12)


def test_a_published_frame_that_withholds_nothing_is_returned_as_it_is() -> None:
    analysts = add_spc(series(BASELINE), SETTINGS)
    assert published_spc(analysts, SETTINGS) is analysts  # no `suppressed` column
    flagged = analysts.assign(suppressed=False)
    assert published_spc(flagged, SETTINGS) is flagged
    # a missing flag withholds nothing (as add_spc reads it)
    unknown = analysts.assign(suppressed=pd.array([False] * 11 + [None], dtype="boolean"))
    assert published_spc(unknown, SETTINGS) is unknown


# --- words ---------------------------------------------------------------------------------------


def test_words_of_a_row_with_missing_readings() -> None:
    # a row of a frame (to_dict) carries missing categories as NaN: no words, a dash
    assert spc_words(
        {"spc_variation": np.nan, "spc_assurance": pd.NA, "trend_direction": float("nan")}
    ) == ("-", "-")
    assert spc_words(
        {"spc_variation": "common cause", "spc_assurance": np.nan, "trend_direction": np.nan}
    ) == ("Common cause", "-")
    assert spc_words(
        {"spc_variation": None, "spc_assurance": "hit and miss", "trend_direction": "falling"}
    ) == ("Hit and miss", "Falling")
    # read from a frame: the first month has no limits and no slope
    row = add_spc(series([1.0, 2.0])).iloc[0].to_dict()
    assert spc_words(row) == ("-", "-")
